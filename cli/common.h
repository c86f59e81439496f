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
#include "parse.h"

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
