// SPDX-License-Identifier: GPL-2.0
/*
 * JSON writer: a stack of open containers, each remembering whether it
 * holds an element yet (for the comma) and, for objects, whether a key is
 * waiting for its value. Pretty mode indents by two spaces per level.
 * Strings are escaped as RFC 8259 asks; bytes that are not valid UTF-8
 * (a comm or a file name can hold anything) become U+FFFD.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

#define JW_MAX_DEPTH 32

struct jw_level {
	char kind;		/* '{' or '[' */
	bool empty;		/* nothing written inside yet */
};

struct jw {
	FILE *out;
	bool pretty;
	bool key_pending;	/* a key was written, its value comes next */
	int depth;
	struct jw_level stack[JW_MAX_DEPTH];
};

struct jw *jw_new(FILE *out, bool pretty)
{
	struct jw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->out = out;
	w->pretty = pretty;
	return w;
}

void jw_set_pretty(struct jw *w, bool pretty)
{
	w->pretty = pretty;
}

void jw_free(struct jw *w)
{
	if (!w)
		return;
	while (w->depth > 0) {
		if (w->stack[w->depth - 1].kind == '{')
			jw_obj_close(w);
		else
			jw_arr_close(w);
	}
	free(w);
}

int jw_depth(const struct jw *w)
{
	return w->depth;
}

bool jw_in_object(const struct jw *w)
{
	return w->depth > 0 && w->stack[w->depth - 1].kind == '{';
}

static void jw_indent(struct jw *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Comma and indentation before a value or a key. */
static void jw_sep(struct jw *w)
{
	struct jw_level *top;

	if (w->key_pending) {
		w->key_pending = false;
		return;
	}
	if (w->depth == 0)
		return;
	top = &w->stack[w->depth - 1];
	if (!top->empty)
		fputc(',', w->out);
	top->empty = false;
	jw_indent(w);
}

/* After a complete top-level value: one per line, and visible at once. */
static void jw_value_done(struct jw *w)
{
	if (w->depth == 0) {
		fputc('\n', w->out);
		fflush(w->out);
	}
}

static void jw_open(struct jw *w, char kind)
{
	jw_sep(w);
	fputc(kind, w->out);
	if (w->depth == JW_MAX_DEPTH)
		abort();	/* a printer bug, not an input problem */
	w->stack[w->depth].kind = kind;
	w->stack[w->depth].empty = true;
	w->depth++;
}

static void jw_close(struct jw *w, char kind)
{
	bool empty;

	if (w->depth == 0 || w->stack[w->depth - 1].kind != kind)
		abort();
	empty = w->stack[w->depth - 1].empty;
	w->depth--;
	if (!empty)
		jw_indent(w);
	fputc(kind == '{' ? '}' : ']', w->out);
	jw_value_done(w);
}

void jw_obj_open(struct jw *w)
{
	jw_open(w, '{');
}

void jw_obj_close(struct jw *w)
{
	jw_close(w, '{');
}

void jw_arr_open(struct jw *w)
{
	jw_open(w, '[');
}

void jw_arr_close(struct jw *w)
{
	jw_close(w, '[');
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void jw_escaped(struct jw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	fputc('"', w->out);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", w->out);
			break;
		case '\\':
			fputs("\\\\", w->out);
			break;
		case '\n':
			fputs("\\n", w->out);
			break;
		case '\t':
			fputs("\\t", w->out);
			break;
		case '\r':
			fputs("\\r", w->out);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(w->out, "\\u%04x", c);
				break;
			}
			len = utf8_seq(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", w->out);
				break;
			}
			fwrite(s + i, 1, len, w->out);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', w->out);
}

void jw_key(struct jw *w, const char *key)
{
	if (!jw_in_object(w) || w->key_pending)
		abort();
	jw_sep(w);
	jw_escaped(w, key, strlen(key));
	fputs(w->pretty ? ": " : ":", w->out);
	w->key_pending = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	jw_escaped(w, s, n);
	jw_value_done(w);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
	jw_sep(w);
	fprintf(w->out, "%" PRId64, v);
	jw_value_done(w);
}

void jw_uint(struct jw *w, uint64_t v)
{
	jw_sep(w);
	fprintf(w->out, "%" PRIu64, v);
	jw_value_done(w);
}

void jw_double(struct jw *w, double v, int decimals)
{
	jw_sep(w);
	/* JSON has no NaN or infinity */
	if (v != v || v > 1e300 || v < -1e300)
		fputs("null", w->out);
	else
		fprintf(w->out, "%.*f", decimals, v);
	jw_value_done(w);
}

void jw_bool(struct jw *w, bool v)
{
	jw_sep(w);
	fputs(v ? "true" : "false", w->out);
	jw_value_done(w);
}

void jw_null(struct jw *w)
{
	jw_sep(w);
	fputs("null", w->out);
	jw_value_done(w);
}

void jw_hex(struct jw *w, uint64_t v)
{
	jw_sep(w);
	fprintf(w->out, "\"0x%" PRIx64 "\"", v);
	jw_value_done(w);
}

void jw_hexbytes(struct jw *w, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	jw_sep(w);
	fputc('"', w->out);
	for (size_t i = 0; i < n; i++)
		fprintf(w->out, "%02x", p[i]);
	fputc('"', w->out);
	jw_value_done(w);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kuint(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_kdouble(struct jw *w, const char *key, double v, int decimals)
{
	jw_key(w, key);
	jw_double(w, v, decimals);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_khex(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_hex(w, v);
}
