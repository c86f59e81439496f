/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver buffers: memory the driver allocates for the DSP (remote heap
 * growth, a dynamic PD's init memory, the ELF it loads) or exports to
 * userspace as a dma-buf (ALLOC_DMA_BUFF). A buffer is a few physically
 * contiguous chunks, as large as the allocator gives, so it may be several
 * segments on the DSP side.
 */
#ifndef FASTRPC_MEM_H
#define FASTRPC_MEM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

struct device;
struct dma_buf;
struct fastrpc_call;
struct fastrpc_client;

struct fastrpc_chunk {
	struct page *page;
	unsigned int order;
};

struct fastrpc_buf {
	u32 id;				/* unique per driver load */
	u32 domain;			/* of the client that allocated it */
	size_t size;			/* bytes, a multiple of PAGE_SIZE */
	unsigned int nchunks;
	struct fastrpc_chunk *chunks;

	/* Driver use: mapped for one context bank */
	struct device *dev;
	struct sg_table sgt;

	/* Exported: the dma-buf and the client that allocated it */
	struct dma_buf *dmabuf;
	struct fastrpc_client *owner;	/* under fastrpc_buf_owner_lock */
	struct list_head owner_node;
	struct mutex lock;		/* @attachments, @nmapped, @vaddr, @vmap_count */
	struct list_head attachments;
	unsigned int nmapped;		/* attachments mapped */
	void *vaddr;
	unsigned int vmap_count;
};

/*
 * Banks one driver buffer may be mapped for at once (exported or the
 * remote heap with its views): DMA-API debug tracks a cacheline in at
 * most 1 + 7 overlapping mappings, and warns past that
 */
#define FASTRPC_MAX_BUF_BANKS	8

/* Driver use: allocate, map for @dev (DMA addresses in buf->sgt), free */
int fastrpc_buf_alloc(u32 domain, size_t size, struct fastrpc_buf **out);
int fastrpc_buf_map(struct fastrpc_buf *buf, struct device *dev);
int fastrpc_buf_map_view(struct fastrpc_buf *buf, struct device *dev,
			 struct sg_table *sgt);
void fastrpc_buf_free(struct fastrpc_buf *buf);
/* The user's @len bytes at @src into @buf: a copy in (uaccess.h) */
int fastrpc_buf_copy_from_user(struct fastrpc_call *call,
			       struct fastrpc_buf *buf,
			       const void __user *src, size_t len);

/* Was @dmabuf exported by this driver (ALLOC_DMA_BUFF)? */
bool fastrpc_dmabuf_is_ours(const struct dma_buf *dmabuf);

/*
 * May memory that @nbanks banks map be mapped for one more: 0 or -EBUSY.
 * @ours: the driver's (a buffer it exported, the remote heap), which up
 * to FASTRPC_MAX_BUF_BANKS banks may share; another exporter's dma-buf is
 * for one bank at a time. The one place both rules are decided.
 */
int fastrpc_buf_bank_room(unsigned int nbanks, bool ours);

/* The ioctls */
int fastrpc_ioctl_alloc_dma_buf(struct fastrpc_call *call);
int fastrpc_ioctl_free_dma_buf(struct fastrpc_call *call);

/* The client is closing: its buffers live on with their fds, unowned */
void fastrpc_buf_disown_all(struct fastrpc_client *cl);
void fastrpc_buf_client_stats(struct fastrpc_client *cl, u64 *count,
			      u64 *bytes);

#endif /* FASTRPC_MEM_H */
