// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp.ko: a virtual Hexagon DSP for FastRPC.
 *
 * At load it applies its device-tree overlay (dt.c), then brings up one
 * domain per qcom,fastrpc node: a parent platform device, a DSP runtime
 * (runtime.c) and an rpmsg device whose of_node is that node (rpmsg.c), so
 * that a FastRPC driver binds to it as to a Snapdragon's glink channel.
 * A domain goes down (runtime stopped, rpmsg device removed) on unload and
 * on a DSP crash, after which it comes back up as a restarted DSP would.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vdsp.h"

static char *domains = "adsp,mdsp,sdsp,cdsp";
module_param(domains, charp, 0444);
MODULE_PARM_DESC(domains, "DSP domains to create, comma separated: adsp, mdsp, sdsp, cdsp, cdsp1 (default adsp,mdsp,sdsp,cdsp)");

static char *banks = "";
module_param(banks, charp, 0444);
MODULE_PARM_DESC(banks, "Non-secure context banks per domain, e.g. cdsp:4,adsp:1 (default cdsp:8,adsp:3,mdsp:2,sdsp:1)");

unsigned int vdsp_nthreads = 2;
module_param_named(threads, vdsp_nthreads, uint, 0444);
MODULE_PARM_DESC(threads, "Runtime threads per domain (1-16, default 2)");

#define VDSP_BANKS_MAX	32

/*
 * What each DSP reports behind GET_DSP_INFO (attribute ids of wire.h):
 * the cdsp is a v68 compute DSP with HVX, HMX and VTCM that runs unsigned
 * PDs, cdsp1 a smaller second one (HVX and VTCM, no HMX); the others are
 * v66 DSPs without vector units.
 */
static const struct vdsp_domain_info vdsp_infos[FASTRPC_DOMAIN_COUNT] = {
	[FASTRPC_DOMAIN_ADSP] = {
		.label = "adsp",
		.attrs = {
			[FASTRPC_ATTR_ARCH_VER] = 0x66,
			[FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT] = 1,
		},
	},
	[FASTRPC_DOMAIN_MDSP] = {
		.label = "mdsp",
		.attrs = {
			[FASTRPC_ATTR_ARCH_VER] = 0x66,
		},
	},
	[FASTRPC_DOMAIN_SDSP] = {
		.label = "sdsp",
		.attrs = {
			[FASTRPC_ATTR_ARCH_VER] = 0x66,
			[FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT] = 1,
		},
	},
	[FASTRPC_DOMAIN_CDSP] = {
		.label = "cdsp",
		.attrs = {
			[FASTRPC_ATTR_UNSIGNED_PD_SUPPORT] = 1,
			[FASTRPC_ATTR_HVX_SUPPORT_64B] = 4,
			[FASTRPC_ATTR_HVX_SUPPORT_128B] = 4,
			[FASTRPC_ATTR_VTCM_PAGE] = 256 * 1024,
			[FASTRPC_ATTR_VTCM_COUNT] = 16,
			[FASTRPC_ATTR_ARCH_VER] = 0x68,
			[FASTRPC_ATTR_HMX_SUPPORT_DEPTH] = 1,
			[FASTRPC_ATTR_HMX_SUPPORT_SPATIAL] = 1,
			[FASTRPC_ATTR_ASYNC_FASTRPC_SUPPORT] = 1,
			[FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT] = 1,
		},
	},
	[FASTRPC_DOMAIN_CDSP1] = {
		.label = "cdsp1",
		.attrs = {
			[FASTRPC_ATTR_UNSIGNED_PD_SUPPORT] = 1,
			[FASTRPC_ATTR_HVX_SUPPORT_128B] = 2,
			[FASTRPC_ATTR_VTCM_PAGE] = 256 * 1024,
			[FASTRPC_ATTR_VTCM_COUNT] = 8,
			[FASTRPC_ATTR_ARCH_VER] = 0x68,
			[FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT] = 1,
		},
	},
};

static struct vdsp_domain *vdsp_domains[FASTRPC_DOMAIN_COUNT];

const char *vdsp_domain_label(int id)
{
	return vdsp_infos[id].label;
}

static int vdsp_label_id(const char *label)
{
	int d;

	for (d = 0; d < FASTRPC_DOMAIN_COUNT; d++)
		if (!strcmp(label, vdsp_infos[d].label))
			return d;
	return -EINVAL;
}

struct vdsp_domain *vdsp_domain_by_label(const char *label)
{
	int d = vdsp_label_id(label);

	return d < 0 ? NULL : vdsp_domains[d];
}

/* Runtime first, so that the driver's first message finds it */
static int vdsp_domain_up(struct vdsp_domain *dom)
{
	int ret;

	lockdep_assert_held(&dom->state_lock);
	ret = vdsp_runtime_start(dom);
	if (ret)
		return ret;
	ret = vdsp_rpdev_add(dom);
	if (ret)
		vdsp_runtime_stop(dom);
	return ret;
}

/*
 * Runtime first: once its threads are stopped nothing touches the memory
 * of a request any more, so the driver may free it when its remove fails
 * the calls in flight.
 */
static void vdsp_domain_down(struct vdsp_domain *dom)
{
	lockdep_assert_held(&dom->state_lock);
	vdsp_runtime_stop(dom);
	vdsp_rpdev_del(dom);
}

/* A DSP crash: the subsystem restarts, its rpmsg device goes and returns */
static void vdsp_restart_work(struct work_struct *work)
{
	struct vdsp_domain *dom = container_of(work, struct vdsp_domain,
					       restart_work);
	int ret;

	mutex_lock(&dom->state_lock);
	if (dom->rpdev) {
		vdsp_domain_down(dom);
		dom->gen++;
		dom->restarts++;
		ret = vdsp_domain_up(dom);
		if (ret)
			dev_err(&dom->parent->dev, "restart failed: %d\n", ret);
	}
	mutex_unlock(&dom->state_lock);
}

void vdsp_domain_crash(struct vdsp_domain *dom)
{
	dev_info(&dom->parent->dev, "DSP crashed, restarting\n");
	schedule_work(&dom->restart_work);
}

/*
 * The domain's SMMU, its "hardware" set up before the DSP comes up: a
 * platform device for the smmu-<label> node, bound by vdsp_smmu.ko, which
 * vdsp.ko needs for its symbols and so is loaded.
 */
static int vdsp_domain_smmu_create(struct vdsp_domain *dom)
{
	struct device_node *np = vdsp_dt_smmu_node(dom->info->label);
	int ret = 0;

	if (!np)
		return -ENOENT;
	dom->smmu_pdev = of_platform_device_create(np, NULL, NULL);
	if (dom->smmu_pdev)
		dom->smmu = vdsp_smmu_get(np);
	if (!dom->smmu) {
		pr_err("vdsp: %s: no SMMU bound to %pOF\n", dom->info->label, np);
		ret = -ENODEV;
	}
	of_node_put(np);
	return ret;
}

static void vdsp_domain_smmu_destroy(struct vdsp_domain *dom)
{
	vdsp_smmu_put(dom->smmu);
	dom->smmu = NULL;
	if (dom->smmu_pdev)
		of_platform_device_destroy(&dom->smmu_pdev->dev, NULL);
	dom->smmu_pdev = NULL;
}

static void vdsp_domain_free(struct vdsp_domain *dom)
{
	/* After the rpmsg device: no bank is behind the SMMU any more */
	vdsp_domain_smmu_destroy(dom);
	if (dom->parent)
		platform_device_unregister(dom->parent);
	of_node_put(dom->np);
	xa_destroy(&dom->procs);
	ida_destroy(&dom->addrs);
	kfree(dom);
}

static struct vdsp_domain *vdsp_domain_alloc(int id)
{
	struct vdsp_domain *dom = kzalloc(sizeof(*dom), GFP_KERNEL);

	if (!dom)
		return NULL;
	dom->id = id;
	dom->info = &vdsp_infos[id];
	mutex_init(&dom->state_lock);
	INIT_WORK(&dom->restart_work, vdsp_restart_work);
	ida_init(&dom->addrs);
	spin_lock_init(&dom->lock);
	INIT_LIST_HEAD(&dom->queue);
	INIT_LIST_HEAD(&dom->replies);
	INIT_LIST_HEAD(&dom->reqs);
	init_llist_head(&dom->fired);
	init_waitqueue_head(&dom->wq);
	init_waitqueue_head(&dom->idle);
	mutex_init(&dom->proc_lock);
	xa_init(&dom->procs);
	mutex_init(&dom->floor.lock);
	dom->fault.fail_errno = EIO;
	atomic_set(&dom->fault.crash_on, -1);
	spin_lock_init(&dom->fault.fuzz_lock);
	vdsp_fuzz_seed(dom, 1);
	dom->nthreads = clamp(vdsp_nthreads, 1U, 16U);
	return dom;
}

static int vdsp_domain_create(int id)
{
	struct vdsp_domain *dom;
	char name[16];
	int ret;

	dom = vdsp_domain_alloc(id);
	if (!dom)
		return -ENOMEM;
	dom->np = vdsp_dt_domain_node(dom->info->label);
	if (!dom->np) {
		ret = -ENOENT;
		goto err;
	}
	dom->sids = vdsp_dt_bank_sids(dom->np);
	ret = vdsp_domain_smmu_create(dom);
	if (ret)
		goto err;
	snprintf(name, sizeof(name), "vdsp-%s", dom->info->label);
	dom->parent = platform_device_register_simple(name, PLATFORM_DEVID_NONE,
						      NULL, 0);
	if (IS_ERR(dom->parent)) {
		ret = PTR_ERR(dom->parent);
		dom->parent = NULL;
		goto err;
	}
	mutex_lock(&dom->state_lock);
	ret = vdsp_domain_up(dom);
	mutex_unlock(&dom->state_lock);
	if (ret)
		goto err;
	vdsp_domains[id] = dom;
	vdsp_debugfs_add(dom);
	return 0;

err:
	vdsp_domain_free(dom);
	return ret;
}

static void vdsp_domain_destroy(struct vdsp_domain *dom)
{
	/*
	 * Down first: once the threads are stopped no fault skel can queue
	 * a restart; one queued before finds no rpmsg device and does
	 * nothing, and is waited for before the domain is freed.
	 */
	mutex_lock(&dom->state_lock);
	vdsp_domain_down(dom);
	mutex_unlock(&dom->state_lock);
	cancel_work_sync(&dom->restart_work);
	vdsp_domain_free(dom);
}

static void vdsp_domains_destroy(void)
{
	int d;

	/* Debugfs first: its handlers use the domains */
	vdsp_debugfs_exit();
	for (d = FASTRPC_DOMAIN_COUNT - 1; d >= 0; d--) {
		if (vdsp_domains[d])
			vdsp_domain_destroy(vdsp_domains[d]);
		vdsp_domains[d] = NULL;
	}
}

static int vdsp_parse_domains(bool *enabled)
{
	char *list, *p, *tok;
	int d, n = 0, ret = 0;

	list = kstrdup(domains ? domains : "", GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	p = list;
	while ((tok = strsep(&p, ","))) {
		tok = strim(tok);
		if (!*tok)
			continue;
		d = vdsp_label_id(tok);
		if (d < 0) {
			pr_err("vdsp: unknown domain '%s'\n", tok);
			ret = -EINVAL;
			break;
		}
		enabled[d] = true;
		n++;
	}
	kfree(list);
	if (!ret && !n) {
		pr_err("vdsp: no domain chosen\n");
		ret = -EINVAL;
	}
	return ret;
}

/* "label:count,..." into @count[domain id] */
static int vdsp_parse_banks(int *count)
{
	char *list, *p, *tok, *num;
	unsigned int n;
	int d, ret = 0;

	list = kstrdup(banks ? banks : "", GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	p = list;
	while ((tok = strsep(&p, ","))) {
		tok = strim(tok);
		if (!*tok)
			continue;
		num = strchr(tok, ':');
		if (num)
			*num++ = '\0';
		d = vdsp_label_id(tok);
		if (d < 0 || !num || kstrtouint(num, 0, &n) ||
		    n > VDSP_BANKS_MAX) {
			pr_err("vdsp: banks: want label:count (0-%d), got '%s'\n",
			       VDSP_BANKS_MAX, tok);
			ret = -EINVAL;
			break;
		}
		count[d] = n;
	}
	kfree(list);
	return ret;
}

static int __init vdsp_init(void)
{
	bool enabled[FASTRPC_DOMAIN_COUNT] = { };
	int count[FASTRPC_DOMAIN_COUNT];
	int d, ret;

	for (d = 0; d < FASTRPC_DOMAIN_COUNT; d++)
		count[d] = -1;

	ret = vdsp_parse_domains(enabled);
	if (!ret)
		ret = vdsp_parse_banks(count);
	if (ret)
		return ret;
	ret = vdsp_dt_init(enabled, count);
	if (ret)
		return ret;
	vdsp_debugfs_init();
	for (d = 0; d < FASTRPC_DOMAIN_COUNT; d++) {
		if (!enabled[d])
			continue;
		ret = vdsp_domain_create(d);
		if (ret) {
			pr_err("vdsp: bringing up %s failed: %d\n",
			       vdsp_infos[d].label, ret);
			goto err;
		}
	}
	return 0;

err:
	vdsp_domains_destroy();
	vdsp_dt_exit();
	return ret;
}

static void __exit vdsp_exit(void)
{
	vdsp_domains_destroy();
	vdsp_dt_exit();
}

module_init(vdsp_init);
module_exit(vdsp_exit);
MODULE_DESCRIPTION("Virtual Hexagon DSP speaking the FastRPC wire protocol over rpmsg");
MODULE_LICENSE("GPL");
