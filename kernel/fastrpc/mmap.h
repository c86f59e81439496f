/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory mapped into the client's remote process: MMAP/MUNMAP (remote
 * heap growth with driver memory, or a dma-buf mapped on the DSP) and
 * MEM_MAP/MEM_UNMAP (a dma-buf range at a DSP address).
 */
#ifndef FASTRPC_MMAP_H
#define FASTRPC_MMAP_H

struct fastrpc_call;

int fastrpc_ioctl_mmap(struct fastrpc_call *call);
int fastrpc_ioctl_munmap(struct fastrpc_call *call);
int fastrpc_ioctl_mem_map(struct fastrpc_call *call);
int fastrpc_ioctl_mem_unmap(struct fastrpc_call *call);

#endif /* FASTRPC_MMAP_H */
