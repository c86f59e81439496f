// SPDX-License-Identifier: GPL-2.0
/*
 * The device tree the driver finds: vdsp.dtso, built into this module,
 * applied as an overlay at load (x86 boots with an empty tree, so the
 * overlay adds /vdsp and the qcom,fastrpc nodes under it), then adjusted
 * with one changeset to the domains and bank counts the module parameters
 * ask for. Unload reverts the changeset, then removes the overlay.
 */
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "vdsp.h"

#define VDSP_DT_ROOT	"/vdsp"

static int vdsp_ovcs_id;
static struct of_changeset vdsp_cset;
static bool vdsp_cset_applied;

static bool vdsp_dt_is_secure_bank(struct device_node *cb)
{
	return of_property_read_bool(cb, "qcom,secure-context-bank");
}

/* A bank added to domain node @dn, behind the domain's SMMU as stream @sid */
static int vdsp_dt_add_bank(struct device_node *dn, u32 sid)
{
	struct device_node *cb, *smmu;
	const char *label;
	u32 iommus[2];
	char name[32];
	int ret;

	if (of_property_read_string(dn, "label", &label))
		return -EINVAL;
	smmu = vdsp_dt_smmu_node(label);
	if (!smmu)
		return -ENOENT;
	iommus[0] = smmu->phandle;
	iommus[1] = sid;
	of_node_put(smmu);
	snprintf(name, sizeof(name), "compute-cb@%x", sid);
	cb = of_changeset_create_node(&vdsp_cset, dn, name);
	if (!cb)
		return -ENOMEM;
	ret = of_changeset_add_prop_string(&vdsp_cset, cb, "compatible",
					   "qcom,fastrpc-compute-cb");
	if (!ret)
		ret = of_changeset_add_prop_u32(&vdsp_cset, cb, "reg", sid);
	if (!ret)
		ret = of_changeset_add_prop_u32_array(&vdsp_cset, cb, "iommus",
						      iommus, 2);
	/* The changeset holds its own reference from here on */
	of_node_put(cb);
	return ret;
}

/* How many non-secure banks of @dn have a stream id below @sid */
static unsigned int vdsp_dt_bank_rank(struct device_node *dn, u32 sid)
{
	struct device_node *cb;
	unsigned int rank = 0;
	u32 other;

	for_each_child_of_node(dn, cb)
		if (!vdsp_dt_is_secure_bank(cb) &&
		    !of_property_read_u32(cb, "reg", &other) && other < sid)
			rank++;
	return rank;
}

/*
 * Keep the @want non-secure banks of domain node @dn with the lowest
 * stream ids (the order of the child list is not the source's: the
 * overlay attaches each node at the head of its parent's children),
 * detach the rest, or add banks after the highest stream id until there
 * are @want.
 */
static int vdsp_dt_set_banks(struct device_node *dn, unsigned int want)
{
	struct device_node *cb;
	unsigned int have = 0;
	u32 sid, max_sid = 0;
	int ret;

	for_each_child_of_node(dn, cb) {
		if (of_property_read_u32(cb, "reg", &sid))
			continue;
		max_sid = max(max_sid, sid);
		if (vdsp_dt_is_secure_bank(cb))
			continue;
		if (vdsp_dt_bank_rank(dn, sid) < want) {
			have++;
			continue;
		}
		ret = of_changeset_detach_node(&vdsp_cset, cb);
		if (ret) {
			of_node_put(cb);
			return ret;
		}
	}
	for (; have < want; have++) {
		ret = vdsp_dt_add_bank(dn, ++max_sid);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A domain left out: its banks first, then its node. Reverting a detach
 * attaches the node back without children (__of_attach_node starts an
 * empty child list), so the revert, which runs in reverse order, must
 * attach the banks again after their parent.
 */
static int vdsp_dt_drop_domain(struct device_node *dn)
{
	struct device_node *cb;
	int ret;

	for_each_child_of_node(dn, cb) {
		ret = of_changeset_detach_node(&vdsp_cset, cb);
		if (ret) {
			of_node_put(cb);
			return ret;
		}
	}
	return of_changeset_detach_node(&vdsp_cset, dn);
}

/*
 * @enabled[d] and @banks[d] per domain id; banks < 0 keeps the overlay's
 * count.
 */
static int vdsp_dt_adjust(const bool *enabled, const int *banks)
{
	struct device_node *root, *dn;
	const char *label;
	int d, ret = 0;

	root = of_find_node_by_path(VDSP_DT_ROOT);
	if (!root)
		return -ENOENT;
	for_each_child_of_node(root, dn) {
		if (of_property_read_string(dn, "label", &label))
			continue;
		for (d = 0; d < FASTRPC_DOMAIN_COUNT; d++)
			if (!strcmp(label, vdsp_domain_label(d)))
				break;
		if (d == FASTRPC_DOMAIN_COUNT)
			continue;
		if (!enabled[d])
			ret = vdsp_dt_drop_domain(dn);
		else if (banks[d] >= 0)
			ret = vdsp_dt_set_banks(dn, banks[d]);
		if (ret) {
			of_node_put(dn);
			break;
		}
	}
	of_node_put(root);
	return ret;
}

int vdsp_dt_init(const bool *enabled, const int *banks)
{
	u32 size = __dtbo_vdsp_end - __dtbo_vdsp_begin;
	int ret;

	ret = of_overlay_fdt_apply(__dtbo_vdsp_begin, size, &vdsp_ovcs_id,
				   NULL);
	if (ret) {
		pr_err("vdsp: applying the overlay failed: %d\n", ret);
		goto err_overlay;
	}
	of_changeset_init(&vdsp_cset);
	ret = vdsp_dt_adjust(enabled, banks);
	if (!ret)
		ret = of_changeset_apply(&vdsp_cset);
	if (ret) {
		pr_err("vdsp: adjusting domains and banks failed: %d\n", ret);
		of_changeset_destroy(&vdsp_cset);
		goto err_overlay;
	}
	vdsp_cset_applied = true;
	return 0;

err_overlay:
	/* A partly applied overlay still has an id to remove */
	if (vdsp_ovcs_id)
		of_overlay_remove(&vdsp_ovcs_id);
	return ret;
}

void vdsp_dt_exit(void)
{
	if (vdsp_cset_applied) {
		of_changeset_revert(&vdsp_cset);
		of_changeset_destroy(&vdsp_cset);
		vdsp_cset_applied = false;
	}
	if (vdsp_ovcs_id)
		of_overlay_remove(&vdsp_ovcs_id);
}

/* The stream ids (reg) of the domain node's banks, a bit each */
u64 vdsp_dt_bank_sids(struct device_node *np)
{
	struct device_node *cb;
	u64 sids = 0;
	u32 sid;

	for_each_child_of_node(np, cb)
		if (of_device_is_compatible(cb, "qcom,fastrpc-compute-cb") &&
		    !of_property_read_u32(cb, "reg", &sid) && sid < VDSP_SIDS)
			sids |= BIT_ULL(sid);
	return sids;
}

/* The domain's qcom,fastrpc node, referenced; NULL if not in the tree */
struct device_node *vdsp_dt_domain_node(const char *label)
{
	struct device_node *root, *dn;
	const char *l;

	root = of_find_node_by_path(VDSP_DT_ROOT);
	if (!root)
		return NULL;
	for_each_child_of_node(root, dn)
		if (!of_property_read_string(dn, "label", &l) &&
		    !strcmp(l, label) &&
		    of_device_is_compatible(dn, "qcom,fastrpc"))
			break;
	of_node_put(root);
	return dn;
}

/* The SMMU node in front of the domain's banks, referenced; or NULL */
struct device_node *vdsp_dt_smmu_node(const char *label)
{
	char path[32];

	snprintf(path, sizeof(path), VDSP_DT_ROOT "/smmu-%s", label);
	return of_find_node_by_path(path);
}
