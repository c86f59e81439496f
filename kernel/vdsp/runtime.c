// SPDX-License-Identifier: GPL-2.0
/*
 * The DSP runtime of a domain: a few kernel threads that take messages off
 * the domain's queue, serve them (services.c) and send the responses.
 *
 * A request is on exactly one of: @queue (received), a thread (being
 * served; its endpoint's @active counts it), a timer (sleep skel, response
 * delay), a process's @parked list (listener), @replies (finished by
 * someone who is not a runtime thread). Every live request is also on
 * @reqs, so that a domain going down finds them all: it stops the threads,
 * cancels the timers, releases the processes and frees what is left,
 * without a response (the driver fails those calls when its rpmsg device
 * goes away).
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vdsp.h"

/* The DSP's address: the source of every response */
#define VDSP_DSP_ADDR		0x400
/* Mangles the context id bits of a ctx, keeps its PD type */
#define VDSP_CTX_CORRUPT	0x5a5a5a5a5a5a5a50ULL

static enum hrtimer_restart vdsp_req_timer(struct hrtimer *timer)
{
	struct vdsp_req *req = container_of(timer, struct vdsp_req, timer);
	struct vdsp_domain *dom = req->dom;

	llist_add(&req->fired, &dom->fired);
	wake_up(&dom->wq);
	return HRTIMER_NORESTART;
}

int vdsp_queue(struct vdsp_ept *ve, const void *data, int len, gfp_t gfp)
{
	struct vdsp_domain *dom = ve->dom;
	struct vdsp_req *req;

	if (!data || len <= 0)
		return -EINVAL;
	if (len > VDSP_MTU)
		return -EMSGSIZE;
	req = kzalloc(sizeof(*req), gfp);
	if (!req)
		return -ENOMEM;
	memcpy(&req->msg, data, min_t(size_t, len, sizeof(req->msg)));
	req->len = len;
	req->dom = dom;
	req->ept = ve;
	req->svc = VDSP_SVC_UNKNOWN;
	hrtimer_init(&req->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	req->timer.function = vdsp_req_timer;

	spin_lock(&dom->lock);
	if (!dom->up || ve->dead || ve->gen != READ_ONCE(dom->gen)) {
		spin_unlock(&dom->lock);
		kfree(req);
		return -EPIPE;
	}
	kref_get(&ve->ept.refcount);
	req->state = VDSP_REQ_QUEUED;
	list_add_tail(&req->all, &dom->reqs);
	list_add_tail(&req->node, &dom->queue);
	spin_unlock(&dom->lock);
	wake_up(&dom->wq);
	return 0;
}

static void vdsp_req_free(struct vdsp_req *req)
{
	struct vdsp_domain *dom = req->dom;

	spin_lock(&dom->lock);
	list_del(&req->all);
	spin_unlock(&dom->lock);
	vdsp_ept_put(req->ept);
	kfree(req);
}

/* No response: the DSP crashed under it or its endpoint is gone */
void vdsp_req_discard(struct vdsp_req *req)
{
	atomic64_inc(&req->dom->stats.discarded);
	vdsp_req_free(req);
}

/*
 * misroute: answer with the ctx of a call of another process that the DSP
 * still holds (asleep), as a DSP that mixed up its callers would; false
 * if there is none
 */
static bool vdsp_misroute(struct vdsp_req *req, struct fastrpc_wire_rsp *rsp)
{
	struct vdsp_domain *dom = req->dom;
	struct vdsp_req *other;
	bool found = false;

	spin_lock(&dom->lock);
	list_for_each_entry(other, &dom->reqs, all) {
		if (READ_ONCE(other->state) == VDSP_REQ_SLEEPING &&
		    other->msg.pid != req->msg.pid) {
			rsp->ctx = other->msg.ctx;
			found = true;
			break;
		}
	}
	spin_unlock(&dom->lock);
	return found;
}

/* Response fault injection; false if the response is to be dropped */
static bool vdsp_fault_response(struct vdsp_req *req,
				struct fastrpc_wire_rsp *rsp)
{
	struct vdsp_domain *dom = req->dom;

	if (atomic_dec_if_positive(&dom->fault.drop) >= 0) {
		atomic64_inc(&dom->stats.dropped);
		return false;
	}
	if (atomic_xchg(&dom->fault.corrupt, 0)) {
		rsp->ctx ^= VDSP_CTX_CORRUPT;
		atomic64_inc(&dom->stats.corrupted);
	}
	/* a DSP that did the work and says it failed: no true DSP does */
	if (atomic_dec_if_positive(&dom->fault.fail_late) >= 0) {
		rsp->retval = -(s32)READ_ONCE(dom->fault.fail_errno);
		atomic64_inc(&dom->stats.failed_late);
	}
	if (atomic_read(&dom->fault.misroute) > 0 && vdsp_misroute(req, rsp) &&
	    atomic_dec_if_positive(&dom->fault.misroute) >= 0)
		atomic64_inc(&dom->stats.misrouted);
	return true;
}

static void vdsp_count_response(struct vdsp_req *req)
{
	struct vdsp_stats *st = &req->dom->stats;

	atomic64_inc(&st->responses);
	if (!req->retval)
		return;
	atomic64_inc(&st->errors);
	atomic64_inc(&st->call_errors[req->svc][req->method]);
}

/* @len bytes at @data to @req's endpoint, as a message from the DSP */
void vdsp_deliver(struct vdsp_req *req, const void *data, int len)
{
	struct rpmsg_endpoint *ept = &req->ept->ept;

	mutex_lock(&ept->cb_lock);
	if (ept->cb)
		ept->cb(ept->rpdev, (void *)data, len, ept->priv, VDSP_DSP_ADDR);
	else
		atomic64_inc(&req->dom->stats.discarded);
	mutex_unlock(&ept->cb_lock);
}

/*
 * rsp_len: the response as a message of that many bytes, @rsp at its head
 * (as much of it as fits) and 0xa5 after it; NULL if not asked for
 */
static void *vdsp_resize(struct vdsp_domain *dom,
			 const struct fastrpc_wire_rsp *rsp, int *len)
{
	int want = atomic_xchg(&dom->fault.rsp_len, 0);
	void *msg;

	if (!want)
		return NULL;
	msg = kmalloc(want, GFP_KERNEL);
	if (!msg)
		return NULL;
	memset(msg, 0xa5, want);
	memcpy(msg, rsp, min_t(size_t, want, sizeof(*rsp)));
	atomic64_inc(&dom->stats.resized);
	*len = want;
	return msg;
}

/* Send the response through the endpoint's callback, then free @req */
static void vdsp_respond(struct vdsp_req *req)
{
	struct vdsp_domain *dom = req->dom;
	struct fastrpc_wire_rsp rsp = {
		.ctx = req->msg.ctx,
		.retval = req->retval,
	};
	int len = sizeof(rsp), sends = 1;
	void *msg = NULL;

	if (!req->ept->loopback) {
		vdsp_count_response(req);
		if (!vdsp_fault_response(req, &rsp))
			goto out;
		if (vdsp_fuzz_response(req, &rsp))
			goto out;
		msg = vdsp_resize(dom, &rsp, &len);
		if (atomic_dec_if_positive(&dom->fault.duplicate) >= 0) {
			atomic64_inc(&dom->stats.duplicated);
			sends = 2;
		}
	}
	while (sends--)
		vdsp_deliver(req, msg ? : &rsp, len);
	kfree(msg);
out:
	vdsp_req_free(req);
}

/* Finish @req with @retval: respond now, or after the injected delay */
static void vdsp_complete(struct vdsp_req *req, int retval)
{
	struct vdsp_domain *dom = req->dom;
	u32 delay_us = READ_ONCE(dom->fault.delay_us);

	req->retval = retval;
	if (delay_us && !req->ept->loopback) {
		req->state = VDSP_REQ_DELAYED;
		atomic64_inc(&dom->stats.delayed);
		hrtimer_start(&req->timer, ns_to_ktime((u64)delay_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
		return;
	}
	vdsp_respond(req);
}

/* Runtime threads only: respond to @req @us microseconds from now */
void vdsp_req_sleep(struct vdsp_req *req, u32 us)
{
	req->state = VDSP_REQ_SLEEPING;
	atomic_inc(&req->dom->stats.sleeping);
	hrtimer_start(&req->timer, ns_to_ktime((u64)us * NSEC_PER_USEC), HRTIMER_MODE_REL);
}

/* Anyone, with dom->lock held: hand a finished request to the threads */
void vdsp_req_reply_locked(struct vdsp_req *req, int retval)
{
	lockdep_assert_held(&req->dom->lock);
	req->retval = retval;
	req->state = VDSP_REQ_REPLY;
	list_move_tail(&req->node, &req->dom->replies);
}

static void vdsp_run_fired(struct vdsp_domain *dom)
{
	struct llist_node *fired = llist_del_all(&dom->fired);
	struct vdsp_req *req, *tmp;

	fired = llist_reverse_order(fired);
	llist_for_each_entry_safe(req, tmp, fired, fired) {
		if (req->state == VDSP_REQ_SLEEPING) {
			atomic_dec(&dom->stats.sleeping);
			vdsp_complete(req, 0);
		} else {
			vdsp_respond(req);
		}
	}
}

/* Serve one request of a live endpoint, counted as active meanwhile */
static void vdsp_serve(struct vdsp_domain *dom, struct vdsp_req *req)
{
	struct vdsp_ept *ve = req->ept;
	bool respond;

	kref_get(&ve->ept.refcount);
	if (ve->loopback) {
		respond = true;
		req->retval = 0;
	} else {
		atomic64_inc(&dom->stats.requests);
		respond = vdsp_dispatch(req);
	}
	/* Its memory is no longer touched: endpoint teardown may go on */
	spin_lock(&dom->lock);
	ve->active--;
	spin_unlock(&dom->lock);
	wake_up(&dom->idle);
	if (respond)
		vdsp_complete(req, req->retval);
	vdsp_ept_put(ve);
}

/* One finished request's response, or one new request */
static void vdsp_run_one(struct vdsp_domain *dom)
{
	struct vdsp_req *req;

	spin_lock(&dom->lock);
	req = list_first_entry_or_null(&dom->replies, struct vdsp_req, node);
	if (req) {
		list_del_init(&req->node);
		spin_unlock(&dom->lock);
		vdsp_complete(req, req->retval);
		return;
	}
	req = list_first_entry_or_null(&dom->queue, struct vdsp_req, node);
	if (!req) {
		spin_unlock(&dom->lock);
		return;
	}
	list_del_init(&req->node);
	if (req->ept->dead) {
		spin_unlock(&dom->lock);
		vdsp_req_discard(req);
		return;
	}
	req->ept->active++;
	req->state = VDSP_REQ_ACTIVE;
	spin_unlock(&dom->lock);
	vdsp_serve(dom, req);
}

static bool vdsp_has_work(struct vdsp_domain *dom)
{
	return !llist_empty(&dom->fired) || !list_empty(&dom->replies) ||
	       !list_empty(&dom->queue);
}

static int vdsp_thread(void *arg)
{
	struct vdsp_domain *dom = arg;

	while (!kthread_should_stop()) {
		wait_event_idle(dom->wq,
				vdsp_has_work(dom) || kthread_should_stop());
		vdsp_run_fired(dom);
		vdsp_run_one(dom);
		cond_resched();
	}
	return 0;
}

static bool vdsp_ept_idle(struct vdsp_ept *ve)
{
	bool idle;

	spin_lock(&ve->dom->lock);
	idle = !ve->active;
	spin_unlock(&ve->dom->lock);
	return idle;
}

/*
 * Mark @ve dead (its queued requests are discarded, no new ones come in)
 * and wait until no thread serves one of its requests.
 */
void vdsp_ept_quiesce(struct vdsp_ept *ve)
{
	struct vdsp_domain *dom = ve->dom;

	spin_lock(&dom->lock);
	ve->dead = true;
	spin_unlock(&dom->lock);
	wait_event(dom->idle, vdsp_ept_idle(ve));
}

int vdsp_runtime_start(struct vdsp_domain *dom)
{
	struct task_struct *t;
	unsigned int i;

	lockdep_assert_held(&dom->state_lock);
	dom->threads = kcalloc(dom->nthreads, sizeof(*dom->threads),
			       GFP_KERNEL);
	if (!dom->threads)
		return -ENOMEM;
	spin_lock(&dom->lock);
	dom->up = true;
	spin_unlock(&dom->lock);
	for (i = 0; i < dom->nthreads; i++) {
		t = kthread_run(vdsp_thread, dom, "vdsp-%s/%u",
				dom->info->label, i);
		if (IS_ERR(t)) {
			vdsp_runtime_stop(dom);
			return PTR_ERR(t);
		}
		dom->threads[i] = t;
	}
	return 0;
}

/*
 * The DSP stops: no new requests, threads stopped, timers cancelled,
 * processes released; every request left is freed without a response.
 */
void vdsp_runtime_stop(struct vdsp_domain *dom)
{
	struct vdsp_req *req, *tmp;
	LIST_HEAD(left);
	unsigned int i;

	lockdep_assert_held(&dom->state_lock);
	if (!dom->threads)
		return;
	spin_lock(&dom->lock);
	dom->up = false;
	spin_unlock(&dom->lock);
	for (i = 0; i < dom->nthreads; i++)
		if (dom->threads[i])
			kthread_stop(dom->threads[i]);
	kfree(dom->threads);
	dom->threads = NULL;

	/* Only threads add to @reqs or arm timers, and they are gone */
	list_for_each_entry(req, &dom->reqs, all)
		hrtimer_cancel(&req->timer);
	vdsp_proc_release_all(dom);

	spin_lock(&dom->lock);
	list_splice_init(&dom->reqs, &left);
	INIT_LIST_HEAD(&dom->queue);
	INIT_LIST_HEAD(&dom->replies);
	init_llist_head(&dom->fired);
	spin_unlock(&dom->lock);
	list_for_each_entry_safe(req, tmp, &left, all) {
		atomic64_inc(&dom->stats.discarded);
		vdsp_ept_put(req->ept);
		kfree(req);
	}
	atomic_set(&dom->stats.sleeping, 0);
	atomic_set(&dom->stats.parked, 0);
}
