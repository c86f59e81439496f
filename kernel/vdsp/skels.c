// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in skels (vdsp_abi.h): what a process can open by URI through
 * remotectl and then invoke. Each reads its inputs from, and writes its
 * outputs to, the buffers the request named; memtest works on the
 * process's DSP mappings instead. A skel's argument errors are the
 * caller's, not the protocol's: plain -EINVAL, no log.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <fastrpc/vdsp_abi.h>

#include "vdsp.h"

#define VDSP_ECHO_MAX_BUFS	64

static bool vdsp_args(const struct vdsp_call *call, u32 nin, u32 nout)
{
	return call->nin == nin && call->nout == nout;
}

/* Sum or max of in[0] as __s32 values, a chunk at a time */
static int vdsp_calc_scan(struct vdsp_call *call, s64 *sum, s32 *max)
{
	const struct vdsp_buf *in = &call->in[0];
	s32 chunk[64];
	u64 off, n, i;
	int ret;

	if (in->len % sizeof(s32))
		return -EINVAL;
	*sum = 0;
	*max = S32_MIN;
	for (off = 0; off < in->len; off += n) {
		n = min_t(u64, in->len - off, sizeof(chunk));
		ret = vdsp_buf_read(in, off, chunk, n);
		if (ret)
			return ret;
		for (i = 0; i < n / sizeof(s32); i++) {
			*sum += chunk[i];
			*max = max(*max, chunk[i]);
		}
	}
	return 0;
}

static int vdsp_calculator(struct vdsp_call *call)
{
	s64 sum;
	s32 max;
	int ret;

	if (!vdsp_args(call, 1, 1))
		return -EINVAL;
	ret = vdsp_calc_scan(call, &sum, &max);
	if (ret)
		return ret;
	switch (call->method) {
	case CALCULATOR_METHOD_SUM:
		if (call->out[0].len < sizeof(sum))
			return -EINVAL;
		return vdsp_buf_write(&call->out[0], 0, &sum, sizeof(sum));
	case CALCULATOR_METHOD_MAX:
		if (!call->in[0].len || call->out[0].len < sizeof(max))
			return -EINVAL;
		return vdsp_buf_write(&call->out[0], 0, &max, sizeof(max));
	}
	return (s32)FASTRPC_DSP_UNSUPPORTED_API;
}

/* out[i] = in[i], truncated to out[i], zero past in[i] */
static int vdsp_echo_one(const struct vdsp_buf *in, const struct vdsp_buf *out,
			 void *bounce)
{
	u64 len = min(in->len, out->len), off, n;
	int ret = 0;

	for (off = 0; !ret && off < len; off += n) {
		n = min_t(u64, len - off, PAGE_SIZE);
		ret = vdsp_buf_read(in, off, bounce, n);
		if (!ret)
			ret = vdsp_buf_write(out, off, bounce, n);
	}
	if (!ret && out->len > len)
		ret = vdsp_buf_fill(out, len, 0, out->len - len);
	return ret;
}

static int vdsp_echo(struct vdsp_call *call)
{
	void *bounce;
	u32 i;
	int ret = 0;

	if (call->method != ECHO_METHOD_COPY)
		return (s32)FASTRPC_DSP_UNSUPPORTED_API;
	if (call->nin != call->nout || call->nin > VDSP_ECHO_MAX_BUFS)
		return -EINVAL;
	/* the null call: nothing to copy, nothing to allocate */
	if (!call->nin)
		return 0;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (i = 0; !ret && i < call->nin; i++)
		ret = vdsp_echo_one(&call->in[i], &call->out[i], bounce);
	kfree(bounce);
	return ret;
}

static int vdsp_memtest_checksum(struct vdsp_call *call)
{
	struct memtest_range r;
	struct vdsp_map *map;
	u64 hash;
	int ret;

	if (!vdsp_args(call, 1, 1) || call->in[0].len < sizeof(r) ||
	    call->out[0].len < sizeof(hash))
		return -EINVAL;
	ret = vdsp_buf_read(&call->in[0], 0, &r, sizeof(r));
	if (ret)
		return ret;
	map = vdsp_proc_map_find(call->proc, r.vaddr, r.len);
	if (!map)
		return -EFAULT;
	ret = vdsp_segs_fnv1a64(call, map->segs, map->nsegs, r.vaddr - map->va,
				r.len, &hash);
	vdsp_map_put(map);
	return ret ? ret : vdsp_buf_write(&call->out[0], 0, &hash, sizeof(hash));
}

static int vdsp_memtest_fill(struct vdsp_call *call)
{
	struct memtest_fill f;
	struct vdsp_map *map;
	int ret;

	if (!vdsp_args(call, 1, 0) ||
	    call->in[0].len < offsetofend(struct memtest_fill, byte))
		return -EINVAL;
	ret = vdsp_buf_read(&call->in[0], 0, &f,
			    offsetofend(struct memtest_fill, byte));
	if (ret)
		return ret;
	map = vdsp_proc_map_find(call->proc, f.vaddr, f.len);
	if (!map)
		return -EFAULT;
	ret = vdsp_segs_fill(call, map->segs, map->nsegs, f.vaddr - map->va,
			     f.byte & 0xff, f.len);
	vdsp_map_put(map);
	return ret;
}

static int vdsp_memtest(struct vdsp_call *call)
{
	switch (call->method) {
	case MEMTEST_METHOD_CHECKSUM:
		return vdsp_memtest_checksum(call);
	case MEMTEST_METHOD_FILL:
		return vdsp_memtest_fill(call);
	}
	return (s32)FASTRPC_DSP_UNSUPPORTED_API;
}

/* Asynchronous: the thread moves on, a timer ends the call */
static int vdsp_sleep(struct vdsp_call *call)
{
	u32 us;
	int ret;

	if (call->method != SLEEP_METHOD_USLEEP)
		return (s32)FASTRPC_DSP_UNSUPPORTED_API;
	if (!vdsp_args(call, 1, 0) || call->in[0].len < sizeof(us))
		return -EINVAL;
	ret = vdsp_buf_read(&call->in[0], 0, &us, sizeof(us));
	if (ret)
		return ret;
	if (us > VDSP_SLEEP_MAX_US)
		return -EINVAL;
	if (us) {
		call->async = VDSP_ASYNC_SLEEP;
		call->sleep_us = us;
	}
	return 0;
}

static int vdsp_fault(struct vdsp_call *call)
{
	s32 code;
	int ret;

	switch (call->method) {
	case FAULT_METHOD_RETVAL:
		if (!vdsp_args(call, 1, 0) || call->in[0].len < sizeof(code))
			return -EINVAL;
		ret = vdsp_buf_read(&call->in[0], 0, &code, sizeof(code));
		return ret ? ret : code;
	case FAULT_METHOD_CRASH:
		call->async = VDSP_ASYNC_CRASH;
		return 0;
	}
	return (s32)FASTRPC_DSP_UNSUPPORTED_API;
}

static const struct vdsp_skel vdsp_skels[] = {
	{ "calculator", VDSP_SVC_CALCULATOR, vdsp_calculator },
	{ "echo", VDSP_SVC_ECHO, vdsp_echo },
	{ "memtest", VDSP_SVC_MEMTEST, vdsp_memtest },
	{ "sleep", VDSP_SVC_SLEEP, vdsp_sleep },
	{ "fault", VDSP_SVC_FAULT, vdsp_fault },
};

const struct vdsp_skel *vdsp_skel_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vdsp_skels); i++)
		if (strlen(vdsp_skels[i].name) == len &&
		    !memcmp(vdsp_skels[i].name, name, len))
			return &vdsp_skels[i];
	return NULL;
}
