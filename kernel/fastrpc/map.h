/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps: memory made visible to the DSP through a client's context bank,
 * either an imported dma-buf (from any exporter) or a driver buffer, and
 * the physical page lists that describe a byte range of it on the wire.
 */
#ifndef FASTRPC_MAP_H
#define FASTRPC_MAP_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

struct dma_buf;
struct sg_table;
struct fastrpc_buf;
struct fastrpc_channel;
struct fastrpc_client;
struct fastrpc_import;
struct fastrpc_phy_page;

enum fastrpc_map_kind {
	FASTRPC_MAP_INVOKE,	/* invoke argument: cached until fdlist/close */
	FASTRPC_MAP_MEM,	/* MEM_MAP */
	FASTRPC_MAP_MMAP,	/* MMAP: a dma-buf or a driver buffer */
	FASTRPC_MAP_KERNEL,	/* the driver's own, never listed */
};

struct fastrpc_map {
	struct kref ref;
	struct list_head node;		/* in client->maps while @listed */
	bool listed;
	enum fastrpc_map_kind kind;
	u32 id;				/* unique per driver load */
	int fd;				/* last fd the user named it by, or -1 */
	bool secure;
	struct sg_table *sgt;		/* DMA addresses for the bank */
	u32 sid;			/* the bank's stream id */
	u32 domain;			/* its client's, for tracing */
	pid_t tgid;
	u32 client_id;
	u64 size;			/* bytes @sgt covers */

	/* Source: the client's import of a dma-buf, or a driver buffer */
	struct fastrpc_import *import;
	struct dma_buf *dmabuf;		/* the import's, for lookups */
	struct fastrpc_buf *buf;	/* owned by the map */

	/* A view: @parent's buffer mapped for another bank, in @view_sgt */
	struct fastrpc_map *parent;
	struct device *view_dev;
	struct sg_table view_sgt;

	/* On the DSP (MEM, MMAP) */
	u64 raddr;
	u64 offset;
	u64 len;
	u32 flags;
};

/* Import dma-buf @fd for the client's bank: a new map, not listed */
int fastrpc_map_import(struct fastrpc_client *cl, int fd,
		       enum fastrpc_map_kind kind, bool secure,
		       struct fastrpc_map **out);
/* Wrap a driver buffer mapped for the client's bank; the map owns it */
int fastrpc_map_view(struct fastrpc_client *cl, struct fastrpc_map *parent,
		     struct fastrpc_map **out);
int fastrpc_map_from_buf(struct fastrpc_client *cl, struct fastrpc_buf *buf,
			 enum fastrpc_map_kind kind, struct fastrpc_map **out);
/*
 * Invoke arguments: the client's cached map of @dmabuf (the user named it
 * @fd), or a new one; takes over the caller's reference to @dmabuf
 */
int fastrpc_map_get_cached(struct fastrpc_client *cl, struct dma_buf *dmabuf,
			   int fd, bool secure, struct fastrpc_map **out);

void fastrpc_map_get(struct fastrpc_map *map);
void fastrpc_map_put(struct fastrpc_map *map);

/* The client's list holds one reference of a listed map */
void fastrpc_map_list(struct fastrpc_client *cl, struct fastrpc_map *map);
void fastrpc_map_unlist(struct fastrpc_client *cl, struct fastrpc_map *map);
/*
 * The listed map of @kind at DSP address @raddr of length @len (0: any)
 * and fd @fd (-1: any), or NULL
 */
struct fastrpc_map *fastrpc_map_find_remote(struct fastrpc_client *cl,
					    enum fastrpc_map_kind kind,
					    u64 raddr, u64 len, int fd);

/* Cached invoke imports: the DSP released @fd; unmap/free of @dmabuf */
void fastrpc_map_release_fd(struct fastrpc_client *cl, int fd);
void fastrpc_map_drop_cached(struct fastrpc_client *cl,
			     struct dma_buf *dmabuf);
/* Is @dmabuf mem_mapped or mmapped on the DSP by this client? */
bool fastrpc_map_on_dsp(struct fastrpc_client *cl, struct dma_buf *dmabuf);
/* Close or DSP loss: every listed map goes */
void fastrpc_map_release_all(struct fastrpc_client *cl);
/*
 * Close when the DSP did not release the process (no answer, or an
 * error): every listed map (MEM, MMAP, and invoke buffers the DSP never
 * named in an fdlist) stays, in the channel, until the DSP goes away.
 */
void fastrpc_map_orphan_all(struct fastrpc_client *cl);
void fastrpc_map_orphan(struct fastrpc_channel *chan, struct fastrpc_map *map);
void fastrpc_map_release_orphans(struct fastrpc_channel *chan);
int fastrpc_map_orphans_check(struct fastrpc_channel *chan);
void fastrpc_map_client_stats(struct fastrpc_client *cl, u64 *count,
			      u64 *bytes);

/*
 * Byte offset of user address @ptr in @dmabuf: 0 unless @ptr is in a
 * mapping of that dma-buf in the caller's address space
 */
u64 fastrpc_map_user_offset(struct dma_buf *dmabuf, u64 ptr);
/* Page list of [@off, @off + @len): number of entries, or -errno */
int fastrpc_map_count_pages(struct fastrpc_map *map, u64 off, u64 len);
void fastrpc_map_fill_pages(struct fastrpc_map *map, u64 off, u64 len,
			    struct fastrpc_phy_page *pages);
/*
 * The same as a new array (kvfree it) for an init record: count, -errno
 * (-E2BIG past what one payload carries)
 */
int fastrpc_map_page_list(struct fastrpc_map *map, u64 off, u64 len,
			  struct fastrpc_phy_page **pages);
/* DMA address of byte @off */
u64 fastrpc_map_dma(struct fastrpc_map *map, u64 off);

#endif /* FASTRPC_MAP_H */
