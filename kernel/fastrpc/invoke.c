// SPDX-License-Identifier: GPL-2.0
/*
 * Invoke contexts: marshalling, sending, responses, interruption.
 *
 * Payload layout (wire.h): remote_arg[n], invoke_buf[n], phy_page[pages],
 * fd list, CRC list, then the inline copies of arguments passed by
 * pointer. Inline arguments whose address ranges overlap share one copy
 * (one region), each region starts FASTRPC_WIRE_ALIGN aligned. Arguments
 * passed by dma-buf fd are described by the pages of their segments.
 *
 * A context lives while anyone may still touch it: its caller, the channel
 * while it is in flight (the DSP may write its payload until it answers or
 * goes away), and the client's list of interrupted calls. A call that a
 * signal interrupts leaves its context in flight; when the call is
 * restarted (same thread, handle, scalars and argument array) it waits on
 * that same context instead of sending the request again.
 *
 * Who frees a context: whoever drops its last reference. The caller's is
 * dropped by the caller, or by whoever takes it off the interrupted list
 * (a restart, a later call of the same thread, the 65th parked call,
 * close). The channel's is owned by whoever unhashes the context under
 * chan->ctx_lock (the response, the DSP-loss abort, a failed send); the
 * response hands it to a caller still waiting (enum fastrpc_ctx_owner),
 * so that in the common case the caller frees the context in process
 * context, right after its wait. A last reference dropped in the response
 * callback (the caller left) frees from the workqueue. Freeing returns
 * the context to its client's cache (at most FASTRPC_CTX_CACHE), which
 * the client frees with its last reference: a cached context holds none.
 */
#include <linux/completion.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/rpmsg.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "client.h"
#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "invoke.h"
#include "map.h"
#include "payload.h"
#include "session.h"
#include "uaccess.h"

static struct workqueue_struct *fastrpc_wq;

/*
 * Bounds on calls in flight. A call stays in flight until the DSP answers
 * or goes away, even once its caller was interrupted and moved on, and
 * its payload (DMA memory no cgroup is charged for) stays with it. Beyond
 * a bound a call fails with -EAGAIN; one in flight less makes room again.
 */
static unsigned int client_max_inflight = 1024;
module_param(client_max_inflight, uint, 0644);
MODULE_PARM_DESC(client_max_inflight,
		 "Calls one client (open file) may have in flight");

static unsigned int channel_max_inflight = 4096;
module_param(channel_max_inflight, uint, 0644);
MODULE_PARM_DESC(channel_max_inflight,
		 "Calls all clients of one DSP may have in flight");

static unsigned int client_max_inflight_kib = 64 * 1024;
module_param(client_max_inflight_kib, uint, 0644);
MODULE_PARM_DESC(client_max_inflight_kib,
		 "Payload memory of one client's calls in flight, in KiB");

struct fastrpc_ctx_arg {
	struct fastrpc_map *map;	/* fd or kernel buffer; one reference */
	u64 off;			/* inline: in the payload; map: in it */
	u32 npages;
};

/* An inline argument's address range, for merging overlaps */
struct fastrpc_span {
	u64 start;
	u64 end;
	u32 idx;
};

/*
 * Argument arrays a context carries inline: calls with more arguments
 * (rare: libcdsprpc's own calls have at most 4) allocate theirs.
 */
#define FASTRPC_CTX_INLINE_ARGS	8

/* Contexts a client keeps for reuse, so that its calls allocate none */
#define FASTRPC_CTX_CACHE	16

/*
 * Who drops the channel's reference of a context that the DSP answered.
 * The response hands it to a caller still waiting (WAITING -> HANDED), who
 * then frees the context itself, in process context and without a detour
 * through the workqueue; a caller that stops waiting first (WAITING ->
 * LEFT) leaves it to the response. Both changes are one cmpxchg, so
 * exactly one side owns that reference. A restarted call re-arms WAITING.
 */
enum fastrpc_ctx_owner {
	FASTRPC_CTX_WAITING,
	FASTRPC_CTX_HANDED,
	FASTRPC_CTX_LEFT,
};

/*
 * The channel's calls in flight as of one change of them, and that
 * change's number: what the traffic events carry (flight_seq). Read under
 * the channel's ctx_lock, so the two agree.
 */
struct fastrpc_flight {
	u32 pending;
	u64 seq;
};

struct fastrpc_ctx {
	struct kref ref;
	struct fastrpc_client *cl;	/* holds a reference */
	/*
	 * In client->interrupted while parked, in client->free_ctxs while
	 * cached (the client's lock for both; never both at once)
	 */
	struct list_head node;
	struct hlist_node hnode;	/* in chan->ctx_hash while in flight */
	struct work_struct free_work;
	struct completion done;
	atomic_t owner;			/* enum fastrpc_ctx_owner */
	u32 id;
	u64 wire_ctx;
	u32 handle;
	u32 sc;
	pid_t tid;
	u64 tid_start;			/* with @tid: the caller, never a reuse of its id */
	u64 uargs;			/* the user's argument array */
	bool kernel;
	bool aborted;
	unsigned long timeout;		/* kernel calls: 0 waits killable */
	u64 start_ns;			/* set only while fastrpc_ctx_complete is on */
	/*
	 * The channel's as this entered flight, only while msg_send or
	 * ctx_complete is on
	 */
	struct fastrpc_flight sent;
	int retval;
	size_t meta;
	size_t total;
	u32 npages;
	u32 nin;
	u32 nbufs;
	u32 nargs;
	u32 nspans;			/* in @spans, by offset (ctx_layout()) */
	struct fastrpc_ctx_arg *args;	/* [nargs] */
	struct fastrpc_invoke_args *ua;	/* [nargs] */
	struct fastrpc_span *spans;	/* [nbufs] */
	void *ext;			/* the three above, past the inline ones */
	/* Zeroed for each call up to here */
	/* Kept while the context is cached, counted in the payload cache */
	struct fastrpc_payload *payload;
	/* Zeroed for each call as far as used */
	struct fastrpc_ctx_arg iargs[FASTRPC_CTX_INLINE_ARGS];
	struct fastrpc_invoke_args iua[FASTRPC_CTX_INLINE_ARGS];
	struct fastrpc_span ispans[FASTRPC_CTX_INLINE_ARGS];
};

/*
 * Context events. Each sits behind its own static key before any of its
 * arguments is read: with the event off, the invoke path loads nothing
 * for it (in a KASAN build the compiler could not defer those loads).
 */
#define TRACE_CTX(event, ctx)						\
	do {								\
		const struct fastrpc_ctx *_c = (ctx);			\
									\
		if (trace_fastrpc_ctx_##event##_enabled())		\
			trace_fastrpc_ctx_##event(_c->cl->chan->domain,	\
						  _c->cl->tgid, _c->tid, \
						  _c->cl->id, _c->id,	\
						  _c->handle, _c->sc,	\
						  _c->total);		\
	} while (0)

/* Only under trace_fastrpc_ctx_complete_enabled() */
static void trace_ctx_complete(struct fastrpc_ctx *ctx, int retval)
{
	trace_fastrpc_ctx_complete(ctx->cl->chan->domain, ctx->cl->tgid,
				   ctx->tid, ctx->cl->id, ctx->id, ctx->handle,
				   ctx->sc, retval, ctx->start_ns, ctx->total,
				   ctx->sent.pending);
}

/* Only under trace_fastrpc_ctx_response_enabled() */
static void trace_ctx_response(struct fastrpc_ctx *ctx, int retval)
{
	trace_fastrpc_ctx_response(ctx->cl->chan->domain, ctx->cl->tgid,
				   ctx->cl->id, ctx->id, ctx->handle, ctx->sc,
				   retval);
}

/*
 * Back to its client's cache with its payload, in one hold of the
 * client's lock (a payload past the cache's sizes becomes the client's
 * large one instead; either is freed if there is no room for it, or the
 * cache is closed), or freed when the cache is full. The client's
 * reference is dropped after, so the cache outlives the call; the client
 * frees what it cached when its last reference goes.
 */
static void ctx_recycle(struct fastrpc_ctx *ctx)
{
	struct fastrpc_client *cl = ctx->cl;
	struct fastrpc_payload *drop = NULL;
	bool cached = false;

	kfree(ctx->ext);
	ctx->ext = NULL;
	spin_lock(&cl->lock);
	if (cl->nfree_ctxs < FASTRPC_CTX_CACHE) {
		if (ctx->payload && !fastrpc_payload_keep(cl, ctx->payload)) {
			drop = fastrpc_payload_keep_large(cl, ctx->payload);
			ctx->payload = NULL;
		}
		list_add(&ctx->node, &cl->free_ctxs);
		cl->nfree_ctxs++;
		cached = true;
	}
	spin_unlock(&cl->lock);
	if (drop)
		fastrpc_payload_free(cl, drop);
	if (!cached) {
		if (ctx->payload)
			fastrpc_payload_put(cl, ctx->payload);
		kfree(ctx);
	}
	fastrpc_client_put(cl);
}

static void ctx_free(struct fastrpc_ctx *ctx)
{
	u32 i;

	/* only a context that got its id (and its alloc event) */
	if (trace_fastrpc_ctx_free_enabled() && ctx->wire_ctx)
		TRACE_CTX(free, ctx);
	for (i = 0; i < ctx->nargs; i++)
		fastrpc_map_put(ctx->args[i].map);
	ctx_recycle(ctx);
}

static void ctx_release(struct kref *ref)
{
	ctx_free(container_of(ref, struct fastrpc_ctx, ref));
}

static void ctx_free_work(struct work_struct *work)
{
	ctx_free(container_of(work, struct fastrpc_ctx, free_work));
}

/* Freeing may sleep (DMA memory, dma-buf detach): defer it from atomic */
static void ctx_release_async(struct kref *ref)
{
	struct fastrpc_ctx *ctx = container_of(ref, struct fastrpc_ctx, ref);

	queue_work(fastrpc_wq, &ctx->free_work);
}

static void ctx_put(struct fastrpc_ctx *ctx)
{
	kref_put(&ctx->ref, ctx_release);
}

void fastrpc_invoke_free_cached(struct fastrpc_client *cl)
{
	struct fastrpc_ctx *ctx, *tmp;

	/*
	 * The last reference: nobody adds to the list any more. Teardown
	 * took their payloads (fastrpc_invoke_cache_close()); the bank's
	 * device is still held if one is left all the same.
	 */
	list_for_each_entry_safe(ctx, tmp, &cl->free_ctxs, node) {
		if (ctx->payload)
			fastrpc_payload_free(cl, ctx->payload);
		kfree(ctx);
	}
	INIT_LIST_HEAD(&cl->free_ctxs);
	cl->nfree_ctxs = 0;
}

void fastrpc_invoke_cache_close(struct fastrpc_client *cl)
{
	struct fastrpc_ctx *ctx;
	LIST_HEAD(drop);

	spin_lock(&cl->lock);
	list_for_each_entry(ctx, &cl->free_ctxs, node) {
		if (ctx->payload) {
			list_add(&ctx->payload->node, &drop);
			ctx->payload = NULL;
		}
	}
	fastrpc_payload_cache_close(cl, &drop);
	spin_unlock(&cl->lock);
	/* the shrinker is done with this client once it is off its list */
	fastrpc_payload_cache_unlist(cl);
	fastrpc_payload_free_list(cl, &drop);
}

/*
 * A cached context, or a new one: the part before @payload zeroed. A
 * user's call needs the client's process, checked in the same hold of the
 * client's lock: with the recycling, one call takes that lock twice.
 */
static struct fastrpc_ctx *ctx_get_free(struct fastrpc_client *cl, bool user)
{
	struct fastrpc_ctx *ctx = NULL;
	int err = 0;

	spin_lock(&cl->lock);
	if (user)
		err = fastrpc_client_has_process_locked(cl);
	if (!err)
		ctx = list_first_entry_or_null(&cl->free_ctxs,
					       struct fastrpc_ctx, node);
	if (ctx) {
		list_del(&ctx->node);
		cl->nfree_ctxs--;
		if (ctx->payload)
			fastrpc_payload_unkeep(cl, ctx->payload);
	}
	spin_unlock(&cl->lock);
	if (err)
		return ERR_PTR(err);
	if (!ctx)
		return kzalloc(sizeof(*ctx), GFP_KERNEL) ?: ERR_PTR(-ENOMEM);
	memset(ctx, 0, offsetof(struct fastrpc_ctx, payload));
	return ctx;
}

/* The argument arrays: inline, or allocated for a call with many */
static int ctx_arrays(struct fastrpc_ctx *ctx, u32 nargs, u32 nbufs)
{
	if (nargs <= FASTRPC_CTX_INLINE_ARGS) {
		ctx->args = ctx->iargs;
		ctx->ua = ctx->iua;
		ctx->spans = ctx->ispans;
		memset(ctx->iargs, 0, nargs * sizeof(*ctx->iargs));
		return 0;
	}
	ctx->ext = kzalloc(nargs * (sizeof(*ctx->args) + sizeof(*ctx->ua)) +
			   nbufs * sizeof(*ctx->spans), GFP_KERNEL);
	if (!ctx->ext)
		return -ENOMEM;
	ctx->args = ctx->ext;
	ctx->ua = (void *)&ctx->args[nargs];
	ctx->spans = (void *)&ctx->ua[nargs];
	return 0;
}

/* A new context, or -ESRCH (a user's call, no process) or -ENOMEM */
static struct fastrpc_ctx *ctx_alloc(struct fastrpc_client *cl, u32 handle,
				     u32 sc, bool kernel)
{
	u32 nargs = FASTRPC_SC_NARGS(sc), nbufs = FASTRPC_SC_NBUFS(sc);
	struct fastrpc_ctx *ctx;

	ctx = ctx_get_free(cl, !kernel);
	if (IS_ERR(ctx))
		return ctx;
	if (ctx_arrays(ctx, nargs, nbufs)) {
		if (ctx->payload)
			fastrpc_payload_put(cl, ctx->payload);
		kfree(ctx);
		return ERR_PTR(-ENOMEM);
	}
	ctx->nargs = nargs;
	ctx->nbufs = nbufs;
	ctx->nin = FASTRPC_SC_INBUFS(sc);
	kref_init(&ctx->ref);
	INIT_LIST_HEAD(&ctx->node);
	INIT_HLIST_NODE(&ctx->hnode);
	INIT_WORK(&ctx->free_work, ctx_free_work);
	init_completion(&ctx->done);
	atomic_set(&ctx->owner, FASTRPC_CTX_WAITING);
	ctx->handle = handle;
	ctx->sc = sc;
	ctx->kernel = kernel;
	ctx->tid = current->pid;
	ctx->tid_start = current->start_time;
	if (trace_fastrpc_ctx_complete_enabled())
		ctx->start_ns = ktime_get_ns();
	fastrpc_client_get(cl);
	ctx->cl = cl;
	return ctx;
}

/* fd 0 and -1 both mean "no fd" in the ABI, as the in-tree driver has it */
static bool arg_has_fd(const struct fastrpc_invoke_args *ua)
{
	return ua->fd != -1 && ua->fd != 0;
}

static int import_fd_arg(struct fastrpc_ctx *ctx, u32 i, bool secure)
{
	const struct fastrpc_invoke_args *ua = &ctx->ua[i];
	struct fastrpc_ctx_arg *a = &ctx->args[i];
	struct dma_buf *dmabuf;

	if (ctx->kernel)
		return -EINVAL;
	if (ua->fd < 0)
		return -EBADF;
	if (secure && !ctx->cl->bank->secure)
		return -EPERM;
	dmabuf = dma_buf_get(ua->fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	/* a buffer's offset comes from its pointer; a DMA handle's is its
	 * pointer, a u32 on the wire
	 */
	if (i < ctx->nbufs)
		a->off = fastrpc_map_user_offset(dmabuf, ua->ptr);
	else
		a->off = ua->ptr;
	if ((i >= ctx->nbufs && ua->ptr > U32_MAX) || a->off > dmabuf->size ||
	    ua->length > dmabuf->size - a->off) {
		dma_buf_put(dmabuf);
		return -EINVAL;
	}
	return fastrpc_map_get_cached(ctx->cl, dmabuf, ua->fd, secure, &a->map);
}

/* Validates every argument and imports those passed by fd */
static int ctx_import(struct fastrpc_ctx *ctx)
{
	u32 i;
	int err;

	for (i = 0; i < ctx->nargs; i++) {
		const struct fastrpc_invoke_args *ua = &ctx->ua[i];
		struct fastrpc_ctx_arg *a = &ctx->args[i];
		bool secure = ua->attr & FASTRPC_ATTR_SECUREMAP;

		/* other attribute bits (NOVA, KEEP_MAP, ...) are ignored */
		if (a->map) {
			if (ua->length > a->map->size)
				return -EINVAL;
			continue;
		}
		if (arg_has_fd(ua)) {
			err = import_fd_arg(ctx, i, secure);
			if (err)
				return err;
			continue;
		}
		/* Plain memory: never secure, and it must be the caller's */
		if (secure)
			return -EINVAL;
		if (i < ctx->nbufs && ua->length && !ctx->kernel &&
		    !access_ok(u64_to_user_ptr(ua->ptr), ua->length))
			return -EFAULT;
	}
	return 0;
}

static int span_cmp(const void *a, const void *b)
{
	const struct fastrpc_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

/*
 * The largest payload of a call: what its bank can allocate (payload.c),
 * and no more than its client may have in flight, which a larger one
 * would never fit (EAGAIN for ever)
 */
static u64 ctx_payload_max(const struct fastrpc_ctx *ctx)
{
	return min_t(u64, ctx->cl->bank->payload_max,
		     (u64)READ_ONCE(client_max_inflight_kib) * SZ_1K);
}

static int count_pages(struct fastrpc_ctx *ctx)
{
	u64 npages = 0;
	u32 i;
	int n;

	ctx->nspans = 0;
	for (i = 0; i < ctx->nargs; i++) {
		const struct fastrpc_invoke_args *ua = &ctx->ua[i];
		struct fastrpc_ctx_arg *a = &ctx->args[i];

		if (a->map) {
			n = fastrpc_map_count_pages(a->map, a->off, ua->length);
			if (n < 0)
				return n;
			a->npages = n;
		} else if (i < ctx->nbufs && ua->length) {
			a->npages = 1;
			ctx->spans[ctx->nspans++] = (struct fastrpc_span) {
				.start = ua->ptr,
				.end = ua->ptr + ua->length,
				.idx = i,
			};
		}
		npages += a->npages;
	}
	if (npages > ctx_payload_max(ctx) / sizeof(struct fastrpc_phy_page))
		return -E2BIG;
	/* pages[] has at least one entry per argument (wire.h) */
	ctx->npages = max_t(u64, npages, ctx->nargs);
	return 0;
}

/* Offsets of the inline copies: overlapping ranges share one region */
static int ctx_layout(struct fastrpc_ctx *ctx)
{
	u64 pos, region_start = 0, region_end = 0, region_off = 0;
	u32 i;
	int err;

	err = count_pages(ctx);
	if (err)
		return err;
	ctx->meta = FASTRPC_WIRE_META_SIZE(ctx->nargs, ctx->npages);
	pos = ALIGN(ctx->meta, FASTRPC_WIRE_ALIGN);
	if (ctx->nspans > 1)
		sort(ctx->spans, ctx->nspans, sizeof(*ctx->spans), span_cmp,
		     NULL);
	for (i = 0; i < ctx->nspans; i++) {
		const struct fastrpc_span *s = &ctx->spans[i];

		if (i == 0 || s->start >= region_end) {
			region_off = ALIGN(pos, FASTRPC_WIRE_ALIGN);
			region_start = s->start;
			region_end = s->end;
			pos = region_off + (s->end - s->start);
		} else if (s->end > region_end) {
			pos += s->end - region_end;
			region_end = s->end;
		}
		ctx->args[s->idx].off = region_off + (s->start - region_start);
		if (pos > ctx_payload_max(ctx))
			return -E2BIG;
	}
	ctx->total = pos;
	return 0;
}

static struct fastrpc_remote_arg *ctx_rargs(struct fastrpc_ctx *ctx)
{
	return ctx->payload->va;
}

static struct fastrpc_invoke_buf *ctx_ibufs(struct fastrpc_ctx *ctx)
{
	return (void *)(ctx_rargs(ctx) + ctx->nargs);
}

static struct fastrpc_phy_page *ctx_pages(struct fastrpc_ctx *ctx)
{
	return (void *)(ctx_ibufs(ctx) + ctx->nargs);
}

static u64 *ctx_fdlist(struct fastrpc_ctx *ctx)
{
	return (void *)(ctx_pages(ctx) + ctx->npages);
}

static void fill_arg(struct fastrpc_ctx *ctx, u32 i,
		     struct fastrpc_phy_page *pg)
{
	const struct fastrpc_invoke_args *ua = &ctx->ua[i];
	struct fastrpc_remote_arg *ra = &ctx_rargs(ctx)[i];
	struct fastrpc_ctx_arg *a = &ctx->args[i];
	u64 addr;

	if (i >= ctx->nbufs) {
		struct fastrpc_remote_dma_handle *h = (void *)ra;

		/* a handle without a buffer has nothing to describe: len 0 */
		h->fd = ua->fd;
		h->offset = ua->ptr;
		h->len = a->map ? ua->length : 0;
		if (a->map)
			fastrpc_map_fill_pages(a->map, a->off, ua->length, pg);
		return;
	}
	ra->len = ua->length;
	if (!ua->length)
		return;
	if (a->map) {
		ra->pv = fastrpc_map_dma(a->map, a->off);
		fastrpc_map_fill_pages(a->map, a->off, ua->length, pg);
		return;
	}
	addr = FASTRPC_DSP_ADDR(ctx->cl->bank->sid, ctx->payload->dma + a->off);
	ra->pv = addr;
	pg->addr = ALIGN_DOWN(addr, PAGE_SIZE);
	pg->size = ALIGN(addr + ua->length, PAGE_SIZE) - pg->addr;
}

/* A user call's inputs are copies in (uaccess.h): they may ask for a retry */
static int copy_in(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	void *va = ctx->payload->va;
	u32 i;

	/*
	 * Outputs first, so that an input overlapping an output wins; a
	 * payload no call has used is all zero already
	 */
	for (i = ctx->nin; i < ctx->nbufs && !ctx->payload->zeroed; i++)
		if (!ctx->args[i].map && ctx->ua[i].length)
			memset(va + ctx->args[i].off, 0, ctx->ua[i].length);
	for (i = 0; i < ctx->nin; i++) {
		const struct fastrpc_invoke_args *ua = &ctx->ua[i];
		void *dst = va + ctx->args[i].off;
		int err;

		if (ctx->args[i].map || !ua->length)
			continue;
		if (ctx->kernel) {
			memcpy(dst, (const void *)(uintptr_t)ua->ptr, ua->length);
			continue;
		}
		err = fastrpc_copy_in(call, dst, u64_to_user_ptr(ua->ptr),
				      ua->length);
		if (err)
			return err;
	}
	return 0;
}

/* Needs the payload's address: after the copy in, for a paged payload */
static void ctx_fill_meta(struct fastrpc_ctx *ctx)
{
	struct fastrpc_invoke_buf *ib;
	struct fastrpc_phy_page *pg;
	u32 i, pgidx = 0;

	memset(ctx->payload->va, 0, ctx->meta);
	ib = ctx_ibufs(ctx);
	pg = ctx_pages(ctx);
	for (i = 0; i < ctx->nargs; i++) {
		ib[i].pgidx = pgidx;
		ib[i].num = ctx->args[i].npages;
		fill_arg(ctx, i, &pg[pgidx]);
		pgidx += ctx->args[i].npages;
	}
}

/*
 * A payload fresh from the page allocator holds whatever its pages held
 * last: zero every byte that the copy of the inline inputs will not
 * write (the metadata, the outputs, the gaps and the tail), so that the
 * DSP sees nothing but this call. The spans are in the order of their
 * offsets (ctx_layout()).
 */
static void scrub_fresh(struct fastrpc_ctx *ctx)
{
	void *va = ctx->payload->va;
	size_t done = 0, off, end;
	u32 i;

	for (i = 0; i < ctx->nspans; i++) {
		u32 idx = ctx->spans[i].idx;

		if (idx >= ctx->nin)
			continue;
		off = ctx->args[idx].off;
		end = off + ctx->ua[idx].length;
		if (off > done)
			memset(va + done, 0, off - done);
		done = max(done, end);
	}
	memset(va + done, 0, ctx->payload->size - done);
	ctx->payload->zeroed = true;
}

static int ctx_fill(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	struct fastrpc_payload *p = ctx->payload;
	int err;

	if (!p->mapped)
		scrub_fresh(ctx);
	err = copy_in(ctx, call);
	p->zeroed = false;
	if (!err && !p->mapped)
		err = fastrpc_payload_map(ctx->cl, p);
	if (err)
		return err;
	ctx_fill_meta(ctx);
	fastrpc_payload_sync_for_device(ctx->cl, p);
	return 0;
}

static int ctx_prepare(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	int err;

	err = ctx_import(ctx);
	if (err)
		return err;
	err = ctx_layout(ctx);
	if (err)
		return err;
	/* a cached context's payload, when it is of the size (steady state) */
	err = fastrpc_payload_reuse(ctx->cl, ctx->total, &ctx->payload);
	if (err)
		return err;
	return ctx_fill(ctx, call);
}

/*
 * In flight means: in @chan->ctx_hash and counted in both pending counts.
 * An entry is given its id and wire key, published and counted in one
 * hold of @chan->ctx_lock, and whoever unhashes it (the response,
 * abort_all, a failed send) does so under that lock and so owns the
 * channel's reference.
 */
static void ctx_uncount(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx)
{
	lockdep_assert_held(&chan->ctx_lock);
	atomic_dec(&ctx->cl->pending);
	atomic_dec(&chan->pending);
	WRITE_ONCE(ctx->cl->pending_bytes,
		   ctx->cl->pending_bytes - ctx->payload->size);
}

/*
 * The channel's calls in flight now, for the traffic events, and the
 * number of changes of that count so far: each request that entered
 * flight (traffic.sent) and each that left it (sent - pending), above the
 * channel's generation in bits 40 and up, so that the number keeps
 * growing across DSP restarts (tracepoints/README.md)
 */
static struct fastrpc_flight chan_flight(struct fastrpc_channel *chan)
{
	u32 pending = atomic_read(&chan->pending);

	lockdep_assert_held(&chan->ctx_lock);
	return (struct fastrpc_flight) {
		.pending = pending,
		.seq = ((u64)chan->generation << 40) +
		       2 * chan->traffic.sent - pending,
	};
}

/* Out of flight: the caller owns the channel's reference from here */
static void ctx_unhash(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx)
{
	hash_del(&ctx->hnode);
	ctx_uncount(chan, ctx);
}

/* Room for @ctx within the bounds above? */
static int ctx_fits(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx)
{
	struct fastrpc_client *cl = ctx->cl;
	u64 kib = READ_ONCE(client_max_inflight_kib);

	lockdep_assert_held(&chan->ctx_lock);
	if (atomic_read(&cl->pending) >= READ_ONCE(client_max_inflight) ||
	    atomic_read(&chan->pending) >= READ_ONCE(channel_max_inflight) ||
	    cl->pending_bytes + ctx->payload->size > kib * SZ_1K)
		return -EAGAIN;
	return 0;
}

static void ctx_count(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx)
{
	struct fastrpc_traffic *t = &chan->traffic;
	u32 pending;

	lockdep_assert_held(&chan->ctx_lock);
	atomic_inc(&ctx->cl->pending);
	pending = atomic_inc_return(&chan->pending);
	WRITE_ONCE(ctx->cl->pending_bytes,
		   ctx->cl->pending_bytes + ctx->payload->size);
	/* every request in flight is sent: ctx_send's message size */
	t->sent++;
	t->sent_bytes += PAGE_ALIGN(ctx->total);
	t->in_flight_max = max(t->in_flight_max, pending);
}

/* The context in flight under @id, if any */
static struct fastrpc_ctx *ctx_lookup(struct fastrpc_channel *chan, u32 id)
{
	struct fastrpc_ctx *ctx;

	lockdep_assert_held(&chan->ctx_lock);
	hash_for_each_possible(chan->ctx_hash, ctx, hnode, id)
		if (ctx->id == id)
			return ctx;
	return NULL;
}

/*
 * The next free id, cyclically from 1 to FASTRPC_CTX_ID_MAX. Of any
 * pending + 1 ids in a row at least one is free, so the search is bounded
 * by the calls in flight (themselves bounded: ctx_fits).
 */
static int ctx_next_id(struct fastrpc_channel *chan, u32 *id)
{
	u32 tries = atomic_read(&chan->pending) + 1;

	lockdep_assert_held(&chan->ctx_lock);
	while (tries--) {
		u32 next = chan->next_ctx ?: 1;

		chan->next_ctx = next >= FASTRPC_CTX_ID_MAX ? 1 : next + 1;
		if (!ctx_lookup(chan, next)) {
			*id = next;
			return 0;
		}
	}
	return -EAGAIN;
}

/*
 * Takes @ctx out of flight if it still is; true when this caller did.
 * @flight: the channel's calls in flight after.
 */
static bool ctx_take(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx,
		     struct fastrpc_flight *flight)
{
	unsigned long flags;
	bool taken;

	spin_lock_irqsave(&chan->ctx_lock, flags);
	taken = !hlist_unhashed(&ctx->hnode);
	if (taken)
		ctx_unhash(chan, ctx);
	*flight = chan_flight(chan);
	spin_unlock_irqrestore(&chan->ctx_lock, flags);
	return taken;
}

/*
 * Takes a context in flight out of flight, from bucket *@bkt on (none
 * enters once the channel is down): the pointer is used only once this
 * caller owns it, never while a response may be freeing it.
 */
static struct fastrpc_ctx *ctx_take_next(struct fastrpc_channel *chan,
					 unsigned int *bkt)
{
	struct fastrpc_ctx *ctx = NULL;

	spin_lock_irq(&chan->ctx_lock);
	for (; *bkt < HASH_SIZE(chan->ctx_hash); (*bkt)++) {
		ctx = hlist_entry_safe(chan->ctx_hash[*bkt].first,
				       struct fastrpc_ctx, hnode);
		if (ctx) {
			ctx_unhash(chan, ctx);
			break;
		}
	}
	spin_unlock_irq(&chan->ctx_lock);
	return ctx;
}

static int ctx_register(struct fastrpc_channel *chan, struct fastrpc_ctx *ctx)
{
	u32 wire_pd = READ_ONCE(ctx->cl->wire_pd);
	int err;

	spin_lock_irq(&chan->ctx_lock);
	err = chan->down ? -EPIPE : ctx_fits(chan, ctx);
	if (!err)
		err = ctx_next_id(chan, &ctx->id);
	if (!err) {
		ctx->wire_ctx = FASTRPC_CTX(ctx->id, wire_pd);
		hash_add(chan->ctx_hash, &ctx->hnode, ctx->id);
		ctx_count(chan, ctx);
		if (trace_fastrpc_msg_send_enabled() ||
		    trace_fastrpc_ctx_complete_enabled())
			ctx->sent = chan_flight(chan);
	}
	spin_unlock_irq(&chan->ctx_lock);
	if (!err)
		TRACE_CTX(alloc, ctx);
	return err;
}

static int ctx_send(struct fastrpc_ctx *ctx)
{
	struct fastrpc_channel *chan = ctx->cl->chan;
	struct fastrpc_flight flight;
	struct fastrpc_wire_msg msg;
	bool taken;
	int err;

	kref_get(&ctx->ref);	/* the channel's, while in flight */
	err = ctx_register(chan, ctx);
	if (err) {
		ctx_put(ctx);
		return err;
	}
	msg = (struct fastrpc_wire_msg) {
		.pid = ctx->kernel ? 0 : ctx->cl->tgid,
		.tid = ctx->tid,
		.ctx = ctx->wire_ctx,
		.handle = ctx->handle,
		.sc = ctx->sc,
		.addr = FASTRPC_DSP_ADDR(ctx->cl->bank->sid, ctx->payload->dma),
		.size = PAGE_ALIGN(ctx->total),
	};
	/* before the send: the response may come before rpmsg_send returns */
	TRACE_CTX(send, ctx);
	if (trace_fastrpc_msg_send_enabled())
		trace_fastrpc_msg_send(chan->domain, msg.pid, msg.tid, msg.ctx,
				       msg.handle, msg.sc, msg.size,
				       ctx->sent.pending, ctx->sent.seq);
	err = rpmsg_send(chan->rpdev->ept, &msg, sizeof(msg));
	if (err) {
		taken = ctx_take(chan, ctx, &flight);
		trace_fastrpc_msg_send_fail(chan->domain, msg.ctx, err,
					    flight.pending, flight.seq);
		if (trace_fastrpc_ctx_complete_enabled())
			trace_ctx_complete(ctx, err);
		atomic64_inc(&chan->errors);
		if (taken)
			ctx_put(ctx);
		return err;
	}
	return 0;
}

/* Output @i is copied from the payload (not by fd, not empty) */
static bool out_inline(const struct fastrpc_ctx *ctx, u32 i)
{
	return !ctx->args[i].map && ctx->ua[i].length;
}

/*
 * The slow path of copy_out(): outputs @first on (which would fault) into
 * a bounce, which the dispatcher copies to the user once it has left the
 * channel's section. The bounce holds the payload's bytes from the first
 * of them to the end of the last, so no more than the payload: outputs
 * may overlap.
 */
static int bounce_out(struct fastrpc_ctx *ctx, struct fastrpc_call *call,
		      u32 first)
{
	size_t lo = SIZE_MAX, hi = 0;
	struct fastrpc_bounce *b;
	u32 i, n = 0;

	for (i = first; i < ctx->nbufs; i++) {
		if (!out_inline(ctx, i))
			continue;
		lo = min_t(size_t, lo, ctx->args[i].off);
		hi = max_t(size_t, hi, ctx->args[i].off + ctx->ua[i].length);
		n++;
	}
	b = fastrpc_bounce_alloc(call, n, hi - lo);
	if (!b)
		return -ENOMEM;
	memcpy(b->data, ctx->payload->va + lo, hi - lo);
	for (i = first; i < ctx->nbufs; i++) {
		if (out_inline(ctx, i))
			b->segs[b->nsegs++] = (struct fastrpc_bounce_seg) {
				.to = u64_to_user_ptr(ctx->ua[i].ptr),
				.len = ctx->ua[i].length,
				.off = ctx->args[i].off - lo,
			};
	}
	return 0;
}

/*
 * After the DSP's answer, so never a retry: a user call's outputs are
 * copied without a fault, and from the first that would fault on, bounced.
 */
static int copy_out(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	void *va = ctx->payload->va;
	u32 i;

	for (i = ctx->nin; i < ctx->nbufs; i++) {
		const struct fastrpc_invoke_args *ua = &ctx->ua[i];
		const void *src = va + ctx->args[i].off;

		if (!out_inline(ctx, i))
			continue;
		if (ctx->kernel)
			memcpy((void *)(uintptr_t)ua->ptr, src, ua->length);
		else if (fastrpc_copy_out_nofault(u64_to_user_ptr(ua->ptr),
						  src, ua->length))
			return bounce_out(ctx, call, i);
	}
	return 0;
}

/* The DSP names, 0-terminated, the fds whose mappings it let go of */
static void release_fds(struct fastrpc_ctx *ctx)
{
	u64 *fdlist = ctx_fdlist(ctx);
	int i;

	for (i = 0; i < FASTRPC_WIRE_MAX_FDLIST; i++) {
		u64 fd = READ_ONCE(fdlist[i]);

		if (!fd)
			break;
		if (fd <= INT_MAX)
			fastrpc_map_release_fd(ctx->cl, fd);
	}
}

/*
 * What a call returns is the DSP's answer, as upstream passes it: 0, an
 * errno, or a positive AEE code. The codes the kernel keeps for itself
 * (-ERESTARTSYS and the others from 512 up) would restart the syscall or
 * reach the user as no errno at all, and for the driver's own calls
 * -ETIMEDOUT and -EPIPE mean that the DSP never answered: from the DSP,
 * all of them become -EREMOTEIO.
 */
static int ctx_dsp_result(const struct fastrpc_ctx *ctx)
{
	int r = ctx->retval;

	if (r <= -ERESTARTSYS && r >= -MAX_ERRNO)
		return -EREMOTEIO;
	if (ctx->kernel && (r == -ETIMEDOUT || r == -EPIPE))
		return -EREMOTEIO;
	return r;
}

static int ctx_finish(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	int err;

	if (ctx->aborted)
		return -EPIPE;
	fastrpc_payload_sync_for_cpu(ctx->cl, ctx->payload);
	err = copy_out(ctx, call);
	release_fds(ctx);
	if (ctx->retval) {
		atomic64_inc(&ctx->cl->chan->errors);
		return ctx_dsp_result(ctx);
	}
	return err;
}

/*
 * Interrupted calls a client keeps for their restart. A thread that never
 * calls again (it exited, say) leaves its call here, payload and all, until
 * close: past this many the oldest goes, so that a client cannot pile
 * them up.
 */
#define FASTRPC_MAX_PARKED	64

static void ctx_park(struct fastrpc_ctx *ctx)
{
	struct fastrpc_client *cl = ctx->cl;
	struct fastrpc_ctx *oldest = NULL;

	spin_lock(&cl->lock);
	list_add_tail(&ctx->node, &cl->interrupted);
	WRITE_ONCE(cl->parked, cl->parked + 1);
	if (cl->parked > FASTRPC_MAX_PARKED) {
		oldest = list_first_entry(&cl->interrupted, struct fastrpc_ctx,
					  node);
		list_del_init(&oldest->node);
		WRITE_ONCE(cl->parked, cl->parked - 1);
	}
	spin_unlock(&cl->lock);
	if (oldest)
		ctx_put(oldest);
}

/*
 * The caller stops waiting (signal, timeout), unless the response already
 * handed it the channel's reference: then the call is done, and waiting
 * for the completion, which the response is about to signal, is short.
 */
static bool ctx_leave(struct fastrpc_ctx *ctx)
{
	if (atomic_cmpxchg(&ctx->owner, FASTRPC_CTX_WAITING,
			   FASTRPC_CTX_LEFT) == FASTRPC_CTX_WAITING)
		return true;
	wait_for_completion(&ctx->done);
	return false;
}

/* Consumes the caller's reference; @call is NULL for a kernel call */
static int ctx_wait(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	int err;

	if (ctx->kernel && ctx->timeout)
		err = wait_for_completion_timeout(&ctx->done, ctx->timeout) ?
		      0 : -ETIMEDOUT;
	else if (ctx->kernel)
		err = wait_for_completion_killable(&ctx->done);
	else
		err = wait_for_completion_interruptible(&ctx->done);
	if (err && ctx_leave(ctx)) {
		/*
		 * Still in flight: the channel keeps it until the response.
		 * A user call may be restarted and pick it up again.
		 */
		TRACE_CTX(interrupted, ctx);
		if (ctx->kernel)
			ctx_put(ctx);
		else
			ctx_park(ctx);
		return err;
	}
	err = ctx_finish(ctx, call);
	if (trace_fastrpc_ctx_complete_enabled())
		trace_ctx_complete(ctx, err);
	/*
	 * The channel's reference too, if the response handed it over: read
	 * after the completion, which the response signals after the handoff.
	 * Never the last one: ours is still held.
	 */
	if (atomic_read(&ctx->owner) == FASTRPC_CTX_HANDED)
		kref_put(&ctx->ref, ctx_release);
	ctx_put(ctx);
	return err;
}

/* The interrupted context a restarted call left behind, if any */
static struct fastrpc_ctx *ctx_reattach(struct fastrpc_client *cl,
					const struct fastrpc_invoke *inv)
{
	struct fastrpc_ctx *ctx, *tmp, *found = NULL;
	LIST_HEAD(stale);

	/*
	 * Without the lock: only this thread parks its own calls, so its
	 * increment came before this read, and while one of them is on the
	 * list every later value of @parked is at least 1. Reading 0 means
	 * none of ours is there.
	 */
	if (!READ_ONCE(cl->parked))
		return NULL;
	spin_lock(&cl->lock);
	list_for_each_entry_safe(ctx, tmp, &cl->interrupted, node) {
		if (ctx->tid != current->pid ||
		    ctx->tid_start != current->start_time)
			continue;
		if (!found && ctx->handle == inv->handle &&
		    ctx->sc == inv->sc && ctx->uargs == inv->args) {
			list_del_init(&ctx->node);
			found = ctx;
		} else {
			/* this thread moved on to another call */
			list_move(&ctx->node, &stale);
		}
		WRITE_ONCE(cl->parked, cl->parked - 1);
	}
	spin_unlock(&cl->lock);
	list_for_each_entry_safe(ctx, tmp, &stale, node) {
		list_del_init(&ctx->node);
		ctx_put(ctx);
	}
	/* waiting again: a response from now on hands its reference over */
	if (found)
		atomic_set(&found->owner, FASTRPC_CTX_WAITING);
	return found;
}

/*
 * Everything before the send is undone by the put on failure, so a user
 * call's copy in may ask for a retry (-FASTRPC_EFAULTIN) up to the send
 */
static int ctx_run(struct fastrpc_ctx *ctx, struct fastrpc_call *call)
{
	int err;

	err = ctx_prepare(ctx, call);
	if (!err)
		err = ctx_send(ctx);
	if (err) {
		ctx_put(ctx);
		return err;
	}
	return ctx_wait(ctx, call);
}

int fastrpc_invoke_kernel_timeout(struct fastrpc_client *cl, u32 handle,
				  u32 sc, const struct fastrpc_invoke_args *args,
				  struct fastrpc_map **maps,
				  unsigned long timeout)
{
	struct fastrpc_ctx *ctx;
	u32 i;

	ctx = ctx_alloc(cl, handle, sc, true);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->timeout = timeout;
	memcpy(ctx->ua, args, ctx->nargs * sizeof(*args));
	for (i = 0; maps && i < ctx->nargs; i++) {
		if (maps[i]) {
			fastrpc_map_get(maps[i]);
			ctx->args[i].map = maps[i];
		}
	}
	return ctx_run(ctx, NULL);
}

int fastrpc_invoke_kernel(struct fastrpc_client *cl, u32 handle, u32 sc,
			  const struct fastrpc_invoke_args *args,
			  struct fastrpc_map **maps)
{
	return fastrpc_invoke_kernel_timeout(cl, handle, sc, args, maps, 0);
}

int fastrpc_ioctl_invoke(struct fastrpc_call *call)
{
	const struct fastrpc_invoke *inv = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_ctx *ctx;
	int err;

	if (inv->handle == FASTRPC_HANDLE_INIT)
		return -EPERM;
	ctx = ctx_reattach(cl, inv);
	if (ctx) {
		TRACE_CTX(restored, ctx);
		return ctx_wait(ctx, call);
	}

	/* checks that the client has a process before it takes a bank */
	ctx = ctx_alloc(cl, inv->handle, inv->sc, false);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = fastrpc_session_assign(cl);
	if (!err && ctx->nargs)
		err = fastrpc_copy_in(call, ctx->ua, u64_to_user_ptr(inv->args),
				      ctx->nargs * sizeof(*ctx->ua));
	if (err) {
		ctx_put(ctx);
		return err;
	}
	ctx->uargs = inv->args;
	return ctx_run(ctx, call);
}

int fastrpc_invoke_response(struct fastrpc_channel *chan, const void *data,
			    int len)
{
	struct fastrpc_wire_rsp rsp = {};
	struct fastrpc_flight flight = {};
	struct fastrpc_ctx *ctx;
	unsigned long flags;
	u64 id;
	int owner;

	if (len < (int)offsetofend(struct fastrpc_wire_rsp, retval)) {
		atomic64_inc(&chan->errors);
		trace_fastrpc_msg_bad_response(chan->domain, 0, len,
					       FASTRPC_BAD_RSP_SHORT);
		pr_warn_ratelimited("fastrpc %s: short response (%d bytes)\n",
				    chan->label, len);
		return -EINVAL;
	}
	memcpy(&rsp, data, min_t(size_t, len, sizeof(rsp)));
	id = FASTRPC_CTX_TO_ID(rsp.ctx);

	spin_lock_irqsave(&chan->ctx_lock, flags);
	ctx = id <= FASTRPC_CTX_ID_MAX ? ctx_lookup(chan, id) : NULL;
	if (ctx && ctx->wire_ctx == rsp.ctx) {
		ctx_unhash(chan, ctx);
		chan->traffic.received++;
		chan->traffic.received_bytes += len;
	} else {
		ctx = NULL;
	}
	if (trace_fastrpc_msg_response_enabled())
		flight = chan_flight(chan);
	spin_unlock_irqrestore(&chan->ctx_lock, flags);
	if (!ctx) {
		atomic64_inc(&chan->errors);
		trace_fastrpc_msg_bad_response(chan->domain, rsp.ctx, len,
					       FASTRPC_BAD_RSP_NO_CTX);
		pr_warn_ratelimited("fastrpc %s: response for unknown ctx 0x%llx\n",
				    chan->label, rsp.ctx);
		return -ENOENT;
	}
	ctx->retval = rsp.retval;
	if (trace_fastrpc_msg_response_enabled())
		trace_fastrpc_msg_response(chan->domain, rsp.ctx, rsp.retval,
					   len, flight.pending, flight.seq);
	if (trace_fastrpc_ctx_response_enabled())
		trace_ctx_response(ctx, rsp.retval);
	/*
	 * A caller still waiting gets the channel's reference and frees the
	 * context itself: complete() is then the last touch of it here.
	 * Otherwise the reference is still ours to drop.
	 */
	owner = atomic_cmpxchg(&ctx->owner, FASTRPC_CTX_WAITING,
			       FASTRPC_CTX_HANDED);
	complete(&ctx->done);
	if (owner != FASTRPC_CTX_WAITING)
		kref_put(&ctx->ref, ctx_release_async);
	return 0;
}

void fastrpc_invoke_abort_all(struct fastrpc_channel *chan)
{
	struct fastrpc_traffic traffic;
	struct fastrpc_flight flight;
	struct fastrpc_ctx *ctx;
	unsigned int bkt = 0;

	spin_lock_irq(&chan->ctx_lock);
	WRITE_ONCE(chan->down, true);
	flight = chan_flight(chan);
	traffic = chan->traffic;
	spin_unlock_irq(&chan->ctx_lock);
	/* A response racing the aborts below may still be counted after it */
	trace_fastrpc_dsp_down(chan->domain, flight.pending, flight.seq,
			       traffic.sent, traffic.sent_bytes,
			       traffic.received, traffic.received_bytes);

	/* Nothing enters now; a response may still race us for each one */
	while ((ctx = ctx_take_next(chan, &bkt))) {
		ctx->aborted = true;
		if (trace_fastrpc_ctx_response_enabled())
			trace_ctx_response(ctx, -EPIPE);
		complete(&ctx->done);
		ctx_put(ctx);
	}
}

void fastrpc_invoke_drop_interrupted(struct fastrpc_client *cl)
{
	struct fastrpc_ctx *ctx, *tmp;
	LIST_HEAD(drop);

	spin_lock(&cl->lock);
	list_splice_init(&cl->interrupted, &drop);
	WRITE_ONCE(cl->parked, 0);
	spin_unlock(&cl->lock);
	list_for_each_entry_safe(ctx, tmp, &drop, node) {
		list_del_init(&ctx->node);
		ctx_put(ctx);
	}
}

int fastrpc_dsp_errno(int retval)
{
	if (retval < 0 && retval >= -MAX_ERRNO)
		return retval;
	return retval ? -EIO : 0;
}

int fastrpc_invoke_init(void)
{
	fastrpc_wq = alloc_workqueue("fastrpc", WQ_UNBOUND, 0);
	return fastrpc_wq ? 0 : -ENOMEM;
}

void fastrpc_invoke_flush(void)
{
	flush_workqueue(fastrpc_wq);
}

void fastrpc_invoke_fini(void)
{
	destroy_workqueue(fastrpc_wq);
}
