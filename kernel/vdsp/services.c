// SPDX-License-Identifier: GPL-2.0
/*
 * Serving one request: check it (payload.c), route it by handle, count it
 * and say how it ends. Static handles: remotectl (0, 8), init (1, in
 * init.c), DSP utilities (2); the reverse-RPC listener (3, 7), current
 * process (4), log daemon (5) and perf counters (6, 9) are in system.c.
 * Handles from FASTRPC_HANDLE_FIRST_DYNAMIC on are skels (skels.c) that
 * the calling process opened through remotectl.
 */
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <fastrpc/vdsp_abi.h>

#include "vdsp.h"

#define VDSP_URI_MAX		1024
#define VDSP_DLERROR_MAX	256
#define VDSP_HANDLES_MAX	(FASTRPC_HANDLE_FIRST_DYNAMIC + 0xfff)
#define VDSP_UNSUPPORTED	((s32)FASTRPC_DSP_UNSUPPORTED_API)

static const char *const vdsp_svc_names[VDSP_SVC_COUNT] = {
	[VDSP_SVC_REMOTECTL] = "remotectl",
	[VDSP_SVC_INIT] = "init",
	[VDSP_SVC_UTILS] = "utilities",
	[VDSP_SVC_LISTENER] = "listener",
	[VDSP_SVC_PROCESS] = "process",
	[VDSP_SVC_LISTENER1] = "listener1",
	[VDSP_SVC_REMOTECTL1] = "remotectl1",
	[VDSP_SVC_MSGD] = "msgd",
	[VDSP_SVC_PERF] = "perf",
	[VDSP_SVC_PERF1] = "perf1",
	[VDSP_SVC_CALCULATOR] = "calculator",
	[VDSP_SVC_ECHO] = "echo",
	[VDSP_SVC_MEMTEST] = "memtest",
	[VDSP_SVC_SLEEP] = "sleep",
	[VDSP_SVC_FAULT] = "fault",
	[VDSP_SVC_UNKNOWN] = "unknown",
};

const char *vdsp_svc_name(enum vdsp_svc svc)
{
	return vdsp_svc_names[svc];
}

static enum vdsp_svc vdsp_static_svc(u32 handle)
{
	switch (handle) {
	case FASTRPC_HANDLE_REMOTECTL:
		return VDSP_SVC_REMOTECTL;
	case FASTRPC_HANDLE_INIT:
		return VDSP_SVC_INIT;
	case FASTRPC_HANDLE_DSP_UTILITIES:
		return VDSP_SVC_UTILS;
	case FASTRPC_HANDLE_LISTENER:
		return VDSP_SVC_LISTENER;
	case FASTRPC_HANDLE_CURRENT_PROCESS:
		return VDSP_SVC_PROCESS;
	case FASTRPC_HANDLE_LISTENER1:
		return VDSP_SVC_LISTENER1;
	case FASTRPC_HANDLE_REMOTECTL1:
		return VDSP_SVC_REMOTECTL1;
	case FASTRPC_HANDLE_MSGD1:
		return VDSP_SVC_MSGD;
	case FASTRPC_HANDLE_PERF:
		return VDSP_SVC_PERF;
	case FASTRPC_HANDLE_PERF1:
		return VDSP_SVC_PERF1;
	}
	return VDSP_SVC_UNKNOWN;
}

static int vdsp_bad(struct vdsp_call *call, const char *why)
{
	call->why = why;
	return -EINVAL;
}

/* @text into @b, at most @want bytes, always NUL-terminated */
static int vdsp_put_text(const struct vdsp_buf *b, u64 want, const char *text)
{
	u64 n = min(b->len, want);
	size_t len = strlen(text);
	int ret;

	if (!n)
		return 0;
	len = min_t(u64, len, n - 1);
	ret = vdsp_buf_write(b, 0, text, len);
	return ret ? ret : vdsp_buf_fill(b, len, 0, 1);
}

#define VDSP_SKEL_SYM	"_skel_handle_invoke"

/* After '?': "<name>_skel_handle_invoke", then the end or '&' */
static bool vdsp_uri_query_ok(const char *q, const char *name, size_t len)
{
	char c;

	if (strncmp(q, name, len) || strncmp(q + len, VDSP_SKEL_SYM,
					     strlen(VDSP_SKEL_SYM)))
		return false;
	c = q[len + strlen(VDSP_SKEL_SYM)];
	return c == '\0' || c == '&';
}

/*
 * "file:///lib<name>_skel.so?<name>_skel_handle_invoke&_modver=1.0" to a
 * skel; on failure *err and @dlerr say why, as dlopen()/dlsym() would.
 */
static const struct vdsp_skel *vdsp_uri_resolve(const char *uri, int *err,
						char *dlerr, size_t dlerr_len)
{
	const char *query = strchr(uri, '?');
	size_t path_len = query ? query - uri : strlen(uri);
	const char *file = uri, *p;
	const struct vdsp_skel *skel;
	size_t file_len, name_len;

	for (p = uri; p < uri + path_len; p++)
		if (*p == '/')
			file = p + 1;
	file_len = uri + path_len - file;
	if (file_len <= strlen("lib_skel.so") || strncmp(file, "lib", 3) ||
	    strncmp(file + file_len - 8, "_skel.so", 8)) {
		*err = -EINVAL;
		snprintf(dlerr, dlerr_len, "%s: not a skel library URI", uri);
		return NULL;
	}
	name_len = file_len - 3 - 8;
	skel = vdsp_skel_find(file + 3, name_len);
	if (!skel) {
		*err = -ENOENT;
		snprintf(dlerr, dlerr_len,
			 "%.*s: cannot open shared object file: No such file or directory",
			 (int)file_len, file);
		return NULL;
	}
	if (query && !vdsp_uri_query_ok(query + 1, file + 3, name_len)) {
		*err = -EINVAL;
		snprintf(dlerr, dlerr_len, "%.*s: undefined symbol: %s",
			 (int)file_len, file, query + 1);
		return NULL;
	}
	return skel;
}

static int vdsp_remotectl_open(struct vdsp_call *call)
{
	struct remotectl_open_out out = { .handle = -1 };
	char dlerr[VDSP_DLERROR_MAX] = "";
	const struct vdsp_skel *skel;
	struct remotectl_open_in in;
	char *uri;
	u32 id;
	int ret;

	if (call->nin != 2 || call->nout != 2 ||
	    call->in[0].len < sizeof(in) || call->out[0].len < sizeof(out))
		return vdsp_bad(call, "remotectl open wants 2 in, 2 out");
	ret = vdsp_buf_read(&call->in[0], 0, &in, sizeof(in));
	if (ret)
		return ret;
	if (!in.name_len || in.name_len > call->in[1].len ||
	    in.name_len > VDSP_URI_MAX)
		return vdsp_bad(call, "bad URI length");
	uri = kzalloc(in.name_len + 1, GFP_KERNEL);
	if (!uri)
		return -ENOMEM;
	ret = vdsp_buf_read(&call->in[1], 0, uri, in.name_len);
	skel = ret ? NULL : vdsp_uri_resolve(uri, &out.err, dlerr,
					     sizeof(dlerr));
	kfree(uri);
	if (ret)
		return ret;
	if (skel) {
		ret = xa_alloc(&call->proc->handles, &id, (void *)skel,
			       XA_LIMIT(FASTRPC_HANDLE_FIRST_DYNAMIC,
					VDSP_HANDLES_MAX), GFP_KERNEL);
		if (ret) {
			out.err = ret == -EBUSY ? -EMFILE : ret;
			snprintf(dlerr, sizeof(dlerr), "too many open handles");
		} else {
			out.handle = id;
		}
	}
	ret = vdsp_buf_write(&call->out[0], 0, &out, sizeof(out));
	return ret ? ret : vdsp_put_text(&call->out[1], in.dlerror_len, dlerr);
}

static int vdsp_remotectl_close(struct vdsp_call *call)
{
	struct remotectl_close_in in;
	const char *dlerr = "";
	s32 err = 0;
	int ret;

	if (call->nin != 1 || call->nout != 2 ||
	    call->in[0].len < sizeof(in) || call->out[0].len < sizeof(err))
		return vdsp_bad(call, "remotectl close wants 1 in, 2 out");
	ret = vdsp_buf_read(&call->in[0], 0, &in, sizeof(in));
	if (ret)
		return ret;
	if (in.handle < FASTRPC_HANDLE_FIRST_DYNAMIC ||
	    !xa_erase(&call->proc->handles, in.handle)) {
		err = -EBADF;
		dlerr = "invalid handle";
	}
	ret = vdsp_buf_write(&call->out[0], 0, &err, sizeof(err));
	return ret ? ret : vdsp_put_text(&call->out[1], in.dlerror_len, dlerr);
}

/* Parameters are the DSP process's business: checked, then accepted */
static int vdsp_remotectl_set_param(struct vdsp_call *call)
{
	struct remotectl_set_param_in in;
	int ret;

	if (call->nin != 2 || call->in[0].len < sizeof(in))
		return vdsp_bad(call, "remotectl set_param wants 2 in");
	ret = vdsp_buf_read(&call->in[0], 0, &in, sizeof(in));
	if (ret)
		return ret;
	if (call->in[1].len < (u64)in.count * sizeof(u32))
		return (s32)FASTRPC_DSP_BAD_PARM;
	return 0;
}

/* remotectl1 is remotectl numbered 2 further (FASTRPC_IFACE64_FIRST_METHOD) */
static int vdsp_remotectl(struct vdsp_call *call)
{
	bool v1 = call->handle == FASTRPC_HANDLE_REMOTECTL1;

	switch (vdsp_iface_method(call, v1)) {
	case REMOTECTL_METHOD_OPEN:
		return vdsp_remotectl_open(call);
	case REMOTECTL_METHOD_CLOSE:
		return vdsp_remotectl_close(call);
	case REMOTECTL_METHOD_SET_PARAM:
		return vdsp_remotectl_set_param(call);
	}
	return VDSP_UNSUPPORTED;
}

/* Method 0: attribute ids 1..count (id 0 is the Linux side's answer) */
static int vdsp_utilities(struct vdsp_call *call)
{
	const u32 *attrs = call->dom->info->attrs;
	u32 count, i, *vals;
	int ret;

	if (call->method)
		return VDSP_UNSUPPORTED;
	if (call->nin < 1 || call->nout < 1 || call->in[0].len < sizeof(count))
		return vdsp_bad(call, "attributes want 1 in, 1 out");
	ret = vdsp_buf_read(&call->in[0], 0, &count, sizeof(count));
	if (ret)
		return ret;
	if (!count || count >= FASTRPC_MAX_DSP_ATTRIBUTES)
		return vdsp_bad(call, "bad attribute count");
	if (call->out[0].len < (u64)count * sizeof(u32))
		return vdsp_bad(call, "attribute array too short");
	vals = kcalloc(count, sizeof(*vals), GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	for (i = 0; i < count && i + 1 < FASTRPC_ATTR_COUNT; i++)
		vals[i] = attrs[i + 1];
	ret = vdsp_buf_write(&call->out[0], 0, vals, count * sizeof(*vals));
	kfree(vals);
	return ret;
}

static int vdsp_skel_invoke(struct vdsp_call *call)
{
	const struct vdsp_skel *skel;
	u64 start;
	int ret;

	skel = xa_load(&call->proc->handles, call->handle);
	if (!skel)
		return -EBADF;
	call->req->svc = skel->svc;
	/* Methods 0 and 1 are a remote_handle64's open and close */
	if (call->method < FASTRPC_IFACE64_FIRST_METHOD)
		return VDSP_UNSUPPORTED;
	start = ktime_get_ns();
	ret = skel->invoke(call);
	vdsp_perf_account(call->proc, start);
	return ret;
}

static int vdsp_route(struct vdsp_call *call)
{
	u32 h = call->handle;

	if (h == FASTRPC_HANDLE_INIT)
		return vdsp_init_handle(call);
	if (h == FASTRPC_HANDLE_DSP_UTILITIES)
		return vdsp_utilities(call);
	/* Everything else runs in the calling process, which must exist */
	call->proc = vdsp_proc_get(call->dom, call->req->msg.pid);
	if (!call->proc)
		return -ESRCH;
	if (vdsp_check_proc_sid(call))
		return -EFAULT;
	switch (h) {
	case FASTRPC_HANDLE_REMOTECTL:
	case FASTRPC_HANDLE_REMOTECTL1:
		return vdsp_remotectl(call);
	case FASTRPC_HANDLE_LISTENER:
	case FASTRPC_HANDLE_LISTENER1:
		return vdsp_listener(call);
	case FASTRPC_HANDLE_CURRENT_PROCESS:
		return vdsp_current_process(call);
	case FASTRPC_HANDLE_MSGD1:
		return vdsp_msgd(call);
	case FASTRPC_HANDLE_PERF:
	case FASTRPC_HANDLE_PERF1:
		return vdsp_perf(call);
	}
	if (h >= FASTRPC_HANDLE_FIRST_DYNAMIC)
		return vdsp_skel_invoke(call);
	return -EBADF;
}

/* The process reaches memory only through banks its sessions hold */
int vdsp_check_proc_sid(struct vdsp_call *call)
{
	if (vdsp_proc_holds_sid(call->proc, call->sid))
		return 0;
	call->fault = "stream id is no bank of the process";
	call->fault_addr = call->req->msg.addr;
	return -EFAULT;
}

/*
 * An SMMU fault: logged as the hardware reports one, and the process of
 * the access (if the DSP has it) dies of it; the call ends with the
 * exception's code.
 */
static int vdsp_smmu_fault_taken(struct vdsp_call *call)
{
	const struct fastrpc_wire_msg *msg = &call->req->msg;
	struct vdsp_proc *proc = call->proc;

	atomic64_inc(&call->dom->stats.smmu_faults);
	WRITE_ONCE(call->dom->last_refusal, call->fault);
	dev_err_ratelimited(&call->dom->parent->dev,
			    "SMMU fault: stream %u addr 0x%llx, pid %d handle %u: %s\n",
			    FASTRPC_ADDR_SID(call->fault_addr),
			    FASTRPC_ADDR_DMA(call->fault_addr), msg->pid,
			    msg->handle, call->fault);
	if (!proc && msg->pid > 0)
		proc = vdsp_proc_get(call->dom, msg->pid);
	if (proc) {
		vdsp_proc_exit(proc);
		if (proc != call->proc)
			vdsp_proc_put(proc);
	}
	return (s32)FASTRPC_DSP_CPU_EXCEPTION;
}

static void vdsp_log_refusal(struct vdsp_call *call, int ret)
{
	const struct fastrpc_wire_msg *msg = &call->req->msg;

	WRITE_ONCE(call->dom->last_refusal, call->why);
	dev_warn_ratelimited(&call->dom->parent->dev,
			     "refused request pid %d ctx 0x%llx handle %u sc 0x%x: %s (%d)\n",
			     msg->pid, msg->ctx, msg->handle, msg->sc,
			     call->why, ret);
}

/* How the request ends; true if the runtime responds now */
static bool vdsp_finish(struct vdsp_call *call, int ret)
{
	struct vdsp_req *req = call->req;

	req->retval = ret;
	if (ret)
		return true;
	switch (call->async) {
	case VDSP_ASYNC_SLEEP:
		vdsp_req_sleep(req, call->sleep_us);
		return false;
	case VDSP_ASYNC_PARK:
		if (vdsp_proc_park(call->proc, req))
			return false;
		req->retval = (s32)FASTRPC_DSP_BAD_STATE;
		return true;
	case VDSP_ASYNC_CRASH:
		vdsp_req_discard(req);
		vdsp_domain_crash(call->dom);
		return false;
	case VDSP_ASYNC_NONE:
		break;
	}
	return true;
}

static void vdsp_call_init(struct vdsp_call *call, struct vdsp_req *req)
{
	u32 sc = req->msg.sc;

	call->req = req;
	call->dom = req->dom;
	call->handle = req->msg.handle;
	call->method = FASTRPC_SC_METHOD(sc);
	call->nin = FASTRPC_SC_INBUFS(sc);
	call->nout = FASTRPC_SC_OUTBUFS(sc);
	call->nbufs = FASTRPC_SC_NBUFS(sc);
	call->nargs = FASTRPC_SC_NARGS(sc);
	req->svc = vdsp_static_svc(call->handle);
	req->method = call->method;
}

/* A fault-injected failure, or a message that is not a FastRPC one */
static int vdsp_precheck(struct vdsp_call *call)
{
	struct vdsp_domain *dom = call->dom;

	if (call->req->len != sizeof(struct fastrpc_wire_msg)) {
		atomic64_inc(&dom->stats.malformed);
		return vdsp_bad(call, "message is not 40 bytes");
	}
	if (atomic_dec_if_positive(&dom->fault.fail) >= 0) {
		atomic64_inc(&dom->stats.failed);
		return -(int)READ_ONCE(dom->fault.fail_errno);
	}
	return 0;
}

/*
 * crash_on: the DSP goes down on receipt of this init method (process
 * create, mem_map, release...), before it answers; once
 */
static bool vdsp_crash_on(struct vdsp_call *call)
{
	struct vdsp_domain *dom = call->dom;
	int method = atomic_read(&dom->fault.crash_on);

	if (method < 0 || call->req->svc != VDSP_SVC_INIT ||
	    call->method != method ||
	    atomic_cmpxchg(&dom->fault.crash_on, method, -1) != method)
		return false;
	atomic64_inc(&dom->stats.crashed_on);
	vdsp_req_discard(call->req);
	vdsp_domain_crash(dom);
	return true;
}

/*
 * Serve @req in a runtime thread. Returns true when the runtime is to send
 * the response (req->retval) now, false when @req went elsewhere (asleep,
 * parked, discarded).
 */
bool vdsp_dispatch(struct vdsp_req *req)
{
	struct vdsp_call call = { };
	bool respond;
	int ret;

	vdsp_call_init(&call, req);
	if (req->len < (int)offsetofend(struct fastrpc_wire_msg, ctx)) {
		/* Not even a ctx to answer: log it and let it go */
		atomic64_inc(&req->dom->stats.malformed);
		WRITE_ONCE(req->dom->last_refusal, "message too short to answer");
		dev_warn_ratelimited(&req->dom->parent->dev,
				     "dropped a %d-byte message\n", req->len);
		vdsp_req_discard(req);
		return false;
	}
	if (vdsp_crash_on(&call))
		return false;
	ret = vdsp_precheck(&call);
	if (!ret) {
		ret = vdsp_call_parse(&call);
		if (ret && call.why && !call.fault)
			atomic64_inc(&req->dom->stats.malformed);
	}
	if (!ret) {
		ret = vdsp_route(&call);
		vdsp_call_write_fdlist(&call);
	}
	if (call.fault)
		ret = vdsp_smmu_fault_taken(&call);
	atomic64_inc(&req->dom->stats.calls[req->svc][req->method]);
	if (call.why)
		vdsp_log_refusal(&call, ret);
	vdsp_call_release(&call);
	respond = vdsp_finish(&call, ret);
	if (call.proc)
		vdsp_proc_put(call.proc);
	return respond;
}
