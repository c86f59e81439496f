/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fastrpcctl subcommand shares: the run context, the command
 * tables, the one error path, number and domain parsing. It pulls in the
 * headers of the other shared parts, one per concern: records.h (the
 * driver's introspection and its JSON), session.h (options, nodes,
 * remote processes), mem.h (files, dma-bufs, memtest).
 */
#ifndef FASTRPCCTL_COMMON_H
#define FASTRPCCTL_COMMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json_writer.h"
#include "libfrpc.h"
#include "records.h"
#include "ctl.h"
#include "errors.h"
#include "dispatch.h"

/* s is [-]digits (sign_ok) or digits, and nothing else */
bool is_decimal(const char *s, bool sign_ok);

/*
 * Number parsing. Each returns 0, or prints "invalid <what> '<s>'" through
 * ctl_err and returns CTL_USAGE. Bases: 0x hex, 0 octal, else decimal.
 */
int parse_u64(struct ctl *c, const char *what, const char *s, uint64_t *v);
int parse_s64(struct ctl *c, const char *what, const char *s, int64_t *v);
int parse_u32(struct ctl *c, const char *what, const char *s, uint32_t *v);
int parse_s32(struct ctl *c, const char *what, const char *s, int32_t *v);
/* A byte count with an optional K, M or G suffix (powers of 1024), > 0. */
int parse_size(struct ctl *c, const char *what, const char *s, uint64_t *v);

/* Domains, by the binding's labels, indexed by enum fastrpc_domain_id */
const char *domain_name(int id);
/* Every domain's name, comma-separated, for help and messages */
void domain_names(char *buf, size_t len);
/* Domain id of name (exact or unique prefix), else CTL_USAGE via ctl_err. */
int parse_domain(struct ctl *c, const char *name, int *id);
/* The domain a subcommand works on: its own option, else -D, else dflt. */
int pick_domain(struct ctl *c, const char *opt, int dflt, int *id);

/*
 * --hold: block the signals that end a hold before reporting (so that one
 * sent right after the report is not lost), then wait for one of them.
 */
void hold_begin(sigset_t *set);
int hold_wait(struct ctl *c, const sigset_t *set);

/* Hex dump of n bytes as one line, for text output. */
void print_hex(const void *buf, size_t n);

#include "session.h"
#include "mem.h"

#endif
