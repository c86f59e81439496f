// SPDX-License-Identifier: GPL-2.0
/*
 * One attachment and mapping per (dma-buf, context bank), shared by every
 * map of that buffer by every client on the bank: cached invoke arguments,
 * MEM_MAP, MMAP, a shell ELF passed by fd. The first user's client is held
 * until the mapping goes, and with it its session on the bank.
 *
 * How many banks may map one dma-buf at once is the exporter's business
 * as much as ours. Another exporter (the system heap, udmabuf) maps each
 * attachment with its own attributes, CPU cache maintenance included: a
 * second bank's mapping would clean or invalidate lines under the first
 * bank's DSP writing them, on non-coherent hardware a real corruption
 * (DMA-API debug reports the overlap), and no importer can ask another
 * exporter to skip that sync. So such a buffer is mapped for one bank at
 * a time: another bank gets EBUSY until the first one's last map goes.
 * Our own exporter syncs only a buffer's first mapping (mem.c), so its
 * buffers may be shared, by up to FASTRPC_MAX_BUF_BANKS banks.
 *
 * Banks of different channels (DSPs) may map the same buffer, so the list
 * and its lock are the driver's, not a channel's.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "client.h"
#include "fastrpc.h"
#include "import.h"
#include "mem.h"

/* Every import of every channel, and their use counts */
static DEFINE_MUTEX(fastrpc_import_lock);
static LIST_HEAD(fastrpc_imports);

/*
 * The import of @dmabuf for @dev, if any; *@nbanks: how many banks map
 * @dmabuf (one import each)
 */
static struct fastrpc_import *import_find(struct dma_buf *dmabuf,
					  struct device *dev,
					  unsigned int *nbanks)
{
	struct fastrpc_import *imp, *found = NULL;

	lockdep_assert_held(&fastrpc_import_lock);
	*nbanks = 0;
	list_for_each_entry(imp, &fastrpc_imports, node) {
		if (imp->dmabuf != dmabuf)
			continue;
		(*nbanks)++;
		if (imp->dev == dev)
			found = imp;
	}
	return found;
}

/* May @dmabuf, mapped for @nbanks banks, be mapped for one more? */
static bool import_has_room(struct dma_buf *dmabuf, unsigned int nbanks)
{
	if (!nbanks)
		return true;
	if (!fastrpc_dmabuf_is_ours(dmabuf))
		return false;
	return nbanks < FASTRPC_MAX_BUF_BANKS;
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
	list_add(&imp->node, &fastrpc_imports);
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
	unsigned int nbanks;
	int err = 0;

	mutex_lock(&fastrpc_import_lock);
	imp = import_find(dmabuf, cl->dev, &nbanks);
	if (imp) {
		imp->users++;
		*out = imp;
	} else if (!import_has_room(dmabuf, nbanks)) {
		err = -EBUSY;
	} else {
		err = import_new(cl, dmabuf, out);
	}
	mutex_unlock(&fastrpc_import_lock);
	/* a new import keeps the caller's reference, a found one has its own */
	if (imp || err)
		dma_buf_put(dmabuf);
	return err;
}

void fastrpc_import_put(struct fastrpc_import *imp)
{
	struct fastrpc_client *cl = imp->cl;
	bool last;

	mutex_lock(&fastrpc_import_lock);
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
	mutex_unlock(&fastrpc_import_lock);
	if (!last)
		return;
	dma_buf_put(imp->dmabuf);
	kfree(imp);
	fastrpc_client_put(cl);
}
