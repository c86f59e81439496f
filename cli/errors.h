/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one error path of fastrpcctl (errors.c): error and debug lines, a
 * call's result as text or JSON (errno, or the DSP's code and its AEE
 * name), and bad options.
 */
#ifndef FASTRPCCTL_ERRORS_H
#define FASTRPCCTL_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctl;
struct jw;

/*
 * The one error path: one line on stderr, or {"error": "..."} on stdout in
 * JSON mode. Returns status, so that handlers can `return ctl_err(...)`.
 */
int ctl_err(struct ctl *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A call's result as the caller sees it: 0, -errno from the kernel (-4095
 * to -1), or any other value, which is the DSP's own return code, passed
 * through by the driver as upstream passes it.
 */
static inline bool is_dsp_code(int ret)
{
	return ret > 0 || ret < -4095;
}

/*
 * The AEE name of a DSP return code, with or without the DSP's 0x80000400
 * offset; NULL when it has none.
 */
const char *aee_name(uint32_t code);

/*
 * What a call's result says: the errno's text, or "the DSP returned CODE
 * (AEE_NAME)" written into buf.
 */
const char *ret_text(int ret, char *buf, size_t len);

/*
 * A call's result as members of the open JSON object: "errno" (positive)
 * for a kernel error, else "retval" (0, or the DSP's code as an unsigned
 * 32-bit number) and "aee" when the code has an AEE name.
 */
void json_call_result(struct jw *w, int ret);

/*
 * ctl_err for a failed call: the message, then ": " and what ret says (the
 * errno's text, or "the DSP returned CODE (AEE_NAME)"); in JSON mode the
 * error object also carries "errno", or "retval" (the DSP's code as an
 * unsigned 32-bit number) and "aee".
 */
int ctl_call_err(struct ctl *c, int status, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* -d: one line on stderr */
void ctl_dbg(struct ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * getopt_long() returned '?' or ':' (optstring starts with ':'): report
 * the offending option of cmd (NULL: a global option), return CTL_USAGE.
 */
int opt_error(struct ctl *c, const char *cmd, int opt, char **argv);

#endif
