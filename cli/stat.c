// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl stat: latency histograms and counters aggregated in the kernel
 * (bpf/fastrpc_stat.bpf.c), by domain, by method or by process, printed at
 * the end or every INTERVAL seconds, as text or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf_tools.h"
#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"
#include "parse.h"
#include "stat_maps.h"

enum stat_key { KEY_DOMAIN, KEY_METHOD, KEY_PROCESS };

static const char *const key_names[] = {
	[KEY_DOMAIN] = "domain",
	[KEY_METHOD] = "method",
	[KEY_PROCESS] = "process",
};

#define NKEYS (sizeof(key_names) / sizeof(key_names[0]))

/*
 * What each key shows, and so has filled: its own histograms, and for
 * domains their traffic and memory, for processes their memory
 */
static const unsigned int key_parts[] = {
	[KEY_DOMAIN] = STATS_DEFAULT,
	[KEY_METHOD] = STATS_CALLS_METHOD,
	[KEY_PROCESS] = STATS_CALLS_PROCESS | STATS_MEMORY,
};

struct stat_args {
	struct bpf_filter f;
	enum stat_key key;
	bool ms;		/* -m */
	bool cumulative;	/* -C */
	bool timestamps;	/* -T */
	uint64_t interval_ns;	/* 0: once, at the end */
	uint64_t count;		/* intervals, 0: until a signal */
};

static int stat_help(struct ctl *c)
{
	char keys[64];

	if (json_help(c))
		return CTL_OK;
	table_candidates(key_names, NKEYS, sizeof(key_names[0]), "", keys,
			 sizeof(keys));
	printf("usage: fastrpcctl stat [OPTIONS] [INTERVAL [COUNT]]\n"
	       "\n"
	       "Aggregate fastrpc calls in the kernel and print log2 latency histograms\n"
	       "and counters: per domain (with rpmsg traffic, calls in flight and live\n"
	       "maps and buffers), per method (domain, handle, method) or per process\n"
	       "(with its live maps and buffers). Without INTERVAL: until SIGINT or\n"
	       "SIGTERM, then once. With it: every INTERVAL seconds, COUNT times\n"
	       "(default: until a signal), each interval's own figures. The filters\n"
	       "select the traffic too (a request by its process and handle, its answer\n"
	       "with it); bad responses and DSP restarts, the DSP's own, only by -D.\n"
	       "Needs root.\n"
	       "\n"
	       "  -k, --key KEY        what to aggregate by (default domain;\n"
	       "                       one of: %s)\n"
	       "  -m, --ms             histograms in milliseconds (default microseconds)\n"
	       "  -C, --cumulative     figures since the start, not per interval\n"
	       "  -T                   a time line before each interval\n"
	       "%s", keys, bpf_filter_help);
	return CTL_OK;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct stat_args *a = arg;
	int ret = bpf_filter_opt(c, &a->f, opt, val);
	int i;

	if (ret >= 0)
		return ret;
	switch (opt) {
	case 'k':
		i = TABLE_LOOKUP(key_names, NKEYS, val);
		if (i < 0)
			return ctl_err(c, CTL_USAGE,
				       "invalid key '%s' (domain, method, process)",
				       val);
		a->key = i;
		return 0;
	case 'm':
		a->ms = true;
		return 0;
	case 'C':
		a->cumulative = true;
		return 0;
	case 'T':
		a->timestamps = true;
		return 0;
	}
	return -1;
}

/* 0, an exit status, or -1: the positional words ask for help */
static int parse_args(struct ctl *c, int argc, char **argv,
		      struct stat_args *a)
{
	static const struct option opts[] = {
		BPF_FILTER_LONG_OPTIONS,
		{ "key", required_argument, NULL, 'k' },
		{ "ms", no_argument, NULL, 'm' },
		{ "cumulative", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	memset(a, 0, sizeof(*a));
	bpf_filter_init(&a->f);
	ret = parse_cmd_opts(c, "stat", argc, argv, "+:D:k:mCT", opts, NULL,
			     own_opt, a, true);
	if (ret)
		return ret;
	argc -= optind;
	argv += optind;
	if (argc >= 1 && is_help(argv[0]))
		return -1;
	if (argc > 2)
		return ctl_err(c, CTL_USAGE, "stat: unexpected argument '%s'",
			       argv[2]);
	if (argc >= 1) {
		if (parse_duration(c, "interval", argv[0], 1000000000,
				   &a->interval_ns))
			return CTL_USAGE;
		if (!a->interval_ns)
			return ctl_err(c, CTL_USAGE,
				       "invalid interval '%s' (more than 0)", argv[0]);
	}
	if (argc == 2) {
		if (parse_u64(c, "count", argv[1], &a->count))
			return CTL_USAGE;
		if (!a->count)
			return ctl_err(c, CTL_USAGE, "invalid count '%s' (at least 1)",
				       argv[1]);
	}
	return bpf_filter_finish(c, &a->f);
}

/* ---- text --------------------------------------------------------- */

static void hist_line(const struct stat_args *a, const struct frpc_hist *h)
{
	const char *u = a->ms ? "ms" : "us";

	printf("%llu calls, %llu errors", (unsigned long long)h->calls,
	       (unsigned long long)h->errors);
	if (h->calls > h->unknown)
		printf(", avg %.1f %s, max %llu %s", hist_avg(h), u,
		       (unsigned long long)h->max, u);
	if (h->unknown)
		printf(", %llu begun before tracing",
		       (unsigned long long)h->unknown);
	putchar('\n');
	if (h->calls > h->unknown)
		hist_print(h->slots, FRPC_HIST_SLOTS, a->ms ? "msecs" : "usecs");
}

static void text_domains(const struct stat_args *a,
			 const struct stat_snapshot *s)
{
	bool any = false;
	int d;

	for (d = 0; d < FRPC_DOMAINS; d++) {
		if (!hist_used_any(&s->domain_hist[d]))
			continue;
		printf("%s: ", domain_name(d));
		hist_line(a, &s->domain_hist[d]);
		putchar('\n');
		any = true;
	}
	if (!any)
		printf("no calls\n\n");
	printf("%-4s %8s %12s %8s %12s %9s %4s %9s %13s %4s\n", "DSP", "SENT",
	       "SENT-BYTES", "RECEIVED", "RECV-BYTES", "SEND-FAIL", "BAD",
	       "IN-FLIGHT", "MAX-IN-FLIGHT", "DOWN");
	for (d = 0; d < FRPC_DOMAINS; d++) {
		const struct frpc_domain_stat *ds = &s->domain[d];

		if (!domain_active(s, d))
			continue;
		printf("%-4s %8llu %12llu %8llu %12llu %9llu %4llu %9lld %13llu %4llu\n",
		       domain_name(d), (unsigned long long)ds->msgs_sent,
		       (unsigned long long)ds->bytes_sent,
		       (unsigned long long)ds->msgs_received,
		       (unsigned long long)ds->bytes_received,
		       (unsigned long long)ds->send_failures,
		       (unsigned long long)ds->bad_responses,
		       (long long)ds->in_flight,
		       (unsigned long long)ds->in_flight_max,
		       (unsigned long long)ds->dsp_down);
	}
	printf("\n%-4s %8s %12s %8s %13s %6s %12s  (live)\n", "DSP", "MAPS",
	       "MAP-BYTES", "DSP-MAPS", "DSP-MAP-BYTES", "BUFS", "BUF-BYTES");
	for (d = 0; d < FRPC_DOMAINS; d++) {
		const struct frpc_domain_stat *ds = &s->domain[d];

		if (!domain_active(s, d))
			continue;
		printf("%-4s %8lld %12lld %8lld %13lld %6lld %12lld\n",
		       domain_name(d), (long long)ds->maps,
		       (long long)ds->map_bytes, (long long)ds->dsp_maps,
		       (long long)ds->dsp_map_bytes, (long long)ds->bufs,
		       (long long)ds->buf_bytes);
	}
}

static void text_methods(const struct stat_args *a,
			 const struct stat_snapshot *s)
{
	bool any = false;

	for (size_t i = 0; i < s->nmethods; i++) {
		const struct method_entry *m = &s->methods[i];

		if (!hist_used_any(&m->hist))
			continue;
		printf("%s handle 0x%x method %u: ", domain_name(m->key.domain),
		       m->key.handle, m->key.method);
		hist_line(a, &m->hist);
		putchar('\n');
		any = true;
	}
	if (!any)
		printf("no calls\n");
}

static void domain_list(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int d = 0; d < FRPC_DOMAINS && off < len; d++)
		if (mask & (1u << d))
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", domain_name(d));
}

static void text_processes(const struct stat_args *a,
			   const struct stat_snapshot *s)
{
	char doms[32];
	bool any = false;

	for (size_t i = 0; i < s->nprocs; i++) {
		const struct proc_entry *p = &s->procs[i];

		if (!hist_used_any(&p->stat.hist))
			continue;
		domain_list(p->stat.domain_mask, doms, sizeof(doms));
		printf("pid %d (%.16s) %s: ", p->pid, p->stat.comm, doms);
		hist_line(a, &p->stat.hist);
		putchar('\n');
		any = true;
	}
	if (!any)
		printf("no calls\n\n");
	printf("%-7s %-16s %6s %12s %8s %13s %6s %12s  (live)\n", "PID", "COMM",
	       "MAPS", "MAP-BYTES", "DSP-MAPS", "DSP-MAP-BYTES", "BUFS",
	       "BUF-BYTES");
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct frpc_proc_stat *p = &s->procs[i].stat;

		if (!proc_active(&s->procs[i]))
			continue;
		printf("%-7d %-16.16s %6lld %12lld %8lld %13lld %6lld %12lld\n",
		       s->procs[i].pid, p->comm, (long long)p->maps,
		       (long long)p->map_bytes, (long long)p->dsp_maps,
		       (long long)p->dsp_map_bytes, (long long)p->bufs,
		       (long long)p->buf_bytes);
	}
}

/* ---- JSON --------------------------------------------------------- */

/* The live maps and buffers, as the "memory" object */
static void json_memory(struct jw *w, int64_t maps, int64_t map_bytes,
			int64_t dsp_maps, int64_t dsp_map_bytes, int64_t bufs,
			int64_t buf_bytes)
{
	jw_key(w, "memory");
	jw_obj_open(w);
	jw_kint(w, "maps", maps);
	jw_kint(w, "map_bytes", map_bytes);
	jw_kint(w, "dsp_maps", dsp_maps);
	jw_kint(w, "dsp_map_bytes", dsp_map_bytes);
	jw_kint(w, "bufs", bufs);
	jw_kint(w, "buf_bytes", buf_bytes);
	jw_obj_close(w);
}

static void json_hist(struct jw *w, const struct frpc_hist *h)
{
	jw_kuint(w, "calls", h->calls);
	jw_kuint(w, "errors", h->errors);
	jw_kuint(w, "untimed", h->unknown);
	jw_kuint(w, "total", h->total);
	jw_kuint(w, "max", h->max);
	hist_json(w, "histogram", h->slots, FRPC_HIST_SLOTS);
}

static void json_domains(struct jw *w, const struct stat_snapshot *s)
{
	jw_key(w, "domains");
	jw_arr_open(w);
	for (int d = 0; d < FRPC_DOMAINS; d++) {
		const struct frpc_domain_stat *ds = &s->domain[d];

		if (!domain_active(s, d))
			continue;
		jw_obj_open(w);
		jw_kstr(w, "domain", domain_name(d));
		json_hist(w, &s->domain_hist[d]);
		jw_key(w, "rpmsg");
		jw_obj_open(w);
		jw_kuint(w, "sent", ds->msgs_sent);
		jw_kuint(w, "bytes_sent", ds->bytes_sent);
		jw_kuint(w, "received", ds->msgs_received);
		jw_kuint(w, "bytes_received", ds->bytes_received);
		jw_kuint(w, "send_failures", ds->send_failures);
		jw_kuint(w, "bad_responses", ds->bad_responses);
		jw_kint(w, "in_flight", ds->in_flight);
		jw_kuint(w, "in_flight_max", ds->in_flight_max);
		jw_kuint(w, "dsp_down", ds->dsp_down);
		jw_obj_close(w);
		json_memory(w, ds->maps, ds->map_bytes, ds->dsp_maps,
			    ds->dsp_map_bytes, ds->bufs, ds->buf_bytes);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static void json_methods(struct jw *w, const struct stat_snapshot *s)
{
	jw_key(w, "methods");
	jw_arr_open(w);
	for (size_t i = 0; i < s->nmethods; i++) {
		const struct method_entry *m = &s->methods[i];

		if (!hist_used_any(&m->hist))
			continue;
		jw_obj_open(w);
		jw_kstr(w, "domain", domain_name(m->key.domain));
		jw_kuint(w, "handle", m->key.handle);
		jw_kuint(w, "method", m->key.method);
		json_hist(w, &m->hist);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static void json_processes(struct jw *w, const struct stat_snapshot *s)
{
	jw_key(w, "processes");
	jw_arr_open(w);
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct frpc_proc_stat *p = &s->procs[i].stat;

		if (!proc_active(&s->procs[i]))
			continue;
		jw_obj_open(w);
		jw_kint(w, "pid", s->procs[i].pid);
		jw_key(w, "comm");
		jw_strn(w, p->comm, strnlen(p->comm, sizeof(p->comm)));
		jw_key(w, "domains");
		jw_arr_open(w);
		for (int d = 0; d < FRPC_DOMAINS; d++)
			if (p->domain_mask & (1u << d))
				jw_str(w, domain_name(d));
		jw_arr_close(w);
		json_hist(w, &p->hist);
		json_memory(w, p->maps, p->map_bytes, p->dsp_maps,
			    p->dsp_map_bytes, p->bufs, p->buf_bytes);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static void print_stats(struct ctl *c, const struct stat_args *a,
			const struct stat_snapshot *s, uint64_t span_ns)
{
	struct jw *w = c->jw;

	if (!w) {
		if (a->timestamps) {
			time_t now = time(NULL);
			struct tm tm;

			localtime_r(&now, &tm);
			printf("%02d:%02d:%02d\n", tm.tm_hour, tm.tm_min, tm.tm_sec);
		}
		if (a->key == KEY_DOMAIN)
			text_domains(a, s);
		else if (a->key == KEY_METHOD)
			text_methods(a, s);
		else
			text_processes(a, s);
		putchar('\n');
		fflush(stdout);
		return;
	}
	jw_obj_open(w);
	jw_kstr(w, "key", key_names[a->key]);
	jw_kstr(w, "unit", a->ms ? "ms" : "us");
	jw_kuint(w, "span_ns", span_ns);
	jw_kbool(w, "cumulative", a->cumulative || !a->interval_ns);
	if (a->key == KEY_DOMAIN)
		json_domains(w, s);
	else if (a->key == KEY_METHOD)
		json_methods(w, s);
	else
		json_processes(w, s);
	jw_obj_close(w);
}

/* Sleep until deadline or a signal; false on a signal */
static bool wait_until(uint64_t deadline)
{
	uint64_t now;
	struct timespec ts;

	while (!bpf_exiting && (now = mono_ns()) < deadline) {
		ts.tv_sec = (deadline - now) / 1000000000;
		ts.tv_nsec = (deadline - now) % 1000000000;
		nanosleep(&ts, NULL);
	}
	return !bpf_exiting;
}

/* One report: the figures since base (NULL: since the load) */
static int report(struct ctl *c, const struct stat_args *a,
		  struct stats *st, const struct stat_snapshot *base,
		  struct stat_snapshot *cur, uint64_t start_ns)
{
	struct stat_snapshot delta;
	int err;

	err = stats_read(st, cur);
	if (!err)
		err = stats_delta(&delta, cur, base);
	if (err)
		return ctl_err(c, CTL_FAIL, "stat: reading the BPF maps: %s",
			       strerror(-err));
	print_stats(c, a, &delta,
		    cur->taken_ns - (base ? base->taken_ns : start_ns));
	stats_free(&delta);
	stats_prune(st, cur);
	return 0;
}

int do_stat(struct ctl *c, int argc, char **argv)
{
	struct stat_snapshot prev = { 0 }, cur;
	struct stat_args a;
	struct stats st;
	uint64_t start, next, n;
	int ret;

	if (opts_want_help(argc, argv))
		return stat_help(c);
	ret = parse_args(c, argc, argv, &a);
	if (ret < 0)
		return stat_help(c);
	if (ret)
		return ret;
	ret = stats_start(c, "stat", &a.f, a.ms, key_parts[a.key], &st);
	if (ret)
		return ret;
	bpf_stop_on_signals();
	ctl_dbg(c, "stat: attached");
	start = next = mono_ns();
	prev.taken_ns = start;

	if (!a.interval_ns) {
		wait_until(UINT64_MAX);
		ret = report(c, &a, &st, NULL, &cur, start);
		stats_free(&cur);
		goto out;
	}
	for (n = 0; !a.count || n < a.count; n++) {
		bool go_on;

		next += a.interval_ns;
		go_on = wait_until(next);
		ret = report(c, &a, &st, a.cumulative || !n ? NULL : &prev,
			     &cur, start);
		stats_free(&prev);
		prev = cur;
		if (ret || !go_on)
			break;
	}
	stats_free(&prev);
out:
	stats_stop(&st);
	return ret;
}
