// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl trace: the live stream of fastrpc events, one line (or one
 * JSON object) per completed invoke, DSP map and unmap, PD create, attach
 * and release, DSP down and up. The BPF program (bpf/fastrpc_trace.bpf.c)
 * filters in the kernel and hands records over a ring buffer; this side
 * only prints them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

#include "bpf_tools.h"
#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "fastrpc_trace.skel.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "parse.h"

enum { OPT_MIN_LATENCY = OPT_BPF_FIRST_OWN, OPT_EVENTS };

struct trace_args {
	struct bpf_filter f;
	bool timestamps;	/* -T */
	uint64_t count;		/* -c: stop after this many records, 0 never */
	uint64_t duration_ns;	/* -t: stop after this long, 0 never */
	uint64_t min_latency_ns;
	uint32_t events;	/* FRPC_EV_* */
};

/*
 * A steady stream is mostly one thread calling one method, and a text
 * line up to the call's scalars ("comm pid tid dsp invoke handle=...
 * hout=N") is then the previous line's: it is copied, not formatted again.
 */
struct line_memo {
	bool valid;
	__s32 pid;
	__s32 tid;
	__u32 domain;
	__u32 handle;
	__u32 sc;
	char comm[FRPC_COMM_LEN];
	size_t len;
	char text[128];
};

/* What one run has seen, for the printer and the summary */
struct trace_state {
	struct ctl *c;
	const struct trace_args *a;
	uint64_t printed;
	struct line_memo memo;
	/* -T: CLOCK_REALTIME - CLOCK_MONOTONIC, to date the records */
	int64_t realtime_offset_ns;
};

static const char *const kind_names[FRPC_REC_KINDS] = {
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

/* --events: the groups, by name */
static const struct {
	const char *name;
	uint32_t bit;
} event_groups[] = {
	{ "invoke", FRPC_EV_INVOKE },
	{ "map", FRPC_EV_MAP },
	{ "pd", FRPC_EV_PD },
	{ "dsp", FRPC_EV_DSP },
	{ "all", FRPC_EV_ALL },
};

#define NGROUPS (sizeof(event_groups) / sizeof(event_groups[0]))

static int trace_help(struct ctl *c)
{
	char groups[64];

	if (json_help(c))
		return CTL_OK;
	table_candidates(event_groups, NGROUPS, sizeof(event_groups[0]), "",
			 groups, sizeof(groups));
	printf("usage: fastrpcctl trace [OPTIONS]\n"
	       "\n"
	       "Print fastrpc events as they happen, one line each: completed invokes\n"
	       "(handle, method, buffer counts, payload bytes, latency, result), DSP\n"
	       "maps and unmaps, PD create/attach/release, DSP down and up. Runs until\n"
	       "SIGINT or SIGTERM, -c or -t; then prints how many records were shown\n"
	       "and how many the kernel dropped. Needs root.\n"
	       "\n"
	       "  -T                   a wall-clock time column\n"
	       "  -c COUNT             stop after COUNT records\n"
	       "  -t TIME              stop after TIME (seconds, or with ms, s...)\n"
	       "      --min-latency TIME  only invokes at least this slow (default\n"
	       "                       unit us)\n"
	       "      --events LIST    comma-separated (default all;\n"
	       "                       one of: %s)\n"
	       "%s", groups, bpf_filter_help);
	return CTL_OK;
}

static int parse_events(struct ctl *c, const char *val, uint32_t *events)
{
	char *list = strdup(val), *tok, *save = NULL;
	size_t i;
	int ret = 0;

	if (!list)
		return ctl_err(c, CTL_FAIL, "out of memory");
	*events = 0;
	for (tok = strtok_r(list, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NGROUPS; i++)
			if (!strcmp(tok, event_groups[i].name))
				break;
		if (i == NGROUPS)
			ret = ctl_err(c, CTL_USAGE,
				      "invalid event '%s' (invoke, map, pd, dsp, all)",
				      tok);
		else
			*events |= event_groups[i].bit;
	}
	free(list);
	if (!ret && !*events)
		ret = ctl_err(c, CTL_USAGE, "invalid events '%s'", val);
	return ret;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct trace_args *a = arg;
	int ret = bpf_filter_opt(c, &a->f, opt, val);

	if (ret >= 0)
		return ret;
	switch (opt) {
	case 'T':
		a->timestamps = true;
		return 0;
	case 'c':
		if (parse_u64(c, "count", val, &a->count))
			return CTL_USAGE;
		if (!a->count)
			return ctl_err(c, CTL_USAGE, "invalid count '%s' (at least 1)", val);
		return 0;
	case 't':
		if (parse_duration(c, "time", val, 1000000000, &a->duration_ns))
			return CTL_USAGE;
		if (!a->duration_ns)
			return ctl_err(c, CTL_USAGE, "invalid time '%s' (more than 0)", val);
		return 0;
	case OPT_MIN_LATENCY:
		return parse_duration(c, "min-latency", val, 1000,
				      &a->min_latency_ns);
	case OPT_EVENTS:
		return parse_events(c, val, &a->events);
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct trace_args *a)
{
	static const struct option opts[] = {
		BPF_FILTER_LONG_OPTIONS,
		{ "count", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "min-latency", required_argument, NULL, OPT_MIN_LATENCY },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	memset(a, 0, sizeof(*a));
	bpf_filter_init(&a->f);
	a->events = FRPC_EV_ALL;
	ret = parse_cmd_opts(c, "trace", argc, argv, "+:D:Tc:t:", opts, NULL,
			     own_opt, a, false);
	return ret ? ret : bpf_filter_finish(c, &a->f);
}

/*
 * A text line is built here and written with one call. Under load the
 * reader formats one line per call made, and that was most of its time:
 * printf's format parsing first (643 ns a line natively), then appenders
 * that checked the room for each character and kept the length in
 * memory, reloaded around every store (about 2100 instructions a line,
 * 1.4-2.1 us under emulation). Now a literal is one fixed-size copy, a
 * number is written in place two digits at a time after one check of the
 * room, only names go a character at a time, and an invoke's who and
 * what usually come from the memo (struct line_memo): about 450
 * instructions, 0.5-0.6 us emulated. Nothing per piece calls the library:
 * glibc's vector string functions are dear under emulation, where trace's
 * cost is measured. A line that must not be cut is far shorter than the
 * buffer; a piece that would pass its end is dropped.
 */
struct line {
	char buf[256];
	size_t len;
};

/* The widest column, COMM's */
#define COLUMN_MAX	16

static inline __attribute__((always_inline))
void line_mem(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A string literal: its length is known here, its copy a few moves */
#define line_lit(l, lit)	line_mem(l, lit, sizeof(lit) - 1)

/* At most @max characters of @s, up to its NUL */
static void line_strn(struct line *l, const char *s, size_t max)
{
	size_t room = sizeof(l->buf) - l->len, n;
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
	if (l->len < sizeof(l->buf))
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

static void line_uint(struct line *l, uint64_t v, unsigned int base)
{
	unsigned int n = digits_of(v, base);
	char *p;

	if (n > sizeof(l->buf) - l->len)
		return;
	l->len += n;
	p = l->buf + l->len;
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
	if (p > l->buf + l->len - n)
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

	if (pad <= COLUMN_MAX && l->len + COLUMN_MAX <= sizeof(l->buf)) {
		memcpy(l->buf + l->len, spaces, COLUMN_MAX);
		l->len += pad;
	}
	line_char(l, ' ');
}

/* The rare records' details: their cost does not matter */
__attribute__((format(printf, 2, 3)))
static void line_printf(struct line *l, const char *fmt, ...)
{
	size_t room = sizeof(l->buf) - l->len;
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

static void print_time(const struct trace_state *st, uint64_t ts_ns,
		       char *buf, size_t len)
{
	int64_t real = (int64_t)ts_ns + st->realtime_offset_ns;
	time_t secs = real / 1000000000;
	struct tm tm;

	localtime_r(&secs, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (long long)(real % 1000000000) / 1000);
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
	return m->valid && m->pid == r->pid && m->tid == r->tid &&
	       m->domain == r->domain && m->handle == r->handle &&
	       m->sc == r->sc && !memcmp(m->comm, r->comm, sizeof(m->comm));
}

static void memo_save(struct line_memo *m, const struct frpc_record *r,
		      const char *text, size_t len)
{
	m->valid = len <= sizeof(m->text);
	if (!m->valid)
		return;
	m->pid = r->pid;
	m->tid = r->tid;
	m->domain = r->domain;
	m->handle = r->handle;
	m->sc = r->sc;
	memcpy(m->comm, r->comm, sizeof(m->comm));
	memcpy(m->text, text, len);
	m->len = len;
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
	line_str(l, kind_names[r->kind]);
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

static void print_text(struct trace_state *st, const struct frpc_record *r)
{
	struct line l;
	char when[32];

	l.len = 0;
	if (st->a->timestamps) {
		print_time(st, r->ts_ns, when, sizeof(when));
		line_str(&l, when);
		line_column(&l, 0, 15);
	}
	if (r->kind == FRPC_REC_INVOKE) {
		line_invoke(&st->memo, &l, r);
	} else {
		line_who(&l, r);
		line_details(&l, r);
	}
	if (l.len == sizeof(l.buf))
		l.len--;
	l.buf[l.len++] = '\n';
	fwrite_unlocked(l.buf, 1, l.len, stdout);
}

static void print_json(const struct trace_state *st,
		       const struct frpc_record *r)
{
	struct jw *w = st->c->jw;
	char when[32];

	jw_obj_open(w);
	jw_kstr(w, "event", kind_names[r->kind]);
	jw_kuint(w, "ts_ns", r->ts_ns);
	if (st->a->timestamps) {
		print_time(st, r->ts_ns, when, sizeof(when));
		jw_kstr(w, "time", when);
	}
	jw_kstr(w, "domain", domain_name(r->domain));
	jw_kint(w, "pid", r->pid);
	jw_kint(w, "tid", r->tid);
	jw_key(w, "comm");
	jw_strn(w, r->comm, strnlen(r->comm, sizeof(r->comm)));
	switch (r->kind) {
	case FRPC_REC_INVOKE:
		jw_kuint(w, "handle", r->handle);
		jw_kuint(w, "method", FASTRPC_SC_METHOD(r->sc));
		jw_kuint(w, "in_bufs", FASTRPC_SC_INBUFS(r->sc));
		jw_kuint(w, "out_bufs", FASTRPC_SC_OUTBUFS(r->sc));
		jw_kuint(w, "in_handles", FASTRPC_SC_INHANDLES(r->sc));
		jw_kuint(w, "out_handles", FASTRPC_SC_OUTHANDLES(r->sc));
		jw_kuint(w, "bytes", r->bytes);
		jw_key(w, "latency_ns");
		if (r->latency_ns)
			jw_uint(w, r->latency_ns);
		else
			jw_null(w);
		json_call_result(w, r->retval);
		break;
	case FRPC_REC_MMAP:
	case FRPC_REC_MUNMAP:
	case FRPC_REC_MEM_MAP:
	case FRPC_REC_MEM_UNMAP:
		jw_kuint(w, "map", r->id);
		jw_kint(w, "fd", r->fd);
		jw_khex(w, "dsp_addr", r->addr);
		jw_kuint(w, "size", r->bytes);
		jw_kuint(w, "flags", r->flags);
		break;
	case FRPC_REC_PD_CREATE:
	case FRPC_REC_PD_ATTACH:
	case FRPC_REC_PD_RELEASE:
		jw_kstr(w, "pd", pd_kind_text(r->id));
		jw_key(w, "name");
		jw_strn(w, r->name, strnlen(r->name, sizeof(r->name)));
		jw_kint(w, "err", r->retval);
		break;
	case FRPC_REC_DSP_DOWN:
		jw_kint(w, "pending", r->retval);
		break;
	case FRPC_REC_DSP_UP:
		jw_kuint(w, "banks", r->id);
		break;
	}
	jw_obj_close(w);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct trace_state *st = ctx;
	const struct frpc_record *r = data;

	if (size < sizeof(*r) || r->kind >= FRPC_REC_KINDS)
		return 0;
	if (st->a->count && st->printed >= st->a->count)
		return 0;
	if (st->c->jw)
		print_json(st, r);
	else
		print_text(st, r);
	st->printed++;
	return 0;
}

static void print_header(const struct trace_state *st)
{
	if (st->c->jw)
		return;
	if (st->a->timestamps)
		printf("%-15s ", "TIME");
	printf("%-16s %-7s %-7s %-4s %-10s %s\n", "COMM", "PID", "TID", "DSP",
	       "EVENT", "DETAILS");
	fflush(stdout);
}

static void print_summary(const struct trace_state *st, uint64_t lost)
{
	if (st->c->jw) {
		jw_obj_open(st->c->jw);
		jw_kuint(st->c->jw, "records", st->printed);
		jw_kuint(st->c->jw, "lost", lost);
		jw_obj_close(st->c->jw);
		return;
	}
	fflush(stdout);
	fprintf(stderr, "fastrpcctl: %llu records, %llu lost\n",
		(unsigned long long)st->printed, (unsigned long long)lost);
}

/*
 * Under a steady stream the programs wake this reader at most every
 * 20 ms (sooner when the ring is half full: bpf/fastrpc_trace.bpf.c), and
 * it polls every POLL_MS, reading then what the ring holds unannounced: a
 * record after a quiet spell is read at once, any other within POLL_MS.
 */
#define POLL_MS		100

/* The filters, and only the programs of the --events asked for */
static void set_filters(struct fastrpc_trace_bpf *skel,
			const struct trace_args *a)
{
	const struct bpf_part progs[] = {
		{ skel->progs.ctx_complete, FRPC_EV_INVOKE },
		{ skel->progs.mmap, FRPC_EV_MAP },
		{ skel->progs.munmap, FRPC_EV_MAP },
		{ skel->progs.mem_map, FRPC_EV_MAP },
		{ skel->progs.mem_unmap, FRPC_EV_MAP },
		{ skel->progs.pd_create, FRPC_EV_PD },
		{ skel->progs.pd_attach, FRPC_EV_PD },
		{ skel->progs.pd_release, FRPC_EV_PD },
		{ skel->progs.dsp_down, FRPC_EV_DSP },
		{ skel->progs.dsp_up, FRPC_EV_DSP },
	};

	BPF_FILTER_SET(skel->rodata, &a->f);
	skel->rodata->targ_events = a->events;
	skel->rodata->min_latency_ns = a->min_latency_ns;
	bpf_select(progs, sizeof(progs) / sizeof(progs[0]), a->events);
}

/*
 * Records reach a pipe or a file at most this long after they were read
 * (a terminal gets each line as printed): one write for many records,
 * not one per wakeup, which under load is one per call
 */
#define FLUSH_NS	100000000ull

static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Poll until a stop condition: a signal, -c, -t */
static int stream(struct ring_buffer *rb, struct trace_state *st)
{
	uint64_t end = st->a->duration_ns ? mono_ns() + st->a->duration_ns : 0;
	uint64_t flushed = coarse_ns(), now;
	int timeout, err;
	bool idle;

	while (!bpf_exiting) {
		timeout = POLL_MS;
		if (end) {
			uint64_t t = mono_ns();

			if (t >= end)
				break;
			if (end - t < POLL_MS * 1000000ull)
				timeout = (end - t) / 1000000 + 1;
		}
		err = ring_buffer__poll(rb, timeout);
		if (err == -EINTR)
			break;
		/*
		 * A timeout: read what the ring holds all the same, records
		 * the programs did not wake us for (epoll reports only a ring
		 * that woke it)
		 */
		idle = !err;
		if (idle)
			err = ring_buffer__consume(rb);
		if (err < 0)
			return err;
		now = coarse_ns();
		if (idle || now - flushed >= FLUSH_NS) {
			fflush(stdout);
			flushed = now;
		}
		if (st->a->count && st->printed >= st->a->count)
			break;
	}
	/* what is already in the ring still counts */
	if (!st->a->count || st->printed < st->a->count)
		ring_buffer__consume(rb);
	return 0;
}

int do_trace(struct ctl *c, int argc, char **argv)
{
	struct fastrpc_trace_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct trace_state st = { .c = c };
	struct trace_args a;
	struct timespec mono, real;
	int ret, err;

	if (opts_want_help(argc, argv))
		return trace_help(c);
	ret = parse_args(c, argc, argv, &a);
	if (ret)
		return ret;
	st.a = &a;
	ret = bpf_tools_ready(c);
	if (ret)
		return ret;

	skel = fastrpc_trace_bpf__open();
	if (!skel)
		return bpf_load_err(c, "trace", "open", errno);
	set_filters(skel, &a);
	err = fastrpc_trace_bpf__load(skel);
	if (err) {
		ret = bpf_load_err(c, "trace", "load", err);
		goto out;
	}
	err = fastrpc_trace_bpf__attach(skel);
	if (err) {
		ret = bpf_load_err(c, "trace", "attach", err);
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, &st,
			      NULL);
	if (!rb) {
		ret = bpf_load_err(c, "trace", "read", errno);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	st.realtime_offset_ns =
		((int64_t)real.tv_sec - mono.tv_sec) * 1000000000ll +
		(real.tv_nsec - mono.tv_nsec);

	bpf_stop_on_signals();
	ctl_dbg(c, "trace: attached");
	print_header(&st);
	err = stream(rb, &st);
	if (err) {
		ret = ctl_err(c, CTL_FAIL, "trace: reading events: %s",
			      strerror(-err));
		goto out;
	}
	print_summary(&st, skel->bss->lost);
	ret = CTL_OK;
out:
	ring_buffer__free(rb);
	fastrpc_trace_bpf__destroy(skel);
	return ret;
}
