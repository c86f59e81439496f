/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every event of the fastrpc trace system (tracepoints/fastrpc_trace.h),
 * for frpc_trace.bpf.c and frpc_bpf_trace.c: X(name) per event, name
 * without its fastrpc_ prefix. A new event goes here too.
 */
#ifndef FRPC_TRACE_EVENTS_H
#define FRPC_TRACE_EVENTS_H

#define FRPC_TRACE_EVENTS(X)						\
	X(ctx_alloc) X(ctx_send) X(ctx_interrupted) X(ctx_restored)	\
	X(ctx_free) X(ctx_response) X(ctx_complete)			\
	X(map_import) X(map_release) X(mmap) X(munmap)			\
	X(mem_map) X(mem_unmap)						\
	X(buf_alloc) X(buf_release) X(buf_free) X(buf_export)		\
	X(msg_send) X(msg_send_fail) X(msg_response) X(msg_bad_response) \
	X(client_open) X(client_close)					\
	X(pd_create) X(pd_attach) X(pd_release)				\
	X(bank_assign) X(dsp_down) X(dsp_up)

#define FRPC_EV_ENUM(name) FRPC_EV_##name,
enum frpc_trace_event { FRPC_TRACE_EVENTS(FRPC_EV_ENUM) FRPC_EV_COUNT };
#undef FRPC_EV_ENUM

/* Counters: [0, FRPC_EV_COUNT) tp_btf programs, then classic ones */
#define FRPC_COUNTERS		(2 * FRPC_EV_COUNT)

/* Fields read from fastrpc_ctx_alloc: ctx_id through BTF, then the record */
enum { FRPC_FIELD_BTF_CTX, FRPC_FIELD_TP_CTX, FRPC_FIELDS };

#endif
