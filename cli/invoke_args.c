// SPDX-License-Identifier: GPL-2.0
/*
 * The buffers of an invoke: parsing specs, backing them with memory or
 * dma-bufs, mapping --map/--mmap memory, and reading results back.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "invoke.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"

static const struct itype itypes[] = {
	{ "i8", 1, true, false }, { "u8", 1, false, false },
	{ "i16", 2, true, false }, { "u16", 2, false, false },
	{ "i32", 4, true, false }, { "u32", 4, false, false },
	{ "i64", 8, true, false }, { "u64", 8, false, false },
	{ "x8", 1, false, true }, { "x16", 2, false, true },
	{ "x32", 4, false, true }, { "x64", 8, false, true },
};

#define NITYPES (sizeof(itypes) / sizeof(itypes[0]))

void print_spec_help(void)
{
	char types[128];

	table_candidates(itypes, NITYPES, sizeof(itypes[0]), "", types,
			 sizeof(types));
	printf("Buffer SPECs (in-buffers, then out-buffers, in the order given):\n"
	       "  TYPE:V[,V...]      integers, little endian (x8..x64: unsigned,\n"
	       "                     printed in hex); V: a number, or @N (64-bit\n"
	       "                     types): the DSP address of map N\n"
	       "  str:TEXT           TEXT and its NUL\n"
	       "  hex:HEXDIGITS      bytes\n"
	       "  file:PATH          the bytes of a file\n"
	       "  gen:SIZE[:FILL]    SIZE bytes of FILL (a byte; default 'pattern': i & 0xff)\n"
	       "  out:SIZE           SIZE bytes back, printed in hex\n"
	       "  out:TYPE[:COUNT]   COUNT integers back (default 1)\n"
	       "  out:str:SIZE       a string back (up to its NUL)\n"
	       "  out:file:SIZE:PATH SIZE bytes back, written to PATH\n"
	       "  dmabuf:SPEC        SPEC in a dma-buf of the driver's, passed by fd\n"
	       "  heap:SPEC          SPEC in a dma-buf of /dev/dma_heap/system, by fd\n"
	       "TYPE (one of: %s)\n", types);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "u32:..." -> the u32 type, rest after the colon */
static const struct itype *find_type(const char *s, const char **rest)
{
	for (size_t i = 0; i < NITYPES; i++) {
		size_t n = strlen(itypes[i].name);

		if (!strncmp(s, itypes[i].name, n) && (s[n] == ':' || !s[n])) {
			*rest = s[n] ? s + n + 1 : s + n;
			return &itypes[i];
		}
	}
	return NULL;
}

static void put_le(unsigned char *p, uint64_t v, unsigned int size)
{
	for (unsigned int i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, unsigned int size)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int add_fixup(struct ctl *c, struct call *call, const char *v,
		     size_t off, const struct itype *t)
{
	struct fixup *fx;
	uint32_t map;

	if (t->size != 8)
		return ctl_err(c, CTL_USAGE, "invalid %s value '%s' (@N needs a 64-bit type)",
			       t->name, v);
	if (parse_u32(c, "map reference", v + 1, &map))
		return CTL_USAGE;
	if ((int)map >= call->nmaps)
		return ctl_err(c, CTL_USAGE, "invalid map reference '%s' (%d --map/--mmap given)",
			       v, call->nmaps);
	fx = realloc(call->fix, (call->nfix + 1) * sizeof(*fx));
	if (!fx)
		return ctl_err(c, CTL_FAIL, "out of memory");
	call->fix = fx;
	fx[call->nfix++] = (struct fixup){ call->nargs, off, (int)map };
	return 0;
}

/* One integer of type t into p: range-checked for the type */
static int parse_value(struct ctl *c, const struct itype *t, const char *v,
		       unsigned char *p)
{
	char what[32];
	uint64_t u;
	int64_t s;
	int bits = 8 * t->size;

	snprintf(what, sizeof(what), "%s value", t->name);
	if (t->sign) {
		if (parse_s64(c, what, v, &s))
			return CTL_USAGE;
		if (bits < 64 && (s < -(1LL << (bits - 1)) ||
				  s >= (1LL << (bits - 1))))
			return ctl_err(c, CTL_USAGE, "invalid %s '%s' (out of range)",
				       what, v);
		u = (uint64_t)s;
	} else {
		if (parse_u64(c, what, v, &u))
			return CTL_USAGE;
		if (bits < 64 && u >> bits)
			return ctl_err(c, CTL_USAGE, "invalid %s '%s' (out of range)",
				       what, v);
	}
	put_le(p, u, t->size);
	return 0;
}

static int parse_ints(struct ctl *c, struct call *call, struct iarg *a,
		      const struct itype *t, const char *list)
{
	char *copy = strdup(list), *v, *save = NULL;
	size_t n = 0;
	int ret = 0;

	if (!copy)
		return ctl_err(c, CTL_FAIL, "out of memory");
	a->kind = KIND_INTS;
	a->type = t;
	if (*list) {
		n = 1;
		for (const char *p = list; *p; p++)
			n += *p == ',';
	}
	a->len = n * t->size;
	a->data = calloc(1, a->len ? a->len : 1);
	if (!a->data) {
		free(copy);
		return ctl_err(c, CTL_FAIL, "out of memory");
	}
	n = 0;
	for (v = *list ? strtok_r(copy, ",", &save) : NULL; v && !ret;
	     v = strtok_r(NULL, ",", &save), n++) {
		if (v[0] == '@')
			ret = add_fixup(c, call, v, n * t->size, t);
		else
			ret = parse_value(c, t, v, a->data + n * t->size);
	}
	/* "1,,2" or a trailing comma: strtok skipped an empty value */
	if (!ret && n * t->size != a->len)
		ret = ctl_err(c, CTL_USAGE, "invalid %s list '%s' (empty value)",
			      t->name, list);
	free(copy);
	return ret;
}

static int hexval(int ch)
{
	if (isdigit(ch))
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static int parse_hex(struct ctl *c, struct iarg *a, const char *hex)
{
	size_t n = strlen(hex);

	if (n % 2)
		return ctl_err(c, CTL_USAGE, "invalid hex '%s' (odd number of digits)",
			       hex);
	a->kind = KIND_BYTES;
	a->len = n / 2;
	a->data = malloc(a->len ? a->len : 1);
	if (!a->data)
		return ctl_err(c, CTL_FAIL, "out of memory");
	for (size_t i = 0; i < a->len; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hexval((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return ctl_err(c, CTL_USAGE, "invalid hex '%s'", hex);
		a->data[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int parse_buf_size(struct ctl *c, const char *s, size_t *len)
{
	uint64_t v;

	if (parse_size(c, "buffer size", s, &v))
		return CTL_USAGE;
	if (v > CALL_MAX_SIZE)
		return ctl_err(c, CTL_USAGE, "invalid buffer size '%s' (at most %lluM)",
			       s, CALL_MAX_SIZE >> 20);
	*len = (size_t)v;
	return 0;
}

static int parse_gen(struct ctl *c, struct iarg *a, const char *s)
{
	const char *colon = strchr(s, ':');
	int fill = FILL_PATTERN;
	char size[64];

	snprintf(size, sizeof(size), "%.*s",
		 (int)(colon ? (size_t)(colon - s) : strlen(s)), s);
	if (parse_buf_size(c, size, &a->len))
		return CTL_USAGE;
	if (colon && parse_fill(c, "fill", colon + 1, &fill))
		return CTL_USAGE;
	a->kind = KIND_BYTES;
	a->data = malloc(a->len);
	if (!a->data)
		return ctl_err(c, CTL_FAIL, "out of memory");
	fill_bytes(a->data, a->len, fill);
	return 0;
}

static int parse_in(struct ctl *c, struct call *call, struct iarg *a,
		    const char *p, const char *spec)
{
	const struct itype *t;
	const char *rest;

	if (starts(p, "str:")) {
		a->kind = KIND_STR;
		a->len = strlen(p + 4) + 1;
		a->data = (unsigned char *)strdup(p + 4);
		return a->data ? 0 : ctl_err(c, CTL_FAIL, "out of memory");
	}
	if (starts(p, "hex:"))
		return parse_hex(c, a, p + 4);
	if (starts(p, "file:")) {
		a->kind = KIND_BYTES;
		return read_file(c, p + 5, (void **)&a->data, &a->len);
	}
	if (starts(p, "gen:"))
		return parse_gen(c, a, p + 4);
	t = find_type(p, &rest);
	if (t && rest[-1] == ':')
		return parse_ints(c, call, a, t, rest);
	return ctl_err(c, CTL_USAGE, "invalid buffer spec '%s' (try 'fastrpcctl invoke help')",
		       spec);
}

static int parse_out(struct ctl *c, struct iarg *a, const char *p,
		     const char *spec)
{
	const struct itype *t;
	const char *rest, *colon;
	uint32_t count = 1;
	char size[64];

	a->out = true;
	if (isdigit((unsigned char)p[0])) {
		a->kind = KIND_BYTES;
		if (parse_buf_size(c, p, &a->len))
			return CTL_USAGE;
	} else if (starts(p, "str:")) {
		a->kind = KIND_STR;
		if (parse_buf_size(c, p + 4, &a->len))
			return CTL_USAGE;
	} else if (starts(p, "file:")) {
		a->kind = KIND_FILE;
		colon = strchr(p + 5, ':');
		if (!colon || !colon[1])
			return ctl_err(c, CTL_USAGE, "invalid buffer spec '%s' (out:file:SIZE:PATH)",
				       spec);
		snprintf(size, sizeof(size), "%.*s", (int)(colon - (p + 5)), p + 5);
		if (parse_buf_size(c, size, &a->len))
			return CTL_USAGE;
		a->path = colon + 1;
	} else if ((t = find_type(p, &rest))) {
		a->kind = KIND_INTS;
		a->type = t;
		if (*rest && parse_u32(c, "count", rest, &count))
			return CTL_USAGE;
		if (!count || count > CALL_MAX_SIZE / t->size)
			return ctl_err(c, CTL_USAGE, "invalid count '%s'", rest);
		a->len = (size_t)count * t->size;
	} else {
		return ctl_err(c, CTL_USAGE, "invalid buffer spec '%s' (try 'fastrpcctl invoke help')",
			       spec);
	}
	a->data = calloc(1, a->len ? a->len : 1);
	return a->data ? 0 : ctl_err(c, CTL_FAIL, "out of memory");
}

int call_add_spec(struct ctl *c, struct call *call, const char *spec)
{
	struct iarg a = { .db.fd = -1 }, *args;
	const char *p = spec;
	int ret;

	if (starts(p, "dmabuf:")) {
		a.backing = BACK_DRIVER;
		p += strlen("dmabuf:");
	} else if (starts(p, "heap:")) {
		a.backing = BACK_HEAP;
		p += strlen("heap:");
	}
	if (starts(p, "out:"))
		ret = parse_out(c, &a, p + 4, spec);
	else
		ret = parse_in(c, call, &a, p, spec);
	if (!ret && (a.out ? call->nout : call->nin) == CALL_MAX_BUFS)
		ret = ctl_err(c, CTL_USAGE, "invoke: at most %d %s-buffers",
			      CALL_MAX_BUFS, a.out ? "out" : "in");
	if (!ret && a.backing != BACK_MEMORY && !a.len)
		ret = ctl_err(c, CTL_USAGE, "invalid buffer spec '%s' (a dma-buf cannot be empty)",
			      spec);
	if (!ret) {
		args = realloc(call->args, (call->nargs + 1) * sizeof(*args));
		if (!args)
			ret = ctl_err(c, CTL_FAIL, "out of memory");
		else
			call->args = args;
	}
	if (ret) {
		free(a.data);
		return ret;
	}
	call->args[call->nargs++] = a;
	if (a.out)
		call->nout++;
	else
		call->nin++;
	return 0;
}

static int map_one(struct ctl *c, struct imap *m, struct frpc *f, int i)
{
	int ret;

	if (m->mmap) {
		ret = frpc_mmap(f, -1, FASTRPC_MMAP_ADD_PAGES, 0, m->size, &m->dsp);
		if (ret)
			return ctl_err(c, CTL_FAIL, "map @%d: MMAP of %llu bytes failed: %s",
				       i, (unsigned long long)m->size,
				       strerror(-ret));
		m->mapped = true;
		return 0;
	}
	ret = dbuf_alloc(c, f, DBUF_DRIVER, m->size, 0, &m->db);
	if (ret)
		return ret;
	if (m->fill != -2) {
		dbuf_sync(&m->db, false);
		fill_bytes(m->db.map, m->size, m->fill);
		dbuf_sync(&m->db, true);
	}
	ret = frpc_mem_map(f, m->db.fd, (uintptr_t)m->db.map, m->size,
			   FASTRPC_MAP_FD, 0, &m->dsp);
	if (ret)
		return ctl_err(c, CTL_FAIL, "map @%d: MEM_MAP of %llu bytes failed: %s",
			       i, (unsigned long long)m->size, strerror(-ret));
	m->mapped = true;
	return 0;
}

int call_setup_maps(struct ctl *c, struct call *call, struct frpc *f)
{
	for (int i = 0; i < call->nmaps; i++) {
		int ret = map_one(c, &call->maps[i], f, i);

		if (ret)
			return ret;
		ctl_dbg(c, "map @%d at DSP address 0x%llx", i,
			(unsigned long long)call->maps[i].dsp);
	}
	return 0;
}

/* The dma-buf behind a backed buffer, holding its contents */
static int back_arg(struct ctl *c, struct iarg *a, struct frpc *f)
{
	int ret;

	ret = dbuf_alloc(c, f, a->backing == BACK_DRIVER ? DBUF_DRIVER : DBUF_HEAP,
			 a->len, 0, &a->db);
	if (ret)
		return ret;
	dbuf_sync(&a->db, false);
	memcpy(a->db.map, a->data, a->len);
	dbuf_sync(&a->db, true);
	return 0;
}

static struct fastrpc_invoke_args wire_arg(const struct iarg *a)
{
	if (a->backing != BACK_MEMORY)
		return frpc_arg_fd(a->db.fd, a->db.map, a->len);
	return frpc_arg(a->data, a->len);
}

int call_setup_args(struct ctl *c, struct call *call, struct frpc *f)
{
	int n = 0, ret;

	for (int i = 0; i < call->nfix; i++) {
		const struct fixup *fx = &call->fix[i];

		put_le(call->args[fx->arg].data + fx->off,
		       call->maps[fx->map].dsp, 8);
	}
	call->iargs = calloc(call->nargs ? call->nargs : 1,
			     sizeof(*call->iargs));
	if (!call->iargs)
		return ctl_err(c, CTL_FAIL, "out of memory");
	for (int i = 0; i < call->nargs; i++) {
		if (call->args[i].backing == BACK_MEMORY)
			continue;
		ret = back_arg(c, &call->args[i], f);
		if (ret)
			return ret;
	}
	/* the wire wants in-buffers first */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < call->nargs; i++)
			if (call->args[i].out == (pass == 1))
				call->iargs[n++] = wire_arg(&call->args[i]);
	call->sc = FASTRPC_SC(call->method, call->nin, call->nout);
	return 0;
}

int call_invoke(struct call *call, struct frpc *f)
{
	return frpc_invoke(f, call->handle, call->sc, call->iargs);
}

int call_collect(struct ctl *c, struct call *call)
{
	for (int i = 0; i < call->nargs; i++) {
		struct iarg *a = &call->args[i];
		int ret;

		if (!a->out)
			continue;
		if (a->backing != BACK_MEMORY) {
			dbuf_sync(&a->db, false);
			memcpy(a->data, a->db.map, a->len);
			dbuf_sync(&a->db, true);
		}
		if (a->kind == KIND_FILE) {
			ret = write_file(c, a->path, a->data, a->len);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static const char *backing_name(enum backing b)
{
	return b == BACK_DRIVER ? "dmabuf" : b == BACK_HEAP ? "heap" : "memory";
}

static void print_ints_json(struct jw *w, const struct iarg *a)
{
	const struct itype *t = a->type;

	jw_key(w, "values");
	jw_arr_open(w);
	for (size_t off = 0; off < a->len; off += t->size) {
		uint64_t v = get_le(a->data + off, t->size);
		int shift = 64 - 8 * (int)t->size;

		if (t->hex)
			jw_hex(w, v);
		else if (t->sign)	/* sign-extend from the type's width */
			jw_int(w, (int64_t)(v << shift) >> shift);
		else
			jw_uint(w, v);
	}
	jw_arr_close(w);
}

static void print_ints_text(const struct iarg *a)
{
	const struct itype *t = a->type;

	for (size_t off = 0; off < a->len; off += t->size) {
		uint64_t v = get_le(a->data + off, t->size);
		int shift = 64 - 8 * (int)t->size;

		if (t->hex)
			printf(" 0x%llx", (unsigned long long)v);
		else if (t->sign)
			printf(" %lld", (long long)((int64_t)(v << shift) >> shift));
		else
			printf(" %llu", (unsigned long long)v);
	}
}

static void print_out_json(struct jw *w, const struct iarg *a, int idx)
{
	jw_obj_open(w);
	jw_kint(w, "index", idx);
	jw_kstr(w, "type", a->kind == KIND_INTS ? a->type->name :
		a->kind == KIND_STR ? "str" : a->kind == KIND_FILE ? "file" : "bytes");
	jw_kuint(w, "size", a->len);
	jw_kstr(w, "backing", backing_name(a->backing));
	switch (a->kind) {
	case KIND_INTS:
		print_ints_json(w, a);
		break;
	case KIND_STR:
		jw_key(w, "value");
		jw_strn(w, (const char *)a->data, strnlen((const char *)a->data, a->len));
		break;
	case KIND_FILE:
		jw_kstr(w, "path", a->path);
		jw_khex(w, "fnv1a64", frpc_fnv1a64(a->data, a->len));
		break;
	case KIND_BYTES:
		jw_key(w, "hex");
		jw_hexbytes(w, a->data, a->len);
		break;
	}
	jw_obj_close(w);
}

/* Hex dump of n bytes as one line, for text output. */
static void print_hex(const void *buf, size_t n)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void print_out_text(const struct iarg *a, int idx)
{
	printf("out[%d]", idx);
	switch (a->kind) {
	case KIND_INTS:
		printf(" %s:", a->type->name);
		print_ints_text(a);
		break;
	case KIND_STR:
		printf(" str: %.*s", (int)strnlen((const char *)a->data, a->len),
		       (const char *)a->data);
		break;
	case KIND_FILE:
		printf(": %zu bytes to %s", a->len, a->path);
		break;
	case KIND_BYTES:
		printf(" %zu bytes: ", a->len);
		print_hex(a->data, a->len);
		break;
	}
	printf("\n");
}

/* Each map: where it sits on the DSP, and what the CPU sees in it now */
static void print_maps(struct ctl *c, const struct call *call)
{
	if (c->jw) {
		jw_key(c->jw, "maps");
		jw_arr_open(c->jw);
	}
	for (int i = 0; i < call->nmaps; i++) {
		const struct imap *m = &call->maps[i];
		bool cpu = !m->mmap;
		uint64_t sum = 0;

		if (cpu) {
			dbuf_sync(&m->db, false);
			sum = frpc_fnv1a64(m->db.map, m->size);
			dbuf_sync(&m->db, true);
		}
		if (!c->jw) {
			printf("map @%d: %s %llu bytes at DSP 0x%llx", i,
			       m->mmap ? "mmap" : "mem_map",
			       (unsigned long long)m->size,
			       (unsigned long long)m->dsp);
			if (cpu)
				printf(", fnv1a64 0x%llx", (unsigned long long)sum);
			printf("\n");
			continue;
		}
		jw_obj_open(c->jw);
		jw_kint(c->jw, "index", i);
		jw_kstr(c->jw, "kind", m->mmap ? "mmap" : "mem_map");
		jw_kuint(c->jw, "size", m->size);
		jw_khex(c->jw, "dsp_addr", m->dsp);
		if (cpu)
			jw_khex(c->jw, "fnv1a64", sum);
		jw_obj_close(c->jw);
	}
	if (c->jw)
		jw_arr_close(c->jw);
}

void call_print(struct ctl *c, const struct call *call)
{
	int idx = 0;

	if (c->jw) {
		jw_key(c->jw, "outputs");
		jw_arr_open(c->jw);
	}
	for (int i = 0; i < call->nargs; i++) {
		if (!call->args[i].out)
			continue;
		if (c->jw)
			print_out_json(c->jw, &call->args[i], idx);
		else
			print_out_text(&call->args[i], idx);
		idx++;
	}
	if (c->jw)
		jw_arr_close(c->jw);
	print_maps(c, call);
}

void call_free(struct call *call, struct frpc *f)
{
	for (int i = 0; i < call->nmaps; i++) {
		struct imap *m = &call->maps[i];

		if (f && m->mapped && m->mmap)
			frpc_munmap(f, m->dsp, m->size);
		else if (f && m->mapped)
			frpc_mem_unmap(f, m->db.fd, m->dsp, m->size);
		if (!m->mmap)
			dbuf_free(&m->db);
	}
	for (int i = 0; i < call->nargs; i++) {
		if (call->args[i].backing != BACK_MEMORY)
			dbuf_free(&call->args[i].db);
		free(call->args[i].data);
	}
	free(call->args);
	free(call->fix);
	free(call->iargs);
}
