// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_fuzz: the ioctl fuzzer. Every ioctl of the user ABI, and numbers
 * that are none of them, on every /dev/fastrpc-* node, from several
 * processes of several threads at once: random calls and call sequences
 * that make sense (a process created, then invoked, mapped, unmapped),
 * with fds, sizes, counts and pointers around every edge, while other
 * threads close the files and unmap the memory they name. Some pointers
 * (and some argument structs, their tail) lie on userfaultfd pages: the
 * driver's copy from or to them stalls until a thread of the fuzzer
 * serves the fault, at once, after a random while, or at the run's end
 * (the call's 2 s timer ends the wait first: EFAULT).
 *
 *   frpc_fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-p PROCS] [-j THREADS]
 *             [-r PERMILLE] [-w WATCHDOG_SECONDS] [-v] [-H]
 *
 * Stops after CALLS ioctls in all (default 2000) or SECONDS (default 0:
 * no bound), whichever comes first. -r turns the vdsp's response fuzzer
 * on for the run (PERMILLE replies in 1000 go out wrong; same seed).
 * Each thread draws its choices from a PRNG seeded from SEED and its
 * process and thread numbers: the same seed gives every thread the same
 * sequence of calls (what they find, fds and DSP state, depends on the
 * interleaving).
 *
 * Prints the totals: calls, results by errno per ioctl, duration, seed.
 * Exits 1 when something unexpected happened: a result outside the
 * documented errno set of that ioctl (docs/ARCHITECTURE.md, "ioctls and
 * their errors"), data that an echo call got wrong, a call in the kernel
 * past the watchdog, a process of the fuzzer killed by a signal, or the
 * driver's state not clean once every fuzzing process is gone (a client,
 * a call, a bank or, without -r, a DSP process or an orphan left).
 */
#include "frpc_common.h"
#include "frpc_uffd.h"

#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_PROCS	8
#define MAX_THREADS	8
#define MAX_NODES	16
#define NSLOTS		4	/* node fds per process */
#define NBUFS		6	/* dma-buf fds per process */
#define SCRATCH		(256 * 1024)
#define NRES		136	/* result index: 0 ok, errno, then below */
#define RES_DSP		134	/* not -1: the DSP's own code, as it is */
#define RES_HUGE	135	/* errno past 133: kernel-internal */

enum op {
	OP_INVOKE, OP_INIT_CREATE, OP_INIT_CREATE_STATIC, OP_INIT_ATTACH,
	OP_INIT_ATTACH_SNS, OP_ALLOC_DMA_BUFF, OP_FREE_DMA_BUFF, OP_MMAP,
	OP_MUNMAP, OP_MEM_MAP, OP_MEM_UNMAP, OP_GET_DSP_INFO, OP_UNKNOWN,
	OP_COUNT
};

/* OP_CLOSE: a close of a node, timed as the calls (no ioctl) */
#define OP_CLOSE	OP_COUNT

static const char *const op_names[OP_COUNT + 1] = {
	"INVOKE", "INIT_CREATE", "INIT_CREATE_STATIC", "INIT_ATTACH",
	"INIT_ATTACH_SNS", "ALLOC_DMA_BUFF", "FREE_DMA_BUFF", "MMAP",
	"MUNMAP", "MEM_MAP", "MEM_UNMAP", "GET_DSP_INFO", "unknown", "close",
};

/* What every process of the run shares (MAP_SHARED, before the forks) */
struct shared {
	uint64_t calls[OP_COUNT];
	uint64_t res[OP_COUNT][NRES];
	uint64_t unexpected, data_checked, forks, races, interrupted;
	uint64_t stalls, stalls_late, stalls_left;	/* userfaultfd faults */
	int no_uffd;			/* its errno when there is none */
	uint64_t total;			/* calls made */
	uint64_t slow, max_ns;		/* calls past 1 s; the slowest */
	int max_op;
	struct {
		uint64_t since_ns;	/* in a call since then; 0: not */
		int op;
	} hb[MAX_PROCS][MAX_THREADS];
	int hang;
};

static struct shared *S;

/* Options */
static uint64_t seed = 1;
static uint64_t max_calls = 2000;
static unsigned int seconds, nprocs = 3, nthreads = 3, permille;
static unsigned int watchdog_s = 60;
static int verbose;
/*
 * -H: every dma-buf from the driver's exporter, none from the system heap.
 * Without it, half are heap buffers: the driver maps one of those for one
 * context bank at a time (EBUSY on another meanwhile), and one of its own
 * for at most 8 banks at once (EBUSY past that), both documented results.
 */
static int driver_bufs_only;
static uint64_t deadline_ns;

/* The nodes */
static char nodes[MAX_NODES][64];
static unsigned int nnodes;

/* Per process */
static int slot_fd[NSLOTS];		/* node fds; -1 none */
static uint32_t slot_skel[NSLOTS];	/* echo's handle there, 0: none */
static int buf_fd[NBUFS];		/* dma-bufs: even driver, odd heap */
static int other_fd[4];			/* /dev/null, a pipe, a memfd, an eventfd */
static int last_closed = 100;		/* the number of an fd closed lately */
/* pointer targets, never our state (and each thread's buffer its own) */
static unsigned char *ro_page, *hole, *edge, *racy;
/*
 * userfaultfd pages (NULL without userfaultfd): their first touch waits
 * until stall_main() serves it; zapped again now and then
 */
#define STALL_PAGES	16
static unsigned char *stall;
static int uffd = -1;
static int threads_done;
static int proc_no;
static pid_t tids[MAX_THREADS];		/* for the watchdog's report */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* Per thread */
struct thr {
	uint64_t s;			/* xorshift64* state */
	int proc, no;
	timer_t timer;
	struct { int slot; uint64_t va, size; } mm[8];	/* MMAP results */
	struct { int slot, fd; uint64_t va, len; } mem[8];	/* MEM_MAP */
	unsigned char *buf;		/* this thread's part of scratch */
	/*
	 * Two pairs of pages, the second of each a userfaultfd page: an
	 * argument struct or array put across the edge stalls part way
	 */
	unsigned char *straddle;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t rnd(struct thr *t)
{
	uint64_t x = t->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	t->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct thr *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

static int chance(struct thr *t, unsigned int pct)
{
	return below(t, 100) < pct;
}

#define PICK(t, arr) ((arr)[below((t), sizeof(arr) / sizeof((arr)[0]))])

/* Sizes and counts around every edge the driver checks */
static uint64_t edge_size(struct thr *t)
{
	static const uint64_t sizes[] = {
		0, 1, 2, 7, 8, 11, 12, 15, 16, 127, 128, 4095, 4096, 4097,
		8192, 65535, 65536, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
		(2 << 20) - 1, 2 << 20, (2 << 20) + 1, (4 << 20) - 1, 4 << 20,
		(4 << 20) + 1, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0x100000001ull, 1ull << 63, ~0ull, ~0ull - 4095,
	};

	switch (below(t, 4)) {
	case 0:
		return below(t, 256);
	case 1:
		return below(t, 65536);
	default:
		return PICK(t, sizes);
	}
}

/* A length that fits the scratch area most of the time */
static uint64_t small_size(struct thr *t)
{
	return chance(t, 80) ? below(t, 4097) : edge_size(t);
}

/*
 * A user pointer: valid scratch, NULL, unmapped, kernel, non-canonical,
 * a read-only page, the last bytes before a hole, a dma-buf mapping,
 * memory another thread unmaps and maps again, or anything.
 */
static uint64_t fuzz_ptr(struct thr *t)
{
	static const uint64_t kernel[] = {
		0xffff888000000000ull, 0xffffffff81000000ull,
		0xffffffffffffff00ull, 0xfffffe0000000000ull,
	};

	switch (below(t, 13)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)hole + below(t, 4096);
	case 2:
		return PICK(t, kernel);
	case 3:
		return 0x0000800000000000ull + below(t, 4096);
	case 4:
		return (uintptr_t)ro_page + below(t, 4096);
	case 5:
		return (uintptr_t)edge + 4096 - below(t, 64);
	case 6:
		return (uintptr_t)racy + below(t, 8192);
	case 7:
		return rnd(t);
	case 8:
		return below(t, 1 << 20);
	case 9:
		if (stall)
			return (uintptr_t)stall + below(t, STALL_PAGES * FRPC_PAGE);
		/* fall through */
	default:
		return (uintptr_t)t->buf + below(t, 16384);
	}
}

/* An fd for an argument: dma-bufs, closed, other files, nodes, junk */
static int fuzz_fd(struct thr *t)
{
	static const int junk[] = { -1, -1, 0, -2, -5, 1000, INT_MAX, INT_MIN };

	switch (below(t, 8)) {
	case 0:
	case 1:
	case 2:
		return __atomic_load_n(&buf_fd[below(t, NBUFS)], __ATOMIC_RELAXED);
	case 3:
		return __atomic_load_n(&last_closed, __ATOMIC_RELAXED);
	case 4:
		return other_fd[below(t, 4)];
	case 5:
		return __atomic_load_n(&slot_fd[below(t, NSLOTS)], __ATOMIC_RELAXED);
	default:
		return PICK(t, junk);
	}
}

static int node_fd(struct thr *t, int *slot)
{
	*slot = below(t, NSLOTS);
	/* sometimes the call goes to a file that is no node at all */
	if (chance(t, 3))
		return other_fd[below(t, 4)];
	return __atomic_load_n(&slot_fd[*slot], __ATOMIC_RELAXED);
}

/* --- results ------------------------------------------------------------ */

static int errno_in(int e, const int *set)
{
	for (; *set; set++)
		if (*set == e)
			return 1;
	return 0;
}

/* Every errno the driver documents for some ioctl, or for any call */
static const int driver_errnos[] = {
	EFAULT, ENOTTY, EPIPE, EPERM, ESRCH, EAGAIN, EINVAL, EBADF, E2BIG,
	EBUSY, EINTR, ENOSPC, ECONNREFUSED, ENOMEM, ECHRNG, EOVERFLOW,
	EOPNOTSUPP, EREMOTEIO, ENODEV, EMFILE, ENOEXEC, 0
};

/* What the vdsp answers on its own (the calls that reach the DSP pass it) */
static const int dsp_errnos[] = {
	EINVAL, ENOMEM, EFAULT, ENOENT, ENODEV, EALREADY, EBUSY, EBADF,
	ETIMEDOUT, ESRCH, EPIPE, EPERM, ENOEXEC, EMSGSIZE, EMFILE, EIO,
	EEXIST, 0
};

/* Calls that reach the DSP: its answer is their result */
static int reaches_dsp(enum op op)
{
	return op != OP_ALLOC_DMA_BUFF && op != OP_FREE_DMA_BUFF &&
	       op != OP_UNKNOWN;
}

/* @ret: 0, -errno (-4095..-1), or else a code the call returned as is */
static int expected(enum op op, long ret)
{
	int e = -ret;

	if (ret > 0 || ret < -4095)
		/* INVOKE returns the DSP's code (AEE: 0x8000xxxx) unchanged */
		return op == OP_INVOKE;
	if (!ret)
		return op != OP_UNKNOWN;
	if (e >= 512)
		return 0;	/* ERESTARTSYS and the like must never leak */
	if (op == OP_UNKNOWN)
		return e == ENOTTY || e == EBADF;
	if (errno_in(e, driver_errnos))
		return 1;
	if (!reaches_dsp(op))
		return 0;
	/* a fuzzed DSP may answer any errno: the driver passes it */
	return permille || errno_in(e, dsp_errnos);
}

static void record(struct thr *t, enum op op, long ret, const char *what)
{
	int idx;

	if (ret > 0 || ret < -4095)
		idx = RES_DSP;
	else if (-ret >= RES_DSP)
		idx = RES_HUGE;
	else
		idx = -ret;
	__atomic_fetch_add(&S->total, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&S->calls[op], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&S->res[op][idx], 1, __ATOMIC_RELAXED);
	if (ret == -EINTR)
		__atomic_fetch_add(&S->interrupted, 1, __ATOMIC_RELAXED);
	if (expected(op, ret))
		return;
	__atomic_fetch_add(&S->unexpected, 1, __ATOMIC_RELAXED);
	/* dprintf: no stdio lock (a forked child may call this) */
	dprintf(2, "UNEXPECTED: process %d thread %d: %s %s: %ld (%s)\n",
		t->proc, t->no, op_names[op], what, ret,
		ret < 0 && ret >= -4095 ? strerrorname_np(-ret) ? : "?" :
		"the DSP's code");
}

/* Interrupts a call still in the kernel after 2 s: EINTR, no restart */
static void on_alarm(int sig)
{
	(void)sig;
}

static void arm(struct thr *t, enum op op)
{
	struct itimerspec its = { .it_value = { .tv_sec = 2 } };

	S->hb[t->proc][t->no].op = op;
	__atomic_store_n(&S->hb[t->proc][t->no].since_ns, now_ns(),
			 __ATOMIC_RELAXED);
	timer_settime(t->timer, 0, &its, NULL);
}

static void disarm(struct thr *t)
{
	struct itimerspec its = { 0 };
	uint64_t ns = now_ns() - S->hb[t->proc][t->no].since_ns;

	timer_settime(t->timer, 0, &its, NULL);
	__atomic_store_n(&S->hb[t->proc][t->no].since_ns, 0, __ATOMIC_RELAXED);
	if (ns > 1000000000ull)
		__atomic_fetch_add(&S->slow, 1, __ATOMIC_RELAXED);
	if (ns > S->max_ns) {	/* racy, but only a figure for the totals */
		S->max_ns = ns;
		S->max_op = S->hb[t->proc][t->no].op;
	}
}

/* -1 and errno from the kernel; any other value is the DSP's code */
static long sys_ioctl(int fd, unsigned long req, void *arg)
{
	long ret = ioctl(fd, req, arg);

	return ret == -1 ? -errno : ret;
}

/* One ioctl, timed, interruptible, recorded: its result */
static long call(struct thr *t, enum op op, int fd, unsigned long req,
		 void *arg, const char *what)
{
	long ret;

	arm(t, op);
	ret = sys_ioctl(fd, req, arg);
	disarm(t);
	record(t, op, ret, what);
	return ret;
}

/*
 * Now and then @arg (@size bytes) moved to the end of one of the thread's
 * straddle pages (pair @pair), its tail on the userfaultfd page after it:
 * the driver's copy of it stalls part way. The moved head is a copy; the
 * tail reads as the fault's server fills the page. Else @arg itself.
 */
static void *straddle(struct thr *t, int pair, void *arg, size_t size)
{
	unsigned char *edge_at, *wait_page;
	size_t head;

	if (!t->straddle || !size || !chance(t, 5))
		return arg;
	wait_page = t->straddle + (2 * pair + 1) * FRPC_PAGE;
	/* missing again: the next touch faults */
	madvise(wait_page, FRPC_PAGE, MADV_DONTNEED);
	head = below(t, size < FRPC_PAGE ? size : FRPC_PAGE);
	edge_at = wait_page - head;
	memcpy(edge_at, arg, head);
	return edge_at;
}

/* --- the ioctls ---------------------------------------------------------- */

static void fill_args(struct thr *t, struct fastrpc_invoke_args *a,
		      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		a[i].ptr = chance(t, 70) ? (uintptr_t)t->buf + below(t, 8192) :
			fuzz_ptr(t);
		a[i].length = small_size(t);
		a[i].fd = chance(t, 70) ? -1 : fuzz_fd(t);
		a[i].attr = chance(t, 85) ? 0 :
			chance(t, 50) ? FASTRPC_ATTR_SECUREMAP : (uint32_t)rnd(t);
	}
}

static uint32_t fuzz_sc(struct thr *t, uint32_t *nargs)
{
	uint32_t sc;

	switch (below(t, 4)) {
	case 0:
		sc = (uint32_t)rnd(t);
		break;
	case 1:
		sc = FASTRPC_SC_BUILD(below(t, 8), below(t, 32), PICK(t,
			((const int[]){ 0, 1, 2, 254, 255 })), below(t, 4),
			below(t, 16), below(t, 16));
		break;
	default:
		sc = FASTRPC_SC_BUILD(0, below(t, 8), below(t, 4), below(t, 4),
				      below(t, 2), below(t, 2));
	}
	*nargs = FASTRPC_SC_NARGS(sc);
	return sc;
}

static void do_invoke(struct thr *t)
{
	static __thread struct fastrpc_invoke_args args[600];
	static const uint32_t handles[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x1000, 0x1001, 0xffffffff,
	};
	struct fastrpc_invoke inv;
	uint32_t nargs;
	int slot, fd = node_fd(t, &slot);
	uint32_t skel = __atomic_load_n(&slot_skel[slot], __ATOMIC_RELAXED);

	inv.handle = skel && chance(t, 50) ? skel :
		chance(t, 80) ? PICK(t, handles) : (uint32_t)rnd(t);
	inv.sc = fuzz_sc(t, &nargs);
	fill_args(t, args, nargs);
	inv.args = chance(t, 90) ? (uintptr_t)straddle(t, 1, args,
			nargs * sizeof(args[0])) : fuzz_ptr(t);
	call(t, OP_INVOKE, fd, FASTRPC_IOCTL_INVOKE,
	     straddle(t, 0, &inv, sizeof(inv)), "random");
}

/* An echo call with good buffers: when it succeeds its data must be right */
static void do_echo(struct thr *t, int slot)
{
	struct fastrpc_invoke_args a[4];
	struct fastrpc_invoke inv;
	unsigned int n = 1 + below(t, 2), i;
	uint32_t fill = rnd(t);
	size_t len = 1 + below(t, 2048);
	unsigned char *in = t->buf + 32768, *out = in + 8192;
	long ret;

	for (i = 0; i < n; i++) {
		frpc_fill(in + i * 2048, len, fill + i);
		memset(out + i * 2048, 0, len);
		a[i] = frpc_arg(in + i * 2048, len);
		a[n + i] = frpc_arg(out + i * 2048, len);
	}
	inv = (struct fastrpc_invoke){
		.handle = __atomic_load_n(&slot_skel[slot], __ATOMIC_RELAXED),
		.sc = FASTRPC_SC(ECHO_METHOD_COPY, n, n),
		.args = (uintptr_t)a,
	};
	ret = call(t, OP_INVOKE, __atomic_load_n(&slot_fd[slot], __ATOMIC_RELAXED),
		   FASTRPC_IOCTL_INVOKE, &inv, "echo");
	if (ret || permille)
		return;
	__atomic_fetch_add(&S->data_checked, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		if (frpc_mismatch(out + i * 2048, len, fill + i) < 0)
			continue;
		__atomic_fetch_add(&S->unexpected, 1, __ATOMIC_RELAXED);
		fprintf(stderr, "UNEXPECTED: process %d thread %d: echo of %zu bytes returned 0 with wrong data\n",
			t->proc, t->no, len);
	}
}

static void do_create(struct thr *t, int fd)
{
	struct fastrpc_init_create c = { 0 };
	unsigned char *elf = t->buf + 65536;
	size_t len = chance(t, 60) ? 4096 : 65536;

	frpc_hexagon_shell(elf, len);
	if (chance(t, 20))
		elf[below(t, 64)] ^= 1 << below(t, 8);
	c.filelen = chance(t, 60) ? len : edge_size(t);
	c.file = chance(t, 80) ? (uintptr_t)elf : fuzz_ptr(t);
	c.filefd = chance(t, 80) ? -1 : fuzz_fd(t);
	c.siglen = chance(t, 80) ? 0 : edge_size(t);
	c.attrs = chance(t, 70) ? 0 : (uint32_t)rnd(t);
	call(t, OP_INIT_CREATE, fd, FASTRPC_IOCTL_INIT_CREATE,
	     chance(t, 95) ? straddle(t, 0, &c, sizeof(c)) :
	     (void *)(uintptr_t)fuzz_ptr(t), "");
}

static void do_create_static(struct thr *t, int fd)
{
	static const char *const names[] = { "audiopd", "sensorspd", "ootpd", "" };
	struct fastrpc_init_create_static c = { 0 };
	char *name = (char *)t->buf + 196608;

	snprintf(name, 256, "%s", PICK(t, names));
	if (chance(t, 20))
		memset(name, 'a' + below(t, 26), 200);
	c.namelen = chance(t, 60) ? strlen(name) + 1 :
		PICK(t, ((const uint32_t[]){ 0, 1, 2, 128, 129, 4096, ~0u }));
	c.memlen = PICK(t, ((const uint32_t[]){ 0, 4096, 1 << 20, 3 << 20,
						 0x7fffffff, ~0u }));
	c.name = chance(t, 85) ? (uintptr_t)name : fuzz_ptr(t);
	call(t, OP_INIT_CREATE_STATIC, fd, FASTRPC_IOCTL_INIT_CREATE_STATIC,
	     straddle(t, 0, &c, sizeof(c)), "");
}

static void do_alloc(struct thr *t, int fd)
{
	struct fastrpc_alloc_dma_buf a = {
		.size = chance(t, 60) ? 4096 * (1 + below(t, 16)) : edge_size(t),
		.flags = chance(t, 90) ? 0 : (uint32_t)rnd(t),
		.fd = -1,
	};
	int old, i = 2 * below(t, NBUFS / 2);

	if (call(t, OP_ALLOC_DMA_BUFF, fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &a,
		 "") || a.fd < 0)
		return;
	old = __atomic_exchange_n(&buf_fd[i], a.fd, __ATOMIC_RELAXED);
	if (old >= 0) {
		close(old);
		__atomic_store_n(&last_closed, old, __ATOMIC_RELAXED);
	}
}

static void do_free(struct thr *t, int fd)
{
	uint32_t x = chance(t, 70) ? (uint32_t)fuzz_fd(t) : (uint32_t)rnd(t);

	call(t, OP_FREE_DMA_BUFF, fd, FASTRPC_IOCTL_FREE_DMA_BUFF, &x, "");
}

static void do_mmap(struct thr *t, int fd, int slot)
{
	static const uint32_t flags[] = {
		FASTRPC_MMAP_ADD_PAGES, FASTRPC_MMAP_ADD_PAGES_LLC,
		FASTRPC_MMAP_DMA_BUFFER, FASTRPC_MMAP_REMOTE_HEAP_ADDR, 0, 1,
		0xffffffff,
	};
	struct fastrpc_req_mmap m = {
		.fd = chance(t, 40) ? -1 : fuzz_fd(t),
		.flags = PICK(t, flags),
		.vaddrin = chance(t, 85) ? 0 : fuzz_ptr(t),
		.size = chance(t, 70) ? 4096 * (1 + below(t, 8)) : edge_size(t),
	};
	int i = below(t, 8);
	struct fastrpc_req_mmap *arg = straddle(t, 0, &m, sizeof(m));

	if (call(t, OP_MMAP, fd, FASTRPC_IOCTL_MMAP, arg, ""))
		return;
	/* the driver read all of it: no fault left there */
	m = *arg;
	t->mm[i].slot = slot;
	t->mm[i].va = m.vaddrout;
	t->mm[i].size = m.size;
}

static void do_munmap(struct thr *t, int fd, int slot)
{
	int i = below(t, 8);
	struct fastrpc_req_munmap u = {
		.vaddrout = t->mm[i].va, .size = t->mm[i].size,
	};

	if (t->mm[i].slot != slot || chance(t, 30)) {
		u.vaddrout = chance(t, 50) ? u.vaddrout + below(t, 3) * 4096 - 4096 : rnd(t);
		u.size = chance(t, 50) ? u.size + below(t, 3) - 1 : edge_size(t);
	}
	if (!call(t, OP_MUNMAP, fd, FASTRPC_IOCTL_MUNMAP,
		  straddle(t, 0, &u, sizeof(u)), ""))
		t->mm[i].va = 0;
}

static void do_mem_map(struct thr *t, int fd, int slot)
{
	struct fastrpc_mem_map m = {
		.version = chance(t, 90) ? 0 : (int32_t)rnd(t),
		.fd = chance(t, 80) ? __atomic_load_n(&buf_fd[below(t, NBUFS)],
						      __ATOMIC_RELAXED) : fuzz_fd(t),
		.offset = chance(t, 70) ? 0 : PICK(t, ((const int32_t[]){
			1, 4095, 4096, 8192, -4096, INT_MAX })),
		.flags = chance(t, 70) ? FASTRPC_MAP_FD : below(t, 20),
		.vaddrin = chance(t, 60) ? 0 : fuzz_ptr(t),
		.length = chance(t, 70) ? 4096 * (1 + below(t, 4)) : edge_size(t),
		.attrs = chance(t, 85) ? 0 : (int32_t)rnd(t),
	};
	int i = below(t, 8);
	struct fastrpc_mem_map *arg = straddle(t, 0, &m, sizeof(m));

	if (call(t, OP_MEM_MAP, fd, FASTRPC_IOCTL_MEM_MAP, arg, ""))
		return;
	m = *arg;
	t->mem[i].slot = slot;
	t->mem[i].fd = m.fd;
	t->mem[i].va = m.vaddrout;
	t->mem[i].len = m.length;
}

static void do_mem_unmap(struct thr *t, int fd, int slot)
{
	int i = below(t, 8);
	struct fastrpc_mem_unmap u = {
		.fd = t->mem[i].fd, .vaddr = t->mem[i].va,
		.length = t->mem[i].len,
	};

	if (t->mem[i].slot != slot || chance(t, 30)) {
		u.fd = chance(t, 50) ? -1 : fuzz_fd(t);
		u.vaddr = chance(t, 50) ? u.vaddr + 4096 : rnd(t);
		u.length = edge_size(t);
	}
	if (!call(t, OP_MEM_UNMAP, fd, FASTRPC_IOCTL_MEM_UNMAP,
		  straddle(t, 0, &u, sizeof(u)), ""))
		t->mem[i].va = 0;
}

static void do_info(struct thr *t, int fd)
{
	struct fastrpc_ioctl_capability c = {
		.domain = chance(t, 80) ? below(t, 7) : (uint32_t)rnd(t),
		.attribute_id = chance(t, 80) ? below(t, 260) : (uint32_t)rnd(t),
	};

	call(t, OP_GET_DSP_INFO, fd, FASTRPC_IOCTL_GET_DSP_INFO,
	     chance(t, 95) ? straddle(t, 0, &c, sizeof(c)) :
	     (void *)(uintptr_t)fuzz_ptr(t), "");
}

/* Numbers that are no ioctl of ours: ENOTTY, whatever the argument */
static void do_unknown(struct thr *t, int fd)
{
	static const unsigned int known[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					      11, 13 };
	unsigned int nr, dir = below(t, 4), size = below(t, 1 << 14);
	unsigned long req;

	switch (below(t, 3)) {
	case 0:	/* ours, with the wrong direction or size */
		nr = PICK(t, known);
		req = _IOC(dir, 'R', nr, size);
		break;
	case 1:	/* 'R' numbers nobody uses */
		nr = PICK(t, ((const unsigned int[]){ 0, 12, 14, 15, 64, 255 }));
		req = _IOC(dir, 'R', nr, size);
		break;
	default: /* another letter (none the VFS or dma-buf answer) */
		req = _IOC(dir, PICK(t, ((const unsigned char[]){ 'Q', 'r', 'Z', 0xfe })),
			   below(t, 256), size);
	}
	switch (req) {
	case FASTRPC_IOCTL_ALLOC_DMA_BUFF: case FASTRPC_IOCTL_FREE_DMA_BUFF:
	case FASTRPC_IOCTL_INVOKE: case FASTRPC_IOCTL_INIT_ATTACH:
	case FASTRPC_IOCTL_INIT_CREATE: case FASTRPC_IOCTL_MMAP:
	case FASTRPC_IOCTL_MUNMAP: case FASTRPC_IOCTL_INIT_ATTACH_SNS:
	case FASTRPC_IOCTL_INIT_CREATE_STATIC: case FASTRPC_IOCTL_MEM_MAP:
	case FASTRPC_IOCTL_MEM_UNMAP: case FASTRPC_IOCTL_GET_DSP_INFO:
		return;	/* drew a real one */
	}
	call(t, OP_UNKNOWN, fd, req, (void *)(uintptr_t)fuzz_ptr(t), "");
}

/* --- files and memory that other threads change under the calls -------- */

static void slot_replace(struct thr *t, int slot, int fd)
{
	int old;

	pthread_mutex_lock(&slots_lock);
	__atomic_store_n(&slot_skel[slot], 0, __ATOMIC_RELAXED);
	old = __atomic_exchange_n(&slot_fd[slot], fd, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&slots_lock);
	if (old >= 0) {
		arm(t, OP_CLOSE);
		close(old);
		disarm(t);
		__atomic_store_n(&last_closed, old, __ATOMIC_RELAXED);
	}
}

static int open_node(struct thr *t)
{
	return open(nodes[below(t, nnodes)], O_RDWR | O_CLOEXEC);
}

/* libfrpc's calls (the skel open) are counted as ours */
static void trace_call(void *arg, const char *what, int ret)
{
	record(arg, OP_INVOKE, ret, what);
}

/* A sequence that makes sense: open, a process, echo, maps, unmaps */
static void do_sequence(struct thr *t)
{
	int slot = below(t, NSLOTS), fd = open_node(t);
	struct frpc f = { .fd = fd, .trace = trace_call, .trace_arg = t };
	uint32_t h;

	if (fd < 0)
		return;
	slot_replace(t, slot, fd);
	if (chance(t, 70))
		call(t, OP_INIT_ATTACH, fd, FASTRPC_IOCTL_INIT_ATTACH, NULL, "sequence");
	else
		do_create(t, fd);
	arm(t, OP_INVOKE);
	if (!frpc_skel_open(&f, "echo", &h, NULL, 0))
		__atomic_store_n(&slot_skel[slot], h, __ATOMIC_RELAXED);
	disarm(t);
	do_echo(t, slot);
	do_mmap(t, fd, slot);
	do_mem_map(t, fd, slot);
	do_echo(t, slot);
	if (chance(t, 50))
		do_munmap(t, fd, slot);
	if (chance(t, 50))
		do_mem_unmap(t, fd, slot);
}

/* Memory the calls point at, unmapped and mapped again meanwhile */
static void do_race_unmap(struct thr *t)
{
	__atomic_fetch_add(&S->races, 1, __ATOMIC_RELAXED);
	if (stall && chance(t, 25)) {
		/* the stalled pages missing again: their next touch waits */
		madvise(stall, STALL_PAGES * FRPC_PAGE, MADV_DONTNEED);
	} else if (chance(t, 50)) {
		mprotect(racy, 8192, chance(t, 50) ? PROT_NONE : PROT_READ);
		usleep(below(t, 2000));
		mprotect(racy, 8192, PROT_READ | PROT_WRITE);
	} else {
		/* replaced, never unmapped: no other mapping may land there */
		mmap(racy, 8192, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		usleep(below(t, 2000));
		mmap(racy, 8192, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
}

/* A child that calls on the files it inherited, then exits */
static void do_fork(struct thr *t)
{
	struct fastrpc_ioctl_capability c = { .domain = 3, .attribute_id = 1 };
	int fd = __atomic_load_n(&slot_fd[below(t, NSLOTS)], __ATOMIC_RELAXED);
	struct fastrpc_invoke inv = { .handle = 2, .sc = 0 };
	pid_t pid;
	long r;

	__atomic_fetch_add(&S->forks, 1, __ATOMIC_RELAXED);
	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		/* no locks here: another thread of the parent may hold them */
		r = sys_ioctl(fd, FASTRPC_IOCTL_INVOKE, &inv);
		record(t, OP_INVOKE, r, "forked child");
		r = sys_ioctl(fd, FASTRPC_IOCTL_GET_DSP_INFO, &c);
		record(t, OP_GET_DSP_INFO, r, "forked child");
		r = sys_ioctl(fd, FASTRPC_IOCTL_INIT_ATTACH, NULL);
		record(t, OP_INIT_ATTACH, r, "forked child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void one(struct thr *t)
{
	int slot, fd = node_fd(t, &slot);
	unsigned int w = below(t, 100);

	if (w < 22)
		do_invoke(t);
	else if (w < 30)
		do_sequence(t);
	else if (w < 34)
		do_echo(t, slot);
	else if (w < 37)
		call(t, OP_INIT_ATTACH, fd, FASTRPC_IOCTL_INIT_ATTACH, NULL, "");
	else if (w < 39)
		call(t, OP_INIT_ATTACH_SNS, fd, FASTRPC_IOCTL_INIT_ATTACH_SNS, NULL, "");
	else if (w < 43)
		do_create(t, fd);
	else if (w < 46)
		do_create_static(t, fd);
	else if (w < 51)
		do_alloc(t, fd);
	else if (w < 55)
		do_free(t, fd);
	else if (w < 61)
		do_mmap(t, fd, slot);
	else if (w < 65)
		do_munmap(t, fd, slot);
	else if (w < 71)
		do_mem_map(t, fd, slot);
	else if (w < 75)
		do_mem_unmap(t, fd, slot);
	else if (w < 80)
		do_info(t, fd);
	else if (w < 86)
		do_unknown(t, fd);
	else if (w < 92)
		slot_replace(t, slot, chance(t, 80) ? open_node(t) : -1);
	else if (w < 98)
		do_race_unmap(t);
	else
		do_fork(t);
}

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGUSR1,
	};

	sev._sigev_un._tid = syscall(SYS_gettid);
	tids[t->no] = sev._sigev_un._tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t->timer))
		frpc_die("timer_create: %s", strerror(errno));
	/* an operation may make a few calls: the last ones overshoot a little */
	while ((!max_calls || __atomic_load_n(&S->total, __ATOMIC_RELAXED) < max_calls) &&
	       (!deadline_ns || now_ns() < deadline_ns) && !S->hang)
		one(t);
	timer_delete(t->timer);
	return NULL;
}

/* The stack of a thread stuck in the kernel, for the report */
static void print_stack(pid_t tid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "    %s", line);
	fclose(f);
}

static void *watchdog_main(void *arg)
{
	unsigned int i;
	uint64_t since;

	for (;;) {
		sleep(1);
		for (i = 0; i < nthreads; i++) {
			since = __atomic_load_n(&S->hb[proc_no][i].since_ns,
						__ATOMIC_RELAXED);
			if (!since || now_ns() - since < watchdog_s * 1000000000ull)
				continue;
			fprintf(stderr, "UNEXPECTED: process %d thread %d: %s still in the kernel after %u s (watchdog); its stack:\n",
				proc_no, i, op_names[S->hb[proc_no][i].op], watchdog_s);
			print_stack(tids[i]);
			S->hang = 1;
			__atomic_fetch_add(&S->unexpected, 1, __ATOMIC_RELAXED);
			_exit(3);
		}
	}
	return arg;
}

/*
 * Memory the kernel may write through a "valid" pointer with any length:
 * followed by a hole past the largest copy one argument gets (4 MiB + 1,
 * the longest edge_size() below the driver's inline limit of 64 MiB), so
 * that no length reaches the fuzzer's own state.
 */
#define GUARD		(8u << 20)

static unsigned char *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len + GUARD, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED || mprotect(p, len, prot))
		frpc_die("mmap: %s", strerror(errno));
	return p;
}

/* A buffer of the driver's own, through the first node that gives one */
static int driver_alloc(uint64_t size)
{
	struct fastrpc_alloc_dma_buf a = { .size = size, .fd = -1 };
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		if (slot_fd[i] >= 0 &&
		    !ioctl(slot_fd[i], FASTRPC_IOCTL_ALLOC_DMA_BUFF, &a))
			return a.fd;
	frpc_die("ALLOC_DMA_BUFF of %" PRIu64 " bytes on every node: %s",
		 size, strerror(errno));
}

static void proc_setup(void)
{
	int i, p[2];
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */

	sigaction(SIGUSR1, &sa, NULL);
	ro_page = map_anon(4096, PROT_READ);
	/* not unmapped: another mapping could land in the hole */
	hole = map_anon(4096, PROT_NONE);
	edge = map_anon(8192, PROT_READ | PROT_WRITE);
	mprotect(edge + 4096, 4096, PROT_NONE);
	racy = map_anon(8192, PROT_READ | PROT_WRITE);
	if (pipe(p))
		frpc_die("pipe: %s", strerror(errno));
	other_fd[0] = open("/dev/null", O_RDWR | O_CLOEXEC);
	other_fd[1] = p[0];
	other_fd[2] = memfd_create("fuzz", MFD_CLOEXEC);
	other_fd[3] = eventfd(0, EFD_CLOEXEC);
	if (ftruncate(other_fd[2], 65536))
		frpc_die("ftruncate: %s", strerror(errno));
	for (i = 0; i < NSLOTS; i++) {
		slot_fd[i] = open(nodes[i % nnodes], O_RDWR | O_CLOEXEC);
		slot_skel[i] = 0;
	}
	for (i = 0; i < NBUFS; i++)
		buf_fd[i] = driver_bufs_only || !(i & 1) ?
			    driver_alloc(4096 * (1 + i)) :
			    frpc_heap_alloc(4096 * (1 + i));
}

/*
 * The userfaultfd's server, a thread of each process: each fault is held
 * a random while (none, up to 1.5 s, or until the run's end) and then
 * served with random bytes. A call waiting on a held fault ends at its 2 s
 * timer (the wait is interruptible), so a fault held past that finds no
 * waiter, or the next call's. At the end every fault is served at once.
 */
#define STALL_HELD	64

static int run_over(void)
{
	return (max_calls && __atomic_load_n(&S->total, __ATOMIC_RELAXED) >= max_calls) ||
	       (deadline_ns && now_ns() >= deadline_ns) || S->hang ||
	       __atomic_load_n(&threads_done, __ATOMIC_RELAXED);
}

static void *stall_main(void *arg)
{
	struct thr *t = arg;
	struct { uint64_t page, due; } held[STALL_HELD];
	static unsigned char fill[FRPC_PAGE];
	unsigned int n = 0, i;
	uint64_t page, now, next;
	int r, over, wait_ms;

	for (i = 0; i < FRPC_PAGE; i++)
		fill[i] = rnd(t);
	for (;;) {
		over = run_over();
		now = now_ns();
		next = UINT64_MAX;
		for (i = 0; i < n;) {
			if (over || held[i].due <= now || n == STALL_HELD) {
				frpc_uffd_serve(uffd, held[i].page, fill);
				held[i] = held[--n];
				continue;
			}
			if (held[i].due < next)
				next = held[i].due;
			i++;
		}
		if (over && __atomic_load_n(&threads_done, __ATOMIC_RELAXED))
			return NULL;
		wait_ms = next == UINT64_MAX ? 100 :
			  (int)((next - now) / 1000000 + 1);
		r = frpc_uffd_next(uffd, wait_ms < 100 ? wait_ms : 100, &page);
		if (r != 1)
			continue;
		__atomic_fetch_add(&S->stalls, 1, __ATOMIC_RELAXED);
		r = below(t, 100);
		if (r < 30 || over) {
			frpc_uffd_serve(uffd, page, fill);
			continue;
		}
		held[n].page = page;
		if (r < 85) {
			held[n].due = now_ns() + below(t, 1500) * 1000000ull;
			__atomic_fetch_add(&S->stalls_late, 1, __ATOMIC_RELAXED);
		} else {
			held[n].due = UINT64_MAX;	/* until the run's end */
			__atomic_fetch_add(&S->stalls_left, 1, __ATOMIC_RELAXED);
		}
		n++;
	}
}

/* The stalled pages and their server; none without userfaultfd */
static void stall_setup(struct thr *server, pthread_t *tid)
{
	int e;

	uffd = frpc_uffd_open();
	if (uffd < 0) {
		S->no_uffd = -uffd;
		return;
	}
	stall = map_anon(STALL_PAGES * FRPC_PAGE, PROT_READ | PROT_WRITE);
	e = frpc_uffd_register(uffd, stall, STALL_PAGES * FRPC_PAGE);
	if (e)
		frpc_die("UFFDIO_REGISTER: %s", strerror(-e));
	if (pthread_create(tid, NULL, stall_main, server))
		frpc_die("pthread_create");
}

/* A thread's straddle pages: two pairs, the second page of each stalls */
static unsigned char *straddle_pages(void)
{
	unsigned char *p;
	int e, i;

	if (!stall)
		return NULL;
	p = map_anon(4 * FRPC_PAGE, PROT_READ | PROT_WRITE);
	for (i = 1; i < 4; i += 2) {
		e = frpc_uffd_register(uffd, p + i * FRPC_PAGE, FRPC_PAGE);
		if (e)
			frpc_die("UFFDIO_REGISTER: %s", strerror(-e));
	}
	return p;
}

static int proc_main(int no)
{
	pthread_t th[MAX_THREADS], wd, server_tid;
	/* the last one: the userfaultfd's server */
	static struct thr thr[MAX_THREADS + 1];
	unsigned int i;

	proc_no = no;
	proc_setup();
	for (i = 0; i <= nthreads; i++) {
		thr[i] = (struct thr){
			.s = (seed * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)no << 32 | i) ^ 0x5bd1e995,
			.proc = no, .no = i,
		};
		rnd(&thr[i]);
	}
	stall_setup(&thr[nthreads], &server_tid);
	for (i = 0; i < nthreads; i++) {
		/* its own, guarded: no call reaches another's */
		thr[i].buf = map_anon(SCRATCH, PROT_READ | PROT_WRITE);
		thr[i].straddle = straddle_pages();
		if (pthread_create(&th[i], NULL, thread_main, &thr[i]))
			frpc_die("pthread_create");
	}
	if (pthread_create(&wd, NULL, watchdog_main, NULL))
		frpc_die("pthread_create");
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	__atomic_store_n(&threads_done, 1, __ATOMIC_RELAXED);
	if (stall)
		pthread_join(server_tid, NULL);
	return 0;
}

/* --- setup, the vdsp's response fuzzer, totals, the state after --------- */

static void find_nodes(void)
{
	glob_t g;
	size_t i;

	if (glob("/dev/fastrpc-*", 0, NULL, &g))
		frpc_die("no /dev/fastrpc-* node");
	for (i = 0; i < g.gl_pathc && nnodes < MAX_NODES; i++)
		snprintf(nodes[nnodes++], sizeof(nodes[0]), "%s", g.gl_pathv[i]);
	globfree(&g);
}

static void vdsp_knobs(uint64_t s, unsigned int pm)
{
	glob_t g;
	size_t i;
	char path[256];
	FILE *f;

	if (glob("/sys/kernel/debug/vdsp/*/fuzz_permille", 0, NULL, &g)) {
		if (pm)
			frpc_die("-r: no /sys/kernel/debug/vdsp/*/fuzz_permille");
		return;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		snprintf(path, sizeof(path), "%.*s/fuzz_seed",
			 (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]),
			 g.gl_pathv[i]);
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "%" PRIu64 "\n", s);
			fclose(f);
		}
		f = fopen(g.gl_pathv[i], "w");
		if (!f || fprintf(f, "%u\n", pm) < 0 || fclose(f))
			frpc_die("%s: %s", g.gl_pathv[i], strerror(errno));
	}
	globfree(&g);
}

static void print_totals(uint64_t ns)
{
	uint64_t total = 0, byerr[NRES] = { 0 };
	int op, e;

	for (op = 0; op < OP_COUNT; op++) {
		total += S->calls[op];
		if (!S->calls[op])
			continue;
		printf("  %-18s %8" PRIu64 ":", op_names[op], S->calls[op]);
		for (e = 0; e < NRES; e++) {
			if (!S->res[op][e])
				continue;
			byerr[e] += S->res[op][e];
			printf(" %s=%" PRIu64, !e ? "ok" : e == RES_DSP ?
			       "dsp-code" : e == RES_HUGE ? "errno>=134" :
			       strerrorname_np(e), S->res[op][e]);
		}
		printf("\n");
	}
	printf("results:");
	for (e = 0; e < NRES; e++)
		if (byerr[e])
			printf(" %s=%" PRIu64, !e ? "ok" : e == RES_DSP ?
			       "dsp-code" : e == RES_HUGE ? "errno>=134" :
			       strerrorname_np(e), byerr[e]);
	printf("\n");
	printf("calls: %" PRIu64 " ioctls in %.1f s (%u processes x %u threads, %u nodes); %" PRIu64 " echo results checked, %" PRIu64 " interrupted, %" PRIu64 " forks, %" PRIu64 " unmap races\n",
	       total, ns / 1e9, nprocs, nthreads, nnodes, S->data_checked,
	       S->interrupted, S->forks, S->races);
	printf("slowest: %s %.2f s; %" PRIu64 " calls past 1 s\n",
	       op_names[S->max_op], S->max_ns / 1e9, S->slow);
	if (S->no_uffd)
		printf("stalls: none (no userfaultfd: %s)\n",
		       strerrorname_np(S->no_uffd) ? : "?");
	else
		printf("stalls: %" PRIu64 " userfaultfd faults, %" PRIu64 " held up to 1.5 s, %" PRIu64 " held to the end\n",
		       S->stalls, S->stalls_late, S->stalls_left);
}

struct state_walk {
	const char *domain;
	int bad, report;
	unsigned long parked;	/* with -r: listener calls the vdsp holds */
	int held;		/* the channel's calls are those parked ones */
};

/*
 * With -r: the listener calls parked on the domain's DSP processes. An
 * attach the fuzzer answered wrong (retval, ctx_other) leaves its DSP
 * process without a release (docs/RELIABILITY.md, "An attach answered
 * wrong"), and a listener of that tgid parked on it stays in flight, its
 * bank used, until the DSP restarts: guest.sh and 031 restart a DSP that
 * holds a process and check it clean after.
 */
static unsigned long vdsp_parked(const char *domain)
{
	char path[128], line[512];
	unsigned long n = 0;
	const char *p;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vdsp/%s/processes",
		 domain);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "process ", 8) &&
		    (p = strstr(line, " parked=")))
			n += strtoul(p + 8, NULL, 10);
	fclose(f);
	return n;
}

static int state_line(void *arg, struct kvrec *r, const char *line)
{
	struct state_walk *w = arg;
	const char *v;

	if (!r)
		return 0;
	if (!strcmp(r->type, "channel") && permille &&
	    (v = kv_get(r, "pending")) && strcmp(v, "0") &&
	    strtoul(v, NULL, 10) <= w->parked) {
		w->held = 1;
		if (w->report)
			printf("left in %s for the DSP's restart (%lu listener calls parked on the vdsp): %s",
			       w->domain, w->parked, line);
	}
	if (!strcmp(r->type, "client") ||
	    (!strcmp(r->type, "channel") &&
	     ((!w->held && strcmp(kv_get(r, "pending") ? : "", "0")) ||
	      strcmp(kv_get(r, "clients") ? : "", "0") ||
	      (!permille && strcmp(kv_get(r, "orphans") ? : "", "0")))) ||
	    (!strcmp(r->type, "bank") && !w->held &&
	     (v = kv_get(r, "used")) && strcmp(v, "0"))) {
		if (verbose || w->report)
			printf("left in %s: %s", w->domain, line);
		w->bad = 1;
	}
	return 0;
}

/*
 * Every client gone, no call pending, no bank used; without -r no orphan.
 * 0: not clean, 1: clean, 2: clean but for listener calls parked on DSP
 * processes (-r only: see vdsp_parked()).
 */
static int state_clean(int report)
{
	struct state_walk w;
	int d, bad = 0, held = 0;

	for (d = 0; d < FASTRPC_DOMAIN_COUNT; d++) {
		w.domain = frpc_domain_name(d);
		w.bad = 0;
		w.report = report;
		w.parked = permille ? vdsp_parked(w.domain) : 0;
		w.held = 0;
		if (frpc_debugfs_each(w.domain, state_line, &w) == -ENOENT)
			continue;
		bad |= w.bad;
		held |= w.held;
	}
	return bad ? 0 : held ? 2 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: frpc_fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-p PROCS] [-j THREADS] [-r PERMILLE] [-w WATCHDOG_SECONDS] [-v] [-H]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_PROCS];
	uint64_t t0, ns;
	unsigned int i, crashed = 0;
	int c, status, clean, k;

	while ((c = getopt(argc, argv, "s:n:t:p:j:r:w:vH")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': max_calls = strtoull(optarg, NULL, 0); break;
		case 't': seconds = atoi(optarg); break;
		case 'p': nprocs = atoi(optarg); break;
		case 'j': nthreads = atoi(optarg); break;
		case 'r': permille = atoi(optarg); break;
		case 'w': watchdog_s = atoi(optarg); break;
		case 'v': verbose = 1; break;
		case 'H': driver_bufs_only = 1; break;
		default: usage();
		}
	}
	if (!nprocs || nprocs > MAX_PROCS || !nthreads ||
	    nthreads > MAX_THREADS || permille > 1000 || !watchdog_s)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_nodes();
	S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (S == MAP_FAILED)
		frpc_die("mmap: %s", strerror(errno));
	printf("frpc_fuzz: seed %" PRIu64 ", %" PRIu64 " calls at most, %u s at most, %u processes x %u threads, response fuzzer %u/1000\n",
	       seed, max_calls, seconds, nprocs, nthreads, permille);
	vdsp_knobs(seed, permille);
	t0 = now_ns();
	if (seconds)
		deadline_ns = t0 + seconds * 1000000000ull;
	for (i = 0; i < nprocs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			frpc_die("fork: %s", strerror(errno));
		if (!pids[i])
			_exit(proc_main(i));
	}
	for (i = 0; i < nprocs; i++) {
		if (waitpid(pids[i], &status, 0) < 0)
			continue;
		if (WIFSIGNALED(status) || WEXITSTATUS(status)) {
			crashed++;
			fprintf(stderr, "UNEXPECTED: process %u ended with %s %d\n", i,
				WIFSIGNALED(status) ? "signal" : "status",
				WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		}
	}
	ns = now_ns() - t0;
	vdsp_knobs(seed, 0);
	print_totals(ns);
	/* calls abandoned at close end with their response: give them time */
	for (k = 0; !(clean = state_clean(0)) && k < 300; k++)
		usleep(100000);
	/* what is left, if anything (with -r, held for the restart too) */
	clean = state_clean(1);
	printf("driver state after: %s\n",
	       clean == 2 ? "clean but for listener calls parked on DSP processes no release reached (the DSP's restart ends them)" :
	       clean ? "clean (no client, call or bank left)" : "NOT CLEAN");
	printf("unexpected: %" PRIu64 "\n", S->unexpected + crashed);
	printf("seed: %" PRIu64 " (replay: frpc_fuzz -s %" PRIu64 " -n %" PRIu64 " -t %u -p %u -j %u -r %u)\n",
	       seed, seed, max_calls, seconds, nprocs, nthreads, permille);
	return S->unexpected || crashed || !clean || S->hang ? 1 : 0;
}
