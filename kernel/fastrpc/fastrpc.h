/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core objects of the FastRPC driver and how they refer to each other.
 *
 *   fastrpc_channel  one per rpmsg device (one DSP domain): its device
 *                    nodes, context banks, clients and contexts in flight
 *   fastrpc_bank     one per qcom,fastrpc-compute-cb node (context bank)
 *   fastrpc_client   one per open file: remote process, maps, buffers
 *
 * Contexts (invoke.h), maps (map.h), driver buffers (mem.h) and payload
 * buffers (payload.h) are declared beside the code that owns them.
 *
 * Lifetime: a channel is referenced by its rpmsg device until removal and
 * by every client; a client by its file and by every context it started;
 * a context by its caller, by the channel while it is in flight and by the
 * client's list of interrupted calls. A DSP removal fails every context in
 * flight, waits for every ioctl to leave the channel (SRCU), then releases
 * every client's DMA state before its context banks go away. An ioctl
 * inside that section never waits on a user page fault (a userfaultfd or
 * FUSE page would hold the restart): its copies there take no fault, and
 * the dispatcher faults pages in, or copies bounced outputs, outside it
 * (uaccess.h). So nothing outside the section holds a bank's memory.
 */
#ifndef FASTRPC_CORE_H
#define FASTRPC_CORE_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <fastrpc/wire.h>

#include "payload.h"

struct dentry;
struct device;
struct rpmsg_device;
struct fastrpc_buf;
struct fastrpc_map;

/* Buckets of a channel's table of contexts in flight: 1 << this */
#define FASTRPC_CTX_HASH_BITS	8

#define FASTRPC_NODE_NONSECURE	0
#define FASTRPC_NODE_SECURE	1

/* A device node: /dev/fastrpc-<label> or /dev/fastrpc-<label>-secure */
struct fastrpc_node {
	struct miscdevice misc;
	struct fastrpc_channel *chan;
	bool secure;
	char name[32];
};

/* Requests sent and responses matched on a channel (see its @traffic) */
struct fastrpc_traffic {
	u64 sent;		/* requests that entered flight */
	u64 sent_bytes;		/* their messages' sizes */
	u64 received;		/* responses matched to a request */
	u64 received_bytes;
	u32 in_flight_max;	/* the most requests in flight at once */
};

struct fastrpc_channel {
	struct kref ref;
	struct rpmsg_device *rpdev;
	int domain;			/* enum fastrpc_domain_id */
	const char *label;
	bool secure_domain;		/* no qcom,non-secure-domain */
	bool unsigned_pd;		/* may run unsigned PDs: both nodes */
	struct fastrpc_node nodes[2];	/* FASTRPC_NODE_* */
	/* ioctls inside vs. DSP removal; no user fault inside (uaccess.h) */
	struct srcu_struct srcu;

	/*
	 * Contexts in flight, hashed by id: a fixed table, so that sending a
	 * call allocates nothing. @ctx_lock (irq-safe: the response callback
	 * takes it) covers the table, @next_ctx, the pending counts, and
	 * orders @down against new ids: once @down is set under it, nothing
	 * enters @ctx_hash again.
	 */
	spinlock_t ctx_lock;
	DECLARE_HASHTABLE(ctx_hash, FASTRPC_CTX_HASH_BITS);
	u32 next_ctx;
	bool down;
	u32 generation;			/* the channel's number since load */
	/*
	 * Traffic since the channel came up, under @ctx_lock, where a request
	 * enters flight and its response leaves it: debugfs shows it, and
	 * fastrpc_dsp_down carries its final value, so that a reader of the
	 * one and the other has every message of every generation.
	 */
	struct fastrpc_traffic traffic;

	spinlock_t lock;		/* @clients, @banks, bank uses, @orphans */
	struct list_head clients;
	struct list_head banks;
	/*
	 * Maps of closed clients whose release the DSP never answered, and
	 * their bytes: past channel_max_orphan_kib no new process starts.
	 */
	struct list_head orphans;
	u64 orphan_bytes;
	unsigned int norphans;

	struct mutex info_lock;		/* @info, never across a DSP call */
	bool info_valid;
	u32 info[FASTRPC_MAX_DSP_ATTRIBUTES];

	struct mutex heap_lock;		/* the static PDs' remote heap */
	struct fastrpc_map *heap;
	struct list_head heap_views;	/* @heap for other banks */

	atomic_t pending;
	atomic64_t errors;
	struct dentry *debugfs;
};

/* A context bank (SMMU stream) and the sessions it can hold */
struct fastrpc_bank {
	struct list_head node;		/* in channel->banks */
	struct fastrpc_channel *chan;
	struct device *dev;
	u32 sid;
	u32 sessions;
	u32 used;
	bool secure;
	size_t payload_max;		/* fastrpc_payload_max() of @dev */
};

/* The remote process of a client, as fdinfo and debugfs name it */
enum fastrpc_pd_kind {
	FASTRPC_PD_KIND_NONE,
	FASTRPC_PD_KIND_ROOT,
	FASTRPC_PD_KIND_SENSORS,
	FASTRPC_PD_KIND_DYNAMIC,
	FASTRPC_PD_KIND_STATIC,
};

#define FASTRPC_PD_NAME_MAX	FASTRPC_INIT_NAMELEN_MAX

struct fastrpc_client {
	struct kref ref;
	struct fastrpc_channel *chan;
	struct list_head node;		/* in channel->clients */
	u32 id;				/* unique per driver load */
	pid_t tgid;
	struct pid *pid;		/* the opener's thread group, held */
	pid_t tid;
	char comm[TASK_COMM_LEN];
	bool secure;			/* opened through the secure node */
	kuid_t uid;			/* who opened it */
	bool admin;			/* ... with CAP_SYS_ADMIN: no per-user bound */

	/*
	 * Context bank, assigned on first need; @dev is held until free, or
	 * until the DSP's removal has freed every payload (chan->lock)
	 */
	struct fastrpc_bank *bank;
	struct device *dev;
	int sid;

	struct mutex mutex;		/* remote process, mappings, teardown */
	enum fastrpc_pd_kind pd;
	u32 wire_pd;			/* enum fastrpc_pd_type, in ctx */
	char pd_name[FASTRPC_PD_NAME_MAX];
	struct fastrpc_map *init_mem;	/* a dynamic PD's memory */
	bool torn_down;			/* also read under @lock */
	bool claims_tgid;		/* chan->lock: has, or is getting, a DSP process */

	spinlock_t lock;		/* @maps, @interrupted, @cache, @free_ctxs */
	struct list_head maps;
	struct list_head interrupted;
	u32 parked;			/* entries of @interrupted (WRITE_ONCE) */
	struct fastrpc_payload_cache cache;
	/* Contexts kept for reuse (invoke.c); freed with the client */
	struct list_head free_ctxs;
	u32 nfree_ctxs;

	struct list_head bufs;		/* owned buffers, fastrpc_buf_owner_lock */
	/* Calls in flight and their payload bytes: chan->ctx_lock */
	atomic_t pending;
	u64 pending_bytes;
};

#endif /* FASTRPC_CORE_H */
