/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the driver's test clients (frpc_*.c) share: failing loudly, a
 * session on a domain with a skel open, dma-bufs from each exporter
 * (the driver, the system dma-heap, udmabuf), data patterns, fdinfo and
 * debugfs lookups. Header-only: every program includes what it uses.
 */
#ifndef FRPC_COMMON_H
#define FRPC_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/udmabuf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libfrpc.h"

/* Print why and exit 1: a test client stops at its first surprise */
static inline __attribute__((noreturn, format(printf, 1, 2)))
void frpc_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* A call returning 0 or -errno (libfrpc) that must succeed */
#define FRPC_OK(call)							\
	do {								\
		int __r = (call);					\
		if (__r < 0)						\
			frpc_die("%s:%d: %s: %s", __FILE__, __LINE__,	\
				 #call, strerror(-__r));		\
	} while (0)

#define FRPC_CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			frpc_die(__VA_ARGS__);				\
	} while (0)

/* CLOCK_MONOTONIC in seconds, for rates */
static inline double frpc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open @domain's node, attach to its root PD, open @skel (if given) */
static inline void frpc_session(struct frpc *f, const char *domain,
				int secure, const char *skel,
				uint32_t *handle)
{
	char dlerror[256];
	int ret;

	ret = frpc_open(f, domain, secure);
	if (ret)
		frpc_die("open %s%s: %s", domain, secure ? " (secure)" : "",
			 strerror(-ret));
	FRPC_OK(frpc_attach(f));
	if (!skel)
		return;
	ret = frpc_skel_open(f, skel, handle, dlerror, sizeof(dlerror));
	if (ret)
		frpc_die("open skel %s: %s (%s)", skel, strerror(-ret),
			 dlerror);
}

/* A dma-buf, mapped in this process */
struct frpc_xbuf {
	int fd;
	unsigned char *p;
	size_t size;
	int memfd;		/* udmabuf: the memfd behind it, else -1 */
};

static inline int frpc_xbuf_heap(size_t size, int *fd)
{
	int ret = frpc_heap_alloc(size);

	if (ret < 0)
		return ret;
	*fd = ret;
	return 0;
}

static inline int frpc_xbuf_udmabuf(size_t size, int *fd, int *memfd)
{
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC };
	int dev;

	*memfd = memfd_create("frpc", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (*memfd < 0)
		return -errno;
	if (ftruncate(*memfd, size) ||
	    fcntl(*memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		return -errno;
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	c.memfd = *memfd;
	c.size = size;
	*fd = ioctl(dev, UDMABUF_CREATE, &c);
	close(dev);
	return *fd < 0 ? -errno : 0;
}

/* @exporter: "fastrpc" (ALLOC_DMA_BUFF on @f), "heap" or "udmabuf" */
static inline void frpc_xbuf_alloc(struct frpc *f, const char *exporter,
				   size_t size, struct frpc_xbuf *b)
{
	int ret;

	b->memfd = -1;
	b->size = size;
	if (!strcmp(exporter, "fastrpc"))
		ret = frpc_alloc(f, size, 0, &b->fd);
	else if (!strcmp(exporter, "heap"))
		ret = frpc_xbuf_heap(size, &b->fd);
	else if (!strcmp(exporter, "udmabuf"))
		ret = frpc_xbuf_udmabuf(size, &b->fd, &b->memfd);
	else
		frpc_die("unknown exporter %s", exporter);
	if (ret)
		frpc_die("%s dma-buf of %zu bytes: %s", exporter, size,
			 strerror(-ret));
	b->p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (b->p == MAP_FAILED)
		frpc_die("mmap %s dma-buf: %s", exporter, strerror(errno));
}

static inline void frpc_xbuf_free(struct frpc_xbuf *b)
{
	munmap(b->p, b->size);
	close(b->fd);
	if (b->memfd >= 0)
		close(b->memfd);
}

/* Deterministic bytes that differ per @seed and position */
static inline void frpc_fill(void *p, size_t len, uint32_t seed)
{
	unsigned char *b = p;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = x >> 16;
	}
}

/* Index of the first byte of @p that is not what frpc_fill(seed) gave */
static inline long frpc_mismatch(const void *p, size_t len, uint32_t seed)
{
	const unsigned char *b = p;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		if (b[i] != (unsigned char)(x >> 16))
			return i;
	}
	return -1;
}

struct frpc_rec_want {
	const char *type;	/* debugfs: the record type */
	const char *key;
	long long id;		/* debugfs: the record's id, -1 any */
	long long v;
};

static inline void frpc_fdinfo_match(void *arg, const char *key,
				     const char *val)
{
	struct frpc_rec_want *w = arg;

	if (!strcmp(key, w->key))
		w->v = strtoll(val, NULL, 0);
}

/* A "fastrpc-KEY:" value of fd in process pid (0: us), -1 when none */
static inline long long frpc_fdinfo_of(pid_t pid, int fd, const char *key)
{
	struct frpc_rec_want w = { .key = key, .v = -1 };

	frpc_fdinfo_each(pid, fd, frpc_fdinfo_match, &w);
	return w.v;
}

/* A "fastrpc-KEY:" value of one of our fds (libfrpc's fdinfo reader) */
static inline long long frpc_fdinfo(int fd, const char *key)
{
	return frpc_fdinfo_of(0, fd, key);
}

static inline int frpc_debugfs_match(void *arg, struct kvrec *r,
				     const char *line)
{
	struct frpc_rec_want *w = arg;
	const char *v, *id;

	(void)line;
	if (!r || strcmp(r->type, w->type))
		return 0;
	id = kv_get(r, "id");
	if (w->id >= 0 && (!id || strtoll(id, NULL, 0) != w->id))
		return 0;
	v = kv_get(r, w->key);
	w->v = v ? strtoll(v, NULL, 0) : -1;
	return 1;
}

/*
 * KEY of the first TYPE record (with this id, -1: any) of the domain's
 * debugfs file (libfrpc's reader): -1 when it has none, -2 when there is
 * no such record
 */
static inline long long frpc_debugfs_value(const char *domain,
					   const char *type, long long id,
					   const char *key)
{
	struct frpc_rec_want w = { .type = type, .key = key, .id = id, .v = -2 };

	frpc_debugfs_each(domain, frpc_debugfs_match, &w);
	return w.v;
}

/* key=value of the "channel" line of the domain's debugfs file */
static inline long long frpc_channel_stat(const char *domain,
					  const char *key)
{
	long long v = frpc_debugfs_value(domain, "channel", -1, key);

	return v < 0 ? -1 : v;
}

/* The domain's debugfs file lists a client with this id */
static inline int frpc_client_listed(const char *domain, long long id)
{
	return frpc_debugfs_value(domain, "client", id, "id") != -2;
}

/* A shell for INIT_CREATE: libfrpc's Hexagon ELF header, then filler */
static inline void frpc_hexagon_shell(unsigned char *p, size_t len)
{
	frpc_fill(p, len, 5);
	frpc_shell_header(p, len);
}

/* echo skel: out[i] = in[i] for @n pairs of arguments */
static inline int frpc_echo(struct frpc *f, uint32_t handle,
			    struct fastrpc_invoke_args *args, unsigned int n)
{
	return frpc_invoke(f, handle, FASTRPC_SC(ECHO_METHOD_COPY, n, n),
			   args);
}

/* sleep skel */
static inline int frpc_usleep(struct frpc *f, uint32_t handle, uint32_t us)
{
	struct fastrpc_invoke_args a = frpc_arg(&us, sizeof(us));

	return frpc_invoke(f, handle, FASTRPC_SC(SLEEP_METHOD_USLEEP, 1, 0),
			   &a);
}

/* Writes @val to the vdsp's debugfs knob @knob of @domain (a fault knob) */
static inline void frpc_vdsp_knob(const char *domain, const char *knob,
				  const char *val)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vdsp/%s/%s", domain,
		 knob);
	fd = open(path, O_WRONLY);
	FRPC_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	FRPC_CHECK(write(fd, val, strlen(val)) == (ssize_t)strlen(val),
		   "%s: %s", knob, strerror(errno));
	close(fd);
}

#endif /* FRPC_COMMON_H */
