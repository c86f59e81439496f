// SPDX-License-Identifier: GPL-2.0
/*
 * GET_DSP_INFO. Attribute 0 (the domain is supported) is answered here;
 * ids 1..255 come from the DSP utilities handle (method 0), fetched by the
 * first caller of a channel and cached until the DSP goes away. A DSP
 * that does not implement that handle gets -EOPNOTSUPP, and is asked
 * again next time.
 *
 * Errors: EFAULT, EINVAL (reserved fields not zero), ECHRNG (a domain
 * other than the file's), EOVERFLOW (attribute id out of range).
 */
#include <linux/slab.h>

#include "fastrpc.h"
#include "info.h"
#include "invoke.h"
#include "session.h"
#include "uaccess.h"

static int fetch(struct fastrpc_client *cl, u32 *attrs)
{
	u32 count = FASTRPC_MAX_DSP_ATTRIBUTES - 1;
	struct fastrpc_invoke_args args[2] = {
		fastrpc_karg(&count, sizeof(count)),
		fastrpc_karg(&attrs[1], count * sizeof(*attrs)),
	};
	int err;

	err = fastrpc_session_assign(cl);
	if (err)
		return err;
	err = fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_DSP_UTILITIES,
				    FASTRPC_SC(0, 1, 1), args, NULL);
	if ((u32)err == FASTRPC_DSP_UNSUPPORTED_API)
		return -EOPNOTSUPP;
	return fastrpc_dsp_errno(err);
}

/*
 * The DSP is asked without a lock held: a DSP that stalls must not hold up
 * every other client of the channel behind one fetch. Callers racing here
 * each ask; the first answer is kept.
 */
static int info_cached(struct fastrpc_client *cl)
{
	struct fastrpc_channel *chan = cl->chan;
	u32 *attrs;
	int err;

	/* Pairs with the release below: info[] is complete once valid */
	if (smp_load_acquire(&chan->info_valid))
		return 0;
	attrs = kcalloc(FASTRPC_MAX_DSP_ATTRIBUTES, sizeof(*attrs), GFP_KERNEL);
	if (!attrs)
		return -ENOMEM;
	err = fetch(cl, attrs);
	if (!err) {
		attrs[FASTRPC_ATTR_DOMAIN_SUPPORT] = 0;
		mutex_lock(&chan->info_lock);
		if (!chan->info_valid) {
			memcpy(chan->info, attrs, sizeof(chan->info));
			/* info[] before valid, for the lockless reader */
			smp_store_release(&chan->info_valid, true);
		}
		mutex_unlock(&chan->info_lock);
	}
	kfree(attrs);
	return err;
}

/* Domain ids a caller may name: adsp, mdsp, sdsp, cdsp, cdsp1 */
#define FASTRPC_CAP_DOMAINS	FASTRPC_DOMAIN_COUNT

/*
 * As upstream: the answer is the DSP's behind this file, whatever domain
 * in range the caller names; the reserved words are not looked at; and
 * attribute 0 (the domain exists) is 0, for userspace to fill in, as
 * libcdsprpc does from what it could open.
 */
int fastrpc_ioctl_get_dsp_info(struct fastrpc_call *call)
{
	struct fastrpc_ioctl_capability *cap = call->arg;
	struct fastrpc_client *cl = call->cl;
	int err;

	if (cap->domain >= FASTRPC_CAP_DOMAINS)
		return -ECHRNG;
	if (cap->attribute_id >= FASTRPC_MAX_DSP_ATTRIBUTES)
		return -EOVERFLOW;
	err = info_cached(cl);
	if (err)
		return err;
	cap->capability = cl->chan->info[cap->attribute_id];
	return fastrpc_call_copy_back(call);
}
