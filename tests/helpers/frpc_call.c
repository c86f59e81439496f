// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_call DOMAIN COMMAND [ARGS]: one ioctl path of the fastrpc driver
 * against the vdsp, with the data checked end to end. Prints one "ok:"
 * line per verified fact; exits 1 at the first surprise.
 *
 *   calc                  calculator sum and max
 *   calc-zeroed           an output's unwritten bytes, in a reused payload
 *   echo-ptr              echo through user pointers, overlapping ones too
 *   echo-big              echo of 16 MiB through user pointers, twice
 *   keep-large            the last payload past 1 MiB, kept and reused
 *   keep-large-none       none kept (payload_keep_large_kib=0)
 *   keep-large-loop N     N large echoes of varying sizes, checked
 *   fresh-large           payloads past those kept: unwritten bytes zero
 *   echo-fd EXPORTER      echo through dma-bufs (fastrpc, heap, udmabuf)
 *   fdlist EXPORTER       a DMA handle by fd: the DSP's fd list lets it go
 *   memmap EXPORTER       MEM_MAP a dma-buf, memtest on it, MEM_UNMAP
 *   mmap [EXPORTER]       MMAP driver memory (or a dma-buf), memtest, MUNMAP
 *   info                  GET_DSP_INFO, fetched once per domain
 *   create ptr|fd [unsigned]   a dynamic PD from a Hexagon shell ELF
 *   static NAME           a static PD on the channel's remote heap
 *   sensors               attach to the sensors PD
 *   free                  ALLOC_DMA_BUFF / FREE_DMA_BUFF ownership
 *   hold SECONDS [BYTES]  open and attach (and echo BYTES through user
 *                         pointers, keeping a large payload), print
 *                         "ready", wait
 *   sessions N            N processes each open and attach, all at once;
 *                         prints "session I: ok" or its errno's name
 */
#include "frpc_common.h"

#include <fastrpc/wire.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *domain;

/*
 * The bytes of an output the DSP does not write are zero, in a payload
 * that the client's last call used: the sum writes 8 bytes of a 4 KiB
 * output that lies where the last call's input was.
 */
static void cmd_calc_zeroed(void)
{
	static int32_t v[1024], out[1024];
	struct fastrpc_invoke_args a[2];
	int64_t sum = 0;
	struct frpc f;
	uint32_t h;
	size_t k;

	frpc_session(&f, domain, 0, "calculator", &h);
	for (k = 0; k < 1024; k++)
		v[k] = -1;
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	FRPC_OK(frpc_invoke(&f, h, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	memset(out, 0xee, sizeof(out));
	a[0] = frpc_arg(v, 4 * sizeof(v[0]));
	a[1] = frpc_arg(out, sizeof(out));
	FRPC_OK(frpc_invoke(&f, h, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	memcpy(&sum, out, sizeof(sum));
	FRPC_CHECK(sum == -4, "sum %lld", (long long)sum);
	for (k = 2; k < 1024; k++)
		FRPC_CHECK(!out[k], "output word %zu not zeroed: 0x%x", k, out[k]);
	frpc_close(&f);
	printf("ok: the output's unwritten bytes zero in a payload used before\n");
}

static void cmd_calc(void)
{
	struct fastrpc_invoke_args a[2];
	int32_t v[1000], max = 0;
	int64_t sum = 0;
	uint32_t h;
	struct frpc f;
	int i;

	frpc_session(&f, domain, 0, "calculator", &h);
	for (i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000 - 300;
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	FRPC_OK(frpc_invoke(&f, h, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	FRPC_CHECK(sum == 199500, "sum %lld", (long long)sum);
	a[1] = frpc_arg(&max, sizeof(max));
	FRPC_OK(frpc_invoke(&f, h, FASTRPC_SC(CALCULATOR_METHOD_MAX, 1, 1), a));
	FRPC_CHECK(max == 699, "max %d", max);
	printf("ok: calculator sum=%lld max=%d\n", (long long)sum, max);
	FRPC_OK(frpc_skel_close(&f, h));
	frpc_close(&f);
}

/* Pairs of sizes: in, out (out longer than in gets zeros) */
static const size_t echo_sizes[][2] = {
	{ 1, 1 }, { 127, 127 }, { 128, 200 }, { 4095, 4095 }, { 4096, 4096 },
	{ 4097, 5000 }, { 65539, 65539 }, { 0, 16 }, { 1048581, 1048581 },
};

static void echo_sizes_check(struct frpc *f, uint32_t h)
{
	unsigned int n = sizeof(echo_sizes) / sizeof(echo_sizes[0]), i;
	struct fastrpc_invoke_args a[2 * 9];
	unsigned char *in[9], *out[9];

	for (i = 0; i < n; i++) {
		in[i] = malloc(echo_sizes[i][0] + 1);
		out[i] = malloc(echo_sizes[i][1] + 1);
		frpc_fill(in[i], echo_sizes[i][0], 100 + i);
		memset(out[i], 0xee, echo_sizes[i][1]);
		a[i] = frpc_arg(in[i], echo_sizes[i][0]);
		a[n + i] = frpc_arg(out[i], echo_sizes[i][1]);
	}
	FRPC_OK(frpc_echo(f, h, a, n));
	for (i = 0; i < n; i++) {
		size_t k, il = echo_sizes[i][0], ol = echo_sizes[i][1];

		FRPC_CHECK(frpc_mismatch(out[i], il, 100 + i) < 0,
			   "echo pair %u (%zu bytes) differs", i, il);
		for (k = il; k < ol; k++)
			FRPC_CHECK(!out[i][k], "echo pair %u: byte %zu not zeroed", i, k);
		free(in[i]);
		free(out[i]);
	}
	printf("ok: echo of %u buffer pairs, 0 to 1048581 bytes\n", n);
}

/* in[0], in[1] overlap in one buffer; so do out[0], out[1] in another */
static void echo_overlap_check(struct frpc *f, uint32_t h)
{
	static unsigned char b[8192], c[8192], want[8192];
	struct fastrpc_invoke_args a[4];

	frpc_fill(b, sizeof(b), 7);
	memset(c, 0, sizeof(c));
	a[0] = frpc_arg(b, 4096);
	a[1] = frpc_arg(b + 2048, 4096);
	a[2] = frpc_arg(c, 4096);
	a[3] = frpc_arg(c + 1024, 4096);
	FRPC_OK(frpc_echo(f, h, a, 2));
	/* the DSP writes out[0], then out[1] over its tail */
	memset(want, 0, sizeof(want));
	memcpy(want, b, 4096);
	memcpy(want + 1024, b + 2048, 4096);
	FRPC_CHECK(!memcmp(c, want, sizeof(c)), "overlapping echo differs");
	printf("ok: echo with overlapping inputs and overlapping outputs\n");

	/* in and out in the same memory, out 100 bytes past in */
	frpc_fill(b, sizeof(b), 8);
	memcpy(want, b, sizeof(b));
	a[0] = frpc_arg(b, 4096);
	a[1] = frpc_arg(b + 100, 4096);
	FRPC_OK(frpc_echo(f, h, a, 1));
	memmove(want + 100, want, 4096);
	FRPC_CHECK(!memcmp(b, want, sizeof(b)), "in-place echo differs");
	printf("ok: echo with an output overlapping its input\n");
}

static void cmd_echo_ptr(void)
{
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	echo_sizes_check(&f, h);
	echo_overlap_check(&f, h);
	frpc_close(&f);
}

/*
 * 16 MiB in, 16 MiB and a few bytes out: a payload of 32 MiB, past one
 * contiguous allocation (4 MiB), that only an IOMMU bank's can hold. Twice,
 * the output dirtied in between: each call's payload is its own, its
 * output's tail zero, whatever the last call left.
 */
#define BIG_IN		(16u << 20)
#define BIG_OUT		(BIG_IN + 5000)

static void cmd_echo_big(void)
{
	unsigned char *in = malloc(BIG_IN), *out = malloc(BIG_OUT);
	struct fastrpc_invoke_args a[2];
	struct frpc f;
	uint32_t h, i;
	size_t k;

	FRPC_CHECK(in && out, "no memory for the buffers");
	frpc_session(&f, domain, 0, "echo", &h);
	for (i = 0; i < 2; i++) {
		frpc_fill(in, BIG_IN, 40 + i);
		memset(out, 0xee, BIG_OUT);
		a[0] = frpc_arg(in, BIG_IN);
		a[1] = frpc_arg(out, BIG_OUT);
		FRPC_OK(frpc_echo(&f, h, a, 1));
		FRPC_CHECK(frpc_mismatch(out, BIG_IN, 40 + i) < 0,
			   "call %u: the 16 MiB echo differs at byte %ld", i,
			   frpc_mismatch(out, BIG_IN, 40 + i));
		for (k = BIG_IN; k < BIG_OUT; k++)
			FRPC_CHECK(!out[k], "call %u: byte %zu not zeroed", i, k);
	}
	frpc_close(&f);
	free(in);
	free(out);
	printf("ok: echo of %u bytes into %u, twice\n", BIG_IN, BIG_OUT);
}

/*
 * The payload of one echo pair of @in and @out bytes, multiples of
 * FASTRPC_WIRE_ALIGN (so that their order in it does not matter): the
 * metadata, then the two copies, in pages
 */
static long long echo_payload(size_t in, size_t out)
{
	size_t meta = FASTRPC_WIRE_META_SIZE(2, 2);
	size_t page = sysconf(_SC_PAGESIZE);
	size_t total;

	total = (meta + FASTRPC_WIRE_ALIGN - 1) / FASTRPC_WIRE_ALIGN *
		FASTRPC_WIRE_ALIGN + in + out;
	return (total + page - 1) / page * page;
}

/* One echo of @in bytes into @out, every byte of the output checked */
static void keep_echo(struct frpc *f, uint32_t h, size_t in, size_t out,
		      uint32_t seed)
{
	unsigned char *a = malloc(in + 1), *b = malloc(out + 1);
	struct fastrpc_invoke_args args[2];
	size_t k, n = in < out ? in : out;

	FRPC_CHECK(a && b, "no memory for the buffers");
	frpc_fill(a, in, seed);
	memset(b, 0xee, out);
	args[0] = frpc_arg(a, in);
	args[1] = frpc_arg(b, out);
	FRPC_OK(frpc_echo(f, h, args, 1));
	FRPC_CHECK(frpc_mismatch(b, n, seed) < 0,
		   "echo of %zu into %zu differs at byte %ld", in, out,
		   frpc_mismatch(b, n, seed));
	for (k = n; k < out; k++)
		FRPC_CHECK(!b[k], "echo of %zu into %zu: byte %zu not zero",
			   in, out, k);
	free(a);
	free(b);
}

/* fdinfo's large payload: its bytes, and the calls that reused it */
static void keep_expect(struct frpc *f, long long bytes, long long reuses,
			const char *what)
{
	long long b = frpc_fdinfo(f->fd, "payload-large-bytes");
	long long r = frpc_fdinfo(f->fd, "payload-large-reuses");

	FRPC_CHECK(b == bytes && r == reuses,
		   "%s: fdinfo payload-large-bytes %lld, reuses %lld; want %lld, %lld",
		   what, b, r, bytes, reuses);
	FRPC_CHECK(frpc_fdinfo(f->fd, "payload-cache-bytes") >= b,
		   "%s: fdinfo payload-cache-bytes %lld, less than the large one",
		   what, frpc_fdinfo(f->fd, "payload-cache-bytes"));
}

#define MIB	(1024 * 1024)

/*
 * The calculator's sum of @n values writes 8 bytes of its output: the
 * rest must come back zero, whatever the payload held before (the echo
 * skel zeroes an output's tail itself, so only this shows the driver's
 * clearing). @n values in, @out bytes out.
 */
static void calc_zeroed(struct frpc *f, uint32_t calc, const int32_t *v,
			size_t n, size_t out)
{
	struct fastrpc_invoke_args a[2];
	unsigned char *b = malloc(out);
	int64_t sum, want = 0;
	size_t k;

	FRPC_CHECK(b, "no memory for the output");
	for (k = 0; k < n; k++)
		want += v[k];
	memset(b, 0xee, out);
	a[0] = frpc_arg(v, n * sizeof(*v));
	a[1] = frpc_arg(b, out);
	FRPC_OK(frpc_invoke(f, calc, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1),
			    a));
	memcpy(&sum, b, sizeof(sum));
	FRPC_CHECK(sum == want, "sum %lld of %zu values, want %lld",
		   (long long)sum, n, (long long)want);
	for (k = sizeof(sum); k < out; k++)
		FRPC_CHECK(!b[k], "calculator output byte %zu of %zu not zero: 0x%x",
			   k, out, b[k]);
	free(b);
}

/* 16 bytes in, @out bytes out, in a reused large payload an echo filled */
static void keep_calc_zeroed(struct frpc *f, uint32_t calc, size_t out)
{
	static const int32_t v[4] = { 1, 2, 3, -10 };

	calc_zeroed(f, calc, v, 4, out);
}

/* What the shrinker runs on: drop_caches, 2 = slab (shrinkers) only */
static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	FRPC_CHECK(fd >= 0 && write(fd, "2", 1) == 1,
		   "drop_caches: %s", strerror(errno));
	close(fd);
}

static void cmd_keep_large(void)
{
	long long p1 = echo_payload(MIB, MIB), p3 = echo_payload(3 * MIB / 2,
							       3 * MIB / 2);
	struct frpc f;
	uint32_t h, calc;
	char err[256];

	frpc_session(&f, domain, 0, "echo", &h);
	FRPC_OK(frpc_skel_open(&f, "calculator", &calc, err, sizeof(err)));
	keep_expect(&f, 0, 0, "fresh");
	keep_echo(&f, h, MIB, MIB, 1);
	keep_expect(&f, p1, 0, "first 1 MiB echo");
	printf("ok: a 1 MiB echo leaves its payload kept: %lld bytes\n", p1);
	keep_echo(&f, h, MIB, MIB, 2);
	keep_expect(&f, p1, 1, "second 1 MiB echo");
	printf("ok: the next 1 MiB echo reused it\n");

	/* larger: a new one, kept in its place */
	keep_echo(&f, h, 3 * MIB / 2, 3 * MIB / 2, 3);
	keep_expect(&f, p3, 1, "1.5 MiB echo");
	/* smaller, more than half of it: reused, output past input zero */
	keep_echo(&f, h, 768 * 1024, MIB, 4);
	keep_expect(&f, p3, 2, "768 KiB into 1 MiB");
	keep_calc_zeroed(&f, calc, 2 * MIB);
	keep_expect(&f, p3, 3, "calculator, 2 MiB out");
	printf("ok: reused by smaller calls, outputs cleared\n");
	/* less than half of it: given back, the new one kept */
	keep_echo(&f, h, 640 * 1024, 512 * 1024, 5);
	keep_expect(&f, echo_payload(640 * 1024, 512 * 1024), 3,
		    "640 KiB into 512 KiB");
	/* a payload in the free lists' sizes leaves it alone */
	keep_echo(&f, h, 4096, 8192, 6);
	keep_expect(&f, echo_payload(640 * 1024, 512 * 1024), 3, "small echo");
	printf("ok: a payload less than half full is not reused\n");

	drop_caches();
	keep_expect(&f, 0, 3, "drop_caches");
	printf("ok: drop_caches releases it\n");
	keep_echo(&f, h, MIB, MIB, 7);
	keep_expect(&f, p1, 3, "1 MiB echo after drop_caches");
	frpc_close(&f);
	printf("ok: kept again, closed with it\n");
}

static void cmd_keep_large_none(void)
{
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	keep_echo(&f, h, MIB, MIB, 1);
	keep_echo(&f, h, MIB, MIB, 2);
	keep_expect(&f, 0, 0, "two 1 MiB echoes");
	frpc_close(&f);
	printf("ok: nothing kept\n");
}

/* Sizes from 1 MiB + 128 to 2 MiB, in and out, every byte checked */
static void cmd_keep_large_loop(int n)
{
	struct frpc f;
	uint32_t h;
	int i;

	frpc_session(&f, domain, 0, "echo", &h);
	for (i = 0; i < n; i++) {
		size_t in = (size_t)(1 + (i * 37) % 8) * MIB / 8 + 128;
		size_t out = (size_t)(1 + (i * 53) % 8) * MIB / 8;

		keep_echo(&f, h, in, out, 100 + i);
	}
	frpc_close(&f);
	printf("ok: %d large echoes\n", n);
}

/*
 * Memory written with 0xa5 and given back, so that the pages of the next
 * large payload likely held it
 */
static void dirty_free_memory(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	FRPC_CHECK(p != MAP_FAILED, "mmap of %zu bytes: %s", len,
		   strerror(errno));
	memset(p, 0xa5, len);
	munmap(p, len);
}

/*
 * Payloads past what a client keeps (4 MiB) are fresh for every call and
 * come from the page allocator unzeroed (payload.c): the driver zeroes
 * what the call's inputs do not cover before the DSP can see them. Each
 * call here follows 64 MiB of dirtied, freed memory.
 */
static void cmd_fresh_large(void)
{
	size_t n = 6 * MIB / sizeof(int32_t), k, page = sysconf(_SC_PAGESIZE);
	int32_t *v = mmap(NULL, n * sizeof(*v), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct fastrpc_invoke_args a[2];
	struct frpc f;
	uint32_t calc;
	int64_t sum;
	int i, r;

	FRPC_CHECK(v != MAP_FAILED, "mmap: %s", strerror(errno));
	frpc_session(&f, domain, 0, "calculator", &calc);
	for (k = 0; k < n; k++)
		v[k] = 1;
	for (i = 0; i < 3; i++) {
		dirty_free_memory(64 * MIB);
		keep_calc_zeroed(&f, calc, 6 * MIB);
		dirty_free_memory(64 * MIB);
		calc_zeroed(&f, calc, v, n, n * sizeof(*v));
	}
	keep_expect(&f, 0, 0, "12 MiB payloads");
	printf("ok: fresh 6 and 12 MiB payloads: the outputs' unwritten bytes zero, 3 times\n");

	/* a hole in the input: the copy faults, the payload is dropped */
	munmap((char *)v + 3 * MIB, page);
	a[0] = frpc_arg(v, n * sizeof(*v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	r = frpc_invoke(&f, calc, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a);
	FRPC_CHECK(r == -EFAULT, "an input with a hole: %d, want -EFAULT", r);
	dirty_free_memory(64 * MIB);
	keep_calc_zeroed(&f, calc, 6 * MIB);
	printf("ok: an input that faults on a fresh payload: EFAULT, the next call whole\n");
	frpc_close(&f);
	munmap(v, n * sizeof(*v));
}

#define XSIZE	(3 * 1024 * 1024 + 3 * 4096)

static void cmd_echo_fd(const char *exporter)
{
	struct fastrpc_invoke_args a[2];
	struct frpc_xbuf x, y;
	static unsigned char u[XSIZE];
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	frpc_xbuf_alloc(&f, exporter, XSIZE, &x);
	frpc_xbuf_alloc(&f, exporter, XSIZE, &y);

	frpc_fill(x.p, XSIZE, 1);
	memset(y.p, 0, XSIZE);
	a[0] = frpc_arg_fd(x.fd, x.p, XSIZE);
	a[1] = frpc_arg_fd(y.fd, y.p, XSIZE);
	FRPC_OK(frpc_echo(&f, h, a, 1));
	FRPC_CHECK(frpc_mismatch(y.p, XSIZE, 1) < 0, "fd to fd echo differs");
	printf("ok: %s dma-buf to %s dma-buf, %d bytes\n", exporter, exporter, XSIZE);

	/* from inside a dma-buf (its offset from the pointer) to memory */
	a[0] = frpc_arg_fd(x.fd, x.p + 8192 + 100, 70000);
	a[1] = frpc_arg(u, 70000);
	FRPC_OK(frpc_echo(&f, h, a, 1));
	FRPC_CHECK(!memcmp(u, x.p + 8192 + 100, 70000), "fd at offset to memory differs");
	printf("ok: %s dma-buf at offset 8292 to user memory\n", exporter);

	/* from memory to the middle of a dma-buf, the rest untouched */
	frpc_fill(u, 5000, 3);
	memset(y.p, 0x11, XSIZE);
	a[0] = frpc_arg(u, 5000);
	a[1] = frpc_arg_fd(y.fd, y.p + 5 * 4096 + 7, 5000);
	FRPC_OK(frpc_echo(&f, h, a, 1));
	FRPC_CHECK(frpc_mismatch(y.p + 5 * 4096 + 7, 5000, 3) < 0,
		   "memory to fd at offset differs");
	FRPC_CHECK(y.p[5 * 4096 + 6] == 0x11 && y.p[5 * 4096 + 7 + 5000] == 0x11,
		   "bytes around the output changed");
	printf("ok: user memory to %s dma-buf at offset 20487\n", exporter);
	printf("ok: imports cached: fdinfo maps=%lld\n", frpc_fdinfo(f.fd, "maps"));

	frpc_xbuf_free(&x);
	frpc_xbuf_free(&y);
	frpc_close(&f);
}

/*
 * A buffer passed by fd stays imported (cached) after the call; a DMA
 * handle passed by fd is named in the response's fd list, and the driver
 * lets its import go at once.
 */
static void cmd_fdlist(const char *exporter)
{
	static unsigned char u[4096];
	struct fastrpc_invoke_args a[3];
	struct frpc_xbuf x, hb;
	long long maps0;
	struct frpc f;
	uint32_t h;
	int i;

	frpc_session(&f, domain, 0, "echo", &h);
	frpc_xbuf_alloc(&f, exporter, 4 * 4096, &x);
	frpc_xbuf_alloc(&f, exporter, 2 * 4096, &hb);
	maps0 = frpc_fdinfo(f.fd, "maps");
	for (i = 0; i < 3; i++) {
		frpc_fill(x.p, sizeof(u), 7 + i);
		memset(u, 0, sizeof(u));
		a[0] = frpc_arg_fd(x.fd, x.p, sizeof(u));
		a[1] = frpc_arg(u, sizeof(u));
		a[2] = frpc_arg_fd(hb.fd, NULL, 2 * 4096);
		FRPC_OK(frpc_invoke(&f, h,
				    FASTRPC_SC_BUILD(0, ECHO_METHOD_COPY, 1, 1, 1, 0),
				    a));
		FRPC_CHECK(frpc_mismatch(u, sizeof(u), 7 + i) < 0,
			   "echo beside a DMA handle differs (call %d)", i);
		FRPC_CHECK(frpc_fdinfo(f.fd, "maps") == maps0 + 1,
			   "fdinfo maps %lld after call %d, want %lld (the buffer only)",
			   frpc_fdinfo(f.fd, "maps"), i, maps0 + 1);
	}
	printf("ok: %s DMA handle released by the fd list, buffer import cached\n",
	       exporter);
	frpc_xbuf_free(&x);
	frpc_xbuf_free(&hb);
	frpc_close(&f);
	printf("ok: closed with a cached import\n");
}

static uint64_t memtest_checksum(struct frpc *f, uint32_t h, uint64_t va,
				 uint64_t len)
{
	uint64_t sum = 0;

	FRPC_OK(frpc_memtest_checksum(f, h, va, len, &sum));
	return sum;
}

static void memtest_fill(struct frpc *f, uint32_t h, uint64_t va,
			 uint64_t len, unsigned char byte)
{
	FRPC_OK(frpc_memtest_fill(f, h, va, len, byte));
}

/* The DSP sees what we wrote and we see what it writes, at @va */
static void memtest_both_ways(struct frpc *f, uint32_t h, uint64_t va,
			      unsigned char *p, size_t len, const char *what)
{
	size_t i;

	frpc_fill(p, len, 21);
	FRPC_CHECK(memtest_checksum(f, h, va, len) == frpc_fnv1a64(p, len),
		   "%s: DSP checksum differs", what);
	FRPC_CHECK(memtest_checksum(f, h, va + 4096 + 3, 10000) ==
		   frpc_fnv1a64(p + 4096 + 3, 10000),
		   "%s: DSP checksum of a sub-range differs", what);
	memtest_fill(f, h, va + 3 * 4096 + 17, 1000, 0x5a);
	for (i = 0; i < 1000; i++)
		FRPC_CHECK(p[3 * 4096 + 17 + i] == 0x5a, "%s: DSP fill not seen", what);
	FRPC_CHECK(frpc_mismatch(p, 3 * 4096 + 17, 21) < 0, "%s: DSP fill overran", what);
	printf("ok: %s: DSP checksum matches our bytes, DSP fill seen by us\n", what);
}

static void cmd_memmap(const char *exporter)
{
	size_t size = 1024 * 1024 + 4 * 4096;
	long long maps0;
	struct frpc_xbuf x;
	uint64_t va, va2;
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "memtest", &h);
	frpc_xbuf_alloc(&f, exporter, size, &x);
	maps0 = frpc_fdinfo(f.fd, "maps");
	FRPC_OK(frpc_mem_map(&f, x.fd, (uintptr_t)x.p, size, FASTRPC_MAP_FD, 0, &va));
	FRPC_CHECK(frpc_fdinfo(f.fd, "maps") == maps0 + 1, "fdinfo maps did not grow");
	memtest_both_ways(&f, h, va, x.p, size, "mem_map");

	/* a range of it: [8192, 8192 + 16384) */
	{
		struct fastrpc_mem_map req = {
			.fd = x.fd, .offset = 8192, .flags = FASTRPC_MAP_FD,
			.vaddrin = (uintptr_t)x.p + 8192, .length = 16384,
		};

		FRPC_CHECK(!ioctl(f.fd, FASTRPC_IOCTL_MEM_MAP, &req),
			   "MEM_MAP of a range: %s", strerror(errno));
		va2 = req.vaddrout;
		FRPC_CHECK(memtest_checksum(&f, h, va2, 16384) ==
			   frpc_fnv1a64(x.p + 8192, 16384), "range checksum differs");
		FRPC_OK(frpc_mem_unmap(&f, x.fd, va2, 16384));
	}
	printf("ok: mem_map of [8192, 24576) of the %s dma-buf\n", exporter);
	FRPC_OK(frpc_mem_unmap(&f, x.fd, va, size));
	FRPC_CHECK(frpc_fdinfo(f.fd, "maps") == maps0, "fdinfo maps did not shrink");
	FRPC_CHECK(frpc_mem_unmap(&f, x.fd, va, size) == -EINVAL, "second unmap");
	printf("ok: mem_unmap; fdinfo maps back to %lld\n", maps0);
	frpc_xbuf_free(&x);
	frpc_close(&f);
}

static void cmd_mmap(const char *exporter)
{
	size_t size = 256 * 1024;
	unsigned char *ones;
	struct frpc_xbuf x;
	struct frpc f;
	uint64_t va;
	uint32_t h;

	frpc_session(&f, domain, 0, "memtest", &h);
	if (!exporter) {
		/* driver memory, for the DSP only: fill it there, sum it there */
		FRPC_OK(frpc_mmap(&f, -1, FASTRPC_MMAP_ADD_PAGES, 0, size, &va));
		FRPC_CHECK(frpc_fdinfo(f.fd, "map-bytes") >= (long long)size,
			   "fdinfo map-bytes");
		ones = malloc(size);
		memset(ones, 0x33, size);
		memtest_fill(&f, h, va, size, 0x33);
		FRPC_CHECK(memtest_checksum(&f, h, va, size) == frpc_fnv1a64(ones, size),
			   "checksum of DSP-filled driver memory");
		free(ones);
		FRPC_OK(frpc_munmap(&f, va, size));
		FRPC_CHECK(frpc_munmap(&f, va, size) == -EINVAL, "second munmap");
		printf("ok: mmap of %zu bytes of driver memory at %#llx, munmap\n",
		       size, (unsigned long long)va);
		frpc_close(&f);
		return;
	}
	frpc_xbuf_alloc(&f, exporter, size, &x);
	FRPC_OK(frpc_mmap(&f, x.fd, FASTRPC_MMAP_DMA_BUFFER, 0, size, &va));
	memtest_both_ways(&f, h, va, x.p, size, "mmap");
	FRPC_OK(frpc_munmap(&f, va, size));
	printf("ok: mmap of a %s dma-buf, munmap\n", exporter);
	frpc_xbuf_free(&x);
	frpc_close(&f);
}

static void cmd_info(void)
{
	long long before, first, again;
	uint32_t v, id;
	struct frpc f;

	FRPC_OK(frpc_open(&f, domain, 0));
	before = frpc_channel_stat(domain, "invokes");
	for (id = 0; id < FASTRPC_ATTR_COUNT; id++) {
		FRPC_OK(frpc_dsp_info(&f, id, &v));
		printf("attr %u = %u\n", id, v);
	}
	first = frpc_channel_stat(domain, "invokes") - before;
	for (id = 0; id < FASTRPC_ATTR_COUNT; id++)
		FRPC_OK(frpc_dsp_info(&f, id, &v));
	again = frpc_channel_stat(domain, "invokes") - before - first;
	FRPC_CHECK(first <= 1 && again == 0, "DSP asked %lld then %lld times",
		   first, again);
	printf("ok: DSP asked at most once (%lld), then answered from the cache\n",
	       first);
	frpc_close(&f);
}

static unsigned char *fake_shell(size_t len)
{
	unsigned char *p = malloc(len);

	FRPC_CHECK(p, "out of memory");
	frpc_hexagon_shell(p, len);
	return p;
}

static void print_fdinfo_line(void *arg, const char *key, const char *val)
{
	(void)arg;
	printf("fastrpc-%s:\t%s\n", key, val);
}

/* The fd's fdinfo lines, as the driver writes them */
static void print_fdinfo(int fd)
{
	frpc_fdinfo_each(0, fd, print_fdinfo_line, NULL);
}

/* The remote process works: a skel opens and computes there */
static void check_process(struct frpc *f, const char *what)
{
	struct fastrpc_invoke_args a[2];
	int32_t v[3] = { 4, 5, 6 };
	int64_t sum = 0;
	uint32_t h;

	FRPC_OK(frpc_skel_open(f, "calculator", &h, NULL, 0));
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	FRPC_OK(frpc_invoke(f, h, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	FRPC_CHECK(sum == 15, "%s: sum %lld", what, (long long)sum);
	printf("ok: %s: calculator runs in it\n", what);
	print_fdinfo(f->fd);
}

static void cmd_create(const char *how, int unsigned_pd)
{
	size_t len = 64 * 1024 + 123;
	uint32_t attrs = unsigned_pd ? FASTRPC_MODE_UNSIGNED_MODULE : 0;
	unsigned char *elf = fake_shell(len);
	struct frpc_xbuf x;
	struct frpc f;

	FRPC_OK(frpc_open(&f, domain, 0));
	if (!strcmp(how, "fd")) {
		frpc_xbuf_alloc(&f, "fastrpc", len, &x);
		memcpy(x.p, elf, len);
		FRPC_OK(frpc_create_fd(&f, x.fd, len, attrs));
		frpc_xbuf_free(&x);
	} else {
		FRPC_OK(frpc_create(&f, elf, len, attrs));
	}
	FRPC_CHECK(frpc_create(&f, elf, len, attrs) == -EBUSY, "second create");
	printf("ok: dynamic PD from a shell by %s%s\n", how,
	       unsigned_pd ? ", unsigned" : "");
	check_process(&f, "dynamic PD");
	free(elf);
	frpc_close(&f);
}

static void cmd_static(const char *name)
{
	struct frpc f;

	FRPC_OK(frpc_open(&f, domain, 0));
	FRPC_OK(frpc_create_static(&f, name, 1024 * 1024));
	printf("ok: static PD %s\n", name);
	check_process(&f, "static PD");
	frpc_close(&f);
}

static void cmd_sensors(void)
{
	struct frpc f;

	FRPC_OK(frpc_open(&f, domain, 0));
	FRPC_OK(frpc_attach_sensors(&f));
	FRPC_CHECK(frpc_attach(&f) == -EBUSY, "attach after attach_sns");
	printf("ok: attached to the sensors PD\n");
	check_process(&f, "sensors PD");
	frpc_close(&f);
}

static void cmd_free(void)
{
	struct frpc_xbuf x;
	struct frpc f;
	uint64_t va;

	frpc_session(&f, domain, 0, NULL, NULL);
	frpc_xbuf_alloc(&f, "fastrpc", 3 * 4096 + 1, &x);
	FRPC_CHECK(frpc_fdinfo(f.fd, "buffers") == 1 &&
		   frpc_fdinfo(f.fd, "buffer-bytes") == 4 * 4096,
		   "fdinfo does not count the buffer");
	frpc_fill(x.p, 4 * 4096, 9);
	FRPC_OK(frpc_mem_map(&f, x.fd, 0, 4 * 4096, FASTRPC_MAP_FD, 0, &va));
	FRPC_CHECK(frpc_free(&f, x.fd) == -EBUSY, "free while mapped");
	FRPC_OK(frpc_mem_unmap(&f, x.fd, va, 4 * 4096));
	FRPC_OK(frpc_free(&f, x.fd));
	FRPC_CHECK(frpc_fdinfo(f.fd, "buffers") == 0, "fdinfo still counts it");
	FRPC_CHECK(frpc_free(&f, x.fd) == -EINVAL, "second free");
	FRPC_CHECK(frpc_mismatch(x.p, 4 * 4096, 9) < 0, "data gone after free");
	printf("ok: FREE_DMA_BUFF disowns the buffer; its fd and data live on\n");
	frpc_xbuf_free(&x);
	frpc_close(&f);
}

static void cmd_hold(int seconds, size_t echo_bytes)
{
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, echo_bytes ? "echo" : NULL, &h);
	if (echo_bytes)
		keep_echo(&f, h, echo_bytes, echo_bytes, 1);
	printf("ready\n");
	fflush(stdout);
	sleep(seconds);
	frpc_close(&f);
}

/* One process per session: the DSP has one process per tgid */
static void cmd_sessions(int n)
{
	int i, ret, res[2], hold[2];
	pid_t pid;

	FRPC_CHECK(!pipe(hold), "pipe");
	for (i = 1; i <= n; i++) {
		FRPC_CHECK(!pipe(res), "pipe");
		pid = fork();
		FRPC_CHECK(pid >= 0, "fork");
		if (!pid) {
			struct frpc f;
			char c;

			close(hold[1]);
			ret = frpc_open(&f, domain, 0);
			if (!ret)
				ret = frpc_attach(&f);
			if (write(res[1], &ret, sizeof(ret)) != sizeof(ret))
				_exit(1);
			/* holds its session until the parent lets go */
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(0);
		}
		close(res[1]);
		FRPC_CHECK(read(res[0], &ret, sizeof(ret)) == sizeof(ret),
			   "session %d: no answer", i);
		close(res[0]);
		printf("session %d: %s\n", i, ret ? strerrorname_np(-ret) : "ok");
	}
	close(hold[1]);
	close(hold[0]);
	while (wait(NULL) > 0)
		;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DOMAIN COMMAND [ARGS] (see the source)\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	domain = argv[1];
	cmd = argv[2];
	if (!strcmp(cmd, "calc"))
		cmd_calc();
	else if (!strcmp(cmd, "echo-ptr"))
		cmd_echo_ptr();
	else if (!strcmp(cmd, "calc-zeroed"))
		cmd_calc_zeroed();
	else if (!strcmp(cmd, "echo-big"))
		cmd_echo_big();
	else if (!strcmp(cmd, "keep-large"))
		cmd_keep_large();
	else if (!strcmp(cmd, "keep-large-none"))
		cmd_keep_large_none();
	else if (!strcmp(cmd, "fresh-large"))
		cmd_fresh_large();
	else if (!strcmp(cmd, "keep-large-loop") && argc == 4)
		cmd_keep_large_loop(atoi(argv[3]));
	else if (!strcmp(cmd, "echo-fd") && argc == 4)
		cmd_echo_fd(argv[3]);
	else if (!strcmp(cmd, "fdlist") && argc == 4)
		cmd_fdlist(argv[3]);
	else if (!strcmp(cmd, "memmap") && argc == 4)
		cmd_memmap(argv[3]);
	else if (!strcmp(cmd, "mmap"))
		cmd_mmap(argc == 4 ? argv[3] : NULL);
	else if (!strcmp(cmd, "info"))
		cmd_info();
	else if (!strcmp(cmd, "create") && argc >= 4)
		cmd_create(argv[3], argc == 5 && !strcmp(argv[4], "unsigned"));
	else if (!strcmp(cmd, "static") && argc == 4)
		cmd_static(argv[3]);
	else if (!strcmp(cmd, "sensors"))
		cmd_sensors();
	else if (!strcmp(cmd, "free"))
		cmd_free();
	else if (!strcmp(cmd, "sessions") && argc == 4)
		cmd_sessions(atoi(argv[3]));
	else if (!strcmp(cmd, "hold") && (argc == 4 || argc == 5))
		cmd_hold(atoi(argv[3]), argc == 5 ? strtoul(argv[4], NULL, 0) : 0);
	else
		frpc_die("unknown command %s", cmd);
	return 0;
}
