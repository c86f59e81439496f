// SPDX-License-Identifier: GPL-2.0
/*
 * One attachment and mapping per (dma-buf, context bank), shared by every
 * map of that buffer by every client on the bank: cached invoke arguments,
 * MEM_MAP, MMAP, a shell ELF passed by fd. The first user's client is held
 * until the mapping goes, and with it its session on the bank.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "client.h"
#include "fastrpc.h"
#include "import.h"

static struct fastrpc_import *import_find(struct fastrpc_client *cl,
					  struct dma_buf *dmabuf)
{
	struct fastrpc_import *imp;

	list_for_each_entry(imp, &cl->chan->imports, node)
		if (imp->dmabuf == dmabuf && imp->dev == cl->dev)
			return imp;
	return NULL;
}

static int import_new(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		      struct fastrpc_import **out)
{
	struct fastrpc_import *imp;
	struct sg_table *sgt;
	int err;

	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	if (!imp)
		return -ENOMEM;
	imp->attach = dma_buf_attach(dmabuf, cl->dev);
	if (IS_ERR(imp->attach)) {
		err = PTR_ERR(imp->attach);
		goto err_free;
	}
	sgt = dma_buf_map_attachment_unlocked(imp->attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		err = PTR_ERR(sgt);
		goto err_detach;
	}
	imp->sgt = sgt;
	imp->dmabuf = dmabuf;
	imp->users = 1;
	imp->dev = cl->dev;
	fastrpc_client_get(cl);
	imp->cl = cl;
	list_add(&imp->node, &cl->chan->imports);
	*out = imp;
	return 0;

err_detach:
	dma_buf_detach(dmabuf, imp->attach);
err_free:
	kfree(imp);
	return err;
}

int fastrpc_import_get(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		       struct fastrpc_import **out)
{
	struct fastrpc_import *imp;
	int err = 0;

	mutex_lock(&cl->chan->import_lock);
	imp = import_find(cl, dmabuf);
	if (imp) {
		imp->users++;
		*out = imp;
	} else {
		err = import_new(cl, dmabuf, out);
	}
	mutex_unlock(&cl->chan->import_lock);
	/* a new import keeps the caller's reference, a found one has its own */
	if (imp || err)
		dma_buf_put(dmabuf);
	return err;
}

void fastrpc_import_put(struct fastrpc_import *imp)
{
	struct fastrpc_client *cl = imp->cl;
	bool last;

	mutex_lock(&cl->chan->import_lock);
	last = !--imp->users;
	if (last) {
		/*
		 * Unmapped before the lock goes: a new import of the same
		 * dma-buf must not map it while this mapping still exists
		 */
		list_del(&imp->node);
		dma_buf_unmap_attachment_unlocked(imp->attach, imp->sgt,
						  DMA_BIDIRECTIONAL);
		dma_buf_detach(imp->dmabuf, imp->attach);
	}
	mutex_unlock(&cl->chan->import_lock);
	if (!last)
		return;
	dma_buf_put(imp->dmabuf);
	kfree(imp);
	fastrpc_client_put(cl);
}
