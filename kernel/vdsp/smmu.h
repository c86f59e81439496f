/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SMMU in front of the virtual DSPs (vdsp_smmu.ko), as the vdsp sees
 * it: every access the DSP makes goes through vdsp_smmu_access().
 */
#ifndef VDSP_SMMU_H
#define VDSP_SMMU_H

#include <linux/types.h>

struct device_node;
struct vdsp_smmu;

/* Streams one SMMU serves; a bank's reg (stream id) is below this */
#define VDSP_SMMU_STREAMS	64
/* A stream's address space: what a 32-bit DMA mask reaches */
#define VDSP_SMMU_IOVA_BITS	32

/* Access flags */
#define VDSP_SMMU_WRITE		BIT(0)

/* Why an access faulted, and where */
struct vdsp_smmu_fault {
	u64 iova;
	const char *why;
};

/* Called on each page-sized piece of an access, with the bytes mapped */
typedef void (*vdsp_smmu_fn)(void *va, size_t n, void *arg);

struct vdsp_smmu *vdsp_smmu_get(struct device_node *np);
void vdsp_smmu_put(struct vdsp_smmu *smmu);
int vdsp_smmu_access(struct vdsp_smmu *smmu, u32 sid, u64 iova, u64 len,
		     unsigned int flags, vdsp_smmu_fn fn, void *arg,
		     struct vdsp_smmu_fault *fault);

#endif
