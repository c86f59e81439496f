// SPDX-License-Identifier: GPL-2.0
/*
 * Clients: open, close, lifetime, and their teardown when the DSP goes.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "client.h"
#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "invoke.h"
#include "main.h"
#include "map.h"
#include "mem.h"
#include "payload.h"
#include "process.h"
#include "session.h"

static atomic_t fastrpc_client_ids = ATOMIC_INIT(0);

int fastrpc_client_open(struct fastrpc_node *node, struct fastrpc_client **out)
{
	struct fastrpc_channel *chan = node->chan;
	struct fastrpc_client *cl;

	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return -ENOMEM;
	kref_init(&cl->ref);
	INIT_LIST_HEAD(&cl->node);
	mutex_init(&cl->mutex);
	spin_lock_init(&cl->lock);
	INIT_LIST_HEAD(&cl->maps);
	INIT_LIST_HEAD(&cl->interrupted);
	INIT_LIST_HEAD(&cl->bufs);
	INIT_LIST_HEAD(&cl->free_ctxs);
	fastrpc_payload_cache_init(&cl->cache);
	cl->id = atomic_inc_return(&fastrpc_client_ids);
	cl->tgid = current->tgid;
	cl->pid = get_pid(task_tgid(current));
	cl->tid = current->pid;
	get_task_comm(cl->comm, current);
	cl->secure = node->secure;
	cl->uid = current_uid();
	cl->admin = capable(CAP_SYS_ADMIN);
	cl->sid = -1;
	cl->pd = FASTRPC_PD_KIND_NONE;
	cl->wire_pd = FASTRPC_PD_ROOT;
	/* before the channel's teardown can find it: that unlists it */
	fastrpc_payload_cache_list(cl);

	spin_lock(&chan->lock);
	if (READ_ONCE(chan->down)) {
		spin_unlock(&chan->lock);
		fastrpc_payload_cache_unlist(cl);
		put_pid(cl->pid);
		mutex_destroy(&cl->mutex);
		kfree(cl);
		return -ENODEV;
	}
	fastrpc_channel_get(chan);
	cl->chan = chan;
	list_add_tail(&cl->node, &chan->clients);
	spin_unlock(&chan->lock);
	trace_fastrpc_client_open(chan->domain, cl->tgid, cl->id, cl->secure);
	*out = cl;
	return 0;
}

static void client_free(struct kref *ref)
{
	struct fastrpc_client *cl = container_of(ref, struct fastrpc_client, ref);
	struct fastrpc_channel *chan = cl->chan;

	WARN_ON_ONCE(!cl->torn_down);
	/* each context returned itself here before dropping its reference */
	fastrpc_invoke_free_cached(cl);
	fastrpc_session_release(cl);
	put_device(cl->dev);
	put_pid(cl->pid);
	mutex_destroy(&cl->mutex);
	kfree(cl);
	fastrpc_channel_put(chan);
}

void fastrpc_client_get(struct fastrpc_client *cl)
{
	kref_get(&cl->ref);
}

void fastrpc_client_put(struct fastrpc_client *cl)
{
	kref_put(&cl->ref, client_free);
}

int fastrpc_client_has_process_locked(struct fastrpc_client *cl)
{
	lockdep_assert_held(&cl->lock);
	return cl->pd == FASTRPC_PD_KIND_NONE ? -ESRCH : 0;
}

int fastrpc_client_has_process(struct fastrpc_client *cl)
{
	int err;

	spin_lock(&cl->lock);
	err = fastrpc_client_has_process_locked(cl);
	spin_unlock(&cl->lock);
	return err;
}

/*
 * Everything the client holds for the DSP goes, except, when the DSP was
 * asked to release the process and never answered, the memory that
 * process may still use: the channel keeps that until the DSP goes away.
 */
static void client_teardown(struct fastrpc_client *cl, bool dsp_let_go)
{
	struct fastrpc_map *init_mem;

	mutex_lock(&cl->mutex);
	if (cl->torn_down)
		goto out;
	spin_lock(&cl->lock);
	cl->torn_down = true;
	spin_unlock(&cl->lock);

	fastrpc_invoke_drop_interrupted(cl);
	init_mem = cl->init_mem;
	cl->init_mem = NULL;
	if (dsp_let_go) {
		fastrpc_map_release_all(cl);
		fastrpc_map_put(init_mem);
	} else {
		fastrpc_map_orphan_all(cl);
		fastrpc_map_orphan(cl->chan, init_mem);
	}
	fastrpc_invoke_cache_close(cl);
	/*
	 * A call still in flight (interrupted, parked or abandoned) has its
	 * payload in the bank: the DSP may write it until it answers. The
	 * bank then goes back when the last such call has ended (client_free).
	 */
	if (!atomic_read(&cl->pending))
		fastrpc_session_release(cl);
out:
	mutex_unlock(&cl->mutex);
}

/*
 * Asks the DSP to release the client's process. Unless it says it did, the
 * process may still use the client's memory: that stays (orphaned, in the
 * channel) until the DSP goes down, and the log says how much.
 */
static bool client_release_process(struct fastrpc_client *cl)
{
	u64 maps, bytes;
	int err;

	err = fastrpc_process_release(cl);
	if (!err)
		return true;
	fastrpc_map_client_stats(cl, &maps, &bytes);
	pr_warn_ratelimited("fastrpc %s: release of process %d failed (%d): keeping %llu bytes in %llu maps until the DSP restarts\n",
			    cl->chan->label, cl->tgid, err, bytes, maps);
	return false;
}

void fastrpc_client_close(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;
	bool dsp_let_go = true;
	int idx;

	idx = srcu_read_lock(&chan->srcu);
	if (!READ_ONCE(chan->down))
		dsp_let_go = client_release_process(cl);
	client_teardown(cl, dsp_let_go);
	srcu_read_unlock(&chan->srcu, idx);

	spin_lock(&chan->lock);
	list_del_init(&cl->node);
	spin_unlock(&chan->lock);
	fastrpc_buf_disown_all(cl);
	trace_fastrpc_client_close(chan->domain, cl->tgid, cl->id, cl->secure);
	fastrpc_client_put(cl);
}

void fastrpc_channel_teardown_clients(struct fastrpc_channel *chan)
{
	struct fastrpc_client *cl;
	LIST_HEAD(done);

	/* A client closing meanwhile unlinks itself from @done: fine */
	spin_lock(&chan->lock);
	while ((cl = list_first_entry_or_null(&chan->clients,
					      struct fastrpc_client, node))) {
		list_move_tail(&cl->node, &done);
		fastrpc_client_get(cl);
		spin_unlock(&chan->lock);
		client_teardown(cl, true);
		fastrpc_client_put(cl);
		spin_lock(&chan->lock);
	}
	list_splice(&done, &chan->clients);
	spin_unlock(&chan->lock);
}

/*
 * A file kept open past the DSP's removal must not keep its bank's device:
 * the device would outlive the banks' depopulation, and with it its
 * device tree node, which the node's owner (the vdsp's overlay, removed
 * on rmmod) frees regardless. Nothing needs the device any more: no ioctl
 * runs on the channel, and the client's payloads are all freed. A client
 * closing meanwhile leaves the list under the lock before its free, which
 * then finds @dev as this left it.
 */
void fastrpc_channel_put_bank_devices(struct fastrpc_channel *chan)
{
	struct fastrpc_client *cl;

	spin_lock(&chan->lock);
	list_for_each_entry(cl, &chan->clients, node) {
		/* never the last reference: the bank is still registered */
		put_device(cl->dev);
		cl->dev = NULL;
	}
	spin_unlock(&chan->lock);
}
