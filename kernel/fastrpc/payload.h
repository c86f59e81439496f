/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Payload buffers: the DMA memory that carries one invoke's metadata and
 * inline argument copies to the DSP. Each client keeps the ones it is done
 * with in a small cache, so that an invoke does not allocate DMA memory.
 */
#ifndef FASTRPC_PAYLOAD_H
#define FASTRPC_PAYLOAD_H

#include <linux/list.h>
#include <linux/types.h>

struct fastrpc_client;

/* Cached sizes: 4 KiB << 0 .. 4 KiB << (FASTRPC_PAYLOAD_ORDERS - 1) */
#define FASTRPC_PAYLOAD_ORDERS	9

struct fastrpc_payload {
	struct list_head node;		/* in the cache while free */
	void *va;
	dma_addr_t dma;
	size_t size;
	unsigned int order;
};

/* Under the client's lock */
struct fastrpc_payload_cache {
	struct list_head free[FASTRPC_PAYLOAD_ORDERS];
	size_t bytes;
	bool closed;
};

/* Largest payload: one physically contiguous allocation */
size_t fastrpc_payload_max(void);

void fastrpc_payload_cache_init(struct fastrpc_payload_cache *cache);
/* Frees what is cached; later puts free instead of caching */
void fastrpc_payload_cache_close(struct fastrpc_client *cl);

int fastrpc_payload_get(struct fastrpc_client *cl, size_t size,
			struct fastrpc_payload **out);
void fastrpc_payload_put(struct fastrpc_client *cl, struct fastrpc_payload *p);

#endif /* FASTRPC_PAYLOAD_H */
