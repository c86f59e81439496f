/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How fastrpcctl finds what a word names (dispatch.c): tables looked up
 * by exact name or unique prefix, running a command from a table, and
 * the words and flags that ask for help.
 */
#ifndef FASTRPCCTL_DISPATCH_H
#define FASTRPCCTL_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

struct ctl;

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

#endif
