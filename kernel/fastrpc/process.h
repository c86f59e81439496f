/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The remote process of a client: attach to the root or sensors PD,
 * create a dynamic PD from a shell ELF, create a static PD (audio,
 * sensors) on the channel's remote heap, release it on close.
 */
#ifndef FASTRPC_PROCESS_H
#define FASTRPC_PROCESS_H

struct fastrpc_call;
struct fastrpc_channel;
struct fastrpc_client;

int fastrpc_ioctl_init_attach(struct fastrpc_call *call);
int fastrpc_ioctl_init_attach_sns(struct fastrpc_call *call);
int fastrpc_ioctl_init_create(struct fastrpc_call *call);
int fastrpc_ioctl_init_create_static(struct fastrpc_call *call);

/*
 * Close: ask the DSP to release the client's process, if it has one.
 * -ETIMEDOUT when the DSP did not answer, and may still use its memory.
 */
int fastrpc_process_release(struct fastrpc_client *cl);

/* The DSP is gone: the static PDs' remote heap goes too */
void fastrpc_process_heap_free(struct fastrpc_channel *chan);

#endif /* FASTRPC_PROCESS_H */
