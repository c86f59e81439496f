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
 *
 * A payload past those sizes (more than 1 MiB) would be allocated, zeroed,
 * mapped page by page and freed for every call; the zeroing alone was a
 * third of a 1 MiB echo's busy time (docs/PERFORMANCE.md). So each client
 * also keeps its last such payload, up to payload_keep_large_kib, for its
 * next call that it fits; a shrinker gives those back under memory
 * pressure, since the budget is per client, not per system. Behind an
 * IOMMU such a payload is built here from unzeroed pages and mapped once
 * its first call has filled it (paged_alloc()), so that the inputs' part
 * is never zeroed only to be overwritten.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "fastrpc.h"
#include "payload.h"

static unsigned int payload_cache_kib = 1024;
module_param(payload_cache_kib, uint, 0644);
MODULE_PARM_DESC(payload_cache_kib,
		 "Payload buffers a client keeps for reuse, in KiB (0: none)");

/* 4 MiB: a 1 MiB in, 1 MiB out call's payload, not a 16 MiB one's */
static unsigned int payload_keep_large_kib = 4096;
module_param(payload_keep_large_kib, uint, 0644);
MODULE_PARM_DESC(payload_keep_large_kib,
		 "Largest payload past the cache's sizes a client keeps for its next call, in KiB (0: none)");

/*
 * The clients whose large payload the shrinker may free, and the pages
 * those payloads hold. A scan holds the mutex across each free, so that a
 * client leaving the list waits for the free of its payload to end.
 * Reclaim takes it: nothing allocates memory under it.
 */
static DEFINE_MUTEX(keepers_lock);
static LIST_HEAD(keepers);
static atomic_long_t kept_pages = ATOMIC_LONG_INIT(0);
static struct shrinker *payload_shrinker;

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
	cache->large = NULL;
	cache->large_reuses = 0;
	cache->closed = false;
	INIT_LIST_HEAD(&cache->keeper);
}

void fastrpc_payload_cache_list(struct fastrpc_client *cl)
{
	mutex_lock(&keepers_lock);
	list_add_tail(&cl->cache.keeper, &keepers);
	mutex_unlock(&keepers_lock);
}

void fastrpc_payload_cache_unlist(struct fastrpc_client *cl)
{
	mutex_lock(&keepers_lock);
	list_del_init(&cl->cache.keeper);
	mutex_unlock(&keepers_lock);
}

static void pages_free(struct page **pages, unsigned long n)
{
	while (n)
		__free_page(pages[--n]);
}

static void paged_free(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	if (p->mapped)
		dma_unmap_sgtable(cl->dev, &p->sgt, DMA_BIDIRECTIONAL, 0);
	vunmap(p->va);
	sg_free_table(&p->sgt);
	pages_free(p->pages, p->size >> PAGE_SHIFT);
	kvfree(p->pages);
}

void fastrpc_payload_free(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	if (p->pages)
		paged_free(cl, p);
	else
		dma_free_coherent(cl->dev, p->size, p->va, p->dma);
	kfree(p);
}

/*
 * @n pages, unzeroed, in runs as long as the allocator gives cheaply (a
 * high order is tried once, without retrying; a failed order is not tried
 * again for this payload), split so that each page is freed on its own.
 * Long runs make fewer allocations and fewer segments to map.
 */
static int pages_alloc(struct page **pages, unsigned long n, gfp_t gfp)
{
	gfp_t high_gfp = (gfp & ~__GFP_RETRY_MAYFAIL) | __GFP_NORETRY;
	unsigned int order = MAX_PAGE_ORDER;
	unsigned long i = 0, j;
	struct page *page;

	while (i < n) {
		order = min_t(unsigned int, order, ilog2(n - i));
		for (;;) {
			page = alloc_pages(order ? high_gfp : gfp, order);
			if (page || !order)
				break;
			order--;
		}
		if (!page) {
			pages_free(pages, i);
			return -ENOMEM;
		}
		if (order)
			split_page(page, order);
		for (j = 0; j < (1UL << order); j++)
			pages[i++] = page + j;
	}
	return 0;
}

/*
 * A payload past the cache's sizes on a bank behind an IOMMU, as
 * dma_alloc_coherent() would build it there (separate pages, one range
 * of the kernel's and later of the bank's addresses) but not zeroed and
 * not yet mapped: most of a large payload is inputs, which the call's
 * copy overwrites anyway, and zeroing them was a third of a 16 MiB inline
 * call's time (docs/PERFORMANCE.md).
 */
static int paged_alloc(struct fastrpc_payload *p, gfp_t gfp)
{
	unsigned long n = p->size >> PAGE_SHIFT;
	int err = -ENOMEM;

	p->pages = kvmalloc_array(n, sizeof(*p->pages), GFP_KERNEL);
	if (!p->pages)
		return -ENOMEM;
	if (pages_alloc(p->pages, n, gfp))
		goto err_array;
	err = sg_alloc_table_from_pages(&p->sgt, p->pages, n, 0, p->size,
					GFP_KERNEL);
	if (err)
		goto err_pages;
	p->va = vmap(p->pages, n, VM_MAP, PAGE_KERNEL);
	if (!p->va) {
		err = -ENOMEM;
		goto err_table;
	}
	/* neither mapped nor zeroed: left false by payload_alloc()'s kzalloc */
	return 0;

err_table:
	sg_free_table(&p->sgt);
err_pages:
	pages_free(p->pages, n);
err_array:
	kvfree(p->pages);
	p->pages = NULL;
	return err;
}

static int coherent_alloc(struct fastrpc_client *cl,
			  struct fastrpc_payload *p, gfp_t gfp)
{
	p->va = dma_alloc_coherent(cl->dev, p->size, &p->dma, gfp);
	if (!p->va)
		return -ENOMEM;
	/* the DMA API zeroes it and maps it */
	p->zeroed = true;
	p->mapped = true;
	return 0;
}

static int payload_alloc(struct fastrpc_client *cl, size_t size,
			 unsigned int order, struct fastrpc_payload **out)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct fastrpc_payload *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
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
		err = coherent_alloc(cl, p, gfp);
	} else {
		p->size = PAGE_ALIGN(size);
		gfp |= __GFP_RETRY_MAYFAIL;
		/* behind an IOMMU the DMA API drives (fastrpc_payload_max()) */
		if (cl->bank->payload_max == SIZE_MAX)
			err = paged_alloc(p, gfp);
		else
			err = coherent_alloc(cl, p, gfp);
	}
	if (err) {
		kfree(p);
		return err;
	}
	*out = p;
	return 0;
}

/*
 * The IOMMU maps a list of whole pages at one range of addresses; the
 * list's DMA segments are checked to follow each other all the same, as
 * the wire gives the DSP one address for the payload (wire.h).
 */
int fastrpc_payload_map(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	struct scatterlist *sg;
	dma_addr_t next;
	int err;
	u32 i;

	err = dma_map_sgtable(cl->dev, &p->sgt, DMA_BIDIRECTIONAL, 0);
	if (err)
		return err;
	next = sg_dma_address(p->sgt.sgl);
	p->dma = next;
	for_each_sgtable_dma_sg(&p->sgt, sg, i) {
		if (sg_dma_address(sg) != next)
			goto err_unmap;
		next += sg_dma_len(sg);
	}
	if (next - p->dma != p->size)
		goto err_unmap;
	p->mapped = true;
	return 0;

err_unmap:
	dev_warn_once(cl->dev, "payload mapped in pieces; large inline calls fail\n");
	dma_unmap_sgtable(cl->dev, &p->sgt, DMA_BIDIRECTIONAL, 0);
	return -ENOMEM;
}

void fastrpc_payload_paged_sync(struct fastrpc_client *cl,
				struct fastrpc_payload *p, bool for_device)
{
	if (for_device)
		dma_sync_sgtable_for_device(cl->dev, &p->sgt,
					    DMA_BIDIRECTIONAL);
	else
		dma_sync_sgtable_for_cpu(cl->dev, &p->sgt, DMA_BIDIRECTIONAL);
}

static bool payload_is_large(const struct fastrpc_payload *p)
{
	return p->order >= FASTRPC_PAYLOAD_ORDERS;
}

static size_t keep_large_max(void)
{
	return (size_t)READ_ONCE(payload_keep_large_kib) * SZ_1K;
}

/*
 * Does the kept payload @p serve a call of @size bytes? It must hold it
 * and be at most twice its size (in pages): a kept payload then never
 * holds more than twice what the call in flight needs, the bound the free
 * lists' power-of-two sizes have too, and a client whose calls shrink gives
 * the larger memory back instead of pinning it. Within that, the size costs
 * the call nothing: only the call's own outputs are cleared (copy_in()).
 */
static bool large_fits(const struct fastrpc_payload *p, size_t size)
{
	size = PAGE_ALIGN(size);
	return p->size >= size && p->size / 2 <= size &&
	       p->size <= keep_large_max();
}

/* Under the client's lock: the large payload out of its slot, if any */
static struct fastrpc_payload *large_detach(struct fastrpc_client *cl)
{
	struct fastrpc_payload *p = cl->cache.large;

	lockdep_assert_held(&cl->lock);
	if (p) {
		cl->cache.large = NULL;
		atomic_long_sub(p->size >> PAGE_SHIFT, &kept_pages);
	}
	return p;
}

/*
 * The kept large payload, if it serves a call of @size bytes; one that
 * does not is freed first, so that the call's new one does not come on
 * top of it
 */
static struct fastrpc_payload *large_take(struct fastrpc_client *cl,
					  size_t size)
{
	struct fastrpc_payload *p;
	bool fits;

	spin_lock(&cl->lock);
	p = large_detach(cl);
	fits = p && large_fits(p, size);
	if (fits)
		cl->cache.large_reuses++;
	spin_unlock(&cl->lock);
	if (fits)
		return p;
	if (p)
		fastrpc_payload_free(cl, p);
	return NULL;
}

/* A payload of @order from its free list, if it has one */
static struct fastrpc_payload *free_take(struct fastrpc_client *cl,
					 unsigned int order)
{
	struct fastrpc_payload *p;

	spin_lock(&cl->lock);
	p = list_first_entry_or_null(&cl->cache.free[order],
				     struct fastrpc_payload, node);
	if (p) {
		list_del(&p->node);
		cl->cache.bytes -= p->size;
	}
	spin_unlock(&cl->lock);
	return p;
}

int fastrpc_payload_get(struct fastrpc_client *cl, size_t size,
			struct fastrpc_payload **out)
{
	unsigned int order;

	if (size > cl->bank->payload_max)
		return -E2BIG;
	order = get_order(size);
	if (order < FASTRPC_PAYLOAD_ORDERS)
		*out = free_take(cl, order);
	else
		*out = large_take(cl, size);
	if (*out)
		return 0;
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

/*
 * The most recent payload replaces the one kept: a client's calls repeat
 * their shapes, so the last call's is the likeliest to fit the next.
 */
struct fastrpc_payload *fastrpc_payload_keep_large(struct fastrpc_client *cl,
						   struct fastrpc_payload *p)
{
	struct fastrpc_payload *old;

	lockdep_assert_held(&cl->lock);
	if (!payload_is_large(p) || !p->mapped || cl->cache.closed ||
	    p->size > keep_large_max())
		return p;
	old = large_detach(cl);
	cl->cache.large = p;
	atomic_long_add(p->size >> PAGE_SHIFT, &kept_pages);
	return old;
}

void fastrpc_payload_put(struct fastrpc_client *cl, struct fastrpc_payload *p)
{
	struct fastrpc_payload *drop = NULL;

	spin_lock(&cl->lock);
	if (fastrpc_payload_keep(cl, p))
		list_add(&p->node, &cl->cache.free[p->order]);
	else
		drop = fastrpc_payload_keep_large(cl, p);
	spin_unlock(&cl->lock);
	if (drop)
		fastrpc_payload_free(cl, drop);
}

void fastrpc_payload_cache_close(struct fastrpc_client *cl,
				 struct list_head *drop)
{
	struct fastrpc_payload *large;
	int i;

	lockdep_assert_held(&cl->lock);
	cl->cache.closed = true;
	for (i = 0; i < FASTRPC_PAYLOAD_ORDERS; i++)
		list_splice_init(&cl->cache.free[i], drop);
	cl->cache.bytes = 0;
	large = large_detach(cl);
	if (large)
		list_add(&large->node, drop);
}

void fastrpc_payload_cache_stats(struct fastrpc_client *cl, u64 *bytes,
				 u64 *large_bytes, u64 *large_reuses)
{
	lockdep_assert_held(&cl->lock);
	*large_bytes = cl->cache.large ? cl->cache.large->size : 0;
	*bytes = cl->cache.bytes + *large_bytes;
	*large_reuses = cl->cache.large_reuses;
}

void fastrpc_payload_free_list(struct fastrpc_client *cl,
			       struct list_head *list)
{
	struct fastrpc_payload *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, node)
		fastrpc_payload_free(cl, p);
}

static unsigned long payload_shrink_count(struct shrinker *s,
					  struct shrink_control *sc)
{
	return atomic_long_read(&kept_pages) ?: SHRINK_EMPTY;
}

/*
 * Frees kept large payloads, whole, until @sc's pages are reached. A kept
 * payload is idle: a call takes it out of its slot before it uses it. Each
 * client goes to the list's tail as it is looked at, so that reclaim works
 * its way round all of them.
 */
static unsigned long payload_shrink_scan(struct shrinker *s,
					 struct shrink_control *sc)
{
	struct fastrpc_client *cl;
	struct fastrpc_payload *p;
	unsigned long freed = 0;
	size_t n;

	mutex_lock(&keepers_lock);
	for (n = list_count_nodes(&keepers); n && freed < sc->nr_to_scan; n--) {
		cl = list_first_entry(&keepers, struct fastrpc_client,
				      cache.keeper);
		list_move_tail(&cl->cache.keeper, &keepers);
		spin_lock(&cl->lock);
		p = large_detach(cl);
		spin_unlock(&cl->lock);
		if (!p)
			continue;
		freed += p->size >> PAGE_SHIFT;
		fastrpc_payload_free(cl, p);
	}
	mutex_unlock(&keepers_lock);
	return freed;
}

/*
 * Tells lockdep from the start that reclaim takes keepers_lock, not only
 * once memory runs short: an allocation under it is then reported on its
 * first run. Nothing without CONFIG_LOCKDEP.
 */
static void keepers_lockdep_prime(void)
{
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&keepers_lock);
	fs_reclaim_release(GFP_KERNEL);
}

int fastrpc_payload_init(void)
{
	keepers_lockdep_prime();
	payload_shrinker = shrinker_alloc(0, "fastrpc-payload");
	if (!payload_shrinker)
		return -ENOMEM;
	payload_shrinker->count_objects = payload_shrink_count;
	payload_shrinker->scan_objects = payload_shrink_scan;
	shrinker_register(payload_shrinker);
	return 0;
}

/*
 * Waits for a scan still running: none runs, nor starts, afterwards. The
 * module calls it first on unload, while the channels and their clients
 * are still there; each client leaves the list at its own teardown.
 */
void fastrpc_payload_fini(void)
{
	shrinker_free(payload_shrinker);
}
