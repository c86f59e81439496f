// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp_smmu.ko: the SMMU in front of the virtual DSPs, as an IOMMU driver.
 *
 * On a Snapdragon SoC a DSP reaches memory only through the SMMU context
 * bank that the stream id of an access selects, and that bank's page
 * tables hold what the kernel mapped for the compute-cb device of that
 * stream. Here each vdsp domain has a "vdsp,smmu" node and its banks name
 * it (iommus = <&smmu SID>), so whichever driver binds the banks gets its
 * DMA API through dma-iommu and these page tables: a dma_map_*() or
 * dma_alloc_*() is what makes memory reachable, its unmap what makes it
 * unreachable again, with no change in any driver. The vdsp touches memory
 * only through vdsp_smmu_access(), which walks the tables of the stream:
 * an access to a page that is not mapped (never was, or was unmapped and
 * perhaps freed), a write to a page mapped read-only or a stream with no
 * bank attached faults, as on hardware.
 *
 * One spinlock per SMMU covers the stream table, the page-table entries
 * and the counters, and is held across each page an access touches:
 * unmap_pages() clears entries under it, so once an unmap returns no
 * access is still using those pages (what an IOTLB invalidation's sync
 * guarantees on hardware), and the caller may free them.
 *
 * A module of its own: every device behind an IOMMU holds a reference on
 * the IOMMU driver's module, so inside vdsp.ko the banks a driver bound
 * would keep vdsp.ko from ever unloading.
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "smmu.h"

/* Page tables: a leaf is a page of entries, the root points to leaves */
#define VDSP_PT_LEAF_BITS	(PAGE_SHIFT - 3)
#define VDSP_PT_LEAF_ENTRIES	BIT(VDSP_PT_LEAF_BITS)
#define VDSP_PT_LEAVES		BIT(VDSP_SMMU_IOVA_BITS - PAGE_SHIFT - \
				    VDSP_PT_LEAF_BITS)

/* An entry: the page's physical address, and what the device may do */
#define VDSP_PTE_READ		BIT_ULL(0)
#define VDSP_PTE_WRITE		BIT_ULL(1)
#define VDSP_PTE_ADDR		PAGE_MASK

struct vdsp_smmu_domain {
	struct iommu_domain domain;
	struct vdsp_smmu *smmu;		/* of its first attach; smmu->lock */
	unsigned long pages;		/* mapped; smmu->lock */
	u64 *leaves[VDSP_PT_LEAVES];	/* set once, under smmu->lock */
};

struct vdsp_smmu_stream {
	struct vdsp_smmu_domain *domain; /* attached; smmu->lock */
	u64 faults;			/* smmu->lock */
	/* Devices of the stream share one group: one bank, one page table */
	struct iommu_group *group;	/* referenced; smmu->group_lock */
	unsigned int devices;		/* smmu->group_lock */
};

struct vdsp_smmu {
	struct iommu_device iommu;
	struct device *dev;
	spinlock_t lock;		/* see the top of this file */
	struct mutex group_lock;
	struct vdsp_smmu_stream streams[VDSP_SMMU_STREAMS];
	struct dentry *debugfs;
};

/* What probe_device keeps for a device behind the SMMU */
struct vdsp_smmu_master {
	struct vdsp_smmu *smmu;
	u32 sid;
	bool grouped;			/* counted in its stream's devices */
};

static struct platform_driver vdsp_smmu_driver;
static const struct iommu_ops vdsp_smmu_ops;
static struct dentry *vdsp_smmu_debugfs_root;

static struct vdsp_smmu_domain *to_vdsp_domain(struct iommu_domain *d)
{
	return container_of(d, struct vdsp_smmu_domain, domain);
}

/* The entry of @iova, or NULL if its leaf was never allocated */
static u64 *vdsp_pte(struct vdsp_smmu_domain *dom, u64 iova)
{
	u64 pfn = iova >> PAGE_SHIFT;
	u64 *leaf = dom->leaves[pfn >> VDSP_PT_LEAF_BITS];

	return leaf ? &leaf[pfn & (VDSP_PT_LEAF_ENTRIES - 1)] : NULL;
}

static bool vdsp_iova_range_ok(u64 iova, u64 size)
{
	return size && iova + size > iova &&
	       iova + size <= BIT_ULL(VDSP_SMMU_IOVA_BITS);
}

/* Leaves for [@iova, @iova + @size) before the entries are set */
static int vdsp_pt_alloc_leaves(struct vdsp_smmu_domain *dom,
				struct vdsp_smmu *smmu, u64 iova, u64 size,
				gfp_t gfp)
{
	u64 first = iova >> (PAGE_SHIFT + VDSP_PT_LEAF_BITS);
	u64 last = (iova + size - 1) >> (PAGE_SHIFT + VDSP_PT_LEAF_BITS);
	unsigned long flags;
	u64 i, *leaf;

	for (i = first; i <= last; i++) {
		if (READ_ONCE(dom->leaves[i]))
			continue;
		leaf = (u64 *)get_zeroed_page(gfp);
		if (!leaf)
			return -ENOMEM;
		spin_lock_irqsave(&smmu->lock, flags);
		if (!dom->leaves[i]) {
			dom->leaves[i] = leaf;
			leaf = NULL;
		}
		spin_unlock_irqrestore(&smmu->lock, flags);
		free_page((unsigned long)leaf);
	}
	return 0;
}

static int vdsp_smmu_map_pages(struct iommu_domain *domain, unsigned long iova,
			       phys_addr_t paddr, size_t pgsize, size_t pgcount,
			       int prot, gfp_t gfp, size_t *mapped)
{
	struct vdsp_smmu_domain *dom = to_vdsp_domain(domain);
	struct vdsp_smmu *smmu = dom->smmu;
	u64 size = (u64)pgsize * pgcount, bits = 0, *pte;
	unsigned long flags;
	size_t i;
	int ret;

	/* Mapping before the first attach: nothing can reach it yet */
	if (WARN_ON_ONCE(!smmu))
		return -ENODEV;
	if (pgsize != PAGE_SIZE || !vdsp_iova_range_ok(iova, size))
		return -EINVAL;
	ret = vdsp_pt_alloc_leaves(dom, smmu, iova, size, gfp);
	if (ret)
		return ret;
	if (prot & IOMMU_READ)
		bits |= VDSP_PTE_READ;
	if (prot & IOMMU_WRITE)
		bits |= VDSP_PTE_WRITE;

	spin_lock_irqsave(&smmu->lock, flags);
	for (i = 0; i < pgcount; i++) {
		pte = vdsp_pte(dom, iova + i * PAGE_SIZE);
		if (*pte) {
			ret = -EEXIST;
			break;
		}
		*pte = ((paddr + i * PAGE_SIZE) & VDSP_PTE_ADDR) | bits;
	}
	dom->pages += i;
	spin_unlock_irqrestore(&smmu->lock, flags);
	*mapped += i * PAGE_SIZE;
	return ret;
}

static size_t vdsp_smmu_unmap_pages(struct iommu_domain *domain,
				    unsigned long iova, size_t pgsize,
				    size_t pgcount,
				    struct iommu_iotlb_gather *gather)
{
	struct vdsp_smmu_domain *dom = to_vdsp_domain(domain);
	struct vdsp_smmu *smmu = dom->smmu;
	unsigned long flags;
	size_t i;
	u64 *pte;

	if (!smmu || pgsize != PAGE_SIZE ||
	    !vdsp_iova_range_ok(iova, (u64)pgsize * pgcount))
		return 0;
	spin_lock_irqsave(&smmu->lock, flags);
	for (i = 0; i < pgcount; i++) {
		pte = vdsp_pte(dom, iova + i * PAGE_SIZE);
		if (!pte || !*pte)
			break;
		*pte = 0;
	}
	dom->pages -= i;
	spin_unlock_irqrestore(&smmu->lock, flags);
	return i * PAGE_SIZE;
}

static phys_addr_t vdsp_smmu_iova_to_phys(struct iommu_domain *domain,
					  dma_addr_t iova)
{
	struct vdsp_smmu_domain *dom = to_vdsp_domain(domain);
	phys_addr_t pa = 0;
	unsigned long flags;
	u64 *pte;

	if (!dom->smmu || !vdsp_iova_range_ok(iova, 1))
		return 0;
	spin_lock_irqsave(&dom->smmu->lock, flags);
	pte = vdsp_pte(dom, iova);
	if (pte && *pte)
		pa = (*pte & VDSP_PTE_ADDR) | offset_in_page(iova);
	spin_unlock_irqrestore(&dom->smmu->lock, flags);
	return pa;
}

static struct vdsp_smmu_master *vdsp_master(struct device *dev)
{
	return dev_iommu_priv_get(dev);
}

static int vdsp_smmu_attach_dev(struct iommu_domain *domain,
				struct device *dev)
{
	struct vdsp_smmu_domain *dom = to_vdsp_domain(domain);
	struct vdsp_smmu_master *m = vdsp_master(dev);
	struct vdsp_smmu *smmu = m->smmu;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&smmu->lock, flags);
	if (!dom->smmu)
		dom->smmu = smmu;
	if (dom->smmu == smmu)
		smmu->streams[m->sid].domain = dom;
	else
		ret = -EINVAL;	/* page tables are one SMMU's */
	spin_unlock_irqrestore(&smmu->lock, flags);
	return ret;
}

static void vdsp_smmu_domain_free(struct iommu_domain *domain)
{
	struct vdsp_smmu_domain *dom = to_vdsp_domain(domain);
	struct vdsp_smmu *smmu = dom->smmu;
	unsigned long flags;
	unsigned int i;

	if (smmu) {
		spin_lock_irqsave(&smmu->lock, flags);
		for (i = 0; i < VDSP_SMMU_STREAMS; i++)
			if (smmu->streams[i].domain == dom)
				smmu->streams[i].domain = NULL;
		spin_unlock_irqrestore(&smmu->lock, flags);
	}
	for (i = 0; i < VDSP_PT_LEAVES; i++)
		free_page((unsigned long)dom->leaves[i]);
	kfree(dom);
}

static const struct iommu_domain_ops vdsp_smmu_domain_ops = {
	.attach_dev = vdsp_smmu_attach_dev,
	.map_pages = vdsp_smmu_map_pages,
	.unmap_pages = vdsp_smmu_unmap_pages,
	.iova_to_phys = vdsp_smmu_iova_to_phys,
	.free = vdsp_smmu_domain_free,
};

static struct iommu_domain *vdsp_smmu_domain_alloc_paging(struct device *dev)
{
	struct vdsp_smmu_domain *dom = kzalloc(sizeof(*dom), GFP_KERNEL);

	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->domain.geometry.aperture_start = 0;
	dom->domain.geometry.aperture_end = DMA_BIT_MASK(VDSP_SMMU_IOVA_BITS);
	dom->domain.geometry.force_aperture = true;
	return &dom->domain;
}

static struct vdsp_smmu *vdsp_smmu_by_fwnode(struct fwnode_handle *fwnode)
{
	struct device *dev;
	struct vdsp_smmu *smmu;

	dev = driver_find_device_by_fwnode(&vdsp_smmu_driver.driver, fwnode);
	if (!dev)
		return NULL;
	smmu = dev_get_drvdata(dev);
	put_device(dev);
	return smmu;
}

static struct iommu_device *vdsp_smmu_probe_device(struct device *dev)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);
	struct vdsp_smmu_master *m;
	struct vdsp_smmu *smmu;

	if (!fwspec || fwspec->num_ids != 1 ||
	    fwspec->ids[0] >= VDSP_SMMU_STREAMS)
		return ERR_PTR(-EINVAL);
	smmu = vdsp_smmu_by_fwnode(fwspec->iommu_fwnode);
	if (!smmu)
		return ERR_PTR(-ENODEV);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->smmu = smmu;
	m->sid = fwspec->ids[0];
	dev_iommu_priv_set(dev, m);
	return &smmu->iommu;
}

static void vdsp_smmu_release_device(struct device *dev)
{
	struct vdsp_smmu_master *m = vdsp_master(dev);
	struct vdsp_smmu_stream *st = &m->smmu->streams[m->sid];
	struct iommu_group *put = NULL;
	unsigned long flags;

	mutex_lock(&m->smmu->group_lock);
	if (m->grouped && !--st->devices) {
		/* The last device of the stream: the bank goes idle */
		spin_lock_irqsave(&m->smmu->lock, flags);
		st->domain = NULL;
		spin_unlock_irqrestore(&m->smmu->lock, flags);
		put = st->group;
		st->group = NULL;
	}
	mutex_unlock(&m->smmu->group_lock);
	/* Not the last reference: @dev still holds its group */
	if (put)
		iommu_group_put(put);
	/* The core frees dev->iommu, and with it the pointer to @m */
	kfree(m);
}

/* Devices of one stream id are one bank: they share a group */
static struct iommu_group *vdsp_smmu_device_group(struct device *dev)
{
	struct vdsp_smmu_master *m = vdsp_master(dev);
	struct vdsp_smmu_stream *st = &m->smmu->streams[m->sid];
	struct iommu_group *group;

	mutex_lock(&m->smmu->group_lock);
	if (st->group) {
		group = iommu_group_ref_get(st->group);
	} else {
		group = generic_device_group(dev);
		if (!IS_ERR(group))
			st->group = iommu_group_ref_get(group);
	}
	if (!IS_ERR(group)) {
		st->devices++;
		m->grouped = true;
	}
	mutex_unlock(&m->smmu->group_lock);
	return group;
}

static int vdsp_smmu_of_xlate(struct device *dev,
			      const struct of_phandle_args *args)
{
	u32 sid;

	if (args->args_count != 1 || args->args[0] >= VDSP_SMMU_STREAMS)
		return -EINVAL;
	sid = args->args[0];
	return iommu_fwspec_add_ids(dev, &sid, 1);
}

/* The DSP reaches nothing untranslated */
static int vdsp_smmu_def_domain_type(struct device *dev)
{
	return IOMMU_DOMAIN_DMA;
}

static bool vdsp_smmu_capable(struct device *dev, enum iommu_cap cap)
{
	return false;
}

static const struct iommu_ops vdsp_smmu_ops = {
	.capable = vdsp_smmu_capable,
	.domain_alloc_paging = vdsp_smmu_domain_alloc_paging,
	.probe_device = vdsp_smmu_probe_device,
	.release_device = vdsp_smmu_release_device,
	.device_group = vdsp_smmu_device_group,
	.of_xlate = vdsp_smmu_of_xlate,
	.def_domain_type = vdsp_smmu_def_domain_type,
	.default_domain_ops = &vdsp_smmu_domain_ops,
	.pgsize_bitmap = PAGE_SIZE,
	.owner = THIS_MODULE,
};

/* @st is NULL for an address that names no stream's page */
static int vdsp_smmu_fault(struct vdsp_smmu_stream *st, u64 iova,
			   const char *why, struct vdsp_smmu_fault *fault)
{
	if (st)
		st->faults++;
	if (fault) {
		fault->iova = iova;
		fault->why = why;
	}
	return -EFAULT;
}

/*
 * Translate the page of @iova for an access of @flags into @page; called
 * with smmu->lock held, which keeps the page mapped while it is used.
 */
static int vdsp_smmu_page(struct vdsp_smmu *smmu, u32 sid, u64 iova,
			  unsigned int flags, struct page **page,
			  struct vdsp_smmu_fault *fault)
{
	struct vdsp_smmu_stream *st = &smmu->streams[sid];
	u64 *pte, pfn;

	if (!st->domain)
		return vdsp_smmu_fault(st, iova, "no context bank attached",
				       fault);
	pte = vdsp_pte(st->domain, iova);
	if (!pte || !(*pte & (VDSP_PTE_READ | VDSP_PTE_WRITE)))
		return vdsp_smmu_fault(st, iova, "page not mapped", fault);
	if ((flags & VDSP_SMMU_WRITE) && !(*pte & VDSP_PTE_WRITE))
		return vdsp_smmu_fault(st, iova, "write to a read-only page",
				       fault);
	if (!(flags & VDSP_SMMU_WRITE) && !(*pte & VDSP_PTE_READ))
		return vdsp_smmu_fault(st, iova, "read of a write-only page",
				       fault);
	pfn = PHYS_PFN(*pte & VDSP_PTE_ADDR);
	if (!pfn_valid(pfn))
		return vdsp_smmu_fault(st, iova, "mapped page is not RAM",
				       fault);
	*page = pfn_to_page(pfn);
	return 0;
}

/**
 * vdsp_smmu_access() - the DSP's access to @len bytes at @iova of stream @sid
 * @smmu: the SMMU in front of the DSP
 * @sid: the stream id the access carries
 * @iova: where it starts, in the stream's address space
 * @len: its length in bytes
 * @flags: VDSP_SMMU_WRITE for a write
 * @fn: called on each page-sized piece with its bytes mapped, or NULL to
 *      check only that the whole range translates
 * @arg: passed to @fn
 * @fault: set when the access faults
 *
 * Each piece is translated and used under the SMMU's lock, so it cannot
 * be unmapped meanwhile. A fault stops the access where it happens:
 * pieces before it were done. Might sleep between pieces.
 *
 * Return: 0, or -EFAULT with @fault set.
 */
int vdsp_smmu_access(struct vdsp_smmu *smmu, u32 sid, u64 iova, u64 len,
		     unsigned int flags, vdsp_smmu_fn fn, void *arg,
		     struct vdsp_smmu_fault *fault)
{
	unsigned long irqflags;
	struct page *page;
	void *va;
	u64 n;
	int ret;

	if (sid >= VDSP_SMMU_STREAMS)
		return vdsp_smmu_fault(NULL, iova, "no such stream", fault);
	if (!vdsp_iova_range_ok(iova, len ?: 1))
		return vdsp_smmu_fault(NULL, iova, "past the stream's 4 GiB",
				       fault);
	while (len) {
		n = min_t(u64, PAGE_SIZE - offset_in_page(iova), len);
		spin_lock_irqsave(&smmu->lock, irqflags);
		ret = vdsp_smmu_page(smmu, sid, iova, flags, &page, fault);
		if (!ret && fn) {
			va = kmap_local_page(page);
			fn(va + offset_in_page(iova), n, arg);
			kunmap_local(va);
		}
		spin_unlock_irqrestore(&smmu->lock, irqflags);
		if (ret)
			return ret;
		iova += n;
		len -= n;
		cond_resched();
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vdsp_smmu_access);

/**
 * vdsp_smmu_get() - the SMMU of an "vdsp,smmu" node, once its driver bound
 * @np: the node
 *
 * Return: the SMMU, referenced until vdsp_smmu_put(); NULL if no SMMU
 * was bound to @np.
 */
struct vdsp_smmu *vdsp_smmu_get(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct vdsp_smmu *smmu;

	if (!pdev)
		return NULL;
	device_lock(&pdev->dev);
	smmu = pdev->dev.driver == &vdsp_smmu_driver.driver ?
	       platform_get_drvdata(pdev) : NULL;
	device_unlock(&pdev->dev);
	if (!smmu)
		platform_device_put(pdev);
	return smmu;
}
EXPORT_SYMBOL_GPL(vdsp_smmu_get);

void vdsp_smmu_put(struct vdsp_smmu *smmu)
{
	if (smmu)
		put_device(smmu->dev);
}
EXPORT_SYMBOL_GPL(vdsp_smmu_put);

/* debugfs vdsp_smmu/<node>: a line per stream that has a bank or faults */
static int vdsp_smmu_streams_show(struct seq_file *s, void *unused)
{
	struct vdsp_smmu *smmu = s->private;
	struct vdsp_smmu_stream st;
	unsigned long pages, flags;
	unsigned int devices, i;

	for (i = 0; i < VDSP_SMMU_STREAMS; i++) {
		mutex_lock(&smmu->group_lock);
		devices = smmu->streams[i].devices;
		spin_lock_irqsave(&smmu->lock, flags);
		st = smmu->streams[i];
		pages = st.domain ? st.domain->pages : 0;
		spin_unlock_irqrestore(&smmu->lock, flags);
		mutex_unlock(&smmu->group_lock);
		if (!devices && !st.domain && !st.faults)
			continue;
		seq_printf(s, "stream=%u devices=%u attached=%d pages=%lu faults=%llu\n",
			   i, devices, !!st.domain, pages, st.faults);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vdsp_smmu_streams);

static int vdsp_smmu_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct vdsp_smmu *smmu;
	int ret;

	smmu = devm_kzalloc(dev, sizeof(*smmu), GFP_KERNEL);
	if (!smmu)
		return -ENOMEM;
	smmu->dev = dev;
	spin_lock_init(&smmu->lock);
	mutex_init(&smmu->group_lock);
	platform_set_drvdata(pdev, smmu);
	/* /sys/class/iommu/<node>, which links the devices behind it */
	ret = iommu_device_sysfs_add(&smmu->iommu, dev, NULL, "%pOFn", dev->of_node);
	if (ret)
		return dev_err_probe(dev, ret, "adding the IOMMU to sysfs\n");
	ret = iommu_device_register(&smmu->iommu, &vdsp_smmu_ops, dev);
	if (ret) {
		iommu_device_sysfs_remove(&smmu->iommu);
		return dev_err_probe(dev, ret, "registering the IOMMU\n");
	}
	smmu->debugfs = debugfs_create_file(kbasename(dev->of_node->full_name),
					    0400, vdsp_smmu_debugfs_root, smmu,
					    &vdsp_smmu_streams_fops);
	return 0;
}

static void vdsp_smmu_remove(struct platform_device *pdev)
{
	struct vdsp_smmu *smmu = platform_get_drvdata(pdev);

	debugfs_remove(smmu->debugfs);
	iommu_device_unregister(&smmu->iommu);
	iommu_device_sysfs_remove(&smmu->iommu);
	mutex_destroy(&smmu->group_lock);
}

static const struct of_device_id vdsp_smmu_of_match[] = {
	{ .compatible = "vdsp,smmu" },
	{ }
};
MODULE_DEVICE_TABLE(of, vdsp_smmu_of_match);

static struct platform_driver vdsp_smmu_driver = {
	.probe = vdsp_smmu_probe,
	.remove = vdsp_smmu_remove,
	.driver = {
		.name = "vdsp-smmu",
		.of_match_table = vdsp_smmu_of_match,
		.suppress_bind_attrs = true,
	},
};

static int __init vdsp_smmu_init(void)
{
	int ret;

	vdsp_smmu_debugfs_root = debugfs_create_dir("vdsp_smmu", NULL);
	ret = platform_driver_register(&vdsp_smmu_driver);
	if (ret)
		debugfs_remove(vdsp_smmu_debugfs_root);
	return ret;
}

static void __exit vdsp_smmu_exit(void)
{
	platform_driver_unregister(&vdsp_smmu_driver);
	debugfs_remove(vdsp_smmu_debugfs_root);
}

module_init(vdsp_smmu_init);
module_exit(vdsp_smmu_exit);
MODULE_DESCRIPTION("The SMMU in front of the virtual DSPs: page tables per context bank");
MODULE_LICENSE("GPL");
