// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_secure DOMAIN SCENARIO: what one client cannot do to another. Prints
 * one "ok:" line per fact; exits 1 at the first surprise.
 *
 *   init-handle  (run as an unprivileged member of the node's group) the
 *                secure node does not open (EACCES); every init-handle
 *                method invoked by hand gets EPERM, before and after the
 *                client has a process
 *   cross        a second process, on a session of its own, aims at the
 *                first one's MEM_MAP and MMAP addresses (MEM_UNMAP,
 *                MUNMAP, the memtest skel reading them), its skel handle
 *                and, passed over a unix socket, its dma-buf (FREE,
 *                MEM_UNMAP by fd): all refused or failing, the first
 *                client's maps intact and its bytes never read. Through
 *                the first one's fastrpc fd, passed too, it acts as that
 *                client (the fd is the session, as upstream), and its
 *                own memory is what it sends
 *   pid-reuse    a client outlives its opener (a child keeps the fd); an
 *                unrelated process given the opener's pid (clone3 with
 *                set_tid, root) is refused a DSP process (EBUSY) while
 *                that client lives, so it cannot join the old one's and
 *                read its maps; once the fd is closed it gets one
 */
#include "frpc_common.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char *domain;

#define MAPLEN	(16 * 1024)

/* What the first client tells the second one */
struct facts {
	uint64_t mem_map_va;	/* its MEM_MAP of its dma-buf */
	uint64_t mmap_va;	/* its MMAP of driver memory */
	uint32_t calc;		/* its calculator handle */
	uint64_t sum;		/* the DSP's checksum of its MEM_MAP */
};

static void send_fds(int sock, const void *data, size_t len, int fd1, int fd2)
{
	char ctl[CMSG_SPACE(2 * sizeof(int))] = {};
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fds[2] = { fd1, fd2 };

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	FRPC_CHECK(sendmsg(sock, &msg, 0) == (ssize_t)len, "sendmsg: %s",
		   strerror(errno));
}

static void recv_fds(int sock, void *data, size_t len, int *fd1, int *fd2)
{
	char ctl[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fds[2];

	FRPC_CHECK(recvmsg(sock, &msg, 0) == (ssize_t)len, "recvmsg: %s",
		   strerror(errno));
	c = CMSG_FIRSTHDR(&msg);
	FRPC_CHECK(c && c->cmsg_type == SCM_RIGHTS, "no fds passed");
	memcpy(fds, CMSG_DATA(c), sizeof(fds));
	*fd1 = fds[0];
	*fd2 = fds[1];
}

static const char *errname(int ret)
{
	static char buf[32];

	if (ret <= 0)
		return ret ? strerrorname_np(-ret) : "0";
	snprintf(buf, sizeof(buf), "DSP error %d", ret);
	return buf;
}

/* @ret must be exactly -@err */
#define EXPECT(err, call, what)						\
	do {								\
		int __r = (call);					\
		FRPC_CHECK(__r == -(err), "%s: %s, want %s", what,	\
			   errname(__r), strerrorname_np(err));		\
		printf("ok: %s: %s\n", what, strerrorname_np(err));	\
	} while (0)

static void cmd_init_handle(void)
{
	static const uint32_t methods[] = {
		FASTRPC_INIT_ATTACH, FASTRPC_INIT_RELEASE, FASTRPC_INIT_MMAP,
		FASTRPC_INIT_MUNMAP, FASTRPC_INIT_CREATE, FASTRPC_INIT_CREATE_ATTR,
		FASTRPC_INIT_CREATE_STATIC, FASTRPC_INIT_MEM_MAP,
		FASTRPC_INIT_MEM_UNMAP,
	};
	char path[64], arg[64] = {};
	struct fastrpc_invoke_args a = frpc_arg(arg, sizeof(arg));
	unsigned int i, round;
	struct frpc f;
	int ret;

	FRPC_CHECK(geteuid() != 0, "run this one as an unprivileged user");
	snprintf(path, sizeof(path), "/dev/fastrpc-%s-secure", domain);
	ret = open(path, O_RDWR);
	FRPC_CHECK(ret < 0 && errno == EACCES, "%s opened: %s", path,
		   ret < 0 ? strerror(errno) : "it did");
	printf("ok: %s: EACCES\n", path);
	FRPC_OK(frpc_open(&f, domain, 0));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			ret = frpc_invoke(&f, FASTRPC_HANDLE_INIT,
					  FASTRPC_SC(methods[i], 1, 0), &a);
			FRPC_CHECK(ret == -EPERM, "init method %u: %s", methods[i],
				   errname(ret));
		}
		printf("ok: every init-handle method by hand, %s: EPERM\n",
		       round ? "with a process" : "before any process");
		if (!round)
			FRPC_OK(frpc_attach(&f));
	}
	frpc_close(&f);
}

/* The second process of "cross": aims at the first one's state */
static int cross_other(int sock)
{
	struct fastrpc_invoke_args a[2];
	int64_t sum = 0;
	uint32_t v[4] = { 1, 2, 3, 4 }, h;
	uint64_t got = 0;
	struct facts x;
	int buf, theirs, ret;
	struct frpc f, t;

	recv_fds(sock, &x, sizeof(x), &buf, &theirs);
	frpc_session(&f, domain, 0, "memtest", &h);
	EXPECT(EINVAL, frpc_mem_unmap(&f, -1, x.mem_map_va, MAPLEN),
	       "MEM_UNMAP of the other client's address");
	EXPECT(EINVAL, frpc_mem_unmap(&f, buf, x.mem_map_va, MAPLEN),
	       "MEM_UNMAP of the other client's address with its passed dma-buf");
	EXPECT(EINVAL, frpc_munmap(&f, x.mmap_va, MAPLEN),
	       "MUNMAP of the other client's MMAP");
	EXPECT(EINVAL, frpc_free(&f, buf),
	       "FREE_DMA_BUFF of the other client's passed dma-buf");
	/* its handle number in our process: not its calculator */
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	ret = frpc_invoke(&f, x.calc, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a);
	FRPC_CHECK(ret != 0 || sum != 10, "the other client's calculator answered");
	printf("ok: the other client's calculator handle, invoked here: %s\n",
	       errname(ret));
	/* the DSP reading its addresses in our process: no map there */
	ret = frpc_memtest_checksum(&f, h, x.mem_map_va, MAPLEN, &got);
	FRPC_CHECK(ret != 0 && got != x.sum,
		   "read the other client's MEM_MAP: checksum %s",
		   ret ? "wrong" : "right");
	printf("ok: memtest on the other client's MEM_MAP address: %s\n",
	       errname(ret));
	frpc_close(&f);
	frpc_session(&f, domain, 0, "memtest", &h);
	ret = frpc_memtest_checksum(&f, h, x.mmap_va, MAPLEN, &got);
	FRPC_CHECK(ret != 0, "read the other client's MMAP");
	printf("ok: memtest on the other client's MMAP address: %s\n",
	       errname(ret));
	frpc_close(&f);
	/* its own fd, passed: we are that client, our memory is what goes */
	t = (struct frpc){ .fd = theirs };
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	FRPC_OK(frpc_invoke(&t, x.calc, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	FRPC_CHECK(sum == 10, "sum %lld through the passed fd", (long long)sum);
	printf("ok: through the passed fastrpc fd: that client's calculator, our data (sum 10)\n");
	close(theirs);
	close(buf);
	return 0;
}

static void cmd_cross(void)
{
	struct frpc_xbuf b;
	struct facts x = {};
	uint32_t mt;
	int sv[2], status;
	struct frpc f;
	pid_t pid;

	frpc_session(&f, domain, 0, "memtest", &mt);
	FRPC_OK(frpc_skel_open(&f, "calculator", &x.calc, NULL, 0));
	frpc_xbuf_alloc(&f, "fastrpc", MAPLEN, &b);
	frpc_fill(b.p, MAPLEN, 77);
	FRPC_OK(frpc_mem_map(&f, b.fd, (uintptr_t)b.p, MAPLEN, FASTRPC_MAP_FD,
			     0, &x.mem_map_va));
	FRPC_OK(frpc_mmap(&f, -1, FASTRPC_MMAP_ADD_PAGES, 0, MAPLEN, &x.mmap_va));
	FRPC_OK(frpc_memtest_fill(&f, mt, x.mmap_va, MAPLEN, 0x5a));
	FRPC_OK(frpc_memtest_checksum(&f, mt, x.mem_map_va, MAPLEN, &x.sum));
	FRPC_CHECK(x.sum == frpc_fnv1a64(b.p, MAPLEN), "checksum of our map");
	FRPC_CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	pid = fork();
	FRPC_CHECK(pid >= 0, "fork");
	if (!pid) {
		close(sv[0]);
		frpc_xbuf_free(&b);
		exit(cross_other(sv[1]));
	}
	close(sv[1]);
	send_fds(sv[0], &x, sizeof(x), b.fd, f.fd);
	FRPC_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		   !WEXITSTATUS(status), "the other process failed");
	/* all it tried left our state as it was */
	FRPC_CHECK(frpc_fdinfo(f.fd, "maps") == 2 &&
		   frpc_fdinfo(f.fd, "buffers") == 1,
		   "fdinfo maps %lld buffers %lld, want 2 and 1",
		   frpc_fdinfo(f.fd, "maps"), frpc_fdinfo(f.fd, "buffers"));
	FRPC_OK(frpc_memtest_checksum(&f, mt, x.mem_map_va, MAPLEN, &x.sum));
	FRPC_CHECK(x.sum == frpc_fnv1a64(b.p, MAPLEN), "our MEM_MAP changed");
	memset(b.p, 0x5a, MAPLEN);
	FRPC_OK(frpc_memtest_checksum(&f, mt, x.mmap_va, MAPLEN, &x.sum));
	FRPC_CHECK(x.sum == frpc_fnv1a64(b.p, MAPLEN), "our MMAP changed");
	FRPC_OK(frpc_munmap(&f, x.mmap_va, MAPLEN));
	FRPC_OK(frpc_mem_unmap(&f, b.fd, x.mem_map_va, MAPLEN));
	FRPC_OK(frpc_free(&f, b.fd));
	printf("ok: the first client's maps and buffer intact, unmapped and freed by it\n");
	frpc_xbuf_free(&b);
	frpc_close(&f);
}

/* fork() as a child of the pid @tid (clone3 with set_tid: root) */
static pid_t fork_as(pid_t tid)
{
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/*
 * The newcomer with the old opener's pid: its attach must fail EBUSY, and
 * when @after, succeed. Exit status 0 when it went so.
 */
static int newcomer(int after, uint64_t va, uint64_t sum)
{
	uint64_t got = 0;
	struct frpc f;
	uint32_t h;
	int ret;

	FRPC_OK(frpc_open(&f, domain, 0));
	ret = frpc_attach(&f);
	if (!after && !ret) {
		/* it joined the old client's DSP process: show what it reads */
		FRPC_OK(frpc_skel_open(&f, "memtest", &h, NULL, 0));
		ret = frpc_memtest_checksum(&f, h, va, MAPLEN, &got);
		frpc_die("pid %d attached, joined the old client's DSP process; its MEM_MAP read: %s%s",
			 getpid(), errname(ret),
			 !ret && got == sum ? ", the right checksum" : "");
	}
	FRPC_CHECK(after ? ret == 0 : ret == -EBUSY,
		   "pid %d attach%s: %s", getpid(),
		   after ? " once the old fd is closed" : "", errname(ret));
	frpc_close(&f);
	return 0;
}

static void cmd_pid_reuse(void)
{
	int hold[2], report[2], status;
	struct frpc_xbuf b;
	pid_t opener, keeper, x;
	uint64_t fact[3];
	struct frpc f;
	uint32_t h;
	char c;

	FRPC_CHECK(pipe(hold) == 0 && pipe(report) == 0, "pipe");
	opener = fork();
	FRPC_CHECK(opener >= 0, "fork");
	if (!opener) {
		frpc_session(&f, domain, 0, "memtest", &h);
		frpc_xbuf_alloc(&f, "fastrpc", MAPLEN, &b);
		frpc_fill(b.p, MAPLEN, 99);
		FRPC_OK(frpc_mem_map(&f, b.fd, (uintptr_t)b.p, MAPLEN,
				     FASTRPC_MAP_FD, 0, &fact[0]));
		fact[1] = frpc_fnv1a64(b.p, MAPLEN);
		/* the keeper holds the fd after we are gone */
		keeper = fork();
		FRPC_CHECK(keeper >= 0, "fork");
		if (!keeper) {
			close(hold[1]);
			(void)!read(hold[0], &c, 1);
			/* the last reference: released when close returns */
			frpc_close(&f);
			FRPC_CHECK(write(report[1], "c", 1) == 1, "write");
			_exit(0);
		}
		fact[2] = keeper;
		FRPC_CHECK(write(report[1], fact, sizeof(fact)) == sizeof(fact),
			   "write");
		_exit(0);
	}
	close(hold[0]);
	FRPC_CHECK(read(report[0], fact, sizeof(fact)) == sizeof(fact),
		   "the opener failed");
	FRPC_CHECK(waitpid(opener, &status, 0) == opener, "waitpid");
	printf("ok: pid %d exited; its client lives on in pid %d\n", opener,
	       (int)fact[2]);
	x = fork_as(opener);
	FRPC_CHECK(x >= 0, "clone3 with set_tid %d: %s", opener, strerror(errno));
	if (!x)
		_exit(newcomer(0, fact[0], fact[1]));
	FRPC_CHECK(waitpid(x, &status, 0) == x && WIFEXITED(status) &&
		   !WEXITSTATUS(status), "the newcomer");
	printf("ok: another process as pid %d: its attach gets EBUSY while the old client lives\n",
	       opener);
	/* the keeper closes the old client */
	close(hold[1]);
	FRPC_CHECK(read(report[0], &c, 1) == 1, "the keeper failed");
	x = fork_as(opener);
	FRPC_CHECK(x >= 0, "clone3 with set_tid %d: %s", opener, strerror(errno));
	if (!x)
		_exit(newcomer(1, 0, 0));
	FRPC_CHECK(waitpid(x, &status, 0) == x && WIFEXITED(status) &&
		   !WEXITSTATUS(status), "the newcomer, after");
	printf("ok: once the old client is closed, a process as pid %d attaches\n",
	       opener);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: %s DOMAIN init-handle|cross|pid-reuse\n",
			argv[0]);
		return 2;
	}
	domain = argv[1];
	if (!strcmp(argv[2], "init-handle"))
		cmd_init_handle();
	else if (!strcmp(argv[2], "cross"))
		cmd_cross();
	else if (!strcmp(argv[2], "pid-reuse"))
		cmd_pid_reuse();
	else
		frpc_die("unknown scenario %s", argv[2]);
	return 0;
}
