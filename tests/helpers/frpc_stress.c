// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_stress: many invokes at once, every byte checked.
 *
 *   frpc_stress DOMAIN threads PROCS THREADS N
 *       PROCS processes, each with its own fd and THREADS threads that
 *       share it; every thread makes N echo calls of its own data (1 or 2
 *       buffer pairs of 1..3000 bytes) and checks what comes back.
 *   frpc_stress DOMAIN outstanding N USEC
 *       N threads on one fd each call the sleep skel for USEC; succeeds
 *       once fdinfo showed all N pending at the same time and every call
 *       returned 0. USEC 0: each call parks on the DSP (listener next)
 *       until the process exits, which happens once all N are pending:
 *       no call can end before the others started, however slow the
 *       machine; each then returns AEE_EBADSTATE.
 *   frpc_stress DOMAIN shared EXPORTER THREADS N
 *       THREADS threads on one fd pass ranges of one dma-buf by fd (N echo
 *       calls each, bytes checked) while another thread MEM_MAPs and
 *       MEM_UNMAPs that same buffer N times: one import of it, shared by
 *       the invoke cache and the DSP mappings (each MEM_UNMAP drops the
 *       cached one); one cached map after a last call.
 *   frpc_stress DOMAIN rate N
 *       N echo calls of 64 bytes in one thread; prints calls per second.
 *   frpc_stress DOMAIN percpu N
 *       one thread per online CPU, each pinned to its CPU, N checked echo
 *       calls each on one shared fd, started together; fails if a call
 *       ran elsewhere or if two calls were never in the driver at once.
 */
#include "frpc_common.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

struct worker {
	struct frpc *f;
	uint32_t handle;
	unsigned int id;
	unsigned long n;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

/* One process of the "threads" mode: exit status 0 when all checked out */
static int echo_process(const char *domain, unsigned int proc,
			unsigned int threads, unsigned long n)
{
	struct worker *w = calloc(threads, sizeof(*w));
	pthread_t *t = calloc(threads, sizeof(*t));
	unsigned int i, bad = 0;
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .f = &f, .handle = h, .n = n,
					.id = proc * threads + i };
		if (pthread_create(&t[i], NULL, echo_worker, &w[i]))
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
	frpc_close(&f);
	return bad ? 1 : 0;
}

static int mode_threads(const char *domain, unsigned int procs,
			unsigned int threads, unsigned long n)
{
	unsigned int i, bad = 0;
	double t0 = now(), dt;
	int status;

	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			frpc_die("fork: %s", strerror(errno));
		if (!pid)
			exit(echo_process(domain, i, threads, n));
	}
	for (i = 0; i < procs; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	dt = now() - t0;
	if (bad)
		frpc_die("%u of %u processes saw wrong data or errors", bad, procs);
	printf("ok: %u processes x %u threads x %lu echo calls, every byte checked\n",
	       procs, threads, n);
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

static void *sleep_worker(void *arg)
{
	struct sleeper *s = arg;

	if (s->us)
		s->err = frpc_usleep(s->f, s->handle, s->us);
	else if (frpc_invoke(s->f, FASTRPC_HANDLE_LISTENER,
			     FASTRPC_SC(LISTENER_METHOD_NEXT, 0, 0), NULL) !=
		 (int)FASTRPC_DSP_BAD_STATE)
		s->err = -EIO;
	__atomic_add_fetch(&sleepers_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
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

	frpc_session(&f, domain, 0, "sleep", &h);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		s[i] = (struct sleeper){ .f = &f, .handle = h, .us = us };
		if (pthread_create(&t[i], &attr, sleep_worker, &s[i]))
			frpc_die("pthread_create %u: %s", i, strerror(errno));
	}
	/* Watch until all n are in flight at once, or one has ended */
	do {
		pending = frpc_fdinfo(f.fd, "pending");
		if (pending > most)
			most = pending;
		usleep(20000);
	} while (most < n && !__atomic_load_n(&sleepers_done, __ATOMIC_SEQ_CST));
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
		if (s[i].err)
			bad++;
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
	static __thread unsigned char out[4096];
	struct sharer *w = arg;
	struct fastrpc_invoke_args a[2];
	uint32_t s = w->id + 1;
	unsigned long i;

	for (i = 0; i < w->n && !w->err; i++) {
		size_t len = 1 + rnd(&s) % sizeof(out);
		size_t off = rnd(&s) % (SHARED_SIZE - len);

		memset(out, 0, len);
		a[0] = frpc_arg_fd(w->x->fd, w->x->p + off, len);
		a[1] = frpc_arg(out, len);
		w->what = "echo";
		w->err = frpc_echo(w->f, w->handle, a, 1);
		if (!w->err && memcmp(out, w->x->p + off, len))
			w->err = -EILSEQ;
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

static int mode_rate(const char *domain, unsigned long n)
{
	struct worker w = { .n = n };
	struct frpc f;
	double t0, dt;

	frpc_session(&f, domain, 0, "echo", &w.handle);
	w.f = &f;
	t0 = now();
	echo_worker(&w);
	dt = now() - t0;
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

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[2], "threads"))
		return mode_threads(argv[1], atoi(argv[3]), atoi(argv[4]),
				    strtoul(argv[5], NULL, 0));
	if (argc == 5 && !strcmp(argv[2], "outstanding"))
		return mode_outstanding(argv[1], atoi(argv[3]),
					strtoul(argv[4], NULL, 0));
	if (argc == 6 && !strcmp(argv[2], "shared"))
		return mode_shared(argv[1], argv[3], atoi(argv[4]),
				   strtoul(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[2], "rate"))
		return mode_rate(argv[1], strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[2], "percpu"))
		return mode_percpu(argv[1], strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: %s DOMAIN threads PROCS THREADS N |\n"
		"       %s DOMAIN outstanding N USEC|0 | %s DOMAIN rate N |\n"
		"       %s DOMAIN shared EXPORTER THREADS N | %s DOMAIN percpu N\n",
		argv[0], argv[0], argv[0], argv[0], argv[0]);
	return 2;
}
