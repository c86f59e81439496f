// SPDX-License-Identifier: GPL-2.0
/*
 * Remote processes: the init handle's attach, create, create static and
 * release methods, with the argument records of wire.h.
 *
 * A call that a fatal signal interrupts may still have reached the DSP:
 * the client then counts the process as existing, so that closing the
 * file releases it, and keeps the memory it handed over.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "invoke.h"
#include "map.h"
#include "mem.h"
#include "process.h"
#include "session.h"
#include "uaccess.h"

/* A dying process waits this long for the DSP to release its PD */
#define FASTRPC_RELEASE_TIMEOUT	(20 * HZ)

static void set_pd(struct fastrpc_client *cl, enum fastrpc_pd_kind kind,
		   const char *name)
{
	spin_lock(&cl->lock);
	cl->pd = kind;
	strscpy(cl->pd_name, name, sizeof(cl->pd_name));
	spin_unlock(&cl->lock);
}

/*
 * The DSP knows a process by its tgid, and a second client of a tgid joins
 * the process the first one has. A file outlives its opener (a fork, an fd
 * passed on), whose pid may then go to an unrelated process: that one
 * would join the old client's DSP process and reach its maps and handles.
 * So clients of one tgid share a DSP process only when they are of the
 * same thread group; until the older one is closed, the other gets EBUSY.
 */
static int process_claim(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;
	struct fastrpc_client *other;
	int err = 0;

	spin_lock(&chan->lock);
	list_for_each_entry(other, &chan->clients, node) {
		if (other->claims_tgid && other->tgid == cl->tgid &&
		    other->pid != cl->pid) {
			err = -EBUSY;
			break;
		}
	}
	if (!err)
		cl->claims_tgid = true;
	spin_unlock(&chan->lock);
	return err;
}

/* The DSP surely made no process for the client: back to none */
static void process_failed(struct fastrpc_client *cl)
{
	WRITE_ONCE(cl->wire_pd, FASTRPC_PD_ROOT);
	spin_lock(&cl->chan->lock);
	cl->claims_tgid = false;
	spin_unlock(&cl->chan->lock);
}

/*
 * Takes cl->mutex on success: the client has a bank, no process yet, and
 * the claim on its tgid's DSP process
 */
static int process_begin(struct fastrpc_client *cl)
{
	int err;

	err = fastrpc_map_orphans_check(cl->chan) ?:
	      fastrpc_session_assign(cl);
	if (err)
		return err;
	/* its holder may wait on a stalled DSP: a killable wait */
	err = mutex_lock_killable(&cl->mutex);
	if (err)
		return err;
	err = cl->pd != FASTRPC_PD_KIND_NONE ? -EBUSY : process_claim(cl);
	if (err)
		mutex_unlock(&cl->mutex);
	return err;
}

static int attach(struct fastrpc_client *cl, enum fastrpc_pd_kind kind,
		  u32 wire_pd)
{
	struct fastrpc_invoke_args args[1];
	s32 tgid = cl->tgid;
	int err;

	err = process_begin(cl);
	if (err)
		return err;
	args[0] = fastrpc_karg(&tgid, sizeof(tgid));
	WRITE_ONCE(cl->wire_pd, wire_pd);
	err = fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
				    FASTRPC_SC(FASTRPC_INIT_ATTACH, 1, 0),
				    args, NULL);
	err = fastrpc_dsp_errno(err);
	trace_fastrpc_pd_attach(cl->chan->domain, cl->tgid, cl->id, kind, "",
				err);
	if (fastrpc_invoke_maybe_done(err))
		set_pd(cl, kind, "");
	else
		process_failed(cl);
	mutex_unlock(&cl->mutex);
	return err;
}

int fastrpc_ioctl_init_attach(struct fastrpc_call *call)
{
	return attach(call->cl, FASTRPC_PD_KIND_ROOT, FASTRPC_PD_ROOT);
}

int fastrpc_ioctl_init_attach_sns(struct fastrpc_call *call)
{
	return attach(call->cl, FASTRPC_PD_KIND_SENSORS, FASTRPC_PD_SENSORS);
}

/*
 * A non-secure node on a secure domain may only start unsigned PDs, and
 * only where the domain runs them.
 */
static bool session_rejected(struct fastrpc_client *cl, bool unsigned_pd)
{
	return !cl->secure && cl->chan->secure_domain &&
	       (!cl->chan->unsigned_pd || !unsigned_pd);
}

/*
 * The shell ELF, from a dma-buf fd or copied from the user's pointer: a
 * copy in, which may ask for a retry (uaccess.h)
 */
static int load_elf(struct fastrpc_call *call,
		    const struct fastrpc_init_create *init,
		    struct fastrpc_map **out)
{
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_buf *buf;
	int err;

	if (!init->filelen)
		return 0;
	if (init->filefd > 0) {
		err = fastrpc_map_import(cl, init->filefd, FASTRPC_MAP_KERNEL,
					 false, out);
		if (!err && init->filelen > (*out)->size) {
			fastrpc_map_put(*out);
			*out = NULL;
			err = -EINVAL;
		}
		return err;
	}
	err = fastrpc_buf_alloc(cl->chan->domain, init->filelen, &buf);
	if (err)
		return err;
	err = fastrpc_buf_copy_from_user(call, buf,
					 u64_to_user_ptr(init->file),
					 init->filelen);
	if (!err)
		err = fastrpc_map_from_buf(cl, buf, FASTRPC_MAP_KERNEL, out);
	if (err)
		fastrpc_buf_free(buf);
	return err;
}

static int alloc_kernel_map(struct fastrpc_client *cl, size_t size,
			    struct fastrpc_map **out)
{
	struct fastrpc_buf *buf;
	int err;

	err = fastrpc_buf_alloc(cl->chan->domain, size, &buf);
	if (err)
		return err;
	err = fastrpc_map_from_buf(cl, buf, FASTRPC_MAP_KERNEL, out);
	if (err)
		fastrpc_buf_free(buf);
	return err;
}

struct create_call {
	struct fastrpc_wire_create rec;
	char name[TASK_COMM_LEN];
	u32 attrs;
	u32 siglen;
	struct fastrpc_phy_page *pages;
	struct fastrpc_map *elf;
	struct fastrpc_map *mem;
};

static int create_send(struct fastrpc_client *cl, struct create_call *c)
{
	struct fastrpc_map *maps[6] = { [2] = c->elf };
	struct fastrpc_invoke_args args[6];
	u32 sc;

	args[0] = fastrpc_karg(&c->rec, sizeof(c->rec));
	args[1] = fastrpc_karg(c->name, c->rec.namelen);
	args[2] = fastrpc_karg(NULL, c->rec.filelen);
	args[3] = fastrpc_karg(c->pages, c->rec.pageslen * sizeof(*c->pages));
	args[4] = fastrpc_karg(&c->attrs, sizeof(c->attrs));
	args[5] = fastrpc_karg(&c->siglen, sizeof(c->siglen));
	if (c->attrs)
		sc = FASTRPC_SC(FASTRPC_INIT_CREATE_ATTR, 6, 0);
	else
		sc = FASTRPC_SC(FASTRPC_INIT_CREATE, 4, 0);
	return fastrpc_dsp_errno(fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
						       sc, args, maps));
}

static int create_prepare(struct fastrpc_call *call,
			  const struct fastrpc_init_create *init,
			  struct create_call *c)
{
	struct fastrpc_client *cl = call->cl;
	size_t memlen;
	int n, err;

	err = load_elf(call, init, &c->elf);
	if (err)
		return err;
	/* As much init memory as the in-tree driver gives a dynamic PD */
	memlen = ALIGN(max_t(size_t, FASTRPC_INIT_FILELEN_MAX,
			     (size_t)init->filelen * 4), SZ_1M);
	err = alloc_kernel_map(cl, memlen, &c->mem);
	if (err)
		return err;
	n = fastrpc_map_page_list(c->mem, 0, c->mem->size, &c->pages);
	if (n < 0)
		return n;
	get_task_comm(c->name, current);
	c->rec = (struct fastrpc_wire_create) {
		.pgid = cl->tgid,
		.namelen = strlen(c->name) + 1,
		.filelen = init->filelen,
		.pageslen = n,
		.attrs = init->attrs,
		.siglen = init->siglen,
	};
	c->attrs = init->attrs;
	c->siglen = init->siglen;
	return 0;
}

int fastrpc_ioctl_init_create(struct fastrpc_call *call)
{
	const struct fastrpc_init_create *init = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct create_call c = {};
	int err;

	/*
	 * As upstream: no shell (length 0) lets the DSP start its own, and
	 * every attribute bit goes to the DSP (libcdsprpc sets PDDUMP, PERF,
	 * UAF and others past the ones uapi names).
	 */
	if (init->filelen > FASTRPC_INIT_FILELEN_MAX ||
	    init->siglen > init->filelen)
		return -EINVAL;
	if (init->filefd <= 0 &&
	    !access_ok(u64_to_user_ptr(init->file), init->filelen))
		return -EFAULT;
	if (session_rejected(cl, init->attrs & FASTRPC_MODE_UNSIGNED_MODULE))
		return -ECONNREFUSED;
	err = process_begin(cl);
	if (err)
		return err;
	/* a retry for the shell's copy is undone below like any failure */
	err = create_prepare(call, init, &c);
	if (!err) {
		WRITE_ONCE(cl->wire_pd, FASTRPC_PD_USER);
		err = create_send(cl, &c);
	}
	if (err != -FASTRPC_EFAULTIN)
		trace_fastrpc_pd_create(cl->chan->domain, cl->tgid, cl->id,
					FASTRPC_PD_KIND_DYNAMIC, c.name, err);
	if (fastrpc_invoke_maybe_done(err)) {
		/* the DSP may use the init memory until the PD is released */
		cl->init_mem = c.mem;
		c.mem = NULL;
		set_pd(cl, FASTRPC_PD_KIND_DYNAMIC, c.name);
	} else {
		process_failed(cl);
	}
	mutex_unlock(&cl->mutex);
	fastrpc_map_put(c.mem);
	fastrpc_map_put(c.elf);
	kvfree(c.pages);
	return err;
}

/*
 * The remote heap is pinned until the DSP goes away, sized by whoever
 * starts the first static PD: upstream sets no bound.
 */
static unsigned int remote_heap_max_kib = 64 * 1024;
module_param(remote_heap_max_kib, uint, 0644);
MODULE_PARM_DESC(remote_heap_max_kib,
		 "Largest remote heap a static PD's caller may ask for, in KiB");

/*
 * The channel's remote heap as the client's bank sees it: allocated by
 * the first static PD's caller, mapped for each other bank whose clients
 * start a static PD (the DSP reaches it through the caller's stream), up
 * to FASTRPC_MAX_BUF_BANKS banks in all: EBUSY on one more (cdsp has 9).
 * Views and heap stay until the DSP goes away.
 */
static int heap_get(struct fastrpc_client *cl, u32 memlen,
		    struct fastrpc_map **out)
{
	struct fastrpc_channel *chan = cl->chan;
	u64 max = (u64)READ_ONCE(remote_heap_max_kib) * SZ_1K;
	struct fastrpc_map *view;
	unsigned int banks = 1;
	int err = 0;

	mutex_lock(&chan->heap_lock);
	if (!chan->heap)
		err = memlen && memlen <= max ?
		      alloc_kernel_map(cl, memlen, &chan->heap) : -EINVAL;
	if (err)
		goto out;
	*out = chan->heap;
	if (chan->heap->sid == cl->bank->sid)
		goto out;
	list_for_each_entry(view, &chan->heap_views, node) {
		if (view->sid == cl->bank->sid) {
			*out = view;
			goto out;
		}
		banks++;
	}
	err = fastrpc_buf_bank_room(banks, true) ?:
	      fastrpc_map_view(cl, chan->heap, &view);
	if (!err) {
		list_add_tail(&view->node, &chan->heap_views);
		*out = view;
	}
out:
	mutex_unlock(&chan->heap_lock);
	return err;
}

static int create_static_send(struct fastrpc_client *cl,
			      struct fastrpc_map *heap, const char *name,
			      u32 namelen)
{
	struct fastrpc_wire_create_static rec = {
		.pgid = cl->tgid,
		.namelen = namelen,
	};
	struct fastrpc_phy_page *pages;
	struct fastrpc_invoke_args args[3];
	int n, err;

	n = fastrpc_map_page_list(heap, 0, heap->size, &pages);
	if (n < 0)
		return n;
	rec.pageslen = n;
	args[0] = fastrpc_karg(&rec, sizeof(rec));
	args[1] = fastrpc_karg(name, namelen);
	args[2] = fastrpc_karg(pages, n * sizeof(*pages));
	WRITE_ONCE(cl->wire_pd, FASTRPC_PD_USER);
	err = fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
				    FASTRPC_SC(FASTRPC_INIT_CREATE_STATIC, 3, 0),
				    args, NULL);
	kvfree(pages);
	return fastrpc_dsp_errno(err);
}

int fastrpc_ioctl_init_create_static(struct fastrpc_call *call)
{
	const struct fastrpc_init_create_static *init = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_map *heap;
	char *name;
	int err;

	if (init->namelen < 2 || init->namelen > FASTRPC_INIT_NAMELEN_MAX)
		return -EINVAL;
	name = kmalloc(init->namelen, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	err = fastrpc_copy_in(call, name, u64_to_user_ptr(init->name),
			      init->namelen);
	/* One non-empty, NUL-terminated name */
	if (!err && strnlen(name, init->namelen) != init->namelen - 1)
		err = -EINVAL;
	if (!err)
		err = process_begin(cl);
	if (err)
		goto out;
	err = heap_get(cl, init->memlen, &heap);
	if (!err)
		err = create_static_send(cl, heap, name, init->namelen);
	trace_fastrpc_pd_create(cl->chan->domain, cl->tgid, cl->id,
				FASTRPC_PD_KIND_STATIC, name, err);
	if (fastrpc_invoke_maybe_done(err))
		set_pd(cl, FASTRPC_PD_KIND_STATIC, name);
	else
		process_failed(cl);
	mutex_unlock(&cl->mutex);
out:
	kfree(name);
	return err;
}

int fastrpc_process_release(struct fastrpc_client *cl)
{
	struct fastrpc_invoke_args args[1];
	s32 tgid = cl->tgid;
	int err;

	if (cl->pd == FASTRPC_PD_KIND_NONE)
		return 0;
	args[0] = fastrpc_karg(&tgid, sizeof(tgid));
	err = fastrpc_invoke_kernel_timeout(cl, FASTRPC_HANDLE_INIT,
					    FASTRPC_SC(FASTRPC_INIT_RELEASE, 1, 0),
					    args, NULL, FASTRPC_RELEASE_TIMEOUT);
	err = err == -ETIMEDOUT ? err : fastrpc_dsp_errno(err);
	trace_fastrpc_pd_release(cl->chan->domain, cl->tgid, cl->id, cl->pd,
				 cl->pd_name, err);
	return err;
}

void fastrpc_process_heap_free(struct fastrpc_channel *chan)
{
	struct fastrpc_map *view, *tmp;

	mutex_lock(&chan->heap_lock);
	list_for_each_entry_safe(view, tmp, &chan->heap_views, node) {
		list_del(&view->node);
		fastrpc_map_put(view);
	}
	fastrpc_map_put(chan->heap);
	chan->heap = NULL;
	mutex_unlock(&chan->heap_lock);
}
