/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Imports: a dma-buf attached to, and mapped for, a client's context bank,
 * once per client and dma-buf however many maps use it. DMA-API debug
 * (rightly, for non-coherent memory) refuses two live mappings of the
 * same memory that the device may write, and one mapping is all the bank
 * needs.
 */
#ifndef FASTRPC_IMPORT_H
#define FASTRPC_IMPORT_H

#include <linux/list.h>

struct dma_buf;
struct dma_buf_attachment;
struct sg_table;
struct fastrpc_client;

struct fastrpc_import {
	struct list_head node;		/* in client->imports */
	unsigned int users;		/* under client->import_lock */
	struct fastrpc_client *cl;	/* holds a reference */
	struct dma_buf *dmabuf;		/* holds a reference */
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

/* The client's import of @dmabuf, made if need be; takes over its ref */
int fastrpc_import_get(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		       struct fastrpc_import **out);
void fastrpc_import_put(struct fastrpc_import *imp);

#endif /* FASTRPC_IMPORT_H */
