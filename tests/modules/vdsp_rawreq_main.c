// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: raw FastRPC requests sent straight to a vdsp domain's rpmsg
 * device, with no FastRPC driver in between (ABI: vdsp_rawreq.h). A test
 * describes a request through /sys/kernel/debug/vdsp_rawreq/req; this
 * module lays its payload out in real pages as a driver would, applies the
 * test's mutations (what a broken driver might send), sends it on its own
 * endpoint of that domain and hands back the response and the outputs.
 * This file: endpoints, sending and waiting, debugfs; vdsp_rawreq_build.c:
 * the request's memory.
 *
 * A request that times out keeps its memory until its response comes or
 * the module goes (its endpoints' destruction fences the vdsp), so the DSP
 * never writes into freed pages; so do the pages given to the DSP to map
 * (VDSP_RAWARG_PAGES). /sys/kernel/debug/vdsp_rawreq/stray counts
 * responses that matched no request (a corrupted ctx); writing to
 * release_kept unmaps and frees the pages given to the DSP to map at
 * once, as a driver that frees memory the DSP still maps would, so that a
 * test can watch the DSP's SMMU refuse the next access to them.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rpmsg.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <fastrpc/vdsp_rawreq.h>
#include <fastrpc/wire.h>

#include "vdsp_rawreq.h"

#define RAWREQ_TIMEOUT_MS	10000
#define RAWREQ_MAX_KEPT		4096

static const char *const rawreq_labels[RAWREQ_DOMAINS] = {
	"adsp", "mdsp", "sdsp", "cdsp",
};

/* Our endpoint on each domain's current rpmsg device */
struct rawreq_chan {
	struct rpmsg_device *rpdev;
	struct rpmsg_endpoint *ept;
};

/* Pages handed to the DSP to map, kept until unload (or release_kept) */
struct rawreq_kept {
	struct list_head node;
	struct device *dev;	/* the bank they are mapped for */
	dma_addr_t *dma;
	unsigned int n;
	struct page *pages[] __counted_by(n);
};

static DEFINE_MUTEX(rawreq_lock);	/* rawreq_chans, rawreq_kept */
static struct rawreq_chan rawreq_chans[RAWREQ_DOMAINS];
static LIST_HEAD(rawreq_kept);
static DEFINE_SPINLOCK(rawreq_wlock);	/* rawreq_waiters, call state */
static LIST_HEAD(rawreq_waiters);
static atomic64_t rawreq_next_ctx;
static atomic64_t rawreq_stray;
static struct dentry *rawreq_dir;

static int rawreq_cb(struct rpmsg_device *rpdev, void *data, int len,
		     void *priv, u32 src)
{
	const struct fastrpc_wire_rsp *rsp = data;
	struct rawreq_call *c, *orphan = NULL;
	bool matched = false;

	if (len < (int)offsetofend(struct fastrpc_wire_rsp, retval)) {
		atomic64_inc(&rawreq_stray);
		return 0;
	}
	spin_lock(&rawreq_wlock);
	list_for_each_entry(c, &rawreq_waiters, node) {
		if (c->ctx != rsp->ctx)
			continue;
		list_del_init(&c->node);
		c->retval = rsp->retval;
		c->rsp_ctx = rsp->ctx;
		c->answered = true;
		/* A waiter may free @c as soon as it is completed */
		if (c->abandoned)
			orphan = c;
		else
			complete(&c->done);
		matched = true;
		break;
	}
	spin_unlock(&rawreq_wlock);
	if (!matched)
		atomic64_inc(&rawreq_stray);
	if (orphan)
		rawreq_call_free(orphan);
	return 0;
}

static void rawreq_chan_close(struct rawreq_chan *ch)
{
	if (ch->ept)
		rpmsg_destroy_ept(ch->ept);
	if (ch->rpdev)
		put_device(&ch->rpdev->dev);
	ch->ept = NULL;
	ch->rpdev = NULL;
}

static int rawreq_domain(const char *label)
{
	int d;

	for (d = 0; d < RAWREQ_DOMAINS; d++)
		if (!strcmp(label, rawreq_labels[d]))
			return d;
	return -EINVAL;
}

/* Our endpoint on @label's rpmsg device, made anew after a DSP restart */
static struct rpmsg_endpoint *rawreq_ept(const char *label)
{
	struct rpmsg_channel_info chinfo = {
		.name = "vdsp-rawreq",
		.src = RPMSG_ADDR_ANY,
		.dst = RPMSG_ADDR_ANY,
	};
	struct rpmsg_endpoint *ept;
	struct rpmsg_device *rpdev;
	struct rawreq_chan *ch;
	int d = rawreq_domain(label);

	if (d < 0)
		return ERR_PTR(d);
	ch = &rawreq_chans[d];
	rpdev = vdsp_rpdev_get(label);
	if (!rpdev)
		return ERR_PTR(-ENODEV);
	mutex_lock(&rawreq_lock);
	if (ch->rpdev != rpdev) {
		rawreq_chan_close(ch);
		ch->rpdev = rpdev;
		rpdev = NULL;
		ch->ept = rpmsg_create_ept(ch->rpdev, rawreq_cb, NULL, chinfo);
	}
	ept = ch->ept ? ch->ept : ERR_PTR(-ENOMEM);
	mutex_unlock(&rawreq_lock);
	if (rpdev)
		put_device(&rpdev->dev);
	return ept;
}

/* Parse the test's description; @args point into @buf */
static int rawreq_parse(const u8 *buf, size_t len, struct vdsp_rawreq *hdr,
			struct rawreq_arg **argsp, struct vdsp_rawreq_mut **mutsp)
{
	struct rawreq_arg *args;
	size_t off = sizeof(*hdr);
	u64 total = 0;
	u32 i;

	if (len < sizeof(*hdr))
		return -EINVAL;
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->magic != VDSP_RAWREQ_MAGIC ||
	    hdr->nargs > VDSP_RAWREQ_MAX_ARGS ||
	    hdr->nmuts > VDSP_RAWREQ_MAX_MUTS ||
	    hdr->repeat > VDSP_RAWREQ_MAX_REPEAT ||
	    !memchr(hdr->domain, '\0', sizeof(hdr->domain)))
		return -EINVAL;
	args = kcalloc(max(hdr->nargs, 1U), sizeof(*args), GFP_KERNEL);
	if (!args)
		return -ENOMEM;
	for (i = 0; i < hdr->nargs; i++) {
		if (len - off < sizeof(args[i].d))
			goto bad;
		memcpy(&args[i].d, buf + off, sizeof(args[i].d));
		off += sizeof(args[i].d);
		total += args[i].d.len;
		if (args[i].d.data_len > args[i].d.len ||
		    args[i].d.offset >= PAGE_SIZE ||
		    total > VDSP_RAWREQ_MAX_BYTES ||
		    len - off < ALIGN(args[i].d.data_len, 8))
			goto bad;
		args[i].data = buf + off;
		off += ALIGN(args[i].d.data_len, 8);
	}
	if (len - off != hdr->nmuts * sizeof(**mutsp))
		goto bad;
	*mutsp = (struct vdsp_rawreq_mut *)(buf + off);
	*argsp = args;
	return 0;
bad:
	kfree(args);
	return -EINVAL;
}

/*
 * A VDSP_RAWARG_PAGES argument: fresh pages, kept until unload, and the
 * phy_page array naming them as the argument's data.
 */
static void rawreq_kept_free(struct rawreq_kept *kept)
{
	unsigned int k;

	for (k = 0; k < kept->n && kept->pages[k]; k++) {
		dma_unmap_page(kept->dev, kept->dma[k], PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
		__free_page(kept->pages[k]);
	}
	kfree(kept->dma);
	kfree(kept);
}

static int rawreq_make_pages(struct rawreq_arg *a, struct device *dev,
			     u32 sid)
{
	struct fastrpc_phy_page *pg;
	struct rawreq_kept *kept;
	u64 n = a->d.len / sizeof(*pg), k, j;
	u8 *va;

	if (!n || a->d.len % sizeof(*pg) || n > RAWREQ_MAX_KEPT)
		return -EINVAL;
	kept = kzalloc(struct_size(kept, pages, n), GFP_KERNEL);
	pg = kcalloc(n, sizeof(*pg), GFP_KERNEL);
	if (!kept || !pg)
		goto nomem;
	kept->n = n;
	kept->dev = dev;
	kept->dma = kcalloc(n, sizeof(*kept->dma), GFP_KERNEL);
	if (!kept->dma)
		goto nomem;
	for (k = 0; k < n; k++) {
		kept->pages[k] = alloc_page(GFP_KERNEL);
		if (!kept->pages[k])
			goto nomem;
		va = page_address(kept->pages[k]);
		for (j = 0; j < PAGE_SIZE; j++)
			va[j] = ((k * PAGE_SIZE + j) * 7 + 3) & 0xff;
		kept->dma[k] = dma_map_page(dev, kept->pages[k], 0, PAGE_SIZE,
					    DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, kept->dma[k])) {
			__free_page(kept->pages[k]);
			kept->pages[k] = NULL;
			goto nomem;
		}
		pg[k].addr = FASTRPC_DSP_ADDR(sid, kept->dma[k]);
		pg[k].size = PAGE_SIZE;
	}
	mutex_lock(&rawreq_lock);
	list_add_tail(&kept->node, &rawreq_kept);
	mutex_unlock(&rawreq_lock);
	a->gen = pg;
	a->data = a->gen;
	a->d.data_len = a->d.len;
	return 0;
nomem:
	if (kept)
		rawreq_kept_free(kept);
	kfree(pg);
	return -ENOMEM;
}

/* One copy, laid out, filled and mutated: its message in @msg */
static struct rawreq_call *rawreq_prepare(const struct vdsp_rawreq *h,
					  const struct rawreq_arg *args,
					  const struct vdsp_rawreq_mut *muts,
					  u64 *inline_off, struct device *dev,
					  struct fastrpc_wire_msg *msg,
					  u64 *msg_len)
{
	struct rawreq_call *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&c->node);
	init_completion(&c->done);
	c->ctx = FASTRPC_CTX(atomic64_inc_return(&rawreq_next_ctx),
			     h->pd & FASTRPC_CTX_PD_MASK);
	c->sid = h->sid;
	c->dev = dev;
	ret = rawreq_layout(c, h, args, inline_off);
	if (!ret) {
		rawreq_fill(c, h, args, inline_off);
		*msg = (struct fastrpc_wire_msg) {
			.pid = h->pid, .tid = h->tid, .ctx = c->ctx,
			.handle = h->handle, .sc = h->sc,
			.addr = FASTRPC_DSP_ADDR(h->sid, c->payload_dma),
			.size = c->payload_size,
		};
		*msg_len = sizeof(*msg);
		ret = rawreq_mutate(c, h, muts, msg, msg_len);
	}
	if (ret) {
		rawreq_call_free(c);
		return ERR_PTR(ret);
	}
	return c;
}

/* Send @msg (@msg_len bytes handed to rpmsg); the call waits from now */
static int rawreq_send(struct rawreq_call *c, struct rpmsg_endpoint *ept,
		       const struct fastrpc_wire_msg *msg, u64 msg_len)
{
	u8 *buf = kzalloc(max_t(u64, msg_len, sizeof(*msg)), GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, msg, sizeof(*msg));
	spin_lock(&rawreq_wlock);
	list_add_tail(&c->node, &rawreq_waiters);
	spin_unlock(&rawreq_wlock);
	ret = rpmsg_send(ept, buf, msg_len);
	if (ret) {
		spin_lock(&rawreq_wlock);
		list_del_init(&c->node);
		spin_unlock(&rawreq_wlock);
	}
	kfree(buf);
	return ret;
}

/* 0 once answered; -ETIMEDOUT leaves @c to the callback or to unload */
static int rawreq_wait(struct rawreq_call *c, unsigned long deadline)
{
	long left = max_t(long, (long)(deadline - jiffies), 1);
	int ret = 0;

	if (wait_for_completion_timeout(&c->done, left))
		return 0;
	spin_lock(&rawreq_wlock);
	if (!c->answered) {
		c->abandoned = true;
		ret = -ETIMEDOUT;
	}
	spin_unlock(&rawreq_wlock);
	return ret;
}

/*
 * struct vdsp_rawreq_result, then the first copy's output arguments; @c is
 * that copy, NULL when it timed out (no longer ours to read).
 */
static struct vdsp_rawreq_result *
rawreq_result(struct rawreq_call *c, const struct fastrpc_wire_msg *msg,
	      const struct vdsp_rawreq *h, const struct rawreq_arg *args,
	      int status, size_t *lenp)
{
	u32 nin = FASTRPC_SC_INBUFS(h->sc);
	u32 nbufs = min(FASTRPC_SC_NBUFS(h->sc), h->nargs), i;
	u64 fdoff = h->nargs * (sizeof(struct fastrpc_remote_arg) +
				sizeof(struct fastrpc_invoke_buf));
	struct vdsp_rawreq_result *res;
	size_t len = sizeof(*res);
	u8 *p;

	for (i = nin; !status && i < nbufs; i++)
		len += ALIGN(args[i].d.len, 8);
	res = kvzalloc(len, GFP_KERNEL);
	if (!res)
		return NULL;
	res->status = status;
	res->ctx = msg->ctx;
	if (c) {
		res->retval = c->retval;
		res->rsp_ctx = c->rsp_ctx;
	}
	if (!status) {
		res->canary = rawreq_canary(c, h, args);
		fdoff += c->npages * sizeof(struct fastrpc_phy_page);
		memcpy(res->fdlist, c->payload + fdoff, sizeof(res->fdlist));
		p = (u8 *)(res + 1);
		for (i = nin; i < nbufs; i++, res->nouts++) {
			if (args[i].d.len)
				rawreq_copy_out(&args[i], &c->place[i], p);
			p += ALIGN(args[i].d.len, 8);
		}
	}
	*lenp = len;
	return res;
}

/* Send all copies, then wait for them; the first's outcome in calls[0] */
static int rawreq_send_all(struct rawreq_call **calls, u32 n,
			   const struct fastrpc_wire_msg *msgs,
			   const u64 *msg_lens, const struct vdsp_rawreq *h,
			   u32 *answered, u32 *errors)
{
	unsigned long deadline;
	struct rpmsg_endpoint *ept;
	int status = 0, ret;
	u32 i;

	ept = rawreq_ept(h->domain);
	if (IS_ERR(ept))
		return PTR_ERR(ept);
	for (i = 0; i < n; i++) {
		ret = rawreq_send(calls[i], ept, &msgs[i], msg_lens[i]);
		if (ret) {
			status = status ? : ret;
			n = i;	/* not sent: nothing to wait for */
			break;
		}
	}
	deadline = jiffies + msecs_to_jiffies(h->timeout_ms ? :
					      RAWREQ_TIMEOUT_MS);
	for (i = 0; i < n; i++) {
		ret = rawreq_wait(calls[i], deadline);
		if (ret) {
			status = status ? : ret;
			calls[i] = NULL;	/* the callback or unload frees it */
			continue;
		}
		(*answered)++;
		*errors += calls[i]->retval != 0;
	}
	return status;
}

struct rawreq_batch {
	struct rawreq_call **calls;
	struct fastrpc_wire_msg *msgs;
	u64 *msg_lens;
	u64 *inline_off;
};

static void rawreq_batch_free(struct rawreq_batch *b, u32 n)
{
	u32 i;

	for (i = 0; b->calls && i < n; i++)
		if (!IS_ERR_OR_NULL(b->calls[i]))
			rawreq_call_free(b->calls[i]);
	kvfree(b->calls);
	kvfree(b->msgs);
	kvfree(b->msg_lens);
	kfree(b->inline_off);
}

/* Build, send and wait for @h->repeat copies of the request */
static void *rawreq_run_args(const struct vdsp_rawreq *h,
			     struct rawreq_arg *args,
			     const struct vdsp_rawreq_mut *muts,
			     struct device *dev, size_t *res_len)
{
	u32 n = max(h->repeat, 1U), i, answered = 0, errors = 0;
	struct rawreq_batch b = { };
	struct vdsp_rawreq_result *res = ERR_PTR(-ENOMEM);
	int status;

	b.calls = kvcalloc(n, sizeof(*b.calls), GFP_KERNEL);
	b.msgs = kvcalloc(n, sizeof(*b.msgs), GFP_KERNEL);
	b.msg_lens = kvcalloc(n, sizeof(*b.msg_lens), GFP_KERNEL);
	b.inline_off = kcalloc(max(h->nargs, 1U), sizeof(u64), GFP_KERNEL);
	if (!b.calls || !b.msgs || !b.msg_lens || !b.inline_off)
		goto out;
	for (i = 0; i < n; i++) {
		b.calls[i] = rawreq_prepare(h, args, muts, b.inline_off, dev,
					    &b.msgs[i], &b.msg_lens[i]);
		if (IS_ERR(b.calls[i])) {
			res = ERR_CAST(b.calls[i]);
			goto out;
		}
	}
	status = rawreq_send_all(b.calls, n, b.msgs, b.msg_lens, h,
				 &answered, &errors);
	res = rawreq_result(b.calls[0], &b.msgs[0], h, args, status, res_len);
	if (!res) {
		res = ERR_PTR(-ENOMEM);
		goto out;
	}
	res->status = status;
	res->answered = answered;
	res->errors = errors;
out:
	rawreq_batch_free(&b, n);
	return res;
}

static void *rawreq_run(const u8 *buf, size_t len, size_t *res_len)
{
	struct vdsp_rawreq_mut *muts;
	struct rawreq_arg *args;
	struct vdsp_rawreq h;
	struct device *dev;
	void *res = NULL;
	int ret;
	u32 i;

	ret = rawreq_parse(buf, len, &h, &args, &muts);
	if (ret)
		return ERR_PTR(ret);
	dev = rawreq_bank_dev(rawreq_domain(h.domain), h.domain, h.sid);
	if (IS_ERR(dev))
		ret = PTR_ERR(dev);
	for (i = 0; !ret && i < h.nargs; i++)
		if (args[i].d.flags & VDSP_RAWARG_PAGES)
			ret = rawreq_make_pages(&args[i], dev, h.sid);
	res = ret ? ERR_PTR(ret) :
		    rawreq_run_args(&h, args, muts, dev, res_len);
	for (i = 0; i < h.nargs; i++)
		kfree(args[i].gen);
	kfree(args);
	return res;
}

struct rawreq_file {
	struct mutex lock;	/* @res */
	void *res;
	size_t res_len;
};

static int rawreq_open(struct inode *inode, struct file *file)
{
	struct rawreq_file *rf = kzalloc(sizeof(*rf), GFP_KERNEL);

	if (!rf)
		return -ENOMEM;
	mutex_init(&rf->lock);
	file->private_data = rf;
	return 0;
}

static ssize_t rawreq_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct rawreq_file *rf = file->private_data;
	size_t res_len = 0;
	void *buf, *res;

	if (len > VDSP_RAWREQ_MAX_BYTES + SZ_1M)
		return -E2BIG;
	buf = vmemdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	res = rawreq_run(buf, len, &res_len);
	kvfree(buf);
	if (IS_ERR(res))
		return PTR_ERR(res);
	mutex_lock(&rf->lock);
	kvfree(rf->res);
	rf->res = res;
	rf->res_len = res_len;
	mutex_unlock(&rf->lock);
	return len;
}

static ssize_t rawreq_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct rawreq_file *rf = file->private_data;
	ssize_t ret;

	mutex_lock(&rf->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, rf->res, rf->res_len);
	mutex_unlock(&rf->lock);
	return ret;
}

static int rawreq_release(struct inode *inode, struct file *file)
{
	struct rawreq_file *rf = file->private_data;

	kvfree(rf->res);
	mutex_destroy(&rf->lock);
	kfree(rf);
	return 0;
}

static const struct file_operations rawreq_fops = {
	.owner = THIS_MODULE,
	.open = rawreq_open,
	.write = rawreq_write,
	.read = rawreq_read,
	.release = rawreq_release,
};

static int rawreq_stray_get(void *data, u64 *val)
{
	*val = atomic64_read(&rawreq_stray);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(rawreq_stray_fops, rawreq_stray_get, NULL, "%llu\n");

static void rawreq_kept_release_all(void)
{
	struct rawreq_kept *k, *tmp;

	mutex_lock(&rawreq_lock);
	list_for_each_entry_safe(k, tmp, &rawreq_kept, node) {
		list_del(&k->node);
		rawreq_kept_free(k);
	}
	mutex_unlock(&rawreq_lock);
}

static ssize_t rawreq_release_kept_write(struct file *file,
					 const char __user *ubuf, size_t len,
					 loff_t *ppos)
{
	rawreq_kept_release_all();
	return len;
}

static const struct file_operations rawreq_release_kept_fops = {
	.owner = THIS_MODULE,
	.write = rawreq_release_kept_write,
};

static int __init rawreq_init(void)
{
	rawreq_dir = debugfs_create_dir("vdsp_rawreq", NULL);
	debugfs_create_file("req", 0600, rawreq_dir, NULL, &rawreq_fops);
	debugfs_create_file_unsafe("stray", 0400, rawreq_dir, NULL,
				   &rawreq_stray_fops);
	debugfs_create_file("release_kept", 0200, rawreq_dir, NULL,
			    &rawreq_release_kept_fops);
	return 0;
}

static void __exit rawreq_exit(void)
{
	struct rawreq_call *c, *tmp;
	int d;

	debugfs_remove_recursive(rawreq_dir);
	/* After this the vdsp touches none of our memory */
	mutex_lock(&rawreq_lock);
	for (d = 0; d < RAWREQ_DOMAINS; d++)
		rawreq_chan_close(&rawreq_chans[d]);
	mutex_unlock(&rawreq_lock);
	rawreq_kept_release_all();
	list_for_each_entry_safe(c, tmp, &rawreq_waiters, node) {
		list_del(&c->node);
		rawreq_call_free(c);
	}
	/* Nothing of ours is mapped any more */
	rawreq_banks_destroy();
}

module_init(rawreq_init);
module_exit(rawreq_exit);
MODULE_DESCRIPTION("vdsp test: raw FastRPC requests straight to a domain's rpmsg device");
MODULE_LICENSE("GPL");
