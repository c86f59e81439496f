/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory the subcommands hand a DSP (mem.c): files and shell images,
 * dma-bufs from the driver or the system heap, fills, and the vdsp's
 * memtest skel that checks them from the DSP side.
 */
#ifndef FASTRPCCTL_MEM_H
#define FASTRPCCTL_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctl;
struct frpc;

/*
 * A minimal Hexagon shell image: an ELF32 little-endian header with
 * e_machine EM_QDSP6 (164), zero-padded to size bytes (at least the
 * header's 52). Returns a malloc()ed buffer, NULL when out of memory.
 */
#define SHELL_MIN_SIZE 52
void *shell_image(size_t size);

/* Whole file into a malloc()ed buffer; reports and returns CTL_FAIL. */
int read_file(struct ctl *c, const char *path, void **buf, size_t *len);
int write_file(struct ctl *c, const char *path, const void *buf, size_t len);

/* A dma-buf mapped into our address space */
enum dbuf_src {
	DBUF_DRIVER,	/* FASTRPC_IOCTL_ALLOC_DMA_BUFF */
	DBUF_HEAP,	/* /dev/dma_heap/system */
};

struct dbuf {
	int fd;
	void *map;
	size_t size;
	enum dbuf_src src;
};

/*
 * The dma-buf, allocated and mapped: 0, or -errno with b->fd -1 when the
 * allocation failed, else b->fd open and b->map MAP_FAILED (dbuf_free it).
 */
int dbuf_make(struct frpc *f, enum dbuf_src src, uint64_t size,
	      uint32_t flags, struct dbuf *b);
/* dbuf_make, reporting and returning CTL_FAIL on failure; b->fd is -1 then. */
int dbuf_alloc(struct ctl *c, struct frpc *f, enum dbuf_src src,
	       uint64_t size, uint32_t flags, struct dbuf *b);
void dbuf_free(struct dbuf *b);
/* Bracket CPU access (DMA_BUF_IOCTL_SYNC); end after start. */
void dbuf_sync(const struct dbuf *b, bool end);

/*
 * Fill: byte 0..255 repeats it; FILL_PATTERN writes i & 0xff at offset i.
 * The same pattern tests generate with printf.
 */
#define FILL_PATTERN (-1)
void fill_bytes(void *p, size_t n, int byte);
/* "0x5a", "90" or "pattern" -> byte or FILL_PATTERN */
int parse_fill(struct ctl *c, const char *what, const char *s, int *byte);

/* The memtest skel on memory mapped into our DSP process; reports errors */
int memtest_checksum(struct ctl *c, struct frpc *f, uint64_t vaddr,
		     uint64_t len, uint64_t *sum);
int memtest_fill(struct ctl *c, struct frpc *f, uint64_t vaddr, uint64_t len,
		 uint8_t byte);

#endif
