/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON writer of fastrpcctl: every printer that has a JSON form
 * goes through it, so quoting, commas and indentation live in one place.
 */
#ifndef FASTRPCCTL_JSON_WRITER_H
#define FASTRPCCTL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct jw;

struct jw *jw_new(FILE *out, bool pretty);
void jw_set_pretty(struct jw *w, bool pretty);
/* Ends the current top-level value (newline, flush) if one is open. */
void jw_free(struct jw *w);

/* Nesting depth: 0 between top-level values. */
int jw_depth(const struct jw *w);
/* True when the innermost open container is an object. */
bool jw_in_object(const struct jw *w);

void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);

void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
/* A string of n bytes that may hold anything, NULs included. */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
/* v with that many decimals (null for NaN or infinity) */
void jw_double(struct jw *w, double v, int decimals);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* v as a "0x..." string: DSP addresses and checksums exceed 2^53. */
void jw_hex(struct jw *w, uint64_t v);
/* bytes as a string of lowercase hex digits */
void jw_hexbytes(struct jw *w, const void *buf, size_t n);

/* key + value in one call */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kuint(struct jw *w, const char *key, uint64_t v);
void jw_kdouble(struct jw *w, const char *key, double v, int decimals);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_khex(struct jw *w, const char *key, uint64_t v);

#endif
