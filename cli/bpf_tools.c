// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by fastrpcctl trace, stat and top: filters, load checks and
 * messages, signals, durations and log2 histograms.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bpf_tools.h"
#include "ctl.h"
#include "errors.h"
#include "json_writer.h"
#include "parse.h"
#include "session.h"

volatile sig_atomic_t bpf_exiting;

const char bpf_filter_help[] =
	"  -D, --domain DOMAIN  only this DSP (default: all; also the global -D)\n"
	"      --pid PID        only this process\n"
	"      --comm NAME      only tasks with this name (as in /proc/PID/comm)\n"
	"      --handle H       only calls on this remote handle\n";

void bpf_filter_init(struct bpf_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->domain = -1;
}

int bpf_filter_opt(struct ctl *c, struct bpf_filter *f, int opt,
		   const char *val)
{
	switch (opt) {
	case 'D':
		return parse_domain(c, val, &f->domain);
	case OPT_BPF_PID:
		if (parse_s32(c, "pid", val, &f->pid))
			return CTL_USAGE;
		if (f->pid <= 0)
			return ctl_err(c, CTL_USAGE, "invalid pid '%s'", val);
		return 0;
	case OPT_BPF_COMM:
		if (!*val || strlen(val) >= FRPC_COMM_LEN)
			return ctl_err(c, CTL_USAGE,
				       "invalid comm '%s' (1 to %d characters)",
				       val, FRPC_COMM_LEN - 1);
		f->comm = val;
		return 0;
	case OPT_BPF_HANDLE:
		f->has_handle = true;
		return parse_u32(c, "handle", val, &f->handle);
	}
	return -1;
}

int bpf_filter_finish(struct ctl *c, struct bpf_filter *f)
{
	if (f->domain < 0 && c->domain)
		return parse_domain(c, c->domain, &f->domain);
	return 0;
}

static struct ctl *print_ctl;

/* libbpf talks only under -d: its warnings are not the user's business */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!print_ctl || !print_ctl->debug || level == LIBBPF_DEBUG)
		return 0;
	fputs("fastrpcctl: libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

int bpf_tools_ready(struct ctl *c)
{
	print_ctl = c;
	libbpf_set_print(libbpf_print);
	if (access("/sys/module/fastrpc", F_OK))
		return driver_missing_err(c);
	return 0;
}

void bpf_select(const struct bpf_part *parts, size_t n, unsigned int want)
{
	for (size_t i = 0; i < n; i++)
		bpf_program__set_autoload(parts[i].prog, parts[i].part & want);
}

int bpf_load_err(struct ctl *c, const char *cmd, const char *step, int err)
{
	if (err < 0)
		err = -err;
	if (err == EPERM || err == EACCES)
		return ctl_err(c, CTL_FAIL,
			       "%s: loading BPF programs needs root (CAP_BPF and CAP_PERFMON)",
			       cmd);
	return ctl_err(c, CTL_FAIL, "%s: cannot %s the BPF programs: %s%s",
		       cmd, step, strerror(err),
		       c->debug ? "" : " (-d shows libbpf's messages)");
}

static void on_signal(int sig)
{
	(void)sig;
	bpf_exiting = 1;
}

void bpf_stop_on_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: a poll in progress returns EINTR at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int parse_duration(struct ctl *c, const char *what, const char *s,
		   uint64_t default_unit, uint64_t *ns)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	uint64_t unit = default_unit;
	unsigned long long v;
	char *end;
	size_t i;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *s == '-' || errno)
		goto bad;
	if (*end) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(end, units[i].name))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			goto bad;
		unit = units[i].ns;
	}
	if (v > UINT64_MAX / unit)
		goto bad;
	*ns = v * unit;
	return 0;
bad:
	return ctl_err(c, CTL_USAGE,
		       "invalid %s '%s' (a number, optionally with ns, us, ms or s)",
		       what, s);
}

uint64_t hist_low(int i)
{
	return i ? 1ull << i : 0;
}

uint64_t hist_high(int i)
{
	return (2ull << i) - 1;
}

static int hist_used(const __u64 *slots, int n)
{
	while (n > 0 && !slots[n - 1])
		n--;
	return n;
}

#define BAR_WIDTH 40

void hist_print(const __u64 *slots, int n, const char *unit)
{
	uint64_t max = 0;
	int i, j, used = hist_used(slots, n);

	for (i = 0; i < used; i++)
		if (slots[i] > max)
			max = slots[i];
	printf("%15s%9s : count    distribution\n", unit, "");
	for (i = 0; i < used; i++) {
		int bar = max ? (int)(slots[i] * BAR_WIDTH / max) : 0;

		printf("%10llu -> %-10llu : %-8llu |",
		       (unsigned long long)hist_low(i),
		       (unsigned long long)hist_high(i),
		       (unsigned long long)slots[i]);
		for (j = 0; j < BAR_WIDTH; j++)
			putchar(j < bar ? '*' : ' ');
		puts("|");
	}
}

void hist_json(struct jw *w, const char *key, const __u64 *slots, int n)
{
	int i, used = hist_used(slots, n);

	jw_key(w, key);
	jw_arr_open(w);
	for (i = 0; i < used; i++) {
		jw_obj_open(w);
		jw_kuint(w, "low", hist_low(i));
		jw_kuint(w, "high", hist_high(i));
		jw_kuint(w, "count", slots[i]);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

const char *pd_kind_text(uint32_t pd)
{
	static const char *const names[] = {
		"none", "root", "sensors", "dynamic", "static",
	};

	return pd < sizeof(names) / sizeof(names[0]) ? names[pd] : "?";
}
