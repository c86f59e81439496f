// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl mmap: FASTRPC_IOCTL_MMAP into the DSP process, of new memory
 * (remote heap growth) or of a dma-buf, optionally filled and checksummed
 * on the DSP by the memtest skel, then FASTRPC_IOCTL_MUNMAP (--munmap) or
 * left to the close.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "hold.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"
#include "records.h"
#include "session.h"

enum {
	OPT_SIZE = OPT_FIRST_OWN, OPT_FLAGS, OPT_DMABUF, OPT_FILL, OPT_VERIFY,
	OPT_MUNMAP, OPT_HOLD,
};

struct flag_name {
	const char *name;
	uint32_t flags;
};

static const struct flag_name flag_names[] = {
	{ "add-pages", FASTRPC_MMAP_ADD_PAGES },
	{ "add-pages-llc", FASTRPC_MMAP_ADD_PAGES_LLC },
	{ "heap", FASTRPC_MMAP_HEAP_ADDR },
	{ "dma-buffer", FASTRPC_MMAP_DMA_BUFFER },
	{ "remote-heap", FASTRPC_MMAP_REMOTE_HEAP_ADDR },
};

#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

struct mmap_args {
	struct session_opts so;
	uint64_t size;
	uint32_t flags;
	bool dmabuf;
	int fill;		/* byte, FILL_PATTERN (dma-buf only), -2: none */
	bool verify;
	bool munmap;
	bool hold;
};

struct mmap_state {
	struct frpc f;
	struct dbuf b;
	uint64_t dsp;
	bool mapped;
	bool unmapped;
	bool expect_known;	/* we know what the bytes should be */
	uint64_t expect;	/* their fnv1a64 */
	uint64_t dsp_fnv;
};

static int mmap_help(struct ctl *c)
{
	char names[128];

	if (json_help(c))
		return CTL_OK;
	table_candidates(flag_names, NFLAGS, sizeof(flag_names[0]), "", names,
			 sizeof(names));
	printf("usage: fastrpcctl mmap [OPTIONS] --size SIZE [--flags FLAGS] [--dmabuf]\n"
	       "                      [--fill BYTE] [--verify] [--munmap] [--hold]\n"
	       "\n"
	       "FASTRPC_IOCTL_MMAP SIZE bytes into the DSP process and show the DSP\n"
	       "address; --munmap unmaps it with FASTRPC_IOCTL_MUNMAP.\n"
	       "\n"
	       "%s"
	       "      --size SIZE      bytes (K, M, G suffixes)\n"
	       "      --flags FLAGS    a number, or a name (default add-pages;\n"
	       "                       one of: %s)\n"
	       "      --dmabuf         map a driver dma-buf (its fd) instead of new memory\n"
	       "      --fill BYTE      fill it: from the CPU with --dmabuf, else on the DSP\n"
	       "                       (the vdsp's memtest skel: not on a board);\n"
	       "                       'pattern' (byte i = i & 0xff) needs --dmabuf\n"
	       "      --verify         checksum it on the DSP and compare (the vdsp's\n"
	       "                       memtest skel: not on a board)\n"
	       "      --munmap         unmap it before exiting and show the result\n"
	       "      --hold           keep it until SIGINT or SIGTERM\n",
	       session_opts_help, names);
	return CTL_OK;
}

static int parse_flags(struct ctl *c, const char *s, uint32_t *flags)
{
	int i = TABLE_LOOKUP(flag_names, NFLAGS, s);

	if (s[0] >= '0' && s[0] <= '9')
		return parse_u32(c, "flags", s, flags);
	if (i < 0)
		return ctl_err(c, CTL_USAGE, "%s flags '%s' (try 'fastrpcctl mmap help')",
			       i == -2 ? "ambiguous" : "unknown", s);
	*flags = flag_names[i].flags;
	return 0;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct mmap_args *a = arg;

	switch (opt) {
	case OPT_SIZE:
		return parse_size(c, "size", val, &a->size);
	case OPT_FLAGS:
		return parse_flags(c, val, &a->flags);
	case OPT_DMABUF:
		a->dmabuf = true;
		return 0;
	case OPT_FILL:
		return parse_fill(c, "fill", val, &a->fill);
	case OPT_VERIFY:
		a->verify = true;
		return 0;
	case OPT_MUNMAP:
		a->munmap = true;
		return 0;
	case OPT_HOLD:
		a->hold = true;
		return 0;
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct mmap_args *a)
{
	static const struct option opts[] = {
		SESSION_LONG_OPTIONS,
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "flags", required_argument, NULL, OPT_FLAGS },
		{ "dmabuf", no_argument, NULL, OPT_DMABUF },
		{ "fill", required_argument, NULL, OPT_FILL },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "munmap", no_argument, NULL, OPT_MUNMAP },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	session_opts_init(&a->so);
	a->flags = FASTRPC_MMAP_ADD_PAGES;
	a->fill = -2;
	ret = parse_cmd_opts(c, "mmap", argc, argv, "+:D:", opts, &a->so,
			     own_opt, a, false);
	if (ret)
		return ret;
	if (!a->size)
		return ctl_err(c, CTL_USAGE, "mmap: --size is needed");
	if (a->fill == FILL_PATTERN && !a->dmabuf)
		return ctl_err(c, CTL_USAGE, "mmap: --fill pattern needs --dmabuf");
	return 0;
}

/* FNV-1a 64 of n bytes of value byte, without a buffer */
static uint64_t fnv_of_fill(uint64_t n, uint8_t byte)
{
	uint64_t h = MEMTEST_FNV1A64_OFFSET;

	while (n--) {
		h ^= byte;
		h *= MEMTEST_FNV1A64_PRIME;
	}
	return h;
}

static int map(struct ctl *c, const struct mmap_args *a, struct mmap_state *s)
{
	int fd = -1, ret;

	if (a->dmabuf) {
		ret = dbuf_alloc(c, &s->f, DBUF_DRIVER, a->size, 0, &s->b);
		if (ret)
			return ret;
		dbuf_sync(&s->b, false);
		if (a->fill != -2)
			fill_bytes(s->b.map, a->size, a->fill);
		s->expect = frpc_fnv1a64(s->b.map, a->size);
		s->expect_known = true;
		dbuf_sync(&s->b, true);
		fd = s->b.fd;
	}
	/* the driver wants vaddrin 0: the DSP picks the address */
	ret = frpc_mmap(&s->f, fd, a->flags, 0, a->size, &s->dsp);
	if (ret)
		return ctl_err(c, CTL_FAIL, "MMAP of %llu bytes (flags 0x%x) on %s failed: %s",
			       (unsigned long long)a->size, a->flags,
			       domain_name(s->f.domain_id), strerror(-ret));
	s->mapped = true;
	return 0;
}

static int fill_and_check(struct ctl *c, const struct mmap_args *a,
			  struct mmap_state *s)
{
	int ret;

	if (a->fill >= 0 && !a->dmabuf) {
		ret = memtest_fill(c, &s->f, s->dsp, a->size, (uint8_t)a->fill);
		if (ret)
			return ret;
		s->expect = fnv_of_fill(a->size, (uint8_t)a->fill);
		s->expect_known = true;
	}
	if (!a->verify)
		return 0;
	ret = memtest_checksum(c, &s->f, s->dsp, a->size, &s->dsp_fnv);
	if (ret)
		return ret;
	if (s->expect_known && s->dsp_fnv != s->expect)
		return ctl_err(c, CTL_FAIL, "the DSP reads fnv1a64 0x%llx, expected 0x%llx",
			       (unsigned long long)s->dsp_fnv,
			       (unsigned long long)s->expect);
	return 0;
}

static int unmap(struct ctl *c, const struct mmap_args *a,
		 struct mmap_state *s)
{
	int ret = frpc_munmap(&s->f, s->dsp, a->size);

	if (ret)
		return ctl_err(c, CTL_FAIL, "MUNMAP of 0x%llx on %s failed: %s",
			       (unsigned long long)s->dsp,
			       domain_name(s->f.domain_id), strerror(-ret));
	s->mapped = false;
	s->unmapped = true;
	return 0;
}

static void report(struct ctl *c, const struct mmap_args *a,
		   const struct mmap_state *s)
{
	const char *dom = domain_name(s->f.domain_id);

	if (!c->jw) {
		printf("%s: mapped %llu bytes (flags 0x%x%s) at DSP address 0x%llx",
		       dom, (unsigned long long)a->size, a->flags,
		       a->dmabuf ? ", dma-buf" : "", (unsigned long long)s->dsp);
		if (a->verify)
			printf(", DSP fnv1a64 0x%llx", (unsigned long long)s->dsp_fnv);
		if (s->unmapped)
			printf(", unmapped");
		printf("\n");
		return;
	}
	jw_obj_open(c->jw);
	jw_kstr(c->jw, "domain", dom);
	jw_kstr(c->jw, "node", s->f.path);
	jw_kint(c->jw, "pid", getpid());
	jw_kuint(c->jw, "size", a->size);
	jw_kuint(c->jw, "flags", a->flags);
	jw_kbool(c->jw, "dmabuf", a->dmabuf);
	jw_khex(c->jw, "dsp_addr", s->dsp);
	if (s->expect_known)
		jw_khex(c->jw, "fnv1a64", s->expect);
	if (a->verify)
		jw_khex(c->jw, "dsp_fnv1a64", s->dsp_fnv);
	jw_kbool(c->jw, "unmapped", s->unmapped);
	jw_kbool(c->jw, "hold", a->hold);
	json_client(c->jw, s->f.fd);
	jw_obj_close(c->jw);
}

int do_mmap(struct ctl *c, int argc, char **argv)
{
	struct mmap_args a = { 0 };
	struct mmap_state s = { .b.fd = -1 };
	sigset_t sigs;
	int ret;

	if (opts_want_help(argc, argv))
		return mmap_help(c);
	ret = parse_args(c, argc, argv, &a) ?: session_start(c, &a.so, &s.f);
	if (ret)
		return ret;
	ret = map(c, &a, &s) ?: fill_and_check(c, &a, &s);
	/* without --hold, the unmap shows in the report (and its fdinfo) */
	if (!ret && a.munmap && !a.hold)
		ret = unmap(c, &a, &s);
	if (!ret) {
		if (a.hold)
			hold_begin(&sigs);
		report(c, &a, &s);
		if (a.hold)
			ret = hold_wait(c, &sigs);
		if (!ret && a.munmap && s.mapped)
			ret = unmap(c, &a, &s);
	}
	dbuf_free(&s.b);
	frpc_close(&s.f);
	return ret;
}
