// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the fastrpcctl subcommands; see common.h.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

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

int ctl_err(struct ctl *c, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (!c->jw) {
		fflush(stdout);
		fprintf(stderr, "fastrpcctl: %s\n", msg);
		return status;
	}
	/* Mid-output, the error becomes a member of what is open. */
	if (jw_in_object(c->jw)) {
		jw_kstr(c->jw, "error", msg);
		return status;
	}
	jw_obj_open(c->jw);
	jw_kstr(c->jw, "error", msg);
	jw_obj_close(c->jw);
	return status;
}

/* AEEStdErr.h's numbering (quic/fastrpc inc/), the codes a DSP returns */
static const char *const aee_names[] = {
	[0x01] = "AEE_EFAILED",		[0x02] = "AEE_ENOMEMORY",
	[0x03] = "AEE_ECLASSNOTSUPPORT",	[0x04] = "AEE_EVERSIONNOTSUPPORT",
	[0x05] = "AEE_EALREADYLOADED",	[0x06] = "AEE_EUNABLETOLOAD",
	[0x07] = "AEE_EUNABLETOUNLOAD",	[0x08] = "AEE_EALARMPENDING",
	[0x09] = "AEE_EINVALIDTIME",	[0x0a] = "AEE_EBADCLASS",
	[0x0b] = "AEE_EBADMETRIC",	[0x0c] = "AEE_EEXPIRED",
	[0x0d] = "AEE_EBADSTATE",	[0x0e] = "AEE_EBADPARM",
	[0x0f] = "AEE_ESCHEMENOTSUPPORTED", [0x10] = "AEE_EBADITEM",
	[0x11] = "AEE_EINVALIDFORMAT",	[0x12] = "AEE_EINCOMPLETEITEM",
	[0x13] = "AEE_ENOPERSISTMEMORY",	[0x14] = "AEE_EUNSUPPORTED",
	[0x15] = "AEE_EPRIVLEVEL",	[0x16] = "AEE_ERESOURCENOTFOUND",
	[0x17] = "AEE_EREENTERED",	[0x18] = "AEE_EBADTASK",
	[0x19] = "AEE_EALLOCATED",	[0x1a] = "AEE_EALREADY",
	[0x1b] = "AEE_EADSAUTHBAD",	[0x1c] = "AEE_ENEEDSERVICEPROG",
	[0x1d] = "AEE_EMEMPTR",		[0x1e] = "AEE_EHEAP",
	[0x1f] = "AEE_EIDLE",		[0x20] = "AEE_EITEMBUSY",
	[0x21] = "AEE_EBADSID",		[0x22] = "AEE_ENOTYPE",
	[0x23] = "AEE_ENEEDMORE",	[0x24] = "AEE_EADSCAPS",
	[0x25] = "AEE_EBADSHUTDOWN",	[0x26] = "AEE_EBUFFERTOOSMALL",
	[0x27] = "AEE_ENOSUCH",		[0x28] = "AEE_EACKPENDING",
	[0x29] = "AEE_ENOTOWNER",	[0x2a] = "AEE_EINVALIDITEM",
	[0x2b] = "AEE_ENOTALLOWED",	[0x2c] = "AEE_EINVHANDLE",
	[0x2d] = "AEE_EOUTOFHANDLES",	[0x2e] = "AEE_EINTERRUPTED",
	[0x2f] = "AEE_ENOMORE",		[0x30] = "AEE_ECPUEXCEPTION",
	[0x31] = "AEE_EREADONLY",	[0x32] = "AEE_EINVALIDMSG",
	[0x33] = "AEE_EINVALIDTHREAD",	[0x34] = "AEE_EINVALIDPROCESS",
	[0x35] = "AEE_EINVALIDFILENAME",	[0x36] = "AEE_EINVALIDDIGESTSIZE",
	[0x37] = "AEE_EINVALIDSEGS",	[0x38] = "AEE_EINVALIDSIGNATURE",
	[0x39] = "AEE_EINVALIDDOMAIN",	[0x3a] = "AEE_EINVALIDFD",
	[0x3b] = "AEE_EINVALIDDEVICE",	[0x3c] = "AEE_EINVALIDMODE",
	[0x3d] = "AEE_EINVALIDPROCNAME",	[0x3e] = "AEE_ENOSUCHMOD",
	[0x3f] = "AEE_ENOSUCHINSTANCE",
};

/* What the DSP adds to an AEE code in what it returns */
#define DSP_AEE_OFFSET	0x80000400u

const char *aee_name(uint32_t code)
{
	if (code == DSP_AEE_OFFSET + 0x200 || code == 0x200)
		return "AEE_ERPC";
	if (code == DSP_AEE_OFFSET + 0x201 || code == 0x201)
		return "AEE_EFILE";
	if (code >= DSP_AEE_OFFSET)
		code -= DSP_AEE_OFFSET;
	if (code < sizeof(aee_names) / sizeof(aee_names[0]))
		return aee_names[code];
	return NULL;
}

const char *ret_text(int ret, char *buf, size_t len)
{
	uint32_t code = (uint32_t)ret;
	const char *name;

	if (!is_dsp_code(ret))
		return strerror(-ret);
	name = aee_name(code);
	snprintf(buf, len, code >= 0x80000000u ? "the DSP returned 0x%x%s%s%s" :
		 "the DSP returned %u%s%s%s", code, name ? " (" : "",
		 name ? name : "", name ? ")" : "");
	return buf;
}

void json_call_result(struct jw *w, int ret)
{
	const char *name = is_dsp_code(ret) ? aee_name((uint32_t)ret) : NULL;

	if (ret && !is_dsp_code(ret)) {
		jw_kint(w, "errno", -ret);
		return;
	}
	jw_kuint(w, "retval", (uint32_t)ret);
	if (name)
		jw_kstr(w, "aee", name);
}

int ctl_call_err(struct ctl *c, int status, int ret, const char *fmt, ...)
{
	char msg[400], why[96];
	va_list ap;
	bool open;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->jw)
		return ctl_err(c, status, "%s: %s", msg,
			       ret_text(ret, why, sizeof(why)));
	/* mid-output, the members join the object that is open */
	open = !jw_in_object(c->jw);
	if (open)
		jw_obj_open(c->jw);
	ctl_err(c, status, "%s: %s", msg, ret_text(ret, why, sizeof(why)));
	json_call_result(c->jw, ret);
	if (open)
		jw_obj_close(c->jw);
	return status;
}

void ctl_dbg(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->debug)
		return;
	fflush(stdout);
	fputs("fastrpcctl: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int opt_error(struct ctl *c, const char *cmd, int opt, char **argv)
{
	const char *arg = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, '\0' };
	char where[64] = "";

	/* optopt names a short option; for a long one, argv has it */
	if (optopt && strncmp(arg, "--", 2))
		arg = shortopt;
	if (cmd)
		snprintf(where, sizeof(where), "%s: ", cmd);
	if (opt == ':')
		return ctl_err(c, CTL_USAGE, "%soption '%s' needs a value",
			       where, arg);
	return ctl_err(c, CTL_USAGE, "%sunknown option '%s' (try 'fastrpcctl %s%shelp')",
		       where, arg, cmd ? cmd : "", cmd ? " " : "");
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

void hold_begin(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	/* a shell starts background jobs with SIGINT ignored */
	signal(SIGINT, SIG_DFL);
	sigprocmask(SIG_BLOCK, set, NULL);
}

int hold_wait(struct ctl *c, const sigset_t *set)
{
	int sig;

	if (!c->jw)
		printf("holding until SIGINT or SIGTERM\n");
	fflush(stdout);
	if (sigwait(set, &sig))
		return ctl_err(c, CTL_FAIL, "waiting for a signal failed");
	ctl_dbg(c, "released by signal %d", sig);
	return CTL_OK;
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

void print_hex(const void *buf, size_t n)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}
