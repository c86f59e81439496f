/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User copies of an ioctl, none of which waits on a page fault while the
 * ioctl is inside its channel's SRCU section: a DSP's removal (restart,
 * rmmod) waits for that section, and a userfaultfd or FUSE page can hold
 * a fault for as long as its owner likes.
 *
 * - The ioctl's struct is copied in by the dispatcher before it enters
 *   the section, and, when the ioctl copies it back, made writable there
 *   too: the handler's copy back, without a fault, then fails only if
 *   the user took the page away meanwhile (a true -EFAULT, which the
 *   handler undoes as before).
 * - Any other copy in (an invoke's argument array and inputs, a shell,
 *   a name) is made without a fault; one that needs a fault records what
 *   is left to read in the call and returns -FASTRPC_EFAULTIN. The
 *   handler may do so only before anything the DSP or the user could see
 *   (a send, an fd, a remote mapping), undoes all it did, and returns it;
 *   the dispatcher leaves the section, faults the range in and calls the
 *   handler again (a removal meanwhile: -EPIPE).
 * - An invoke's outputs, which come after the DSP's answer and so cannot
 *   be retried, are copied without a fault; from the first that would
 *   fault on, they are bounced: copied into kernel memory, so that the
 *   context and its payload (a bank's DMA memory) go back inside the
 *   section, and copied to the user by the dispatcher once outside.
 */
#ifndef FASTRPC_UACCESS_H
#define FASTRPC_UACCESS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct fastrpc_client;

/*
 * Internal, never returned to userspace: the range in call->fault_addr
 * must be faulted in, outside the section, and the handler called again
 */
#define FASTRPC_EFAULTIN	4000

/* An invoke's output, from the bounce's bytes at @off to @to */
struct fastrpc_bounce_seg {
	void __user *to;
	size_t len;
	size_t off;
};

/*
 * Outputs the dispatcher copies once outside the section. Owned by the
 * call: allocated by the invoke (fastrpc_bounce_alloc()) after the DSP
 * answered, freed by the dispatcher after its copy, whatever the ioctl
 * returns (fastrpc_call_bounce_out()). Holds nothing of the channel.
 */
struct fastrpc_bounce {
	u32 nsegs;
	u32 max;
	u8 *data;			/* in the same allocation, past @segs */
	struct fastrpc_bounce_seg segs[];
};

/*
 * One ioctl, on the dispatcher's stack from its entry to its return;
 * handlers keep no pointer to it or into it past their return.
 */
struct fastrpc_call {
	struct fastrpc_client *cl;
	void *arg;			/* the ioctl's struct, copied in */
	void __user *uarg;		/* ... from here */
	size_t size;			/* its size: _IOC_SIZE() */
	/* What a copy in still had to read when it needed a fault */
	const char __user *fault_addr;
	size_t fault_len;
	struct fastrpc_bounce *bounce;	/* outputs left, or NULL */
};

/*
 * Copies in without a fault: 0, -EFAULT (not a user range) or
 * -FASTRPC_EFAULTIN with the range left recorded in @call
 */
int fastrpc_copy_in(struct fastrpc_call *call, void *dst,
		    const void __user *src, size_t len);
/* Copies out without a fault: 0 or -EFAULT */
int fastrpc_copy_out_nofault(void __user *dst, const void *src, size_t len);
/* The ioctl's struct back to the user, without a fault: 0 or -EFAULT */
int fastrpc_call_copy_back(struct fastrpc_call *call);

/* @call's bounce, for @max outputs whose bytes are @bytes in all */
struct fastrpc_bounce *fastrpc_bounce_alloc(struct fastrpc_call *call, u32 max,
					    size_t bytes);

/* Outside the section: what call->fault_addr names, read in; 0 or errno */
int fastrpc_call_fault_in(struct fastrpc_call *call);
/*
 * Outside the section: the bounced outputs to the user, then the bounce
 * freed. The ioctl's result: @err, or -EFAULT if that was 0 and a copy
 * failed (as an output the user cannot take fails a call the DSP did).
 */
int fastrpc_call_bounce_out(struct fastrpc_call *call, int err);

#endif /* FASTRPC_UACCESS_H */
