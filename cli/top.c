// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl top: a refreshing view of the processes and methods that call
 * the DSPs (calls/s, latency, errors, live memory), from the same in-kernel
 * aggregation as stat. Keys, as in top: q quits; c, l, e, m, p sort by
 * calls, latency, errors, memory, pid. -b (or a non-terminal) prints plain
 * frames for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bpf_tools.h"
#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "parse.h"
#include "stat_maps.h"

enum sort_key { SORT_CALLS, SORT_LATENCY, SORT_ERRORS, SORT_MEMORY, SORT_PID };

/* The names of -s and the interactive keys, in enum order */
static const struct {
	const char *name;
	char key;
} sorts[] = {
	[SORT_CALLS] = { "calls", 'c' },
	[SORT_LATENCY] = { "latency", 'l' },
	[SORT_ERRORS] = { "errors", 'e' },
	[SORT_MEMORY] = { "memory", 'm' },
	[SORT_PID] = { "pid", 'p' },
};

#define NSORTS (sizeof(sorts) / sizeof(sorts[0]))

struct top_args {
	struct bpf_filter f;
	uint64_t interval_ns;	/* -i */
	uint64_t iterations;	/* -n, 0: until q or a signal */
	bool batch;		/* -b */
	enum sort_key sort;	/* -s */
};

static int top_help(struct ctl *c)
{
	char keys[64];

	if (json_help(c))
		return CTL_OK;
	table_candidates(sorts, NSORTS, sizeof(sorts[0]), "", keys,
			 sizeof(keys));
	printf("usage: fastrpcctl top [OPTIONS]\n"
	       "\n"
	       "A refreshing view of the processes and methods calling the DSPs:\n"
	       "calls/s, average latency, errors/s, live maps and buffers, from\n"
	       "the in-kernel aggregation of stat. Keys: q quit; c, l, e, m, p sort\n"
	       "by calls, latency, errors, memory, pid. Needs root.\n"
	       "\n"
	       "  -i, --interval TIME  refresh every TIME (default 1s; unit s)\n"
	       "  -n, --iterations N   stop after N refreshes\n"
	       "  -b, --batch          plain frames, no terminal control (also when\n"
	       "                       stdout is not a terminal)\n"
	       "  -s, --sort KEY       the first sort order (default calls;\n"
	       "                       one of: %s)\n"
	       "%s", keys, bpf_filter_help);
	return CTL_OK;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct top_args *a = arg;
	int ret = bpf_filter_opt(c, &a->f, opt, val);
	int i;

	if (ret >= 0)
		return ret;
	switch (opt) {
	case 'i':
		if (parse_duration(c, "interval", val, 1000000000,
				   &a->interval_ns))
			return CTL_USAGE;
		if (a->interval_ns < 10000000)
			return ctl_err(c, CTL_USAGE,
				       "invalid interval '%s' (at least 10ms)", val);
		return 0;
	case 'n':
		if (parse_u64(c, "iterations", val, &a->iterations))
			return CTL_USAGE;
		if (!a->iterations)
			return ctl_err(c, CTL_USAGE,
				       "invalid iterations '%s' (at least 1)", val);
		return 0;
	case 'b':
		a->batch = true;
		return 0;
	case 's':
		i = TABLE_LOOKUP(sorts, NSORTS, val);
		if (i < 0)
			return ctl_err(c, CTL_USAGE,
				       "invalid sort key '%s' (calls, latency, errors, memory, pid)",
				       val);
		a->sort = i;
		return 0;
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct top_args *a)
{
	static const struct option opts[] = {
		BPF_FILTER_LONG_OPTIONS,
		{ "interval", required_argument, NULL, 'i' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ "sort", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	memset(a, 0, sizeof(*a));
	bpf_filter_init(&a->f);
	a->interval_ns = 1000000000;
	ret = parse_cmd_opts(c, "top", argc, argv, "+:D:i:n:bs:", opts, NULL,
			     own_opt, a, false);
	if (ret)
		return ret;
	if (c->jw)
		return ctl_err(c, CTL_USAGE,
			       "top: no JSON output (use 'stat -j INTERVAL')");
	return bpf_filter_finish(c, &a->f);
}

/* ---- sorting ------------------------------------------------------ */

static enum sort_key sort_by;

static int cmp_u64_desc(uint64_t x, uint64_t y)
{
	return (x < y) - (x > y);
}

static int cmp_hist(const struct frpc_hist *x, const struct frpc_hist *y)
{
	double ax = hist_avg(x), ay = hist_avg(y);

	switch (sort_by) {
	case SORT_LATENCY:
		return (ax < ay) - (ax > ay);
	case SORT_ERRORS:
		return cmp_u64_desc(x->errors, y->errors);
	default:
		return cmp_u64_desc(x->calls, y->calls);
	}
}

static uint64_t proc_bytes(const struct frpc_proc_stat *p)
{
	int64_t b = p->map_bytes + p->dsp_map_bytes + p->buf_bytes;

	return b > 0 ? b : 0;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct proc_entry *x = a, *y = b;

	if (sort_by == SORT_PID)
		return (x->pid > y->pid) - (x->pid < y->pid);
	if (sort_by == SORT_MEMORY)
		return cmp_u64_desc(proc_bytes(&x->stat), proc_bytes(&y->stat));
	return cmp_hist(&x->stat.hist, &y->stat.hist);
}

static int cmp_method(const void *a, const void *b)
{
	const struct method_entry *x = a, *y = b;

	return cmp_hist(&x->hist, &y->hist);
}

/* ---- drawing ------------------------------------------------------ */

struct screen {
	bool tty;		/* terminal control and keys */
	int rows;		/* lines available, 0: no limit */
	int used;
};

static bool line_fits(struct screen *sc)
{
	if (sc->rows && sc->used >= sc->rows - 1)
		return false;
	sc->used++;
	return true;
}

static double per_sec(uint64_t n, uint64_t span_ns)
{
	return span_ns ? n * 1e9 / span_ns : 0;
}

static void draw_domains(struct screen *sc, const struct stat_snapshot *s,
			 uint64_t span)
{
	if (line_fits(sc))
		printf("%-4s %9s %9s %9s %9s %9s %6s %6s\n", "DSP", "CALLS/S",
		       "AVG(us)", "ERR/S", "IN-FLIGHT", "MSGS/S", "MAPS",
		       "BUFS");
	for (int d = 0; d < FRPC_DOMAINS; d++) {
		const struct frpc_hist *h = &s->domain_hist[d];
		const struct frpc_domain_stat *ds = &s->domain[d];

		if (!domain_active(s, d) || !line_fits(sc))
			continue;
		printf("%-4s %9.1f %9.1f %9.1f %9lld %9.1f %6lld %6lld\n",
		       domain_name(d), per_sec(h->calls, span), hist_avg(h),
		       per_sec(h->errors, span), (long long)ds->in_flight,
		       per_sec(ds->msgs_sent, span),
		       (long long)(ds->maps + ds->dsp_maps),
		       (long long)ds->bufs);
	}
}

static void draw_procs(struct screen *sc, struct stat_snapshot *s,
		       uint64_t span)
{
	char doms[32];

	qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
	if (line_fits(sc))
		printf("\n%-7s %-16s %-9s %9s %9s %9s %6s %6s %10s\n", "PID",
		       "COMM", "DSPS", "CALLS/S", "AVG(us)", "ERR/S", "MAPS",
		       "BUFS", "MEM(KiB)");
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct proc_entry *p = &s->procs[i];
		const struct frpc_hist *h = &p->stat.hist;
		size_t off = 0;

		if (!proc_active(p) || !line_fits(sc))
			continue;
		doms[0] = '\0';
		for (int d = 0; d < FRPC_DOMAINS; d++)
			if (p->stat.domain_mask & (1u << d))
				off += snprintf(doms + off, sizeof(doms) - off,
						"%s%s", off ? "," : "",
						domain_name(d));
		printf("%-7d %-16.16s %-9.9s %9.1f %9.1f %9.1f %6lld %6lld %10llu\n",
		       p->pid, p->stat.comm, doms[0] ? doms : "-",
		       per_sec(h->calls, span), hist_avg(h),
		       per_sec(h->errors, span),
		       (long long)(p->stat.maps + p->stat.dsp_maps),
		       (long long)p->stat.bufs,
		       (unsigned long long)proc_bytes(&p->stat) / 1024);
	}
}

static void draw_methods(struct screen *sc, struct stat_snapshot *s,
			 uint64_t span)
{
	qsort(s->methods, s->nmethods, sizeof(*s->methods), cmp_method);
	if (line_fits(sc))
		printf("\n%-4s %10s %6s %9s %9s %9s %9s\n", "DSP", "HANDLE",
		       "METHOD", "CALLS/S", "AVG(us)", "MAX(us)", "ERR/S");
	for (size_t i = 0; i < s->nmethods; i++) {
		const struct method_entry *m = &s->methods[i];

		if (!hist_used_any(&m->hist) || !line_fits(sc))
			continue;
		printf("%-4s %#10x %6u %9.1f %9.1f %9llu %9.1f\n",
		       domain_name(m->key.domain), m->key.handle, m->key.method,
		       per_sec(m->hist.calls, span), hist_avg(&m->hist),
		       (unsigned long long)m->hist.max,
		       per_sec(m->hist.errors, span));
	}
}

static void draw(struct screen *sc, struct stat_snapshot *s, uint64_t span)
{
	time_t now = time(NULL);
	struct winsize ws;
	struct tm tm;

	sc->used = 0;
	sc->rows = 0;
	if (sc->tty) {
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row)
			sc->rows = ws.ws_row;
		fputs("\033[H\033[2J", stdout);
	}
	localtime_r(&now, &tm);
	line_fits(sc);
	printf("fastrpcctl top - %02d:%02d:%02d, every %.1f s, sorted by %s%s\n",
	       tm.tm_hour, tm.tm_min, tm.tm_sec, span / 1e9, sorts[sort_by].name,
	       sc->tty ? " (q quit; c l e m p: sort)" : "");
	draw_domains(sc, s, span);
	draw_procs(sc, s, span);
	draw_methods(sc, s, span);
	if (!sc->tty)
		putchar('\n');
	fflush(stdout);
}

/* ---- the terminal ------------------------------------------------- */

static struct termios saved_tio;

static bool raw_begin(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &saved_tio))
		return false;
	tio = saved_tio;
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	return !tcsetattr(STDIN_FILENO, TCSANOW, &tio);
}

static void raw_end(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

/*
 * Wait for the deadline, a key or a signal. Returns 'q' to quit, 1 to
 * redraw now (a new sort order), 0 at the deadline.
 */
static int wait_key(bool keys, uint64_t deadline)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	uint64_t now;
	char ch;

	while (!bpf_exiting && (now = mono_ns()) < deadline) {
		int ms = (deadline - now) / 1000000 + 1;

		if (poll(&pfd, keys ? 1 : 0, ms) <= 0 || !keys)
			continue;
		if (read(STDIN_FILENO, &ch, 1) != 1) {
			keys = false;	/* stdin closed: only the timer now */
			continue;
		}
		if (ch == 'q')
			return 'q';
		for (size_t i = 0; i < NSORTS; i++)
			if (ch == sorts[i].key) {
				sort_by = i;
				return 1;
			}
	}
	return bpf_exiting ? 'q' : 0;
}

static int run(struct ctl *c, const struct top_args *a,
	       struct stats *st, struct screen *sc, bool keys)
{
	struct stat_snapshot prev, cur, delta;
	uint64_t next, n = 0;
	int err, k;

	err = stats_read(st, &prev);
	if (err)
		return ctl_err(c, CTL_FAIL, "top: reading the BPF maps: %s",
			       strerror(-err));
	next = prev.taken_ns + a->interval_ns;
	for (;;) {
		k = wait_key(keys, next);
		if (k == 'q')
			break;
		err = stats_read(st, &cur);
		if (!err)
			err = stats_delta(&delta, &cur, &prev);
		if (err) {
			stats_free(&prev);
			return ctl_err(c, CTL_FAIL, "top: reading the BPF maps: %s",
				       strerror(-err));
		}
		if (k == 1) {
			/* a new order: the same interval, redrawn */
			stats_free(&cur);
			draw(sc, &delta, delta.taken_ns - prev.taken_ns);
			stats_free(&delta);
			continue;
		}
		draw(sc, &delta, cur.taken_ns - prev.taken_ns);
		stats_free(&delta);
		stats_prune(st, &cur);
		stats_free(&prev);
		prev = cur;
		next += a->interval_ns;
		if (a->iterations && ++n >= a->iterations)
			break;
	}
	stats_free(&prev);
	return CTL_OK;
}

int do_top(struct ctl *c, int argc, char **argv)
{
	struct screen sc = { 0 };
	struct stats st;
	struct top_args a;
	bool keys = false;
	int ret;

	if (opts_want_help(argc, argv))
		return top_help(c);
	ret = parse_args(c, argc, argv, &a);
	if (ret)
		return ret;
	sort_by = a.sort;
	ret = stats_start(c, "top", &a.f, false, STATS_ALL, &st);
	if (ret)
		return ret;
	bpf_stop_on_signals();
	ctl_dbg(c, "top: attached");
	sc.tty = !a.batch && isatty(STDOUT_FILENO);
	if (sc.tty && isatty(STDIN_FILENO))
		keys = raw_begin();
	ret = run(c, &a, &st, &sc, keys);
	if (keys)
		raw_end();
	stats_stop(&st);
	return ret;
}
