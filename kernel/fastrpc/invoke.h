/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Invoke contexts: one remote call from its arguments to its response.
 * A context is marshalled into a payload buffer, registered under an id in
 * its channel, sent, and completed by the DSP's response (or by the DSP's
 * loss). Ids are allocated cyclically from a 24-bit space per channel.
 * A steady stream of calls allocates no memory: contexts come from a small
 * per-client cache, each with the payload of its last call (payload.h),
 * the table of calls in flight is a fixed hash table.
 */
#ifndef FASTRPC_INVOKE_H
#define FASTRPC_INVOKE_H

#include <linux/errno.h>
#include <linux/types.h>
#include "misc/fastrpc.h"

struct fastrpc_call;
struct fastrpc_channel;
struct fastrpc_client;
struct fastrpc_map;

#define FASTRPC_CTX_ID_MAX	((1U << 24) - 1)

/*
 * A call the driver makes on its own behalf: inline arguments are kernel
 * addresses; maps[i], when set, is a buffer already mapped for the client
 * and stands for argument i (the context takes its own reference).
 */
int fastrpc_invoke_kernel(struct fastrpc_client *cl, u32 handle, u32 sc,
			  const struct fastrpc_invoke_args *args,
			  struct fastrpc_map **maps);
/*
 * The same, waiting uninterruptibly at most @timeout jiffies (a dying
 * process releasing its PD): -ETIMEDOUT leaves the call in flight.
 */
int fastrpc_invoke_kernel_timeout(struct fastrpc_client *cl, u32 handle,
				  u32 sc, const struct fastrpc_invoke_args *args,
				  struct fastrpc_map **maps,
				  unsigned long timeout);

/* An inline argument of a kernel call */
static inline struct fastrpc_invoke_args fastrpc_karg(const void *p, u64 len)
{
	return (struct fastrpc_invoke_args) {
		.ptr = (uintptr_t)p, .length = len, .fd = -1,
	};
}

int fastrpc_ioctl_invoke(struct fastrpc_call *call);

/* The rpmsg callback's work: complete the context @data names */
int fastrpc_invoke_response(struct fastrpc_channel *chan, const void *data,
			    int len);
/* The DSP is gone: fail every context in flight with -EPIPE */
void fastrpc_invoke_abort_all(struct fastrpc_channel *chan);
/* Close or DSP loss: forget the client's interrupted calls */
void fastrpc_invoke_drop_interrupted(struct fastrpc_client *cl);
/*
 * Teardown: the contexts kept for reuse give up their payloads (the bank
 * goes), and the payload cache closes: none is kept from now on, and the
 * shrinker frees none afterwards
 */
void fastrpc_invoke_cache_close(struct fastrpc_client *cl);
/* The client's last reference went: free the contexts it kept for reuse */
void fastrpc_invoke_free_cached(struct fastrpc_client *cl);

/*
 * A kernel call that ended so (done, or cut short by a fatal signal while
 * in flight) may have changed the DSP's state: a process or a mapping may
 * exist now, and the memory it names must stay.
 */
static inline bool fastrpc_invoke_maybe_done(int err)
{
	return !err || err == -ERESTARTSYS;
}

/* A DSP result as an errno for the driver's own calls */
int fastrpc_dsp_errno(int retval);

int fastrpc_invoke_init(void);
void fastrpc_invoke_flush(void);
void fastrpc_invoke_fini(void);

#endif /* FASTRPC_INVOKE_H */
