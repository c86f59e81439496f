/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdsp_rawreq.ko internals: a request's memory (vdsp_rawreq_build.c) as
 * the sending side (vdsp_rawreq_main.c) uses it.
 */
#ifndef VDSP_RAWREQ_INT_H
#define VDSP_RAWREQ_INT_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/types.h>
#include <fastrpc/vdsp_rawreq.h>
#include <fastrpc/wire.h>

#define RAWREQ_MAX_PAYLOAD	(4U << 20)
#define RAWREQ_DOMAINS		4

struct device;

/* One argument as the test described it, shared by all copies */
struct rawreq_arg {
	struct vdsp_rawreq_arg d;
	const u8 *data;
	void *gen;		/* data we made (VDSP_RAWARG_PAGES) */
};

/* Where an argument lives in one copy */
struct rawreq_place {
	void *virt;		/* inline: in the payload */
	struct page **pages;	/* separate: pages of its own */
	dma_addr_t *dma;	/* separate: where the bank maps them */
	unsigned int npages;
};

/* One request in flight, and the memory it names */
struct rawreq_call {
	struct list_head node;	/* rawreq_waiters */
	u64 ctx;
	u32 sid;		/* tagged on every address it names */
	struct device *dev;	/* of the bank it maps its memory for */
	struct completion done;
	bool answered;
	bool abandoned;		/* timed out: freed on response or unload */
	s32 retval;
	u64 rsp_ctx;
	void *payload;
	size_t payload_size;
	dma_addr_t payload_dma;
	bool payload_mapped;
	u64 npages;		/* page entries in the metadata */
	u64 meta_size;
	struct page **pages;	/* separate buffers' pages */
	dma_addr_t *page_dma;	/* and their bank addresses */
	u8 *page_dir;		/* and how they are mapped (dma_data_direction) */
	unsigned int npg;
	struct rawreq_place *place;
};

struct device *rawreq_bank_dev(int d, const char *label, u32 sid);
void rawreq_banks_destroy(void);

void rawreq_call_free(struct rawreq_call *c);
int rawreq_layout(struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct rawreq_arg *args, u64 *inline_off);
void rawreq_fill(struct rawreq_call *c, const struct vdsp_rawreq *h,
		 const struct rawreq_arg *args, const u64 *inline_off);
int rawreq_mutate(struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct vdsp_rawreq_mut *muts,
		  struct fastrpc_wire_msg *msg, u64 *msg_len);
u32 rawreq_canary(const struct rawreq_call *c, const struct vdsp_rawreq *h,
		  const struct rawreq_arg *args);
void rawreq_copy_out(const struct rawreq_arg *a, const struct rawreq_place *pl,
		     u8 *dst);

#endif /* VDSP_RAWREQ_INT_H */
