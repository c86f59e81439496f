// SPDX-License-Identifier: GPL-2.0
/*
 * FastRPC: Linux processes call methods on Qualcomm DSPs.
 *
 * The module, the rpmsg driver for "qcom,fastrpc" nodes and the channel:
 * probe reads the domain from the node's label, populates the context
 * banks below it and registers the device nodes; removal (the DSP went
 * away, as on a subsystem restart) fails every call in flight with
 * -EPIPE, waits for every ioctl to leave, releases every client's DMA
 * state and only then lets the banks go. Clients that keep a file open
 * afterwards get errors until they close it; the channel object lives
 * until they have.
 */
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/rcupdate.h>
#include <linux/rpmsg.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "client.h"
#include "debugfs.h"
#include "device.h"
#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "import.h"
#include "invoke.h"
#include "main.h"
#include "map.h"
#include "payload.h"
#include "process.h"
#include "session.h"

static const char *const fastrpc_domains[FASTRPC_DOMAIN_COUNT] = {
	[FASTRPC_DOMAIN_ADSP] = "adsp",
	[FASTRPC_DOMAIN_MDSP] = "mdsp",
	[FASTRPC_DOMAIN_SDSP] = "sdsp",
	[FASTRPC_DOMAIN_CDSP] = "cdsp",
	[FASTRPC_DOMAIN_CDSP1] = "cdsp1",
};

static struct rpmsg_driver fastrpc_channel_driver;

/* Channels probed since load: each one's generation */
static atomic_t fastrpc_channel_generation = ATOMIC_INIT(0);

static void channel_free(struct kref *ref)
{
	struct fastrpc_channel *chan = container_of(ref, struct fastrpc_channel,
						    ref);

	WARN_ON(!hash_empty(chan->ctx_hash));
	cleanup_srcu_struct(&chan->srcu);
	mutex_destroy(&chan->info_lock);
	mutex_destroy(&chan->heap_lock);
	kfree(chan);
}

void fastrpc_channel_get(struct fastrpc_channel *chan)
{
	kref_get(&chan->ref);
}

void fastrpc_channel_put(struct fastrpc_channel *chan)
{
	kref_put(&chan->ref, channel_free);
}

struct fastrpc_channel *fastrpc_channel_of(struct device *dev)
{
	if (dev->driver != &fastrpc_channel_driver.drv)
		return NULL;
	return dev_get_drvdata(dev);
}

static struct fastrpc_channel *channel_alloc(struct rpmsg_device *rpdev,
					     int domain)
{
	struct device_node *np = rpdev->dev.of_node;
	struct fastrpc_channel *chan;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return NULL;
	if (init_srcu_struct(&chan->srcu)) {
		kfree(chan);
		return NULL;
	}
	kref_init(&chan->ref);
	chan->rpdev = rpdev;
	chan->domain = domain;
	chan->label = fastrpc_domains[domain];
	chan->secure_domain = !of_property_read_bool(np, "qcom,non-secure-domain");
	chan->unsigned_pd = domain == FASTRPC_DOMAIN_CDSP ||
			    domain == FASTRPC_DOMAIN_CDSP1;
	spin_lock_init(&chan->ctx_lock);
	hash_init(chan->ctx_hash);
	chan->generation = atomic_inc_return(&fastrpc_channel_generation);
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->clients);
	INIT_LIST_HEAD(&chan->banks);
	INIT_LIST_HEAD(&chan->orphans);
	mutex_init(&chan->info_lock);
	mutex_init(&chan->heap_lock);
	INIT_LIST_HEAD(&chan->heap_views);
	return chan;
}

static int domain_of(struct rpmsg_device *rpdev)
{
	const char *label;
	int domain;

	if (of_property_read_string(rpdev->dev.of_node, "label", &label)) {
		dev_err(&rpdev->dev, "no label: which DSP is this?\n");
		return -EINVAL;
	}
	domain = match_string(fastrpc_domains, ARRAY_SIZE(fastrpc_domains),
			      label);
	if (domain < 0)
		dev_err(&rpdev->dev, "unknown domain \"%s\"\n", label);
	return domain;
}

/* For fastrpc_dsp_up: the banks that probed below the channel */
static u32 channel_banks(struct fastrpc_channel *chan)
{
	u32 n;

	spin_lock(&chan->lock);
	n = list_count_nodes(&chan->banks);
	spin_unlock(&chan->lock);
	return n;
}

static int fastrpc_channel_probe(struct rpmsg_device *rpdev)
{
	struct fastrpc_channel *chan;
	int domain, err;

	domain = domain_of(rpdev);
	if (domain < 0)
		return -EINVAL;
	chan = channel_alloc(rpdev, domain);
	if (!chan)
		return -ENOMEM;
	/* Banks find their channel through their parent's drvdata */
	dev_set_drvdata(&rpdev->dev, chan);
	err = of_platform_populate(rpdev->dev.of_node, NULL, NULL, &rpdev->dev);
	if (err)
		goto err_populate;
	err = fastrpc_device_register(chan);
	if (err)
		goto err_populate;
	fastrpc_debugfs_channel_add(chan);
	if (trace_fastrpc_dsp_up_enabled())
		trace_fastrpc_dsp_up(chan->domain, channel_banks(chan));
	return 0;

err_populate:
	of_platform_depopulate(&rpdev->dev);
	dev_set_drvdata(&rpdev->dev, NULL);
	fastrpc_channel_put(chan);
	return err;
}

static void fastrpc_channel_remove(struct rpmsg_device *rpdev)
{
	struct fastrpc_channel *chan = dev_get_drvdata(&rpdev->dev);

	fastrpc_debugfs_channel_remove(chan);
	fastrpc_device_unregister(chan);
	fastrpc_invoke_abort_all(chan);
	/* Every ioctl inside the channel has seen -EPIPE and left */
	synchronize_srcu(&chan->srcu);
	fastrpc_channel_teardown_clients(chan);
	/* No response callback still looks at the channel */
	dev_set_drvdata(&rpdev->dev, NULL);
	synchronize_rcu();
	fastrpc_invoke_flush();
	fastrpc_map_release_orphans(chan);
	fastrpc_process_heap_free(chan);
	fastrpc_channel_put_bank_devices(chan);
	of_platform_depopulate(&rpdev->dev);
	chan->rpdev = NULL;
	fastrpc_channel_put(chan);
}

static int fastrpc_channel_receive(struct rpmsg_device *rpdev, void *data,
				   int len, void *priv, u32 addr)
{
	struct fastrpc_channel *chan;
	int err = -ENODEV;

	rcu_read_lock();
	chan = dev_get_drvdata(&rpdev->dev);
	if (chan)
		err = fastrpc_invoke_response(chan, data, len);
	rcu_read_unlock();
	return err;
}

static const struct of_device_id fastrpc_channel_ids[] = {
	{ .compatible = "qcom,fastrpc", },
	{ /* end */ }
};
MODULE_DEVICE_TABLE(of, fastrpc_channel_ids);

/* One channel per qcom,fastrpc node: the rpmsg device is the DSP's */
static struct rpmsg_driver fastrpc_channel_driver = {
	.drv.name = "qcom,fastrpc",
	.drv.of_match_table = fastrpc_channel_ids,
	.probe = fastrpc_channel_probe,
	.callback = fastrpc_channel_receive,
	.remove = fastrpc_channel_remove,
};

static int __init fastrpc_init(void)
{
	int err;

	err = fastrpc_invoke_init();
	if (err)
		return err;
	err = fastrpc_payload_init();
	if (err)
		goto err_payload;
	fastrpc_import_init();
	fastrpc_debugfs_init();
	err = fastrpc_session_driver_register();
	if (err)
		goto err_session;
	err = register_rpmsg_driver(&fastrpc_channel_driver);
	if (err)
		goto err_rpmsg;
	return 0;

err_rpmsg:
	fastrpc_session_driver_unregister();
err_session:
	fastrpc_debugfs_fini();
	fastrpc_payload_fini();
err_payload:
	fastrpc_invoke_fini();
	return err;
}
module_init(fastrpc_init);

static void __exit fastrpc_exit(void)
{
	/* no scan runs from here on, while the clients' teardowns run */
	fastrpc_payload_fini();
	unregister_rpmsg_driver(&fastrpc_channel_driver);
	fastrpc_session_driver_unregister();
	fastrpc_debugfs_fini();
	fastrpc_import_fini();
	fastrpc_invoke_fini();
}
module_exit(fastrpc_exit);

MODULE_DESCRIPTION("Qualcomm FastRPC: remote procedure calls to DSPs");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
