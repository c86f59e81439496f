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
#include <linux/uaccess.h>

#include "client.h"
#include "device.h"
#include "fastrpc.h"
#include "fdinfo.h"
#include "info.h"
#include "invoke.h"
#include "mem.h"
#include "mmap.h"
#include "process.h"
#include "uaccess.h"

typedef int (*fastrpc_ioctl_fn)(struct fastrpc_call *call);

struct fastrpc_ioctl {
	unsigned int cmd;
	fastrpc_ioctl_fn fn;
	bool copies_back;		/* writes its struct back to the user */
};

/* The ioctls' structs, one of which the dispatcher copies in */
union fastrpc_ioctl_arg {
	struct fastrpc_alloc_dma_buf alloc_dma_buf;
	__u32 fd;
	struct fastrpc_invoke invoke;
	struct fastrpc_init_create init_create;
	struct fastrpc_req_mmap mmap;
	struct fastrpc_req_munmap munmap;
	struct fastrpc_init_create_static init_create_static;
	struct fastrpc_mem_map mem_map;
	struct fastrpc_mem_unmap mem_unmap;
	struct fastrpc_ioctl_capability cap;
};

#define FASTRPC_IOCTL(name, handler, back)				\
	[_IOC_NR(FASTRPC_IOCTL_##name)] = {				\
		.cmd = FASTRPC_IOCTL_##name +				\
		       BUILD_BUG_ON_ZERO(_IOC_SIZE(FASTRPC_IOCTL_##name) > \
					 sizeof(union fastrpc_ioctl_arg)), \
		.fn = handler,						\
		.copies_back = back,					\
	}

static const struct fastrpc_ioctl fastrpc_ioctls[] = {
	FASTRPC_IOCTL(ALLOC_DMA_BUFF, fastrpc_ioctl_alloc_dma_buf, true),
	FASTRPC_IOCTL(FREE_DMA_BUFF, fastrpc_ioctl_free_dma_buf, false),
	FASTRPC_IOCTL(INVOKE, fastrpc_ioctl_invoke, false),
	FASTRPC_IOCTL(INIT_ATTACH, fastrpc_ioctl_init_attach, false),
	FASTRPC_IOCTL(INIT_CREATE, fastrpc_ioctl_init_create, false),
	FASTRPC_IOCTL(MMAP, fastrpc_ioctl_mmap, true),
	FASTRPC_IOCTL(MUNMAP, fastrpc_ioctl_munmap, false),
	FASTRPC_IOCTL(INIT_ATTACH_SNS, fastrpc_ioctl_init_attach_sns, false),
	FASTRPC_IOCTL(INIT_CREATE_STATIC, fastrpc_ioctl_init_create_static,
		      false),
	FASTRPC_IOCTL(MEM_MAP, fastrpc_ioctl_mem_map, true),
	FASTRPC_IOCTL(MEM_UNMAP, fastrpc_ioctl_mem_unmap, false),
	FASTRPC_IOCTL(GET_DSP_INFO, fastrpc_ioctl_get_dsp_info, true),
};

/*
 * One pass of the handler inside the channel's SRCU section: a DSP
 * removal waits for it to leave before it frees what it may be using.
 * Nothing in there waits on a user page fault (uaccess.h).
 */
static int ioctl_in_channel(const struct fastrpc_ioctl *ioc,
			    struct fastrpc_call *call)
{
	struct fastrpc_channel *chan = call->cl->chan;
	int idx, err;

	idx = srcu_read_lock(&chan->srcu);
	if (READ_ONCE(chan->down))
		err = -EPIPE;
	else
		err = ioc->fn(call);
	srcu_read_unlock(&chan->srcu, idx);
	return err;
}

static long fastrpc_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	union fastrpc_ioctl_arg karg;
	struct fastrpc_call call = {
		.cl = file->private_data,
		.arg = &karg,
		.uarg = (void __user *)arg,
		.size = _IOC_SIZE(cmd),
	};
	const struct fastrpc_ioctl *ioc;
	unsigned int nr = _IOC_NR(cmd);
	int err;

	if (_IOC_TYPE(cmd) != 'R' || nr >= ARRAY_SIZE(fastrpc_ioctls))
		return -ENOTTY;
	ioc = &fastrpc_ioctls[array_index_nospec(nr, ARRAY_SIZE(fastrpc_ioctls))];
	if (!ioc->fn || ioc->cmd != cmd)
		return -ENOTTY;
	/*
	 * Faults here, outside the section, hold no DSP's restart. A struct
	 * the handler writes back is made writable now by writing it back
	 * as read: fault_in_safe_writeable() would do it without writing,
	 * but waits for a fault only killably, where every other copy of
	 * ours can be interrupted (and the handler writes the whole struct
	 * back anyway).
	 */
	if (call.size && copy_from_user(&karg, call.uarg, call.size))
		return -EFAULT;
	if (ioc->copies_back && copy_to_user(call.uarg, &karg, call.size))
		return -EFAULT;
	for (;;) {
		err = ioctl_in_channel(ioc, &call);
		if (err != -FASTRPC_EFAULTIN)
			break;
		err = fastrpc_call_fault_in(&call);
		if (err)
			break;
	}
	if (call.bounce)
		err = fastrpc_call_bounce_out(&call, err);
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
