// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp_rawreq.ko: the context banks its requests go through. The DSP
 * reaches memory only through its SMMU, whose page tables are what the DMA
 * API mapped for a bank's compute-cb device; so, as a driver would, this
 * module maps every page it names for a device of that bank: a device of
 * its own, configured from the bank's node (its iommus property), which
 * the SMMU puts in the same group as any driver's device of that stream:
 * one page table, one address space.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_device.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "vdsp_rawreq.h"

#define RAWREQ_SIDS	64

struct rawreq_bank {
	struct platform_device *pdev;
};

static DEFINE_MUTEX(rawreq_bank_lock);
static struct rawreq_bank rawreq_banks[RAWREQ_DOMAINS][RAWREQ_SIDS];

/* @label's bank with stream id @sid, or its lowest one if it has none */
static struct device_node *rawreq_bank_node(const char *label, u32 sid)
{
	struct device_node *root, *dn, *cb, *best = NULL;
	u32 reg, best_reg = U32_MAX;
	const char *l;

	root = of_find_node_by_path("/vdsp");
	if (!root)
		return NULL;
	for_each_child_of_node(root, dn)
		if (of_device_is_compatible(dn, "qcom,fastrpc") &&
		    !of_property_read_string(dn, "label", &l) &&
		    !strcmp(l, label))
			break;
	of_node_put(root);
	if (!dn)
		return NULL;
	for_each_child_of_node(dn, cb) {
		if (of_property_read_u32(cb, "reg", &reg))
			continue;
		if (reg == sid || (best_reg != sid && reg < best_reg)) {
			of_node_put(best);
			best = of_node_get(cb);
			best_reg = reg;
		}
	}
	of_node_put(dn);
	return best;
}

static struct platform_device *rawreq_bank_create(const char *label, u32 sid)
{
	struct device_node *np = rawreq_bank_node(label, sid);
	struct platform_device *pdev;
	int ret = -ENOENT;

	if (!np)
		return ERR_PTR(ret);
	pdev = platform_device_alloc("vdsp-rawreq-bank", PLATFORM_DEVID_AUTO);
	if (!pdev) {
		ret = -ENOMEM;
		goto out;
	}
	ret = platform_device_add(pdev);
	if (ret)
		goto err_put;
	/* What a bus does for a device of the node before a driver binds */
	ret = of_dma_configure(&pdev->dev, np, true);
	if (!ret)
		ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (!ret)
		goto out;
	platform_device_del(pdev);
err_put:
	platform_device_put(pdev);
	pdev = ERR_PTR(ret);
out:
	of_node_put(np);
	return pdev;
}

/**
 * rawreq_bank_dev() - a device behind bank @sid of domain @d
 * @d: index into the module's domain labels
 * @label: the domain's label
 * @sid: the stream id; a stream the domain has no bank for gets its
 *       lowest bank's device (the addresses still carry @sid)
 *
 * Return: the device, valid until rawreq_banks_destroy(); or an ERR_PTR.
 */
struct device *rawreq_bank_dev(int d, const char *label, u32 sid)
{
	struct platform_device *pdev;

	if (d < 0 || d >= RAWREQ_DOMAINS || sid >= RAWREQ_SIDS)
		return ERR_PTR(-EINVAL);
	mutex_lock(&rawreq_bank_lock);
	pdev = rawreq_banks[d][sid].pdev;
	if (!pdev) {
		pdev = rawreq_bank_create(label, sid);
		if (!IS_ERR(pdev))
			rawreq_banks[d][sid].pdev = pdev;
	}
	mutex_unlock(&rawreq_bank_lock);
	return IS_ERR(pdev) ? ERR_CAST(pdev) : &pdev->dev;
}

/* At unload, once nothing of ours is mapped any more */
void rawreq_banks_destroy(void)
{
	int d, s;

	mutex_lock(&rawreq_bank_lock);
	for (d = 0; d < RAWREQ_DOMAINS; d++)
		for (s = 0; s < RAWREQ_SIDS; s++) {
			if (rawreq_banks[d][s].pdev)
				platform_device_unregister(rawreq_banks[d][s].pdev);
			rawreq_banks[d][s].pdev = NULL;
		}
	mutex_unlock(&rawreq_bank_lock);
}
