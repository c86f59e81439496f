// SPDX-License-Identifier: GPL-2.0
/*
 * Remote processes: one per tgid and domain, of one kind (root PD,
 * sensors PD, dynamic PD, static PD). Each has its own DSP virtual address
 * space (a maple tree of mappings), its table of opened skel handles and
 * the listener calls parked on it. A process lives from its attach/create
 * until its last release, its exit (current-process handle), the close of
 * the endpoint that created it, or the DSP going down.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "vdsp.h"

static const char *const vdsp_pd_kinds[] = {
	[VDSP_PD_ROOT] = "root",
	[VDSP_PD_SENSORS] = "sensors",
	[VDSP_PD_DYNAMIC] = "dynamic",
	[VDSP_PD_STATIC] = "static",
};

static const char *const vdsp_map_kinds[] = {
	[VDSP_MAP_MMAP] = "mmap",
	[VDSP_MAP_MEM_MAP] = "mem_map",
	[VDSP_MAP_INIT] = "init",
	[VDSP_MAP_HEAP] = "heap",
};

const char *vdsp_pd_kind_name(enum vdsp_pd_kind kind)
{
	return vdsp_pd_kinds[kind];
}

const char *vdsp_map_kind_name(enum vdsp_map_kind kind)
{
	return vdsp_map_kinds[kind];
}

static void vdsp_map_free(struct kref *ref)
{
	kvfree(container_of(ref, struct vdsp_map, ref));
}

void vdsp_map_put(struct vdsp_map *map)
{
	kref_put(&map->ref, vdsp_map_free);
}

static void vdsp_proc_free(struct kref *ref)
{
	struct vdsp_proc *proc = container_of(ref, struct vdsp_proc, ref);
	struct vdsp_map *map, *tmp;

	list_for_each_entry_safe(map, tmp, &proc->maps, node) {
		list_del(&map->node);
		vdsp_map_put(map);
	}
	mtree_destroy(&proc->va);
	xa_destroy(&proc->handles);
	mutex_destroy(&proc->lock);
	kfree(proc);
}

void vdsp_proc_put(struct vdsp_proc *proc)
{
	kref_put(&proc->ref, vdsp_proc_free);
}

struct vdsp_proc *vdsp_proc_get(struct vdsp_domain *dom, pid_t tgid)
{
	struct vdsp_proc *proc = NULL;

	if (tgid <= 0)
		return NULL;
	mutex_lock(&dom->proc_lock);
	proc = xa_load(&dom->procs, tgid);
	if (proc)
		kref_get(&proc->ref);
	mutex_unlock(&dom->proc_lock);
	return proc;
}

struct vdsp_proc *vdsp_proc_alloc(struct vdsp_call *call, pid_t tgid,
				  enum vdsp_pd_kind kind)
{
	struct vdsp_proc *proc = kzalloc(sizeof(*proc), GFP_KERNEL);

	if (!proc)
		return NULL;
	kref_init(&proc->ref);
	proc->dom = call->dom;
	proc->owner = call->req->ept;
	proc->tgid = tgid;
	proc->kind = kind;
	proc->sessions = 1;
	proc->sid_sessions[call->sid] = 1;
	mutex_init(&proc->lock);
	mt_init_flags(&proc->va, MT_FLAGS_ALLOC_RANGE);
	INIT_LIST_HEAD(&proc->maps);
	xa_init_flags(&proc->handles, XA_FLAGS_ALLOC);
	INIT_LIST_HEAD(&proc->parked);
	return proc;
}

/* Make @proc the process of its tgid; -EALREADY if there is one */
int vdsp_proc_add(struct vdsp_proc *proc)
{
	struct vdsp_domain *dom = proc->dom;
	int ret;

	mutex_lock(&dom->proc_lock);
	ret = xa_insert(&dom->procs, proc->tgid, proc, GFP_KERNEL);
	if (!ret)
		kref_get(&proc->ref);
	mutex_unlock(&dom->proc_lock);
	return ret == -EBUSY ? -EALREADY : ret;
}

/*
 * Attach to the root or sensors PD: a new process, or one more session of
 * the same kind (two clients of one process). -EALREADY if the tgid has a
 * process of another kind.
 */
int vdsp_proc_attach(struct vdsp_call *call, pid_t tgid,
		     enum vdsp_pd_kind kind)
{
	struct vdsp_domain *dom = call->dom;
	struct vdsp_proc *proc;
	int ret = 0;

	mutex_lock(&dom->proc_lock);
	proc = xa_load(&dom->procs, tgid);
	if (proc) {
		if (proc->kind == kind) {
			proc->sessions++;
			proc->sid_sessions[call->sid]++;
		} else {
			ret = -EALREADY;
		}
		goto out;
	}
	proc = vdsp_proc_alloc(call, tgid, kind);
	if (!proc) {
		ret = -ENOMEM;
		goto out;
	}
	ret = xa_insert(&dom->procs, tgid, proc, GFP_KERNEL);
	if (ret)
		vdsp_proc_put(proc);
out:
	mutex_unlock(&dom->proc_lock);
	return ret;
}

/*
 * Drop the domain's reference. Parked listener calls end with the code a
 * DSP gives them when their process goes, which tells the client library
 * to stop listening.
 */
static void vdsp_proc_unlink(struct vdsp_domain *dom, struct vdsp_proc *proc)
{
	struct vdsp_req *req, *tmp;

	lockdep_assert_held(&dom->proc_lock);
	xa_erase(&dom->procs, proc->tgid);
	spin_lock(&dom->lock);
	proc->gone = true;
	list_for_each_entry_safe(req, tmp, &proc->parked, node) {
		atomic_dec(&dom->stats.parked);
		vdsp_req_reply_locked(req, (s32)FASTRPC_DSP_BAD_STATE);
	}
	spin_unlock(&dom->lock);
	wake_up(&dom->wq);
	vdsp_proc_put(proc);
}

/*
 * One session fewer, the one of bank @sid; the process goes with its last.
 * Unknown tgid: no-op.
 */
void vdsp_proc_release(struct vdsp_domain *dom, pid_t tgid, u32 sid)
{
	struct vdsp_proc *proc;

	mutex_lock(&dom->proc_lock);
	proc = tgid > 0 ? xa_load(&dom->procs, tgid) : NULL;
	if (proc && proc->sid_sessions[sid])
		proc->sid_sessions[sid]--;
	if (proc && !--proc->sessions)
		vdsp_proc_unlink(dom, proc);
	mutex_unlock(&dom->proc_lock);
}

/* A session of @proc is on bank @sid: the SMMU lets it through */
bool vdsp_proc_holds_sid(struct vdsp_proc *proc, u32 sid)
{
	bool held;

	mutex_lock(&proc->dom->proc_lock);
	held = proc->sid_sessions[sid] > 0;
	mutex_unlock(&proc->dom->proc_lock);
	return held;
}

/* The process exits: gone, whatever its sessions */
void vdsp_proc_exit(struct vdsp_proc *proc)
{
	struct vdsp_domain *dom = proc->dom;

	mutex_lock(&dom->proc_lock);
	if (xa_load(&dom->procs, proc->tgid) == proc)
		vdsp_proc_unlink(dom, proc);
	mutex_unlock(&dom->proc_lock);
}

void vdsp_proc_release_owned(struct vdsp_domain *dom,
			     const struct vdsp_ept *owner)
{
	struct vdsp_proc *proc;
	unsigned long tgid;

	mutex_lock(&dom->proc_lock);
	xa_for_each(&dom->procs, tgid, proc)
		if (!owner || proc->owner == owner)
			vdsp_proc_unlink(dom, proc);
	mutex_unlock(&dom->proc_lock);
}

void vdsp_proc_release_all(struct vdsp_domain *dom)
{
	vdsp_proc_release_owned(dom, NULL);
}

/* Park a listener call until the process goes; false if it already has */
bool vdsp_proc_park(struct vdsp_proc *proc, struct vdsp_req *req)
{
	struct vdsp_domain *dom = proc->dom;
	bool parked = false;

	spin_lock(&dom->lock);
	if (!proc->gone) {
		req->state = VDSP_REQ_PARKED;
		list_add_tail(&req->node, &proc->parked);
		atomic_inc(&dom->stats.parked);
		parked = true;
	}
	spin_unlock(&dom->lock);
	return parked;
}

/* Give @map a DSP address range; the process owns it from here on */
int vdsp_proc_map_insert(struct vdsp_proc *proc, struct vdsp_map *map)
{
	unsigned long start;
	int ret;

	mutex_lock(&proc->lock);
	ret = mtree_alloc_range(&proc->va, &start, map, map->size,
				VDSP_VA_BASE, VDSP_VA_END - 1, GFP_KERNEL);
	if (!ret) {
		map->va = start;
		list_add_tail(&map->node, &proc->maps);
	}
	mutex_unlock(&proc->lock);
	return ret == -EBUSY ? -ENOMEM : ret;
}

static int vdsp_map_matches(const struct vdsp_map *map, u64 va, u64 size,
			    enum vdsp_map_kind kind, s32 fd)
{
	if (!map || map->va != va)
		return -ENOENT;
	if (map->kind != kind)
		return -EINVAL;
	/* The size as mapped, or as asked before rounding to pages */
	if (size != map->size && PAGE_ALIGN(size) != map->size)
		return -EINVAL;
	if (kind == VDSP_MAP_MEM_MAP && fd != map->fd)
		return -EINVAL;
	return 0;
}

/* Unmap exactly the mapping at @va (munmap, mem_unmap) */
int vdsp_proc_map_remove(struct vdsp_proc *proc, u64 va, u64 size,
			 enum vdsp_map_kind kind, s32 fd)
{
	struct vdsp_map *map = NULL;
	int ret;

	mutex_lock(&proc->lock);
	if (va <= ULONG_MAX)
		map = mtree_load(&proc->va, va);
	ret = vdsp_map_matches(map, va, size, kind, fd);
	if (!ret) {
		mtree_erase(&proc->va, va);
		list_del_init(&map->node);
	}
	mutex_unlock(&proc->lock);
	if (!ret)
		vdsp_map_put(map);
	return ret;
}

/* The mapping holding all of [va, va + len), referenced; NULL if none */
struct vdsp_map *vdsp_proc_map_find(struct vdsp_proc *proc, u64 va, u64 len)
{
	struct vdsp_map *map;

	mutex_lock(&proc->lock);
	map = mtree_load(&proc->va, va);
	if (map && len > map->size - (va - map->va))
		map = NULL;
	if (map)
		kref_get(&map->ref);
	mutex_unlock(&proc->lock);
	return map;
}
