/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the subcommands that talk to a DSP share (session.c): their
 * command-line options, opening a node, setting up the remote process,
 * and the one answer when there is no driver.
 */
#ifndef FASTRPCCTL_SESSION_H
#define FASTRPCCTL_SESSION_H

#include <stdbool.h>
#include <stdint.h>

struct ctl;
struct frpc;

/*
 * What the subcommands that talk to a DSP share on their command line:
 * which node to open and which remote process to attach or create.
 */
enum pd_kind {
	PD_NONE,	/* --no-pd: only open the node */
	PD_ROOT,	/* --attach (the default) */
	PD_SENSORS,	/* --sensors */
	PD_DYNAMIC,	/* --dynamic, --shell FILE */
	PD_STATIC,	/* --static NAME */
};

struct session_opts {
	const char *domain;	/* --domain, else -D, else cdsp */
	bool secure;		/* --secure: the -secure node */
	enum pd_kind kind;
	const char *kind_opt;	/* the option that chose kind, for messages */
	const char *shell;	/* --shell FILE; NULL: the built-in image */
	bool shell_fd;		/* --shell-fd: pass the shell in a dma-buf */
	const char *name;	/* --static NAME */
	uint32_t attrs;		/* --attrs, --unsigned */
	uint64_t memlen;	/* --memlen: static PD heap */
};

enum {
	OPT_SECURE = 0x200, OPT_ATTACH, OPT_SENSORS, OPT_DYNAMIC, OPT_SHELL,
	OPT_SHELL_FD, OPT_STATIC, OPT_UNSIGNED, OPT_ATTRS, OPT_MEMLEN,
	OPT_NO_PD,
	OPT_FIRST_OWN,		/* subcommands number their own from here */
};

/* getopt_long entries for the options above, "D:" in the short string */
#define SESSION_LONG_OPTIONS						\
	{ "domain", required_argument, NULL, 'D' },			\
	{ "secure", no_argument, NULL, OPT_SECURE },			\
	{ "attach", no_argument, NULL, OPT_ATTACH },			\
	{ "sensors", no_argument, NULL, OPT_SENSORS },			\
	{ "dynamic", no_argument, NULL, OPT_DYNAMIC },			\
	{ "shell", required_argument, NULL, OPT_SHELL },		\
	{ "shell-fd", no_argument, NULL, OPT_SHELL_FD },		\
	{ "static", required_argument, NULL, OPT_STATIC },		\
	{ "unsigned", no_argument, NULL, OPT_UNSIGNED },		\
	{ "attrs", required_argument, NULL, OPT_ATTRS },		\
	{ "memlen", required_argument, NULL, OPT_MEMLEN },		\
	{ "no-pd", no_argument, NULL, OPT_NO_PD }

/* The help lines of those options */
extern const char session_opts_help[];

void session_opts_init(struct session_opts *o);
/* -1: opt is not a session option; 0: taken; CTL_USAGE: reported */
int session_opt(struct ctl *c, struct session_opts *o, int opt,
		const char *arg);

/*
 * Open the node (the -secure one with --secure, or when the domain has
 * only that one) and set up the remote process. On failure the error is
 * reported, f is closed and CTL_FAIL or CTL_USAGE returned.
 */
int session_start(struct ctl *c, const struct session_opts *o,
		  struct frpc *f);
const char *pd_kind_name(enum pd_kind kind);
/* /dev/fastrpc-DOMAIN or /dev/fastrpc-DOMAIN-secure exists */
bool domain_has_node(int domain);
/*
 * No FastRPC driver here: no node of any domain and no fastrpc module. Then
 * every DSP command fails with the one message of driver_missing_err().
 */
bool driver_missing(void);
int driver_missing_err(struct ctl *c);

#endif
