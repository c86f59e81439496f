/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Imports: a dma-buf attached to, and mapped for, a context bank, once per
 * (dma-buf, bank) however many maps of however many clients use it. Two
 * live mappings of the same memory for one device are one too many (and
 * DMA-API debug, rightly for non-coherent memory, refuses them), and one
 * mapping is all the bank needs: clients sharing a bank share its stream.
 *
 * Across banks (of any channel) a dma-buf of another exporter is mapped
 * for one bank at a time, one of ours for at most FASTRPC_MAX_BUF_BANKS
 * (mem.h): EBUSY past that (import.c says why).
 */
#ifndef FASTRPC_IMPORT_H
#define FASTRPC_IMPORT_H

#include <linux/list.h>

struct dma_buf;
struct dma_buf_attachment;
struct device;
struct sg_table;
struct fastrpc_client;

/*
 * Found and counted only under fastrpc_import_lock (import.c); freed by
 * the fastrpc_import_put() that drops @users to 0, which unlists it under
 * that lock first, so no lookup can find it afterwards.
 */
struct fastrpc_import {
	struct list_head node;		/* in the driver's import list */
	unsigned int users;		/* under fastrpc_import_lock */
	struct device *dev;		/* the bank's */
	struct fastrpc_client *cl;	/* the first user: holds its bank */
	struct dma_buf *dmabuf;		/* holds a reference */
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

/*
 * The import of @dmabuf for the client's bank, made if need be; takes
 * over the caller's reference to @dmabuf. EBUSY: mapped for as many other
 * banks as it may be.
 */
int fastrpc_import_get(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		       struct fastrpc_import **out);
void fastrpc_import_put(struct fastrpc_import *imp);

#endif /* FASTRPC_IMPORT_H */
