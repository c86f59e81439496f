// SPDX-License-Identifier: GPL-2.0
/*
 * Maps: dma-bufs imported for a client's context bank and driver buffers
 * mapped for it, and the page lists the wire describes them with.
 *
 * Invoke arguments passed by fd are imported once per client and cached:
 * the DSP keeps a buffer mapped until it names the fd in a response's fd
 * list, so the import stays until then, until the user unmaps or frees
 * that buffer, or until the client closes. The cache holds a dma-buf
 * reference, so a dma-buf cannot be freed and its address reused while
 * it is cached.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "import.h"
#include "map.h"
#include "mem.h"
#include "payload.h"

static atomic_t fastrpc_map_ids = ATOMIC_INIT(0);

static struct fastrpc_map *map_new(enum fastrpc_map_kind kind, int fd,
				   bool secure)
{
	struct fastrpc_map *map = kzalloc(sizeof(*map), GFP_KERNEL);

	if (!map)
		return NULL;
	kref_init(&map->ref);
	INIT_LIST_HEAD(&map->node);
	map->id = atomic_inc_return(&fastrpc_map_ids);
	map->kind = kind;
	map->fd = fd;
	map->secure = secure;
	return map;
}

static void map_release(struct kref *ref)
{
	struct fastrpc_map *map = container_of(ref, struct fastrpc_map, ref);

	if (map->import) {
		trace_fastrpc_map_release(map->domain, map->tgid,
					  map->client_id, map->id, map->fd,
					  map->raddr, map->size, map->kind);
		fastrpc_import_put(map->import);
	}
	if (map->view_dev) {
		dma_unmap_sgtable(map->view_dev, &map->view_sgt,
				  DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
		sg_free_table(&map->view_sgt);
		put_device(map->view_dev);
	}
	fastrpc_map_put(map->parent);
	fastrpc_buf_free(map->buf);
	kfree(map);
}

void fastrpc_map_get(struct fastrpc_map *map)
{
	kref_get(&map->ref);
}

void fastrpc_map_put(struct fastrpc_map *map)
{
	if (map)
		kref_put(&map->ref, map_release);
}

/* Takes over the caller's reference to @dmabuf */
static int map_attach(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		      int fd, enum fastrpc_map_kind kind, bool secure,
		      struct fastrpc_map **out)
{
	struct fastrpc_map *map;
	int err;

	map = map_new(kind, fd, secure);
	if (!map) {
		dma_buf_put(dmabuf);
		return -ENOMEM;
	}
	err = fastrpc_import_get(cl, dmabuf, &map->import);
	if (err) {
		kfree(map);
		return err;
	}
	map->dmabuf = map->import->dmabuf;
	map->sgt = map->import->sgt;
	map->sid = cl->bank->sid;
	map->size = map->dmabuf->size;
	map->domain = cl->chan->domain;
	map->tgid = cl->tgid;
	map->client_id = cl->id;
	trace_fastrpc_map_import(cl->chan->domain, cl->tgid, cl->id, map->id,
				 fd, 0, map->size, kind);
	*out = map;
	return 0;
}

int fastrpc_map_import(struct fastrpc_client *cl, int fd,
		       enum fastrpc_map_kind kind, bool secure,
		       struct fastrpc_map **out)
{
	struct dma_buf *dmabuf;

	if (fd < 0)
		return -EBADF;
	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	return map_attach(cl, dmabuf, fd, kind, secure, out);
}

int fastrpc_map_from_buf(struct fastrpc_client *cl, struct fastrpc_buf *buf,
			 enum fastrpc_map_kind kind, struct fastrpc_map **out)
{
	struct fastrpc_map *map;
	int err;

	map = map_new(kind, -1, false);
	if (!map)
		return -ENOMEM;
	err = fastrpc_buf_map(buf, cl->dev);
	if (err) {
		kfree(map);
		return err;
	}
	map->buf = buf;
	map->sgt = &buf->sgt;
	map->sid = cl->bank->sid;
	map->size = buf->size;
	*out = map;
	return 0;
}

/*
 * The pages of @parent (a driver buffer's map) as the client's bank sees
 * them: one more DMA mapping, for memory that several banks' processes
 * share (the remote heap). The view holds @parent.
 */
int fastrpc_map_view(struct fastrpc_client *cl, struct fastrpc_map *parent,
		     struct fastrpc_map **out)
{
	struct fastrpc_map *map;
	int err;

	if (!parent->buf)
		return -EINVAL;
	map = map_new(FASTRPC_MAP_KERNEL, -1, false);
	if (!map)
		return -ENOMEM;
	err = fastrpc_buf_map_view(parent->buf, cl->dev, &map->view_sgt);
	if (err) {
		kfree(map);
		return err;
	}
	map->view_dev = get_device(cl->dev);
	map->sgt = &map->view_sgt;
	map->sid = cl->bank->sid;
	map->size = parent->size;
	fastrpc_map_get(parent);
	map->parent = parent;
	*out = map;
	return 0;
}

static struct fastrpc_map *cached_lookup(struct fastrpc_client *cl,
					 struct dma_buf *dmabuf, bool secure,
					 int fd)
{
	struct fastrpc_map *map;

	list_for_each_entry(map, &cl->maps, node) {
		if (map->kind == FASTRPC_MAP_INVOKE && map->dmabuf == dmabuf &&
		    map->secure == secure) {
			kref_get(&map->ref);
			map->fd = fd;
			return map;
		}
	}
	return NULL;
}

int fastrpc_map_get_cached(struct fastrpc_client *cl, struct dma_buf *dmabuf,
			   int fd, bool secure, struct fastrpc_map **out)
{
	struct fastrpc_map *map, *found;
	int err;

	spin_lock(&cl->lock);
	found = cached_lookup(cl, dmabuf, secure, fd);
	spin_unlock(&cl->lock);
	if (found) {
		dma_buf_put(dmabuf);
		*out = found;
		return 0;
	}

	get_dma_buf(dmabuf);	/* for the lookup below */
	err = map_attach(cl, dmabuf, fd, FASTRPC_MAP_INVOKE, secure, &map);
	if (err) {
		dma_buf_put(dmabuf);
		return err;
	}
	/* Another thread may have imported it meanwhile: keep one */
	spin_lock(&cl->lock);
	found = cached_lookup(cl, dmabuf, secure, fd);
	if (!found && !cl->torn_down) {
		map->listed = true;
		list_add_tail(&map->node, &cl->maps);
		kref_get(&map->ref);
	}
	spin_unlock(&cl->lock);
	dma_buf_put(dmabuf);
	if (found) {
		fastrpc_map_put(map);
		map = found;
	}
	*out = map;
	return 0;
}

void fastrpc_map_list(struct fastrpc_client *cl, struct fastrpc_map *map)
{
	spin_lock(&cl->lock);
	map->listed = true;
	list_add_tail(&map->node, &cl->maps);
	kref_get(&map->ref);
	spin_unlock(&cl->lock);
}

void fastrpc_map_unlist(struct fastrpc_client *cl, struct fastrpc_map *map)
{
	bool was_listed;

	spin_lock(&cl->lock);
	was_listed = map->listed;
	if (was_listed) {
		list_del_init(&map->node);
		map->listed = false;
	}
	spin_unlock(&cl->lock);
	if (was_listed)
		fastrpc_map_put(map);
}

struct fastrpc_map *fastrpc_map_find_remote(struct fastrpc_client *cl,
					    enum fastrpc_map_kind kind,
					    u64 raddr, u64 len, int fd)
{
	struct fastrpc_map *map, *found = NULL;

	spin_lock(&cl->lock);
	list_for_each_entry(map, &cl->maps, node) {
		if (map->kind == kind && map->raddr == raddr &&
		    (!len || map->len == len) && (fd == -1 || map->fd == fd)) {
			kref_get(&map->ref);
			found = map;
			break;
		}
	}
	spin_unlock(&cl->lock);
	return found;
}

/* Moves the maps that @match picks off the client's list onto @drop */
static void unlist_matching(struct fastrpc_client *cl, struct list_head *drop,
			    bool (*match)(struct fastrpc_map *map,
					  const void *key),
			    const void *key)
{
	struct fastrpc_map *map, *tmp;

	spin_lock(&cl->lock);
	list_for_each_entry_safe(map, tmp, &cl->maps, node) {
		if (match(map, key)) {
			list_move_tail(&map->node, drop);
			map->listed = false;
		}
	}
	spin_unlock(&cl->lock);
}

static void put_dropped(struct list_head *drop)
{
	struct fastrpc_map *map, *tmp;

	list_for_each_entry_safe(map, tmp, drop, node) {
		list_del_init(&map->node);
		fastrpc_map_put(map);
	}
}

static bool match_cached_fd(struct fastrpc_map *map, const void *key)
{
	return map->kind == FASTRPC_MAP_INVOKE && map->fd == *(const int *)key;
}

static bool match_cached_dmabuf(struct fastrpc_map *map, const void *key)
{
	return map->kind == FASTRPC_MAP_INVOKE && map->dmabuf == key;
}

static bool match_any(struct fastrpc_map *map, const void *key)
{
	return true;
}

void fastrpc_map_release_fd(struct fastrpc_client *cl, int fd)
{
	LIST_HEAD(drop);

	unlist_matching(cl, &drop, match_cached_fd, &fd);
	put_dropped(&drop);
}

void fastrpc_map_drop_cached(struct fastrpc_client *cl,
			     struct dma_buf *dmabuf)
{
	LIST_HEAD(drop);

	unlist_matching(cl, &drop, match_cached_dmabuf, dmabuf);
	put_dropped(&drop);
}

void fastrpc_map_release_all(struct fastrpc_client *cl)
{
	LIST_HEAD(drop);

	unlist_matching(cl, &drop, match_any, NULL);
	put_dropped(&drop);
}

/* What the DSP may still reach: its maps, and invoke buffers not in fdlist */
static bool match_dsp_visible(struct fastrpc_map *map, const void *key)
{
	return map->kind != FASTRPC_MAP_KERNEL;
}

static unsigned int channel_max_orphan_kib = 256 * 1024;
module_param(channel_max_orphan_kib, uint, 0644);
MODULE_PARM_DESC(channel_max_orphan_kib,
		 "Memory a channel keeps for processes the DSP never released before it refuses new ones, KiB (default 262144)");

/* Under chan->lock: @list joins the orphans, counted */
static void orphans_add(struct fastrpc_channel *chan, struct list_head *list)
{
	struct fastrpc_map *map;

	lockdep_assert_held(&chan->lock);
	list_for_each_entry(map, list, node) {
		chan->orphan_bytes += map->size;
		chan->norphans++;
	}
	list_splice_tail_init(list, &chan->orphans);
}

void fastrpc_map_orphan(struct fastrpc_channel *chan, struct fastrpc_map *map)
{
	LIST_HEAD(one);

	if (!map)
		return;
	list_add_tail(&map->node, &one);
	spin_lock(&chan->lock);
	orphans_add(chan, &one);
	spin_unlock(&chan->lock);
}

void fastrpc_map_orphan_all(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;
	LIST_HEAD(keep);

	unlist_matching(cl, &keep, match_dsp_visible, NULL);
	spin_lock(&chan->lock);
	orphans_add(chan, &keep);
	spin_unlock(&chan->lock);
	fastrpc_map_release_all(cl);
}

void fastrpc_map_release_orphans(struct fastrpc_channel *chan)
{
	LIST_HEAD(drop);

	spin_lock(&chan->lock);
	list_splice_init(&chan->orphans, &drop);
	chan->orphan_bytes = 0;
	chan->norphans = 0;
	spin_unlock(&chan->lock);
	put_dropped(&drop);
}

/*
 * Orphaned memory is freed only when the DSP goes down: past the bound, a
 * channel takes no new process (so no new orphans) until it does.
 */
int fastrpc_map_orphans_check(struct fastrpc_channel *chan)
{
	u64 limit = (u64)READ_ONCE(channel_max_orphan_kib) * SZ_1K;
	int err = 0;

	spin_lock(&chan->lock);
	if (chan->orphan_bytes >= limit && chan->norphans)
		err = -ENOSPC;
	spin_unlock(&chan->lock);
	return err;
}

bool fastrpc_map_on_dsp(struct fastrpc_client *cl, struct dma_buf *dmabuf)
{
	struct fastrpc_map *map;
	bool found = false;

	spin_lock(&cl->lock);
	list_for_each_entry(map, &cl->maps, node) {
		if (map->kind != FASTRPC_MAP_INVOKE && map->dmabuf == dmabuf) {
			found = true;
			break;
		}
	}
	spin_unlock(&cl->lock);
	return found;
}

void fastrpc_map_client_stats(struct fastrpc_client *cl, u64 *count,
			      u64 *bytes)
{
	struct fastrpc_map *map;

	*count = 0;
	*bytes = 0;
	spin_lock(&cl->lock);
	list_for_each_entry(map, &cl->maps, node) {
		(*count)++;
		*bytes += map->kind == FASTRPC_MAP_INVOKE ? map->size : map->len;
	}
	spin_unlock(&cl->lock);
}

u64 fastrpc_map_user_offset(struct dma_buf *dmabuf, u64 ptr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 off = 0;

	if (!ptr || !mm)
		return 0;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, ptr);
	if (vma && vma->vm_file == dmabuf->file)
		off = ptr - vma->vm_start + ((u64)vma->vm_pgoff << PAGE_SHIFT);
	mmap_read_unlock(mm);
	return off;
}

/*
 * One page entry per DMA-contiguous run of [@off, @off + @len), adjacent
 * segments merged, tagged with the bank's stream id; entries are whole
 * pages (wire.h). Only the
 * range's first and last byte may sit inside a page: a segment boundary
 * inside the range that is not page aligned cannot be described.
 */
static int map_walk(struct fastrpc_map *map, u64 off, u64 len,
		    struct fastrpc_phy_page *pages)
{
	u64 pos = 0, end = off + len, prev_end = 0;
	struct scatterlist *sg;
	unsigned int i;
	int n = 0;

	if (!len)
		return 0;
	if (end < off || end > map->size)
		return -EINVAL;
	for_each_sgtable_dma_sg(map->sgt, sg, i) {
		u64 seg = sg_dma_len(sg), s, e, a, b;

		if (pos >= end)
			break;
		if (pos + seg <= off) {
			pos += seg;
			continue;
		}
		s = max(off, pos);
		e = min(end, pos + seg);
		a = sg_dma_address(sg) + (s - pos);
		b = a + (e - s);
		if ((s != off && !PAGE_ALIGNED(a)) ||
		    (e != end && !PAGE_ALIGNED(b)))
			return -EINVAL;
		a = ALIGN_DOWN(a, PAGE_SIZE);
		b = ALIGN(b, PAGE_SIZE);
		if (n && prev_end == a) {
			if (pages)
				pages[n - 1].size += b - a;
		} else {
			if (pages) {
				pages[n].addr = FASTRPC_DSP_ADDR(map->sid, a);
				pages[n].size = b - a;
			}
			n++;
		}
		prev_end = b;
		pos += seg;
	}
	return pos < end ? -EINVAL : n;
}

int fastrpc_map_count_pages(struct fastrpc_map *map, u64 off, u64 len)
{
	return map_walk(map, off, len, NULL);
}

void fastrpc_map_fill_pages(struct fastrpc_map *map, u64 off, u64 len,
			    struct fastrpc_phy_page *pages)
{
	map_walk(map, off, len, pages);
}

int fastrpc_map_page_list(struct fastrpc_map *map, u64 off, u64 len,
			  struct fastrpc_phy_page **pages)
{
	int n = map_walk(map, off, len, NULL);

	if (n <= 0)
		return n ? n : -EINVAL;
	/*
	 * It travels inline in a payload: longer than a contiguous payload
	 * holds (the least any bank takes) is no buffer to map
	 */
	if (n > FASTRPC_PAYLOAD_CONTIG_MAX / sizeof(**pages))
		return -E2BIG;
	*pages = kvmalloc_array(n, sizeof(**pages), GFP_KERNEL);
	if (!*pages)
		return -ENOMEM;
	map_walk(map, off, len, *pages);
	return n;
}

u64 fastrpc_map_dma(struct fastrpc_map *map, u64 off)
{
	struct scatterlist *sg;
	u64 pos = 0;
	unsigned int i;

	for_each_sgtable_dma_sg(map->sgt, sg, i) {
		if (off < pos + sg_dma_len(sg))
			return FASTRPC_DSP_ADDR(map->sid,
						sg_dma_address(sg) + (off - pos));
		pos += sg_dma_len(sg);
	}
	return 0;
}
