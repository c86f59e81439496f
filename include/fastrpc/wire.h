/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FastRPC wire protocol between the Linux side (the driver) and the DSP
 * (the vdsp in our guest, the Hexagon FastRPC runtime on hardware).
 *
 * Facts only: message layouts, scalars encoding, payload layout, the init
 * handle's methods and their argument records. Shared by kernel/fastrpc,
 * kernel/vdsp and userspace test clients; nothing here allocates or locks.
 */
#ifndef __FASTRPC_WIRE_H__
#define __FASTRPC_WIRE_H__

#include <linux/types.h>

/* Domains, in the order of the binding's labels and GET_DSP_INFO's ids */
enum fastrpc_domain_id {
	FASTRPC_DOMAIN_ADSP = 0,
	FASTRPC_DOMAIN_MDSP = 1,
	FASTRPC_DOMAIN_SDSP = 2,
	FASTRPC_DOMAIN_CDSP = 3,
	FASTRPC_DOMAIN_CDSP1 = 4,	/* a second compute DSP */
	FASTRPC_DOMAIN_COUNT
};

/* Request: Linux -> DSP, 40 bytes */
struct fastrpc_wire_msg {
	__s32 pid;		/* tgid of the calling process */
	__s32 tid;		/* thread id of the caller */
	__u64 ctx;		/* context id << 4 | PD type; echoed back */
	__u32 handle;		/* remote handle (1: init, 2: utilities...) */
	__u32 sc;		/* scalars, see FASTRPC_SC_* */
	__u64 addr;		/* the payload buffer (FASTRPC_DSP_ADDR) */
	__u64 size;		/* payload size in bytes */
};

/* Response: DSP -> Linux, 16 bytes (12 used) */
struct fastrpc_wire_rsp {
	__u64 ctx;		/* the request's ctx */
	__s32 retval;		/* 0 or a negative errno / DSP error code */
	__u32 pad;
};

/* ctx: the low 4 bits carry the PD type, the context id sits above them */
#define FASTRPC_CTX_PD_MASK		0xfULL
#define FASTRPC_CTX_ID_SHIFT		4
#define FASTRPC_CTX(id, pd)		(((__u64)(id) << FASTRPC_CTX_ID_SHIFT) | (pd))
#define FASTRPC_CTX_TO_ID(ctx)		((ctx) >> FASTRPC_CTX_ID_SHIFT)
#define FASTRPC_CTX_TO_PD(ctx)		((ctx) & FASTRPC_CTX_PD_MASK)

enum fastrpc_pd_type {
	FASTRPC_PD_ROOT = 0,
	FASTRPC_PD_USER = 1,
	FASTRPC_PD_SENSORS = 2,
};

/*
 * Scalars: attr [31:29], method [28:24], in-buffers [23:16],
 * out-buffers [15:8], in-handles [7:4], out-handles [3:0].
 */
#define FASTRPC_SC_ATTR(sc)		(((sc) >> 29) & 0x7)
#define FASTRPC_SC_METHOD(sc)		(((sc) >> 24) & 0x1f)
#define FASTRPC_SC_INBUFS(sc)		(((sc) >> 16) & 0xff)
#define FASTRPC_SC_OUTBUFS(sc)		(((sc) >> 8) & 0xff)
#define FASTRPC_SC_INHANDLES(sc)	(((sc) >> 4) & 0xf)
#define FASTRPC_SC_OUTHANDLES(sc)	((sc) & 0xf)

/* Functions, not macros, so that an argument with side effects is safe */
static inline __u32 fastrpc_sc_nbufs(__u32 sc)
{
	return FASTRPC_SC_INBUFS(sc) + FASTRPC_SC_OUTBUFS(sc);
}

static inline __u32 fastrpc_sc_nhandles(__u32 sc)
{
	return FASTRPC_SC_INHANDLES(sc) + FASTRPC_SC_OUTHANDLES(sc);
}

static inline __u32 fastrpc_sc_nargs(__u32 sc)
{
	return fastrpc_sc_nbufs(sc) + fastrpc_sc_nhandles(sc);
}

#define FASTRPC_SC_NBUFS(sc)		fastrpc_sc_nbufs(sc)
#define FASTRPC_SC_NHANDLES(sc)		fastrpc_sc_nhandles(sc)
#define FASTRPC_SC_NARGS(sc)		fastrpc_sc_nargs(sc)

#define FASTRPC_SC_BUILD(attr, method, in, out, hin, hout)		\
	((((__u32)(attr) & 0x7) << 29) | (((__u32)(method) & 0x1f) << 24) | \
	 (((__u32)(in) & 0xff) << 16) | (((__u32)(out) & 0xff) << 8) |	\
	 (((__u32)(hin) & 0xf) << 4) | ((__u32)(hout) & 0xf))
#define FASTRPC_SC(method, in, out)	FASTRPC_SC_BUILD(0, method, in, out, 0, 0)

/*
 * Payload, at fastrpc_wire_msg.addr, for n = FASTRPC_SC_NARGS(sc):
 *
 *   struct fastrpc_remote_arg  args[n];
 *   struct fastrpc_invoke_buf  bufs[n];
 *   struct fastrpc_phy_page    pages[n or more];	(bufs[i] index into it)
 *   __u64                      fdlist[FASTRPC_WIRE_MAX_FDLIST];
 *   __u32                      crclist[FASTRPC_WIRE_MAX_CRCLIST];
 *   inline copies of buffers without an fd, each FASTRPC_WIRE_ALIGN aligned
 *
 * args[i].pv is the DSP-side address of buffer i (for an inline buffer, its
 * offset from the payload start plus the payload's DSP address); bufs[i]
 * says which pages (pgidx, num) back it. Handle arguments reuse args[] as
 * struct fastrpc_remote_dma_handle. The DSP writes fdlist with the fds whose
 * mappings it no longer needs (0-terminated).
 *
 * Pages (as every FastRPC driver sends them, the in-tree one included): a
 * phy_page names whole pages, addr page aligned and size a multiple of the
 * 4096-byte page. The bytes of buffer i start (args[i].pv & 4095) bytes
 * into the first page of its entries and run through its num entries in
 * order, args[i].len bytes in all; a buffer made of several physically
 * separate segments (a dma-buf) has one entry per segment. With no IOMMU
 * (our guest) DMA addresses are physical and pv is the physical address of
 * the buffer's first byte. A zero-length buffer has num = 0.
 *
 * Where the page list ends: pages[] holds max(n, the highest pgidx + num
 * over all arguments) entries, and fdlist starts right after it (so a
 * driver that gives multi-segment buffers entries past pages[n - 1] moves
 * fdlist down by as many entries). The payload always holds the whole
 * metadata, FASTRPC_WIRE_META_SIZE(n, npages) bytes, even for n = 0. The
 * payload itself is one physically contiguous range (addr, size), 8-byte
 * aligned. The DSP (the vdsp) refuses with -EINVAL, and touches no buffer
 * of, a request that breaks any of this: a message that is not 40 bytes, a
 * zero or wrapping payload size, metadata past the payload, a negative
 * num/pgidx, len > 0 with num = 0 (or num > 0 with len = 0), an entry that
 * is not whole pages, pages that are not RAM, or a buffer whose
 * (pv & 4095) + len does not fit in its entries.
 *
 * Messages the kernel sends on its own behalf (the init handle, the DSP
 * utilities handle behind GET_DSP_INFO) carry pid = 0; the init records
 * name the process (pgid) they act on.
 */
struct fastrpc_remote_arg {
	__u64 pv;
	__u64 len;
};

struct fastrpc_remote_dma_handle {
	__s32 fd;
	__u32 offset;
	__u64 len;
};

struct fastrpc_invoke_buf {
	__s32 num;		/* number of pages backing this buffer */
	__s32 pgidx;		/* index of its first page in pages[] */
};

struct fastrpc_phy_page {
	__u64 addr;		/* bank address (FASTRPC_DSP_ADDR) */
	__u64 size;		/* bytes */
};

/*
 * Every address the DSP is given (the payload, page entries, mapped
 * regions) is an address of the client's context bank as the DSP's SMMU
 * takes it: the bank's stream id (its compute-cb node's reg) in bits 32
 * and up, the bank's DMA address below. Banks map below 4 GiB.
 */
#define FASTRPC_SID_SHIFT		32
#define FASTRPC_DSP_ADDR(sid, dma)	((__u64)(sid) << FASTRPC_SID_SHIFT | (dma))
#define FASTRPC_ADDR_SID(addr)		((__u32)((addr) >> FASTRPC_SID_SHIFT))
#define FASTRPC_ADDR_DMA(addr)		((addr) & 0xffffffffULL)

#define FASTRPC_WIRE_MAX_FDLIST		16
#define FASTRPC_WIRE_MAX_CRCLIST	64
#define FASTRPC_WIRE_ALIGN		128

/* Bytes of the metadata part (everything before the inline buffers) */
#define FASTRPC_WIRE_META_SIZE(nargs, npages)				\
	((nargs) * (sizeof(struct fastrpc_remote_arg) +			\
		    sizeof(struct fastrpc_invoke_buf)) +			\
	 (npages) * sizeof(struct fastrpc_phy_page) +			\
	 FASTRPC_WIRE_MAX_FDLIST * sizeof(__u64) +				\
	 FASTRPC_WIRE_MAX_CRCLIST * sizeof(__u32))

/* Static handles */
enum fastrpc_static_handle {
	FASTRPC_HANDLE_REMOTECTL = 0,	/* open 0, close 1 */
	FASTRPC_HANDLE_INIT = 1,	/* kernel only: users get -EPERM */
	FASTRPC_HANDLE_DSP_UTILITIES = 2,	/* method 0: attribute array */
	FASTRPC_HANDLE_LISTENER = 3,	/* reverse-RPC listener */
	FASTRPC_HANDLE_CURRENT_PROCESS = 4,	/* method 2: exit */
	FASTRPC_HANDLE_MSGD1 = 5,	/* the DSP's log daemon */
	FASTRPC_HANDLE_PERF = 6,	/* the DSP's perf counters */
	FASTRPC_HANDLE_LISTENER1 = 7,	/* reverse-RPC listener, v2 */
	FASTRPC_HANDLE_REMOTECTL1 = 8,	/* open1 2 */
	FASTRPC_HANDLE_PERF1 = 9,	/* perf counters, v2 */
	/*
	 * Skels opened by remotectl. Past 0x200: libcdsprpc takes handles
	 * 0x100-0x200 for its static PDs' (audio, sensors, ...) and refuses
	 * to invoke them; a real DSP's are addresses of its modules.
	 */
	FASTRPC_HANDLE_FIRST_DYNAMIC = 0x1000,
};

/* Methods of the init handle */
enum fastrpc_init_method {
	FASTRPC_INIT_ATTACH = 0,
	FASTRPC_INIT_RELEASE = 1,
	FASTRPC_INIT_MMAP = 4,
	FASTRPC_INIT_MUNMAP = 5,
	FASTRPC_INIT_CREATE = 6,
	FASTRPC_INIT_CREATE_ATTR = 7,
	FASTRPC_INIT_CREATE_STATIC = 8,
	FASTRPC_INIT_MEM_MAP = 10,
	FASTRPC_INIT_MEM_UNMAP = 11,
};

/*
 * Argument records of the init methods, as the DSP reads them (natural
 * alignment, little endian). A "phy_page" argument is an array of struct
 * fastrpc_phy_page (one per physically contiguous segment); count its
 * entries from the argument's length: the in-tree driver sends one entry
 * and puts 16 (sizeof one entry) in mmap_req.num and mem_map_req.num and 0
 * in create_static.pageslen, this driver puts the entry count in all three
 * and in create.pageslen.
 *
 * ATTACH, RELEASE:  in[0] = __s32 tgid                        SC(m, 1, 0)
 * CREATE(_ATTR):    in[0] = create, in[1] = name (NUL-terminated),
 *                   in[2] = shell ELF, in[3] = phy_page of the init memory,
 *                   [in[4] = __u32 attrs, in[5] = __u32 siglen]
 *                   sc may say 4 in-buffers while 6 are present (as the
 *                   in-tree driver sends them); the DSP reads in[4..5] only
 *                   when the metadata holds them.
 * CREATE_STATIC:    in[0] = create_static, in[1] = name, in[2] = phy_page
 * MMAP:             in[0] = mmap_req, in[1] = phy_page, out[0] = mmap_rsp
 * MUNMAP:           in[0] = munmap_req
 * MEM_MAP:          in[0] = mem_map_req, in[1] = phy_page, in[2] = (empty),
 *                   out[0] = mmap_rsp
 * MEM_UNMAP:        in[0] = mem_unmap_req
 */
struct fastrpc_wire_create {
	__s32 pgid;
	__u32 namelen;
	__u32 filelen;
	__u32 pageslen;
	__u32 attrs;
	__u32 siglen;
};

struct fastrpc_wire_create_static {
	__s32 pgid;
	__u32 namelen;
	__u32 pageslen;
};

struct fastrpc_wire_mmap_req {
	__s32 pgid;
	__u32 flags;
	__u64 vaddr;
	__s32 num;
};

struct fastrpc_wire_mmap_rsp {
	__u64 vaddr;
};

struct fastrpc_wire_munmap_req {
	__s32 pgid;
	__u64 vaddr;
	__u64 size;
};

struct fastrpc_wire_mem_map_req {
	__s32 pgid;
	__s32 fd;
	__s32 offset;
	__u32 flags;
	__u64 vaddrin;
	__s32 num;
	__s32 data_len;
};

struct fastrpc_wire_mem_unmap_req {
	__s32 pgid;
	__s32 fd;
	__u64 vaddrin;
	__u64 len;
};

/* fastrpc_wire_mmap_req.flags / fastrpc_req_mmap.flags */
#define FASTRPC_MMAP_HEAP_ADDR		4
#define FASTRPC_MMAP_DMA_BUFFER		6
#define FASTRPC_MMAP_REMOTE_HEAP_ADDR	8
#define FASTRPC_MMAP_ADD_PAGES		0x1000
#define FASTRPC_MMAP_ADD_PAGES_LLC	0x3000

/* Limits the DSP side enforces on the init records */
#define FASTRPC_INIT_FILELEN_MAX	(2 * 1024 * 1024)
#define FASTRPC_INIT_NAMELEN_MAX	128

/*
 * DSP utilities handle, method 0: in[0] = __u32 count, out[0] = __u32
 * attributes[count] for attribute ids 1..count (id 0, domain support, is
 * answered by the Linux side). SC(0, 1, 1).
 */
#define FASTRPC_MAX_DSP_ATTRIBUTES	256

enum fastrpc_dsp_attribute {
	FASTRPC_ATTR_DOMAIN_SUPPORT = 0,
	FASTRPC_ATTR_UNSIGNED_PD_SUPPORT = 1,
	FASTRPC_ATTR_HVX_SUPPORT_64B = 2,
	FASTRPC_ATTR_HVX_SUPPORT_128B = 3,
	FASTRPC_ATTR_VTCM_PAGE = 4,
	FASTRPC_ATTR_VTCM_COUNT = 5,
	FASTRPC_ATTR_ARCH_VER = 6,
	FASTRPC_ATTR_HMX_SUPPORT_DEPTH = 7,
	FASTRPC_ATTR_HMX_SUPPORT_SPATIAL = 8,
	FASTRPC_ATTR_ASYNC_FASTRPC_SUPPORT = 9,
	FASTRPC_ATTR_STATUS_NOTIFICATION_SUPPORT = 10,
	FASTRPC_ATTR_MCID_MULTICAST = 11,
	FASTRPC_ATTR_COUNT
};

/*
 * A DSP's own error codes (AEEStdErr: 0x80000400 + n), returned as the
 * call's result: an API it does not implement, a process that is going
 * away, a bad parameter, a process that took an exception.
 */
#define FASTRPC_DSP_UNSUPPORTED_API	0x80000414u
#define FASTRPC_DSP_BAD_STATE		0x8000040du
#define FASTRPC_DSP_BAD_PARM		0x8000040eu
#define FASTRPC_DSP_CPU_EXCEPTION	0x80000430u

#endif /* __FASTRPC_WIRE_H__ */
