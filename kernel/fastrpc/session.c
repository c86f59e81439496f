// SPDX-License-Identifier: GPL-2.0
/*
 * Context banks: a platform driver for the "qcom,fastrpc-compute-cb"
 * children that a channel populates from its node, and the assignment of
 * banks to clients.
 *
 *   reg = <stream id>                 required
 *   qcom,nsessions = <N>              the bank holds N sessions (default 1)
 *   qcom,secure-context-bank          a secure bank (our extension)
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "main.h"
#include "payload.h"
#include "session.h"

/* More sessions than this on one bank is a broken device tree */
#define FASTRPC_BANK_SESSIONS_MAX	64

static void bank_insert_sorted(struct fastrpc_channel *chan,
			       struct fastrpc_bank *bank)
{
	struct fastrpc_bank *it;

	list_for_each_entry(it, &chan->banks, node) {
		if (it->sid > bank->sid) {
			list_add_tail(&bank->node, &it->node);
			return;
		}
	}
	list_add_tail(&bank->node, &chan->banks);
}

static int fastrpc_bank_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct fastrpc_channel *chan;
	struct fastrpc_bank *bank;
	u32 sid, sessions = 1;
	int err;

	chan = dev->parent ? fastrpc_channel_of(dev->parent) : NULL;
	if (!chan)
		return dev_err_probe(dev, -ENODEV, "not below a fastrpc channel\n");
	if (of_property_read_u32(dev->of_node, "reg", &sid))
		return dev_err_probe(dev, -EINVAL, "no stream id (reg)\n");
	of_property_read_u32(dev->of_node, "qcom,nsessions", &sessions);
	if (!sessions || sessions > FASTRPC_BANK_SESSIONS_MAX)
		return dev_err_probe(dev, -EINVAL, "qcom,nsessions %u out of range\n",
				     sessions);
	/* The stream id takes the bits above 32 of every DSP address */
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(FASTRPC_SID_SHIFT));
	if (err)
		return dev_err_probe(dev, err, "no usable DMA mask\n");
	/* A page entry of the wire can name any run of pages */
	dma_set_max_seg_size(dev, UINT_MAX);

	bank = devm_kzalloc(dev, sizeof(*bank), GFP_KERNEL);
	if (!bank)
		return -ENOMEM;
	bank->chan = chan;
	bank->dev = dev;
	bank->sid = sid;
	bank->sessions = sessions;
	bank->payload_max = fastrpc_payload_max(dev);
	bank->secure = of_property_read_bool(dev->of_node,
					     "qcom,secure-context-bank");
	platform_set_drvdata(pdev, bank);
	spin_lock(&chan->lock);
	bank_insert_sorted(chan, bank);
	spin_unlock(&chan->lock);
	return 0;
}

static void fastrpc_bank_remove(struct platform_device *pdev)
{
	struct fastrpc_bank *bank = platform_get_drvdata(pdev);
	struct fastrpc_channel *chan = bank->chan;

	spin_lock(&chan->lock);
	WARN_ON(bank->used);
	list_del(&bank->node);
	spin_unlock(&chan->lock);
}

static const struct of_device_id fastrpc_bank_of_match[] = {
	{ .compatible = "qcom,fastrpc-compute-cb" },
	{ }
};
MODULE_DEVICE_TABLE(of, fastrpc_bank_of_match);

static struct platform_driver fastrpc_bank_driver = {
	.probe = fastrpc_bank_probe,
	.remove = fastrpc_bank_remove,
	.driver = {
		.name = "fastrpc-compute-cb",
		.of_match_table = fastrpc_bank_of_match,
		/* banks come and go with their channel only */
		.suppress_bind_attrs = true,
	},
};

int fastrpc_session_driver_register(void)
{
	return platform_driver_register(&fastrpc_bank_driver);
}

void fastrpc_session_driver_unregister(void)
{
	platform_driver_unregister(&fastrpc_bank_driver);
}

/*
 * Context bank sessions one user (without CAP_SYS_ADMIN) may hold on one
 * DSP: with the nodes open to a group, one member must not take them all.
 */
static unsigned int user_max_sessions = 4;
module_param(user_max_sessions, uint, 0644);
MODULE_PARM_DESC(user_max_sessions,
		 "Context bank sessions one user may hold per DSP (root: any)");

/* Under the channel's lock: may @cl's user take one more session? */
static bool user_has_room(struct fastrpc_channel *chan,
			  struct fastrpc_client *cl)
{
	unsigned int max = READ_ONCE(user_max_sessions), held = 0;
	struct fastrpc_client *other;

	lockdep_assert_held(&chan->lock);
	if (cl->admin)
		return true;
	list_for_each_entry(other, &chan->clients, node)
		if (other->bank && uid_eq(other->uid, cl->uid))
			held++;
	return held < max;
}

/* The least used bank with room: secure ones first for secure clients */
static struct fastrpc_bank *bank_pick(struct fastrpc_channel *chan,
				      bool secure)
{
	struct fastrpc_bank *bank, *best = NULL;

	list_for_each_entry(bank, &chan->banks, node) {
		if (bank->used >= bank->sessions || bank->secure != secure)
			continue;
		if (!best || bank->used < best->used)
			best = bank;
	}
	return best;
}

int fastrpc_session_assign(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;
	struct fastrpc_bank *bank;

	/* Pairs with the release below: bank, dev and sid are set */
	if (smp_load_acquire(&cl->bank))
		return 0;
	spin_lock(&chan->lock);
	if (cl->bank || cl->torn_down) {
		spin_unlock(&chan->lock);
		return cl->bank ? 0 : -EPIPE;
	}
	bank = NULL;
	if (user_has_room(chan, cl)) {
		bank = bank_pick(chan, cl->secure);
		if (!bank && cl->secure)
			bank = bank_pick(chan, false);
	}
	if (bank) {
		bank->used++;
		if (!cl->dev)
			cl->dev = get_device(bank->dev);
		cl->sid = bank->sid;
		/* dev and sid before bank, for the lockless reader above */
		smp_store_release(&cl->bank, bank);
		trace_fastrpc_bank_assign(chan->domain, cl->tgid, cl->id,
					  bank->sid, bank->secure);
	}
	spin_unlock(&chan->lock);
	return bank ? 0 : -EBUSY;
}

void fastrpc_session_release(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;

	spin_lock(&chan->lock);
	if (cl->bank) {
		cl->bank->used--;
		WRITE_ONCE(cl->bank, NULL);
	}
	spin_unlock(&chan->lock);
}
