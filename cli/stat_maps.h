/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The aggregation of bpf/fastrpc_stat.bpf.c as userspace sees it, shared by
 * fastrpcctl stat and top: loading it with filters, snapshots of its maps,
 * and the difference of two snapshots (an interval's figures).
 */
#ifndef FASTRPCCTL_STAT_MAPS_H
#define FASTRPCCTL_STAT_MAPS_H

#include <stddef.h>

#include "bpf_tools.h"

struct ctl;
struct fastrpc_stat_bpf;

struct method_entry {
	struct frpc_method_key key;
	struct frpc_hist hist;
};

struct proc_entry {
	int32_t pid;
	struct frpc_proc_stat stat;
};

/*
 * One reading of every map. Counters grow from the load on; in a delta
 * (stats_delta) they are the interval's, while the gauges (live memory,
 * in_flight) and the maxima (max, in_flight_max: since the load) are
 * the newer snapshot's.
 */
struct stat_snapshot {
	uint64_t taken_ns;
	struct frpc_hist domain_hist[FRPC_DOMAINS];
	struct frpc_domain_stat domain[FRPC_DOMAINS];
	size_t nmethods;
	struct method_entry *methods;	/* sorted by key */
	size_t nprocs;
	struct proc_entry *procs;	/* sorted by pid */
};

/* A channel's counts as the driver shows them (its debugfs line) */
struct chan_counts {
	uint64_t generation;	/* 0: no channel */
	uint64_t sent;
	uint64_t sent_bytes;
	uint64_t received;
	uint64_t received_bytes;
	int64_t in_flight;
	uint64_t in_flight_max;	/* since the channel came up */
};

/* A loaded stat, from stats_start to stats_stop */
struct stats {
	struct fastrpc_stat_bpf *skel;
	int domain;		/* the filter's, -1: all */
	/*
	 * Requests, responses and calls in flight come from the driver (no
	 * process or handle filter, debugfs readable), counted from base
	 */
	bool from_driver;
	struct chan_counts base[FRPC_DOMAINS];	/* at the load */
	struct chan_counts last[FRPC_DOMAINS];	/* the latest line read */
	uint64_t in_flight_max[FRPC_DOMAINS];	/* the most shown so far */
};

/* What a caller shows, for stats_start: the counters it needs filled */
enum {
	STATS_CALLS_DOMAIN = 1 << 0,	/* the histograms per domain */
	STATS_CALLS_METHOD = 1 << 1,	/* per (domain, handle, method) */
	STATS_CALLS_PROCESS = 1 << 2,	/* per process, and its domains */
	STATS_TRAFFIC = 1 << 3,	/* per domain: rpmsg, in flight, DSP down */
	STATS_MEMORY = 1 << 4,	/* live maps and buffers */
	STATS_CALLS = STATS_CALLS_DOMAIN | STATS_CALLS_METHOD |
		      STATS_CALLS_PROCESS,
	STATS_ALL = STATS_CALLS | STATS_TRAFFIC | STATS_MEMORY,
	/* fastrpcctl stat with no -k (by domain) */
	STATS_DEFAULT = STATS_CALLS_DOMAIN | STATS_TRAFFIC | STATS_MEMORY,
};

/*
 * Open, filter, load (the programs that fill what, a STATS_* mask) and
 * attach; one line and CTL_FAIL on failure
 */
int stats_start(struct ctl *c, const char *cmd, const struct bpf_filter *f,
		bool ms, unsigned int what, struct stats *st);
void stats_stop(struct stats *st);

int stats_read(struct stats *st, struct stat_snapshot *s);
/* out = cur - prev (prev NULL: cur as it is); out owns new arrays */
int stats_delta(struct stat_snapshot *out, const struct stat_snapshot *cur,
		const struct stat_snapshot *prev);
void stats_free(struct stat_snapshot *s);
/*
 * Forget processes that have exited and hold nothing live any more, so
 * that the table does not fill with the dead.
 */
void stats_prune(struct stats *st, const struct stat_snapshot *s);

/* Average latency in the snapshot's unit, 0 without a timed call */
double hist_avg(const struct frpc_hist *h);
/* Anything to show: calls made, or (for domains) traffic or live maps */
bool hist_used_any(const struct frpc_hist *h);
bool domain_active(const struct stat_snapshot *s, int d);
bool proc_active(const struct proc_entry *p);

#endif
