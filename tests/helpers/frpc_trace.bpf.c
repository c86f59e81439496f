// SPDX-License-Identifier: GPL-2.0
/*
 * One tp_btf and one classic tracepoint program on every event of the
 * fastrpc trace system, each counting its hits; and, on
 * fastrpc_ctx_alloc, the ctx_id read both ways: the tracepoint's argument
 * (typed by the module's BTF) and the record's field (tracefs format).
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "frpc_trace_events.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FRPC_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FRPC_FIELDS);
	__type(key, __u32);
	__type(value, __u64);
} fields SEC(".maps");

static __always_inline void bump(__u32 idx)
{
	__u64 *val = bpf_map_lookup_elem(&counts, &idx);

	if (val)
		__sync_fetch_and_add(val, 1);
}

static __always_inline void store(__u32 idx, __u64 v)
{
	bpf_map_update_elem(&fields, &idx, &v, BPF_ANY);
}

#define FRPC_PROGS(name)						\
SEC("tp_btf/fastrpc_" #name)						\
int btf_##name(void *ctx)						\
{									\
	bump(FRPC_EV_##name);						\
	return 0;							\
}									\
SEC("tracepoint/fastrpc/fastrpc_" #name)				\
int tp_##name(void *ctx)						\
{									\
	bump(FRPC_EV_COUNT + FRPC_EV_##name);				\
	return 0;							\
}

FRPC_TRACE_EVENTS(FRPC_PROGS)

/*
 * tp_btf: the arguments of fastrpc_ctx_alloc's TP_PROTO, one u64 each:
 * domain, tgid, tid, client_id, ctx_id, ...
 */
SEC("tp_btf/fastrpc_ctx_alloc")
int btf_ctx_alloc_id(__u64 *args)
{
	store(FRPC_FIELD_BTF_CTX, (__u32)args[4]);
	return 0;
}

/* The record of fastrpc_ctx_class as its tracefs format lays it out */
struct frpc_ctx_record {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	__u32 domain;
	__s32 tgid;
	__s32 tid;
	__u32 client_id;
	__u32 ctx_id;
	__u32 handle;
	__u32 sc;
};

SEC("tracepoint/fastrpc/fastrpc_ctx_alloc")
int tp_ctx_alloc_id(struct frpc_ctx_record *rec)
{
	store(FRPC_FIELD_TP_CTX, rec->ctx_id);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
