// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl info: DSP capabilities (GET_DSP_INFO), one attribute per
 * ioctl, named as in include/fastrpc/wire.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "parse.h"
#include "session.h"

struct attr {
	const char *name;
	uint32_t id;
	const char *what;
	bool hex;		/* a version, printed in hex too */
};

static const struct attr attrs[] = {
	{ "domain_support", FASTRPC_ATTR_DOMAIN_SUPPORT, "the domain exists", false },
	{ "unsigned_pd_support", FASTRPC_ATTR_UNSIGNED_PD_SUPPORT, "unsigned PDs allowed", false },
	{ "hvx_support_64b", FASTRPC_ATTR_HVX_SUPPORT_64B, "HVX 64-byte units", false },
	{ "hvx_support_128b", FASTRPC_ATTR_HVX_SUPPORT_128B, "HVX 128-byte units", false },
	{ "vtcm_page", FASTRPC_ATTR_VTCM_PAGE, "VTCM page size (bytes)", false },
	{ "vtcm_count", FASTRPC_ATTR_VTCM_COUNT, "VTCM pages", false },
	{ "arch_ver", FASTRPC_ATTR_ARCH_VER, "Hexagon architecture version", true },
	{ "hmx_support_depth", FASTRPC_ATTR_HMX_SUPPORT_DEPTH, "HMX depth", false },
	{ "hmx_support_spatial", FASTRPC_ATTR_HMX_SUPPORT_SPATIAL, "HMX spatial", false },
	{ "async_fastrpc_support", FASTRPC_ATTR_ASYNC_FASTRPC_SUPPORT, "asynchronous FastRPC", false },
	{ "status_notification_support", FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT, "status notifications", false },
	{ "mcid_multicast", FASTRPC_ATTR_MCID_MULTICAST, "MCID multicast", false },
};

#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

struct info_args {
	struct session_opts so;
	bool all_domains;	/* no --domain and no -D */
	uint32_t ids[FASTRPC_MAX_DSP_ATTRIBUTES];
	int nids;		/* 0: every named attribute */
};

static int info_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl info [--domain DOMAIN] [--secure] [ATTRIBUTE...]\n"
	       "\n"
	       "DSP capabilities (FASTRPC_IOCTL_GET_DSP_INFO) of each domain that has\n"
	       "a device node (or of DOMAIN). ATTRIBUTE is a name (unique prefixes\n"
	       "accepted) or a number 0..%d; default: all of these:\n",
	       FASTRPC_MAX_DSP_ATTRIBUTES - 1);
	for (size_t i = 0; i < NATTRS; i++)
		printf("  %2u %-28s %s\n", attrs[i].id, attrs[i].name, attrs[i].what);
	printf("\n"
	       "  -D, --domain DOMAIN  only this domain\n"
	       "      --secure         use the -secure node (root only)\n");
	return CTL_OK;
}

static const char *attr_name(uint32_t id, char *buf, size_t len)
{
	for (size_t i = 0; i < NATTRS; i++)
		if (attrs[i].id == id)
			return attrs[i].name;
	snprintf(buf, len, "attr_%u", id);
	return buf;
}

static int parse_attr(struct ctl *c, const char *s, uint32_t *id)
{
	char names[512];
	int i;

	if (s[0] >= '0' && s[0] <= '9') {
		if (parse_u32(c, "attribute", s, id))
			return CTL_USAGE;
		if (*id >= FASTRPC_MAX_DSP_ATTRIBUTES)
			return ctl_err(c, CTL_USAGE, "invalid attribute '%s' (0..%d)",
				       s, FASTRPC_MAX_DSP_ATTRIBUTES - 1);
		return 0;
	}
	i = TABLE_LOOKUP(attrs, NATTRS, s);
	if (i == -2) {
		table_candidates(attrs, NATTRS, sizeof(attrs[0]), s, names,
				 sizeof(names));
		return ctl_err(c, CTL_USAGE, "ambiguous attribute '%s' (%s)", s,
			       names);
	}
	if (i < 0)
		return ctl_err(c, CTL_USAGE, "unknown attribute '%s' (try 'fastrpcctl info help')",
			       s);
	*id = attrs[i].id;
	return 0;
}

static int parse_args(struct ctl *c, int argc, char **argv,
		      struct info_args *a)
{
	static const struct option opts[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "secure", no_argument, NULL, OPT_SECURE },
		{ NULL, 0, NULL, 0 },
	};
	int ret;

	session_opts_init(&a->so);
	a->so.kind = PD_NONE;
	ret = parse_cmd_opts(c, "info", argc, argv, "+:D:", opts, &a->so, NULL,
			     NULL, true);
	if (ret)
		return ret;
	for (; optind < argc; optind++) {
		if (a->nids == FASTRPC_MAX_DSP_ATTRIBUTES)
			return ctl_err(c, CTL_USAGE, "info: too many attributes");
		ret = parse_attr(c, argv[optind], &a->ids[a->nids]);
		if (ret)
			return ret;
		a->nids++;
	}
	if (a->so.domain) {
		int id;

		return parse_domain(c, a->so.domain, &id);
	}
	a->all_domains = !c->domain;
	return 0;
}

static void print_value(struct ctl *c, uint32_t id, uint32_t v)
{
	char buf[32];
	const char *name = attr_name(id, buf, sizeof(buf));
	bool hex = false;

	for (size_t i = 0; i < NATTRS; i++)
		if (attrs[i].id == id)
			hex = attrs[i].hex;
	if (c->jw) {
		jw_kuint(c->jw, name, v);
		return;
	}
	if (hex)
		printf("  %-28s %u (0x%x)\n", name, v, v);
	else
		printf("  %-28s %u\n", name, v);
}

/* One domain's attributes, or the error that stopped them */
static int info_domain(struct ctl *c, const struct info_args *a,
		       struct frpc *f)
{
	const char *dom = domain_name(f->domain_id);
	int n = a->nids ? a->nids : (int)NATTRS;
	uint32_t v;
	int ret = 0;

	if (c->jw) {
		jw_obj_open(c->jw);
		jw_kstr(c->jw, "domain", dom);
		jw_kstr(c->jw, "node", f->path);
		jw_key(c->jw, "attributes");
		jw_obj_open(c->jw);
	} else {
		printf("%s (%s):\n", dom, f->path);
	}
	for (int i = 0; i < n; i++) {
		uint32_t id = a->nids ? a->ids[i] : attrs[i].id;
		char buf[32];

		ret = frpc_dsp_info(f, id, &v);
		if (ret) {
			if (c->jw)	/* the error joins the domain's object */
				jw_obj_close(c->jw);
			ret = ctl_err(c, CTL_FAIL, "%s: GET_DSP_INFO %s failed: %s",
				      dom, attr_name(id, buf, sizeof(buf)),
				      strerror(-ret));
			break;
		}
		print_value(c, id, v);
	}
	if (c->jw) {
		if (!ret)
			jw_obj_close(c->jw);
		jw_obj_close(c->jw);
	}
	return ret;
}

static int open_domain(struct ctl *c, const struct info_args *a, int domain,
		       struct frpc *f)
{
	struct session_opts so = a->so;

	so.domain = domain_name(domain);
	return session_start(c, &so, f);
}

int do_info(struct ctl *c, int argc, char **argv)
{
	struct info_args a = { 0 };
	struct frpc f;
	int ret, status = CTL_OK, shown = 0, domain;

	if (opts_want_help(argc, argv))
		return info_help(c);
	ret = parse_args(c, argc, argv, &a);
	if (ret)
		return ret;
	if (!a.all_domains) {
		ret = pick_domain(c, a.so.domain, FASTRPC_DOMAIN_CDSP, &domain);
		if (ret)
			return ret;
		ret = open_domain(c, &a, domain, &f);
		if (ret)
			return ret;
		if (c->jw)
			jw_arr_open(c->jw);
		ret = info_domain(c, &a, &f);
		if (c->jw)
			jw_arr_close(c->jw);
		frpc_close(&f);
		return ret;
	}
	for (int d = 0; d < FASTRPC_DOMAIN_COUNT; d++)
		shown += domain_has_node(d);
	if (!shown)
		return driver_missing() ? driver_missing_err(c) :
		       ctl_err(c, CTL_FAIL, "no fastrpc device nodes (/dev/fastrpc-*)");
	if (c->jw)
		jw_arr_open(c->jw);
	for (int d = 0; d < FASTRPC_DOMAIN_COUNT; d++) {
		if (!domain_has_node(d))
			continue;
		ret = open_domain(c, &a, d, &f) ?: info_domain(c, &a, &f);
		if (f.fd >= 0)
			frpc_close(&f);
		if (ret)
			status = ret;
	}
	if (c->jw)
		jw_arr_close(c->jw);
	return status;
}
