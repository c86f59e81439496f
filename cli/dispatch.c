// SPDX-License-Identifier: GPL-2.0
/*
 * Command tables, dispatch and help detection; see dispatch.h.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"

int table_lookup(const void *table, size_t n, size_t stride, const char *word)
{
	const char *base = table;
	size_t len = strlen(word);
	int found = -1;

	if (!len)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)(base + i * stride);

		if (!strcmp(name, word))
			return (int)i;
		if (!strncmp(name, word, len))
			found = found == -1 ? (int)i : -2;
	}
	return found;
}

void table_candidates(const void *table, size_t n, size_t stride,
		      const char *word, char *buf, size_t len)
{
	const char *base = table;
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		const char *name = *(const char *const *)(base + i * stride);

		if (strncmp(name, word, strlen(word)))
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", name);
	}
}

int cmd_dispatch(struct ctl *c, const struct cmd *table, size_t n,
		 const char *what, int argc, char **argv,
		 int (*help)(struct ctl *c))
{
	char names[256];
	int i;

	/* "help COMMAND" is the table's own help entry */
	if (argc < 1 || (is_help(argv[0]) && argc == 1))
		return help(c);
	i = table_lookup(table, n, sizeof(*table), argv[0]);
	if (i == -2) {
		table_candidates(table, n, sizeof(*table), argv[0], names,
				 sizeof(names));
		return ctl_err(c, CTL_USAGE, "ambiguous %s '%s' (%s)", what,
			       argv[0], names);
	}
	if (i < 0)
		return ctl_err(c, CTL_USAGE,
			       "unknown %s '%s' (try 'fastrpcctl help')",
			       what, argv[0]);
	ctl_dbg(c, "%s: %s", what, table[i].name);
	return table[i].fn(c, argc, argv);
}

bool is_help(const char *word)
{
	return !strcmp(word, "help") || !strcmp(word, "-h") ||
	       !strcmp(word, "--help");
}

bool wants_help(int argc, char **argv)
{
	return argc > 1 && is_help(argv[1]);
}

bool has_help_flag(int argc, char **argv, int from)
{
	for (int i = from; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

bool opts_want_help(int argc, char **argv)
{
	return wants_help(argc, argv) || has_help_flag(argc, argv, 2);
}

bool json_help(struct ctl *c)
{
	if (!c->jw)
		return false;
	jw_null(c->jw);
	return true;
}
