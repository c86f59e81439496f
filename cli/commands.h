/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The top-level commands of fastrpcctl, one source file each. Each gets
 * argv from its own name on and returns the exit status.
 */
#ifndef FASTRPCCTL_COMMANDS_H
#define FASTRPCCTL_COMMANDS_H

struct ctl;

int do_sessions(struct ctl *c, int argc, char **argv);	/* sessions.c */
int do_info(struct ctl *c, int argc, char **argv);	/* info.c */
int do_create(struct ctl *c, int argc, char **argv);	/* create.c */
int do_invoke(struct ctl *c, int argc, char **argv);	/* invoke.c */
int do_alloc(struct ctl *c, int argc, char **argv);	/* alloc.c */
int do_mmap(struct ctl *c, int argc, char **argv);	/* mmap.c */
int do_bench(struct ctl *c, int argc, char **argv);	/* bench.c */
/* The BPF commands; nobpf.c stands in for them in a build without BPF */
int do_trace(struct ctl *c, int argc, char **argv);	/* trace.c */
int do_stat(struct ctl *c, int argc, char **argv);	/* stat.c */
int do_top(struct ctl *c, int argc, char **argv);	/* top.c */

#endif
