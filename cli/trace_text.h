/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastrpcctl trace's text lines (trace_text.c): one per record, built in
 * place and handed to stdio once per batch of records read.
 */
#ifndef TRACE_TEXT_H
#define TRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "fastrpc_tools.h"

/* Each record kind's name (FRPC_REC_*), as text and JSON print it */
extern const char *const trace_kind_names[FRPC_REC_KINDS];

/*
 * A steady stream is mostly one thread calling one method, and a text
 * line up to the call's scalars ("comm pid tid dsp invoke handle=...
 * hout=N") is then the previous line's: it is copied, not formatted again.
 */
struct line_memo {
	__s32 pid;
	__s32 tid;
	__u32 domain;
	__u32 handle;
	__u32 sc;
	char comm[FRPC_COMM_LEN];
	size_t len;		/* of text; 0: no line to copy */
	char text[128];
};

/* The text printer: what a run's lines need, and the lines not yet out */
struct trace_text {
	bool timestamps;		/* -T: a TIME column */
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, to date the records */
	int64_t realtime_offset_ns;
	struct line_memo memo;
	size_t out_len;
	char out[32 * 1024];
};

void trace_text_header(const struct trace_text *t);
void trace_text_record(struct trace_text *t, const struct frpc_record *r);
void trace_text_flush(struct trace_text *t);

/* "HH:MM:SS.uuuuuu", local time, of a record's CLOCK_MONOTONIC stamp */
void trace_time(const struct trace_text *t, uint64_t ts_ns, char *buf,
		size_t len);

#endif
