// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_stress: many invokes at once, every byte checked.
 *
 *   frpc_stress DOMAIN threads PROCS THREADS N
 *       PROCS processes, each with its own fd and THREADS threads that
 *       share it; every thread makes N echo calls of its own data (1 or 2
 *       buffer pairs of 1..3000 bytes) and checks what comes back.
 *   frpc_stress DOMAIN null-threads PROCS THREADS N
 *       the same with null calls (echo with no buffers); prints the rate.
 *   frpc_stress DOMAIN fd-threads PROCS THREADS N
 *       the same with dma-buf fd arguments: two driver dma-bufs made
 *       before the fork, so that every process's client shares them (on up
 *       to 8 banks); each process MEM_MAPs the second, then each call
 *       echoes a range of the first, passed by fd (the client's cached
 *       import), beside the second passed as a DMA handle by fd (imported
 *       anew each call, the DSP's fd list lets it go), bytes checked.
 *   frpc_stress DOMAIN outstanding N USEC
 *       N threads on one fd each call the sleep skel for USEC; succeeds
 *       once fdinfo showed all N pending at the same time and every call
 *       returned 0. USEC 0: each call parks on the DSP (listener next)
 *       until the process exits, which happens once all N are pending
 *       and the vdsp holds all N parked: no call can end before the
 *       others started, however slow the machine; each then returns
 *       AEE_EBADSTATE.
 *   frpc_stress DOMAIN shared EXPORTER THREADS N
 *       THREADS threads on one fd pass ranges of one dma-buf by fd (N echo
 *       calls each, bytes checked) while another thread MEM_MAPs and
 *       MEM_UNMAPs that same buffer N times: one import of it, shared by
 *       the invoke cache and the DSP mappings (each MEM_UNMAP drops the
 *       cached one); one cached map after a last call.
 *   frpc_stress DOMAIN rate N
 *       N echo calls of 64 bytes in one thread; prints calls per second.
 *   frpc_stress DOMAIN null WARM N [BYTES]
 *       WARM null calls (echo with no buffers) in one thread, then N more
 *       between two lines written to the tracefs trace_marker ("frpc_null
 *       start" and "frpc_null end", when tracefs is there), for a tracer
 *       to count what exactly those N calls did (tests/bench/allocs.sh);
 *       prints the N calls' mean time per call and rate. With BYTES, each
 *       call echoes BYTES of user memory into as many (checked at the end).
 *   frpc_stress DOMAIN percpu N
 *       one thread per online CPU, each pinned to its CPU, N checked echo
 *       calls each on one shared fd, started together; fails if a call
 *       ran elsewhere or if two calls were never in the driver at once.
 *   frpc_stress DOMAIN,DOMAIN... mixed THREADS N
 *       one process per listed domain (a domain may repeat; sdsp through
 *       its secure node), all at once; in each, THREADS threads on one
 *       session share out the roles echo (bytes checked), calculator sum
 *       (checked) + sleep, MMAP of driver memory (the DSP fills it and
 *       checksums it) + MUNMAP, ALLOC_DMA_BUFF + MEM_MAP (the DSP's
 *       checksum of the CPU's bytes) + MEM_UNMAP + FREE_DMA_BUFF; N rounds
 *       each. Beside each, a process makes N/10 dynamic PDs on the domain
 *       (create, an echo in it, close: release). Prints calls made and
 *       succeeded per kind, errors by errno, wrong data; then, for each
 *       domain, what it still holds (debugfs clients, pending, orphans,
 *       banks used; the vdsp's processes; the SMMU's mapped pages against
 *       their count at start, with a 5 s grace for closes in progress).
 *       Fails unless every call succeeded with its data and all came back,
 *       and each process's fdinfo showed nothing pending, mapped, owned or
 *       parked before its close.
 */
#include "frpc_common.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct worker {
	struct frpc *f;
	uint32_t handle;
	unsigned int id;
	unsigned long n;
	int err;
};

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Calls inside the invoke ioctl now, and the most seen at once */
static atomic_int in_driver, most_in_driver;

static int echo_counted(struct worker *w, struct fastrpc_invoke_args *a,
			unsigned int pairs)
{
	int now_in = atomic_fetch_add(&in_driver, 1) + 1;
	int seen = atomic_load(&most_in_driver);
	int ret;

	while (now_in > seen &&
	       !atomic_compare_exchange_weak(&most_in_driver, &seen, now_in))
		;
	ret = frpc_echo(w->f, w->handle, a, pairs);
	atomic_fetch_sub(&in_driver, 1);
	return ret;
}

/* One echo of one or two pairs, seeded by (worker, call) */
static int echo_checked(struct worker *w, unsigned long i, uint32_t *s)
{
	unsigned char in[2][3000], out[2][3000];
	struct fastrpc_invoke_args a[4];
	unsigned int pairs = 1 + (i % 5 == 0), k;
	size_t len[2];
	int ret;

	for (k = 0; k < pairs; k++) {
		len[k] = 1 + rnd(s) % sizeof(in[k]);
		frpc_fill(in[k], len[k], w->id * 1000003u + i * 2 + k);
		memset(out[k], 0, len[k]);
		a[k] = frpc_arg(in[k], len[k]);
		a[pairs + k] = frpc_arg(out[k], len[k]);
	}
	ret = echo_counted(w, a, pairs);
	if (ret)
		return ret;
	for (k = 0; k < pairs; k++)
		if (frpc_mismatch(out[k], len[k], w->id * 1000003u + i * 2 + k) >= 0)
			return -EILSEQ;
	return 0;
}

static void *echo_worker(void *arg)
{
	struct worker *w = arg;
	uint32_t s = w->id + 1;
	unsigned long i;

	for (i = 0; i < w->n && !w->err; i++)
		w->err = echo_checked(w, i, &s);
	return NULL;
}

/*
 * One echo of a random range (at most 4 KiB) of @x, @size bytes, passed
 * by fd, checked; beside it DMA handle @hfd of @hlen bytes, unless -1
 */
static int echo_xbuf_range(struct frpc *f, uint32_t handle,
			   const struct frpc_xbuf *x, size_t size, int hfd,
			   size_t hlen, uint32_t *s)
{
	static __thread unsigned char out[4096];
	struct fastrpc_invoke_args a[3];
	size_t len = 1 + rnd(s) % sizeof(out);
	size_t off = rnd(s) % (size - len);
	int ret;

	memset(out, 0, len);
	a[0] = frpc_arg_fd(x->fd, x->p + off, len);
	a[1] = frpc_arg(out, len);
	a[2] = frpc_arg_fd(hfd, NULL, hlen);
	ret = frpc_invoke(f, handle, FASTRPC_SC_BUILD(0, ECHO_METHOD_COPY, 1, 1,
						      hfd >= 0, 0), a);
	if (!ret && memcmp(out, x->p + off, len))
		ret = -EILSEQ;
	return ret;
}

static void *null_worker(void *arg)
{
	struct worker *w = arg;
	unsigned long i;

	for (i = 0; i < w->n && !w->err; i++)
		w->err = frpc_echo(w->f, w->handle, NULL, 0);
	return NULL;
}

/* fd-threads: the dma-bufs every process shares, and the first's DSP map */
#define FD_BUF_SIZE	(64 * 1024)
#define FD_HANDLE_SIZE	(8 * 1024)
static struct frpc_xbuf fd_buf, fd_handle;
static uint64_t fd_handle_va;

static void *fd_worker(void *arg)
{
	struct worker *w = arg;
	uint32_t s = w->id + 1;
	unsigned long i;

	for (i = 0; i < w->n && !w->err; i++)
		w->err = echo_xbuf_range(w->f, w->handle, &fd_buf, FD_BUF_SIZE,
					 fd_handle.fd, FD_HANDLE_SIZE, &s);
	return NULL;
}

/* What the threads of one "*threads" mode process do */
struct threads_kind {
	const char *what;
	void *(*run)(void *arg);
	bool fd;		/* MEM_MAP the shared handle buffer first */
};

static const struct threads_kind kind_echo = { "echo calls, every byte checked",
					       echo_worker, false };
static const struct threads_kind kind_null = { "null calls", null_worker,
					       false };
static const struct threads_kind kind_fd = {
	"echo calls of a shared dma-buf by fd beside a DMA handle, every byte checked",
	fd_worker, true };

/* One process of a "*threads" mode: exit status 0 when all checked out */
static int echo_process(const char *domain, unsigned int proc,
			unsigned int threads, unsigned long n,
			const struct threads_kind *kind)
{
	struct worker *w = calloc(threads, sizeof(*w));
	pthread_t *t = calloc(threads, sizeof(*t));
	unsigned int i, bad = 0;
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	if (kind->fd)
		FRPC_OK(frpc_mem_map(&f, fd_handle.fd, (uintptr_t)fd_handle.p,
				     FD_HANDLE_SIZE, FASTRPC_MAP_FD, 0,
				     &fd_handle_va));
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .f = &f, .handle = h, .n = n,
					.id = proc * threads + i };
		if (pthread_create(&t[i], NULL, kind->run, &w[i]))
			frpc_die("pthread_create");
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err) {
			fprintf(stderr, "FAIL: process %u thread %u: %s\n", proc,
				i, strerror(-w[i].err));
			bad++;
		}
	}
	if (kind->fd)
		FRPC_OK(frpc_mem_unmap(&f, fd_handle.fd, fd_handle_va,
				       FD_HANDLE_SIZE));
	frpc_close(&f);
	return bad ? 1 : 0;
}

static int mode_threads(const char *domain, unsigned int procs,
			unsigned int threads, unsigned long n,
			const struct threads_kind *kind)
{
	unsigned int i, bad = 0;
	struct frpc owner;
	double t0, dt;
	int status;

	/* the fd kind's dma-bufs: the driver's, so that 8 banks may share them */
	if (kind->fd) {
		FRPC_OK(frpc_open(&owner, domain, 0));
		frpc_xbuf_alloc(&owner, "fastrpc", FD_BUF_SIZE, &fd_buf);
		frpc_xbuf_alloc(&owner, "fastrpc", FD_HANDLE_SIZE, &fd_handle);
		frpc_fill(fd_buf.p, FD_BUF_SIZE, 11);
	}
	t0 = frpc_now();
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			frpc_die("fork: %s", strerror(errno));
		if (!pid)
			exit(echo_process(domain, i, threads, n, kind));
	}
	for (i = 0; i < procs; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	dt = frpc_now() - t0;
	if (kind->fd) {
		frpc_xbuf_free(&fd_buf);
		frpc_xbuf_free(&fd_handle);
		frpc_close(&owner);
	}
	if (bad)
		frpc_die("%u of %u processes saw wrong data or errors", bad, procs);
	printf("ok: %u processes x %u threads x %lu %s\n", procs, threads, n,
	       kind->what);
	printf("rate: %.0f calls/s (%lu calls in %.1f s)\n",
	       procs * threads * n / dt, procs * threads * n, dt);
	return 0;
}

struct sleeper {
	struct frpc *f;
	uint32_t handle;
	uint32_t us;
	int err;
};

static unsigned int sleepers_done;

/* @err: 0, or what the call returned (USEC 0: other than AEE_EBADSTATE) */
static void *sleep_worker(void *arg)
{
	struct sleeper *s = arg;
	int ret;

	if (s->us) {
		s->err = frpc_usleep(s->f, s->handle, s->us);
	} else {
		ret = frpc_invoke(s->f, FASTRPC_HANDLE_LISTENER,
				  FASTRPC_SC(LISTENER_METHOD_NEXT, 0, 0), NULL);
		if (ret != (int)FASTRPC_DSP_BAD_STATE)
			s->err = ret ?: -EPROTO;
	}
	__atomic_add_fetch(&sleepers_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * The listener calls the vdsp holds parked for process @tgid of @domain
 * (its debugfs "processes": "process tgid=T ... parked=N ..."); 0 if none
 */
static long long vdsp_parked(const char *domain, pid_t tgid)
{
	char path[96], line[512], want[32];
	long long parked = 0;
	FILE *fp;
	char *p;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vdsp/%s/processes",
		 domain);
	snprintf(want, sizeof(want), "process tgid=%d ", tgid);
	fp = fopen(path, "r");
	if (!fp)
		frpc_die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, want, strlen(want)) &&
		    (p = strstr(line, " parked=")))
			parked = strtoll(p + strlen(" parked="), NULL, 10);
	fclose(fp);
	return parked;
}

static int mode_outstanding(const char *domain, unsigned int n, uint32_t us)
{
	struct sleeper *s = calloc(n, sizeof(*s));
	pthread_t *t = calloc(n, sizeof(*t));
	long long pending, most = 0;
	unsigned int i, bad = 0;
	pthread_attr_t attr;
	struct frpc f;
	uint32_t h;
	int ret;

	frpc_session(&f, domain, 0, "sleep", &h);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		s[i] = (struct sleeper){ .f = &f, .handle = h, .us = us };
		ret = pthread_create(&t[i], &attr, sleep_worker, &s[i]);
		if (ret)
			frpc_die("pthread_create %u: %s", i, strerror(ret));
	}
	/* Watch until all n are in flight at once, or one has ended */
	do {
		pending = frpc_fdinfo(f.fd, "pending");
		if (pending > most)
			most = pending;
		usleep(20000);
	} while (most < n && !__atomic_load_n(&sleepers_done, __ATOMIC_SEQ_CST));
	/*
	 * In flight is sent, not yet parked: a runtime thread of the vdsp may
	 * still hold the last ones. One the exit below overtook would find no
	 * process (ESRCH) instead of ending parked (AEE_EBADSTATE).
	 */
	while (!us && most == n && vdsp_parked(domain, getpid()) < n &&
	       !__atomic_load_n(&sleepers_done, __ATOMIC_SEQ_CST))
		usleep(20000);
	if (!us) {
		/* @f is at its bound of calls in flight: exit through another */
		struct frpc g;

		frpc_session(&g, domain, 0, NULL, NULL);
		FRPC_OK(frpc_invoke(&g, FASTRPC_HANDLE_CURRENT_PROCESS,
				    FASTRPC_SC(CURRENT_PROCESS_METHOD_EXIT, 0, 0),
				    NULL));
		frpc_close(&g);
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		if (s[i].err && !bad++)
			fprintf(stderr, "call %u returned %d (%s)\n", i, s[i].err,
				s[i].err < 0 && s[i].err > -4096 ?
				strerror(-s[i].err) : "a DSP code");
	}
	printf("most pending at once: %lld of %u\n", most, n);
	if (most < n)
		frpc_die("never saw all %u calls in flight", n);
	if (bad)
		frpc_die("%u of %u sleep calls failed", bad, n);
	FRPC_CHECK(frpc_fdinfo(f.fd, "pending") == 0, "calls still pending");
	printf("ok: %u calls outstanding on one channel, all answered\n", n);
	frpc_close(&f);
	return 0;
}

#define SHARED_SIZE	(64 * 1024)

struct sharer {
	struct frpc *f;
	uint32_t handle;
	struct frpc_xbuf *x;
	unsigned int id;
	unsigned long n;
	int err;
	const char *what;
};

static void *shared_echo_worker(void *arg)
{
	struct sharer *w = arg;
	uint32_t s = w->id + 1;
	unsigned long i;

	for (i = 0; i < w->n && !w->err; i++) {
		w->what = "echo";
		w->err = echo_xbuf_range(w->f, w->handle, w->x, SHARED_SIZE, -1,
					 0, &s);
	}
	return NULL;
}

static void *shared_map_worker(void *arg)
{
	struct sharer *w = arg;
	unsigned long i;
	uint64_t va;

	for (i = 0; i < w->n && !w->err; i++) {
		w->what = "mem_map";
		w->err = frpc_mem_map(w->f, w->x->fd, (uintptr_t)w->x->p,
				      SHARED_SIZE, FASTRPC_MAP_FD, 0, &va);
		if (w->err)
			break;
		w->what = "mem_unmap";
		w->err = frpc_mem_unmap(w->f, w->x->fd, va, SHARED_SIZE);
	}
	return NULL;
}

static int mode_shared(const char *domain, const char *exporter,
		       unsigned int threads, unsigned long n)
{
	struct sharer *w = calloc(threads + 1, sizeof(*w));
	pthread_t *t = calloc(threads + 1, sizeof(*t));
	unsigned int i, bad = 0;
	struct frpc_xbuf x;
	long long maps0;
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	frpc_xbuf_alloc(&f, exporter, SHARED_SIZE, &x);
	frpc_fill(x.p, SHARED_SIZE, 42);
	maps0 = frpc_fdinfo(f.fd, "maps");
	for (i = 0; i <= threads; i++) {
		w[i] = (struct sharer){ .f = &f, .handle = h, .x = &x,
					.id = i, .n = n };
		if (pthread_create(&t[i], NULL, i < threads ? shared_echo_worker :
				   shared_map_worker, &w[i]))
			frpc_die("pthread_create");
	}
	for (i = 0; i <= threads; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err) {
			fprintf(stderr, "FAIL: thread %u: %s: %s\n", i,
				w[i].what, strerror(-w[i].err));
			bad++;
		}
	}
	if (bad)
		frpc_die("%u of %u threads failed", bad, threads + 1);
	/* MEM_UNMAP dropped the cached import: one more call caches it */
	w[0].n = 1;
	shared_echo_worker(&w[0]);
	FRPC_CHECK(!w[0].err, "last echo: %s", strerror(-w[0].err));
	FRPC_CHECK(frpc_fdinfo(f.fd, "maps") == maps0 + 1,
		   "fdinfo maps %lld, want %lld: one cached import",
		   frpc_fdinfo(f.fd, "maps"), maps0 + 1);
	printf("ok: %u threads x %lu echo calls on one %s dma-buf, %lu mem_map/unmap of it meanwhile\n",
	       threads, n, exporter, n);
	frpc_xbuf_free(&x);
	frpc_close(&f);
	return 0;
}

/*
 * A line in the trace buffer, if tracefs is mounted: it marks a window.
 * The file is opened before the window, so that its open is not in it.
 */
static void trace_mark(int fd, const char *what)
{
	if (fd >= 0 && write(fd, what, strlen(what)) < 0)
		fprintf(stderr, "trace_marker: %s\n", strerror(errno));
}

/* @n echo calls: none of @args (null calls), or one pair of them */
static void null_calls(struct frpc *f, uint32_t handle,
		       struct fastrpc_invoke_args *args, unsigned long n)
{
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = frpc_echo(f, handle, args, args ? 1 : 0);
		if (ret)
			frpc_die("%s call %lu: %s", args ? "echo" : "null", i,
				 strerror(-ret));
	}
}

static int mode_null(const char *domain, unsigned long warm, unsigned long n,
		     size_t bytes)
{
	struct fastrpc_invoke_args a[2], *args = NULL;
	unsigned char *in = NULL, *out = NULL;
	struct frpc f;
	uint32_t h;
	double t0, dt;
	int mark = open("/sys/kernel/tracing/trace_marker", O_WRONLY);

	if (bytes) {
		in = malloc(bytes);
		out = malloc(bytes);
		if (!in || !out)
			frpc_die("malloc of %zu bytes failed", bytes);
		frpc_fill(in, bytes, 3);
		/* written once: the steady state's output pages are there */
		memset(out, 0, bytes);
		a[0] = frpc_arg(in, bytes);
		a[1] = frpc_arg(out, bytes);
		args = a;
	}
	frpc_session(&f, domain, 0, "echo", &h);
	null_calls(&f, h, args, warm);
	trace_mark(mark, "frpc_null start");
	t0 = frpc_now();
	null_calls(&f, h, args, n);
	dt = frpc_now() - t0;
	trace_mark(mark, "frpc_null end");
	if (mark >= 0)
		close(mark);
	if (bytes && memcmp(in, out, bytes))
		frpc_die("echo of %zu bytes: the out-buffer is not the in-buffer",
			 bytes);
	printf("%s: %.1f us per call, %.0f calls/s (%lu calls after %lu, one thread)\n",
	       bytes ? "echo" : "null", n ? dt * 1e6 / n : 0, n / dt, n, warm);
	frpc_close(&f);
	free(in);
	free(out);
	return 0;
}

static int mode_rate(const char *domain, unsigned long n)
{
	struct worker w = { .n = n };
	struct frpc f;
	double t0, dt;

	frpc_session(&f, domain, 0, "echo", &w.handle);
	w.f = &f;
	t0 = frpc_now();
	echo_worker(&w);
	dt = frpc_now() - t0;
	if (w.err)
		frpc_die("echo: %s", strerror(-w.err));
	printf("rate: %.0f calls/s (%lu echo calls in %.2f s, one thread)\n",
	       n / dt, n, dt);
	frpc_close(&f);
	return 0;
}

struct pinned {
	struct worker w;
	int cpu;
	int moved;		/* calls that returned on another CPU */
	pthread_barrier_t *start;
};

static void *pinned_worker(void *arg)
{
	struct pinned *p = arg;
	uint32_t s = p->w.id + 1;
	unsigned long i;

	pthread_barrier_wait(p->start);
	for (i = 0; i < p->w.n && !p->w.err; i++) {
		p->w.err = echo_checked(&p->w, i, &s);
		p->moved += sched_getcpu() != p->cpu;
	}
	return NULL;
}

static int mode_percpu(const char *domain, unsigned long n)
{
	int cpus = sysconf(_SC_NPROCESSORS_ONLN), i, bad = 0;
	struct pinned *p = calloc(cpus, sizeof(*p));
	pthread_t *t = calloc(cpus, sizeof(*t));
	pthread_barrier_t start;
	pthread_attr_t attr;
	cpu_set_t set;
	struct frpc f;
	uint32_t h;

	if (cpus < 2)
		frpc_die("%d CPU online: nothing can run at once", cpus);
	frpc_session(&f, domain, 0, "echo", &h);
	pthread_barrier_init(&start, NULL, cpus);
	for (i = 0; i < cpus; i++) {
		p[i] = (struct pinned){ .w = { .f = &f, .handle = h, .n = n, .id = i },
					.cpu = i, .start = &start };
		CPU_ZERO(&set);
		CPU_SET(i, &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		if (pthread_create(&t[i], &attr, pinned_worker, &p[i]))
			frpc_die("pthread_create on CPU %d", i);
		pthread_attr_destroy(&attr);
	}
	for (i = 0; i < cpus; i++) {
		pthread_join(t[i], NULL);
		if (p[i].w.err || p[i].moved) {
			fprintf(stderr, "FAIL: CPU %d: %s, %d calls elsewhere\n", i,
				strerror(-p[i].w.err), p[i].moved);
			bad++;
		} else {
			printf("cpu %d: %lu echo calls, every byte checked\n", i, n);
		}
	}
	printf("most calls in the driver at once: %d\n", atomic_load(&most_in_driver));
	frpc_close(&f);
	if (bad)
		frpc_die("%d of %d CPUs failed", bad, cpus);
	if (atomic_load(&most_in_driver) < 2)
		frpc_die("no two calls were ever in the driver at once");
	printf("ok: %d CPUs invoked at once\n", cpus);
	return 0;
}

/*
 * The "mixed" mode: every kind of call on every domain at once, counted.
 * The tally lives in shared memory so that the parent sums its children.
 */
enum op {
	OP_ECHO, OP_CALC, OP_SLEEP, OP_MMAP, OP_MUNMAP, OP_MEM_MAP,
	OP_MEM_UNMAP, OP_ALLOC, OP_FREE, OP_MEMTEST, OP_CREATE, OP_RELEASE,
	OP_N
};

static const char *const op_name[OP_N] = {
	"echo", "calculator", "sleep", "mmap", "munmap", "mem_map",
	"mem_unmap", "alloc_dma_buff", "free_dma_buff", "memtest",
	"create_dynamic_pd", "release_dynamic_pd",
};

#define ERRNO_MAX	4096

struct tally {
	atomic_ulong made[OP_N];
	atomic_ulong ok[OP_N];
	atomic_ulong wrong_data;	/* a call returned 0 with wrong bytes */
	atomic_ulong by_errno[ERRNO_MAX];
};

static struct tally *tally;

/* Count one call's result; @ret 0, -errno or a DSP code */
static int count(enum op op, int ret)
{
	atomic_fetch_add(&tally->made[op], 1);
	if (!ret)
		atomic_fetch_add(&tally->ok[op], 1);
	else
		atomic_fetch_add(&tally->by_errno[ret < 0 && -ret < ERRNO_MAX ?
						  -ret : 0], 1);
	return ret;
}

/* A call that answered 0 but whose data was wrong */
static int wrong(const char *what, unsigned int id, unsigned long i)
{
	atomic_fetch_add(&tally->wrong_data, 1);
	fprintf(stderr, "FAIL: %s: wrong data (worker %u, call %lu)\n", what,
		id, i);
	return -EILSEQ;
}

struct mixer {
	struct frpc *f;
	const char *domain;
	int secure;
	uint32_t echo, calc, sleep, memtest;	/* skel handles */
	unsigned int id;
	unsigned long n;
	int err;
};

static int mix_echo(struct mixer *m, unsigned long i, uint32_t *s)
{
	struct worker w = { .f = m->f, .handle = m->echo, .id = m->id };
	int ret = count(OP_ECHO, echo_checked(&w, i, s));

	return ret == -EILSEQ ? wrong("echo", m->id, i) : ret;
}

static int mix_calc_sleep(struct mixer *m, unsigned long i, uint32_t *s)
{
	struct fastrpc_invoke_args a[2];
	int32_t v[64];
	int64_t sum = 0, want = 0;
	unsigned int k, len = 1 + rnd(s) % 64;
	int ret;

	for (k = 0; k < len; k++) {
		v[k] = (int32_t)rnd(s) - (1 << 23);
		want += v[k];
	}
	a[0] = frpc_arg(v, len * sizeof(v[0]));
	a[1] = frpc_arg(&sum, sizeof(sum));
	ret = count(OP_CALC, frpc_invoke(m->f, m->calc,
					 FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	if (ret)
		return ret;
	if (sum != want)
		return wrong("calculator", m->id, i);
	return count(OP_SLEEP, frpc_usleep(m->f, m->sleep, rnd(s) % 200));
}

/* The DSP's checksum of @len bytes at @va must be @want */
static int mix_memtest(struct mixer *m, uint64_t va, size_t len,
		       uint64_t want, unsigned long i)
{
	uint64_t sum = 0;
	int ret = count(OP_MEMTEST, frpc_memtest_checksum(m->f, m->memtest, va,
							  len, &sum));

	if (!ret && sum != want)
		return wrong("memtest", m->id, i);
	return ret;
}

/* MMAP driver memory, the DSP fills it and checks it, MUNMAP */
static int mix_mmap(struct mixer *m, unsigned long i, uint32_t *s)
{
	size_t len = 4096 * (1 + rnd(s) % 8);
	unsigned char *want = malloc(len);
	uint8_t byte = rnd(s);
	uint64_t va;
	int ret;

	FRPC_CHECK(want, "out of memory");
	memset(want, byte, len);
	ret = count(OP_MMAP, frpc_mmap(m->f, -1, FASTRPC_MMAP_ADD_PAGES, 0,
				       len, &va));
	if (ret)
		goto out;
	ret = count(OP_MEMTEST, frpc_memtest_fill(m->f, m->memtest, va, len,
						  byte)) ?:
	      mix_memtest(m, va, len, frpc_fnv1a64(want, len), i);
	ret = count(OP_MUNMAP, frpc_munmap(m->f, va, len)) ?: ret;
out:
	free(want);
	return ret;
}

/* ALLOC_DMA_BUFF, bytes from the CPU, MEM_MAP, DSP checksum, unmap, free */
static int mix_mem_map(struct mixer *m, unsigned long i, uint32_t *s)
{
	size_t len = 4096 * (1 + rnd(s) % 8);
	struct frpc_xbuf x = { .memfd = -1, .size = len };
	uint64_t va;
	int ret;

	ret = count(OP_ALLOC, frpc_alloc(m->f, len, 0, &x.fd));
	if (ret)
		return ret;
	x.p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, x.fd, 0);
	FRPC_CHECK(x.p != MAP_FAILED, "mmap dma-buf: %s", strerror(errno));
	frpc_fill(x.p, len, m->id * 7919u + i);
	ret = count(OP_MEM_MAP, frpc_mem_map(m->f, x.fd, (uintptr_t)x.p, len,
					     FASTRPC_MAP_FD, 0, &va));
	if (!ret) {
		ret = mix_memtest(m, va, len, frpc_fnv1a64(x.p, len), i);
		ret = count(OP_MEM_UNMAP, frpc_mem_unmap(m->f, x.fd, va, len)) ?:
		      ret;
	}
	ret = count(OP_FREE, frpc_free(m->f, x.fd)) ?: ret;
	frpc_xbuf_free(&x);
	return ret;
}

/* A dynamic PD of its own: open, create, one echo through it, close */
static int mix_create(struct mixer *m, unsigned long i, uint32_t *s)
{
	static unsigned char elf[16 * 1024];
	unsigned char in[64], out[64];
	struct fastrpc_invoke_args a[2];
	uint32_t h;
	struct frpc g;
	int ret;

	(void)s;
	frpc_hexagon_shell(elf, sizeof(elf));
	ret = frpc_open(&g, m->domain, m->secure);
	if (ret)
		return count(OP_CREATE, ret);
	ret = count(OP_CREATE, frpc_create(&g, elf, sizeof(elf), 0));
	if (!ret) {
		ret = frpc_skel_open(&g, "echo", &h, NULL, 0);
		if (!ret) {
			frpc_fill(in, sizeof(in), i);
			a[0] = frpc_arg(in, sizeof(in));
			a[1] = frpc_arg(out, sizeof(out));
			ret = count(OP_ECHO, frpc_echo(&g, h, a, 1));
			if (!ret && memcmp(in, out, sizeof(in)))
				ret = wrong("echo in a dynamic PD", m->id, i);
		}
	}
	/* closing the fd releases the PD: the parent sees it gone */
	frpc_close(&g);
	count(OP_RELEASE, 0);
	return ret;
}

typedef int (*mix_fn)(struct mixer *m, unsigned long i, uint32_t *s);

/* What thread t of a process does; worker 99 makes dynamic PDs */
static const mix_fn mix_roles[] = {
	mix_echo, mix_calc_sleep, mix_mmap, mix_mem_map,
};

static void *mix_worker(void *arg)
{
	struct mixer *m = arg;
	mix_fn fn = m->id % 100 == 99 ? mix_create :
		    mix_roles[m->id % 100 % ARRAY_LEN(mix_roles)];
	uint32_t s = m->id + 1;
	unsigned long i;

	for (i = 0; i < m->n && !m->err; i++)
		m->err = fn(m, i, &s);
	return NULL;
}

/*
 * A process that makes dynamic PDs on @domain, one after another: not the
 * process of the other threads, whose tgid has its root PD on the DSP
 * already (a tgid has one DSP process: EALREADY)
 */
static int mix_pd_process(const char *domain, int secure, unsigned int proc,
			  unsigned long n)
{
	struct mixer m = { .domain = domain, .secure = secure, .n = n,
			   .id = proc * 100 + 99 };

	mix_worker(&m);
	if (m.err)
		fprintf(stderr, "FAIL: %s process %u making dynamic PDs: %s\n",
			domain, proc, strerror(m.err < 0 ? -m.err : EIO));
	return m.err ? 1 : 0;
}

/* One process of the "mixed" mode on @domain: exit status 0 when all was */
static int mix_process(const char *domain, int secure, unsigned int proc,
		       unsigned int threads, unsigned long n)
{
	struct mixer *m = calloc(threads, sizeof(*m));
	pthread_t *t = calloc(threads, sizeof(*t));
	struct mixer base = { .domain = domain, .secure = secure, .n = n };
	unsigned int i, bad = 0;
	struct frpc f;

	frpc_session(&f, domain, secure, "echo", &base.echo);
	FRPC_OK(frpc_skel_open(&f, "calculator", &base.calc, NULL, 0));
	FRPC_OK(frpc_skel_open(&f, "sleep", &base.sleep, NULL, 0));
	FRPC_OK(frpc_skel_open(&f, "memtest", &base.memtest, NULL, 0));
	base.f = &f;
	for (i = 0; i < threads; i++) {
		m[i] = base;
		m[i].id = proc * 100 + i;
		if (pthread_create(&t[i], NULL, mix_worker, &m[i]))
			frpc_die("pthread_create");
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		if (m[i].err) {
			fprintf(stderr, "FAIL: %s process %u thread %u: %s\n",
				domain, proc, i, strerror(m[i].err < 0 ?
							  -m[i].err : EIO));
			bad++;
		}
	}
	/* everything this client held is back */
	if (frpc_fdinfo(f.fd, "pending") || frpc_fdinfo(f.fd, "maps") ||
	    frpc_fdinfo(f.fd, "buffers") || frpc_fdinfo(f.fd, "parked")) {
		fprintf(stderr, "FAIL: %s process %u: fdinfo pending=%lld maps=%lld buffers=%lld parked=%lld\n",
			domain, proc, frpc_fdinfo(f.fd, "pending"),
			frpc_fdinfo(f.fd, "maps"), frpc_fdinfo(f.fd, "buffers"),
			frpc_fdinfo(f.fd, "parked"));
		bad++;
	}
	frpc_close(&f);
	return bad ? 1 : 0;
}

/*
 * A debugfs file of @domain (@fmt holds a %s for it): the sum of the
 * values of @key when it ends in '=', else the lines that start with it
 */
static long long debugfs_sum(const char *fmt, const char *domain,
			     const char *key)
{
	char path[128], line[512];
	size_t len = strlen(key);
	long long sum = 0;
	FILE *fp;
	char *p;

	snprintf(path, sizeof(path), fmt, domain);
	fp = fopen(path, "r");
	if (!fp)
		frpc_die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp)) {
		if (key[len - 1] != '=')
			sum += !strncmp(line, key, len);
		else if ((p = strstr(line, key)))
			sum += strtoll(p + len, NULL, 10);
	}
	fclose(fp);
	return sum;
}

/* Pages mapped in the domain's SMMU, all streams */
static long long smmu_pages(const char *domain)
{
	return debugfs_sum("/sys/kernel/debug/vdsp_smmu/smmu-%s", domain,
			   " pages=");
}

/* Processes the vdsp has on the domain */
static long long vdsp_processes(const char *domain)
{
	return debugfs_sum("/sys/kernel/debug/vdsp/%s/processes", domain,
			   "process ");
}

static int bank_used(void *arg, struct kvrec *r, const char *line)
{
	const char *used = r && !strcmp(r->type, "bank") ? kv_get(r, "used") : NULL;

	(void)line;
	if (used && strcmp(used, "0"))
		(*(int *)arg)++;
	return 0;
}

/* What the domain still holds for clients: 0 when all came back */
static int domain_held(const char *domain, long long pages0, char *why,
		       size_t len)
{
	int banks = 0;

	frpc_debugfs_each(domain, bank_used, &banks);
	snprintf(why, len, "clients=%lld pending=%lld orphans=%lld banks used=%d vdsp processes=%lld smmu pages=%lld (at start %lld)",
		 frpc_channel_stat(domain, "clients"),
		 frpc_channel_stat(domain, "pending"),
		 frpc_channel_stat(domain, "orphans"), banks,
		 vdsp_processes(domain), smmu_pages(domain), pages0);
	return frpc_channel_stat(domain, "clients") ||
	       frpc_channel_stat(domain, "pending") ||
	       frpc_channel_stat(domain, "orphans") || banks ||
	       vdsp_processes(domain) || smmu_pages(domain) != pages0;
}

/* The secure node when the domain has no other (sdsp) */
static int only_secure(const char *domain)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/fastrpc-%s", domain);
	return access(path, F_OK) != 0;
}

static void mix_report(unsigned int procs, unsigned int threads,
		       unsigned long n, double dt)
{
	unsigned long made = 0, ok = 0;
	int op, e, errors = 0;

	for (op = 0; op < OP_N; op++) {
		printf("calls %s: made %lu, succeeded %lu\n", op_name[op],
		       atomic_load(&tally->made[op]),
		       atomic_load(&tally->ok[op]));
		made += atomic_load(&tally->made[op]);
		ok += atomic_load(&tally->ok[op]);
	}
	printf("calls: made %lu, succeeded %lu in %.1f s (%u processes x %u threads x %lu rounds, and as many making dynamic PDs)\n",
	       made, ok, dt, procs, threads, n);
	printf("errors by errno:");
	for (e = 0; e < ERRNO_MAX; e++) {
		if (!atomic_load(&tally->by_errno[e]))
			continue;
		printf(" %s=%lu", e ? strerrorname_np(e) ?: "?" : "other",
		       atomic_load(&tally->by_errno[e]));
		errors++;
	}
	printf("%s\n", errors ? "" : " none");
	printf("wrong data: %lu\n", atomic_load(&tally->wrong_data));
}

/*
 * @domains: comma list, two processes per entry: one runs @threads
 * threads of the four roles on one session, one makes dynamic PDs
 */
static int mode_mixed(char *domains, unsigned int threads, unsigned long n)
{
	char *names[32], *save, *d, why[256];
	long long pages0[32];
	unsigned int procs = 0, i, bad = 0;
	double t0 = frpc_now(), dt;
	int status;

	tally = mmap(NULL, sizeof(*tally), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	FRPC_CHECK(tally != MAP_FAILED, "mmap: %s", strerror(errno));
	for (d = strtok_r(domains, ",", &save); d && procs < 32;
	     d = strtok_r(NULL, ",", &save)) {
		names[procs] = d;
		pages0[procs++] = smmu_pages(d);
	}
	for (i = 0; i < 2 * procs; i++) {
		const char *d = names[i / 2];
		pid_t pid = fork();

		if (pid < 0)
			frpc_die("fork: %s", strerror(errno));
		if (!pid && i % 2)
			exit(mix_pd_process(d, only_secure(d), i / 2,
					    (n + 9) / 10));
		if (!pid)
			exit(mix_process(d, only_secure(d), i / 2, threads, n));
	}
	for (i = 0; i < 2 * procs; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	dt = frpc_now() - t0;
	mix_report(procs, threads, n, dt);
	for (i = 0; i < procs; i++) {
		int tries = 50;

		/* a closed file's release may still be on its way */
		while (domain_held(names[i], pages0[i], why, sizeof(why)) && --tries)
			usleep(100000);
		printf("after: %s %s\n", names[i], why);
		bad += !tries;
	}
	for (i = 0; i < OP_N; i++)
		bad += atomic_load(&tally->made[i]) != atomic_load(&tally->ok[i]);
	if (bad || atomic_load(&tally->wrong_data))
		frpc_die("%u failures", bad);
	printf("ok: every call succeeded with its data checked, every resource returned\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[2], "threads"))
		return mode_threads(argv[1], atoi(argv[3]), atoi(argv[4]),
				    strtoul(argv[5], NULL, 0), &kind_echo);
	if (argc == 6 && !strcmp(argv[2], "null-threads"))
		return mode_threads(argv[1], atoi(argv[3]), atoi(argv[4]),
				    strtoul(argv[5], NULL, 0), &kind_null);
	if (argc == 6 && !strcmp(argv[2], "fd-threads"))
		return mode_threads(argv[1], atoi(argv[3]), atoi(argv[4]),
				    strtoul(argv[5], NULL, 0), &kind_fd);
	if (argc == 5 && !strcmp(argv[2], "outstanding"))
		return mode_outstanding(argv[1], atoi(argv[3]),
					strtoul(argv[4], NULL, 0));
	if (argc == 6 && !strcmp(argv[2], "shared"))
		return mode_shared(argv[1], argv[3], atoi(argv[4]),
				   strtoul(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[2], "rate"))
		return mode_rate(argv[1], strtoul(argv[3], NULL, 0));
	if ((argc == 5 || argc == 6) && !strcmp(argv[2], "null"))
		return mode_null(argv[1], strtoul(argv[3], NULL, 0),
				 strtoul(argv[4], NULL, 0),
				 argc == 6 ? strtoul(argv[5], NULL, 0) : 0);
	if (argc == 5 && !strcmp(argv[2], "mixed"))
		return mode_mixed(argv[1], atoi(argv[3]), strtoul(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[2], "percpu"))
		return mode_percpu(argv[1], strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: %s DOMAIN threads|null-threads|fd-threads PROCS THREADS N |\n"
		"       %s DOMAIN outstanding N USEC|0 | %s DOMAIN rate N |\n"
		"       %s DOMAIN shared EXPORTER THREADS N | %s DOMAIN percpu N |\n"
		"       %s DOMAIN,DOMAIN... mixed THREADS N | %s DOMAIN null WARM N [BYTES]\n",
		argv[0], argv[0], argv[0], argv[0], argv[0], argv[0], argv[0]);
	return 2;
}
