/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Imports: a dma-buf attached to, and mapped for, a context bank, once per
 * (dma-buf, bank) however many maps of however many clients use it. Two
 * live mappings of the same memory for one device are one too many (and
 * DMA-API debug, rightly for non-coherent memory, refuses them), and one
 * mapping is all the bank needs: clients sharing a bank share its stream.
 */
#ifndef FASTRPC_IMPORT_H
#define FASTRPC_IMPORT_H

#include <linux/list.h>

struct dma_buf;
struct dma_buf_attachment;
struct device;
struct sg_table;
struct fastrpc_client;

struct fastrpc_import {
	struct list_head node;		/* in channel->imports */
	unsigned int users;		/* under channel->import_lock */
	struct device *dev;		/* the bank's */
	struct fastrpc_client *cl;	/* the first user: holds its bank */
	struct dma_buf *dmabuf;		/* holds a reference */
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

/* The import of @dmabuf for the client's bank, made if need be; takes over its ref */
int fastrpc_import_get(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		       struct fastrpc_import **out);
void fastrpc_import_put(struct fastrpc_import *imp);

#endif /* FASTRPC_IMPORT_H */
