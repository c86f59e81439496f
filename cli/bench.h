/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bench.c (options, workloads), bench_shapes.c (the shapes workload)
 * and bench_stats.c (statistics, the table and the JSON) share.
 */
#ifndef FASTRPCCTL_BENCH_H
#define FASTRPCCTL_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "libfrpc.h"	/* struct frpc */

struct ctl;

#define BENCH_THREADS_MAX	256	/* one thread count of -t */
#define BENCH_THREAD_LIST_MAX	16	/* entries of -t */
#define BENCH_ERRS_MAX		32

/* A workload that failed: its name, the call's result, what was done */
struct bench_err {
	const char *workload;
	int ret;
	char message[320];
};

struct bench {
	struct ctl *c;
	struct frpc f;		/* the one session of the invoking workloads */
	uint32_t echo;		/* echo skel handle on f, when echo_open */
	bool echo_open;
	uint64_t count;		/* -n */
	unsigned int threads[BENCH_THREAD_LIST_MAX];	/* -t */
	int nthreads;
	struct bench_err errs[BENCH_ERRS_MAX];
	int nerrs;
};

/* Records a failure of workload (and prints it in text mode) */
void bench_fail(struct bench *b, const char *workload, int ret,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The echo skel (the vdsp's): out[i] = in[i] for n pairs; 0: the null call */
int bench_echo(struct frpc *f, uint32_t handle, unsigned int n,
	       struct fastrpc_invoke_args *args);
/* Opens it on b's session once (b->echo); a failure is recorded */
int bench_echo_open(struct bench *b, const char *workload);

/* The workloads in files of their own */
int bench_shapes(struct bench *b);	/* bench_shapes.c */
int bench_stat(struct bench *b);	/* bench_tools.c; nobpf.c: fails */

/* stat: the rounds of attached and detached phases, and their figures */
#define BENCH_STAT_ROUNDS	25
struct bench_tool {
	int rounds;
	double loss_pct[BENCH_STAT_ROUNDS];	/* each round's */
	double attached_cps, detached_cps;	/* the phases' mean rates */
};

/* Statistics of n timed operations, each ns[i] ns, over wall ns */
struct bench_stats {
	uint64_t n;
	uint64_t p50, p99, max, mean;
	double per_s;		/* n over the wall time */
};

/* CLOCK_MONOTONIC in ns */
uint64_t bench_now(void);
/* room for n samples, or NULL with the failure recorded */
uint64_t *bench_samples(struct bench *b, uint64_t n);
/* sorts ns */
void bench_stats_of(struct bench_stats *s, uint64_t *ns, uint64_t n,
		    uint64_t wall);

/* The report: a table, or members of the one JSON object */
void bench_print_head(struct bench *b);
void bench_print_null(struct bench *b, uint64_t warmup,
		      const struct bench_stats *s);
void bench_print_threads(struct bench *b, uint64_t warmup,
			 const struct bench_stats *s, int rows);
/*
 * shapes: one row each, between begin and end; refused: the -errno of a
 * shape the driver does not take (E2BIG: its limit on inline data)
 */
void bench_print_shapes_begin(struct bench *b);
void bench_print_shape(struct bench *b, unsigned int bufs, uint64_t bytes,
		       bool fd, int refused, const struct bench_stats *s);
void bench_print_shapes_end(struct bench *b);
/* mem: MEM_MAP+MEM_UNMAP, MMAP+MUNMAP, ALLOC_DMA_BUFF+close; ok[i]: measured */
void bench_print_mem(struct bench *b, uint64_t size,
		     const struct bench_stats s[3], const bool ok[3]);
/* process: create+close, attach+close */
void bench_print_process(struct bench *b, const struct bench_stats s[2],
			 const bool ok[2]);
/* a tool's cost (bench_tools.c) */
void bench_print_tool(struct bench *b, const char *name,
		      const struct bench_tool *t);
/* the errors; in JSON the end of the object */
void bench_print_errors(struct bench *b);

#endif
