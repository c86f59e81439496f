/* SPDX-License-Identifier: GPL-2.0 */
/*
 * userfaultfd for the test clients and the fuzzer: memory whose first
 * touch (by the kernel too: copy_from_user in an ioctl) waits until this
 * process serves the page. A driver call reading or writing such memory
 * is stalled for as long as the test holds the fault.
 *
 * The kernel's own faults need no UFFD_USER_MODE_ONLY, so root (or
 * vm.unprivileged_userfaultfd=1). The wait is interruptible: a signal
 * ends the fault, and the copy fails (EFAULT) unless the call restarts.
 */
#ifndef FRPC_UFFD_H
#define FRPC_UFFD_H

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FRPC_PAGE	4096ul

/* A userfaultfd of this process, non-blocking; -errno if none */
static inline int frpc_uffd_open(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, UFFDIO_API, &api)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Faults on missing pages of [p, p + len) go to @uffd; 0 or -errno */
static inline int frpc_uffd_register(int uffd, void *p, size_t len)
{
	struct uffdio_register r = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	return ioctl(uffd, UFFDIO_REGISTER, &r) ? -errno : 0;
}

/*
 * The next page fault within @timeout_ms (-1: no bound): 1 and its page
 * in @page, 0 on timeout, -errno. Other events are skipped.
 */
static inline int frpc_uffd_next(int uffd, int timeout_ms, uint64_t *page)
{
	struct pollfd p = { .fd = uffd, .events = POLLIN };
	struct uffd_msg msg;
	ssize_t n;
	int r;

	*page = 0;
	for (;;) {
		r = poll(&p, 1, timeout_ms);
		if (r < 0)
			return errno == EINTR ? 0 : -errno;
		if (!r)
			return 0;
		n = read(uffd, &msg, sizeof(msg));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n != sizeof(msg))
			return n < 0 ? -errno : -EIO;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		*page = msg.arg.pagefault.address & ~(FRPC_PAGE - 1);
		return 1;
	}
}

/*
 * Serve @page with a copy of @src (one page) and wake its waiters; a page
 * already there (served for an earlier fault) just wakes them
 */
static inline int frpc_uffd_serve(int uffd, uint64_t page, const void *src)
{
	struct uffdio_copy c = {
		.dst = page, .src = (uintptr_t)src, .len = FRPC_PAGE,
	};
	struct uffdio_range w = { .start = page, .len = FRPC_PAGE };

	if (!ioctl(uffd, UFFDIO_COPY, &c))
		return 0;
	if (errno != EEXIST)
		return -errno;
	return ioctl(uffd, UFFDIO_WAKE, &w) ? -errno : 0;
}

#endif /* FRPC_UFFD_H */
