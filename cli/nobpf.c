// SPDX-License-Identifier: GPL-2.0
/*
 * trace, stat, top and bench stat in a fastrpcctl built without BPF (make
 * BPF=0, the arm64 cross build): each says so, in one line, and fails.
 */
#include <errno.h>

#include "bench.h"
#include "commands.h"
#include "ctl.h"
#include "errors.h"

static int no_bpf(struct ctl *c, const char *cmd)
{
	return ctl_err(c, CTL_FAIL,
		       "%s: this fastrpcctl was built without BPF support (BPF=0)",
		       cmd);
}

int do_trace(struct ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_bpf(c, "trace");
}

int do_stat(struct ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_bpf(c, "stat");
}

int bench_stat(struct bench *b)
{
	bench_fail(b, "stat", -EOPNOTSUPP,
		   "this fastrpcctl was built without BPF support (BPF=0)");
	return -1;
}

int do_top(struct ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_bpf(c, "top");
}
