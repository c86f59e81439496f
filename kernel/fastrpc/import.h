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
#include <linux/rcupdate.h>
#include <linux/refcount.h>

struct dma_buf;
struct dma_buf_attachment;
struct device;
struct sg_table;
struct fastrpc_client;

/*
 * In the driver's table, hashed by dma-buf (import.c says how it is locked
 * and who frees it): freed by the fastrpc_import_put() that drops @users
 * to 0, which unlists it under its bucket's mutex first, after an RCU
 * grace period.
 */
struct fastrpc_import {
	struct hlist_node node;		/* in its bucket of the table */
	refcount_t users;		/* maps using it */
	struct rcu_head rcu;
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

/* Module load: the empty table; unload: it is empty again */
void fastrpc_import_init(void);
void fastrpc_import_fini(void);

#endif /* FASTRPC_IMPORT_H */
