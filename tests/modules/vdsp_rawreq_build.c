// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp_rawreq.ko: the memory of a raw request, laid out as a FastRPC
 * driver lays it out (wire.h): metadata and inline buffers in one
 * contiguous payload, "separate" buffers in pages of their own with one
 * entry each after pages[n - 1]; then the test's mutations. Bytes that no
 * buffer covers hold VDSP_RAWREQ_CANARY, so that a DSP writing outside
 * the buffers shows. Everything is mapped for the request's bank
 * (vdsp_rawreq_bank.c) and named by its bank address, as a driver does.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vdsp_rawreq.h"

void rawreq_call_free(struct rawreq_call *c)
{
	unsigned int i;

	if (c->payload_mapped)
		dma_unmap_single(c->dev, c->payload_dma,
				 PAGE_ALIGN(c->payload_size), DMA_BIDIRECTIONAL);
	if (c->payload)
		free_pages_exact(c->payload, c->payload_size);
	for (i = 0; i < c->npg; i++) {
		dma_unmap_page(c->dev, c->page_dma[i], PAGE_SIZE,
			       c->page_dir[i]);
		__free_page(c->pages[i]);
	}
	kfree(c->pages);
	kfree(c->page_dma);
	kfree(c->page_dir);
	kfree(c->place);
	kfree(c);
}

static bool rawreq_is_separate(const struct rawreq_arg *a, u32 i, u32 nbufs)
{
	return i >= nbufs || (a->d.flags & VDSP_RAWARG_SEPARATE);
}

/* The part of page @k of a separate buffer that the buffer covers */
static void rawreq_span(unsigned int k, u32 offset, u64 len, u64 *start,
			u64 *end)
{
	u64 first = k ? 0 : offset;
	u64 before = k ? PAGE_SIZE - offset + (u64)(k - 1) * PAGE_SIZE : 0;

	*start = first;
	*end = min_t(u64, PAGE_SIZE, first + (len - before));
}

static void rawreq_clear(u8 *va, unsigned int k, u32 offset, u64 len)
{
	u64 start, end;

	rawreq_span(k, offset, len, &start, &end);
	memset(va + start, 0, end - start);
}

/* Pages of their own for a separate buffer (a scattered dma-buf) */
static int rawreq_alloc_separate(struct rawreq_call *c,
				 const struct rawreq_arg *a,
				 struct rawreq_place *pl)
{
	enum dma_data_direction dir = a->d.flags & VDSP_RAWARG_RDONLY ?
				      DMA_TO_DEVICE : DMA_BIDIRECTIONAL;
	u64 left = a->d.data_len, n;
	unsigned int k;
	u8 *va;

	pl->npages = DIV_ROUND_UP(a->d.offset + a->d.len, PAGE_SIZE);
	pl->pages = &c->pages[c->npg];
	pl->dma = &c->page_dma[c->npg];
	for (k = 0; k < pl->npages; k++) {
		pl->pages[k] = alloc_page(GFP_KERNEL);
		if (!pl->pages[k])
			return -ENOMEM;
		c->page_dir[c->npg] = dir;
		pl->dma[k] = dma_map_page(c->dev, pl->pages[k], 0, PAGE_SIZE,
					  dir);
		if (dma_mapping_error(c->dev, pl->dma[k])) {
			__free_page(pl->pages[k]);
			return -ENOMEM;
		}
		c->npg++;
		va = page_address(pl->pages[k]);
		memset(va, VDSP_RAWREQ_CANARY, PAGE_SIZE);
		rawreq_clear(va, k, a->d.offset, a->d.len);
	}
	for (k = 0; left; k++) {
		va = page_address(pl->pages[k]);
		n = min_t(u64, left, PAGE_SIZE - (k ? 0 : a->d.offset));
		memcpy(va + (k ? 0 : a->d.offset),
		       a->data + a->d.data_len - left, n);
		left -= n;
	}
	return 0;
}

/* Count pages, size the payload, allocate everything of one copy */
int rawreq_layout(struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct rawreq_arg *args, u64 *inline_off)
{
	u32 nbufs = FASTRPC_SC_NBUFS(h->sc), i;
	u64 sep = 0, off;
	int ret;

	for (i = 0; i < h->nargs; i++)
		if (args[i].d.len && rawreq_is_separate(&args[i], i, nbufs))
			sep += DIV_ROUND_UP(args[i].d.offset + args[i].d.len,
					    PAGE_SIZE);
	c->npages = h->nargs + sep;
	off = FASTRPC_WIRE_META_SIZE((u64)h->nargs, c->npages);
	c->meta_size = off;
	for (i = 0; i < h->nargs; i++) {
		inline_off[i] = 0;
		if (!args[i].d.len || rawreq_is_separate(&args[i], i, nbufs))
			continue;
		off = ALIGN(off, FASTRPC_WIRE_ALIGN);
		inline_off[i] = off;
		off += args[i].d.len;
	}
	if (off > RAWREQ_MAX_PAYLOAD)
		return -E2BIG;
	c->payload_size = off;
	c->payload = alloc_pages_exact(off, GFP_KERNEL | __GFP_ZERO);
	if (c->payload)
		memset(c->payload + c->meta_size, VDSP_RAWREQ_CANARY,
		       PAGE_ALIGN(off) - c->meta_size);
	c->pages = kcalloc(max_t(u64, sep, 1), sizeof(*c->pages), GFP_KERNEL);
	c->page_dma = kcalloc(max_t(u64, sep, 1), sizeof(*c->page_dma),
			      GFP_KERNEL);
	c->page_dir = kcalloc(max_t(u64, sep, 1), sizeof(*c->page_dir),
			      GFP_KERNEL);
	c->place = kcalloc(max(h->nargs, 1U), sizeof(*c->place), GFP_KERNEL);
	if (!c->payload || !c->pages || !c->page_dma || !c->page_dir ||
	    !c->place)
		return -ENOMEM;
	c->payload_dma = dma_map_single(c->dev, c->payload, PAGE_ALIGN(off),
					DMA_BIDIRECTIONAL);
	if (dma_mapping_error(c->dev, c->payload_dma))
		return -ENOMEM;
	c->payload_mapped = true;
	for (i = 0; i < h->nargs; i++) {
		if (!args[i].d.len || !rawreq_is_separate(&args[i], i, nbufs))
			continue;
		ret = rawreq_alloc_separate(c, &args[i], &c->place[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* A separate argument's entries, appended after pages[n - 1] */
static void rawreq_fill_separate(struct rawreq_call *c, u32 i,
				 struct fastrpc_remote_arg *ra,
				 struct fastrpc_invoke_buf *ib,
				 struct fastrpc_phy_page *pg, u32 *next,
				 bool is_buf, u32 offset)
{
	const struct rawreq_place *pl = &c->place[i];
	unsigned int k;

	if (is_buf)
		ra->pv = FASTRPC_DSP_ADDR(c->sid, pl->dma[0] + offset);
	ib->num = pl->npages;
	ib->pgidx = *next;
	for (k = 0; k < pl->npages; k++, (*next)++) {
		pg[*next].addr = FASTRPC_DSP_ADDR(c->sid, pl->dma[k]);
		pg[*next].size = PAGE_SIZE;
	}
}

/* Fill args[], bufs[], pages[] and the inline copies, as a driver does */
void rawreq_fill(struct rawreq_call *c, const struct vdsp_rawreq *h,
		 const struct rawreq_arg *args, const u64 *inline_off)
{
	struct fastrpc_remote_arg *ra = c->payload;
	struct fastrpc_invoke_buf *ib = (void *)(ra + h->nargs);
	struct fastrpc_phy_page *pg = (void *)(ib + h->nargs);
	u32 nbufs = FASTRPC_SC_NBUFS(h->sc), i, next = h->nargs;
	dma_addr_t da;

	for (i = 0; i < h->nargs; i++) {
		const struct rawreq_arg *a = &args[i];

		ra[i].len = a->d.len;
		ib[i].pgidx = i;
		if (i >= nbufs) {
			struct fastrpc_remote_dma_handle dh = {
				.fd = a->d.fd, .len = a->d.len,
			};

			memcpy(&ra[i], &dh, sizeof(dh));
		}
		if (!a->d.len)
			continue;
		if (rawreq_is_separate(a, i, nbufs)) {
			rawreq_fill_separate(c, i, &ra[i], &ib[i], pg, &next,
					     i < nbufs, a->d.offset);
			continue;
		}
		c->place[i].virt = c->payload + inline_off[i];
		memset(c->place[i].virt, 0, a->d.len);
		memcpy(c->place[i].virt, a->data, a->d.data_len);
		da = c->payload_dma + inline_off[i];
		ra[i].pv = FASTRPC_DSP_ADDR(c->sid, da);
		ib[i].num = 1;
		pg[i].addr = FASTRPC_DSP_ADDR(c->sid, da & PAGE_MASK);
		pg[i].size = PAGE_ALIGN(da + a->d.len) - (da & PAGE_MASK);
	}
}

static u64 *rawreq_field64(struct rawreq_call *c, const struct vdsp_rawreq *h,
			   const struct vdsp_rawreq_mut *m,
			   struct fastrpc_wire_msg *msg, u64 *msg_len)
{
	struct fastrpc_remote_arg *ra = c->payload;
	struct fastrpc_phy_page *pg;

	pg = (void *)((struct fastrpc_invoke_buf *)(ra + h->nargs) + h->nargs);
	switch (m->field) {
	case VDSP_MUT_MSG_LEN:
		return msg_len;
	case VDSP_MUT_MSG_ADDR:
		return &msg->addr;
	case VDSP_MUT_MSG_SIZE:
		return &msg->size;
	case VDSP_MUT_ARG_PV:
		return m->index < h->nargs ? &ra[m->index].pv : NULL;
	case VDSP_MUT_ARG_LEN:
		return m->index < h->nargs ? &ra[m->index].len : NULL;
	case VDSP_MUT_PAGE_ADDR:
		return m->index < c->npages ? &pg[m->index].addr : NULL;
	case VDSP_MUT_PAGE_SIZE:
		return m->index < c->npages ? &pg[m->index].size : NULL;
	}
	return NULL;
}

static u32 *rawreq_field32(struct rawreq_call *c, const struct vdsp_rawreq *h,
			   const struct vdsp_rawreq_mut *m,
			   struct fastrpc_wire_msg *msg)
{
	struct fastrpc_invoke_buf *ib;

	ib = (void *)((struct fastrpc_remote_arg *)c->payload + h->nargs);
	if (m->field == VDSP_MUT_MSG_SC)
		return &msg->sc;
	if (m->index >= h->nargs)
		return NULL;
	if (m->field == VDSP_MUT_BUF_NUM)
		return (u32 *)&ib[m->index].num;
	if (m->field == VDSP_MUT_BUF_PGIDX)
		return (u32 *)&ib[m->index].pgidx;
	return NULL;
}

/* What a broken driver might have sent instead */
int rawreq_mutate(struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct vdsp_rawreq_mut *muts,
		  struct fastrpc_wire_msg *msg, u64 *msg_len)
{
	const struct vdsp_rawreq_mut *m;
	u64 *f64;
	u32 *f32;
	u32 i;

	for (i = 0; i < h->nmuts; i++) {
		m = &muts[i];
		f64 = rawreq_field64(c, h, m, msg, msg_len);
		f32 = f64 ? NULL : rawreq_field32(c, h, m, msg);
		if (f64)
			*f64 = m->op == VDSP_MUT_ADD ? *f64 + m->value : m->value;
		else if (f32)
			*f32 = m->op == VDSP_MUT_ADD ? *f32 + (u32)m->value :
						       (u32)m->value;
		else
			return -EINVAL;
	}
	return *msg_len > PAGE_SIZE ? -EINVAL : 0;
}

static u32 rawreq_count_changed(const u8 *p, u64 n)
{
	u32 changed = 0;
	u64 i;

	for (i = 0; i < n; i++)
		changed += p[i] != VDSP_RAWREQ_CANARY;
	return changed;
}

/* Bytes of @c's pages outside metadata and buffers that are not canary */
u32 rawreq_canary(const struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct rawreq_arg *args)
{
	u32 nbufs = FASTRPC_SC_NBUFS(h->sc), i, changed = 0;
	u64 at = c->meta_size, start, end;
	const struct rawreq_place *pl;
	unsigned int k;
	u8 *va;

	for (i = 0; i < h->nargs; i++) {
		pl = &c->place[i];
		if (!args[i].d.len)
			continue;
		if (pl->virt) {
			start = (u8 *)pl->virt - (u8 *)c->payload;
			changed += rawreq_count_changed(c->payload + at,
							start - at);
			at = start + args[i].d.len;
			continue;
		}
		for (k = 0; i < nbufs && k < pl->npages; k++) {
			va = page_address(pl->pages[k]);
			rawreq_span(k, args[i].d.offset, args[i].d.len, &start,
				    &end);
			changed += rawreq_count_changed(va, start);
			changed += rawreq_count_changed(va + end,
							PAGE_SIZE - end);
		}
	}
	return changed + rawreq_count_changed(c->payload + at,
					      PAGE_ALIGN(c->payload_size) - at);
}

void rawreq_copy_out(const struct rawreq_arg *a, const struct rawreq_place *pl,
		     u8 *dst)
{
	u64 left = a->d.len, n;
	unsigned int k;

	if (pl->virt) {
		memcpy(dst, pl->virt, a->d.len);
		return;
	}
	for (k = 0; left; k++) {
		n = min_t(u64, left, PAGE_SIZE - (k ? 0 : a->d.offset));
		memcpy(dst, page_address(pl->pages[k]) + (k ? 0 : a->d.offset),
		       n);
		dst += n;
		left -= n;
	}
}
