// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl alloc: a dma-buf from the driver (ALLOC_DMA_BUFF), mapped
 * here, filled from a byte, a pattern or a file, mem_mapped into the DSP
 * process (MEM_MAP) with its DSP address shown; --verify has the memtest
 * skel checksum it on the DSP side, --hold keeps it all until a signal.
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
	OPT_SIZE = OPT_FIRST_OWN, OPT_FLAGS, OPT_FILL, OPT_FILE, OPT_NO_MAP,
	OPT_MAP_FLAGS, OPT_SECURE_MAP, OPT_VERIFY, OPT_HOLD,
};

struct alloc_args {
	struct session_opts so;
	uint64_t size;
	uint32_t flags;		/* ALLOC_DMA_BUFF flags */
	int fill;		/* byte, FILL_PATTERN, or -2: none */
	const char *file;
	void *file_data;
	size_t file_len;
	bool map;
	uint32_t map_flags;
	int32_t map_attrs;
	bool verify;
	bool hold;
};

struct alloc_state {
	struct frpc f;
	struct dbuf b;
	uint64_t fnv;		/* of the bytes, as the CPU wrote them */
	uint64_t dsp;
	bool mapped;
	uint64_t dsp_fnv;	/* --verify: as the DSP read them */
};

static int alloc_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl alloc [OPTIONS] --size SIZE [--fill BYTE|pattern] [--hold]\n"
	       "       fastrpcctl alloc [OPTIONS] --file FILE [--size SIZE] [--hold]\n"
	       "\n"
	       "Allocate a dma-buf from the driver, map it here, fill it, MEM_MAP it\n"
	       "into the DSP process and show its DSP address and FNV-1a 64 checksum.\n"
	       "\n"
	       "%s"
	       "      --size SIZE      bytes (K, M, G suffixes); default: the file's size\n"
	       "      --flags N        ALLOC_DMA_BUFF flags (default 0)\n"
	       "      --fill BYTE      fill with BYTE, or 'pattern' (byte i = i & 0xff)\n"
	       "      --file FILE      copy FILE in (the rest stays zero)\n"
	       "      --no-map         do not MEM_MAP it on the DSP\n"
	       "      --map-flags N    MEM_MAP flags (default %d: FASTRPC_MAP_FD)\n"
	       "      --secure-map     MEM_MAP with FASTRPC_ATTR_SECUREMAP\n"
	       "      --verify         checksum it on the DSP and compare (the vdsp's\n"
	       "                       memtest skel: not on a board)\n"
	       "      --hold           keep it until SIGINT or SIGTERM\n",
	       session_opts_help, FASTRPC_MAP_FD);
	return CTL_OK;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct alloc_args *a = arg;

	switch (opt) {
	case OPT_SIZE:
		return parse_size(c, "size", val, &a->size);
	case OPT_FLAGS:
		return parse_u32(c, "flags", val, &a->flags);
	case OPT_FILL:
		return parse_fill(c, "fill", val, &a->fill);
	case OPT_FILE:
		a->file = val;
		return 0;
	case OPT_NO_MAP:
		a->map = false;
		return 0;
	case OPT_MAP_FLAGS:
		return parse_u32(c, "map flags", val, &a->map_flags);
	case OPT_SECURE_MAP:
		a->map_attrs |= FASTRPC_ATTR_SECUREMAP;
		return 0;
	case OPT_VERIFY:
		a->verify = true;
		return 0;
	case OPT_HOLD:
		a->hold = true;
		return 0;
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct alloc_args *a)
{
	static const struct option opts[] = {
		SESSION_LONG_OPTIONS,
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "flags", required_argument, NULL, OPT_FLAGS },
		{ "fill", required_argument, NULL, OPT_FILL },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "no-map", no_argument, NULL, OPT_NO_MAP },
		{ "map-flags", required_argument, NULL, OPT_MAP_FLAGS },
		{ "secure-map", no_argument, NULL, OPT_SECURE_MAP },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	session_opts_init(&a->so);
	a->fill = -2;
	a->map = true;
	a->map_flags = FASTRPC_MAP_FD;
	ret = parse_cmd_opts(c, "alloc", argc, argv, "+:D:", opts, &a->so,
			     own_opt, a, false);
	if (ret)
		return ret;
	if (a->file && a->fill != -2)
		return ctl_err(c, CTL_USAGE, "options --file and --fill conflict");
	if (a->verify && !a->map)
		return ctl_err(c, CTL_USAGE, "options --verify and --no-map conflict");
	if (!a->size && !a->file)
		return ctl_err(c, CTL_USAGE, "alloc: --size or --file is needed");
	return 0;
}

/* The file is read before any device is touched: a wrong path fails early. */
static int load_file(struct ctl *c, struct alloc_args *a)
{
	int ret;

	if (!a->file)
		return 0;
	ret = read_file(c, a->file, &a->file_data, &a->file_len);
	if (ret)
		return ret;
	if (!a->size)
		a->size = a->file_len;
	if (!a->size)
		return ctl_err(c, CTL_FAIL, "%s is empty", a->file);
	if (a->file_len > a->size)
		return ctl_err(c, CTL_FAIL, "%s (%zu bytes) does not fit in %llu bytes",
			       a->file, a->file_len, (unsigned long long)a->size);
	return 0;
}

static int setup(struct ctl *c, const struct alloc_args *a,
		 struct alloc_state *s)
{
	int ret;

	ret = dbuf_alloc(c, &s->f, DBUF_DRIVER, a->size, a->flags, &s->b);
	if (ret)
		return ret;
	dbuf_sync(&s->b, false);
	if (a->file)
		memcpy(s->b.map, a->file_data, a->file_len);
	else if (a->fill != -2)
		fill_bytes(s->b.map, a->size, a->fill);
	s->fnv = frpc_fnv1a64(s->b.map, a->size);
	dbuf_sync(&s->b, true);
	if (!a->map)
		return 0;
	ret = frpc_mem_map(&s->f, s->b.fd, (uintptr_t)s->b.map, a->size,
			   a->map_flags, a->map_attrs, &s->dsp);
	if (ret)
		return ctl_err(c, CTL_FAIL, "MEM_MAP of the dma-buf on %s failed: %s",
			       domain_name(s->f.domain_id), strerror(-ret));
	s->mapped = true;
	if (!a->verify)
		return 0;
	ret = memtest_checksum(c, &s->f, s->dsp, a->size, &s->dsp_fnv);
	if (ret)
		return ret;
	if (s->dsp_fnv != s->fnv)
		return ctl_err(c, CTL_FAIL, "the DSP reads fnv1a64 0x%llx, the CPU wrote 0x%llx",
			       (unsigned long long)s->dsp_fnv,
			       (unsigned long long)s->fnv);
	return 0;
}

static void report(struct ctl *c, const struct alloc_args *a,
		   const struct alloc_state *s)
{
	const char *dom = domain_name(s->f.domain_id);

	if (!c->jw) {
		printf("%s: dma-buf fd %d, %llu bytes, fnv1a64 0x%llx", dom,
		       s->b.fd, (unsigned long long)a->size,
		       (unsigned long long)s->fnv);
		if (s->mapped)
			printf(", DSP address 0x%llx", (unsigned long long)s->dsp);
		if (a->verify)
			printf(", verified on the DSP");
		printf("\n");
		return;
	}
	jw_obj_open(c->jw);
	jw_kstr(c->jw, "domain", dom);
	jw_kstr(c->jw, "node", s->f.path);
	jw_kint(c->jw, "pid", getpid());
	jw_kint(c->jw, "fd", s->b.fd);
	jw_kuint(c->jw, "size", a->size);
	jw_kuint(c->jw, "flags", a->flags);
	jw_khex(c->jw, "fnv1a64", s->fnv);
	jw_kbool(c->jw, "mapped", s->mapped);
	if (s->mapped) {
		jw_khex(c->jw, "dsp_addr", s->dsp);
		jw_kuint(c->jw, "map_flags", a->map_flags);
	}
	if (a->verify)
		jw_khex(c->jw, "dsp_fnv1a64", s->dsp_fnv);
	jw_kbool(c->jw, "hold", a->hold);
	json_client(c->jw, s->f.fd);
	jw_obj_close(c->jw);
}

static int teardown(struct ctl *c, const struct alloc_args *a,
		    struct alloc_state *s)
{
	int ret = 0;

	if (s->mapped) {
		ret = frpc_mem_unmap(&s->f, s->b.fd, s->dsp, a->size);
		if (ret)
			ret = ctl_err(c, CTL_FAIL, "MEM_UNMAP failed: %s",
				      strerror(-ret));
	}
	dbuf_free(&s->b);
	frpc_close(&s->f);
	return ret;
}

int do_alloc(struct ctl *c, int argc, char **argv)
{
	struct alloc_args a = { 0 };
	struct alloc_state s = { .b.fd = -1 };
	sigset_t sigs;
	int ret;

	if (opts_want_help(argc, argv))
		return alloc_help(c);
	ret = parse_args(c, argc, argv, &a) ?: load_file(c, &a) ?:
	      session_start(c, &a.so, &s.f);
	if (ret) {
		free(a.file_data);
		return ret;
	}
	ret = setup(c, &a, &s);
	if (!ret) {
		if (a.hold)
			hold_begin(&sigs);
		report(c, &a, &s);
		if (a.hold)
			ret = hold_wait(c, &sigs);
	}
	if (teardown(c, &a, &s) && !ret)
		ret = CTL_FAIL;
	free(a.file_data);
	return ret;
}
