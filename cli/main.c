// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl: the FastRPC admin CLI.
 *
 *   fastrpcctl [OPTIONS] COMMAND [ARGS]
 *
 * Global options come first (-j, -p and -d may also follow the command);
 * COMMAND is looked up in the top-level table (unique prefixes accepted)
 * and its handler gets the rest of the line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"
#include "parse.h"

#ifndef FASTRPCCTL_VERSION
#define FASTRPCCTL_VERSION "unknown"
#endif

static int do_help(struct ctl *c);
static int dispatch(struct ctl *c, int argc, char **argv);

/* help [COMMAND]: COMMAND's own help, as "COMMAND help" gives it */
static int cmd_help(struct ctl *c, int argc, char **argv)
{
	char *sub[] = { NULL, "help", NULL };

	if (argc < 2)
		return do_help(c);
	if (argc > 2)
		return ctl_err(c, CTL_USAGE, "help: unexpected argument '%s'",
			       argv[2]);
	if (is_help(argv[1]))
		return do_help(c);
	sub[0] = argv[1];
	return dispatch(c, 2, sub);
}

static int do_version(struct ctl *c, int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		if (!json_help(c))
			printf("usage: fastrpcctl version\n"
			       "\n"
			       "Prints fastrpcctl's version (also -V).\n");
		return CTL_OK;
	}
	if (argc > 1)
		return ctl_err(c, CTL_USAGE, "version: unexpected argument '%s'",
			       argv[1]);
	if (c->jw) {
		jw_obj_open(c->jw);
		jw_kstr(c->jw, "version", FASTRPCCTL_VERSION);
		jw_obj_close(c->jw);
	} else {
		printf("fastrpcctl %s\n", FASTRPCCTL_VERSION);
	}
	return CTL_OK;
}

static const struct cmd commands[] = {
	{ "sessions", do_sessions, "context banks and clients per domain" },
	{ "list", do_sessions, "alias of sessions" },
	{ "info", do_info, "DSP capabilities per domain" },
	{ "create", do_create, "attach to or create a remote process" },
	{ "invoke", do_invoke, "open a skel and call one of its methods" },
	{ "alloc", do_alloc, "allocate a dma-buf and map it on the DSP" },
	{ "mmap", do_mmap, "map memory into a remote process (and unmap it)" },
	{ "bench", do_bench, "measure invokes, memory and process calls" },
	{ "trace", do_trace, "print invokes, maps and PD events live (BPF)" },
	{ "stat", do_stat, "latency histograms and counters (BPF)" },
	{ "top", do_top, "a refreshing view of processes and methods (BPF)" },
	{ "version", do_version, "print the version" },
	{ "help", cmd_help, "this help" },
	/*
	 * Pinned abbreviations, not listed: they meant these commands
	 * before a newer command shared their first letter, and keep
	 * meaning them. A new command adds none.
	 */
	{ "s", do_sessions, NULL },
};

static int dispatch(struct ctl *c, int argc, char **argv)
{
	return cmd_dispatch(c, commands, sizeof(commands) / sizeof(commands[0]),
			    "command", argc, argv, do_help);
}

static int do_help(struct ctl *c)
{
	char domains[64];

	if (json_help(c))
		return CTL_OK;
	domain_names(domains, sizeof(domains));
	printf("usage: fastrpcctl [OPTIONS] COMMAND [ARGS] [OPTIONS]\n"
	       "       fastrpcctl help [COMMAND]\n"
	       "       fastrpcctl COMMAND help\n"
	       "\n"
	       "Commands (a unique prefix is enough; 's' stays 'sessions'):\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].summary)
			printf("  %-10s %s\n", commands[i].name,
			       commands[i].summary);
	printf("\n"
	       "Options:\n"
	       "  -j, --json           JSON output\n"
	       "  -p, --pretty         pretty-printed JSON output (implies -j)\n"
	       "  -d, --debug          trace each step and ioctl on stderr\n"
	       "  -D, --domain DOMAIN  the default domain (one of: %s)\n"
	       "  -V, --version        print the version\n"
	       "  -h, --help           this help\n"
	       "-j, -p and -d may also follow the command (up to a '--').\n"
	       "\n"
	       "Exit status: 0 done, 1 the operation failed, 2 bad usage.\n",
	       domains);
	return CTL_OK;
}

/* -j, -p: JSON from here on, including errors in later options */
static int want_json(struct ctl *c, bool pretty)
{
	if (!c->jw)
		c->jw = jw_new(stdout, pretty);
	if (!c->jw) {
		fprintf(stderr, "fastrpcctl: out of memory\n");
		return CTL_FAIL;
	}
	if (pretty)
		jw_set_pretty(c->jw, true);
	return 0;
}

/*
 * Parses the global options into c; returns -1 to go on with the command
 * at argv[optind], else the exit status (for -V, -h and errors).
 */
static int parse_globals(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "domain", required_argument, NULL, 'D' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool version = false;
	int opt, id;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:jpdD:Vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
		case 'p':
			if (want_json(c, opt == 'p'))
				return CTL_FAIL;
			break;
		case 'd':
			c->debug = true;
			break;
		case 'D':
			if (parse_domain(c, optarg, &id))
				return CTL_USAGE;
			c->domain = domain_name(id);
			break;
		case 'V':
			version = true;
			break;
		case 'h':
			return do_help(c);
		default:
			return opt_error(c, NULL, opt, argv);
		}
	}
	if (version) {
		char *vargv[] = { "version", NULL };

		return do_version(c, 1, vargv);
	}
	return -1;
}

/*
 * -j, -p and -d after the command, as bpftool takes them (fastrpcctl info
 * -j): applied, and taken out of the command's arguments. No command has
 * options or values of that spelling; "--" ends the search.
 */
static int hoist_globals(struct ctl *c, int *argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < *argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];
		bool pretty = !strcmp(a, "-p") || !strcmp(a, "--pretty");

		if (pretty || !strcmp(a, "-j") || !strcmp(a, "--json")) {
			if (want_json(c, pretty))
				return CTL_FAIL;
		} else if (!strcmp(a, "-d") || !strcmp(a, "--debug")) {
			c->debug = true;
		} else {
			argv[n++] = argv[i];
		}
	}
	while (i < *argc)
		argv[n++] = argv[i++];
	argv[n] = NULL;
	*argc = n;
	return 0;
}

int main(int argc, char **argv)
{
	struct ctl c = { 0 };
	int ret;

	ret = parse_globals(&c, argc, argv);
	if (ret < 0) {
		argc -= optind;
		argv += optind;
		if (argc == 0)
			ret = ctl_err(&c, CTL_USAGE,
				      "missing command (try 'fastrpcctl help')");
		else
			ret = hoist_globals(&c, &argc, argv) ?:
			      dispatch(&c, argc, argv);
	}
	jw_free(c.jw);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "fastrpcctl: writing output failed\n");
		return CTL_FAIL;
	}
	return ret;
}
