/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Test-only: raw FastRPC requests sent straight to a vdsp domain's rpmsg
 * device, without any FastRPC driver, by tests/modules/vdsp_rawreq.ko.
 * A test program (tests/helpers/vdsp_raw.c) describes the request through
 * /sys/kernel/debug/vdsp_rawreq/req:
 *
 * write(): struct vdsp_rawreq, then nargs times (struct vdsp_rawreq_arg,
 *          data_len bytes of data padded to 8), then nmuts struct
 *          vdsp_rawreq_mut; in one write() call. The module lays the
 *          payload out in real pages as a driver does (inline buffers in the
 *          payload, VDSP_RAWARG_SEPARATE ones in pages of their own, one
 *          page entry per page past pages[n - 1]), applies the mutations
 *          (what a broken driver might send), sends the 40-byte message and
 *          waits for the response or timeout_ms.
 *          With repeat = N > 1, N copies go out at once (each with its
 *          own payload and ctx) and the module waits for all of them.
 * read():  struct vdsp_rawreq_result, then the bytes of every output
 *          argument (its len, padded to 8), in order (of the first copy).
 *          Every byte of the first copy's pages that no buffer or metadata
 *          covers starts as VDSP_RAWREQ_CANARY; result.canary counts those
 *          the DSP changed (it must write its buffers and fdlist only).
 *
 * Processes created through this path belong to the module's endpoint:
 * unloading vdsp_rawreq.ko releases them.
 */
#ifndef __FASTRPC_VDSP_RAWREQ_H__
#define __FASTRPC_VDSP_RAWREQ_H__

#include <linux/types.h>

#define VDSP_RAWREQ_MAGIC	0x76647372	/* "vdsr" */
#define VDSP_RAWREQ_MAX_ARGS	512
#define VDSP_RAWREQ_MAX_MUTS	32
#define VDSP_RAWREQ_MAX_REPEAT	4096
#define VDSP_RAWREQ_CANARY	0xa5
#define VDSP_RAWREQ_MAX_BYTES	(64U << 20)

struct vdsp_rawreq {
	__u32 magic;
	char domain[8];		/* label, NUL-terminated */
	__s32 pid;		/* msg.pid */
	__s32 tid;
	__u32 pd;		/* ctx low 4 bits */
	__u32 handle;
	__u32 sc;
	__u32 nargs;		/* normally FASTRPC_SC_NARGS(sc) */
	__u32 nmuts;
	__u32 timeout_ms;	/* 0: 10 s */
	__u32 repeat;		/* copies sent at once (0: 1) */
	__u32 sid;		/* stream id on every address (FASTRPC_DSP_ADDR) */
};

/* vdsp_rawreq_arg.flags */
#define VDSP_RAWARG_SEPARATE	0x1	/* own pages, one entry per page */
/*
 * The argument is a phy_page array (len / 16 entries) naming fresh pages
 * that the module keeps until it is unloaded (memory to mmap/mem_map),
 * byte o of them (i * 7 + 3) & 0xff; no data follows.
 */
#define VDSP_RAWARG_PAGES	0x2
/*
 * With VDSP_RAWARG_SEPARATE: the pages are mapped for the DSP to read only
 * (DMA_TO_DEVICE), so that its SMMU refuses a write to them.
 */
#define VDSP_RAWARG_RDONLY	0x4

struct vdsp_rawreq_arg {
	__u64 len;		/* the argument's length */
	__u32 flags;
	__u32 data_len;		/* bytes that follow (<= len), rest zero */
	__u32 offset;		/* SEPARATE: first byte's offset in its page */
	__s32 fd;		/* handle arguments: the dma handle's fd */
};

enum vdsp_rawreq_field {
	VDSP_MUT_MSG_LEN,	/* bytes handed to rpmsg_send (40) */
	VDSP_MUT_MSG_ADDR,
	VDSP_MUT_MSG_SIZE,
	VDSP_MUT_MSG_SC,
	VDSP_MUT_ARG_PV,	/* args[index].pv */
	VDSP_MUT_ARG_LEN,	/* args[index].len */
	VDSP_MUT_BUF_NUM,	/* bufs[index].num */
	VDSP_MUT_BUF_PGIDX,	/* bufs[index].pgidx */
	VDSP_MUT_PAGE_ADDR,	/* pages[index].addr */
	VDSP_MUT_PAGE_SIZE,	/* pages[index].size */
	VDSP_MUT_FIELD_COUNT
};

#define VDSP_MUT_SET		0
#define VDSP_MUT_ADD		1

struct vdsp_rawreq_mut {
	__u32 field;		/* enum vdsp_rawreq_field */
	__u32 index;
	__u32 op;		/* VDSP_MUT_SET or VDSP_MUT_ADD */
	__u32 pad;
	__u64 value;
};

struct vdsp_rawreq_result {
	__s32 status;		/* 0: a response came; -ETIMEDOUT, -EPIPE... */
	__s32 retval;		/* the response's retval */
	__u64 ctx;		/* ctx sent */
	__u64 rsp_ctx;		/* ctx received */
	__u32 nouts;		/* output arguments that follow */
	__u32 answered;		/* copies that got a response */
	__u32 errors;		/* of those, with retval != 0 */
	__u32 canary;		/* bytes written outside the buffers */
	__u64 fdlist[16];	/* the payload's fdlist after the call */
};

#ifdef __KERNEL__
struct rpmsg_device;

/* vdsp.ko: the domain's rpmsg device, with a reference (put_device) */
struct rpmsg_device *vdsp_rpdev_get(const char *label);
#endif

#endif /* __FASTRPC_VDSP_RAWREQ_H__ */
