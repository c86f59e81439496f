// SPDX-License-Identifier: GPL-2.0
/*
 * Memory for the DSP commands: files and shell images, dma-bufs, fills,
 * and memtest calls that check memory from the DSP's side.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "ctl.h"
#include "errors.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"

/* Files named on the command line (shells, buffers): larger is a mistake */
#define READ_FILE_MAX		(256u << 20)

void *shell_image(size_t size)
{
	void *img;

	if (size < SHELL_MIN_SIZE)
		size = SHELL_MIN_SIZE;
	img = calloc(1, size);
	if (img)
		frpc_shell_header(img, size);
	return img;
}

int read_file(struct ctl *c, const char *path, void **buf, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *p = NULL, *np;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ctl_err(c, CTL_FAIL, "cannot read %s: %s", path,
			       strerror(errno));
	for (;;) {
		if (!p || used == cap) {
			/* /dev/zero and the like would only end at ENOMEM */
			if (used > READ_FILE_MAX) {
				errno = EFBIG;
				goto fail;
			}
			if (p)
				cap = cap * 2 > READ_FILE_MAX ? READ_FILE_MAX + 1 : cap * 2;
			np = realloc(p, cap);
			if (!np) {
				errno = ENOMEM;
				goto fail;
			}
			p = np;
		}
		n = read(fd, p + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	*buf = p;
	*len = used;
	return 0;
fail:
	n = errno;
	free(p);
	close(fd);
	return ctl_err(c, CTL_FAIL, "cannot read %s: %s", path,
		       strerror((int)n));
}

int write_file(struct ctl *c, const char *path, const void *buf, size_t len)
{
	const char *p = buf;
	int fd, err;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return ctl_err(c, CTL_FAIL, "cannot write %s: %s", path,
			       strerror(errno));
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			return ctl_err(c, CTL_FAIL, "cannot write %s: %s", path,
				       strerror(err));
		}
		p += n;
		len -= n;
	}
	if (close(fd))
		return ctl_err(c, CTL_FAIL, "cannot write %s: %s", path,
			       strerror(errno));
	return 0;
}

int dbuf_make(struct frpc *f, enum dbuf_src src, uint64_t size,
	      uint32_t flags, struct dbuf *b)
{
	int ret;

	b->fd = -1;
	b->map = MAP_FAILED;
	b->size = size;
	b->src = src;
	if (src == DBUF_DRIVER) {
		ret = frpc_alloc(f, size, flags, &b->fd);
		if (ret)
			return ret;
	} else {
		ret = frpc_heap_alloc(size);
		if (ret < 0)
			return ret;
		b->fd = ret;
	}
	b->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (b->map == MAP_FAILED)
		return -errno;
	return 0;
}

int dbuf_alloc(struct ctl *c, struct frpc *f, enum dbuf_src src,
	       uint64_t size, uint32_t flags, struct dbuf *b)
{
	int ret = dbuf_make(f, src, size, flags, b);

	if (ret && b->fd < 0)
		return ctl_err(c, CTL_FAIL, "cannot allocate a %llu-byte dma-buf from %s: %s",
			       (unsigned long long)size,
			       src == DBUF_DRIVER ? f->path : "/dev/dma_heap/system",
			       strerror(-ret));
	if (ret) {
		dbuf_free(b);
		return ctl_err(c, CTL_FAIL, "cannot mmap the dma-buf: %s",
			       strerror(-ret));
	}
	ctl_dbg(c, "dma-buf fd %d, %llu bytes", b->fd, (unsigned long long)size);
	return 0;
}

void dbuf_free(struct dbuf *b)
{
	if (b->map && b->map != MAP_FAILED)
		munmap(b->map, b->size);
	b->map = MAP_FAILED;
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

void dbuf_sync(const struct dbuf *b, bool end)
{
	struct dma_buf_sync sync = {
		.flags = DMA_BUF_SYNC_RW | (end ? DMA_BUF_SYNC_END : DMA_BUF_SYNC_START),
	};

	/* an exporter without begin/end_cpu_access is coherent: nothing to do */
	ioctl(b->fd, DMA_BUF_IOCTL_SYNC, &sync);
}

void fill_bytes(void *p, size_t n, int byte)
{
	unsigned char *b = p;

	if (byte != FILL_PATTERN) {
		memset(p, byte, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)i;
}

int parse_fill(struct ctl *c, const char *what, const char *s, int *byte)
{
	uint32_t v;

	if (!strcmp(s, "pattern")) {
		*byte = FILL_PATTERN;
		return 0;
	}
	if (parse_u32(c, what, s, &v))
		return CTL_USAGE;
	if (v > 0xff)
		return ctl_err(c, CTL_USAGE, "invalid %s '%s' (a byte, or 'pattern')",
			       what, s);
	*byte = (int)v;
	return 0;
}

/* memtest: open, one call, close; the reason of a failure is reported */
static int memtest_open(struct ctl *c, struct frpc *f, uint32_t *h)
{
	char dlerr[128];
	int ret;

	ret = frpc_skel_open(f, "memtest", h, dlerr, sizeof(dlerr));
	if (ret)
		return ctl_err(c, CTL_FAIL, "cannot open skel memtest: %s%s%s",
			       strerror(-ret), dlerr[0] ? ": " : "", dlerr);
	return 0;
}

static int memtest_done(struct ctl *c, struct frpc *f, uint32_t h,
			const char *what, int ret)
{
	frpc_skel_close(f, h);
	if (ret)
		return ctl_err(c, CTL_FAIL, "memtest.%s failed: %s", what,
			       strerror(-ret));
	return 0;
}

int memtest_checksum(struct ctl *c, struct frpc *f, uint64_t vaddr,
		     uint64_t len, uint64_t *sum)
{
	uint32_t h;

	return memtest_open(c, f, &h) ?:
	       memtest_done(c, f, h, "checksum",
			    frpc_memtest_checksum(f, h, vaddr, len, sum));
}

int memtest_fill(struct ctl *c, struct frpc *f, uint64_t vaddr, uint64_t len,
		 uint8_t byte)
{
	uint32_t h;

	return memtest_open(c, f, &h) ?:
	       memtest_done(c, f, h, "fill",
			    frpc_memtest_fill(f, h, vaddr, len, byte));
}
