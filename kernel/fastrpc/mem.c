// SPDX-License-Identifier: GPL-2.0
/*
 * Driver buffers and the driver as a dma-buf exporter.
 *
 * Memory comes from the page allocator in chunks of 1 MiB, 64 KiB or one
 * page, largest first, zeroed. There is no IOMMU in front of the DSP here,
 * so a buffer reaches the DSP as one physical segment per chunk; a DMA
 * mapping per device (a context bank, or whoever attaches to an exported
 * buffer) gives the addresses.
 *
 * Exported buffers (ALLOC_DMA_BUFF) are owned by the client that allocated
 * them until FREE_DMA_BUFF or until that client closes; the memory itself
 * goes when the dma-buf's last reference does, as for any dma-buf.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "misc/fastrpc.h"

#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "map.h"
#include "mem.h"
#include "uaccess.h"

/* Owner links of exported buffers; innermost lock of the driver */
static DEFINE_SPINLOCK(fastrpc_buf_owner_lock);
static atomic_t fastrpc_buf_ids = ATOMIC_INIT(0);

static const unsigned int fastrpc_chunk_orders[] = { 8, 4, 0 };

/* An importer's view of an exported buffer: its own sg table */
struct fastrpc_attachment {
	struct list_head node;
	struct device *dev;
	struct sg_table sgt;
	bool mapped;
	unsigned long attrs;	/* of its mapping */
};

static struct page *chunk_alloc(size_t remaining, unsigned int *order)
{
	/* A user's request: charge it, and fail it rather than OOM-kill */
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
		    __GFP_RETRY_MAYFAIL;
	struct page *page;
	int i;

	for (i = 0; i < ARRAY_SIZE(fastrpc_chunk_orders); i++) {
		unsigned int o = fastrpc_chunk_orders[i];

		if ((PAGE_SIZE << o) > remaining)
			continue;
		/* Large chunks are a bonus: do not reclaim hard for them */
		page = alloc_pages(o ? (gfp & ~__GFP_RETRY_MAYFAIL) |
				   __GFP_NORETRY : gfp, o);
		if (page) {
			*order = o;
			return page;
		}
	}
	return NULL;
}

static void chunks_free(struct fastrpc_buf *buf)
{
	unsigned int i;

	for (i = 0; i < buf->nchunks; i++)
		__free_pages(buf->chunks[i].page, buf->chunks[i].order);
	kvfree(buf->chunks);
}

static int chunks_alloc(struct fastrpc_buf *buf)
{
	size_t npages = buf->size >> PAGE_SHIFT, left = buf->size;

	buf->chunks = kvmalloc_array(npages, sizeof(*buf->chunks), GFP_KERNEL);
	if (!buf->chunks)
		return -ENOMEM;
	while (left) {
		struct fastrpc_chunk *c = &buf->chunks[buf->nchunks];

		if (fatal_signal_pending(current))
			goto fail;
		c->page = chunk_alloc(left, &c->order);
		if (!c->page)
			goto fail;
		buf->nchunks++;
		left -= PAGE_SIZE << c->order;
	}
	return 0;
fail:
	chunks_free(buf);
	buf->chunks = NULL;
	buf->nchunks = 0;
	return -ENOMEM;
}

static int chunks_to_sgt(struct fastrpc_buf *buf, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;
	int err;

	err = sg_alloc_table(sgt, buf->nchunks, GFP_KERNEL);
	if (err)
		return err;
	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, buf->chunks[i].page,
			    PAGE_SIZE << buf->chunks[i].order, 0);
	return 0;
}

int fastrpc_buf_alloc(u32 domain, size_t size, struct fastrpc_buf **out)
{
	struct fastrpc_buf *buf;
	int err;

	if (!size || size > (totalram_pages() << PAGE_SHIFT))
		return size ? -ENOMEM : -EINVAL;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->id = atomic_inc_return(&fastrpc_buf_ids);
	buf->domain = domain;
	buf->size = PAGE_ALIGN(size);
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->attachments);
	INIT_LIST_HEAD(&buf->owner_node);
	err = chunks_alloc(buf);
	if (err) {
		mutex_destroy(&buf->lock);
		kfree(buf);
		return err;
	}
	trace_fastrpc_buf_alloc(buf->domain, buf->id, buf->size);
	*out = buf;
	return 0;
}

int fastrpc_buf_map(struct fastrpc_buf *buf, struct device *dev)
{
	int err;

	err = chunks_to_sgt(buf, &buf->sgt);
	if (err)
		return err;
	err = dma_map_sgtable(dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	if (err) {
		sg_free_table(&buf->sgt);
		return err;
	}
	buf->dev = get_device(dev);
	return 0;
}

/*
 * @buf's pages mapped for one more bank, @dev, into @sgt (the caller's).
 * Cache maintenance stays with the buffer's own mapping (buf->sgt): the
 * view skips it, which also tells DMA-API debugging that the overlap with
 * that mapping is meant.
 */
int fastrpc_buf_map_view(struct fastrpc_buf *buf, struct device *dev,
			 struct sg_table *sgt)
{
	int err;

	err = chunks_to_sgt(buf, sgt);
	if (err)
		return err;
	err = dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL,
			      DMA_ATTR_SKIP_CPU_SYNC);
	if (err)
		sg_free_table(sgt);
	return err;
}

void fastrpc_buf_free(struct fastrpc_buf *buf)
{
	if (!buf)
		return;
	trace_fastrpc_buf_free(buf->domain, buf->id, buf->size);
	if (buf->dev) {
		dma_unmap_sgtable(buf->dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(&buf->sgt);
		put_device(buf->dev);
	}
	chunks_free(buf);
	mutex_destroy(&buf->lock);
	kfree(buf);
}

int fastrpc_buf_copy_from_user(struct fastrpc_call *call,
			       struct fastrpc_buf *buf,
			       const void __user *src, size_t len)
{
	unsigned int i;
	int err;

	if (len > buf->size)
		return -EINVAL;
	for (i = 0; i < buf->nchunks && len; i++) {
		size_t n = min_t(size_t, len, PAGE_SIZE << buf->chunks[i].order);

		err = fastrpc_copy_in(call, page_address(buf->chunks[i].page),
				      src, n);
		if (err)
			return err;
		src += n;
		len -= n;
	}
	return 0;
}

/* dma-buf exporter */

static int fastrpc_dmabuf_attach(struct dma_buf *dmabuf,
				 struct dma_buf_attachment *attachment)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	struct fastrpc_attachment *a;
	int err;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	err = chunks_to_sgt(buf, &a->sgt);
	if (err) {
		kfree(a);
		return err;
	}
	a->dev = attachment->dev;
	attachment->priv = a;
	mutex_lock(&buf->lock);
	list_add(&a->node, &buf->attachments);
	mutex_unlock(&buf->lock);
	return 0;
}

static void fastrpc_dmabuf_detach(struct dma_buf *dmabuf,
				  struct dma_buf_attachment *attachment)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	struct fastrpc_attachment *a = attachment->priv;

	mutex_lock(&buf->lock);
	list_del(&a->node);
	mutex_unlock(&buf->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

static struct sg_table *
fastrpc_dmabuf_map(struct dma_buf_attachment *attachment,
		   enum dma_data_direction dir)
{
	struct fastrpc_buf *buf = attachment->dmabuf->priv;
	struct fastrpc_attachment *a = attachment->priv;
	int err;

	/*
	 * Cache maintenance is the buffer's, not each device's: the first
	 * mapping does it, begin/end_cpu_access do it for them all. The
	 * others skip it, so that mapping the buffer for one more device
	 * (another bank) never cleans or invalidates lines under a device
	 * writing it; DMA-API debug then also knows the overlap is meant.
	 */
	mutex_lock(&buf->lock);
	a->attrs = buf->dev || buf->nmapped ? DMA_ATTR_SKIP_CPU_SYNC : 0;
	err = dma_map_sgtable(attachment->dev, &a->sgt, dir, a->attrs);
	if (!err) {
		a->mapped = true;
		buf->nmapped++;
	}
	mutex_unlock(&buf->lock);
	return err ? ERR_PTR(err) : &a->sgt;
}

static void fastrpc_dmabuf_unmap(struct dma_buf_attachment *attachment,
				 struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	struct fastrpc_buf *buf = attachment->dmabuf->priv;
	struct fastrpc_attachment *a = attachment->priv;

	mutex_lock(&buf->lock);
	a->mapped = false;
	buf->nmapped--;
	dma_unmap_sgtable(attachment->dev, sgt, dir, a->attrs);
	mutex_unlock(&buf->lock);
}

static int fastrpc_dmabuf_begin_cpu(struct dma_buf *dmabuf,
				    enum dma_data_direction dir)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	struct fastrpc_attachment *a;

	mutex_lock(&buf->lock);
	if (buf->vmap_count)
		invalidate_kernel_vmap_range(buf->vaddr, buf->size);
	list_for_each_entry(a, &buf->attachments, node)
		if (a->mapped)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, dir);
	mutex_unlock(&buf->lock);
	return 0;
}

static int fastrpc_dmabuf_end_cpu(struct dma_buf *dmabuf,
				  enum dma_data_direction dir)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	struct fastrpc_attachment *a;

	mutex_lock(&buf->lock);
	if (buf->vmap_count)
		flush_kernel_vmap_range(buf->vaddr, buf->size);
	list_for_each_entry(a, &buf->attachments, node)
		if (a->mapped)
			dma_sync_sgtable_for_device(a->dev, &a->sgt, dir);
	mutex_unlock(&buf->lock);
	return 0;
}

static int fastrpc_dmabuf_mmap(struct dma_buf *dmabuf,
			       struct vm_area_struct *vma)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	unsigned long addr = vma->vm_start, skip = vma->vm_pgoff;
	unsigned int i;
	int err;

	for (i = 0; i < buf->nchunks && addr < vma->vm_end; i++) {
		unsigned long npages = 1UL << buf->chunks[i].order, len;

		if (skip >= npages) {
			skip -= npages;
			continue;
		}
		len = min((npages - skip) << PAGE_SHIFT, vma->vm_end - addr);
		err = remap_pfn_range(vma, addr,
				      page_to_pfn(buf->chunks[i].page) + skip,
				      len, vma->vm_page_prot);
		if (err)
			return err;
		addr += len;
		skip = 0;
	}
	return 0;
}

static int fastrpc_dmabuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct fastrpc_buf *buf = dmabuf->priv;
	size_t npages = buf->size >> PAGE_SHIFT, n = 0;
	struct page **pages;
	unsigned int i, j;
	int err = 0;

	mutex_lock(&buf->lock);
	if (buf->vmap_count)
		goto done;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < buf->nchunks; i++)
		for (j = 0; j < (1U << buf->chunks[i].order); j++)
			pages[n++] = nth_page(buf->chunks[i].page, j);
	buf->vaddr = vmap(pages, npages, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!buf->vaddr) {
		err = -ENOMEM;
		goto out;
	}
done:
	buf->vmap_count++;
	iosys_map_set_vaddr(map, buf->vaddr);
out:
	mutex_unlock(&buf->lock);
	return err;
}

static void fastrpc_dmabuf_vunmap(struct dma_buf *dmabuf,
				  struct iosys_map *map)
{
	struct fastrpc_buf *buf = dmabuf->priv;

	mutex_lock(&buf->lock);
	if (!--buf->vmap_count) {
		vunmap(buf->vaddr);
		buf->vaddr = NULL;
	}
	mutex_unlock(&buf->lock);
	iosys_map_clear(map);
}

static void buf_disown(struct fastrpc_buf *buf)
{
	spin_lock(&fastrpc_buf_owner_lock);
	if (buf->owner) {
		list_del_init(&buf->owner_node);
		buf->owner = NULL;
	}
	spin_unlock(&fastrpc_buf_owner_lock);
}

static void fastrpc_dmabuf_release(struct dma_buf *dmabuf)
{
	struct fastrpc_buf *buf = dmabuf->priv;

	trace_fastrpc_buf_release(buf->domain, buf->id, buf->size);
	buf_disown(buf);
	buf->dmabuf = NULL;
	fastrpc_buf_free(buf);
}

static const struct dma_buf_ops fastrpc_dmabuf_ops = {
	.attach = fastrpc_dmabuf_attach,
	.detach = fastrpc_dmabuf_detach,
	.map_dma_buf = fastrpc_dmabuf_map,
	.unmap_dma_buf = fastrpc_dmabuf_unmap,
	.begin_cpu_access = fastrpc_dmabuf_begin_cpu,
	.end_cpu_access = fastrpc_dmabuf_end_cpu,
	.mmap = fastrpc_dmabuf_mmap,
	.vmap = fastrpc_dmabuf_vmap,
	.vunmap = fastrpc_dmabuf_vunmap,
	.release = fastrpc_dmabuf_release,
};

bool fastrpc_dmabuf_is_ours(const struct dma_buf *dmabuf)
{
	return dmabuf->ops == &fastrpc_dmabuf_ops;
}

/*
 * Another exporter (the system heap, udmabuf) maps each attachment with
 * its own attributes, CPU cache maintenance included: a second bank's
 * mapping would clean or invalidate lines under the first bank's DSP
 * writing them, on non-coherent hardware a real corruption (DMA-API debug
 * reports the overlap), and no importer can ask another exporter to skip
 * that sync. Our own exporter syncs only a buffer's first mapping (see
 * fastrpc_dmabuf_map()), the remote heap's views skip it too, so ours may
 * be shared, as far as DMA-API debug can track one cacheline.
 */
int fastrpc_buf_bank_room(unsigned int nbanks, bool ours)
{
	if (!nbanks)
		return 0;
	if (!ours)
		return -EBUSY;
	return nbanks < FASTRPC_MAX_BUF_BANKS ? 0 : -EBUSY;
}

int fastrpc_ioctl_alloc_dma_buf(struct fastrpc_call *call)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp);
	struct fastrpc_alloc_dma_buf *req = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_buf *buf;
	struct dma_buf *dmabuf;
	int fd, err;

	if (req->flags)
		return -EINVAL;
	err = fastrpc_buf_alloc(cl->chan->domain, req->size, &buf);
	if (err)
		return err;

	exp.ops = &fastrpc_dmabuf_ops;
	exp.size = buf->size;
	exp.flags = O_RDWR;
	exp.priv = buf;
	dmabuf = dma_buf_export(&exp);
	if (IS_ERR(dmabuf)) {
		fastrpc_buf_free(buf);
		return PTR_ERR(dmabuf);
	}
	buf->dmabuf = dmabuf;
	spin_lock(&fastrpc_buf_owner_lock);
	buf->owner = cl;
	list_add_tail(&buf->owner_node, &cl->bufs);
	spin_unlock(&fastrpc_buf_owner_lock);

	/* Install the fd only once the caller has its number */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		dma_buf_put(dmabuf);
		return fd;
	}
	req->fd = fd;
	if (fastrpc_call_copy_back(call)) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	/* before the fd exists: it may be closed as soon as it does */
	trace_fastrpc_buf_export(cl->chan->domain, cl->tgid, cl->id, buf->id,
				 fd, buf->size);
	fd_install(fd, dmabuf->file);
	return 0;
}

int fastrpc_ioctl_free_dma_buf(struct fastrpc_call *call)
{
	struct fastrpc_client *cl = call->cl;
	u32 fd = *(u32 *)call->arg;
	struct fastrpc_buf *buf;
	struct dma_buf *dmabuf;
	int err = 0;

	if (fd > INT_MAX)
		return -EBADF;
	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	if (!fastrpc_dmabuf_is_ours(dmabuf)) {
		err = -EINVAL;
		goto out;
	}
	buf = dmabuf->priv;

	err = mutex_lock_killable(&cl->mutex);
	if (err)
		goto out;
	spin_lock(&fastrpc_buf_owner_lock);
	if (buf->owner != cl)
		err = -EINVAL;
	spin_unlock(&fastrpc_buf_owner_lock);
	if (!err && fastrpc_map_on_dsp(cl, dmabuf))
		err = -EBUSY;
	if (!err) {
		fastrpc_map_drop_cached(cl, dmabuf);
		buf_disown(buf);
	}
	mutex_unlock(&cl->mutex);
out:
	dma_buf_put(dmabuf);
	return err;
}

void fastrpc_buf_disown_all(struct fastrpc_client *cl)
{
	struct fastrpc_buf *buf, *tmp;

	spin_lock(&fastrpc_buf_owner_lock);
	list_for_each_entry_safe(buf, tmp, &cl->bufs, owner_node) {
		list_del_init(&buf->owner_node);
		buf->owner = NULL;
	}
	spin_unlock(&fastrpc_buf_owner_lock);
}

void fastrpc_buf_client_stats(struct fastrpc_client *cl, u64 *count,
			      u64 *bytes)
{
	struct fastrpc_buf *buf;

	*count = 0;
	*bytes = 0;
	spin_lock(&fastrpc_buf_owner_lock);
	list_for_each_entry(buf, &cl->bufs, owner_node) {
		(*count)++;
		*bytes += buf->size;
	}
	spin_unlock(&fastrpc_buf_owner_lock);
}
