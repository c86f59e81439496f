// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl bench: measure the driver through its user ABI.
 *
 *   null     COUNT empty invokes in one thread, each timed
 *   threads  null invokes from 1..64 threads sharing one fd
 *   shapes   invokes by argument shape: buffers, sizes, inline vs dma-buf
 *   mem      MEM_MAP+MEM_UNMAP, MMAP+MUNMAP, ALLOC_DMA_BUFF+close
 *   process  dynamic PD create+release, root PD attach+release
 *   stat     what fastrpcctl stat's programs cost a null call (root; run
 *            only when named)
 *
 * Only the upstream ioctls are on the measured paths, so a board's driver
 * and the in-tree one can be measured too. The invokes go to the vdsp's
 * echo skel (out[i] = in[i]; no buffers: the null call), which a board's
 * DSP lacks: there the invoking workloads report that skel's open failing.
 * A workload the driver refuses is reported with its errno and the others
 * run on; the exit status is then 1. bench_shapes.c has the shapes
 * workload, bench_tools.c stat's, bench_stats.c the statistics and the
 * report.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"
#include "records.h"
#include "session.h"

#define COUNT_DEFAULT	1000
#define COUNT_MAX	1000000		/* 8 MB of samples */
#define WARMUP_MAX	100
#define PROCESS_MAX	100		/* process ops per run, at most */
#define MEM_SIZE	4096		/* each mem op's buffer */
#define SHELL_SIZE	4096		/* the built-in shell, as create's */

static int bench_null(struct bench *b);
static int bench_threads(struct bench *b);
static int bench_mem(struct bench *b);
static int bench_process(struct bench *b);

struct workload {
	const char *name;
	int (*run)(struct bench *b);
	const char *help;
};

static const struct workload workloads[] = {
	{ "null", bench_null,
	  "WARMUP (COUNT, at most 100) untimed null invokes (the echo skel's copy\n"
	  "of no buffers), then COUNT more in one thread, each timed: p50, p99, max\n"
	  "and mean in ns, and calls/s over the whole run.\n" },
	{ "threads", bench_threads,
	  "For each N of -t (default 1,2,4,8,64): WARMUP null invokes, then COUNT\n"
	  "spread over N threads sharing the one fd and handle: total calls/s, and\n"
	  "p50/p99 of every call.\n" },
	{ "shapes", bench_shapes,
	  "Echo calls by shape: BUFS in-buffers of BYTES each, echoed into as many\n"
	  "out-buffers, passed inline (user pointers) or as the driver's own\n"
	  "dma-bufs (ALLOC_DMA_BUFF fds). BUFS 0,1,2,4,8,16 at 4 KiB; sizes 0,\n"
	  "64, 4K, 64K, 1M, 16M with 1 buffer. Big shapes do fewer calls (about\n"
	  "COUNT x 64 KiB in each direction per shape); the outputs are checked\n"
	  "after the timed calls, so a broken path fails instead of looking fast.\n" },
	{ "mem", bench_mem,
	  "Memory ioctls on 4 KiB, COUNT times each: MEM_MAP+MEM_UNMAP of one\n"
	  "dma-buf, MMAP+MUNMAP of new remote memory (ADD_PAGES), and\n"
	  "ALLOC_DMA_BUFF+close: ops/s and p50 per op.\n" },
	{ "stat", bench_stat,
	  "What fastrpcctl stat costs the calls it watches: its programs (those of\n"
	  "a plain 'fastrpcctl stat') loaded once, then COUNT null calls with them\n"
	  "attached and COUNT detached, in turn, 25 rounds (attaching and\n"
	  "detaching untimed, between): each round's attached rate against the\n"
	  "mean of the detached phases around it, the median of the rounds as the\n"
	  "throughput lost. Needs root; run only when named, not by 'all'.\n" },
	{ "process", bench_process,
	  "Remote processes, COUNT (at most 100) times each: open the node, create\n"
	  "a dynamic PD from the built-in minimal shell (the vdsp's: a board wants\n"
	  "a signed one), close; open, attach to the root PD, close: ops/s, p50.\n" },
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))
#define PROCESS (NWORKLOADS - 1)	/* its index: the last */
#define STAT (NWORKLOADS - 2)		/* before it */
/* all, and none named: every workload but stat (root, and the BPF tools) */
#define ALL_MASK (((1u << NWORKLOADS) - 1) & ~(1u << STAT))

static int bench_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl bench [-D DOMAIN] [-n COUNT] [-t THREADS[,THREADS...]]\n"
	       "                        [WORKLOAD...]\n"
	       "       fastrpcctl bench WORKLOAD help\n"
	       "\n"
	       "Measures the driver through its user ABI (upstream ioctls only).\n"
	       "WORKLOAD (a unique prefix is enough; default all, which is all but\n"
	       "stat):\n");
	for (size_t i = 0; i < NWORKLOADS; i++)
		printf("  %s\n", workloads[i].name);
	printf("  all\n"
	       "\n"
	       "The invokes go to the echo skel, a test skel of this project's\n"
	       "virtual DSP [vdsp]: on a board those workloads fail, the others run.\n"
	       "\n"
	       "Options:\n"
	       "  -D, --domain DOMAIN  adsp, mdsp, sdsp, cdsp or cdsp1 (default: the\n"
	       "                       global -D, else cdsp)\n"
	       "  -n, --count COUNT    calls per measurement, 1..%d (default %d)\n"
	       "  -t, --threads LIST   thread counts of 'threads', comma-separated,\n"
	       "                       each 1..%d, at most %d (default 1,2,4,8,64)\n"
	       "\n"
	       "A refused workload is reported (with its errno) and the others run;\n"
	       "the exit status is then 1.\n",
	       COUNT_MAX, COUNT_DEFAULT, BENCH_THREADS_MAX,
	       BENCH_THREAD_LIST_MAX);
	return CTL_OK;
}

static int workload_help(struct ctl *c, const struct workload *w)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl bench [-D DOMAIN] [-n COUNT]%s %s\n\n%s",
	       strcmp(w->name, "threads") ? "" : " [-t THREADS,...]",
	       w->name, w->help);
	return CTL_OK;
}

void bench_fail(struct bench *b, const char *workload, int ret,
		const char *fmt, ...)
{
	struct bench_err *e;
	char msg[200], why[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!b->c->jw)
		printf("%s: failed: %s: %s\n", workload, msg,
		       ret_text(ret, why, sizeof(why)));
	if (b->nerrs == BENCH_ERRS_MAX)
		return;
	e = &b->errs[b->nerrs++];
	e->workload = workload;
	e->ret = ret;
	snprintf(e->message, sizeof(e->message), "%s: %s", msg,
		 ret_text(ret, why, sizeof(why)));
}

int bench_echo(struct frpc *f, uint32_t handle, unsigned int n,
	       struct fastrpc_invoke_args *args)
{
	return frpc_invoke(f, handle, FASTRPC_SC(ECHO_METHOD_COPY, n, n), args);
}

int bench_echo_open(struct bench *b, const char *workload)
{
	char dlerr[160];
	int ret;

	if (b->echo_open)
		return 0;
	ret = frpc_skel_open(&b->f, "echo", &b->echo, dlerr, sizeof(dlerr));
	if (ret) {
		bench_fail(b, workload, ret, "cannot open the echo skel [vdsp]%s%s",
			   dlerr[0] ? ": " : "", dlerr);
		return ret;
	}
	b->echo_open = true;
	return 0;
}

static uint64_t warmup_of(uint64_t count)
{
	return count < WARMUP_MAX ? count : WARMUP_MAX;
}

static int warm(struct bench *b, const char *workload, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int ret = bench_echo(&b->f, b->echo, 0, NULL);

		if (ret) {
			bench_fail(b, workload, ret, "null call %llu of the warm-up",
				   (unsigned long long)i);
			return ret;
		}
	}
	return 0;
}

static int bench_null(struct bench *b)
{
	uint64_t warmup = warmup_of(b->count), t0, t1;
	struct bench_stats s;
	uint64_t *ns;
	int ret;

	if (bench_echo_open(b, "null") || warm(b, "null", warmup))
		return -1;
	ns = bench_samples(b, b->count);
	if (!ns)
		return -1;
	t0 = bench_now();
	for (uint64_t i = 0; i < b->count; i++) {
		uint64_t t = bench_now();

		ret = bench_echo(&b->f, b->echo, 0, NULL);
		ns[i] = bench_now() - t;
		if (ret) {
			bench_fail(b, "null", ret, "null call %llu",
				   (unsigned long long)i);
			free(ns);
			return -1;
		}
	}
	t1 = bench_now();
	bench_stats_of(&s, ns, b->count, t1 - t0);
	free(ns);
	bench_print_null(b, warmup, &s);
	return 0;
}

/* The threads of a row wait here, to start their calls together. */
struct start {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool go;
};

struct worker {
	struct bench *b;
	struct start *start;
	uint64_t *ns;
	uint64_t n;
	int ret;
	uint64_t failed_at;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->start->lock);
	while (!w->start->go)
		pthread_cond_wait(&w->start->cond, &w->start->lock);
	pthread_mutex_unlock(&w->start->lock);
	for (uint64_t i = 0; i < w->n; i++) {
		uint64_t t = bench_now();

		w->ret = bench_echo(&w->b->f, w->b->echo, 0, NULL);
		w->ns[i] = bench_now() - t;
		if (w->ret) {
			w->failed_at = i;
			break;
		}
	}
	return NULL;
}

static void start_all(struct start *st)
{
	pthread_mutex_lock(&st->lock);
	st->go = true;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

/*
 * COUNT calls over nthreads threads (the first ones take the remainder),
 * released together; the time runs from the release to the last join.
 */
static int threads_row(struct bench *b, unsigned int nthreads,
		       struct bench_stats *s)
{
	struct start st = {
		PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false,
	};
	struct worker w[BENCH_THREADS_MAX];
	pthread_t tid[BENCH_THREADS_MAX];
	uint64_t *ns, done = 0, t0, t1;
	unsigned int i, started;
	int ret = 0;

	ns = bench_samples(b, b->count);
	if (!ns)
		return -1;
	for (started = 0; started < nthreads; started++) {
		w[started] = (struct worker) {
			.b = b, .start = &st, .ns = ns + done,
			.n = b->count / nthreads + (started < b->count % nthreads),
		};
		done += w[started].n;
		ret = -pthread_create(&tid[started], NULL, worker_run,
				      &w[started]);
		if (ret) {
			bench_fail(b, "threads", ret, "cannot start thread %u of %u",
				   started + 1, nthreads);
			/* those started go without a call */
			for (i = 0; i < started; i++)
				w[i].n = 0;
			break;
		}
	}
	t0 = bench_now();
	start_all(&st);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	t1 = bench_now();
	for (i = 0; !ret && i < nthreads; i++) {
		ret = w[i].ret;
		if (ret)
			bench_fail(b, "threads", ret,
				   "null call %llu of thread %u of %u",
				   (unsigned long long)w[i].failed_at, i + 1,
				   nthreads);
	}
	if (!ret)
		bench_stats_of(s, ns, b->count, t1 - t0);
	free(ns);
	return ret ? -1 : 0;
}

/* Each row warms up first: its threads then find the path hot. */
static int bench_threads(struct bench *b)
{
	uint64_t warmup = warmup_of(b->count);
	struct bench_stats s[BENCH_THREAD_LIST_MAX];
	int n, ret = 0;

	if (bench_echo_open(b, "threads"))
		return -1;
	for (n = 0; n < b->nthreads; n++) {
		ret = warm(b, "threads", warmup) ?:
		      threads_row(b, b->threads[n], &s[n]);
		if (ret)
			break;
	}
	bench_print_threads(b, warmup, s, n);
	return ret;
}

/* mem and process: COUNT times an operation, each timed */
typedef int (*op_fn)(struct bench *b, void *arg);

static int timed_ops(struct bench *b, const char *workload, const char *op,
		     uint64_t n, op_fn fn, void *arg, struct bench_stats *s)
{
	uint64_t *ns = bench_samples(b, n), t0, t1;
	int ret = 0;

	if (!ns)
		return -1;
	t0 = bench_now();
	for (uint64_t i = 0; i < n && !ret; i++) {
		uint64_t t = bench_now();

		ret = fn(b, arg);
		ns[i] = bench_now() - t;
		if (ret)
			bench_fail(b, workload, ret, "%s %llu", op,
				   (unsigned long long)i);
	}
	t1 = bench_now();
	if (!ret)
		bench_stats_of(s, ns, n, t1 - t0);
	free(ns);
	return ret ? -1 : 0;
}

static int op_mem_map(struct bench *b, void *arg)
{
	struct dbuf *db = arg;
	uint64_t dsp;
	int ret;

	ret = frpc_mem_map(&b->f, db->fd, (uintptr_t)db->map, db->size,
			   FASTRPC_MAP_FD, 0, &dsp);
	return ret ?: frpc_mem_unmap(&b->f, db->fd, dsp, db->size);
}

static int op_mmap(struct bench *b, void *arg)
{
	uint64_t dsp;
	int ret;

	(void)arg;
	ret = frpc_mmap(&b->f, -1, FASTRPC_MMAP_ADD_PAGES, 0, MEM_SIZE, &dsp);
	return ret ?: frpc_munmap(&b->f, dsp, MEM_SIZE);
}

static int op_alloc(struct bench *b, void *arg)
{
	int fd, ret;

	(void)arg;
	ret = frpc_alloc(&b->f, MEM_SIZE, 0, &fd);
	if (!ret)
		close(fd);
	return ret;
}

static int bench_mem(struct bench *b)
{
	struct bench_stats s[3];
	bool ok[3];
	struct dbuf db;
	int ret;

	ret = dbuf_make(&b->f, DBUF_DRIVER, MEM_SIZE, 0, &db);
	if (ret) {
		bench_fail(b, "mem", ret, "the dma-buf of MEM_MAP");
		ok[0] = false;
	} else {
		ok[0] = !timed_ops(b, "mem", "MEM_MAP+MEM_UNMAP", b->count,
				   op_mem_map, &db, &s[0]);
	}
	dbuf_free(&db);
	ok[1] = !timed_ops(b, "mem", "MMAP+MUNMAP", b->count, op_mmap, NULL,
			   &s[1]);
	ok[2] = !timed_ops(b, "mem", "ALLOC_DMA_BUFF+close", b->count,
			   op_alloc, NULL, &s[2]);
	bench_print_mem(b, MEM_SIZE, s, ok);
	return ok[0] && ok[1] && ok[2] ? 0 : -1;
}

/* A new fd on the session's node, a remote process on it, closed */
static int op_process(struct bench *b, void *arg)
{
	const void *elf = arg;
	struct frpc f;
	int ret;

	ret = frpc_open(&f, domain_name(b->f.domain_id), b->f.secure);
	if (ret)
		return ret;
	ret = elf ? frpc_create(&f, elf, SHELL_SIZE, 0) : frpc_attach(&f);
	frpc_close(&f);
	return ret;
}

static int bench_process(struct bench *b)
{
	uint64_t n = b->count < PROCESS_MAX ? b->count : PROCESS_MAX;
	struct bench_stats s[2];
	void *elf = shell_image(SHELL_SIZE);
	bool ok[2];

	if (!elf) {
		bench_fail(b, "process", -ENOMEM, "the shell image");
		ok[0] = false;
	} else {
		ok[0] = !timed_ops(b, "process", "create+close", n, op_process,
				   elf, &s[0]);
	}
	free(elf);
	ok[1] = !timed_ops(b, "process", "attach+close", n, op_process, NULL,
			   &s[1]);
	bench_print_process(b, s, ok);
	return ok[0] && ok[1] ? 0 : -1;
}

/* The command line */
struct bench_args {
	struct session_opts so;
	struct bench *b;
};

/* s is a decimal number 1..max (no sign, no spaces) */
static bool in_range(const char *s, uint64_t max, uint64_t *v)
{
	if (!is_decimal(s, false) || strlen(s) > 19)
		return false;
	*v = strtoull(s, NULL, 10);
	return *v >= 1 && *v <= max;
}

/* "1,2,4": each 1..BENCH_THREADS_MAX, at most BENCH_THREAD_LIST_MAX */
static int parse_threads(struct ctl *c, struct bench *b, const char *list)
{
	const char *p = list;
	char word[24];
	uint64_t v;

	b->nthreads = 0;
	do {
		size_t len = strcspn(p, ",");

		if (!len || len >= sizeof(word))
			return ctl_err(c, CTL_USAGE, "bench: invalid thread list '%s' (N,N,...)",
				       list);
		if (b->nthreads == BENCH_THREAD_LIST_MAX)
			return ctl_err(c, CTL_USAGE, "bench: at most %d thread counts in '%s'",
				       BENCH_THREAD_LIST_MAX, list);
		memcpy(word, p, len);
		word[len] = '\0';
		if (!in_range(word, BENCH_THREADS_MAX, &v))
			return ctl_err(c, CTL_USAGE, "bench: invalid thread count '%s' (1..%d)",
				       word, BENCH_THREADS_MAX);
		b->threads[b->nthreads++] = (unsigned int)v;
		p += len;
	} while (*p++ == ',');
	return 0;
}

enum { OPT_COUNT = 'n', OPT_THREADS = 't' };

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct bench_args *a = arg;
	uint64_t v;

	switch (opt) {
	case 'D':
		a->so.domain = val;
		return 0;
	case OPT_COUNT:
		if (!in_range(val, COUNT_MAX, &v))
			return ctl_err(c, CTL_USAGE, "bench: invalid count '%s' (1..%d)",
				       val, COUNT_MAX);
		a->b->count = v;
		return 0;
	case OPT_THREADS:
		return parse_threads(c, a->b, val);
	}
	return -1;
}

/* WORKLOAD... into a mask of workloads[]; help printed: -1 */
static int parse_workloads(struct ctl *c, int argc, char **argv,
			   unsigned int *mask)
{
	char names[96];
	int i;

	*mask = 0;
	for (int n = 0; n < argc; n++) {
		if (is_help(argv[n])) {		/* bench -n 5 help */
			bench_help(c);
			return -1;
		}
		if (!strcmp(argv[n], "all")) {
			*mask |= ALL_MASK;
			continue;
		}
		i = TABLE_LOOKUP(workloads, NWORKLOADS, argv[n]);
		if (i < 0) {
			table_candidates(workloads, NWORKLOADS,
					 sizeof(workloads[0]),
					 i == -2 ? argv[n] : "", names,
					 sizeof(names));
			return ctl_err(c, CTL_USAGE, "bench: %s workload '%s' (%s%s)",
				       i == -2 ? "ambiguous" : "unknown", argv[n],
				       names, i == -2 ? "" : ", all");
		}
		if (n + 1 < argc && is_help(argv[n + 1])) {
			workload_help(c, &workloads[i]);
			return -1;
		}
		*mask |= 1u << i;
	}
	if (!*mask)
		*mask = ALL_MASK;
	return 0;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct bench_args *a, unsigned int *mask)
{
	static const struct option opts[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned int dflt[] = { 1, 2, 4, 8, 64 };
	int ret;

	a->b->count = COUNT_DEFAULT;
	a->b->nthreads = sizeof(dflt) / sizeof(dflt[0]);
	memcpy(a->b->threads, dflt, sizeof(dflt));
	/* no '+': options may follow the workloads (bench null -n 10) */
	ret = parse_cmd_opts(c, "bench", argc, argv, ":D:n:t:", opts, NULL,
			     own_opt, a, true);
	if (ret)
		return ret;
	return parse_workloads(c, argc - optind, argv + optind, mask);
}

int do_bench(struct ctl *c, int argc, char **argv)
{
	struct bench b = { .c = c, .f.fd = -1 };
	struct bench_args a = { .b = &b };
	unsigned int mask;
	int ret;

	if (wants_help(argc, argv) || has_help_flag(argc, argv, 1))
		return bench_help(c);
	session_opts_init(&a.so);
	ret = parse_args(c, argc, argv, &a, &mask);
	if (ret < 0)
		return CTL_OK;		/* a workload's help */
	if (!ret)
		ret = session_start(c, &a.so, &b.f);
	if (ret)
		return ret;
	bench_print_head(&b);
	for (size_t i = 0; i < NWORKLOADS; i++)
		if (mask & (1u << i) && workloads[i].run != bench_process)
			workloads[i].run(&b);
	if (b.echo_open)
		frpc_skel_close(&b.f, b.echo);
	/* what the driver still counts for the session when it ends */
	if (c->jw)
		json_client(c->jw, b.f.fd);
	frpc_close(&b.f);
	/*
	 * Last, with the session closed: a process of ours attached to the
	 * root PD would stand in the way of its dynamic PDs (EALREADY).
	 */
	if (mask & (1u << PROCESS))
		bench_process(&b);
	bench_print_errors(&b);
	return b.nerrs ? CTL_FAIL : CTL_OK;
}
