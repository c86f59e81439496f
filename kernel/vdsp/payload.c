// SPDX-License-Identifier: GPL-2.0
/*
 * What a request names, checked before anything of it is touched, and the
 * only code that touches it.
 *
 * Every address is a context bank's (wire.h, FASTRPC_DSP_ADDR): a stream
 * id in bits 32 and up, an address of that stream below. The stream must
 * be a bank of this DSP and the one the request's payload came through
 * (one client, one bank); every byte is then reached through the DSP's
 * SMMU (smmu.c), which translates the address with the page tables the
 * kernel's DMA API filled for that bank and faults on anything else.
 *
 * The payload (msg.addr, msg.size) is one contiguous range
 * holding args[n], bufs[n], pages[npages], fdlist and crclist, where npages
 * = max(n, highest pgidx + num) (wire.h). Buffer i starts (pv & 4095) bytes
 * into the first of its num page entries and runs len bytes through them.
 * Every length is checked for overflow, every page entry must be whole
 * pages, every page the DSP will touch must translate (inputs readable,
 * outputs writable) before the call runs; the DSP then reads and writes
 * exactly the bytes of the buffers, never anything around them, and each
 * access is translated again, so a page unmapped meanwhile faults.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <fastrpc/vdsp_abi.h>

#include "vdsp.h"

/* The SMMU refused @addr: the caller's process takes the fault */
static int vdsp_smmu_fault(struct vdsp_call *call, u64 addr, const char *why)
{
	call->fault = why;
	call->fault_addr = addr;
	return -EFAULT;
}

/* [@addr, @addr + @len) through the DSP's SMMU; @fn on each piece */
static int vdsp_smmu_do(struct vdsp_call *call, u64 addr, u64 len,
			unsigned int flags, vdsp_smmu_fn fn, void *arg)
{
	u32 sid = FASTRPC_ADDR_SID(addr);
	struct vdsp_smmu_fault f;
	int ret;

	ret = vdsp_smmu_access(call->dom->smmu, sid, FASTRPC_ADDR_DMA(addr),
			       len, flags, fn, arg, &f);
	if (ret)
		return vdsp_smmu_fault(call, FASTRPC_DSP_ADDR(sid, f.iova),
				       f.why);
	return 0;
}

/* Call @fn on every page-sized piece of bytes [off, off + len) of @segs */
static int vdsp_segs_walk(struct vdsp_call *call, const struct vdsp_seg *segs,
			  unsigned int nsegs, u64 off, u64 len,
			  unsigned int flags, vdsp_smmu_fn fn, void *arg)
{
	const struct vdsp_seg *s;
	unsigned int i;
	u64 n;
	int ret;

	for (i = 0; i < nsegs && len; i++) {
		s = &segs[i];
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = min(s->len - off, len);
		ret = vdsp_smmu_do(call, s->addr + off, n, flags, fn, arg);
		if (ret)
			return ret;
		len -= n;
		off = 0;
	}
	return len ? -EINVAL : 0;
}

static void vdsp_chunk_read(void *va, size_t n, void *arg)
{
	u8 **p = arg;

	memcpy(*p, va, n);
	*p += n;
}

static void vdsp_chunk_write(void *va, size_t n, void *arg)
{
	const u8 **p = arg;

	memcpy(va, *p, n);
	*p += n;
}

static void vdsp_chunk_fill(void *va, size_t n, void *arg)
{
	memset(va, *(u8 *)arg, n);
}

static void vdsp_chunk_fnv(void *va, size_t n, void *arg)
{
	const u8 *b = va;
	u64 *h = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		*h ^= b[i];
		*h *= MEMTEST_FNV1A64_PRIME;
	}
}

static int vdsp_segs_read(struct vdsp_call *call, const struct vdsp_seg *segs,
			  unsigned int nsegs, u64 off, void *dst, u64 len)
{
	u8 *p = dst;

	return vdsp_segs_walk(call, segs, nsegs, off, len, 0, vdsp_chunk_read,
			      &p);
}

static int vdsp_segs_write(struct vdsp_call *call,
			   const struct vdsp_seg *segs, unsigned int nsegs,
			   u64 off, const void *src, u64 len)
{
	const u8 *p = src;

	return vdsp_segs_walk(call, segs, nsegs, off, len, VDSP_SMMU_WRITE,
			      vdsp_chunk_write, &p);
}

int vdsp_segs_fill(struct vdsp_call *call, const struct vdsp_seg *segs,
		   unsigned int nsegs, u64 off, u8 byte, u64 len)
{
	return vdsp_segs_walk(call, segs, nsegs, off, len, VDSP_SMMU_WRITE,
			      vdsp_chunk_fill, &byte);
}

int vdsp_segs_fnv1a64(struct vdsp_call *call, const struct vdsp_seg *segs,
		      unsigned int nsegs, u64 off, u64 len, u64 *hash)
{
	*hash = MEMTEST_FNV1A64_OFFSET;
	return vdsp_segs_walk(call, segs, nsegs, off, len, 0, vdsp_chunk_fnv,
			      hash);
}

static bool vdsp_buf_has(const struct vdsp_buf *b, u64 off, u64 len)
{
	return off <= b->len && len <= b->len - off;
}

int vdsp_buf_read(const struct vdsp_buf *b, u64 off, void *dst, u64 len)
{
	if (!vdsp_buf_has(b, off, len))
		return -EINVAL;
	return vdsp_segs_read(b->call, b->segs, b->nsegs, off, dst, len);
}

int vdsp_buf_write(const struct vdsp_buf *b, u64 off, const void *src, u64 len)
{
	if (!vdsp_buf_has(b, off, len))
		return -EINVAL;
	return vdsp_segs_write(b->call, b->segs, b->nsegs, off, src, len);
}

int vdsp_buf_fill(const struct vdsp_buf *b, u64 off, u8 byte, u64 len)
{
	if (!vdsp_buf_has(b, off, len))
		return -EINVAL;
	return vdsp_segs_fill(b->call, b->segs, b->nsegs, off, byte, len);
}

static int vdsp_refuse(struct vdsp_call *call, const char *why)
{
	call->why = why;
	return -EINVAL;
}

/* [@addr, @addr + @len) is the request's bank's, in its 4 GiB window */
static int vdsp_check_stream(struct vdsp_call *call, u64 addr, u64 len)
{
	u64 dma = FASTRPC_ADDR_DMA(addr);

	if (FASTRPC_ADDR_SID(addr) != call->sid)
		return vdsp_smmu_fault(call, addr,
				       "stream id is not the request's bank");
	if (dma + len > BIT_ULL(FASTRPC_SID_SHIFT))
		return vdsp_smmu_fault(call, addr,
				       "runs past the bank's 4 GiB window");
	return 0;
}

/* Every page of [@addr, @addr + @len) translates for an access of @flags */
static int vdsp_check_mapped(struct vdsp_call *call, u64 addr, u64 len,
			     unsigned int flags)
{
	return vdsp_smmu_do(call, addr, len, flags, NULL, NULL);
}

static struct vdsp_seg vdsp_payload_seg(const struct vdsp_call *call)
{
	return (struct vdsp_seg){
		.addr = call->req->msg.addr,
		.len = call->req->msg.size,
	};
}

static int vdsp_payload_read(struct vdsp_call *call, u64 off, void *dst,
			     u64 len)
{
	struct vdsp_seg seg = vdsp_payload_seg(call);

	return vdsp_segs_read(call, &seg, 1, off, dst, len);
}

/* Whole pages, through the request's bank */
static int vdsp_check_entry(struct vdsp_call *call,
			    const struct fastrpc_phy_page *pg)
{
	if (!pg->size || !PAGE_ALIGNED(pg->addr) || !PAGE_ALIGNED(pg->size))
		return vdsp_refuse(call, "page entry is not whole pages");
	if (pg->addr + pg->size < pg->addr)
		return vdsp_refuse(call, "page entry wraps");
	return vdsp_check_stream(call, pg->addr, pg->size);
}

/* npages from the bufs[] records; sum of num bounds the segments */
static int vdsp_count_pages(struct vdsp_call *call, u64 *nsegs)
{
	u64 npages = call->nargs, segs = 0;
	s32 num, idx;
	u32 i;

	for (i = 0; i < call->nargs; i++) {
		num = call->ibufs[i].num;
		idx = call->ibufs[i].pgidx;
		if (num < 0 || idx < 0)
			return vdsp_refuse(call, "negative page count or index");
		if (!num)
			continue;
		npages = max(npages, (u64)idx + num);
		segs += num;
	}
	if (npages > VDSP_MAX_PAGES || segs > VDSP_MAX_PAGES)
		return vdsp_refuse(call, "too many page entries");
	call->npages = npages;
	*nsegs = segs;
	return 0;
}

/* Buffer @i: its entries checked, the bytes it names as segments */
static int vdsp_buf_build(struct vdsp_call *call, u32 i, struct vdsp_buf *b,
			  struct vdsp_seg *segs)
{
	const struct fastrpc_remote_arg *a = &call->args[i];
	const struct fastrpc_invoke_buf *ib = &call->ibufs[i];
	unsigned int flags = i < call->nin ? 0 : VDSP_SMMU_WRITE;
	const struct fastrpc_phy_page *pg;
	u64 skip, need, take;
	int k, ret;

	b->call = call;
	b->len = a->len;
	b->segs = segs;
	b->nsegs = 0;
	if (!a->len)
		return ib->num ? vdsp_refuse(call, "pages for an empty buffer") : 0;
	if (!ib->num)
		return vdsp_refuse(call, "buffer without pages");
	if (a->len > VDSP_BUF_MAX)
		return vdsp_refuse(call, "buffer too large");
	skip = offset_in_page(a->pv);
	need = a->len;
	for (k = 0; k < ib->num; k++) {
		pg = &call->pages[ib->pgidx + k];
		ret = vdsp_check_entry(call, pg);
		if (ret)
			return ret;
		if (!need)
			continue;
		if (skip >= pg->size) {
			skip -= pg->size;
			continue;
		}
		take = min(pg->size - skip, need);
		ret = vdsp_check_mapped(call, pg->addr + skip, take, flags);
		if (ret)
			return ret;
		segs[b->nsegs].addr = pg->addr + skip;
		segs[b->nsegs].len = take;
		b->nsegs++;
		need -= take;
		skip = 0;
	}
	if (need)
		return vdsp_refuse(call, "buffer runs past its pages");
	return 0;
}

/* Handle arguments: entries checked; fds listed for the fdlist */
static int vdsp_handle_check(struct vdsp_call *call, u32 i)
{
	const struct fastrpc_remote_arg *a = &call->args[i];
	const struct fastrpc_invoke_buf *ib = &call->ibufs[i];
	struct fastrpc_remote_dma_handle h;
	int k, ret;

	memcpy(&h, a, sizeof(h));
	if (!h.len != !ib->num)
		return vdsp_refuse(call, "handle pages do not match its length");
	for (k = 0; k < ib->num; k++) {
		ret = vdsp_check_entry(call, &call->pages[ib->pgidx + k]);
		if (ret)
			return ret;
	}
	if (h.fd > 0 && call->nfds < FASTRPC_WIRE_MAX_FDLIST)
		call->fds[call->nfds++] = h.fd;
	return 0;
}

/*
 * An array of @len bytes, zeroed; none for none, so that a call without
 * arguments (the null call) allocates nothing
 */
static int vdsp_array(void *p, u64 len)
{
	void **arr = p;

	*arr = len ? kvzalloc(len, GFP_KERNEL) : NULL;
	return len && !*arr ? -ENOMEM : 0;
}

/* args[], bufs[] and pages[] into kernel memory; segments allocated */
static int vdsp_meta_read(struct vdsp_call *call)
{
	const struct fastrpc_wire_msg *msg = &call->req->msg;
	u64 args_len = call->nargs * sizeof(*call->args);
	u64 ibufs_len = call->nargs * sizeof(*call->ibufs);
	u64 pages_len, nsegs;
	int ret;

	if (vdsp_array(&call->args, args_len) ||
	    vdsp_array(&call->ibufs, ibufs_len))
		return -ENOMEM;
	ret = vdsp_payload_read(call, 0, call->args, args_len);
	if (!ret)
		ret = vdsp_payload_read(call, args_len, call->ibufs, ibufs_len);
	if (!ret)
		ret = vdsp_count_pages(call, &nsegs);
	if (ret)
		return ret;
	if (FASTRPC_WIRE_META_SIZE((u64)call->nargs, (u64)call->npages) >
	    msg->size)
		return vdsp_refuse(call, "page list past the payload");
	pages_len = call->npages * sizeof(*call->pages);
	if (vdsp_array(&call->pages, pages_len) ||
	    vdsp_array(&call->segs, nsegs * sizeof(*call->segs)))
		return -ENOMEM;
	call->fdlist_off = args_len + ibufs_len + pages_len;
	return vdsp_payload_read(call, args_len + ibufs_len, call->pages,
				 pages_len);
}

static int vdsp_payload_check(struct vdsp_call *call)
{
	const struct fastrpc_wire_msg *msg = &call->req->msg;
	u32 sid = FASTRPC_ADDR_SID(msg->addr);
	int ret;

	if (!msg->size)
		return vdsp_refuse(call, "zero payload size");
	if (msg->size > VDSP_PAYLOAD_MAX)
		return vdsp_refuse(call, "payload too large");
	if (msg->addr + msg->size < msg->addr)
		return vdsp_refuse(call, "payload wraps");
	if (!IS_ALIGNED(msg->addr, 8))
		return vdsp_refuse(call, "payload not 8-byte aligned");
	if (sid >= VDSP_SIDS || !(call->dom->sids & BIT_ULL(sid)))
		return vdsp_smmu_fault(call, msg->addr,
				       "stream id is no bank of this DSP");
	call->sid = sid;
	/* The DSP writes the fdlist back into it */
	ret = vdsp_check_stream(call, msg->addr, msg->size);
	if (!ret)
		ret = vdsp_check_mapped(call, msg->addr, msg->size,
					VDSP_SMMU_WRITE);
	if (ret)
		return ret;
	if ((u64)call->nargs * (sizeof(*call->args) + sizeof(*call->ibufs)) >
	    msg->size)
		return vdsp_refuse(call, "metadata past the payload");
	return 0;
}

/*
 * Check everything @call->req names and describe its buffers. -EINVAL
 * with @call->why set for a malformed request (nothing was touched but
 * the payload's metadata), -ENOMEM if the DSP ran out of memory.
 */
int vdsp_call_parse(struct vdsp_call *call)
{
	struct vdsp_seg *next;
	u32 i;
	int ret;

	ret = vdsp_payload_check(call);
	if (!ret)
		ret = vdsp_meta_read(call);
	if (ret)
		return ret;
	if (vdsp_array(&call->bufs, (u64)call->nbufs * sizeof(*call->bufs)))
		return -ENOMEM;
	next = call->segs;
	for (i = 0; i < call->nbufs; i++) {
		ret = vdsp_buf_build(call, i, &call->bufs[i], next);
		if (ret)
			return ret;
		next += call->bufs[i].nsegs;
	}
	for (; i < call->nargs; i++) {
		ret = vdsp_handle_check(call, i);
		if (ret)
			return ret;
	}
	call->in = call->bufs;
	call->out = call->bufs + call->nin;
	call->parsed = true;
	return 0;
}

/* The DSP is done with the handles it was given: list their fds */
void vdsp_call_write_fdlist(struct vdsp_call *call)
{
	u64 fdlist[FASTRPC_WIRE_MAX_FDLIST] = { };
	struct vdsp_seg seg = vdsp_payload_seg(call);

	if (!call->parsed)
		return;
	memcpy(fdlist, call->fds, call->nfds * sizeof(fdlist[0]));
	vdsp_segs_write(call, &seg, 1, call->fdlist_off, fdlist,
			sizeof(fdlist));
}

void vdsp_call_release(struct vdsp_call *call)
{
	kvfree(call->args);
	kvfree(call->ibufs);
	kvfree(call->pages);
	kvfree(call->segs);
	kvfree(call->bufs);
}

/*
 * A phy_page array argument (init memory, a heap, an mmap or mem_map) as a
 * mapping of @kind: whole pages, all mapped in the bank, at most
 * VDSP_MAP_MAX bytes. What it maps is translated again on every access:
 * once the kernel unmaps it, an access faults.
 */
struct vdsp_map *vdsp_map_from_arg(struct vdsp_call *call,
				   const struct vdsp_buf *b,
				   enum vdsp_map_kind kind)
{
	struct fastrpc_phy_page *pg;
	struct vdsp_map *map;
	u64 i, n, size = 0;
	int ret;

	n = b->len / sizeof(*pg);
	if (!n || b->len % sizeof(*pg))
		return ERR_PTR(vdsp_refuse(call, "page array length"));
	if (n > VDSP_MAX_PAGES)
		return ERR_PTR(vdsp_refuse(call, "page array too long"));
	pg = kvmalloc_array(n, sizeof(*pg), GFP_KERNEL);
	map = kvzalloc(struct_size(map, segs, n), GFP_KERNEL);
	if (map)
		map->nsegs = n;
	ret = pg && map ? vdsp_buf_read(b, 0, pg, b->len) : -ENOMEM;
	for (i = 0; !ret && i < n; i++) {
		ret = vdsp_check_entry(call, &pg[i]);
		if (!ret && check_add_overflow(size, pg[i].size, &size))
			ret = vdsp_refuse(call, "mapping size overflows");
		if (!ret && size > VDSP_MAP_MAX)
			ret = vdsp_refuse(call, "mapping too large");
		if (!ret)
			ret = vdsp_check_mapped(call, pg[i].addr, pg[i].size, 0);
		if (!ret) {
			map->segs[i].addr = pg[i].addr;
			map->segs[i].len = pg[i].size;
		}
	}
	kvfree(pg);
	if (ret) {
		kvfree(map);
		return ERR_PTR(ret);
	}
	kref_init(&map->ref);
	INIT_LIST_HEAD(&map->node);
	map->kind = kind;
	map->size = size;
	map->fd = -1;
	return map;
}
