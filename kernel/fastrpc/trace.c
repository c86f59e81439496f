// SPDX-License-Identifier: GPL-2.0
/*
 * The fastrpc trace system (tracepoints/fastrpc_trace.h): this file
 * creates the tracepoints; every other file only emits them.
 */
#define CREATE_TRACE_POINTS
#include "fastrpc_trace.h"
