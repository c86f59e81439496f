// SPDX-License-Identifier: GPL-2.0
/*
 * MMAP, MUNMAP, MEM_MAP, MEM_UNMAP: the init handle's methods 4, 5, 10
 * and 11 with their records (wire.h).
 *
 * MMAP without an fd (fd 0 or -1) gives the DSP size bytes of driver
 * memory (flags ADD_PAGES, ADD_PAGES_LLC or REMOTE_HEAP_ADDR); with a
 * dma-buf fd it maps that buffer's first size bytes (flags ADD_PAGES,
 * ADD_PAGES_LLC or DMA_BUFFER). MUNMAP names a mapping by the DSP address
 * MMAP returned and its size. MEM_MAP maps [offset, offset + length) of a
 * dma-buf, offset page aligned; MEM_UNMAP names it by DSP address, length
 * and fd (or -1). All four hold the client's mutex across the DSP call:
 * it is the client's own (its other threads wait for it, killably), and
 * the DSP call itself is a killable wait.
 */
#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "client.h"
#include "fastrpc.h"
#include "fastrpc_trace.h"
#include "invoke.h"
#include "map.h"
#include "mem.h"
#include "mmap.h"
#include "session.h"
#include "uaccess.h"

/* The fields every event of the map class takes */
#define TRACE_MAP(event, cl, map)					\
	do {								\
		const struct fastrpc_client *_cl = (cl);		\
		const struct fastrpc_map *_m = (map);			\
									\
		trace_fastrpc_##event(_cl->chan->domain, _cl->tgid, _cl->id, \
				      _m->id, _m->fd, _m->raddr, _m->len, \
				      _m->flags);			\
	} while (0)

/* An init-handle method whose only argument is one input record */
static int dsp_init_call(struct fastrpc_client *cl, u32 method,
			 const void *rec, size_t len)
{
	struct fastrpc_invoke_args args[1] = {
		fastrpc_karg(rec, len),
	};

	return fastrpc_dsp_errno(fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
						       FASTRPC_SC(method, 1, 0),
						       args, NULL));
}

static int dsp_munmap(struct fastrpc_client *cl, struct fastrpc_map *map)
{
	struct fastrpc_wire_munmap_req rec = {
		.pgid = cl->tgid,
		.vaddr = map->raddr,
		.size = map->len,
	};
	int err;

	err = dsp_init_call(cl, FASTRPC_INIT_MUNMAP, &rec, sizeof(rec));
	if (!err)
		TRACE_MAP(munmap, cl, map);
	return err;
}

static int dsp_mmap(struct fastrpc_client *cl, struct fastrpc_map *map)
{
	struct fastrpc_wire_mmap_req rec = {
		.pgid = cl->tgid,
		.flags = map->flags,
	};
	struct fastrpc_wire_mmap_rsp rsp = {};
	struct fastrpc_invoke_args args[3];
	struct fastrpc_phy_page *pages;
	int n, err;

	n = fastrpc_map_page_list(map, 0, map->len, &pages);
	if (n < 0)
		return n;
	rec.num = n;
	args[0] = fastrpc_karg(&rec, sizeof(rec));
	args[1] = fastrpc_karg(pages, n * sizeof(*pages));
	args[2] = fastrpc_karg(&rsp, sizeof(rsp));
	err = fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
				    FASTRPC_SC(FASTRPC_INIT_MMAP, 2, 1),
				    args, NULL);
	kvfree(pages);
	map->raddr = rsp.vaddr;
	err = fastrpc_dsp_errno(err);
	if (!err)
		TRACE_MAP(mmap, cl, map);
	return err;
}

static int mmap_check(const struct fastrpc_req_mmap *req, bool with_fd)
{
	if (req->vaddrin || !req->size)
		return -EINVAL;
	switch (req->flags) {
	case FASTRPC_MMAP_ADD_PAGES:
	case FASTRPC_MMAP_ADD_PAGES_LLC:
		return 0;
	case FASTRPC_MMAP_DMA_BUFFER:
		return with_fd ? 0 : -EINVAL;
	case FASTRPC_MMAP_REMOTE_HEAP_ADDR:
		return with_fd ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static int mmap_source(struct fastrpc_client *cl,
		       const struct fastrpc_req_mmap *req, bool with_fd,
		       struct fastrpc_map **out)
{
	struct fastrpc_buf *buf;
	int err;

	if (with_fd) {
		err = fastrpc_map_import(cl, req->fd, FASTRPC_MAP_MMAP, false,
					 out);
		/* dma-buf sizes are whole pages; PAGE_ALIGN could wrap */
		if (!err && req->size > (*out)->size) {
			fastrpc_map_put(*out);
			*out = NULL;
			err = -EINVAL;
		}
		return err;
	}
	err = fastrpc_buf_alloc(cl->chan->domain, req->size, &buf);
	if (err)
		return err;
	err = fastrpc_map_from_buf(cl, buf, FASTRPC_MAP_MMAP, out);
	if (err)
		fastrpc_buf_free(buf);
	return err;
}

int fastrpc_ioctl_mmap(struct fastrpc_call *call)
{
	struct fastrpc_req_mmap *req = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_map *map;
	bool with_fd;
	int err;

	if (req->fd < -1)
		return -EBADF;
	with_fd = req->fd > 0;
	/* refused before a bank is taken for it */
	err = mmap_check(req, with_fd) ?: fastrpc_client_has_process(cl) ?:
	      fastrpc_session_assign(cl);
	if (err)
		return err;

	err = mutex_lock_killable(&cl->mutex);
	if (err)
		return err;
	err = mmap_source(cl, req, with_fd, &map);
	if (err)
		goto out;
	map->len = PAGE_ALIGN(req->size);
	map->flags = req->flags;
	err = dsp_mmap(cl, map);
	if (fastrpc_invoke_maybe_done(err))
		fastrpc_map_list(cl, map);
	if (!err) {
		req->vaddrout = map->raddr;
		if (fastrpc_call_copy_back(call)) {
			err = -EFAULT;
			if (!dsp_munmap(cl, map))
				fastrpc_map_unlist(cl, map);
		}
	}
	fastrpc_map_put(map);
out:
	mutex_unlock(&cl->mutex);
	return err;
}

int fastrpc_ioctl_munmap(struct fastrpc_call *call)
{
	const struct fastrpc_req_munmap *req = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_map *map;
	int err;

	if (!req->size || req->size > U64_MAX - PAGE_SIZE)
		return -EINVAL;
	err = mutex_lock_killable(&cl->mutex);
	if (err)
		return err;
	map = fastrpc_map_find_remote(cl, FASTRPC_MAP_MMAP, req->vaddrout,
				      PAGE_ALIGN(req->size), -1);
	if (!map) {
		err = -EINVAL;
		goto out;
	}
	err = dsp_munmap(cl, map);
	if (!err) {
		fastrpc_map_unlist(cl, map);
		if (map->dmabuf)
			fastrpc_map_drop_cached(cl, map->dmabuf);
	}
	fastrpc_map_put(map);
out:
	mutex_unlock(&cl->mutex);
	return err;
}

static int dsp_mem_unmap(struct fastrpc_client *cl, struct fastrpc_map *map)
{
	struct fastrpc_wire_mem_unmap_req rec = {
		.pgid = cl->tgid,
		.fd = map->fd,
		.vaddrin = map->raddr,
		.len = map->len,
	};
	int err;

	err = dsp_init_call(cl, FASTRPC_INIT_MEM_UNMAP, &rec, sizeof(rec));
	if (!err)
		TRACE_MAP(mem_unmap, cl, map);
	return err;
}

static int dsp_mem_map(struct fastrpc_client *cl, struct fastrpc_map *map,
		       u64 vaddrin)
{
	struct fastrpc_wire_mem_map_req rec = {
		.pgid = cl->tgid,
		.fd = map->fd,
		.offset = map->offset,
		.flags = map->flags,
		.vaddrin = vaddrin,
	};
	struct fastrpc_wire_mmap_rsp rsp = {};
	struct fastrpc_invoke_args args[4];
	struct fastrpc_phy_page *pages;
	int n, err;

	n = fastrpc_map_page_list(map, map->offset, map->len, &pages);
	if (n < 0)
		return n;
	rec.num = n;
	args[0] = fastrpc_karg(&rec, sizeof(rec));
	args[1] = fastrpc_karg(pages, n * sizeof(*pages));
	args[2] = fastrpc_karg(NULL, 0);
	args[3] = fastrpc_karg(&rsp, sizeof(rsp));
	err = fastrpc_invoke_kernel(cl, FASTRPC_HANDLE_INIT,
				    FASTRPC_SC(FASTRPC_INIT_MEM_MAP, 3, 1),
				    args, NULL);
	kvfree(pages);
	map->raddr = rsp.vaddr;
	err = fastrpc_dsp_errno(err);
	if (!err)
		TRACE_MAP(mem_map, cl, map);
	return err;
}

/*
 * As upstream, version, reserved words and attribute bits other than
 * SECUREMAP are not looked at; the range and flags are (the DSP would
 * refuse them).
 */
static int mem_map_check(const struct fastrpc_mem_map *req)
{
	if (req->offset < 0 || !PAGE_ALIGNED(req->offset) || !req->length)
		return -EINVAL;
	switch (req->flags) {
	case FASTRPC_MAP_STATIC:
	case FASTRPC_MAP_FD:
	case FASTRPC_MAP_FD_DELAYED:
	case FASTRPC_MAP_FD_NOMAP:
		break;
	default:
		return -EINVAL;
	}
	return req->fd < 0 ? -EBADF : 0;
}

static int mem_map_locked(struct fastrpc_call *call,
			  struct fastrpc_mem_map *req)
{
	struct fastrpc_client *cl = call->cl;
	bool secure = req->attrs & FASTRPC_ATTR_SECUREMAP;
	struct fastrpc_map *map;
	int err;

	err = fastrpc_map_import(cl, req->fd, FASTRPC_MAP_MEM, secure, &map);
	if (err)
		return err;
	if (req->length > map->size || req->offset > map->size - req->length) {
		err = -EINVAL;
		goto out;
	}
	map->offset = req->offset;
	map->len = req->length;
	map->flags = req->flags;
	err = dsp_mem_map(cl, map, req->vaddrin);
	if (fastrpc_invoke_maybe_done(err))
		fastrpc_map_list(cl, map);
	if (!err) {
		req->vaddrout = map->raddr;
		if (fastrpc_call_copy_back(call)) {
			err = -EFAULT;
			if (!dsp_mem_unmap(cl, map))
				fastrpc_map_unlist(cl, map);
		}
	}
out:
	fastrpc_map_put(map);
	return err;
}

int fastrpc_ioctl_mem_map(struct fastrpc_call *call)
{
	struct fastrpc_mem_map *req = call->arg;
	struct fastrpc_client *cl = call->cl;
	int err;

	err = mem_map_check(req) ?: fastrpc_client_has_process(cl) ?:
	      fastrpc_session_assign(cl);
	if (err)
		return err;
	if ((req->attrs & FASTRPC_ATTR_SECUREMAP) && !cl->bank->secure)
		return -EPERM;
	err = mutex_lock_killable(&cl->mutex);
	if (err)
		return err;
	err = mem_map_locked(call, req);
	mutex_unlock(&cl->mutex);
	return err;
}

int fastrpc_ioctl_mem_unmap(struct fastrpc_call *call)
{
	const struct fastrpc_mem_unmap *req = call->arg;
	struct fastrpc_client *cl = call->cl;
	struct fastrpc_map *map;
	int err;

	/* as upstream: the DSP address and the fd (any if negative) name it */
	err = mutex_lock_killable(&cl->mutex);
	if (err)
		return err;
	map = fastrpc_map_find_remote(cl, FASTRPC_MAP_MEM, req->vaddr, 0,
				      req->fd < 0 ? -1 : req->fd);
	if (!map) {
		err = -EINVAL;
		goto out;
	}
	err = dsp_mem_unmap(cl, map);
	if (!err) {
		fastrpc_map_unlist(cl, map);
		fastrpc_map_drop_cached(cl, map->dmabuf);
	}
	fastrpc_map_put(map);
out:
	mutex_unlock(&cl->mutex);
	return err;
}
