/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fastrpcctl subcommand shares: the run context, the command
 * tables, the one error path, number and domain parsing. It pulls in the
 * headers of the other shared parts, one per concern: records.h (the
 * driver's introspection and its JSON), session.h (options, nodes,
 * remote processes), mem.h (files, dma-bufs, memtest).
 */
#ifndef FASTRPCCTL_COMMON_H
#define FASTRPCCTL_COMMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json_writer.h"
#include "libfrpc.h"
#include "records.h"
#include "ctl.h"
#include "errors.h"

/*
 * A command table entry. Tables of anything looked up by name (commands,
 * skels, methods, attributes) start each entry with the name, so that one
 * prefix matcher serves them all.
 */
struct cmd {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *summary;
};

/*
 * Index of word in a table of n entries of stride bytes whose first member
 * is a const char *name: an exact match, else the only entry it is a
 * prefix of. -1 when nothing matches, -2 when the prefix is ambiguous.
 */
int table_lookup(const void *table, size_t n, size_t stride, const char *word);
#define TABLE_LOOKUP(tbl, n, word) table_lookup((tbl), (n), sizeof((tbl)[0]), (word))
/* The names that word is a prefix of, comma-separated, for messages. */
void table_candidates(const void *table, size_t n, size_t stride,
		      const char *word, char *buf, size_t len);

/*
 * Run argv[0] from table (what names the level in messages, e.g.
 * "command"). argv[0] missing, or a lone "help": help() is called.
 */
int cmd_dispatch(struct ctl *c, const struct cmd *table, size_t n,
		 const char *what, int argc, char **argv,
		 int (*help)(struct ctl *c));

/* word asks for help: "help", "-h" or "--help" */
bool is_help(const char *word);
/* True when argv[1] asks for help. */
bool wants_help(int argc, char **argv);
/* -h or --help among argv[from..], before any "--" */
bool has_help_flag(int argc, char **argv, int from);
/*
 * For a command without SKEL-like words: argv[1] asks for help, or -h or
 * --help stands anywhere among its options (sessions -D cdsp -h).
 */
bool opts_want_help(int argc, char **argv);
/* In JSON mode help is `null`, as bpftool prints it: true when written. */
bool json_help(struct ctl *c);
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
 * --hold: block the signals that end a hold before reporting (so that one
 * sent right after the report is not lost), then wait for one of them.
 */
void hold_begin(sigset_t *set);
int hold_wait(struct ctl *c, const sigset_t *set);

/* Hex dump of n bytes as one line, for text output. */
void print_hex(const void *buf, size_t n);

#include "session.h"
#include "mem.h"

#endif
