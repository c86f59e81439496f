// SPDX-License-Identifier: GPL-2.0
/*
 * Payload buffers and the per-client cache of them.
 *
 * The in-tree driver allocates coherent DMA memory for every invoke and
 * frees it afterwards. Here a client keeps the payloads it is done with,
 * up to payload_cache_kib bytes in all, so that the common invoke reuses
 * memory that is already allocated and mapped for its context bank: each
 * context the client keeps for reuse keeps the payload of its last call
 * (invoke.c), the others wait in one free list per power-of-two size.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "fastrpc.h"
#include "payload.h"

static unsigned int payload_cache_kib = 1024;
module_param(payload_cache_kib, uint, 0644);
MODULE_PARM_DESC(payload_cache_kib,
		 "Payload buffers a client keeps for reuse, in KiB (0: none)");

/*
 * Behind an IOMMU that the DMA API drives (a compute bank's SMMU on an
 * SoC, the vdsp's here), dma_alloc_coherent() builds a buffer of separate
 * pages, contiguous only in the bank's address space and in the kernel's
 * vmalloc space, which is all a payload needs (wire.h: one range of the
 * bank). Without one, the buffer is one contiguous allocation.
 */
size_t fastrpc_payload_max(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (domain && iommu_is_dma_domain(domain))
		return SIZE_MAX;
	return FASTRPC_PAYLOAD_CONTIG_MAX;
}

void fastrpc_payload_cache_init(struct fastrpc_payload_cache *cache)
{
	int i;

	for (i = 0; i < FASTRPC_PAYLOAD_ORDERS; i++)
		INIT_LIST_HEAD(&cache->free[i]);
	cache->bytes = 0;
	cache->closed = false;
}

void fastrpc_payload_free(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	dma_free_coherent(cl->dev, p->size, p->va, p->dma);
	kfree(p);
}

static int payload_alloc(struct fastrpc_client *cl, size_t size,
			 unsigned int order, struct fastrpc_payload **out)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct fastrpc_payload *p;

	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->order = order;
	/*
	 * A size the cache keeps is allocated whole, for any call of its
	 * order. A larger one is allocated for one call and freed after it:
	 * only its pages, as zeroing and mapping cost by the page; and it
	 * fails (ENOMEM) rather than wake the OOM killer, as a caller asks
	 * for up to its whole in-flight budget at once.
	 */
	if (order < FASTRPC_PAYLOAD_ORDERS) {
		p->size = PAGE_SIZE << order;
	} else {
		p->size = PAGE_ALIGN(size);
		gfp |= __GFP_RETRY_MAYFAIL;
	}
	p->va = dma_alloc_coherent(cl->dev, p->size, &p->dma, gfp);
	if (!p->va) {
		kfree(p);
		return -ENOMEM;
	}
	/* the DMA API zeroes it */
	p->zeroed = true;
	*out = p;
	return 0;
}

int fastrpc_payload_get(struct fastrpc_client *cl, size_t size,
			struct fastrpc_payload **out)
{
	unsigned int order;

	if (size > cl->bank->payload_max)
		return -E2BIG;
	order = get_order(size);
	if (order < FASTRPC_PAYLOAD_ORDERS) {
		struct list_head *free = &cl->cache.free[order];

		spin_lock(&cl->lock);
		*out = list_first_entry_or_null(free, struct fastrpc_payload,
						node);
		if (*out) {
			list_del(&(*out)->node);
			cl->cache.bytes -= (*out)->size;
		}
		spin_unlock(&cl->lock);
		if (*out)
			return 0;
	}
	return payload_alloc(cl, size, order, out);
}

int fastrpc_payload_reuse(struct fastrpc_client *cl, size_t size,
			  struct fastrpc_payload **p)
{
	if (*p && size <= (*p)->size && (*p)->order == get_order(size))
		return 0;
	if (*p)
		fastrpc_payload_put(cl, *p);
	*p = NULL;
	return fastrpc_payload_get(cl, size, p);
}

bool fastrpc_payload_keep(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	size_t budget = (size_t)READ_ONCE(payload_cache_kib) * SZ_1K;

	lockdep_assert_held(&cl->lock);
	if (p->order >= FASTRPC_PAYLOAD_ORDERS || cl->cache.closed ||
	    cl->cache.bytes + p->size > budget)
		return false;
	cl->cache.bytes += p->size;
	return true;
}

void fastrpc_payload_unkeep(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	lockdep_assert_held(&cl->lock);
	cl->cache.bytes -= p->size;
}

void fastrpc_payload_put(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	bool cached;

	spin_lock(&cl->lock);
	cached = fastrpc_payload_keep(cl, p);
	if (cached)
		list_add(&p->node, &cl->cache.free[p->order]);
	spin_unlock(&cl->lock);
	if (!cached)
		fastrpc_payload_free(cl, p);
}

void fastrpc_payload_cache_close(struct fastrpc_client *cl,
				 struct list_head *drop)
{
	int i;

	lockdep_assert_held(&cl->lock);
	cl->cache.closed = true;
	for (i = 0; i < FASTRPC_PAYLOAD_ORDERS; i++)
		list_splice_init(&cl->cache.free[i], drop);
	cl->cache.bytes = 0;
}

void fastrpc_payload_free_list(struct fastrpc_client *cl,
			       struct list_head *list)
{
	struct fastrpc_payload *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, node)
		fastrpc_payload_free(cl, p);
}
