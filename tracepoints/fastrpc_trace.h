/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fastrpc trace system: context lifetime, mappings and buffers, rpmsg
 * traffic, processes and sessions. Every field is documented, with its
 * unit, in tracepoints/README.md.
 *
 * Rules: ids, never kernel pointers; only fixed-size scalar fields (and
 * the PD name), so that BPF reads them through BTF as they are; the driver
 * passes values it already holds, anything derived (method, buffer counts,
 * elapsed time) is derived here, only when the event is on.
 *
 * CREATE_TRACE_POINTS is defined in exactly one file of the driver.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fastrpc

#if !defined(_FASTRPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FASTRPC_TRACE_H

#include <linux/ktime.h>
#include <linux/tracepoint.h>
#include <fastrpc/wire.h>

#ifndef FASTRPC_TRACE_DEFS
#define FASTRPC_TRACE_DEFS
/* Why fastrpc_msg_bad_response dropped a message */
enum fastrpc_trace_bad_response {
	FASTRPC_BAD_RSP_SHORT = 1,	/* shorter than ctx and retval */
	FASTRPC_BAD_RSP_NO_CTX = 2,	/* no context in flight has that ctx */
};
#endif

#define fastrpc_show_domain(d)						\
	__print_symbolic(d, { FASTRPC_DOMAIN_ADSP, "adsp" },		\
			 { FASTRPC_DOMAIN_MDSP, "mdsp" },		\
			 { FASTRPC_DOMAIN_SDSP, "sdsp" },		\
			 { FASTRPC_DOMAIN_CDSP, "cdsp" },		\
			 { FASTRPC_DOMAIN_CDSP1, "cdsp1" })

/* ---- context lifetime ---------------------------------------------- */

DECLARE_EVENT_CLASS(fastrpc_ctx_class,
	TP_PROTO(u32 domain, s32 tgid, s32 tid, u32 client_id, u32 ctx_id,
		 u32 handle, u32 sc, u64 payload_bytes),
	TP_ARGS(domain, tgid, tid, client_id, ctx_id, handle, sc,
		payload_bytes),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(s32, tid)
		__field(u32, client_id)
		__field(u32, ctx_id)
		__field(u32, handle)
		__field(u32, sc)
		__field(u8, method)
		__field(u8, in_bufs)
		__field(u8, out_bufs)
		__field(u8, in_handles)
		__field(u8, out_handles)
		__field(u64, payload_bytes)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->tid = tid;
		__entry->client_id = client_id;
		__entry->ctx_id = ctx_id;
		__entry->handle = handle;
		__entry->sc = sc;
		__entry->method = FASTRPC_SC_METHOD(sc);
		__entry->in_bufs = FASTRPC_SC_INBUFS(sc);
		__entry->out_bufs = FASTRPC_SC_OUTBUFS(sc);
		__entry->in_handles = FASTRPC_SC_INHANDLES(sc);
		__entry->out_handles = FASTRPC_SC_OUTHANDLES(sc);
		__entry->payload_bytes = payload_bytes;
	),
	TP_printk("domain=%s tgid=%d tid=%d client=%u ctx=%u handle=%u method=%u in=%u out=%u hin=%u hout=%u bytes=%llu",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->tid, __entry->client_id, __entry->ctx_id,
		  __entry->handle, __entry->method, __entry->in_bufs,
		  __entry->out_bufs, __entry->in_handles,
		  __entry->out_handles, __entry->payload_bytes)
);

#define DEFINE_FASTRPC_CTX_EVENT(name)					\
DEFINE_EVENT(fastrpc_ctx_class, name,					\
	TP_PROTO(u32 domain, s32 tgid, s32 tid, u32 client_id,		\
		 u32 ctx_id, u32 handle, u32 sc, u64 payload_bytes),	\
	TP_ARGS(domain, tgid, tid, client_id, ctx_id, handle, sc,	\
		payload_bytes))

DEFINE_FASTRPC_CTX_EVENT(fastrpc_ctx_alloc);
DEFINE_FASTRPC_CTX_EVENT(fastrpc_ctx_send);
DEFINE_FASTRPC_CTX_EVENT(fastrpc_ctx_interrupted);
DEFINE_FASTRPC_CTX_EVENT(fastrpc_ctx_restored);
DEFINE_FASTRPC_CTX_EVENT(fastrpc_ctx_free);

/* The DSP answered (or the DSP's loss answered for it) */
TRACE_EVENT(fastrpc_ctx_response,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 ctx_id, u32 handle,
		 u32 sc, s32 retval),
	TP_ARGS(domain, tgid, client_id, ctx_id, handle, sc, retval),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u32, ctx_id)
		__field(u32, handle)
		__field(u8, method)
		__field(s32, retval)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->ctx_id = ctx_id;
		__entry->handle = handle;
		__entry->method = FASTRPC_SC_METHOD(sc);
		__entry->retval = retval;
	),
	TP_printk("domain=%s tgid=%d client=%u ctx=%u handle=%u method=%u retval=%d",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id, __entry->ctx_id, __entry->handle,
		  __entry->method, __entry->retval)
);

/* The caller got its result: retval as the ioctl returns it */
TRACE_EVENT(fastrpc_ctx_complete,
	TP_PROTO(u32 domain, s32 tgid, s32 tid, u32 client_id, u32 ctx_id,
		 u32 handle, u32 sc, s32 retval, u64 start_ns,
		 u64 payload_bytes, u32 in_flight),
	TP_ARGS(domain, tgid, tid, client_id, ctx_id, handle, sc, retval,
		start_ns, payload_bytes, in_flight),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(s32, tid)
		__field(u32, client_id)
		__field(u32, ctx_id)
		__field(u32, handle)
		__field(u8, method)
		__field(s32, retval)
		__field(u64, elapsed_ns)
		__field(u64, payload_bytes)
		__field(u32, in_flight)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->tid = tid;
		__entry->client_id = client_id;
		__entry->ctx_id = ctx_id;
		__entry->handle = handle;
		__entry->method = FASTRPC_SC_METHOD(sc);
		__entry->retval = retval;
		/* 0: the event was off when the context was allocated */
		__entry->elapsed_ns = start_ns ? ktime_get_ns() - start_ns : 0;
		__entry->payload_bytes = payload_bytes;
		__entry->in_flight = in_flight;
	),
	TP_printk("domain=%s tgid=%d tid=%d client=%u ctx=%u handle=%u method=%u retval=%d elapsed_ns=%llu bytes=%llu in_flight=%u",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->tid, __entry->client_id, __entry->ctx_id,
		  __entry->handle, __entry->method, __entry->retval,
		  __entry->elapsed_ns, __entry->payload_bytes,
		  __entry->in_flight)
);

/* ---- mappings and driver buffers ----------------------------------- */

DECLARE_EVENT_CLASS(fastrpc_map_class,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 map_id, s32 fd,
		 u64 dsp_addr, u64 size, u32 flags),
	TP_ARGS(domain, tgid, client_id, map_id, fd, dsp_addr, size, flags),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u32, map_id)
		__field(s32, fd)
		__field(u32, flags)
		__field(u64, dsp_addr)
		__field(u64, size)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->map_id = map_id;
		__entry->fd = fd;
		__entry->flags = flags;
		__entry->dsp_addr = dsp_addr;
		__entry->size = size;
	),
	TP_printk("domain=%s tgid=%d client=%u map=%u fd=%d dsp_addr=0x%llx size=%llu flags=0x%x",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id, __entry->map_id, __entry->fd,
		  __entry->dsp_addr, __entry->size, __entry->flags)
);

#define DEFINE_FASTRPC_MAP_EVENT(name)					\
DEFINE_EVENT(fastrpc_map_class, name,					\
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 map_id, s32 fd, \
		 u64 dsp_addr, u64 size, u32 flags),			\
	TP_ARGS(domain, tgid, client_id, map_id, fd, dsp_addr, size, flags))

DEFINE_FASTRPC_MAP_EVENT(fastrpc_map_import);
DEFINE_FASTRPC_MAP_EVENT(fastrpc_map_release);
DEFINE_FASTRPC_MAP_EVENT(fastrpc_mmap);
DEFINE_FASTRPC_MAP_EVENT(fastrpc_munmap);
DEFINE_FASTRPC_MAP_EVENT(fastrpc_mem_map);
DEFINE_FASTRPC_MAP_EVENT(fastrpc_mem_unmap);

/*
 * A driver buffer's memory: it need not belong to a client any more, but
 * it was allocated for a client of @domain
 */
DECLARE_EVENT_CLASS(fastrpc_buf_class,
	TP_PROTO(u32 domain, u32 buf_id, u64 size),
	TP_ARGS(domain, buf_id, size),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u32, buf_id)
		__field(u64, size)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->buf_id = buf_id;
		__entry->size = size;
	),
	TP_printk("domain=%s buf=%u size=%llu",
		  fastrpc_show_domain(__entry->domain), __entry->buf_id,
		  __entry->size)
);

#define DEFINE_FASTRPC_BUF_EVENT(name)					\
DEFINE_EVENT(fastrpc_buf_class, name,					\
	TP_PROTO(u32 domain, u32 buf_id, u64 size),			\
	TP_ARGS(domain, buf_id, size))

DEFINE_FASTRPC_BUF_EVENT(fastrpc_buf_alloc);
DEFINE_FASTRPC_BUF_EVENT(fastrpc_buf_release);
DEFINE_FASTRPC_BUF_EVENT(fastrpc_buf_free);

/* ALLOC_DMA_BUFF handed a buffer to a client as a dma-buf fd */
TRACE_EVENT(fastrpc_buf_export,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 buf_id, s32 fd,
		 u64 size),
	TP_ARGS(domain, tgid, client_id, buf_id, fd, size),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u32, buf_id)
		__field(s32, fd)
		__field(u64, size)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->buf_id = buf_id;
		__entry->fd = fd;
		__entry->size = size;
	),
	TP_printk("domain=%s tgid=%d client=%u buf=%u fd=%d size=%llu",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id, __entry->buf_id, __entry->fd,
		  __entry->size)
);

/* ---- rpmsg traffic ------------------------------------------------- */

/* Fires before the message goes out, so that it precedes its response */
TRACE_EVENT(fastrpc_msg_send,
	TP_PROTO(u32 domain, s32 pid, s32 tid, u64 ctx, u32 handle, u32 sc,
		 u64 size, u32 in_flight, u64 flight_seq),
	TP_ARGS(domain, pid, tid, ctx, handle, sc, size, in_flight,
		flight_seq),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, pid)
		__field(s32, tid)
		__field(u64, ctx)
		__field(u32, handle)
		__field(u32, sc)
		__field(u64, size)
		__field(u32, in_flight)
		__field(u64, flight_seq)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->pid = pid;
		__entry->tid = tid;
		__entry->ctx = ctx;
		__entry->handle = handle;
		__entry->sc = sc;
		__entry->size = size;
		__entry->in_flight = in_flight;
		__entry->flight_seq = flight_seq;
	),
	TP_printk("domain=%s pid=%d tid=%d ctx=0x%llx handle=%u sc=0x%08x size=%llu in_flight=%u",
		  fastrpc_show_domain(__entry->domain), __entry->pid,
		  __entry->tid, __entry->ctx, __entry->handle, __entry->sc,
		  __entry->size, __entry->in_flight)
);

/* rpmsg refused the message: its context completes with @err */
TRACE_EVENT(fastrpc_msg_send_fail,
	TP_PROTO(u32 domain, u64 ctx, s32 err, u32 in_flight, u64 flight_seq),
	TP_ARGS(domain, ctx, err, in_flight, flight_seq),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u64, ctx)
		__field(s32, err)
		__field(u32, in_flight)
		__field(u64, flight_seq)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->ctx = ctx;
		__entry->err = err;
		__entry->in_flight = in_flight;
		__entry->flight_seq = flight_seq;
	),
	TP_printk("domain=%s ctx=0x%llx err=%d in_flight=%u",
		  fastrpc_show_domain(__entry->domain), __entry->ctx,
		  __entry->err, __entry->in_flight)
);

TRACE_EVENT(fastrpc_msg_response,
	TP_PROTO(u32 domain, u64 ctx, s32 retval, u32 len, u32 in_flight,
		 u64 flight_seq),
	TP_ARGS(domain, ctx, retval, len, in_flight, flight_seq),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u64, ctx)
		__field(s32, retval)
		__field(u32, len)
		__field(u32, in_flight)
		__field(u64, flight_seq)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->ctx = ctx;
		__entry->retval = retval;
		__entry->len = len;
		__entry->in_flight = in_flight;
		__entry->flight_seq = flight_seq;
	),
	TP_printk("domain=%s ctx=0x%llx retval=%d len=%u in_flight=%u",
		  fastrpc_show_domain(__entry->domain), __entry->ctx,
		  __entry->retval, __entry->len, __entry->in_flight)
);

/* A message the driver dropped: too short, or no context matches it */
TRACE_EVENT(fastrpc_msg_bad_response,
	TP_PROTO(u32 domain, u64 ctx, s32 len, s32 reason),
	TP_ARGS(domain, ctx, len, reason),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u64, ctx)
		__field(s32, len)
		__field(s32, reason)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->ctx = ctx;
		__entry->len = len;
		__entry->reason = reason;
	),
	TP_printk("domain=%s ctx=0x%llx len=%d reason=%s",
		  fastrpc_show_domain(__entry->domain), __entry->ctx,
		  __entry->len,
		  __print_symbolic(__entry->reason,
				   { FASTRPC_BAD_RSP_SHORT, "short" },
				   { FASTRPC_BAD_RSP_NO_CTX, "no-ctx" }))
);

/* ---- processes and sessions ---------------------------------------- */

DECLARE_EVENT_CLASS(fastrpc_client_class,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, bool secure),
	TP_ARGS(domain, tgid, client_id, secure),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u8, secure)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->secure = secure;
	),
	TP_printk("domain=%s tgid=%d client=%u secure=%u",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id, __entry->secure)
);

DEFINE_EVENT(fastrpc_client_class, fastrpc_client_open,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, bool secure),
	TP_ARGS(domain, tgid, client_id, secure));
DEFINE_EVENT(fastrpc_client_class, fastrpc_client_close,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, bool secure),
	TP_ARGS(domain, tgid, client_id, secure));

/* pd: 1 root, 2 sensors, 3 dynamic, 4 static (fdinfo's pd names) */
DECLARE_EVENT_CLASS(fastrpc_pd_class,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 pd,
		 const char *name, s32 err),
	TP_ARGS(domain, tgid, client_id, pd, name, err),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u32, pd)
		__field(s32, err)
		__string(name, name)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->pd = pd;
		__entry->err = err;
		__assign_str(name);
	),
	TP_printk("domain=%s tgid=%d client=%u pd=%s name=%s err=%d",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id,
		  __print_symbolic(__entry->pd, { 0, "none" }, { 1, "root" },
				   { 2, "sensors" }, { 3, "dynamic" },
				   { 4, "static" }),
		  __get_str(name), __entry->err)
);

DEFINE_EVENT(fastrpc_pd_class, fastrpc_pd_create,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 pd,
		 const char *name, s32 err),
	TP_ARGS(domain, tgid, client_id, pd, name, err));
DEFINE_EVENT(fastrpc_pd_class, fastrpc_pd_attach,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 pd,
		 const char *name, s32 err),
	TP_ARGS(domain, tgid, client_id, pd, name, err));
DEFINE_EVENT(fastrpc_pd_class, fastrpc_pd_release,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 pd,
		 const char *name, s32 err),
	TP_ARGS(domain, tgid, client_id, pd, name, err));

TRACE_EVENT(fastrpc_bank_assign,
	TP_PROTO(u32 domain, s32 tgid, u32 client_id, u32 sid, bool secure),
	TP_ARGS(domain, tgid, client_id, sid, secure),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(s32, tgid)
		__field(u32, client_id)
		__field(u32, sid)
		__field(u8, secure)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->tgid = tgid;
		__entry->client_id = client_id;
		__entry->sid = sid;
		__entry->secure = secure;
	),
	TP_printk("domain=%s tgid=%d client=%u sid=%u secure=%u",
		  fastrpc_show_domain(__entry->domain), __entry->tgid,
		  __entry->client_id, __entry->sid, __entry->secure)
);

/* pending: contexts in flight that the loss of the DSP fails */
TRACE_EVENT(fastrpc_dsp_down,
	TP_PROTO(u32 domain, u32 pending, u64 flight_seq, u64 sent,
		 u64 sent_bytes, u64 received, u64 received_bytes),
	TP_ARGS(domain, pending, flight_seq, sent, sent_bytes, received,
		received_bytes),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u32, pending)
		__field(u64, flight_seq)
		__field(u64, sent)
		__field(u64, sent_bytes)
		__field(u64, received)
		__field(u64, received_bytes)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->pending = pending;
		__entry->flight_seq = flight_seq;
		__entry->sent = sent;
		__entry->sent_bytes = sent_bytes;
		__entry->received = received;
		__entry->received_bytes = received_bytes;
	),
	TP_printk("domain=%s pending=%u sent=%llu sent_bytes=%llu received=%llu received_bytes=%llu",
		  fastrpc_show_domain(__entry->domain), __entry->pending,
		  __entry->sent, __entry->sent_bytes, __entry->received,
		  __entry->received_bytes)
);

TRACE_EVENT(fastrpc_dsp_up,
	TP_PROTO(u32 domain, u32 banks),
	TP_ARGS(domain, banks),
	TP_STRUCT__entry(
		__field(u32, domain)
		__field(u32, banks)
	),
	TP_fast_assign(
		__entry->domain = domain;
		__entry->banks = banks;
	),
	TP_printk("domain=%s banks=%u",
		  fastrpc_show_domain(__entry->domain), __entry->banks)
);

#endif /* _FASTRPC_TRACE_H */

/* This part must be outside the include guard */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE fastrpc_trace
#include <trace/define_trace.h>
