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

#include "hold.h"
#include "session.h"
#include "mem.h"

#endif
