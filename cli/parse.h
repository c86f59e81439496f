/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line's values (parse.c): numbers and sizes, domains by
 * name, and the getopt loop every subcommand runs its options through.
 */
#ifndef FASTRPCCTL_PARSE_H
#define FASTRPCCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctl;
struct option;
struct session_opts;

/* s is [-]digits (sign_ok) or digits, and nothing else */
bool is_decimal(const char *s, bool sign_ok);

/*
 * Number parsing. Each returns 0, or prints "invalid <what> '<s>'" through
 * ctl_err and returns CTL_USAGE. Bases: 0x hex, 0 octal, else decimal.
 */
int parse_u64(struct ctl *c, const char *what, const char *s, uint64_t *v);
int parse_s64(struct ctl *c, const char *what, const char *s, int64_t *v);
int parse_u32(struct ctl *c, const char *what, const char *s, uint32_t *v);
int parse_s32(struct ctl *c, const char *what, const char *s, int32_t *v);
/* A byte count with an optional K, M or G suffix (powers of 1024), > 0. */
int parse_size(struct ctl *c, const char *what, const char *s, uint64_t *v);

/* Domains, by the binding's labels, indexed by enum fastrpc_domain_id */
const char *domain_name(int id);
/* Every domain's name, comma-separated, for help and messages */
void domain_names(char *buf, size_t len);
/* Domain id of name (exact or unique prefix), else CTL_USAGE via ctl_err. */
int parse_domain(struct ctl *c, const char *name, int *id);
/* The domain a subcommand works on: its own option, else -D, else dflt. */
int pick_domain(struct ctl *c, const char *opt, int dflt, int *id);

/*
 * The getopt loop of a subcommand: own() first (-1: not its option), then
 * the session options (when so is not NULL). Returns 0 with optind at the
 * first positional argument (an error if there is one and positional is
 * false), or the exit status of a reported error.
 */
typedef int (*own_opt_fn)(struct ctl *c, void *arg, int opt, const char *val);
int parse_cmd_opts(struct ctl *c, const char *cmd, int argc, char **argv,
		   const char *shortopts, const struct option *opts,
		   struct session_opts *so, own_opt_fn own, void *arg,
		   bool positional);

#endif
