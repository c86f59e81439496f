// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl bench shapes: echo calls by argument shape (bench.c runs it).
 * The rows: 0, 1, 2, 4, 8 and 16 in-buffers of 4 KiB, then one buffer of
 * 0 B, 64 B, 64 KiB, 1 MiB and 16 MiB; each inline (user pointers) and as
 * the driver's own dma-bufs (ALLOC_DMA_BUFF fds), passed by fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "libfrpc.h"
#include "mem.h"

/*
 * shapes: bufs in-buffers of bytes each and their out-buffers, from
 * malloc (inline) or driver dma-bufs (fd); the in-buffers filled, the
 * out-buffers cleared before the timed calls and compared after them.
 */
#define SHAPE_BUFS_MAX	16
#define SHAPE_BUDGET	(64 * 1024)	/* bytes per direction per COUNT */
/*
 * but never fewer calls than this (or COUNT): a median of the 7 calls
 * that 16 MiB got of COUNT 2000 moved by a third between runs, more
 * than the two drivers differ there (docs/PERFORMANCE.md)
 */
#define SHAPE_MIN_CALLS	21

struct shape_bufs {
	unsigned int n;		/* 2 * bufs: ins, then outs */
	uint64_t bytes;
	bool fd;
	struct dbuf db[2 * SHAPE_BUFS_MAX];
	void *p[2 * SHAPE_BUFS_MAX];
	struct fastrpc_invoke_args args[2 * SHAPE_BUFS_MAX];
};

static void shape_free(struct shape_bufs *sb)
{
	for (unsigned int i = 0; i < sb->n; i++) {
		if (sb->fd)
			dbuf_free(&sb->db[i]);
		else
			free(sb->p[i]);
	}
	sb->n = 0;
}

/* CPU access to buffer i: brackets a dma-buf's, nothing for memory */
static void shape_sync(const struct shape_bufs *sb, unsigned int i, bool end)
{
	if (sb->fd)
		dbuf_sync(&sb->db[i], end);
}

static int shape_alloc(struct bench *b, struct shape_bufs *sb)
{
	unsigned int bufs = sb->n / 2;
	int ret;

	for (unsigned int i = 0; i < sb->n; i++) {
		if (sb->fd) {
			ret = dbuf_make(&b->f, DBUF_DRIVER, sb->bytes, 0,
					&sb->db[i]);
			if (ret) {
				dbuf_free(&sb->db[i]);
				sb->n = i;
				return ret;
			}
			sb->p[i] = sb->db[i].map;
			sb->args[i] = frpc_arg_fd(sb->db[i].fd, sb->p[i],
						  sb->bytes);
		} else {
			sb->p[i] = malloc(sb->bytes ? sb->bytes : 1);
			if (!sb->p[i]) {
				sb->n = i;
				return -ENOMEM;
			}
			sb->args[i] = frpc_arg(sb->p[i], sb->bytes);
		}
		shape_sync(sb, i, false);
		/* in-buffer i: byte i + 1; out-buffers: 0 */
		memset(sb->p[i], i < bufs ? (int)i + 1 : 0, sb->bytes);
		shape_sync(sb, i, true);
	}
	return 0;
}

/* The index of the first out-buffer not equal to its in-buffer, or -1 */
static int shape_check(const struct shape_bufs *sb)
{
	unsigned int bufs = sb->n / 2;
	int bad = -1;

	for (unsigned int i = 0; i < bufs && bad < 0; i++) {
		shape_sync(sb, bufs + i, false);
		if (memcmp(sb->p[i], sb->p[bufs + i], sb->bytes))
			bad = (int)i;
		shape_sync(sb, bufs + i, true);
	}
	return bad;
}

/* Fewer calls for big shapes: about COUNT x 64 KiB each way */
static uint64_t shape_calls(uint64_t count, unsigned int bufs, uint64_t bytes)
{
	uint64_t total = bufs * bytes, n;
	uint64_t least = count < SHAPE_MIN_CALLS ? count : SHAPE_MIN_CALLS;

	if (total <= SHAPE_BUDGET)
		return count;
	n = count * SHAPE_BUDGET / total;
	return n > least ? n : least;
}

static int shape_row(struct bench *b, unsigned int bufs, uint64_t bytes,
		     bool fd, struct bench_stats *s)
{
	struct shape_bufs *sb = calloc(1, sizeof(*sb));
	uint64_t n = shape_calls(b->count, bufs, bytes), *ns = NULL, t0, t1;
	const char *kind = fd ? "fd" : "inline";
	bool refused = false;
	int ret, bad;

	if (!sb) {
		bench_fail(b, "shapes", -ENOMEM, "%u x %llu bytes %s", bufs,
			   (unsigned long long)bytes, kind);
		return -1;
	}
	sb->n = 2 * bufs;
	sb->bytes = bytes;
	sb->fd = fd;
	ret = shape_alloc(b, sb);
	if (ret) {
		bench_fail(b, "shapes", ret, "%u x %llu bytes %s: %s of the buffers",
			   bufs, (unsigned long long)bytes, kind,
			   fd ? "ALLOC_DMA_BUFF" : "malloc");
		goto out;
	}
	ret = -ENOMEM;
	ns = bench_samples(b, n);
	if (!ns)
		goto out;
	t0 = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t = bench_now();

		ret = bench_echo(&b->f, b->echo, bufs, sb->args);
		ns[i] = bench_now() - t;
		if (ret == -E2BIG && !fd && !i) {
			/* a limit on inline data, not a failure: a row that says so */
			*s = (struct bench_stats) { 0 };
			refused = true;
			goto out;
		}
		if (ret) {
			bench_fail(b, "shapes", ret, "%u x %llu bytes %s: call %llu",
				   bufs, (unsigned long long)bytes, kind,
				   (unsigned long long)i);
			goto out;
		}
	}
	t1 = bench_now();
	bad = shape_check(sb);
	if (bad >= 0) {
		ret = -EIO;
		bench_fail(b, "shapes", ret, "%u x %llu bytes %s: out-buffer %d is not its in-buffer",
			   bufs, (unsigned long long)bytes, kind, bad);
		goto out;
	}
	bench_stats_of(s, ns, n, t1 - t0);
out:
	free(ns);
	shape_free(sb);
	free(sb);
	return refused ? 1 : ret ? -1 : 0;
}

/* One row: measured, refused by the inline limit, or failed (-1) */
static int shape(struct bench *b, unsigned int bufs, uint64_t bytes, bool fd)
{
	struct bench_stats s;
	int ret = shape_row(b, bufs, bytes, fd, &s);

	if (ret >= 0)
		bench_print_shape(b, bufs, bytes, fd, ret ? -E2BIG : 0, &s);
	return ret < 0 ? -1 : 0;
}

int bench_shapes(struct bench *b)
{
	static const unsigned int bufs[] = { 0, 1, 2, 4, 8, 16 };
	static const uint64_t sizes[] = {
		0, 64, 4096, 64 << 10, 1 << 20, 16 << 20,
	};
	int ret = 0;

	if (bench_echo_open(b, "shapes"))
		return -1;
	bench_print_shapes_begin(b);
	/* BUFS at 4 KiB, then sizes with one buffer; inline, then fd */
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		for (int fd = 0; fd < 2 && (fd == 0 || bufs[i]); fd++)
			ret |= shape(b, bufs[i], bufs[i] ? 4096 : 0, fd);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int fd = 0; fd < 2 && (fd == 0 || sizes[i]); fd++)
			if (sizes[i] != 4096)	/* a row of the first sweep */
				ret |= shape(b, 1, sizes[i], fd);
	bench_print_shapes_end(b);
	return ret;
}
