// SPDX-License-Identifier: GPL-2.0
/*
 * The init handle (1): what a FastRPC driver asks of the DSP on its own
 * behalf (pid 0 in the message; the records name the process): attach,
 * release, create a dynamic PD from a shell ELF, create a static PD, and
 * map or unmap memory in a process's DSP address space. Argument records
 * as in wire.h; a record may be longer than we read (padding), not
 * shorter.
 */
#include <linux/elf.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "misc/fastrpc.h"

#include "vdsp.h"

static int vdsp_bad(struct vdsp_call *call, const char *why)
{
	call->why = why;
	return -EINVAL;
}

/* in[@i] as a record of at least @min bytes, read into @rec (@size bytes) */
static int vdsp_in_record(struct vdsp_call *call, u32 i, void *rec,
			  size_t min, size_t size)
{
	if (i >= call->nin || call->in[i].len < min)
		return vdsp_bad(call, "init record missing or short");
	memset(rec, 0, size);
	return vdsp_buf_read(&call->in[i], 0, rec, min_t(u64, size,
							  call->in[i].len));
}

/* A process name from in[@i], @len bytes with or without its NUL */
static int vdsp_in_name(struct vdsp_call *call, u32 i, u32 len, char *name)
{
	int ret;

	if (i >= call->nin || !len || len > call->in[i].len ||
	    len > FASTRPC_INIT_NAMELEN_MAX)
		return vdsp_bad(call, "bad process name length");
	ret = vdsp_buf_read(&call->in[i], 0, name, len);
	if (ret)
		return ret;
	name[min_t(u32, len, FASTRPC_INIT_NAMELEN_MAX - 1)] = '\0';
	if (!name[0])
		return vdsp_bad(call, "empty process name");
	return 0;
}

static int vdsp_in_tgid(struct vdsp_call *call, pid_t *tgid)
{
	s32 v;
	int ret = vdsp_in_record(call, 0, &v, sizeof(v), sizeof(v));

	if (!ret && v <= 0)
		ret = vdsp_bad(call, "bad tgid");
	*tgid = v;
	return ret;
}

static int vdsp_init_attach(struct vdsp_call *call)
{
	enum vdsp_pd_kind kind;
	pid_t tgid;
	int ret;

	ret = vdsp_in_tgid(call, &tgid);
	if (ret)
		return ret;
	switch (FASTRPC_CTX_TO_PD(call->req->msg.ctx)) {
	case FASTRPC_PD_ROOT:
		kind = VDSP_PD_ROOT;
		break;
	case FASTRPC_PD_SENSORS:
		kind = VDSP_PD_SENSORS;
		break;
	default:
		return vdsp_bad(call, "attach names neither root nor sensors PD");
	}
	return vdsp_proc_attach(call, tgid, kind);
}

static int vdsp_init_release(struct vdsp_call *call)
{
	pid_t tgid;
	int ret;

	ret = vdsp_in_tgid(call, &tgid);
	if (!ret)
		vdsp_proc_release(call->dom, tgid, call->sid);
	return ret;
}

/*
 * The shell must be a 32-bit little-endian ELF for the Hexagon. None (a
 * client that found no shell file sends length 0): the DSP starts the
 * shell of its own image, as a real one does.
 */
static int vdsp_check_shell(struct vdsp_call *call, u32 filelen)
{
	const struct vdsp_buf *b = &call->in[2];
	struct elf32_hdr eh;
	int ret;

	if (!filelen)
		return 0;
	if (filelen > FASTRPC_INIT_FILELEN_MAX)
		return vdsp_bad(call, "bad shell size");
	if (filelen > b->len)
		return vdsp_bad(call, "shell runs past its buffer");
	if (filelen < sizeof(eh))
		return vdsp_bad(call, "shell shorter than an ELF header");
	ret = vdsp_buf_read(b, 0, &eh, sizeof(eh));
	if (ret)
		return ret;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		call->why = "shell is not a 32-bit little-endian ELF";
		return -ENOEXEC;
	}
	if (le16_to_cpu((__force __le16)eh.e_machine) != EM_HEXAGON) {
		call->why = "shell is not built for the Hexagon";
		return -ENOEXEC;
	}
	return 0;
}

/* attrs and siglen: in[4], in[5] when sent, else the create record's */
static void vdsp_create_attrs(struct vdsp_call *call,
			      struct fastrpc_wire_create *rec)
{
	u32 v;

	if (call->nin > 4 && call->in[4].len >= sizeof(v) &&
	    !vdsp_buf_read(&call->in[4], 0, &v, sizeof(v)))
		rec->attrs = v;
	if (call->nin > 5 && call->in[5].len >= sizeof(v) &&
	    !vdsp_buf_read(&call->in[5], 0, &v, sizeof(v)))
		rec->siglen = v;
}

/* Map @mem into a new process @proc and make it the tgid's process */
static int vdsp_proc_install(struct vdsp_proc *proc, struct vdsp_map *mem)
{
	int ret = vdsp_proc_map_insert(proc, mem);

	if (ret)
		vdsp_map_put(mem);
	else
		ret = vdsp_proc_add(proc);
	vdsp_proc_put(proc);
	return ret;
}

static int vdsp_init_create(struct vdsp_call *call)
{
	struct fastrpc_wire_create rec;
	struct vdsp_proc *proc;
	struct vdsp_map *mem;
	int ret;

	if (call->nin < 4)
		return vdsp_bad(call, "create wants 4 in-buffers");
	ret = vdsp_in_record(call, 0, &rec,
			     offsetofend(struct fastrpc_wire_create, pageslen),
			     sizeof(rec));
	if (ret)
		return ret;
	if (rec.pgid <= 0)
		return vdsp_bad(call, "bad pgid");
	vdsp_create_attrs(call, &rec);
	ret = vdsp_check_shell(call, rec.filelen);
	if (ret)
		return ret;
	if ((rec.attrs & FASTRPC_MODE_UNSIGNED_MODULE) &&
	    !call->dom->info->attrs[FASTRPC_ATTR_UNSIGNED_PD_SUPPORT]) {
		call->why = "unsigned PD on a DSP that runs none";
		return -EPERM;
	}
	mem = vdsp_map_from_arg(call, &call->in[3], VDSP_MAP_INIT);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	proc = vdsp_proc_alloc(call, rec.pgid, VDSP_PD_DYNAMIC);
	if (!proc) {
		vdsp_map_put(mem);
		return -ENOMEM;
	}
	proc->attrs = rec.attrs;
	proc->siglen = rec.siglen;
	proc->filelen = rec.filelen;
	ret = vdsp_in_name(call, 1, rec.namelen, proc->name);
	if (ret) {
		vdsp_map_put(mem);
		vdsp_proc_put(proc);
		return ret;
	}
	return vdsp_proc_install(proc, mem);
}

/* Static PDs this DSP image has */
static bool vdsp_static_pd_known(const char *name)
{
	return !strcmp(name, "audiopd") || !strcmp(name, "sensorspd");
}

static int vdsp_init_create_static(struct vdsp_call *call)
{
	struct fastrpc_wire_create_static rec;
	struct vdsp_proc *proc;
	struct vdsp_map *mem;
	int ret;

	if (call->nin < 3)
		return vdsp_bad(call, "create_static wants 3 in-buffers");
	ret = vdsp_in_record(call, 0, &rec, sizeof(rec), sizeof(rec));
	if (ret)
		return ret;
	if (rec.pgid <= 0)
		return vdsp_bad(call, "bad pgid");
	proc = vdsp_proc_alloc(call, rec.pgid, VDSP_PD_STATIC);
	if (!proc)
		return -ENOMEM;
	ret = vdsp_in_name(call, 1, rec.namelen, proc->name);
	if (!ret && !vdsp_static_pd_known(proc->name)) {
		call->why = "no such static PD";
		ret = -ENOENT;
	}
	if (ret) {
		vdsp_proc_put(proc);
		return ret;
	}
	mem = vdsp_map_from_arg(call, &call->in[2], VDSP_MAP_HEAP);
	if (IS_ERR(mem)) {
		vdsp_proc_put(proc);
		return PTR_ERR(mem);
	}
	return vdsp_proc_install(proc, mem);
}

static int vdsp_init_proc(struct vdsp_call *call, s32 pgid)
{
	if (pgid <= 0)
		return vdsp_bad(call, "bad pgid");
	call->proc = vdsp_proc_get(call->dom, pgid);
	if (!call->proc)
		return -ESRCH;
	return vdsp_check_proc_sid(call);
}

/* Map the pages of in[1] as a new mapping; its DSP address into out[0] */
static int vdsp_map_pages(struct vdsp_call *call, enum vdsp_map_kind kind,
			  u32 flags, s32 fd, u64 uva)
{
	struct fastrpc_wire_mmap_rsp rsp;
	struct vdsp_map *map;
	int ret;

	if (call->nin < 2 || call->nout < 1 || call->out[0].len < sizeof(rsp))
		return vdsp_bad(call, "map wants pages in in[1], out[0]");
	map = vdsp_map_from_arg(call, &call->in[1], kind);
	if (IS_ERR(map))
		return PTR_ERR(map);
	map->flags = flags;
	map->fd = fd;
	map->uva = uva;
	ret = vdsp_proc_map_insert(call->proc, map);
	if (ret) {
		vdsp_map_put(map);
		return ret;
	}
	rsp.vaddr = map->va;
	ret = vdsp_buf_write(&call->out[0], 0, &rsp, sizeof(rsp));
	if (ret)
		vdsp_proc_map_remove(call->proc, rsp.vaddr, map->size, kind, fd);
	return ret;
}

static bool vdsp_mmap_flags_ok(u32 flags)
{
	switch (flags) {
	case FASTRPC_MMAP_HEAP_ADDR:
	case FASTRPC_MMAP_DMA_BUFFER:
	case FASTRPC_MMAP_REMOTE_HEAP_ADDR:
	case FASTRPC_MMAP_ADD_PAGES:
	case FASTRPC_MMAP_ADD_PAGES_LLC:
		return true;
	}
	return false;
}

static int vdsp_init_mmap(struct vdsp_call *call)
{
	struct fastrpc_wire_mmap_req rec;
	int ret;

	ret = vdsp_in_record(call, 0, &rec,
			     offsetofend(struct fastrpc_wire_mmap_req, vaddr),
			     sizeof(rec));
	if (!ret && !vdsp_mmap_flags_ok(rec.flags))
		ret = vdsp_bad(call, "unknown mmap flags");
	if (!ret)
		ret = vdsp_init_proc(call, rec.pgid);
	if (ret)
		return ret;
	return vdsp_map_pages(call, VDSP_MAP_MMAP, rec.flags, -1, rec.vaddr);
}

/* Unmap exactly the mapping of process @pgid at @va */
static int vdsp_unmap(struct vdsp_call *call, s32 pgid, u64 va, u64 size,
		      enum vdsp_map_kind kind, s32 fd)
{
	int ret = vdsp_init_proc(call, pgid);

	return ret ? ret : vdsp_proc_map_remove(call->proc, va, size, kind, fd);
}

static int vdsp_init_munmap(struct vdsp_call *call)
{
	struct fastrpc_wire_munmap_req rec;
	int ret;

	ret = vdsp_in_record(call, 0, &rec, sizeof(rec), sizeof(rec));
	if (ret)
		return ret;
	return vdsp_unmap(call, rec.pgid, rec.vaddr, rec.size, VDSP_MAP_MMAP,
			  -1);
}

static int vdsp_init_mem_map(struct vdsp_call *call)
{
	struct fastrpc_wire_mem_map_req rec;
	int ret;

	ret = vdsp_in_record(call, 0, &rec,
			     offsetofend(struct fastrpc_wire_mem_map_req,
					 vaddrin),
			     sizeof(rec));
	if (!ret && rec.fd < 0)
		ret = vdsp_bad(call, "mem_map without an fd");
	if (!ret && rec.flags >= FASTRPC_MAP_MAX)
		ret = vdsp_bad(call, "unknown mem_map flags");
	if (!ret)
		ret = vdsp_init_proc(call, rec.pgid);
	if (ret)
		return ret;
	return vdsp_map_pages(call, VDSP_MAP_MEM_MAP, rec.flags, rec.fd,
			      rec.vaddrin);
}

static int vdsp_init_mem_unmap(struct vdsp_call *call)
{
	struct fastrpc_wire_mem_unmap_req rec;
	int ret;

	ret = vdsp_in_record(call, 0, &rec, sizeof(rec), sizeof(rec));
	if (ret)
		return ret;
	return vdsp_unmap(call, rec.pgid, rec.vaddrin, rec.len,
			  VDSP_MAP_MEM_MAP, rec.fd);
}

int vdsp_init_handle(struct vdsp_call *call)
{
	/* Only the kernel speaks to the init handle, and it sends pid 0 */
	if (call->req->msg.pid) {
		call->why = "init handle called for a user process";
		return -EPERM;
	}
	switch (call->method) {
	case FASTRPC_INIT_ATTACH:
		return vdsp_init_attach(call);
	case FASTRPC_INIT_RELEASE:
		return vdsp_init_release(call);
	case FASTRPC_INIT_CREATE:
	case FASTRPC_INIT_CREATE_ATTR:
		return vdsp_init_create(call);
	case FASTRPC_INIT_CREATE_STATIC:
		return vdsp_init_create_static(call);
	case FASTRPC_INIT_MMAP:
		return vdsp_init_mmap(call);
	case FASTRPC_INIT_MUNMAP:
		return vdsp_init_munmap(call);
	case FASTRPC_INIT_MEM_MAP:
		return vdsp_init_mem_map(call);
	case FASTRPC_INIT_MEM_UNMAP:
		return vdsp_init_mem_unmap(call);
	}
	return (s32)FASTRPC_DSP_UNSUPPORTED_API;
}
