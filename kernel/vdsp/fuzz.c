// SPDX-License-Identifier: GPL-2.0
/*
 * The response fuzzer: the DSP side of fuzzing. With fuzz_permille set, a
 * seeded random share of the replies goes out wrong in one of the ways of
 * enum vdsp_fuzz_kind: stray messages with a wrong ctx or a bad length
 * before the true reply, the true reply with another return value, in a
 * message of the wrong size, twice, or the reply of another call in
 * flight sent before that call ends. What a driver must survive from a
 * broken DSP: the calls get an error (or a wrong answer), nothing leaks,
 * no splat. No kind loses a reply; but an attach answered as failed
 * leaves its DSP process without a release, and a listener call parked
 * on it waits for the DSP's restart (docs/RELIABILITY.md).
 *
 * The wire response has no pid: a reply "for another process" is one with
 * the ctx of another process's call (VDSP_FUZZ_CTX_OTHER).
 */
#include <linux/slab.h>

#include "vdsp.h"

static const char *const vdsp_fuzz_names[VDSP_FUZZ_KINDS] = {
	[VDSP_FUZZ_CTX_RANDOM] = "ctx_random",
	[VDSP_FUZZ_CTX_NEAR] = "ctx_near",
	[VDSP_FUZZ_CTX_PD] = "ctx_pd",
	[VDSP_FUZZ_CTX_OTHER] = "ctx_other",
	[VDSP_FUZZ_LEN_ZERO] = "len_zero",
	[VDSP_FUZZ_LEN_SHORT] = "len_short",
	[VDSP_FUZZ_LEN_NEGATIVE] = "len_negative",
	[VDSP_FUZZ_LEN_OFF] = "len_off",
	[VDSP_FUZZ_LEN_HUGE] = "len_huge",
	[VDSP_FUZZ_RETVAL] = "retval",
	[VDSP_FUZZ_DUP] = "dup",
};

/* Return values around every edge the driver maps (ctx_dsp_result) */
static const s32 vdsp_fuzz_retvals[] = {
	-1, -EIO, -EPIPE, -ETIMEDOUT, -ENOMEM, -EFAULT, -ERESTARTSYS,
	-ERESTARTNOHAND, -4095, -4096, S32_MIN, S32_MAX, 1, 0x80000400,
};

const char *vdsp_fuzz_kind_name(enum vdsp_fuzz_kind kind)
{
	return vdsp_fuzz_names[kind];
}

void vdsp_fuzz_seed(struct vdsp_domain *dom, u64 seed)
{
	spin_lock(&dom->fault.fuzz_lock);
	dom->fault.fuzz_seed = seed;
	/* xorshift64* must not start at 0 */
	dom->fault.fuzz_state = seed * 0x9e3779b97f4a7c15ULL | 1;
	dom->fault.fuzz_turn = seed % VDSP_FUZZ_KINDS;
	spin_unlock(&dom->fault.fuzz_lock);
}

static u64 vdsp_fuzz_next(struct vdsp_domain *dom)
{
	u64 x;

	spin_lock(&dom->fault.fuzz_lock);
	x = dom->fault.fuzz_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	dom->fault.fuzz_state = x;
	spin_unlock(&dom->fault.fuzz_lock);
	return x * 0x2545f4914f6cdd1dULL;
}

/*
 * The kinds take turns, from a seeded start: which replies go wrong, and
 * how within a kind, is random, but every kind is used once in any run of
 * VDSP_FUZZ_KINDS fuzzed replies, however few replies a run makes.
 */
static enum vdsp_fuzz_kind vdsp_fuzz_next_kind(struct vdsp_domain *dom)
{
	enum vdsp_fuzz_kind kind;

	spin_lock(&dom->fault.fuzz_lock);
	kind = dom->fault.fuzz_turn;
	dom->fault.fuzz_turn = (kind + 1) % VDSP_FUZZ_KINDS;
	spin_unlock(&dom->fault.fuzz_lock);
	return kind;
}

/* The ctx of a random other request of the domain in flight, if any */
static bool vdsp_fuzz_other_ctx(struct vdsp_req *req, u64 pick, u64 *ctx)
{
	struct vdsp_domain *dom = req->dom;
	struct vdsp_req *r;
	unsigned int n = 0;
	bool found = false;

	spin_lock(&dom->lock);
	list_for_each_entry(r, &dom->reqs, all)
		if (r != req && !r->ept->loopback)
			n++;
	if (n)
		n = pick % n;
	list_for_each_entry(r, &dom->reqs, all) {
		if (r == req || r->ept->loopback || n--)
			continue;
		*ctx = r->msg.ctx;
		found = true;
		break;
	}
	spin_unlock(&dom->lock);
	return found;
}

/* The reply in a message of @len bytes: @rsp, then garbage */
static void vdsp_fuzz_sized(struct vdsp_req *req,
			    const struct fastrpc_wire_rsp *rsp, int len,
			    u64 fill)
{
	u8 *buf = kmalloc(len, GFP_KERNEL);
	int i;

	if (!buf) {
		vdsp_deliver(req, rsp, sizeof(*rsp));
		return;
	}
	for (i = 0; i < len; i++)
		buf[i] = fill >> (8 * (i % 8));
	memcpy(buf, rsp, min_t(size_t, len, sizeof(*rsp)));
	vdsp_deliver(req, buf, len);
	kfree(buf);
}

/* A stray with another ctx, then the true reply */
static void vdsp_fuzz_ctx(struct vdsp_req *req, struct fastrpc_wire_rsp *rsp,
			  u64 ctx)
{
	struct fastrpc_wire_rsp stray = *rsp;

	stray.ctx = ctx;
	vdsp_deliver(req, &stray, sizeof(stray));
	vdsp_deliver(req, rsp, sizeof(*rsp));
}

static void vdsp_fuzz_apply(struct vdsp_req *req, struct fastrpc_wire_rsp *rsp,
			    enum vdsp_fuzz_kind kind, u64 r)
{
	u64 ctx = rsp->ctx;

	switch (kind) {
	case VDSP_FUZZ_CTX_RANDOM:
		vdsp_fuzz_ctx(req, rsp, r);
		break;
	case VDSP_FUZZ_CTX_NEAR:
		ctx += (r & 1 ? 1ULL : -1ULL) << FASTRPC_CTX_ID_SHIFT;
		vdsp_fuzz_ctx(req, rsp, ctx);
		break;
	case VDSP_FUZZ_CTX_PD:
		ctx ^= 1 + r % FASTRPC_CTX_PD_MASK;
		vdsp_fuzz_ctx(req, rsp, ctx);
		break;
	case VDSP_FUZZ_CTX_OTHER:
		if (vdsp_fuzz_other_ctx(req, r, &ctx))
			vdsp_fuzz_ctx(req, rsp, ctx);
		else
			vdsp_deliver(req, rsp, sizeof(*rsp));
		break;
	case VDSP_FUZZ_LEN_ZERO:
	case VDSP_FUZZ_LEN_SHORT:
	case VDSP_FUZZ_LEN_NEGATIVE:
		vdsp_deliver(req, rsp, kind == VDSP_FUZZ_LEN_ZERO ? 0 :
			     kind == VDSP_FUZZ_LEN_SHORT ? 1 + r % 11 :
			     -1 - (int)(r % 64));
		vdsp_deliver(req, rsp, sizeof(*rsp));
		break;
	case VDSP_FUZZ_LEN_OFF:
		vdsp_fuzz_sized(req, rsp, 13 + r % 5, r >> 8);
		break;
	case VDSP_FUZZ_LEN_HUGE:
		vdsp_fuzz_sized(req, rsp, VDSP_MTU, r >> 8);
		break;
	case VDSP_FUZZ_RETVAL:
		rsp->retval = r & 2 ? (s32)(r >> 32) :
			vdsp_fuzz_retvals[(r >> 8) % ARRAY_SIZE(vdsp_fuzz_retvals)];
		vdsp_deliver(req, rsp, sizeof(*rsp));
		break;
	case VDSP_FUZZ_DUP:
		vdsp_deliver(req, rsp, sizeof(*rsp));
		vdsp_deliver(req, rsp, sizeof(*rsp));
		break;
	default:
		break;
	}
}

/*
 * Runtime threads, for every reply but the transport floor's: true if the
 * fuzzer sent (its version of) the reply, false to send it as it is.
 */
bool vdsp_fuzz_response(struct vdsp_req *req, struct fastrpc_wire_rsp *rsp)
{
	struct vdsp_domain *dom = req->dom;
	u32 permille = READ_ONCE(dom->fault.fuzz_permille);
	enum vdsp_fuzz_kind kind;
	u64 r;

	if (!permille)
		return false;
	r = vdsp_fuzz_next(dom);
	if (r % 1000 >= permille)
		return false;
	kind = vdsp_fuzz_next_kind(dom);
	atomic64_inc(&dom->stats.fuzzed[kind]);
	vdsp_fuzz_apply(req, rsp, kind, vdsp_fuzz_next(dom));
	return true;
}
