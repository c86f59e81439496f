// SPDX-License-Identifier: GPL-2.0
/*
 * The one error path of fastrpcctl and the naming of a call's result
 * (errno, or the DSP's code and its AEE name); see errors.h.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "errors.h"
#include "json_writer.h"

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
