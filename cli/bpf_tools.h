/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fastrpcctl's BPF commands (trace, stat, top) share, as libbpf-tools
 * share trace_helpers: the filters every one of them takes, the checks and
 * messages around loading, stopping on signals, durations, and log2
 * histograms as text and JSON.
 */
#ifndef FASTRPCCTL_BPF_TOOLS_H
#define FASTRPCCTL_BPF_TOOLS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "fastrpc_tools.h"

struct bpf_program;
struct ctl;
struct jw;

/* The filters, applied in the kernel; set before load */
struct bpf_filter {
	int32_t pid;		/* --pid, 0: any */
	int domain;		/* -D/--domain, -1: any */
	bool has_handle;	/* --handle */
	uint32_t handle;
	const char *comm;	/* --comm, NULL: any */
};

enum {
	OPT_BPF_PID = 0x300, OPT_BPF_COMM, OPT_BPF_HANDLE,
	OPT_BPF_FIRST_OWN,	/* the commands number their own from here */
};

/* getopt_long entries for the filters, "D:" in the short string */
#define BPF_FILTER_LONG_OPTIONS						\
	{ "domain", required_argument, NULL, 'D' },			\
	{ "pid", required_argument, NULL, OPT_BPF_PID },		\
	{ "comm", required_argument, NULL, OPT_BPF_COMM },		\
	{ "handle", required_argument, NULL, OPT_BPF_HANDLE }

/*
 * The filters into a skeleton's read-only data before load: every program
 * of bpf/ declares them (fastrpc_common.bpf.h) under the same names.
 */
#define BPF_FILTER_SET(rodata, f) do {					\
	(rodata)->targ_tgid = (f)->pid;					\
	(rodata)->targ_domain = (f)->domain;				\
	(rodata)->filter_handle = (f)->has_handle;			\
	(rodata)->targ_handle = (f)->handle;				\
	(rodata)->filter_comm = (f)->comm != NULL;			\
	if ((f)->comm)							\
		strncpy((char *)(rodata)->targ_comm, (f)->comm,		\
			FRPC_COMM_LEN - 1);				\
} while (0)

/* The filters' lines of a command's help */
extern const char bpf_filter_help[];

void bpf_filter_init(struct bpf_filter *f);
/* One filter option: 0 taken, CTL_USAGE bad value, -1 not a filter. */
int bpf_filter_opt(struct ctl *c, struct bpf_filter *f, int opt,
		   const char *val);
/* The global -D when no -D followed the command */
int bpf_filter_finish(struct ctl *c, struct bpf_filter *f);

/*
 * Before loading: the driver is loaded and the kernel and the module have
 * BTF; else one line saying which, and CTL_FAIL. Also routes libbpf's
 * messages to -d only.
 */
int bpf_tools_ready(struct ctl *c);
/*
 * Before load: only the programs whose part (a command's own bit mask) is
 * among want. Each costs its verification and attach at every start (in
 * the test guest up to a sixth of a second), so a command loads only
 * those that feed what it shows.
 */
struct bpf_part {
	struct bpf_program *prog;
	unsigned int part;
};
void bpf_select(const struct bpf_part *parts, size_t n, unsigned int want);

/* A failed open, load or attach of cmd's programs, as one line */
int bpf_load_err(struct ctl *c, const char *cmd, const char *step, int err);

/* SIGINT and SIGTERM set bpf_exiting; blocking waits return EINTR */
extern volatile sig_atomic_t bpf_exiting;
void bpf_stop_on_signals(void);

/* CLOCK_MONOTONIC in nanoseconds: the clock of bpf_ktime_get_ns() */
uint64_t mono_ns(void);

/*
 * A duration: digits with an optional unit ns, us, ms, s (default_unit
 * when none, in ns: 1000 for microseconds). Returns 0 or CTL_USAGE.
 */
int parse_duration(struct ctl *c, const char *what, const char *s,
		   uint64_t default_unit, uint64_t *ns);

/* Bucket i of a log2 histogram holds [hist_low(i), hist_high(i)] */
uint64_t hist_low(int i);
uint64_t hist_high(int i);
/* Text, with a bar chart: unit names the column ("usecs", "msecs") */
void hist_print(const __u64 *slots, int n, const char *unit);
/* JSON array of {"low", "high", "count"}, up to the last bucket in use */
void hist_json(struct jw *w, const char *key, const __u64 *slots, int n);

/* The kind of PD, as the driver's events number it (1 root ... 4 static) */
const char *pd_kind_text(uint32_t pd);

#endif
