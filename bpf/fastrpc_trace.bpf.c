// SPDX-License-Identifier: GPL-2.0
/*
 * The live stream of fastrpcctl trace: one ring-buffer record per completed
 * invoke, MMAP/MEM_MAP and their unmaps, PD create/attach/release and DSP
 * down/up, filtered in the kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "fastrpc_tools.h"
#include "fastrpc_common.bpf.h"

/* What to stream (FRPC_EV_*) and the invoke latency floor */
const volatile __u32 targ_events = FRPC_EV_ALL;
const volatile __u64 min_latency_ns = 0;

/*
 * The reader is woken at most once per WAKE_INTERVAL_NS, or when the ring
 * is half full. Each wakeup is an irq_work raised on the CPU of the call
 * that completed, a self-IPI the caller pays for; under a steady stream
 * one per call was the largest part of what trace cost a call
 * (docs/PERFORMANCE.md). A record after a quiet interval still wakes the
 * reader at once, and the reader polls with a timeout for what a stream
 * leaves unannounced (cli/trace.c).
 */
#define WAKE_INTERVAL_NS	(20 * 1000 * 1000)

/* Records the ring buffer had no room for: the loader reports them */
__u64 lost = 0;

/* When a record last woke the reader; racy across CPUs, harmlessly so */
__u64 last_wake_ns = 0;

#define RING_BYTES	(256 * 1024)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_BYTES);
} events SEC(".maps");

/* A record of @kind, stamped @now, or NULL (counted lost) */
static __always_inline struct frpc_record *record_new(__u32 kind,
						       __u32 domain,
						       __s32 tgid, __u64 now)
{
	struct frpc_record *r;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return NULL;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->ts_ns = now;
	r->kind = kind;
	r->domain = domain;
	r->pid = tgid;
	r->tid = current_tid();
	r->fd = -1;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	return r;
}

/* Hand @r over; wake the reader if it has waited long enough or is behind */
static __always_inline void record_submit(struct frpc_record *r)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (r->ts_ns - last_wake_ns >= WAKE_INTERVAL_NS ||
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= RING_BYTES / 2) {
		last_wake_ns = r->ts_ns;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(r, flags);
}

/*
 * The event carries all a record needs: the driver's start time (0 when
 * the call began before the event was on: its latency is unknown, 0) and
 * the payload's size. Nothing is kept between events, so an invoke costs
 * this one program and one ring-buffer record.
 */
SEC("raw_tp/fastrpc_ctx_complete")
int BPF_PROG(ctx_complete, u32 domain, s32 tgid, s32 tid, u32 client_id,
	     u32 ctx_id, u32 handle, u32 sc, s32 retval, u64 start_ns,
	     u64 payload_bytes)
{
	struct frpc_record *r;
	__u64 now, latency = 0;

	if (!(targ_events & FRPC_EV_INVOKE) || !call_wanted(domain, tgid, handle))
		return 0;
	now = bpf_ktime_get_ns();
	if (start_ns)
		latency = now - start_ns;
	if (min_latency_ns && latency < min_latency_ns)
		return 0;

	r = record_new(FRPC_REC_INVOKE, domain, tgid, now);
	if (!r)
		return 0;
	r->tid = tid;
	r->latency_ns = latency;
	r->handle = handle;
	r->sc = sc;
	r->retval = retval;
	r->bytes = payload_bytes;
	record_submit(r);
	return 0;
}

static __always_inline int map_record(__u32 kind, u32 domain, s32 tgid,
				      u32 map_id, s32 fd, u64 dsp_addr,
				      u64 size, u32 flags)
{
	struct frpc_record *r;

	if (!(targ_events & FRPC_EV_MAP) || !process_wanted(domain, tgid))
		return 0;
	r = record_new(kind, domain, tgid, bpf_ktime_get_ns());
	if (!r)
		return 0;
	r->id = map_id;
	r->fd = fd;
	r->addr = dsp_addr;
	r->bytes = size;
	r->flags = flags;
	record_submit(r);
	return 0;
}

#define MAP_PROG(event, kind)						\
SEC("raw_tp/fastrpc_" #event)						\
int BPF_PROG(event, u32 domain, s32 tgid, u32 client_id, u32 map_id,	\
	     s32 fd, u64 dsp_addr, u64 size, u32 flags)			\
{									\
	return map_record(kind, domain, tgid, map_id, fd, dsp_addr,	\
			  size, flags);					\
}

MAP_PROG(mmap, FRPC_REC_MMAP)
MAP_PROG(munmap, FRPC_REC_MUNMAP)
MAP_PROG(mem_map, FRPC_REC_MEM_MAP)
MAP_PROG(mem_unmap, FRPC_REC_MEM_UNMAP)

static __always_inline int pd_record(__u32 kind, u32 domain, s32 tgid,
				     u32 pd, const char *name, s32 err)
{
	struct frpc_record *r;

	if (!(targ_events & FRPC_EV_PD) || !process_wanted(domain, tgid))
		return 0;
	r = record_new(kind, domain, tgid, bpf_ktime_get_ns());
	if (!r)
		return 0;
	r->id = pd;
	r->retval = err;
	bpf_probe_read_kernel_str(r->name, sizeof(r->name), name);
	record_submit(r);
	return 0;
}

#define PD_PROG(event, kind)						\
SEC("raw_tp/fastrpc_" #event)						\
int BPF_PROG(event, u32 domain, s32 tgid, u32 client_id, u32 pd,	\
	     const char *name, s32 err)					\
{									\
	return pd_record(kind, domain, tgid, pd, name, err);		\
}

PD_PROG(pd_create, FRPC_REC_PD_CREATE)
PD_PROG(pd_attach, FRPC_REC_PD_ATTACH)
PD_PROG(pd_release, FRPC_REC_PD_RELEASE)

/* The DSP's own events pass the domain filter only: they have no process */
static __always_inline int dsp_record(__u32 kind, u32 domain, __s32 value)
{
	struct frpc_record *r;

	if (!(targ_events & FRPC_EV_DSP) || !domain_wanted(domain))
		return 0;
	r = record_new(kind, domain, 0, bpf_ktime_get_ns());
	if (!r)
		return 0;
	if (kind == FRPC_REC_DSP_DOWN)
		r->retval = value;
	else
		r->id = value;
	record_submit(r);
	return 0;
}

SEC("raw_tp/fastrpc_dsp_down")
int BPF_PROG(dsp_down, u32 domain, u32 pending)
{
	return dsp_record(FRPC_REC_DSP_DOWN, domain, pending);
}

SEC("raw_tp/fastrpc_dsp_up")
int BPF_PROG(dsp_up, u32 domain, u32 banks)
{
	return dsp_record(FRPC_REC_DSP_UP, domain, banks);
}

char LICENSE[] SEC("license") = "GPL";
