/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Payload buffers: the DMA memory that carries one invoke's metadata and
 * inline argument copies to the DSP. Each client keeps the ones it is done
 * with in a small cache, so that an invoke does not allocate DMA memory,
 * and the last one past the cache's sizes for its next call of that shape;
 * a shrinker frees the latter under memory pressure.
 */
#ifndef FASTRPC_PAYLOAD_H
#define FASTRPC_PAYLOAD_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

struct device;
struct fastrpc_client;

/* Cached sizes: 4 KiB << 0 .. 4 KiB << (FASTRPC_PAYLOAD_ORDERS - 1) */
#define FASTRPC_PAYLOAD_ORDERS	9

struct fastrpc_payload {
	struct list_head node;		/* in a free list of the cache */
	void *va;
	dma_addr_t dma;			/* valid once @mapped */
	size_t size;
	unsigned int order;
	/* Every byte outside the call's inline inputs is zero already */
	bool zeroed;
	/*
	 * In the bank's address space. A coherent payload is from its
	 * allocation. A paged one (@pages: one past the cache's sizes, on a
	 * bank behind an IOMMU) is allocated unzeroed and mapped only once
	 * its first call has written every byte (fastrpc_payload_map()), so
	 * that no stale memory is ever in the DSP's reach; until then it is
	 * only ever freed, never kept.
	 */
	bool mapped;
	struct page **pages;
	struct sg_table sgt;
};

/*
 * Under the client's lock: the free lists, and @bytes, which also counts
 * the payloads kept by the client's cached contexts; @large and its
 * counter, @closed
 */
struct fastrpc_payload_cache {
	struct list_head free[FASTRPC_PAYLOAD_ORDERS];
	size_t bytes;
	/*
	 * The client's last payload past the free lists' sizes, kept for its
	 * next call (payload_keep_large_kib). A call, the shrinker and
	 * teardown may each find it here, on different CPUs. Who may free
	 * it: whoever takes it out of here under the client's lock, and only
	 * once that lock is dropped; a call that takes it owns it as its
	 * payload. The shrinker frees what it took before its client can
	 * leave its list (fastrpc_payload_cache_unlist()), so never after
	 * teardown, when the bank may go.
	 */
	struct fastrpc_payload *large;
	u64 large_reuses;		/* calls that took @large as it was */
	bool closed;
	/* In the shrinker's list, from open to teardown (payload.c) */
	struct list_head keeper;
};

/* Largest payload of one physically contiguous allocation */
#define FASTRPC_PAYLOAD_CONTIG_MAX	(PAGE_SIZE << MAX_PAGE_ORDER)

/* Largest payload a bank's @dev can allocate (fastrpc_bank.payload_max) */
size_t fastrpc_payload_max(struct device *dev);

/* The shrinker of kept large payloads: from module init to exit */
int fastrpc_payload_init(void);
void fastrpc_payload_fini(void);

void fastrpc_payload_cache_init(struct fastrpc_payload_cache *cache);
/*
 * The client in the shrinker's list, before anyone else can find it; out
 * of it at teardown (after the close below), which waits out a scan that
 * is freeing its large payload. Unlisting twice is harmless.
 */
void fastrpc_payload_cache_list(struct fastrpc_client *cl);
void fastrpc_payload_cache_unlist(struct fastrpc_client *cl);
/*
 * Under the client's lock, at teardown: nothing is kept from now on (puts
 * free instead), what the free lists and the large slot held moves to
 * @drop, for fastrpc_payload_free_list() once the lock is dropped
 */
void fastrpc_payload_cache_close(struct fastrpc_client *cl,
				 struct list_head *drop);
/* Under the client's lock: what the client keeps, for fdinfo */
void fastrpc_payload_cache_stats(struct fastrpc_client *cl, u64 *bytes,
				 u64 *large_bytes, u64 *large_reuses);
void fastrpc_payload_free_list(struct fastrpc_client *cl,
			       struct list_head *list);

int fastrpc_payload_get(struct fastrpc_client *cl, size_t size,
			struct fastrpc_payload **out);
void fastrpc_payload_put(struct fastrpc_client *cl, struct fastrpc_payload *p);
void fastrpc_payload_free(struct fastrpc_client *cl, struct fastrpc_payload *p);
/*
 * A paged payload, filled, into the bank's address space: its first
 * call's, before the metadata that names its address is written
 */
int fastrpc_payload_map(struct fastrpc_client *cl, struct fastrpc_payload *p);
/*
 * Ownership of a paged payload's bytes between the CPU and the DSP
 * (streaming DMA): to the DSP after the CPU wrote it, before the send;
 * back before the CPU reads what the DSP wrote. Nothing for a coherent
 * one, the common call's, which pays only the test inline.
 */
void fastrpc_payload_paged_sync(struct fastrpc_client *cl,
				struct fastrpc_payload *p, bool for_device);

static inline void fastrpc_payload_sync_for_device(struct fastrpc_client *cl,
						   struct fastrpc_payload *p)
{
	if (p->pages)
		fastrpc_payload_paged_sync(cl, p, true);
}

static inline void fastrpc_payload_sync_for_cpu(struct fastrpc_client *cl,
						struct fastrpc_payload *p)
{
	if (p->pages)
		fastrpc_payload_paged_sync(cl, p, false);
}

/*
 * A payload for @size bytes in *@p: the one there if it is of that size
 * (no lock taken), else one from the cache, the old one going back to it
 */
int fastrpc_payload_reuse(struct fastrpc_client *cl, size_t size,
			  struct fastrpc_payload **p);
/*
 * Under the client's lock: may a cached context keep @p, within the
 * cache's budget (counted in it if so)? Unkeep when a call takes it back.
 */
bool fastrpc_payload_keep(struct fastrpc_client *cl, struct fastrpc_payload *p);
void fastrpc_payload_unkeep(struct fastrpc_client *cl, struct fastrpc_payload *p);
/*
 * Under the client's lock: @p, past the free lists' sizes and within
 * payload_keep_large_kib, becomes the client's large payload. Returns
 * what the caller frees once the lock is dropped: @p if it is not kept,
 * else the one it replaced, if any.
 */
struct fastrpc_payload *fastrpc_payload_keep_large(struct fastrpc_client *cl,
						   struct fastrpc_payload *p);

#endif /* FASTRPC_PAYLOAD_H */
