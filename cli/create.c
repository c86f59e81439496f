// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl create: attach to the root or sensors PD, or create a dynamic
 * PD (from a shell ELF) or a static one, report the session, and with
 * --hold keep it until SIGINT/SIGTERM so that `sessions` can show it.
 * --write-shell writes the minimal Hexagon shell image that --dynamic uses.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "hold.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"
#include "records.h"
#include "session.h"

enum { OPT_HOLD = OPT_FIRST_OWN, OPT_WRITE_SHELL, OPT_SIZE };

struct create_args {
	struct session_opts so;
	bool hold;
	const char *write_shell;	/* --write-shell FILE */
	uint64_t size;			/* --size for --write-shell */
};

static int create_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl create [OPTIONS] [--hold]\n"
	       "       fastrpcctl create --write-shell FILE [--size SIZE]\n"
	       "\n"
	       "Set up a remote process on a DSP and report it (client id, stream id,\n"
	       "PD from the driver's fdinfo). The process lives as long as this\n"
	       "command: --hold keeps it until SIGINT or SIGTERM.\n"
	       "\n"
	       "%s"
	       "      --hold           keep the session until SIGINT or SIGTERM\n"
	       "      --write-shell FILE  write a minimal Hexagon shell ELF to FILE\n"
	       "      --size SIZE      its size in bytes (default and minimum: %d)\n",
	       session_opts_help, SHELL_MIN_SIZE);
	return CTL_OK;
}

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct create_args *a = arg;

	switch (opt) {
	case OPT_HOLD:
		a->hold = true;
		return 0;
	case OPT_WRITE_SHELL:
		a->write_shell = val;
		return 0;
	case OPT_SIZE:
		if (parse_size(c, "size", val, &a->size))
			return CTL_USAGE;
		if (a->size < SHELL_MIN_SIZE || a->size > FASTRPC_INIT_FILELEN_MAX)
			return ctl_err(c, CTL_USAGE, "invalid size '%s' (%d..%d)",
				       val, SHELL_MIN_SIZE,
				       FASTRPC_INIT_FILELEN_MAX);
		return 0;
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct create_args *a)
{
	static const struct option opts[] = {
		SESSION_LONG_OPTIONS,
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ "write-shell", required_argument, NULL, OPT_WRITE_SHELL },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	session_opts_init(&a->so);
	a->size = SHELL_MIN_SIZE;
	ret = parse_cmd_opts(c, "create", argc, argv, "+:D:", opts, &a->so,
			     own_opt, a, false);
	if (ret)
		return ret;
	if (a->write_shell && (a->so.kind_opt || a->hold))
		return ctl_err(c, CTL_USAGE, "create: --write-shell only writes a file; it takes only --size");
	return 0;
}

static int write_shell(struct ctl *c, const struct create_args *a)
{
	void *img = shell_image(a->size);
	int ret;

	if (!img)
		return ctl_err(c, CTL_FAIL, "out of memory");
	ret = write_file(c, a->write_shell, img, a->size);
	free(img);
	if (ret)
		return ret;
	if (c->jw) {
		jw_obj_open(c->jw);
		jw_kstr(c->jw, "shell", a->write_shell);
		jw_kuint(c->jw, "size", a->size);
		jw_kuint(c->jw, "machine", 164);
		jw_obj_close(c->jw);
	} else {
		printf("wrote a %llu-byte Hexagon shell image to %s\n",
		       (unsigned long long)a->size, a->write_shell);
	}
	return CTL_OK;
}

static void report(struct ctl *c, const struct create_args *a,
		   const struct frpc *f)
{
	const char *dom = domain_name(f->domain_id);
	const char *pd = pd_kind_name(a->so.kind);
	struct kvrec r;
	const struct kvrec *fi = self_fdinfo(f->fd, &r);

	if (c->jw) {
		jw_obj_open(c->jw);
		jw_kstr(c->jw, "domain", dom);
		jw_kstr(c->jw, "node", f->path);
		jw_kstr(c->jw, "pd", pd);
		if (a->so.kind == PD_STATIC)
			jw_kstr(c->jw, "name", a->so.name);
		if (a->so.kind == PD_DYNAMIC)
			jw_kstr(c->jw, "shell", a->so.shell ? a->so.shell : "built-in");
		jw_kint(c->jw, "pid", getpid());
		jw_kbool(c->jw, "hold", a->hold);
		/* without --hold the PD goes when this command exits */
		jw_kbool(c->jw, "released", !a->hold);
		json_client(c->jw, f->fd);
		jw_obj_close(c->jw);
		return;
	}
	printf("%s: %s PD %s on %s, pid %d", dom, pd,
	       a->hold ? "ready" : "set up", f->path, (int)getpid());
	if (fi)
		printf(", client %s, stream id %s",
		       kv_get(fi, "id") ? kv_get(fi, "id") : "?",
		       kv_get(fi, "sid") ? kv_get(fi, "sid") : "?");
	printf(a->hold ? "; held until SIGINT or SIGTERM\n" :
	       "; released as fastrpcctl exits (--hold keeps it)\n");
}

int do_create(struct ctl *c, int argc, char **argv)
{
	struct create_args a = { 0 };
	struct frpc f;
	sigset_t sigs;
	int ret;

	if (opts_want_help(argc, argv))
		return create_help(c);
	ret = parse_args(c, argc, argv, &a);
	if (ret)
		return ret;
	if (a.write_shell)
		return write_shell(c, &a);
	ret = session_start(c, &a.so, &f);
	if (ret)
		return ret;
	if (a.hold)
		hold_begin(&sigs);
	report(c, &a, &f);
	if (a.hold)
		ret = hold_wait(c, &sigs);
	frpc_close(&f);
	return ret;
}
