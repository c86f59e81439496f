// SPDX-License-Identifier: GPL-2.0
/*
 * The DSP end of the rpmsg bus: one rpmsg device per domain, registered
 * with the domain's qcom,fastrpc node as of_node so that a FastRPC driver
 * binds to it by compatible, exactly as to a glink channel. Our device and
 * endpoint ops are the transport: send queues the message for the
 * domain's runtime (runtime.c) and returns; responses come back through the
 * endpoint's callback, called by a runtime thread.
 */
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <fastrpc/vdsp_rawreq.h>

#include "rpmsg_internal.h"
#include "vdsp.h"

/* The channel name a Snapdragon's glink edge gives FastRPC */
#define VDSP_CHANNEL		"fastrpcglink-apps-dsp"
/* Local endpoint addresses handed out by create_ept */
#define VDSP_ADDR_FIRST		0x401
#define VDSP_ADDR_LAST		0xffff

static inline struct vdsp_ept *to_vdsp_ept(struct rpmsg_endpoint *ept)
{
	return container_of(ept, struct vdsp_ept, ept);
}

static inline struct vdsp_rpdev *to_vdsp_rpdev(struct rpmsg_device *rpdev)
{
	return container_of(rpdev, struct vdsp_rpdev, rpdev);
}

static void vdsp_ept_release(struct kref *ref)
{
	struct rpmsg_endpoint *ept = container_of(ref, struct rpmsg_endpoint,
						  refcount);

	mutex_destroy(&ept->cb_lock);
	kfree(to_vdsp_ept(ept));
}

void vdsp_ept_put(struct vdsp_ept *ve)
{
	kref_put(&ve->ept.refcount, vdsp_ept_release);
}

/*
 * After this returns the runtime neither touches the memory of this
 * endpoint's requests nor calls its callback: its owner may free both.
 */
static void vdsp_destroy_ept(struct rpmsg_endpoint *ept)
{
	struct vdsp_ept *ve = to_vdsp_ept(ept);
	struct vdsp_domain *dom = ve->dom;

	vdsp_ept_quiesce(ve);
	mutex_lock(&ept->cb_lock);
	ept->cb = NULL;
	mutex_unlock(&ept->cb_lock);
	/* The channel closed: the DSP drops the processes it created */
	vdsp_proc_release_owned(dom, ve);
	ida_free(&dom->addrs, ept->addr);
	vdsp_ept_put(ve);
}

static int vdsp_send(struct rpmsg_endpoint *ept, void *data, int len)
{
	return vdsp_queue(to_vdsp_ept(ept), data, len, GFP_KERNEL);
}

static int vdsp_sendto(struct rpmsg_endpoint *ept, void *data, int len,
		       u32 dst)
{
	return vdsp_send(ept, data, len);
}

static int vdsp_trysend(struct rpmsg_endpoint *ept, void *data, int len)
{
	return vdsp_queue(to_vdsp_ept(ept), data, len, GFP_NOWAIT);
}

static int vdsp_trysendto(struct rpmsg_endpoint *ept, void *data, int len,
			  u32 dst)
{
	return vdsp_trysend(ept, data, len);
}

static ssize_t vdsp_get_mtu(struct rpmsg_endpoint *ept)
{
	return VDSP_MTU;
}

static const struct rpmsg_endpoint_ops vdsp_ept_ops = {
	.destroy_ept = vdsp_destroy_ept,
	.send = vdsp_send,
	.sendto = vdsp_sendto,
	.trysend = vdsp_trysend,
	.trysendto = vdsp_trysendto,
	.get_mtu = vdsp_get_mtu,
};

static int vdsp_floor_cb(struct rpmsg_device *rpdev, void *data, int len,
			 void *priv, u32 src)
{
	complete(priv);
	return 0;
}

static struct rpmsg_endpoint *vdsp_create_ept(struct rpmsg_device *rpdev,
					      rpmsg_rx_cb_t cb, void *priv,
					      struct rpmsg_channel_info chinfo)
{
	struct vdsp_rpdev *vrp = to_vdsp_rpdev(rpdev);
	struct vdsp_domain *dom = vrp->dom;
	struct vdsp_ept *ve;
	int addr;

	if (chinfo.src == RPMSG_ADDR_ANY)
		addr = ida_alloc_range(&dom->addrs, VDSP_ADDR_FIRST,
				       VDSP_ADDR_LAST, GFP_KERNEL);
	else if (chinfo.src <= VDSP_ADDR_LAST)
		addr = ida_alloc_range(&dom->addrs, chinfo.src, chinfo.src,
				       GFP_KERNEL);
	else
		addr = -EINVAL;
	if (addr < 0)
		return NULL;
	ve = kzalloc(sizeof(*ve), GFP_KERNEL);
	if (!ve) {
		ida_free(&dom->addrs, addr);
		return NULL;
	}
	kref_init(&ve->ept.refcount);
	mutex_init(&ve->ept.cb_lock);
	ve->ept.rpdev = rpdev;
	ve->ept.cb = cb;
	ve->ept.priv = priv;
	ve->ept.addr = addr;
	ve->ept.ops = &vdsp_ept_ops;
	ve->dom = dom;
	ve->gen = vrp->gen;
	ve->loopback = cb == vdsp_floor_cb;
	return &ve->ept;
}

static const struct rpmsg_device_ops vdsp_rpdev_ops = {
	.create_ept = vdsp_create_ept,
};

static void vdsp_rpdev_release(struct device *dev)
{
	struct vdsp_rpdev *vrp = to_vdsp_rpdev(to_rpmsg_device(dev));

	of_node_put(dev->of_node);
	kfree(vrp);
}

int vdsp_rpdev_add(struct vdsp_domain *dom)
{
	struct rpmsg_device *rpdev;
	struct vdsp_rpdev *vrp;
	int ret;

	lockdep_assert_held(&dom->state_lock);
	vrp = kzalloc(sizeof(*vrp), GFP_KERNEL);
	if (!vrp)
		return -ENOMEM;
	vrp->dom = dom;
	vrp->gen = dom->gen;
	rpdev = &vrp->rpdev;
	strscpy(rpdev->id.name, VDSP_CHANNEL, sizeof(rpdev->id.name));
	rpdev->src = RPMSG_ADDR_ANY;
	rpdev->dst = RPMSG_ADDR_ANY;
	rpdev->little_endian = true;
	rpdev->ops = &vdsp_rpdev_ops;
	/* The rpmsg core names the device after its parent: it needs one */
	rpdev->dev.parent = &dom->parent->dev;
	rpdev->dev.release = vdsp_rpdev_release;
	device_set_node(&rpdev->dev, of_fwnode_handle(of_node_get(dom->np)));
	/* On failure the core has put the device: the release freed it */
	ret = rpmsg_register_device(rpdev);
	if (ret)
		return ret;
	dom->rpdev = vrp;
	return 0;
}

void vdsp_rpdev_del(struct vdsp_domain *dom)
{
	lockdep_assert_held(&dom->state_lock);
	if (!dom->rpdev)
		return;
	device_unregister(&dom->rpdev->rpdev.dev);
	dom->rpdev = NULL;
}

/* The domain's rpmsg device, referenced; NULL while the DSP is down */
static struct rpmsg_device *vdsp_rpdev_hold(struct vdsp_domain *dom)
{
	struct rpmsg_device *rpdev = NULL;

	mutex_lock(&dom->state_lock);
	if (dom->rpdev) {
		rpdev = &dom->rpdev->rpdev;
		get_device(&rpdev->dev);
	}
	mutex_unlock(&dom->state_lock);
	return rpdev;
}

struct rpmsg_device *vdsp_rpdev_get(const char *label)
{
	struct vdsp_domain *dom = vdsp_domain_by_label(label);

	return dom ? vdsp_rpdev_hold(dom) : NULL;
}
EXPORT_SYMBOL_GPL(vdsp_rpdev_get);

static void vdsp_floor_record(struct vdsp_domain *dom, u64 rounds, u64 min,
			      u64 max, u64 total)
{
	mutex_lock(&dom->floor.lock);
	dom->floor.rounds = rounds;
	dom->floor.min_ns = min;
	dom->floor.max_ns = max;
	dom->floor.total_ns = total;
	mutex_unlock(&dom->floor.lock);
}

/*
 * The transport floor: @rounds round trips, one at a time, of a 40-byte
 * message through rpmsg_send, the domain's queue and a runtime thread back
 * to an endpoint callback, with no FastRPC work on either side.
 */
int vdsp_floor_run(struct vdsp_domain *dom, u64 rounds)
{
	struct rpmsg_channel_info chinfo = {
		.name = "vdsp-floor",
		.src = RPMSG_ADDR_ANY,
		.dst = RPMSG_ADDR_ANY,
	};
	struct fastrpc_wire_msg msg = { };
	u64 i, ns, min = U64_MAX, max = 0, total = 0;
	struct rpmsg_endpoint *ept;
	struct rpmsg_device *rpdev;
	struct completion done;
	ktime_t t0;
	int ret = 0;

	rpdev = vdsp_rpdev_hold(dom);
	if (!rpdev)
		return -ENODEV;
	init_completion(&done);
	ept = rpmsg_create_ept(rpdev, vdsp_floor_cb, &done, chinfo);
	if (!ept) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < rounds; i++) {
		msg.ctx = FASTRPC_CTX(i, FASTRPC_PD_ROOT);
		t0 = ktime_get();
		ret = rpmsg_send(ept, &msg, sizeof(msg));
		if (ret)
			break;
		if (!wait_for_completion_timeout(&done, 5 * HZ)) {
			ret = -ETIMEDOUT;
			break;
		}
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		min = min(min, ns);
		max = max(max, ns);
		total += ns;
	}
	rpmsg_destroy_ept(ept);
	if (!ret)
		vdsp_floor_record(dom, rounds, min, max, total);
out:
	put_device(&rpdev->dev);
	return ret;
}
