// SPDX-License-Identifier: GPL-2.0
/*
 * User copies that take no page fault inside the channel's SRCU section,
 * and what the dispatcher does for them outside it (uaccess.h).
 *
 * The copies are the filemap write path's: access_ok(), then the
 * _inatomic copy with page faults disabled, which stops short where a
 * page is not there (or not writable) instead of faulting it in.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uaccess.h"

int fastrpc_copy_in(struct fastrpc_call *call, void *dst,
		    const void __user *src, size_t len)
{
	unsigned long left;

	if (unlikely(!access_ok(src, len)))
		return -EFAULT;
	pagefault_disable();
	left = __copy_from_user_inatomic(dst, src, len);
	pagefault_enable();
	if (likely(!left))
		return 0;
	call->fault_addr = (const char __user *)src + (len - left);
	call->fault_len = left;
	return -FASTRPC_EFAULTIN;
}

int fastrpc_copy_out_nofault(void __user *dst, const void *src, size_t len)
{
	unsigned long left;

	if (unlikely(!access_ok(dst, len)))
		return -EFAULT;
	pagefault_disable();
	left = __copy_to_user_inatomic(dst, src, len);
	pagefault_enable();
	return left ? -EFAULT : 0;
}

int fastrpc_call_copy_back(struct fastrpc_call *call)
{
	return fastrpc_copy_out_nofault(call->uarg, call->arg, call->size);
}

struct fastrpc_bounce *fastrpc_bounce_alloc(struct fastrpc_call *call, u32 max,
					    size_t bytes)
{
	struct fastrpc_bounce *b;
	size_t head = struct_size(b, segs, max);

	b = kvmalloc(size_add(head, bytes), GFP_KERNEL);
	if (!b)
		return NULL;
	b->nsegs = 0;
	b->max = max;
	b->data = (u8 *)b + head;
	call->bounce = b;
	return b;
}

/*
 * The recorded range is exactly what the copy still has to read, so a
 * page of it that cannot be faulted in fails the copy again: stop there
 * rather than loop. A page that goes again before the next try (reclaim,
 * or the user's own MADV_DONTNEED) only costs another round, each one
 * outside the section and ended by a fatal signal.
 */
int fastrpc_call_fault_in(struct fastrpc_call *call)
{
	size_t left = fault_in_readable(call->fault_addr, call->fault_len);

	if (fatal_signal_pending(current))
		return -EINTR;
	return left ? -EFAULT : 0;
}

int fastrpc_call_bounce_out(struct fastrpc_call *call, int err)
{
	struct fastrpc_bounce *b = call->bounce;
	u32 i;

	for (i = 0; i < b->nsegs; i++) {
		const struct fastrpc_bounce_seg *s = &b->segs[i];

		if (copy_to_user(s->to, b->data + s->off, s->len)) {
			err = err ?: -EFAULT;
			break;
		}
	}
	kvfree(b);
	call->bounce = NULL;
	return err;
}
