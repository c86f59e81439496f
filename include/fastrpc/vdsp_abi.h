/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * What a FastRPC client sends through FASTRPC_IOCTL_INVOKE to the services
 * of the DSP: remotectl (open a skel by URI), the reverse-RPC listener, the
 * current-process handle, and the built-in skels of our virtual DSP.
 *
 * The driver never looks inside these; the vdsp implements them, the CLI
 * and the test clients call them. Usable from the kernel and userspace.
 *
 * Skel methods 0 and 1 are reserved, as on remote_handle64 interfaces
 * (open/close); a skel's own methods start at 2. All records are naturally
 * aligned little-endian structs.
 */
#ifndef __FASTRPC_VDSP_ABI_H__
#define __FASTRPC_VDSP_ABI_H__

#include <linux/types.h>

/*
 * remotectl (handle 0) and remotectl1 (handle 8)
 *
 * open   (handle 0, method 0; handle 8, method 2), SC_BUILD(0, m, 2, 2, 0, 0):
 *   in[0]  = struct remotectl_open_in, in[1] = URI, NUL-terminated
 *            "file:///lib<name>_skel.so?<name>_skel_handle_invoke&_modver=1.0"
 *   out[0] = struct remotectl_open_out, out[1] = dlerror text (dlerror_len)
 * close  (handle 0, method 1), SC_BUILD(0, 1, 1, 2, 0, 0):
 *   in[0]  = struct remotectl_close_in
 *   out[0] = __s32 err, out[1] = dlerror text
 */
#define REMOTECTL_METHOD_OPEN		0
#define REMOTECTL_METHOD_CLOSE		1
#define REMOTECTL1_METHOD_OPEN1		2
#define REMOTECTL1_METHOD_CLOSE1	3	/* handle 8, as close */

struct remotectl_open_in {
	__u32 name_len;		/* bytes of in[1], including the NUL */
	__u32 dlerror_len;	/* bytes of out[1] */
};

struct remotectl_open_out {
	__s32 handle;		/* the skel's handle, valid when err == 0 */
	__s32 err;		/* 0, or why the URI did not resolve */
};

struct remotectl_close_in {
	__u32 handle;
	__u32 dlerror_len;
};

/*
 * remotectl's other methods: set_param (handle 0 method 3, handle 8 method
 * 5) sets a process parameter: in[0] = struct remotectl_set_param_in,
 * in[1] = __u32 params[count]; accepted and returns 0. grow_heap (2; 4)
 * takes a 32-bit physical address: not implemented (heaps grow through
 * the init handle's MMAP).
 */
#define REMOTECTL_METHOD_GROW_HEAP	2
#define REMOTECTL_METHOD_SET_PARAM	3
#define REMOTECTL1_METHOD_GROW_HEAP	4
#define REMOTECTL1_METHOD_SET_PARAM	5

struct remotectl_set_param_in {
	__u32 req_id;
	__u32 count;
};

/*
 * The system interfaces a client library calls at session start and
 * teardown. Handles 4, 5, 7, 8 and 9 are remote_handle64 interfaces: their
 * methods 0 and 1 are the interface's own open and close, so the first real
 * method is 2 (FASTRPC_IFACE64_FIRST_METHOD). Handles 3 and 6 are their
 * older remote_handle twins, numbered from 0. A method a DSP does not
 * implement returns FASTRPC_DSP_UNSUPPORTED_API.
 *
 * Reverse-RPC listener: adsp_listener (handle 3) as below, adsp_listener1
 * (handle 7) the same plus 2. init and init2 return 0; next_invoke and next2
 * park the caller until its process exits or is released, then return
 * FASTRPC_DSP_BAD_STATE (the library's signal that the process is going);
 * get_in_bufs(2) return FASTRPC_DSP_BAD_PARM: no reverse call is pending.
 */
#define FASTRPC_IFACE64_FIRST_METHOD	2

#define LISTENER_METHOD_NEXT		0	/* next_invoke */
#define LISTENER_METHOD_GET_IN_BUFS	1
#define LISTENER_METHOD_INIT		2
#define LISTENER_METHOD_INIT2		3
#define LISTENER_METHOD_NEXT2		4
#define LISTENER_METHOD_GET_IN_BUFS2	5

/*
 * adsp_current_process1 (handle 4). exit ends the remote process (its
 * parked listener calls return); exception makes it take an exception (it
 * dies, the call returns FASTRPC_DSP_CPU_EXCEPTION); thread_exit,
 * set_logging(2), set_qos, poll_mode, enable_notifications and
 * panic_err_codes (in[0] = { __u32 count }, in[1] = __s32 codes[count])
 * are accepted and return 0. get_asid is not implemented (no client
 * library calls it).
 */
#define CURRENT_PROCESS_METHOD_EXIT		2
#define CURRENT_PROCESS_METHOD_THREAD_EXIT	3
#define CURRENT_PROCESS_METHOD_SET_LOGGING	4
#define CURRENT_PROCESS_METHOD_GET_ASID		5
#define CURRENT_PROCESS_METHOD_SET_QOS		6
#define CURRENT_PROCESS_METHOD_EXCEPTION	7
#define CURRENT_PROCESS_METHOD_SET_LOGGING2	8
#define CURRENT_PROCESS_METHOD_POLL_MODE	9
#define CURRENT_PROCESS_METHOD_NOTIFICATIONS	10
#define CURRENT_PROCESS_METHOD_PANIC_ERR_CODES	11

/*
 * adspmsgd_adsp1 (handle 5), the DSP's log daemon: init2 and deinit return
 * 0; init3 (a shared log buffer) is not implemented; wait parks like a
 * listener call.
 */
#define MSGD_METHOD_INIT2		2
#define MSGD_METHOD_DEINIT		3
#define MSGD_METHOD_INIT3		4
#define MSGD_METHOD_WAIT		5

/*
 * adsp_perf (handle 6) as below, adsp_perf1 (handle 9) the same plus 2: the
 * DSP's per-process counters.
 * enable:    in[0] = __s32 key index
 * get_usecs: in[0] = __u32 n, out[0] = __s64 value[n] (0 if not enabled)
 * get_keys:  in[0] = __u32 keys_len, out[0] = struct perf_keys_out,
 *            out[1] = the key names, each NUL-terminated, one after another
 */
#define PERF_METHOD_ENABLE		0
#define PERF_METHOD_GET_USECS		1
#define PERF_METHOD_GET_KEYS		2

struct perf_keys_out {
	__s32 max_len;		/* the longest name, NUL included */
	__s32 num_keys;
};

/* The keys, in index order */
#define PERF_KEY_INVOKE_COUNT		0	/* skel calls */
#define PERF_KEY_INVOKE_EXECUTE		1	/* µs spent in skels */
#define PERF_KEY_COUNT			2

/* calculator: "file:///libcalculator_skel.so?calculator_skel_handle_invoke&_modver=1.0" */
#define CALCULATOR_METHOD_SUM		2	/* in[0] = __s32 v[n]          out[0] = __s64 sum */
#define CALCULATOR_METHOD_MAX		3	/* in[0] = __s32 v[n], n >= 1  out[0] = __s32 max */

/*
 * echo: "file:///libecho_skel.so?echo_skel_handle_invoke&_modver=1.0"
 * copy: k in-buffers and k out-buffers (k <= 64, any sizes, user pointers
 * or dma-buf fds); out[i] receives in[i], truncated to out[i]'s length and
 * zero-filled past in[i]'s.
 */
#define ECHO_METHOD_COPY		2

/*
 * memtest: "file:///libmemtest_skel.so?memtest_skel_handle_invoke&_modver=1.0"
 * Works on memory mapped into the caller's DSP address space (MMAP or
 * MEM_MAP), addressed by its DSP virtual address; the range must lie in one
 * mapping.
 * checksum: in[0] = struct memtest_range       out[0] = __u64 FNV-1a 64 of the bytes
 * fill:     in[0] = struct memtest_fill        (no outputs)
 */
#define MEMTEST_METHOD_CHECKSUM		2
#define MEMTEST_METHOD_FILL		3

struct memtest_range {
	__u64 vaddr;
	__u64 len;
};

struct memtest_fill {
	__u64 vaddr;
	__u64 len;
	__u32 byte;		/* low 8 bits used */
	__u32 pad;
};

#define MEMTEST_FNV1A64_OFFSET		0xcbf29ce484222325ULL
#define MEMTEST_FNV1A64_PRIME		0x100000001b3ULL

/* sleep: "file:///libsleep_skel.so?sleep_skel_handle_invoke&_modver=1.0" */
#define SLEEP_METHOD_USLEEP		2	/* in[0] = __u32 microseconds */

/*
 * fault: "file:///libfault_skel.so?fault_skel_handle_invoke&_modver=1.0"
 * retval: in[0] = __s32 code, returned as the invoke's result
 * crash:  the DSP takes an exception: the domain goes down and restarts
 *         (as a subsystem restart: its rpmsg device is removed, then
 *         registered again)
 */
#define FAULT_METHOD_RETVAL		2
#define FAULT_METHOD_CRASH		3

#endif /* __FASTRPC_VDSP_ABI_H__ */
