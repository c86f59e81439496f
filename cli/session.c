// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the subcommands that talk to a DSP: their common options,
 * opening a node and setting up a remote process (mem.c has the memory
 * they hand it, records.c what the driver reports about it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "errors.h"
#include "libfrpc.h"
#include "mem.h"
#include "parse.h"
#include "session.h"

#define STATIC_MEMLEN_DEFAULT	(1024 * 1024)

const char session_opts_help[] =
	"  -D, --domain DOMAIN  adsp, mdsp, sdsp, cdsp or cdsp1 (default: the global -D, else cdsp)\n"
	"      --secure         open /dev/fastrpc-DOMAIN-secure (root only)\n"
	"      --attach         attach to the root PD (the default)\n"
	"      --sensors        attach to the sensors PD\n"
	"      --dynamic        create a dynamic PD from a built-in minimal shell\n"
	"                       (the vdsp's: a board's DSP wants its signed\n"
	"                       shell, --shell)\n"
	"      --shell FILE     create a dynamic PD from the shell ELF in FILE\n"
	"      --shell-fd       pass the shell in a dma-buf fd, not by pointer\n"
	"      --unsigned       dynamic PD: ask for an unsigned PD\n"
	"      --attrs N        dynamic PD: process attributes (FASTRPC_MODE_*)\n"
	"      --static NAME    create the static PD NAME (e.g. audiopd)\n"
	"      --memlen SIZE    static PD: remote heap size (default 1M)\n"
	"      --no-pd          only open the node, set up no remote process\n";

static const char *const pd_names[] = {
	[PD_NONE] = "none",
	[PD_ROOT] = "root",
	[PD_SENSORS] = "sensors",
	[PD_DYNAMIC] = "dynamic",
	[PD_STATIC] = "static",
};

const char *pd_kind_name(enum pd_kind kind)
{
	return pd_names[kind];
}

void session_opts_init(struct session_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = PD_ROOT;
	o->memlen = STATIC_MEMLEN_DEFAULT;
}

static int set_kind(struct ctl *c, struct session_opts *o, enum pd_kind kind,
		    const char *opt)
{
	if (o->kind_opt && o->kind != kind)
		return ctl_err(c, CTL_USAGE, "options %s and %s conflict",
			       o->kind_opt, opt);
	o->kind = kind;
	o->kind_opt = opt;
	return 0;
}

int session_opt(struct ctl *c, struct session_opts *o, int opt,
		const char *arg)
{
	switch (opt) {
	case 'D':
		o->domain = arg;
		return 0;
	case OPT_SECURE:
		o->secure = true;
		return 0;
	case OPT_ATTACH:
		return set_kind(c, o, PD_ROOT, "--attach");
	case OPT_SENSORS:
		return set_kind(c, o, PD_SENSORS, "--sensors");
	case OPT_DYNAMIC:
		return set_kind(c, o, PD_DYNAMIC, "--dynamic");
	case OPT_SHELL:
		o->shell = arg;
		return set_kind(c, o, PD_DYNAMIC, "--shell");
	case OPT_SHELL_FD:
		o->shell_fd = true;
		return set_kind(c, o, PD_DYNAMIC, "--shell-fd");
	case OPT_UNSIGNED:
		o->attrs |= FASTRPC_MODE_UNSIGNED_MODULE;
		return set_kind(c, o, PD_DYNAMIC, "--unsigned");
	case OPT_ATTRS:
		if (parse_u32(c, "attrs", arg, &o->attrs))
			return CTL_USAGE;
		return set_kind(c, o, PD_DYNAMIC, "--attrs");
	case OPT_STATIC:
		if (!*arg)
			return ctl_err(c, CTL_USAGE, "--static needs a PD name");
		o->name = arg;
		return set_kind(c, o, PD_STATIC, "--static");
	case OPT_MEMLEN:
		if (parse_size(c, "memlen", arg, &o->memlen))
			return CTL_USAGE;
		if (o->memlen > UINT32_MAX)
			return ctl_err(c, CTL_USAGE, "invalid memlen '%s' (out of range)",
				       arg);
		return set_kind(c, o, PD_STATIC, "--memlen");
	case OPT_NO_PD:
		return set_kind(c, o, PD_NONE, "--no-pd");
	}
	return -1;
}

static void ctl_trace(void *arg, const char *what, int ret)
{
	ctl_dbg(arg, "ioctl %s -> %d%s%s", what, ret, ret < 0 ? " " : "",
		ret < 0 ? strerror(-ret) : "");
}

bool domain_has_node(int domain)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/fastrpc-%s", domain_name(domain));
	if (!access(path, F_OK))
		return true;
	strcat(path, "-secure");
	return !access(path, F_OK);
}

bool driver_missing(void)
{
	for (int d = 0; d < FASTRPC_DOMAIN_COUNT; d++)
		if (domain_has_node(d))
			return false;
	/* built in, or loaded with no DSP up yet: not "missing" */
	return access("/sys/module/fastrpc", F_OK) != 0;
}

int driver_missing_err(struct ctl *c)
{
	return ctl_err(c, CTL_FAIL,
		       "the fastrpc driver is not loaded (no /dev/fastrpc-* nodes)");
}

/* The domain's node; sdsp-like domains have only the -secure one. */
static int node_open(struct ctl *c, struct frpc *f, int domain, bool secure)
{
	const char *name = domain_name(domain);
	int ret;

	ret = frpc_open(f, name, secure);
	if (ret == -ENOENT && !secure) {
		struct frpc sec = { .fd = -1 };
		int sret = frpc_open(&sec, name, true);

		if (sret != -ENOENT) {
			ctl_dbg(c, "%s has no non-secure node, using %s",
				name, sec.path);
			*f = sec;
			ret = sret;
		}
	}
	ctl_dbg(c, "open %s -> %d", f->path, ret);
	if (ret == -ENOENT && driver_missing())
		return driver_missing_err(c);
	if (ret)
		return ctl_err(c, CTL_FAIL, "cannot open %s: %s", f->path,
			       strerror(-ret));
	if (c->debug) {
		f->trace = ctl_trace;
		f->trace_arg = c;
	}
	return 0;
}

/* The shell image: read before the node is opened, so a bad path fails early */
static int load_shell(struct ctl *c, const struct session_opts *o,
		      void **elf, size_t *len)
{
	*elf = NULL;
	*len = 0;
	if (o->kind != PD_DYNAMIC)
		return 0;
	if (o->shell)
		return read_file(c, o->shell, elf, len);
	*len = 4096;
	*elf = shell_image(*len);
	return *elf ? 0 : ctl_err(c, CTL_FAIL, "out of memory");
}

static int create_dynamic(struct ctl *c, const struct session_opts *o,
			  struct frpc *f, const void *elf, size_t len)
{
	struct dbuf b = { .fd = -1 };
	int ret;

	if (!o->shell_fd) {
		ret = frpc_create(f, elf, len, o->attrs);
	} else {
		ret = dbuf_alloc(c, f, DBUF_DRIVER, len ? len : 1, 0, &b);
		if (ret)
			return ret;
		dbuf_sync(&b, false);
		memcpy(b.map, elf, len);
		dbuf_sync(&b, true);
		ret = frpc_create_fd(f, b.fd, len, o->attrs);
		dbuf_free(&b);
	}
	if (ret)
		return ctl_err(c, CTL_FAIL, "cannot create a dynamic PD on %s from %s: %s",
			       domain_name(f->domain_id),
			       o->shell ? o->shell : "the built-in shell",
			       strerror(-ret));
	return 0;
}

static int pd_setup(struct ctl *c, const struct session_opts *o,
		    struct frpc *f, const void *elf, size_t len)
{
	const char *dom = domain_name(f->domain_id);
	int ret;

	switch (o->kind) {
	case PD_NONE:
		return 0;
	case PD_ROOT:
		ret = frpc_attach(f);
		if (ret)
			return ctl_err(c, CTL_FAIL, "cannot attach to the root PD on %s: %s",
				       dom, strerror(-ret));
		return 0;
	case PD_SENSORS:
		ret = frpc_attach_sensors(f);
		if (ret)
			return ctl_err(c, CTL_FAIL, "cannot attach to the sensors PD on %s: %s",
				       dom, strerror(-ret));
		return 0;
	case PD_DYNAMIC:
		return create_dynamic(c, o, f, elf, len);
	case PD_STATIC:
		ret = frpc_create_static(f, o->name, (uint32_t)o->memlen);
		if (ret)
			return ctl_err(c, CTL_FAIL, "cannot create the static PD '%s' on %s: %s",
				       o->name, dom, strerror(-ret));
		return 0;
	}
	return ctl_err(c, CTL_FAIL, "unknown PD kind");
}

int session_start(struct ctl *c, const struct session_opts *o,
		  struct frpc *f)
{
	int domain, ret;
	void *elf;
	size_t len;

	f->fd = -1;
	ret = pick_domain(c, o->domain, FASTRPC_DOMAIN_CDSP, &domain) ?:
	      load_shell(c, o, &elf, &len);
	if (ret)
		return ret;
	ret = node_open(c, f, domain, o->secure) ?: pd_setup(c, o, f, elf, len);
	if (ret && f->fd >= 0)
		frpc_close(f);
	free(elf);
	return ret;
}
