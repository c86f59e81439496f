// SPDX-License-Identifier: GPL-2.0
/*
 * One attachment and mapping per (dma-buf, context bank), shared by every
 * map of that buffer by every client on the bank: cached invoke arguments,
 * MEM_MAP, MMAP, a shell ELF passed by fd. The first user's client is held
 * until the mapping goes, and with it its session on the bank.
 *
 * How many banks may map one dma-buf at once is the exporter's business
 * as much as ours (fastrpc_buf_bank_room(), mem.c, says who may share):
 * another exporter's buffer is mapped for one bank at a time, ours for up
 * to FASTRPC_MAX_BUF_BANKS banks; one bank more gets EBUSY until a bank's
 * last map of it goes.
 *
 * Banks of different channels (DSPs) may map the same buffer, so the table
 * below is the driver's, not a channel's. It is hashed by dma-buf: all the
 * imports of one dma-buf are in one bucket, whose mutex alone decides
 * whether one more bank may map it, so calls on different dma-bufs never
 * wait for each other, and finding an import that exists takes no lock.
 *
 * Locking and lifetime of an import:
 *  - Listed and unlisted only under its bucket's mutex, which is held from
 *    the check that the dma-buf may be mapped for one more bank until the
 *    new import is listed, and from the drop of the last user until the
 *    mapping is gone and the import unlisted: the banks counted under it
 *    are exactly the banks that map the dma-buf, and a new import of it
 *    never maps it while an old mapping for the same bank still exists.
 *  - @users counts the maps that use the import. A lookup without the
 *    mutex (RCU) takes a user only while that count is not 0; one under
 *    the mutex always may (a listed import has users: dropping the last
 *    one takes the mutex, refcount_dec_and_mutex_lock()).
 *  - Freed by whoever drops the last user, fastrpc_import_put() from the
 *    release of the last map of it, whichever path that is: an invoke
 *    (its context's argument maps, or the DSP naming the fd in its fd
 *    list), an unmap (MUNMAP, MEM_UNMAP, FREE_DMA_BUFF), the client's
 *    close, a DSP restart (its clients' teardown, the orphans of clients
 *    whose release the DSP refused), and so rmmod, which removes every
 *    channel first. The memory goes after an RCU grace period, for the
 *    lookups that may still be reading it; the table is empty once the
 *    last channel is gone (fastrpc_import_fini()).
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/slab.h>

#include "client.h"
#include "fastrpc.h"
#include "import.h"
#include "mem.h"

/* Buckets of the driver's import table: 1 << this */
#define FASTRPC_IMPORT_HASH_BITS	7

struct import_bucket {
	struct mutex lock;		/* listing, unlisting, counting banks */
	struct hlist_head imports;	/* RCU: lookups read it without @lock */
};

static struct import_bucket fastrpc_imports[1 << FASTRPC_IMPORT_HASH_BITS];

static struct import_bucket *bucket_of(const struct dma_buf *dmabuf)
{
	return &fastrpc_imports[hash_ptr(dmabuf, FASTRPC_IMPORT_HASH_BITS)];
}

/* The import of @dmabuf for @dev with one more user, found without lock */
static struct fastrpc_import *import_find_rcu(struct import_bucket *b,
					      struct dma_buf *dmabuf,
					      struct device *dev)
{
	struct fastrpc_import *imp, *found = NULL;

	rcu_read_lock();
	hlist_for_each_entry_rcu(imp, &b->imports, node) {
		/* one going away has no users left: a new one may follow */
		if (imp->dmabuf == dmabuf && imp->dev == dev &&
		    refcount_inc_not_zero(&imp->users)) {
			found = imp;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * Under the bucket's mutex: the import of @dmabuf for @dev, if any;
 * *@nbanks: how many banks map @dmabuf (one import each)
 */
static struct fastrpc_import *import_find(struct import_bucket *b,
					  struct dma_buf *dmabuf,
					  struct device *dev,
					  unsigned int *nbanks)
{
	struct fastrpc_import *imp, *found = NULL;

	lockdep_assert_held(&b->lock);
	*nbanks = 0;
	hlist_for_each_entry(imp, &b->imports, node) {
		if (imp->dmabuf != dmabuf)
			continue;
		(*nbanks)++;
		if (imp->dev == dev)
			found = imp;
	}
	return found;
}

static int import_new(struct import_bucket *b, struct fastrpc_client *cl,
		      struct dma_buf *dmabuf, struct fastrpc_import **out)
{
	struct fastrpc_import *imp;
	struct sg_table *sgt;
	int err;

	lockdep_assert_held(&b->lock);
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
	refcount_set(&imp->users, 1);
	imp->dev = cl->dev;
	fastrpc_client_get(cl);
	imp->cl = cl;
	hlist_add_head_rcu(&imp->node, &b->imports);
	*out = imp;
	return 0;

err_detach:
	dma_buf_detach(dmabuf, imp->attach);
err_free:
	kfree(imp);
	return err;
}

/* Under the bucket's mutex: the import found, or a new one if there is room */
static int import_get_locked(struct import_bucket *b, struct fastrpc_client *cl,
			     struct dma_buf *dmabuf,
			     struct fastrpc_import **out)
{
	struct fastrpc_import *imp;
	unsigned int nbanks;
	int err;

	mutex_lock(&b->lock);
	imp = import_find(b, dmabuf, cl->dev, &nbanks);
	if (imp) {
		refcount_inc(&imp->users);
		*out = imp;
		err = 1;
	} else {
		err = fastrpc_buf_bank_room(nbanks,
					    fastrpc_dmabuf_is_ours(dmabuf)) ?:
		      import_new(b, cl, dmabuf, out);
	}
	mutex_unlock(&b->lock);
	return err;
}

int fastrpc_import_get(struct fastrpc_client *cl, struct dma_buf *dmabuf,
		       struct fastrpc_import **out)
{
	struct import_bucket *b = bucket_of(dmabuf);
	int err;

	*out = import_find_rcu(b, dmabuf, cl->dev);
	err = *out ? 1 : import_get_locked(b, cl, dmabuf, out);
	/* a new import keeps the caller's reference, a found one has its own */
	if (err)
		dma_buf_put(dmabuf);
	return err < 0 ? err : 0;
}

void fastrpc_import_put(struct fastrpc_import *imp)
{
	struct import_bucket *b = bucket_of(imp->dmabuf);

	if (!refcount_dec_and_mutex_lock(&imp->users, &b->lock))
		return;
	/*
	 * Unmapped before the mutex goes: a new import of the same dma-buf
	 * must not map it while this mapping still exists
	 */
	hlist_del_rcu(&imp->node);
	dma_buf_unmap_attachment_unlocked(imp->attach, imp->sgt,
					  DMA_BIDIRECTIONAL);
	dma_buf_detach(imp->dmabuf, imp->attach);
	mutex_unlock(&b->lock);
	dma_buf_put(imp->dmabuf);
	fastrpc_client_put(imp->cl);
	/* a lookup may still be comparing it, and failing to take a user */
	kfree_rcu(imp, rcu);
}

void fastrpc_import_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fastrpc_imports); i++) {
		mutex_init(&fastrpc_imports[i].lock);
		INIT_HLIST_HEAD(&fastrpc_imports[i].imports);
	}
}

void fastrpc_import_fini(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fastrpc_imports); i++) {
		WARN_ON(!hlist_empty(&fastrpc_imports[i].imports));
		mutex_destroy(&fastrpc_imports[i].lock);
	}
}
