// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers, sizes, domains and subcommand options from the command line;
 * see parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "errors.h"
#include "libfrpc.h"
#include "parse.h"
#include "session.h"

/* strtoull/strtoll accept leading spaces and a '-' for unsigned: we do not. */
static bool number_shaped(const char *s, bool sign_ok)
{
	if (sign_ok && *s == '-')
		s++;
	return isdigit((unsigned char)*s);
}

int parse_u64(struct ctl *c, const char *what, const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (number_shaped(s, false)) {
		*v = strtoull(s, &end, 0);
		if (!errno && !*end)
			return 0;
	}
	return ctl_err(c, CTL_USAGE, "invalid %s '%s'", what, s);
}

int parse_s64(struct ctl *c, const char *what, const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	if (number_shaped(s, true)) {
		*v = strtoll(s, &end, 0);
		if (!errno && !*end)
			return 0;
	}
	return ctl_err(c, CTL_USAGE, "invalid %s '%s'", what, s);
}

int parse_u32(struct ctl *c, const char *what, const char *s, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(c, what, s, &x))
		return CTL_USAGE;
	if (x > UINT32_MAX)
		return ctl_err(c, CTL_USAGE, "invalid %s '%s' (out of range)",
			       what, s);
	*v = (uint32_t)x;
	return 0;
}

int parse_s32(struct ctl *c, const char *what, const char *s, int32_t *v)
{
	int64_t x;

	if (parse_s64(c, what, s, &x))
		return CTL_USAGE;
	/* 0x80000000..0xffffffff: a DSP error code written in hex */
	if (x < INT32_MIN || x > (int64_t)UINT32_MAX)
		return ctl_err(c, CTL_USAGE, "invalid %s '%s' (out of range)",
			       what, s);
	*v = (int32_t)(uint32_t)x;
	return 0;
}

int parse_size(struct ctl *c, const char *what, const char *s, uint64_t *v)
{
	static const char suffixes[] = "KMG";
	char num[64], *end;
	size_t len = strlen(s);
	const char *suf = NULL;
	uint64_t x;
	int shift = 0;

	if (len > 1 && len < sizeof(num))
		suf = strchr(suffixes, toupper((unsigned char)s[len - 1]));
	if (len == 0 || len >= sizeof(num))
		return ctl_err(c, CTL_USAGE, "invalid %s '%s'", what, s);
	memcpy(num, s, len + 1);
	if (suf) {
		shift = 10 * (int)(suf - suffixes + 1);
		num[len - 1] = '\0';
	}
	errno = 0;
	if (!number_shaped(num, false))
		return ctl_err(c, CTL_USAGE, "invalid %s '%s'", what, s);
	x = strtoull(num, &end, 0);
	if (errno || *end)
		return ctl_err(c, CTL_USAGE, "invalid %s '%s'", what, s);
	if (x == 0 || x > (UINT64_MAX >> shift))
		return ctl_err(c, CTL_USAGE, "invalid %s '%s' (out of range)",
			       what, s);
	*v = x << shift;
	return 0;
}

bool is_decimal(const char *s, bool sign_ok)
{
	if (sign_ok && *s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

const char *domain_name(int id)
{
	const char *name = frpc_domain_name(id);

	return name ? name : "?";
}

void domain_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < FASTRPC_DOMAIN_COUNT && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s",
				 i ? ", " : "", frpc_domain_name(i));
}

/* A domain by its name or a prefix only it has ("cd" is cdsp or cdsp1) */
int parse_domain(struct ctl *c, const char *name, int *id)
{
	char matches[64] = "";
	int found = -1;

	for (int i = 0; i < FASTRPC_DOMAIN_COUNT && *name; i++) {
		const char *d = frpc_domain_name(i);

		if (!strcmp(d, name)) {
			*id = i;
			return 0;
		}
		if (strncmp(d, name, strlen(name)))
			continue;
		snprintf(matches + strlen(matches),
			 sizeof(matches) - strlen(matches), "%s%s",
			 found == -1 ? "" : ", ", d);
		found = found == -1 ? i : -2;
	}
	if (found == -2)
		return ctl_err(c, CTL_USAGE, "ambiguous domain '%s' (%s)", name,
			       matches);
	if (found < 0) {
		domain_names(matches, sizeof(matches));
		return ctl_err(c, CTL_USAGE, "unknown domain '%s' (%s)", name,
			       matches);
	}
	*id = found;
	return 0;
}

int pick_domain(struct ctl *c, const char *opt, int dflt, int *id)
{
	if (opt)
		return parse_domain(c, opt, id);
	if (c->domain)
		return parse_domain(c, c->domain, id);
	*id = dflt;
	return 0;
}

int parse_cmd_opts(struct ctl *c, const char *cmd, int argc, char **argv,
		   const char *shortopts, const struct option *opts,
		   struct session_opts *so, own_opt_fn own, void *arg,
		   bool positional)
{
	int opt, ret;

	optind = 0;	/* GNU: start over, this argv is new */
	while ((opt = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		ret = own ? own(c, arg, opt, optarg) : -1;
		if (ret < 0 && so && opt != '?' && opt != ':')
			ret = session_opt(c, so, opt, optarg);
		if (ret > 0)
			return ret;
		if (ret < 0)
			return opt_error(c, cmd, opt, argv);
	}
	if (!positional && optind < argc)
		return ctl_err(c, CTL_USAGE, "%s: unexpected argument '%s'", cmd,
			       argv[optind]);
	return 0;
}
