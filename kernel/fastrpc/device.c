// SPDX-License-Identifier: GPL-2.0
/*
 * Device nodes: misc devices, open/release, and the ioctl table.
 *
 * The file operations name this module as owner, so an open file keeps
 * the module loaded: rmmod with clients open fails with EBUSY, and every
 * object a file reaches outlives it.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/rpmsg.h>
#include <linux/stddef.h>

#include "client.h"
#include "device.h"
#include "fastrpc.h"
#include "fdinfo.h"
#include "info.h"
#include "invoke.h"
#include "mem.h"
#include "mmap.h"
#include "process.h"

typedef int (*fastrpc_ioctl_fn)(struct fastrpc_client *cl, void __user *argp);

struct fastrpc_ioctl {
	unsigned int cmd;
	fastrpc_ioctl_fn fn;
};

static const struct fastrpc_ioctl fastrpc_ioctls[] = {
	[_IOC_NR(FASTRPC_IOCTL_ALLOC_DMA_BUFF)] = {
		FASTRPC_IOCTL_ALLOC_DMA_BUFF, fastrpc_ioctl_alloc_dma_buf },
	[_IOC_NR(FASTRPC_IOCTL_FREE_DMA_BUFF)] = {
		FASTRPC_IOCTL_FREE_DMA_BUFF, fastrpc_ioctl_free_dma_buf },
	[_IOC_NR(FASTRPC_IOCTL_INVOKE)] = {
		FASTRPC_IOCTL_INVOKE, fastrpc_ioctl_invoke },
	[_IOC_NR(FASTRPC_IOCTL_INIT_ATTACH)] = {
		FASTRPC_IOCTL_INIT_ATTACH, fastrpc_ioctl_init_attach },
	[_IOC_NR(FASTRPC_IOCTL_INIT_CREATE)] = {
		FASTRPC_IOCTL_INIT_CREATE, fastrpc_ioctl_init_create },
	[_IOC_NR(FASTRPC_IOCTL_MMAP)] = {
		FASTRPC_IOCTL_MMAP, fastrpc_ioctl_mmap },
	[_IOC_NR(FASTRPC_IOCTL_MUNMAP)] = {
		FASTRPC_IOCTL_MUNMAP, fastrpc_ioctl_munmap },
	[_IOC_NR(FASTRPC_IOCTL_INIT_ATTACH_SNS)] = {
		FASTRPC_IOCTL_INIT_ATTACH_SNS, fastrpc_ioctl_init_attach_sns },
	[_IOC_NR(FASTRPC_IOCTL_INIT_CREATE_STATIC)] = {
		FASTRPC_IOCTL_INIT_CREATE_STATIC,
		fastrpc_ioctl_init_create_static },
	[_IOC_NR(FASTRPC_IOCTL_MEM_MAP)] = {
		FASTRPC_IOCTL_MEM_MAP, fastrpc_ioctl_mem_map },
	[_IOC_NR(FASTRPC_IOCTL_MEM_UNMAP)] = {
		FASTRPC_IOCTL_MEM_UNMAP, fastrpc_ioctl_mem_unmap },
	[_IOC_NR(FASTRPC_IOCTL_GET_DSP_INFO)] = {
		FASTRPC_IOCTL_GET_DSP_INFO, fastrpc_ioctl_get_dsp_info },
};

static long fastrpc_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct fastrpc_client *cl = file->private_data;
	const struct fastrpc_ioctl *ioc;
	unsigned int nr = _IOC_NR(cmd);
	int idx, err;

	if (_IOC_TYPE(cmd) != 'R' || nr >= ARRAY_SIZE(fastrpc_ioctls))
		return -ENOTTY;
	ioc = &fastrpc_ioctls[array_index_nospec(nr, ARRAY_SIZE(fastrpc_ioctls))];
	if (!ioc->fn || ioc->cmd != cmd)
		return -ENOTTY;
	/*
	 * Inside the channel's SRCU section: a DSP removal waits for this
	 * ioctl to leave before it frees what the ioctl may be using.
	 */
	idx = srcu_read_lock(&cl->chan->srcu);
	if (READ_ONCE(cl->chan->down))
		err = -EPIPE;
	else
		err = ioc->fn(cl, (void __user *)arg);
	srcu_read_unlock(&cl->chan->srcu, idx);
	return err;
}

static int fastrpc_open(struct inode *inode, struct file *file)
{
	/* misc_open() put our miscdevice here and holds misc_mtx for us */
	struct miscdevice *misc = file->private_data;
	struct fastrpc_node *node = container_of(misc, struct fastrpc_node,
						 misc);
	struct fastrpc_client *cl;
	int err;

	err = fastrpc_client_open(node, &cl);
	if (err)
		return err;
	file->private_data = cl;
	return nonseekable_open(inode, file);
}

static int fastrpc_release(struct inode *inode, struct file *file)
{
	fastrpc_client_close(file->private_data);
	file->private_data = NULL;
	return 0;
}

static const struct file_operations fastrpc_fops = {
	.owner = THIS_MODULE,
	.open = fastrpc_open,
	.release = fastrpc_release,
	.unlocked_ioctl = fastrpc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.show_fdinfo = fastrpc_show_fdinfo,
	.llseek = noop_llseek,
};

static int node_register(struct fastrpc_channel *chan, int which)
{
	struct fastrpc_node *node = &chan->nodes[which];
	int err;

	node->chan = chan;
	node->secure = which == FASTRPC_NODE_SECURE;
	snprintf(node->name, sizeof(node->name), "fastrpc-%s%s", chan->label,
		 node->secure ? "-secure" : "");
	node->misc.minor = MISC_DYNAMIC_MINOR;
	node->misc.name = node->name;
	node->misc.fops = &fastrpc_fops;
	/*
	 * No mode: both nodes are root's (0600), as upstream; who else may
	 * use the non-secure one is the administrator's choice, made by a
	 * udev rule (udev/60-fastrpc.rules, docs/ARCHITECTURE.md).
	 */
	node->misc.parent = &chan->rpdev->dev;
	err = misc_register(&node->misc);
	if (err) {
		node->misc.name = NULL;
		dev_err(&chan->rpdev->dev, "cannot register %s: %d\n",
			node->name, err);
	}
	return err;
}

static void node_unregister(struct fastrpc_node *node)
{
	if (node->misc.name) {
		misc_deregister(&node->misc);
		node->misc.name = NULL;
	}
}

int fastrpc_device_register(struct fastrpc_channel *chan)
{
	int err = 0;

	if (!chan->secure_domain || chan->unsigned_pd)
		err = node_register(chan, FASTRPC_NODE_NONSECURE);
	if (!err && (chan->secure_domain || chan->unsigned_pd))
		err = node_register(chan, FASTRPC_NODE_SECURE);
	if (err)
		fastrpc_device_unregister(chan);
	return err;
}

void fastrpc_device_unregister(struct fastrpc_channel *chan)
{
	node_unregister(&chan->nodes[FASTRPC_NODE_NONSECURE]);
	node_unregister(&chan->nodes[FASTRPC_NODE_SECURE]);
}
