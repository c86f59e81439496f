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
 * Reverse-RPC listener (handles 3 and 7). init (methods 2, 3) returns 0;
 * next (methods 0, 4) parks the caller until its process exits or is
 * released, then returns an error.
 * Current process (handle 4): method 2 exits the remote process.
 */
#define LISTENER_METHOD_NEXT		0
#define LISTENER_METHOD_INIT		2
#define LISTENER_METHOD_INIT2		3
#define LISTENER_METHOD_NEXT2		4
#define CURRENT_PROCESS_METHOD_EXIT	2

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
