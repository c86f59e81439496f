// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl bench's statistics (nearest-rank percentiles of every timed
 * operation) and its report: a table, or one JSON object whose members
 * fastrpcctl(8) documents.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "ctl.h"
#include "errors.h"
#include "json_writer.h"
#include "parse.h"

uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t *bench_samples(struct bench *b, uint64_t n)
{
	uint64_t *ns = malloc((n ? n : 1) * sizeof(*ns));

	if (!ns)
		bench_fail(b, "bench", -ENOMEM, "%llu samples",
			   (unsigned long long)n);
	return ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* the smallest sample with at least pct % of them at or below it */
static uint64_t rank(const uint64_t *sorted, uint64_t n, unsigned int pct)
{
	uint64_t r = (n * pct + 99) / 100;

	return sorted[r ? r - 1 : 0];
}

void bench_stats_of(struct bench_stats *s, uint64_t *ns, uint64_t n,
		    uint64_t wall)
{
	uint64_t sum = 0;

	*s = (struct bench_stats) { .n = n };
	if (!n)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (uint64_t i = 0; i < n; i++)
		sum += ns[i];
	s->p50 = rank(ns, n, 50);
	s->p99 = rank(ns, n, 99);
	s->max = ns[n - 1];
	s->mean = sum / n;
	s->per_s = wall ? n * 1e9 / wall : 0;
}

static double us(uint64_t ns)
{
	return ns / 1000.0;
}

/* a rate as a JSON number: whole units, as rates are read */
static uint64_t rate(double per_s)
{
	return (uint64_t)(per_s + 0.5);
}

void bench_print_head(struct bench *b)
{
	if (b->c->jw) {
		jw_obj_open(b->c->jw);
		jw_kstr(b->c->jw, "domain", domain_name(b->f.domain_id));
		jw_kstr(b->c->jw, "node", b->f.path);
		jw_kuint(b->c->jw, "count", b->count);
		return;
	}
	printf("bench on %s (%s), COUNT %llu\n", domain_name(b->f.domain_id),
	       b->f.path, (unsigned long long)b->count);
}

void bench_print_null(struct bench *b, uint64_t warmup,
		      const struct bench_stats *s)
{
	struct jw *w = b->c->jw;

	if (!w) {
		printf("null: %llu calls (after %llu): p50 %.1f us, p99 %.1f us, max %.1f us, mean %.1f us, %.0f calls/s\n",
		       (unsigned long long)s->n, (unsigned long long)warmup,
		       us(s->p50), us(s->p99), us(s->max), us(s->mean),
		       s->per_s);
		return;
	}
	jw_key(w, "null");
	jw_obj_open(w);
	jw_kuint(w, "warmup", warmup);
	jw_kuint(w, "calls", s->n);
	jw_kuint(w, "p50_ns", s->p50);
	jw_kuint(w, "p99_ns", s->p99);
	jw_kuint(w, "max_ns", s->max);
	jw_kuint(w, "mean_ns", s->mean);
	jw_kuint(w, "calls_per_s", rate(s->per_s));
	jw_obj_close(w);
}

void bench_print_threads(struct bench *b, uint64_t warmup,
			 const struct bench_stats *s, int rows)
{
	struct jw *w = b->c->jw;

	if (!w) {
		printf("threads: %llu null calls per row (after %llu), one fd\n"
		       "  %7s %9s %11s %10s %10s\n",
		       (unsigned long long)b->count, (unsigned long long)warmup,
		       "THREADS", "CALLS", "CALLS/S", "P50_US", "P99_US");
		for (int i = 0; i < rows; i++)
			printf("  %7u %9llu %11.0f %10.1f %10.1f\n",
			       b->threads[i], (unsigned long long)s[i].n,
			       s[i].per_s, us(s[i].p50), us(s[i].p99));
		return;
	}
	jw_key(w, "threads");
	jw_arr_open(w);
	for (int i = 0; i < rows; i++) {
		jw_obj_open(w);
		jw_kuint(w, "threads", b->threads[i]);
		jw_kuint(w, "warmup", warmup);
		jw_kuint(w, "calls", s[i].n);
		jw_kuint(w, "calls_per_s", rate(s[i].per_s));
		jw_kuint(w, "p50_ns", s[i].p50);
		jw_kuint(w, "p99_ns", s[i].p99);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* MB (10^6 bytes) per second moved each way and back */
static double mb_per_s(unsigned int bufs, uint64_t bytes,
		       const struct bench_stats *s)
{
	return 2.0 * bufs * bytes * s->per_s / 1e6;
}

void bench_print_shapes_begin(struct bench *b)
{
	if (b->c->jw) {
		jw_key(b->c->jw, "shapes");
		jw_arr_open(b->c->jw);
		return;
	}
	printf("shapes: BUFS in-buffers of BYTES echoed into as many out-buffers\n"
	       "  %4s %9s %6s %7s %10s %10s %10s\n", "BUFS", "BYTES", "KIND",
	       "CALLS", "P50_US", "MEAN_US", "MB/S");
}

void bench_print_shape(struct bench *b, unsigned int bufs, uint64_t bytes,
		       bool fd, int refused, const struct bench_stats *s)
{
	const char *kind = fd ? "fd" : "inline";
	struct jw *w = b->c->jw;
	char why[96];

	if (!w && refused) {
		printf("  %4u %9llu %6s refused: %s\n", bufs,
		       (unsigned long long)bytes, kind,
		       ret_text(refused, why, sizeof(why)));
		return;
	}
	if (!w) {
		printf("  %4u %9llu %6s %7llu %10.1f %10.1f %10.1f\n", bufs,
		       (unsigned long long)bytes, kind,
		       (unsigned long long)s->n, us(s->p50), us(s->mean),
		       mb_per_s(bufs, bytes, s));
		return;
	}
	jw_obj_open(w);
	jw_kuint(w, "bufs", bufs);
	jw_kuint(w, "bytes", bytes);
	jw_kstr(w, "kind", kind);
	jw_kuint(w, "calls", s->n);
	if (refused) {
		json_call_result(w, refused);
		jw_kstr(w, "message", ret_text(refused, why, sizeof(why)));
	} else {
		jw_kuint(w, "p50_ns", s->p50);
		jw_kuint(w, "p99_ns", s->p99);
		jw_kuint(w, "mean_ns", s->mean);
		jw_kuint(w, "calls_per_s", rate(s->per_s));
		jw_kdouble(w, "mb_per_s", mb_per_s(bufs, bytes, s), 3);
	}
	jw_obj_close(w);
}

void bench_print_shapes_end(struct bench *b)
{
	if (b->c->jw)
		jw_arr_close(b->c->jw);
}

/* A table of operations, or their JSON members (null: not measured) */
static void print_ops(struct bench *b, const char *title,
		      const char *const *names, const char *const *keys,
		      int n, const struct bench_stats *s, const bool *ok)
{
	struct jw *w = b->c->jw;

	if (!w)
		printf("%s\n  %-22s %7s %10s %10s\n", title, "OP", "OPS",
		       "OPS/S", "P50_US");
	for (int i = 0; i < n; i++) {
		if (!w) {
			if (ok[i])
				printf("  %-22s %7llu %10.0f %10.1f\n", names[i],
				       (unsigned long long)s[i].n, s[i].per_s,
				       us(s[i].p50));
			continue;
		}
		jw_key(w, keys[i]);
		if (!ok[i]) {
			jw_null(w);
			continue;
		}
		jw_obj_open(w);
		jw_kuint(w, "ops", s[i].n);
		jw_kuint(w, "ops_per_s", rate(s[i].per_s));
		jw_kuint(w, "p50_ns", s[i].p50);
		jw_kuint(w, "p99_ns", s[i].p99);
		jw_obj_close(w);
	}
}

void bench_print_mem(struct bench *b, uint64_t size,
		     const struct bench_stats s[3], const bool ok[3])
{
	static const char *const names[] = {
		"MEM_MAP+MEM_UNMAP", "MMAP+MUNMAP", "ALLOC_DMA_BUFF+close",
	};
	static const char *const keys[] = { "mem_map", "mmap", "alloc" };
	char title[64];

	snprintf(title, sizeof(title), "mem: %llu bytes each",
		 (unsigned long long)size);
	if (b->c->jw) {
		jw_key(b->c->jw, "mem");
		jw_obj_open(b->c->jw);
		jw_kuint(b->c->jw, "bytes", size);
	}
	print_ops(b, title, names, keys, 3, s, ok);
	if (b->c->jw)
		jw_obj_close(b->c->jw);
}

void bench_print_process(struct bench *b, const struct bench_stats s[2],
			 const bool ok[2])
{
	static const char *const names[] = {
		"open+create+close", "open+attach+close",
	};
	static const char *const keys[] = { "create", "attach" };

	if (b->c->jw) {
		jw_key(b->c->jw, "process");
		jw_obj_open(b->c->jw);
	}
	print_ops(b, "process: a new fd each, released by its close", names,
		  keys, 2, s, ok);
	if (b->c->jw)
		jw_obj_close(b->c->jw);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double sorted[BENCH_STAT_ROUNDS];

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

void bench_print_tool(struct bench *b, const char *name,
		      const struct bench_tool *t)
{
	struct jw *w = b->c->jw;
	double loss = median(t->loss_pct, t->rounds);

	if (!w) {
		printf("%s: %llu null calls a phase, attached and detached in turn, %d rounds\n"
		       "  throughput lost %.2f %% (median of the rounds), detached %llu calls/s, attached %llu calls/s\n"
		       "  rounds:",
		       name, (unsigned long long)b->count, t->rounds, loss,
		       (unsigned long long)rate(t->detached_cps),
		       (unsigned long long)rate(t->attached_cps));
		for (int i = 0; i < t->rounds; i++)
			printf(" %.2f", t->loss_pct[i]);
		printf("\n");
		return;
	}
	jw_key(w, name);
	jw_obj_open(w);
	jw_kuint(w, "calls", b->count);
	jw_kint(w, "rounds", t->rounds);
	jw_kdouble(w, "loss_pct", loss, 2);
	jw_kuint(w, "detached_calls_per_s", rate(t->detached_cps));
	jw_kuint(w, "attached_calls_per_s", rate(t->attached_cps));
	jw_key(w, "round_loss_pct");
	jw_arr_open(w);
	for (int i = 0; i < t->rounds; i++)
		jw_double(w, t->loss_pct[i], 2);
	jw_arr_close(w);
	jw_obj_close(w);
}

void bench_print_errors(struct bench *b)
{
	struct jw *w = b->c->jw;

	if (!w) {
		if (b->nerrs)
			printf("%d failure%s (above)\n", b->nerrs,
			       b->nerrs == 1 ? "" : "s");
		return;
	}
	jw_key(w, "errors");
	jw_arr_open(w);
	for (int i = 0; i < b->nerrs; i++) {
		const struct bench_err *e = &b->errs[i];

		jw_obj_open(w);
		jw_kstr(w, "workload", e->workload);
		json_call_result(w, e->ret);
		jw_kstr(w, "message", e->message);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
}
