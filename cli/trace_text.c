// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl trace's text lines: "COMM PID TID DSP EVENT DETAILS" in
 * columns, an optional TIME first. Under load there is one line per call
 * made, so this is the reader's hot path (docs/PERFORMANCE.md, session
 * 21).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bpf_tools.h"
#include "errors.h"
#include "fastrpc/wire.h"
#include "parse.h"
#include "trace_text.h"

const char *const trace_kind_names[FRPC_REC_KINDS] = {
	[FRPC_REC_INVOKE] = "invoke",
	[FRPC_REC_MMAP] = "mmap",
	[FRPC_REC_MUNMAP] = "munmap",
	[FRPC_REC_MEM_MAP] = "mem_map",
	[FRPC_REC_MEM_UNMAP] = "mem_unmap",
	[FRPC_REC_PD_CREATE] = "pd_create",
	[FRPC_REC_PD_ATTACH] = "pd_attach",
	[FRPC_REC_PD_RELEASE] = "pd_release",
	[FRPC_REC_DSP_DOWN] = "dsp_down",
	[FRPC_REC_DSP_UP] = "dsp_up",
};

void trace_time(const struct trace_text *t, uint64_t ts_ns, char *buf,
		size_t len)
{
	int64_t real = (int64_t)ts_ns + t->realtime_offset_ns;
	time_t secs = real / 1000000000;
	struct tm tm;

	localtime_r(&secs, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (long long)(real % 1000000000) / 1000);
}

/*
 * A text line is built in place, in the reader's output, which goes to
 * stdio once per batch. Under load the reader formats one line per call
 * made, and that was most of its time: printf's format parsing first
 * (643 ns a line natively), then appenders that checked the room for
 * each character and kept the length in memory, reloaded around every
 * store, and an fwrite per line (about 2100 instructions a line, 1.4-2.1
 * us under emulation). Now a literal is one fixed-size copy, a number is
 * written in place two digits at a time after one check of the room,
 * only names go a character at a time, and an invoke's who and what
 * usually come from the memo (struct line_memo): about 350 instructions.
 * Nothing per piece calls the library: glibc's vector string functions
 * are dear under emulation, where trace's cost is measured. A line that
 * must not be cut is far shorter than LINE_BYTES; a piece that would pass
 * its end is dropped.
 */
#define LINE_BYTES	256

struct line {
	char *buf;	/* LINE_BYTES of room, in struct trace_text's out */
	size_t len;
};

/* The widest column, COMM's */
#define COLUMN_MAX	16

static inline __attribute__((always_inline))
void line_mem(struct line *l, const char *s, size_t n)
{
	if (n > LINE_BYTES - l->len)
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A string literal: its length is known here, its copy a few moves */
#define line_lit(l, lit)	line_mem(l, lit, sizeof(lit) - 1)

/* At most @max characters of @s, up to its NUL */
static void line_strn(struct line *l, const char *s, size_t max)
{
	size_t room = LINE_BYTES - l->len, n;
	char *p = l->buf + l->len;

	if (max > room)
		max = room;
	for (n = 0; n < max && s[n]; n++)
		p[n] = s[n];
	l->len += n;
}

static void line_str(struct line *l, const char *s)
{
	line_strn(l, s, SIZE_MAX);
}

static void line_char(struct line *l, char ch)
{
	if (l->len < LINE_BYTES)
		l->buf[l->len++] = ch;
}

static unsigned int digits_of(uint64_t v, unsigned int base)
{
	unsigned int n = 1;

	for (; v >= base; v /= base)
		n++;
	return n;
}

static const char digit_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* @v in @base, 10 or 16 */
static void line_uint(struct line *l, uint64_t v, unsigned int base)
{
	unsigned int n = digits_of(v, base);
	char *first = l->buf + l->len, *p;

	if (n > LINE_BYTES - l->len)
		return;
	l->len += n;
	p = first + n;
	if (base == 16) {
		do {
			*--p = "0123456789abcdef"[v & 15];
			v >>= 4;
		} while (v);
		return;
	}
	for (; v >= 10; v /= 100) {
		p -= 2;
		p[0] = digit_pairs[v % 100 * 2];
		p[1] = digit_pairs[v % 100 * 2 + 1];
	}
	if (p > first)
		*--p = '0' + v;
}

static void line_int(struct line *l, int64_t v)
{
	if (v < 0)
		line_char(l, '-');
	line_uint(l, v < 0 ? -(uint64_t)v : (uint64_t)v, 10);
}

/* " key=value", decimal; @key a literal */
#define line_kuint(l, key, v)						\
	do {								\
		line_lit(l, " " key "=");				\
		line_uint(l, v, 10);					\
	} while (0)

/*
 * Left-aligned in a column of @width that began at @start, then a space.
 * The padding is one fixed copy of the widest column's spaces where the
 * buffer has room for it: a loop here becomes a memset call.
 */
static void line_column(struct line *l, size_t start, size_t width)
{
	static const char spaces[COLUMN_MAX] = "                ";
	size_t pad = l->len < start + width ? start + width - l->len : 0;

	if (pad <= COLUMN_MAX && l->len + COLUMN_MAX <= LINE_BYTES) {
		memcpy(l->buf + l->len, spaces, COLUMN_MAX);
		l->len += pad;
	}
	line_char(l, ' ');
}

/* The rare records' details: their cost does not matter */
__attribute__((format(printf, 2, 3)))
static void line_printf(struct line *l, const char *fmt, ...)
{
	size_t room = LINE_BYTES - l->len;
	va_list ap;
	int n;

	if (!room)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room - 1;
}

/* lat_us=12.345, or ? for a call begun before the trace */
static void line_latency(struct line *l, uint64_t ns)
{
	char frac[4] = { '.', '0' + ns % 1000 / 100, '0' + ns % 100 / 10,
			 '0' + ns % 10 };

	line_lit(l, " lat_us=");
	if (!ns) {
		line_char(l, '?');
		return;
	}
	line_uint(l, ns / 1000, 10);
	line_mem(l, frac, sizeof(frac));
}

/* "handle=0x... method=N in=N out=N hin=N hout=N": what was called */
static void line_call(struct line *l, const struct frpc_record *r)
{
	line_lit(l, "handle=0x");
	line_uint(l, r->handle, 16);
	line_kuint(l, "method", FASTRPC_SC_METHOD(r->sc));
	line_kuint(l, "in", FASTRPC_SC_INBUFS(r->sc));
	line_kuint(l, "out", FASTRPC_SC_OUTBUFS(r->sc));
	line_kuint(l, "hin", FASTRPC_SC_INHANDLES(r->sc));
	line_kuint(l, "hout", FASTRPC_SC_OUTHANDLES(r->sc));
}

/* " bytes=N lat_us=N ret=N [aee=NAME]": how the call went */
static void line_outcome(struct line *l, const struct frpc_record *r)
{
	const char *aee = is_dsp_code(r->retval) ?
			  aee_name((uint32_t)r->retval) : NULL;

	line_kuint(l, "bytes", r->bytes);
	line_latency(l, r->latency_ns);
	/* a call's result as invoke reports it: the DSP's codes in hex */
	if (is_dsp_code(r->retval) && r->retval < 0) {
		line_printf(l, " ret=0x%08x", (uint32_t)r->retval);
	} else {
		line_lit(l, " ret=");
		line_int(l, r->retval);
	}
	if (aee) {
		line_lit(l, " aee=");
		line_str(l, aee);
	}
}

static bool memo_matches(const struct line_memo *m,
			 const struct frpc_record *r)
{
	return m->len && m->pid == r->pid && m->tid == r->tid &&
	       m->domain == r->domain && m->handle == r->handle &&
	       m->sc == r->sc && !memcmp(m->comm, r->comm, sizeof(m->comm));
}

static void memo_save(struct line_memo *m, const struct frpc_record *r,
		      const char *text, size_t len)
{
	m->len = len <= sizeof(m->text) ? len : 0;
	if (!m->len)
		return;
	m->pid = r->pid;
	m->tid = r->tid;
	m->domain = r->domain;
	m->handle = r->handle;
	m->sc = r->sc;
	memcpy(m->comm, r->comm, sizeof(m->comm));
	memcpy(m->text, text, len);
}

static void line_details(struct line *l, const struct frpc_record *r)
{
	switch (r->kind) {
	case FRPC_REC_MMAP:
	case FRPC_REC_MUNMAP:
	case FRPC_REC_MEM_MAP:
	case FRPC_REC_MEM_UNMAP:
		line_printf(l, "map=%u fd=%d addr=0x%llx size=%llu flags=0x%x",
			    r->id, r->fd, (unsigned long long)r->addr,
			    (unsigned long long)r->bytes, r->flags);
		break;
	case FRPC_REC_PD_CREATE:
	case FRPC_REC_PD_ATTACH:
	case FRPC_REC_PD_RELEASE:
		line_printf(l, "pd=%s name=%.*s err=%d", pd_kind_text(r->id),
			    (int)sizeof(r->name),
			    r->name[0] ? r->name : "-", r->retval);
		break;
	case FRPC_REC_DSP_DOWN:
		line_printf(l, "pending=%d", r->retval);
		break;
	case FRPC_REC_DSP_UP:
		line_printf(l, "banks=%u", r->id);
		break;
	}
}

/* "comm pid tid dsp event ": who, in columns */
static void line_who(struct line *l, const struct frpc_record *r)
{
	size_t start = l->len;

	line_strn(l, r->comm, sizeof(r->comm));
	line_column(l, start, 16);
	start = l->len;
	line_int(l, r->pid);
	line_column(l, start, 7);
	start = l->len;
	line_int(l, r->tid);
	line_column(l, start, 7);
	start = l->len;
	line_str(l, domain_name(r->domain));
	line_column(l, start, 4);
	start = l->len;
	line_str(l, trace_kind_names[r->kind]);
	line_column(l, start, 10);
}

/* An invoke: who and what from the memo when they are the last line's */
static void line_invoke(struct line_memo *m, struct line *l,
			const struct frpc_record *r)
{
	size_t start = l->len;

	if (memo_matches(m, r)) {
		line_mem(l, m->text, m->len);
	} else {
		line_who(l, r);
		line_call(l, r);
		memo_save(m, r, l->buf + start, l->len - start);
	}
	line_outcome(l, r);
}

void trace_text_header(const struct trace_text *t)
{
	if (t->timestamps)
		printf("%-15s ", "TIME");
	printf("%-16s %-7s %-7s %-4s %-10s %s\n", "COMM", "PID", "TID", "DSP",
	       "EVENT", "DETAILS");
	fflush(stdout);
}

/* The lines built so far, to stdio */
void trace_text_flush(struct trace_text *t)
{
	fwrite_unlocked(t->out, 1, t->out_len, stdout);
	t->out_len = 0;
}

void trace_text_record(struct trace_text *t, const struct frpc_record *r)
{
	struct line l;
	char when[32];

	if (sizeof(t->out) - t->out_len < LINE_BYTES)
		trace_text_flush(t);
	l.buf = t->out + t->out_len;
	l.len = 0;
	if (t->timestamps) {
		trace_time(t, r->ts_ns, when, sizeof(when));
		line_str(&l, when);
		line_column(&l, 0, 15);
	}
	if (r->kind == FRPC_REC_INVOKE) {
		line_invoke(&t->memo, &l, r);
	} else {
		line_who(&l, r);
		line_details(&l, r);
	}
	if (l.len == LINE_BYTES)
		l.len--;
	l.buf[l.len++] = '\n';
	t->out_len += l.len;
}
