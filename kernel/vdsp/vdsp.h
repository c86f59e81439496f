/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual DSP: core objects and how they refer to each other.
 *
 *   vdsp_domain  one per DSP (adsp, mdsp, sdsp, cdsp[, cdsp1]): its node,
 *                its rpmsg device, the runtime threads and their request
 *                lists, the remote processes, counters and fault knobs
 *   vdsp_ept     an rpmsg endpoint on a domain's rpmsg device (the driver's,
 *                a test module's, the transport-floor probe's)
 *   vdsp_req     one message from an endpoint, from send to response
 *   vdsp_proc    a remote process (keyed by tgid) and its DSP address space
 *   vdsp_map     a DSP virtual range backed by physical pages
 *
 * Who touches what: rpmsg send only queues (never waits for DSP work). The
 * runtime threads of a domain are the only ones that read or write the
 * memory a request names, arm timers and call endpoint callbacks; anyone
 * else who finishes a request (a process release waking parked listener
 * calls) hands it to the threads through @replies. A domain going down
 * stops its threads first, so after that nobody touches request memory.
 */
#ifndef VDSP_H
#define VDSP_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/rpmsg.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <fastrpc/wire.h>

#include "smmu.h"

struct dentry;
struct device_node;
struct platform_device;
struct task_struct;

/* Largest message accepted by send (a FastRPC one is 40 bytes) */
#define VDSP_MTU		512
/* Limits of what one request may name */
#define VDSP_PAYLOAD_MAX	SZ_256M
#define VDSP_BUF_MAX		SZ_1G
#define VDSP_MAX_PAGES		65536
/* DSP virtual address space of a process (Hexagon: 32 bits) */
#define VDSP_VA_BASE		0x20000000UL
#define VDSP_VA_END		0xf0000000UL
#define VDSP_MAP_MAX		SZ_1G
/* Longest sleep the sleep skel takes */
#define VDSP_SLEEP_MAX_US	(60U * USEC_PER_SEC)

/*
 * Stream ids the SMMU model tells apart: a bank's reg must be below this
 * (the overlay's are 1..9; banks= adds at most VDSP_BANKS_MAX more).
 */
#define VDSP_SIDS		VDSP_SMMU_STREAMS

/* Services counted per method: the static handles, then the skels */
enum vdsp_svc {
	VDSP_SVC_REMOTECTL,
	VDSP_SVC_INIT,
	VDSP_SVC_UTILS,
	VDSP_SVC_LISTENER,
	VDSP_SVC_PROCESS,
	VDSP_SVC_LISTENER1,
	VDSP_SVC_REMOTECTL1,
	VDSP_SVC_MSGD,
	VDSP_SVC_PERF,
	VDSP_SVC_PERF1,
	VDSP_SVC_CALCULATOR,
	VDSP_SVC_ECHO,
	VDSP_SVC_MEMTEST,
	VDSP_SVC_SLEEP,
	VDSP_SVC_FAULT,
	VDSP_SVC_UNKNOWN,
	VDSP_SVC_COUNT
};

#define VDSP_METHODS		32

/* Per-domain description: label and the DSP attributes it reports */
struct vdsp_domain_info {
	const char *label;
	u32 attrs[FASTRPC_ATTR_COUNT];
};

/*
 * What the response fuzzer (fuzz.c) does to a reply it picks. The stray
 * kinds send a message the driver must ignore, then the true reply; the
 * others change or repeat the true reply. None loses a reply: a call gets
 * an answer (maybe a wrong one), never a hang.
 */
enum vdsp_fuzz_kind {
	VDSP_FUZZ_CTX_RANDOM,		/* stray: random ctx */
	VDSP_FUZZ_CTX_NEAR,		/* stray: the ctx id next to it */
	VDSP_FUZZ_CTX_PD,		/* stray: its id with another PD type */
	VDSP_FUZZ_CTX_OTHER,		/* another call's ctx, before its end */
	VDSP_FUZZ_LEN_ZERO,		/* stray: 0 bytes */
	VDSP_FUZZ_LEN_SHORT,		/* stray: truncated, 1..11 bytes */
	VDSP_FUZZ_LEN_NEGATIVE,		/* stray: a negative length */
	VDSP_FUZZ_LEN_OFF,		/* its reply in 13..17 bytes */
	VDSP_FUZZ_LEN_HUGE,		/* its reply in an MTU of garbage */
	VDSP_FUZZ_RETVAL,		/* its reply, another return value */
	VDSP_FUZZ_DUP,			/* its reply, twice */
	VDSP_FUZZ_KINDS
};

struct vdsp_stats {
	atomic64_t requests;		/* FastRPC messages received */
	atomic64_t responses;		/* responses sent (or dropped) */
	atomic64_t errors;		/* responses with retval != 0 */
	atomic64_t malformed;		/* refused by validation */
	atomic64_t dropped;		/* fault injection: not sent */
	atomic64_t corrupted;		/* fault injection: ctx mangled */
	atomic64_t duplicated;		/* fault injection: sent twice */
	atomic64_t misrouted;		/* fault injection: another's ctx */
	atomic64_t resized;		/* fault injection: odd length */
	atomic64_t crashed_on;		/* fault injection: crashed on receipt */
	atomic64_t failed;		/* fault injection: failed early */
	atomic64_t failed_late;		/* fault injection: done, told failed */
	atomic64_t delayed;		/* fault injection: sent late */
	atomic64_t discarded;		/* for a closed endpoint or a dead DSP */
	atomic64_t smmu_faults;		/* addresses the SMMU refused */
	atomic64_t fuzzed[VDSP_FUZZ_KINDS];	/* response fuzzer, per kind */
	atomic_t sleeping;		/* async skel calls in flight */
	atomic_t parked;		/* listener calls waiting */
	atomic64_t calls[VDSP_SVC_COUNT][VDSP_METHODS];
	atomic64_t call_errors[VDSP_SVC_COUNT][VDSP_METHODS];
};

struct vdsp_faults {
	u32 delay_us;			/* every response waits this long */
	atomic_t drop;			/* drop the next N responses */
	atomic_t corrupt;		/* mangle the next response's ctx */
	atomic_t fail;			/* fail the next N requests... */
	u32 fail_errno;			/* ...with -fail_errno */
	atomic_t fail_late;		/* next N: done, answered -fail_errno */
	atomic_t duplicate;		/* send the next N responses twice */
	atomic_t misroute;		/* next N: the ctx of another process */
	atomic_t rsp_len;		/* next response: this many bytes */
	atomic_t crash_on;		/* init method whose receipt crashes */
	u32 fuzz_permille;		/* share of replies fuzzed (fuzz.c) */
	spinlock_t fuzz_lock;		/* @fuzz_state, @fuzz_turn */
	u64 fuzz_seed;			/* the seed last written */
	u64 fuzz_state;			/* its PRNG (xorshift64*) */
	unsigned int fuzz_turn;		/* the kind of the next fuzzed reply */
};

/* Transport floor: round trips of a loopback endpoint */
struct vdsp_floor {
	struct mutex lock;		/* the last run's results */
	u64 rounds, min_ns, max_ns, total_ns;
};

struct vdsp_rpdev {
	struct rpmsg_device rpdev;
	struct vdsp_domain *dom;
	unsigned int gen;		/* domain generation it belongs to */
};

struct vdsp_domain {
	int id;				/* enum fastrpc_domain_id */
	const struct vdsp_domain_info *info;
	struct device_node *np;
	u64 sids;			/* its banks' stream ids, a bit each */
	struct platform_device *parent;	/* parent of the rpmsg device */
	/* The SMMU in front of it (smmu.c): the only way it reaches memory */
	struct platform_device *smmu_pdev;
	struct vdsp_smmu *smmu;

	struct mutex state_lock;	/* up/down, @rpdev, @threads */
	struct vdsp_rpdev *rpdev;
	unsigned int gen;		/* bumped on every restart */
	unsigned int restarts;
	struct work_struct restart_work;
	struct task_struct **threads;
	unsigned int nthreads;
	struct ida addrs;		/* endpoint addresses */

	spinlock_t lock;		/* the lists below, @up, endpoints' @active */
	bool up;
	struct list_head queue;		/* received, not yet processed */
	struct list_head replies;	/* finished, response not yet sent */
	struct list_head reqs;		/* every live request */
	struct llist_head fired;	/* timers that expired */
	wait_queue_head_t wq;		/* runtime threads wait for work */
	wait_queue_head_t idle;		/* endpoint teardown waits here */

	struct mutex proc_lock;		/* @procs, process sessions */
	struct xarray procs;		/* tgid -> struct vdsp_proc */

	struct vdsp_faults fault;
	struct vdsp_stats stats;
	const char *last_refusal;	/* why the last request was refused */
	struct vdsp_floor floor;
	struct dentry *debugfs;
};

struct vdsp_ept {
	struct rpmsg_endpoint ept;	/* ept.refcount owns this struct */
	struct vdsp_domain *dom;
	unsigned int gen;		/* domain generation it belongs to */
	bool loopback;			/* transport floor: echo, no FastRPC */
	bool dead;			/* destroyed: its queued requests go */
	unsigned int active;		/* its requests in a thread now */
};

enum vdsp_req_state {
	VDSP_REQ_QUEUED,
	VDSP_REQ_ACTIVE,
	VDSP_REQ_SLEEPING,		/* sleep skel timer armed */
	VDSP_REQ_PARKED,		/* listener call, on a process */
	VDSP_REQ_DELAYED,		/* response delay timer armed */
	VDSP_REQ_REPLY,			/* on @replies */
};

struct vdsp_req {
	struct list_head node;		/* queue, replies or proc->parked */
	struct list_head all;		/* domain->reqs */
	struct llist_node fired;
	struct hrtimer timer;
	struct vdsp_domain *dom;
	struct vdsp_ept *ept;		/* holds a reference */
	struct fastrpc_wire_msg msg;
	int len;			/* bytes the sender gave */
	enum vdsp_req_state state;
	s32 retval;
	u8 svc;				/* enum vdsp_svc, for the counters */
	u8 method;
};

/*
 * One piece of a buffer or a mapping, contiguous in its stream: @addr is a
 * bank address (stream id and the stream's address, wire.h), which every
 * access translates through the SMMU.
 */
struct vdsp_seg {
	u64 addr;
	u64 len;
};

/* What a buffer argument names, after validation */
struct vdsp_buf {
	struct vdsp_call *call;		/* whose SMMU faults an access records */
	u64 len;
	unsigned int nsegs;
	struct vdsp_seg *segs;
};

enum vdsp_pd_kind {
	VDSP_PD_ROOT,
	VDSP_PD_SENSORS,
	VDSP_PD_DYNAMIC,
	VDSP_PD_STATIC,
};

struct vdsp_proc {
	struct kref ref;
	struct vdsp_domain *dom;
	const struct vdsp_ept *owner;	/* compared only: who created it */
	pid_t tgid;
	enum vdsp_pd_kind kind;
	char name[FASTRPC_INIT_NAMELEN_MAX];
	u32 attrs;
	u32 siglen;
	u32 filelen;
	unsigned int sessions;		/* attaches; dom->proc_lock */
	/* sessions per stream id: the banks it may use; dom->proc_lock */
	unsigned int sid_sessions[VDSP_SIDS];

	struct mutex lock;		/* @va, @maps, @handles */
	struct maple_tree va;		/* DSP address -> struct vdsp_map */
	struct list_head maps;
	struct xarray handles;		/* skel handle -> struct vdsp_skel */

	struct list_head parked;	/* listener calls; dom->lock */
	bool gone;			/* released; dom->lock */

	/* Its perf counters (system.c) */
	unsigned long perf_enabled;	/* bit per PERF_KEY_*; atomic bitops */
	atomic64_t invokes;		/* skel calls */
	atomic64_t invoke_ns;		/* time spent in them */
};

enum vdsp_map_kind {
	VDSP_MAP_MMAP,
	VDSP_MAP_MEM_MAP,
	VDSP_MAP_INIT,			/* a dynamic PD's init memory */
	VDSP_MAP_HEAP,			/* a static PD's remote heap */
};

struct vdsp_map {
	struct kref ref;
	struct list_head node;		/* proc->maps */
	enum vdsp_map_kind kind;
	u64 va;
	u64 size;
	u32 flags;
	s32 fd;
	u64 uva;			/* the caller's address, as given */
	unsigned int nsegs;
	struct vdsp_seg segs[] __counted_by(nsegs);
};

/* Asynchronous ends a handler may ask for instead of a response now */
enum vdsp_async {
	VDSP_ASYNC_NONE,
	VDSP_ASYNC_SLEEP,		/* respond after @sleep_us */
	VDSP_ASYNC_PARK,		/* park on @proc until it goes */
	VDSP_ASYNC_CRASH,		/* no response: the DSP restarts */
};

/* One request being served: the message and what its payload names */
struct vdsp_call {
	struct vdsp_req *req;
	struct vdsp_domain *dom;
	struct vdsp_proc *proc;		/* the caller's process, referenced */
	u32 handle;
	u32 method;
	u32 nin, nout, nbufs, nargs;
	struct vdsp_buf *in;		/* bufs[0 .. nin) */
	struct vdsp_buf *out;		/* bufs[nin .. nbufs) */
	struct vdsp_buf *bufs;
	struct vdsp_seg *segs;
	struct fastrpc_remote_arg *args;
	struct fastrpc_invoke_buf *ibufs;
	struct fastrpc_phy_page *pages;
	u32 npages;
	u64 fdlist_off;
	u32 sid;			/* the stream id of the payload */
	const char *fault;		/* why the SMMU refused an address */
	u64 fault_addr;
	u64 fds[FASTRPC_WIRE_MAX_FDLIST];
	unsigned int nfds;
	bool parsed;			/* all of the above is valid */
	enum vdsp_async async;
	u32 sleep_us;
	const char *why;		/* why it was refused */
};

/* main.c */
extern unsigned int vdsp_nthreads;
const char *vdsp_domain_label(int id);
struct vdsp_domain *vdsp_domain_by_label(const char *label);
void vdsp_domain_crash(struct vdsp_domain *dom);

/*
 * dt.c: the overlay and the domain/bank choice. The overlay blob is made by
 * Kbuild from vdsp.dtso (vdsp.dtbo.o).
 */
extern const u8 __dtbo_vdsp_begin[];
extern const u8 __dtbo_vdsp_end[];

int vdsp_dt_init(const bool *enabled, const int *banks);
void vdsp_dt_exit(void);
struct device_node *vdsp_dt_domain_node(const char *label);
struct device_node *vdsp_dt_smmu_node(const char *label);
u64 vdsp_dt_bank_sids(struct device_node *np);

/* rpmsg.c: the rpmsg device and endpoints */
int vdsp_rpdev_add(struct vdsp_domain *dom);
void vdsp_rpdev_del(struct vdsp_domain *dom);
int vdsp_floor_run(struct vdsp_domain *dom, u64 rounds);

void vdsp_ept_put(struct vdsp_ept *ve);

/* runtime.c: threads, queue, responses */
int vdsp_runtime_start(struct vdsp_domain *dom);
void vdsp_runtime_stop(struct vdsp_domain *dom);
int vdsp_queue(struct vdsp_ept *ve, const void *data, int len, gfp_t gfp);
void vdsp_ept_quiesce(struct vdsp_ept *ve);
void vdsp_req_reply_locked(struct vdsp_req *req, int retval);
void vdsp_req_sleep(struct vdsp_req *req, u32 us);
void vdsp_req_discard(struct vdsp_req *req);
void vdsp_deliver(struct vdsp_req *req, const void *data, int len);

/* fuzz.c: the response fuzzer */
bool vdsp_fuzz_response(struct vdsp_req *req, struct fastrpc_wire_rsp *rsp);
void vdsp_fuzz_seed(struct vdsp_domain *dom, u64 seed);
const char *vdsp_fuzz_kind_name(enum vdsp_fuzz_kind kind);

/* payload.c: validation and access to the memory a request names */
int vdsp_call_parse(struct vdsp_call *call);
void vdsp_call_release(struct vdsp_call *call);
void vdsp_call_write_fdlist(struct vdsp_call *call);
int vdsp_segs_fill(struct vdsp_call *call, const struct vdsp_seg *segs,
		   unsigned int nsegs, u64 off, u8 byte, u64 len);
int vdsp_segs_fnv1a64(struct vdsp_call *call, const struct vdsp_seg *segs,
		      unsigned int nsegs, u64 off, u64 len, u64 *hash);
int vdsp_buf_read(const struct vdsp_buf *b, u64 off, void *dst, u64 len);
int vdsp_buf_write(const struct vdsp_buf *b, u64 off, const void *src, u64 len);
int vdsp_buf_fill(const struct vdsp_buf *b, u64 off, u8 byte, u64 len);
struct vdsp_map *vdsp_map_from_arg(struct vdsp_call *call,
				   const struct vdsp_buf *b,
				   enum vdsp_map_kind kind);

/* process.c: remote processes and their address spaces */
struct vdsp_proc *vdsp_proc_get(struct vdsp_domain *dom, pid_t tgid);
void vdsp_proc_put(struct vdsp_proc *proc);
int vdsp_proc_attach(struct vdsp_call *call, pid_t tgid,
		     enum vdsp_pd_kind kind);
struct vdsp_proc *vdsp_proc_alloc(struct vdsp_call *call, pid_t tgid,
				  enum vdsp_pd_kind kind);
int vdsp_proc_add(struct vdsp_proc *proc);
void vdsp_proc_release(struct vdsp_domain *dom, pid_t tgid, u32 sid);
bool vdsp_proc_holds_sid(struct vdsp_proc *proc, u32 sid);
void vdsp_proc_exit(struct vdsp_proc *proc);
void vdsp_proc_release_owned(struct vdsp_domain *dom,
			     const struct vdsp_ept *owner);
void vdsp_proc_release_all(struct vdsp_domain *dom);
bool vdsp_proc_park(struct vdsp_proc *proc, struct vdsp_req *req);
void vdsp_map_put(struct vdsp_map *map);
int vdsp_proc_map_insert(struct vdsp_proc *proc, struct vdsp_map *map);
int vdsp_proc_map_remove(struct vdsp_proc *proc, u64 va, u64 size,
			 enum vdsp_map_kind kind, s32 fd);
struct vdsp_map *vdsp_proc_map_find(struct vdsp_proc *proc, u64 va, u64 len);
const char *vdsp_pd_kind_name(enum vdsp_pd_kind kind);
const char *vdsp_map_kind_name(enum vdsp_map_kind kind);

/* init.c: the init handle */
int vdsp_init_handle(struct vdsp_call *call);

/* services.c: static handles and dispatch */
bool vdsp_dispatch(struct vdsp_req *req);
int vdsp_check_proc_sid(struct vdsp_call *call);
const char *vdsp_svc_name(enum vdsp_svc svc);

/* system.c: listener, current process, log daemon, perf counters */
int vdsp_iface_method(const struct vdsp_call *call, bool handle64);
int vdsp_listener(struct vdsp_call *call);
int vdsp_current_process(struct vdsp_call *call);
int vdsp_msgd(struct vdsp_call *call);
int vdsp_perf(struct vdsp_call *call);
void vdsp_perf_account(struct vdsp_proc *proc, u64 start_ns);

/* skels.c: the built-in skels */
struct vdsp_skel {
	const char *name;
	enum vdsp_svc svc;
	int (*invoke)(struct vdsp_call *call);
};

const struct vdsp_skel *vdsp_skel_find(const char *name, size_t len);

/* debugfs.c */
void vdsp_debugfs_init(void);
void vdsp_debugfs_add(struct vdsp_domain *dom);
void vdsp_debugfs_exit(void);

#endif /* VDSP_H */
