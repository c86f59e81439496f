/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libfrpc: a small FastRPC client library over the driver's user ABI.
 *
 * Shared by fastrpcctl and the C test clients in tests/helpers. Every call
 * returns 0 (or a non-negative result) on success and -errno on failure,
 * with errno set as well, so callers can print strerror(-ret).
 */
#ifndef LIBFRPC_H
#define LIBFRPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <misc/fastrpc.h>
#include <fastrpc/wire.h>
#include <fastrpc/vdsp_abi.h>

/* One open device node: /dev/fastrpc-<domain>[-secure] */
struct frpc {
	int fd;
	int domain_id;			/* enum fastrpc_domain_id */
	int secure;
	char path[64];
	/* optional (frpc_open clears it): told about every ioctl and result */
	void (*trace)(void *arg, const char *what, int ret);
	void *trace_arg;
};

/* Domain names <-> ids ("adsp" = 0 ... "cdsp" = 3); -EINVAL if unknown */
int frpc_domain_id(const char *name);
const char *frpc_domain_name(int id);

/* Open the domain's node (secure: the "-secure" one); flags as for open() */
int frpc_open(struct frpc *f, const char *domain, int secure);
void frpc_close(struct frpc *f);

/* Remote process of this fd: attach to root or sensors PD, create one */
int frpc_attach(struct frpc *f);
int frpc_attach_sensors(struct frpc *f);
int frpc_create(struct frpc *f, const void *elf, size_t len, uint32_t attrs);
int frpc_create_fd(struct frpc *f, int elf_fd, size_t len, uint32_t attrs);
int frpc_create_static(struct frpc *f, const char *name, uint32_t memlen);

/* Raw invoke: args holds FASTRPC_SC_NARGS(sc) entries */
int frpc_invoke(struct frpc *f, uint32_t handle, uint32_t sc,
		struct fastrpc_invoke_args *args);

static inline struct fastrpc_invoke_args frpc_arg(const void *p, size_t len)
{
	struct fastrpc_invoke_args a = {
		.ptr = (uintptr_t)p, .length = len, .fd = -1, .attr = 0,
	};
	return a;
}

static inline struct fastrpc_invoke_args frpc_arg_fd(int fd, const void *p,
						     size_t len)
{
	struct fastrpc_invoke_args a = {
		.ptr = (uintptr_t)p, .length = len, .fd = fd, .attr = 0,
	};
	return a;
}

/*
 * Skels: "calculator" -> "file:///libcalculator_skel.so?calculator_skel_
 * handle_invoke&_modver=1.0"; a name holding "://" is taken as a URI.
 */
int frpc_skel_uri(const char *name, char *uri, size_t len);
/* remotectl open/close; on failure dlerror (if given) holds the DSP's text */
int frpc_skel_open(struct frpc *f, const char *name_or_uri, uint32_t *handle,
		   char *dlerror, size_t dlerror_len);
int frpc_skel_close(struct frpc *f, uint32_t handle);

/* The driver's own dma-bufs */
int frpc_alloc(struct frpc *f, uint64_t size, uint32_t flags, int *dmabuf_fd);
int frpc_free(struct frpc *f, int dmabuf_fd);

/* Mappings on the DSP */
int frpc_mem_map(struct frpc *f, int dmabuf_fd, uint64_t vaddr, uint64_t len,
		 uint32_t flags, int32_t attrs, uint64_t *dsp_addr);
int frpc_mem_unmap(struct frpc *f, int dmabuf_fd, uint64_t dsp_addr,
		   uint64_t len);
int frpc_mmap(struct frpc *f, int dmabuf_fd, uint32_t flags, uint64_t vaddr,
	      uint64_t size, uint64_t *dsp_addr);
int frpc_munmap(struct frpc *f, uint64_t dsp_addr, uint64_t size);

/* One DSP capability of this fd's domain */
int frpc_dsp_info(struct frpc *f, uint32_t attribute, uint32_t *value);

/* FNV-1a 64 as the memtest skel computes it */
uint64_t frpc_fnv1a64(const void *p, size_t len);

/* memtest skel (the vdsp's) on an open handle: FNV-1a 64 of, or a fill of,
 * len bytes at the DSP address vaddr */
int frpc_memtest_checksum(struct frpc *f, uint32_t handle, uint64_t vaddr,
			  uint64_t len, uint64_t *sum);
int frpc_memtest_fill(struct frpc *f, uint32_t handle, uint64_t vaddr,
		      uint64_t len, uint8_t byte);

/*
 * Each "fastrpc-KEY:\tVALUE" line of /proc/PID/fdinfo/FD (pid 0: our own),
 * as fn(arg, "KEY", "VALUE"). Returns the number of such lines (0: not a
 * fastrpc fd), or -errno when the file cannot be read.
 */
int frpc_fdinfo_each(pid_t pid, int fd,
		     void (*fn)(void *arg, const char *key, const char *val),
		     void *arg);

/*
 * A record of the driver's debugfs file: one line, "TYPE key=value ..."
 * (comm=, last, may hold spaces). fastrpcctl files fdinfo in it too.
 */
#define KV_MAX 32
#define KV_KEYLEN 32
#define KV_VALLEN 256
struct kv {
	char key[KV_KEYLEN];
	char val[KV_VALLEN];
};

struct kvrec {
	char type[KV_KEYLEN];
	int n;
	struct kv kv[KV_MAX];
};

/* The value of key, NULL when the record has none */
const char *kv_get(const struct kvrec *r, const char *key);
/* Adds or replaces key; -ENOSPC when the record is full. */
int kv_set(struct kvrec *r, const char *key, const char *val);
/* -EINVAL when line is not "type key=value ...". */
int kv_parse_line(const char *line, struct kvrec *r);

/* The driver's debugfs directory: one file per channel, named by domain */
#define FRPC_DEBUGFS_DIR "/sys/kernel/debug/fastrpc"

/*
 * Each line of FRPC_DEBUGFS_DIR/DOMAIN as fn(arg, record, line),
 * record NULL when the line does not parse; stops at fn's first non-zero
 * return, which it returns. 0 at the end, -errno when the file cannot be
 * read (-ENOENT: no such domain, or no debugfs).
 */
int frpc_debugfs_each(const char *domain,
		      int (*fn)(void *arg, struct kvrec *r, const char *line),
		      void *arg);

/* A dma-buf of size bytes from /dev/dma_heap/system: its fd, or -errno */
int frpc_heap_alloc(size_t size);

/*
 * The ELF header of a minimal Hexagon shell (32-bit, little endian,
 * EM_QDSP6) over the first bytes of buf, which must hold one; the rest of
 * buf is left as it is. What INIT_CREATE's vdsp loader checks.
 */
void frpc_shell_header(void *buf, size_t len);

#endif /* LIBFRPC_H */
