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
#include "trace_text.h"

enum { OPT_MIN_LATENCY = OPT_BPF_FIRST_OWN, OPT_EVENTS };

struct trace_args {
	struct bpf_filter f;
	bool timestamps;	/* -T */
	uint64_t count;		/* -c: stop after this many records, 0 never */
	uint64_t duration_ns;	/* -t: stop after this long, 0 never */
	uint64_t min_latency_ns;
	uint32_t events;	/* FRPC_EV_* */
};

/* What one run has seen, for the printer and the summary */
struct trace_state {
	struct ctl *c;
	const struct trace_args *a;
	uint64_t printed;
	struct trace_text text;
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

static void print_json(const struct trace_state *st,
		       const struct frpc_record *r)
{
	struct jw *w = st->c->jw;
	char when[32];

	jw_obj_open(w);
	jw_kstr(w, "event", trace_kind_names[r->kind]);
	jw_kuint(w, "ts_ns", r->ts_ns);
	if (st->a->timestamps) {
		trace_time(&st->text, r->ts_ns, when, sizeof(when));
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
		trace_text_record(&st->text, r);
	st->printed++;
	return 0;
}

static void print_header(const struct trace_state *st)
{
	if (st->c->jw)
		return;
	trace_text_header(&st->text);
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
 * (a terminal, line-buffered, gets each batch as read): one write for
 * many records, not one per wakeup, which under load is one per call
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
		trace_text_flush(&st->text);
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
	trace_text_flush(&st->text);
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
	st.text.timestamps = a.timestamps;
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
	st.text.realtime_offset_ns =
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
