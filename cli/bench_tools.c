// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl bench stat: what fastrpcctl stat costs the calls it watches.
 *
 * stat's programs, as a plain `fastrpcctl stat` loads them, are loaded
 * once; then one thread makes COUNT null calls with them attached and
 * COUNT with them detached, in turn, BENCH_STAT_ROUNDS times, attaching
 * and detaching between the phases, untimed. A round's loss is 1 - its
 * attached phase's rate over the mean of the detached phases on either
 * side, so that a change of the machine's speed over the run cancels; the
 * median of the rounds is the figure. Short phases are the point: in the
 * emulated guest, runs with and without the tool seconds apart disagree
 * by more than the few percent looked for (docs/PERFORMANCE.md, sessions
 * 16 and 17).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "fastrpc_stat.skel.h"
#include "stat_maps.h"

/* COUNT null calls: their rate in calls/s, or 0 with the failure recorded */
static double phase_rate(struct bench *b, int round, bool attached)
{
	uint64_t t0 = bench_now();

	for (uint64_t i = 0; i < b->count; i++) {
		int ret = bench_echo(&b->f, b->echo, 0, NULL);

		if (ret) {
			bench_fail(b, "stat", ret, "null call %llu of round %d, %s",
				   (unsigned long long)i, round,
				   attached ? "attached" : "detached");
			return 0;
		}
	}
	return b->count * 1e9 / (double)(bench_now() - t0);
}

static int attach(struct bench *b, struct fastrpc_stat_bpf *skel, int round)
{
	int err = fastrpc_stat_bpf__attach(skel);

	if (err)
		bench_fail(b, "stat", err, "attaching stat's programs, round %d",
			   round);
	return err;
}

/* The rounds: detached, then attached and detached again, each time */
static int stat_rounds(struct bench *b, struct fastrpc_stat_bpf *skel,
		       struct bench_tool *t)
{
	double before, with, after;
	int r;

	/* untimed: the path and the programs warm */
	if (!phase_rate(b, 0, true))
		return -1;
	fastrpc_stat_bpf__detach(skel);
	before = phase_rate(b, 0, false);
	if (!before)
		return -1;
	t->detached_cps = before;
	for (r = 1; r <= BENCH_STAT_ROUNDS; r++) {
		if (attach(b, skel, r))
			return -1;
		with = phase_rate(b, r, true);
		fastrpc_stat_bpf__detach(skel);
		after = with ? phase_rate(b, r, false) : 0;
		if (!after)
			return -1;
		t->loss_pct[r - 1] = 100 * (1 - with / ((before + after) / 2));
		t->attached_cps += with / BENCH_STAT_ROUNDS;
		t->detached_cps += after;
		before = after;
	}
	t->detached_cps /= BENCH_STAT_ROUNDS + 1;
	t->rounds = BENCH_STAT_ROUNDS;
	return 0;
}

int bench_stat(struct bench *b)
{
	struct bench_tool t = { 0 };
	struct bpf_filter f;
	struct stats st;
	int ret;

	if (geteuid()) {
		bench_fail(b, "stat", -EPERM,
			   "loading fastrpcctl stat's BPF programs needs root");
		return -1;
	}
	if (bench_echo_open(b, "stat"))
		return -1;
	bpf_filter_init(&f);
	if (stats_start(b->c, "bench stat", &f, false, STATS_DEFAULT, &st)) {
		bench_fail(b, "stat", -EINVAL,
			   "fastrpcctl stat's BPF programs did not load (above)");
		return -1;
	}
	ret = stat_rounds(b, st.skel, &t);
	stats_stop(&st);
	if (!ret)
		bench_print_tool(b, "stat", &t);
	return ret;
}
