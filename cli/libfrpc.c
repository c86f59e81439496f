// SPDX-License-Identifier: GPL-2.0
/* libfrpc: see libfrpc.h. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#include "libfrpc.h"

static const char *const domain_names[FASTRPC_DOMAIN_COUNT] = {
	[FASTRPC_DOMAIN_ADSP] = "adsp",
	[FASTRPC_DOMAIN_MDSP] = "mdsp",
	[FASTRPC_DOMAIN_SDSP] = "sdsp",
	[FASTRPC_DOMAIN_CDSP] = "cdsp",
	[FASTRPC_DOMAIN_CDSP1] = "cdsp1",
};

/* -errno from a failed call that set errno */
static int fail(void)
{
	return errno ? -errno : -EIO;
}

static int set_errno(int ret)
{
	if (ret < 0)
		errno = -ret;
	return ret;
}

static int do_ioctl_named(struct frpc *f, unsigned long req, void *arg,
			  const char *what)
{
	int ret = ioctl(f->fd, req, arg);

	/* -1 and errno from the kernel; any other value is the DSP's code */
	ret = ret == -1 ? fail() : ret;
	if (f->trace) {
		f->trace(f->trace_arg, what, ret);
		if (ret < 0)
			errno = -ret;
	}
	return ret;
}

/* The ioctl's name, for the trace hook, is the macro's own */
#define do_ioctl(f, req, arg) do_ioctl_named((f), (req), (arg), #req + 14)

int frpc_domain_id(const char *name)
{
	int i;

	for (i = 0; i < FASTRPC_DOMAIN_COUNT; i++)
		if (!strcmp(name, domain_names[i]))
			return i;
	return set_errno(-EINVAL);
}

const char *frpc_domain_name(int id)
{
	return id >= 0 && id < FASTRPC_DOMAIN_COUNT ? domain_names[id] : NULL;
}

int frpc_open(struct frpc *f, const char *domain, int secure)
{
	int id = frpc_domain_id(domain);

	if (id < 0)
		return id;
	f->domain_id = id;
	f->secure = !!secure;
	f->trace = NULL;
	f->trace_arg = NULL;
	snprintf(f->path, sizeof(f->path), "/dev/fastrpc-%s%s", domain,
		 secure ? "-secure" : "");
	f->fd = open(f->path, O_RDWR | O_CLOEXEC);
	return f->fd < 0 ? fail() : 0;
}

void frpc_close(struct frpc *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

int frpc_attach(struct frpc *f)
{
	return do_ioctl(f, FASTRPC_IOCTL_INIT_ATTACH, NULL);
}

int frpc_attach_sensors(struct frpc *f)
{
	return do_ioctl(f, FASTRPC_IOCTL_INIT_ATTACH_SNS, NULL);
}

int frpc_create(struct frpc *f, const void *elf, size_t len, uint32_t attrs)
{
	struct fastrpc_init_create init = {
		.filelen = len, .filefd = -1, .attrs = attrs,
		.file = (uintptr_t)elf,
	};

	return do_ioctl(f, FASTRPC_IOCTL_INIT_CREATE, &init);
}

int frpc_create_fd(struct frpc *f, int elf_fd, size_t len, uint32_t attrs)
{
	struct fastrpc_init_create init = {
		.filelen = len, .filefd = elf_fd, .attrs = attrs,
	};

	return do_ioctl(f, FASTRPC_IOCTL_INIT_CREATE, &init);
}

int frpc_create_static(struct frpc *f, const char *name, uint32_t memlen)
{
	struct fastrpc_init_create_static init = {
		.namelen = strlen(name) + 1, .memlen = memlen,
		.name = (uintptr_t)name,
	};

	return do_ioctl(f, FASTRPC_IOCTL_INIT_CREATE_STATIC, &init);
}

int frpc_invoke(struct frpc *f, uint32_t handle, uint32_t sc,
		struct fastrpc_invoke_args *args)
{
	struct fastrpc_invoke inv = {
		.handle = handle, .sc = sc, .args = (uintptr_t)args,
	};
	char what[64];

	if (!f->trace)
		return do_ioctl(f, FASTRPC_IOCTL_INVOKE, &inv);
	snprintf(what, sizeof(what), "INVOKE handle=0x%x method=%u in=%u out=%u",
		 handle, FASTRPC_SC_METHOD(sc), FASTRPC_SC_INBUFS(sc),
		 FASTRPC_SC_OUTBUFS(sc));
	return do_ioctl_named(f, FASTRPC_IOCTL_INVOKE, &inv, what);
}

int frpc_skel_uri(const char *name, char *uri, size_t len)
{
	int n;

	if (strstr(name, "://"))
		n = snprintf(uri, len, "%s", name);
	else
		n = snprintf(uri, len,
			     "file:///lib%s_skel.so?%s_skel_handle_invoke&_modver=1.0",
			     name, name);
	return n < 0 || (size_t)n >= len ? set_errno(-ENAMETOOLONG) : 0;
}

int frpc_skel_open(struct frpc *f, const char *name_or_uri, uint32_t *handle,
		   char *dlerror, size_t dlerror_len)
{
	struct fastrpc_invoke_args args[4];
	struct remotectl_open_out out = { .handle = -1, .err = 0 };
	struct remotectl_open_in in;
	char uri[512], scratch[256];
	int ret;

	ret = frpc_skel_uri(name_or_uri, uri, sizeof(uri));
	if (ret)
		return ret;
	if (!dlerror) {
		dlerror = scratch;
		dlerror_len = sizeof(scratch);
	}
	dlerror[0] = '\0';
	in.name_len = strlen(uri) + 1;
	in.dlerror_len = dlerror_len;
	args[0] = frpc_arg(&in, sizeof(in));
	args[1] = frpc_arg(uri, in.name_len);
	args[2] = frpc_arg(&out, sizeof(out));
	args[3] = frpc_arg(dlerror, dlerror_len);
	ret = frpc_invoke(f, FASTRPC_HANDLE_REMOTECTL,
			  FASTRPC_SC_BUILD(0, REMOTECTL_METHOD_OPEN, 2, 2, 0, 0),
			  args);
	if (ret)
		return ret;
	dlerror[dlerror_len - 1] = '\0';
	if (out.err)
		return set_errno(out.err < 0 ? out.err : -ENOENT);
	*handle = out.handle;
	return 0;
}

int frpc_skel_close(struct frpc *f, uint32_t handle)
{
	struct fastrpc_invoke_args args[3];
	struct remotectl_close_in in = { .handle = handle };
	char dlerror[128];
	int32_t err = 0;
	int ret;

	in.dlerror_len = sizeof(dlerror);
	args[0] = frpc_arg(&in, sizeof(in));
	args[1] = frpc_arg(&err, sizeof(err));
	args[2] = frpc_arg(dlerror, sizeof(dlerror));
	ret = frpc_invoke(f, FASTRPC_HANDLE_REMOTECTL,
			  FASTRPC_SC_BUILD(0, REMOTECTL_METHOD_CLOSE, 1, 2, 0, 0),
			  args);
	if (ret)
		return ret;
	return err ? set_errno(err < 0 ? err : -EINVAL) : 0;
}

int frpc_alloc(struct frpc *f, uint64_t size, uint32_t flags, int *dmabuf_fd)
{
	struct fastrpc_alloc_dma_buf req = { .fd = -1, .flags = flags, .size = size };
	int ret = do_ioctl(f, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &req);

	if (ret >= 0)
		*dmabuf_fd = req.fd;
	return ret;
}

int frpc_free(struct frpc *f, int dmabuf_fd)
{
	uint32_t fd = dmabuf_fd;

	return do_ioctl(f, FASTRPC_IOCTL_FREE_DMA_BUFF, &fd);
}

int frpc_mem_map(struct frpc *f, int dmabuf_fd, uint64_t vaddr, uint64_t len,
		 uint32_t flags, int32_t attrs, uint64_t *dsp_addr)
{
	struct fastrpc_mem_map req = {
		.fd = dmabuf_fd, .flags = flags, .vaddrin = vaddr,
		.length = len, .attrs = attrs,
	};
	int ret = do_ioctl(f, FASTRPC_IOCTL_MEM_MAP, &req);

	if (ret >= 0)
		*dsp_addr = req.vaddrout;
	return ret;
}

int frpc_mem_unmap(struct frpc *f, int dmabuf_fd, uint64_t dsp_addr,
		   uint64_t len)
{
	struct fastrpc_mem_unmap req = {
		.fd = dmabuf_fd, .vaddr = dsp_addr, .length = len,
	};

	return do_ioctl(f, FASTRPC_IOCTL_MEM_UNMAP, &req);
}

int frpc_mmap(struct frpc *f, int dmabuf_fd, uint32_t flags, uint64_t vaddr,
	      uint64_t size, uint64_t *dsp_addr)
{
	struct fastrpc_req_mmap req = {
		.fd = dmabuf_fd, .flags = flags, .vaddrin = vaddr, .size = size,
	};
	int ret = do_ioctl(f, FASTRPC_IOCTL_MMAP, &req);

	if (ret >= 0)
		*dsp_addr = req.vaddrout;
	return ret;
}

int frpc_munmap(struct frpc *f, uint64_t dsp_addr, uint64_t size)
{
	struct fastrpc_req_munmap req = { .vaddrout = dsp_addr, .size = size };

	return do_ioctl(f, FASTRPC_IOCTL_MUNMAP, &req);
}

int frpc_dsp_info(struct frpc *f, uint32_t attribute, uint32_t *value)
{
	struct fastrpc_ioctl_capability cap = {
		.domain = f->domain_id, .attribute_id = attribute,
	};
	int ret = do_ioctl(f, FASTRPC_IOCTL_GET_DSP_INFO, &cap);

	/* the kernel leaves "the domain exists" to us, as to libcdsprpc */
	if (ret >= 0)
		*value = attribute == FASTRPC_ATTR_DOMAIN_SUPPORT ? 1 :
			 cap.capability;
	return ret;
}

uint64_t frpc_fnv1a64(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = MEMTEST_FNV1A64_OFFSET;

	while (len--) {
		h ^= *b++;
		h *= MEMTEST_FNV1A64_PRIME;
	}
	return h;
}

int frpc_memtest_checksum(struct frpc *f, uint32_t handle, uint64_t vaddr,
			  uint64_t len, uint64_t *sum)
{
	struct memtest_range r = { .vaddr = vaddr, .len = len };
	struct fastrpc_invoke_args args[2] = {
		frpc_arg(&r, sizeof(r)), frpc_arg(sum, sizeof(*sum)),
	};

	return frpc_invoke(f, handle,
			   FASTRPC_SC(MEMTEST_METHOD_CHECKSUM, 1, 1), args);
}

int frpc_memtest_fill(struct frpc *f, uint32_t handle, uint64_t vaddr,
		      uint64_t len, uint8_t byte)
{
	struct memtest_fill r = { .vaddr = vaddr, .len = len, .byte = byte };
	struct fastrpc_invoke_args args[1] = { frpc_arg(&r, sizeof(r)) };

	return frpc_invoke(f, handle, FASTRPC_SC(MEMTEST_METHOD_FILL, 1, 0),
			   args);
}

int frpc_fdinfo_each(pid_t pid, int fd,
		     void (*fn)(void *arg, const char *key, const char *val),
		     void *arg)
{
	static const char prefix[] = "fastrpc-";
	char path[64], line[512];
	int found = 0;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	else
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon, *val;

		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		val = colon + 1;
		val += strspn(val, " \t");
		val[strcspn(val, "\n")] = '\0';
		fn(arg, line + strlen(prefix), val);
		found++;
	}
	fclose(f);
	return found;
}

const char *kv_get(const struct kvrec *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->kv[i].key, key))
			return r->kv[i].val;
	return NULL;
}

int kv_set(struct kvrec *r, const char *key, const char *val)
{
	struct kv *kv = NULL;

	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->kv[i].key, key))
			kv = &r->kv[i];
	if (!kv) {
		if (r->n == KV_MAX)
			return -ENOSPC;
		kv = &r->kv[r->n++];
		snprintf(kv->key, sizeof(kv->key), "%s", key);
	}
	snprintf(kv->val, sizeof(kv->val), "%s", val);
	return 0;
}

int kv_parse_line(const char *line, struct kvrec *r)
{
	const char *p = line, *sp, *eq;
	char key[KV_KEYLEN], val[KV_VALLEN];
	size_t len;

	memset(r, 0, sizeof(*r));
	len = strcspn(p, " \n");
	if (!len || len >= sizeof(r->type))
		return -EINVAL;
	memcpy(r->type, p, len);
	p += len;
	while (*p == ' ')
		p++;
	while (*p && *p != '\n') {
		eq = strchr(p, '=');
		sp = strchr(p, ' ');
		if (!eq || (sp && sp < eq) || eq == p ||
		    (size_t)(eq - p) >= sizeof(key))
			return -EINVAL;
		memcpy(key, p, eq - p);
		key[eq - p] = '\0';
		p = eq + 1;
		/* comm= is last and may hold spaces: it runs to the line's end */
		len = strcmp(key, "comm") ? strcspn(p, " \n") : strcspn(p, "\n");
		snprintf(val, sizeof(val), "%.*s", (int)len, p);
		if (kv_set(r, key, val))
			return -EINVAL;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

int frpc_debugfs_each(const char *domain,
		      int (*fn)(void *arg, struct kvrec *r, const char *line),
		      void *arg)
{
	char path[128], line[1024];
	struct kvrec rec;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), FRPC_DEBUGFS_DIR "/%s", domain);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f))
		ret = fn(arg, kv_parse_line(line, &rec) ? NULL : &rec, line);
	fclose(f);
	return ret;
}

int frpc_heap_alloc(size_t size)
{
	struct dma_heap_allocation_data data = {
		.len = size, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap, ret;

	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (heap < 0)
		return -errno;
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &data);
	ret = ret < 0 ? -errno : (int)data.fd;
	close(heap);
	return ret;
}

void frpc_shell_header(void *buf, size_t len)
{
	Elf32_Ehdr *eh = buf;

	if (len < sizeof(*eh))
		return;
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_QDSP6;
	eh->e_version = EV_CURRENT;
	eh->e_flags = 0x68;	/* Hexagon v68 */
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_shentsize = sizeof(Elf32_Shdr);
}
