/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One invoke as fastrpcctl builds it: the method, its buffers (from specs
 * such as "i32:1,2,3", "dmabuf:gen:4096:0x5a", "out:x64") and the memory
 * mapped into the DSP process beforehand (--map, --mmap).
 * invoke.c parses the command line, invoke_args.c the buffers.
 */
#ifndef FASTRPCCTL_INVOKE_H
#define FASTRPCCTL_INVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"	/* struct dbuf */
#include "session.h"	/* struct session_opts */

struct ctl;
struct frpc;
struct jw;
struct fastrpc_invoke_args;

#define CALL_MAX_MAPS	16
#define CALL_MAX_BUFS	255		/* per direction: 8 bits of sc */
#define CALL_MAX_SIZE	(256ULL << 20)	/* one generated or out buffer */

enum backing { BACK_MEMORY, BACK_DRIVER, BACK_HEAP };
enum kind { KIND_INTS, KIND_STR, KIND_BYTES, KIND_FILE };

struct itype {
	const char *name;
	unsigned int size;
	bool sign;
	bool hex;
};

struct iarg {
	bool out;
	enum backing backing;
	enum kind kind;
	const struct itype *type;	/* KIND_INTS */
	unsigned char *data;		/* contents (in) or result (out) */
	size_t len;
	const char *path;		/* out:file */
	struct dbuf db;			/* backing != BACK_MEMORY */
};

/* An @N in an integer: the DSP address of map N goes at args[arg] + off. */
struct fixup {
	int arg;
	size_t off;
	int map;
};

struct imap {
	bool mmap;		/* FASTRPC_IOCTL_MMAP, else MEM_MAP of a dma-buf */
	uint64_t size;
	int fill;		/* byte, FILL_PATTERN, or -2: none */
	struct dbuf db;
	bool mapped;
	uint64_t dsp;
};

struct call {
	struct session_opts so;
	bool raw;		/* --raw */
	bool raw_handle;	/* SKEL was a number */
	bool opened;		/* remotectl open done, close pending */
	const char *skel;
	char uri[512];
	const char *method_name;
	uint32_t handle, method, repeat;
	struct iarg *args;
	int nargs, nin, nout;
	struct fixup *fix;
	int nfix;
	struct imap maps[CALL_MAX_MAPS];
	int nmaps;
	struct fastrpc_invoke_args *iargs;
	uint32_t sc;
};

/* The SPEC syntax, for help; the types from the parser's table */
void print_spec_help(void);

/* Parse one spec; files are read here (so a missing one fails early). */
int call_add_spec(struct ctl *c, struct call *call, const char *spec);
/* With the session open: map the --map/--mmap memory, then the buffers. */
int call_setup_maps(struct ctl *c, struct call *call, struct frpc *f);
int call_setup_args(struct ctl *c, struct call *call, struct frpc *f);
int call_invoke(struct call *call, struct frpc *f);
/* After the invoke: dma-buf outputs read back, out:file written. */
int call_collect(struct ctl *c, struct call *call);
/* outputs (and maps) as text lines or JSON members */
void call_print(struct ctl *c, const struct call *call);
/* f NULL: the session never opened, nothing to unmap */
void call_free(struct call *call, struct frpc *f);

#endif
