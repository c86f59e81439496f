/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fastrpc BPF programs and fastrpcctl's trace, stat and top share:
 * the records of the live stream, the keys and values of the aggregation
 * maps, and the sizes both sides must agree on. Included by BPF code (after
 * vmlinux.h) and by C userspace (after <linux/types.h>).
 */
#ifndef FASTRPC_TOOLS_H
#define FASTRPC_TOOLS_H

#define FRPC_DOMAINS		5	/* adsp, mdsp, sdsp, cdsp, cdsp1 */
#define FRPC_COMM_LEN		16	/* TASK_COMM_LEN */
#define FRPC_PD_NAME_LEN	32	/* the PD names the driver traces */
#define FRPC_HIST_SLOTS		28	/* log2 buckets: [2^i, 2^(i+1)) units */

/* ---- the live stream (fastrpc_trace.bpf.c) ---------------------------- */

enum frpc_rec_kind {
	FRPC_REC_INVOKE,	/* a completed call: fastrpc_ctx_complete */
	FRPC_REC_MMAP,		/* FASTRPC_IOCTL_MMAP accepted by the DSP */
	FRPC_REC_MUNMAP,
	FRPC_REC_MEM_MAP,	/* FASTRPC_IOCTL_MEM_MAP accepted */
	FRPC_REC_MEM_UNMAP,
	FRPC_REC_PD_CREATE,	/* a remote process created (or refused) */
	FRPC_REC_PD_ATTACH,
	FRPC_REC_PD_RELEASE,
	FRPC_REC_DSP_DOWN,	/* the DSP's channel went away */
	FRPC_REC_DSP_UP,
	FRPC_REC_KINDS,
};

/* Record kinds the user may ask for (--events): one bit per kind group */
#define FRPC_EV_INVOKE		(1u << 0)
#define FRPC_EV_MAP		(1u << 1)	/* mmap, munmap, mem_map, mem_unmap */
#define FRPC_EV_PD		(1u << 2)	/* pd create, attach, release */
#define FRPC_EV_DSP		(1u << 3)	/* dsp down, up */
#define FRPC_EV_ALL		0xfu

/*
 * One ring-buffer record. Fields a kind does not use are 0; what each kind
 * uses is listed in cli/trace.c's printer and the man page.
 */
struct frpc_record {
	__u64 ts_ns;		/* CLOCK_MONOTONIC of the event */
	__u64 latency_ns;	/* invoke: allocation to completion, 0 unknown */
	__u64 bytes;		/* invoke: payload; maps: mapped length */
	__u64 addr;		/* maps: the DSP address */
	__s32 pid;		/* the process (the event's tgid) */
	__s32 tid;		/* the thread that was running */
	__u32 kind;		/* enum frpc_rec_kind */
	__u32 domain;
	__u32 handle;		/* invoke */
	__u32 sc;		/* invoke: scalars (method, buffer counts) */
	__s32 retval;		/* invoke, pd: result; dsp_down: pending calls */
	__u32 id;		/* maps: map id; pd: PD kind; dsp_up: banks */
	__u32 flags;		/* maps: the ioctl's flags */
	__s32 fd;		/* maps: the dma-buf fd, -1 none */
	char comm[FRPC_COMM_LEN];
	char name[FRPC_PD_NAME_LEN];	/* pd: the PD's name */
};

/* ---- aggregation (fastrpc_stat.bpf.c) --------------------------------- */

/* One log2 latency histogram with its counters */
struct frpc_hist {
	__u64 slots[FRPC_HIST_SLOTS];
	__u64 calls;		/* completed calls */
	__u64 errors;		/* of them, a non-zero result */
	__u64 unknown;		/* of them, started before tracing: no latency */
	__u64 total;		/* sum of the latencies, in the chosen unit */
	__u64 max;
};

struct frpc_method_key {
	__u32 domain;
	__u32 handle;
	__u32 method;
};

/* Per process: the histogram and its live memory */
struct frpc_proc_stat {
	struct frpc_hist hist;
	__s64 maps;		/* dma-buf maps made for the process, live */
	__s64 map_bytes;
	__s64 dsp_maps;		/* MMAP and MEM_MAP regions, live */
	__s64 dsp_map_bytes;
	__s64 bufs;		/* driver buffers allocated in its calls, live */
	__s64 buf_bytes;
	__u32 domain_mask;	/* domains it called */
	char comm[FRPC_COMM_LEN];
};

/*
 * The traffic of the channels of a domain that went down (DSP restart,
 * rmmod) while the programs were loaded, as fastrpc_dsp_down carried
 * each one's final counts: a reader that takes the live channel's from
 * the driver (debugfs) adds these for those it can no longer read.
 */
struct frpc_gone_traffic {
	__u64 sent;
	__u64 sent_bytes;
	__u64 received;
	__u64 received_bytes;
	__u64 generation;	/* the highest gone, 0: none */
};

/*
 * Per domain: rpmsg traffic, calls in flight and live memory, as the
 * reader adds up the CPUs'. The filters apply to requests when they are
 * sent and to their answers through them; bad_responses and dsp_down
 * are the DSP's own, selected by domain only.
 *
 * Requests sent and answered, and calls in flight: with no filter but
 * the domain's, the driver counts them (debugfs) and the programs add
 * only what went with a channel that went down (gone) and, in
 * in_flight_max, the most in flight that a completed call found as it
 * entered flight. With a process or handle filter, or without debugfs:
 * the traffic programs follow the requests that pass one by one, and
 * in_flight comes from struct frpc_flight.
 */
struct frpc_domain_stat {
	__u64 msgs_sent;
	__u64 bytes_sent;
	__u64 msgs_received;
	__u64 bytes_received;
	__u64 send_failures;
	__u64 bad_responses;
	__s64 in_flight;	/* requests sent, not yet answered */
	__u64 in_flight_max;	/* high-water mark of in_flight */
	__u64 dsp_down;		/* times the DSP went away */
	__s64 maps;
	__s64 map_bytes;
	__s64 dsp_maps;
	__s64 dsp_map_bytes;
	__s64 bufs;		/* driver buffers allocated for its clients */
	__s64 buf_bytes;
	struct frpc_gone_traffic gone;
};

/* Calls in flight per domain: one figure for all CPUs */
struct frpc_flight {
	__s64 in_flight;	/* requests sent, not yet answered */
	__u64 in_flight_max;	/* high-water mark of in_flight */
};

#endif
