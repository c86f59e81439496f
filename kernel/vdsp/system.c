// SPDX-License-Identifier: GPL-2.0
/*
 * The DSP's system interfaces, as a client library finds them at session
 * start and teardown: the reverse-RPC listener (handles 3 and 7), the
 * current process (4), the log daemon (5) and the perf counters (6 and 9).
 * Method numbers and arguments are in <fastrpc/vdsp_abi.h>.
 *
 * The "1" interfaces are remote_handle64 ones, numbered 2 past their older
 * twins (methods 0 and 1 are the interface's own open and close, which a
 * library never sends for a static handle): each is served by its twin's
 * code after vdsp_iface_method() takes the 2 off.
 */
#include <linux/bitops.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <fastrpc/vdsp_abi.h>

#include "vdsp.h"

#define VDSP_UNSUPPORTED	((s32)FASTRPC_DSP_UNSUPPORTED_API)
#define VDSP_BAD_PARM		((s32)FASTRPC_DSP_BAD_PARM)
/* More error codes than a panic list holds on a DSP */
#define VDSP_PANIC_CODES_MAX	256

static const char *const vdsp_perf_keys[PERF_KEY_COUNT] = {
	[PERF_KEY_INVOKE_COUNT] = "perf_invoke_count",
	[PERF_KEY_INVOKE_EXECUTE] = "perf_invoke_execute",
};

/*
 * The method as the older twin numbers it, or -1 for a handle64
 * interface's own open/close (or anything below them).
 */
int vdsp_iface_method(const struct vdsp_call *call, bool handle64)
{
	if (!handle64)
		return call->method;
	if (call->method < FASTRPC_IFACE64_FIRST_METHOD)
		return -1;
	return call->method - FASTRPC_IFACE64_FIRST_METHOD;
}

/* A u32 from in[0], which must hold one */
static int vdsp_read_u32(struct vdsp_call *call, u32 *val, const char *why)
{
	if (call->nin < 1 || call->in[0].len < sizeof(*val)) {
		call->why = why;
		return -EINVAL;
	}
	return vdsp_buf_read(&call->in[0], 0, val, sizeof(*val));
}

/* Park until the process goes; vdsp_finish() parks it */
static int vdsp_park(struct vdsp_call *call)
{
	call->async = VDSP_ASYNC_PARK;
	return 0;
}

int vdsp_listener(struct vdsp_call *call)
{
	bool v1 = call->handle == FASTRPC_HANDLE_LISTENER1;

	switch (vdsp_iface_method(call, v1)) {
	case LISTENER_METHOD_INIT:
	case LISTENER_METHOD_INIT2:
		return 0;
	case LISTENER_METHOD_NEXT:
	case LISTENER_METHOD_NEXT2:
		return vdsp_park(call);
	case LISTENER_METHOD_GET_IN_BUFS:
	case LISTENER_METHOD_GET_IN_BUFS2:
		/* The vdsp never calls back into the apps side */
		return VDSP_BAD_PARM;
	}
	return VDSP_UNSUPPORTED;
}

/* in[0] = { count }, in[1] = s32 codes[count]: checked, then forgotten */
static int vdsp_panic_err_codes(struct vdsp_call *call)
{
	u32 count;
	int ret;

	ret = vdsp_read_u32(call, &count, "panic codes want a count");
	if (ret)
		return ret;
	if (count > VDSP_PANIC_CODES_MAX || call->nin < 2 ||
	    call->in[1].len < (u64)count * sizeof(s32))
		return VDSP_BAD_PARM;
	return 0;
}

int vdsp_current_process(struct vdsp_call *call)
{
	switch (call->method) {
	case CURRENT_PROCESS_METHOD_EXIT:
		vdsp_proc_exit(call->proc);
		return 0;
	case CURRENT_PROCESS_METHOD_EXCEPTION:
		vdsp_proc_exit(call->proc);
		return (s32)FASTRPC_DSP_CPU_EXCEPTION;
	case CURRENT_PROCESS_METHOD_THREAD_EXIT:
	case CURRENT_PROCESS_METHOD_SET_LOGGING:
	case CURRENT_PROCESS_METHOD_SET_LOGGING2:
	case CURRENT_PROCESS_METHOD_SET_QOS:
	case CURRENT_PROCESS_METHOD_POLL_MODE:
	case CURRENT_PROCESS_METHOD_NOTIFICATIONS:
		return 0;
	case CURRENT_PROCESS_METHOD_PANIC_ERR_CODES:
		return vdsp_panic_err_codes(call);
	}
	return VDSP_UNSUPPORTED;
}

int vdsp_msgd(struct vdsp_call *call)
{
	switch (call->method) {
	case MSGD_METHOD_INIT2:
	case MSGD_METHOD_DEINIT:
		return 0;
	case MSGD_METHOD_WAIT:
		/* No log line ever comes: wait until the process goes */
		return vdsp_park(call);
	}
	return VDSP_UNSUPPORTED;
}

static int vdsp_perf_enable(struct vdsp_call *call)
{
	u32 key;
	int ret;

	ret = vdsp_read_u32(call, &key, "perf enable wants a key");
	if (ret)
		return ret;
	if (key >= PERF_KEY_COUNT)
		return VDSP_BAD_PARM;
	set_bit(key, &call->proc->perf_enabled);
	return 0;
}

static s64 vdsp_perf_value(const struct vdsp_proc *proc, unsigned int key)
{
	if (!test_bit(key, &proc->perf_enabled))
		return 0;
	if (key == PERF_KEY_INVOKE_COUNT)
		return atomic64_read(&proc->invokes);
	return div_u64(atomic64_read(&proc->invoke_ns), NSEC_PER_USEC);
}

static int vdsp_perf_get_usecs(struct vdsp_call *call)
{
	s64 vals[PERF_KEY_COUNT];
	unsigned int i;
	u32 n;
	int ret;

	ret = vdsp_read_u32(call, &n, "perf get_usecs wants a count");
	if (ret)
		return ret;
	if (call->nout < 1 || call->out[0].len < (u64)n * sizeof(s64))
		return VDSP_BAD_PARM;
	for (i = 0; i < PERF_KEY_COUNT; i++)
		vals[i] = vdsp_perf_value(call->proc, i);
	ret = vdsp_buf_fill(&call->out[0], 0, 0, (u64)n * sizeof(s64));
	if (ret)
		return ret;
	return vdsp_buf_write(&call->out[0], 0, vals,
			      min_t(u64, n, PERF_KEY_COUNT) * sizeof(s64));
}

static int vdsp_perf_get_keys(struct vdsp_call *call)
{
	struct perf_keys_out out = { .num_keys = PERF_KEY_COUNT };
	u64 off = 0;
	unsigned int i;
	u32 len;
	int ret;

	ret = vdsp_read_u32(call, &len, "perf get_keys wants a length");
	if (ret)
		return ret;
	if (call->nout < 2 || call->out[0].len < sizeof(out) ||
	    call->out[1].len < len)
		return VDSP_BAD_PARM;
	for (i = 0; i < PERF_KEY_COUNT; i++) {
		size_t n = strlen(vdsp_perf_keys[i]) + 1;

		if (off + n > len)
			return VDSP_BAD_PARM;
		ret = vdsp_buf_write(&call->out[1], off, vdsp_perf_keys[i], n);
		if (ret)
			return ret;
		off += n;
		out.max_len = max_t(s32, out.max_len, n);
	}
	return vdsp_buf_write(&call->out[0], 0, &out, sizeof(out));
}

int vdsp_perf(struct vdsp_call *call)
{
	bool v1 = call->handle == FASTRPC_HANDLE_PERF1;

	switch (vdsp_iface_method(call, v1)) {
	case PERF_METHOD_ENABLE:
		return vdsp_perf_enable(call);
	case PERF_METHOD_GET_USECS:
		return vdsp_perf_get_usecs(call);
	case PERF_METHOD_GET_KEYS:
		return vdsp_perf_get_keys(call);
	}
	return VDSP_UNSUPPORTED;
}

/* A skel call's cost, for the perf counters of its process */
void vdsp_perf_account(struct vdsp_proc *proc, u64 start_ns)
{
	atomic64_inc(&proc->invokes);
	atomic64_add(ktime_get_ns() - start_ns, &proc->invoke_ns);
}
