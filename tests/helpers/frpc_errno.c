// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_errno: the table of malformed inputs, per ioctl, with the errno the
 * driver documents for each. Prints one line per case ("ok" or "FAIL",
 * the ioctl, the case, the errno expected and got) and exits 1 if any
 * case got something else.
 *
 * Runs on cdsp (non-secure node, then the secure one) and mdsp (two
 * banks of one session each, and no static PD yet).
 */
#include "frpc_common.h"

#include <limits.h>
#include <sys/wait.h>

struct env {
	struct frpc f;			/* cdsp, attached, echo open */
	uint32_t echo;
	struct frpc_xbuf ours;		/* 4 pages from ALLOC_DMA_BUFF */
	struct frpc_xbuf heap;		/* 4 pages from the system heap */
	int null_fd;			/* an fd that is not a dma-buf */
	unsigned char data[64];
};

static struct env E;
static int failures;

static int io(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void expect(const char *ioc, const char *what, int want, int got)
{
	int ok = got == -want;

	if (!ok)
		failures++;
	printf("%-4s %-18s %-44s want %-10s got %s\n", ok ? "ok" : "FAIL",
	       ioc, what, strerrorname_np(want),
	       got ? strerrorname_np(-got) : "success");
}

/* INVOKE with one echo pair or a custom argument array */
static int invoke(uint32_t handle, uint32_t sc, struct fastrpc_invoke_args *a)
{
	struct fastrpc_invoke inv = {
		.handle = handle, .sc = sc, .args = (uintptr_t)a,
	};

	return io(E.f.fd, FASTRPC_IOCTL_INVOKE, &inv);
}

static int echo1(struct fastrpc_invoke_args in, struct fastrpc_invoke_args out)
{
	struct fastrpc_invoke_args a[2] = { in, out };

	return invoke(E.echo, FASTRPC_SC(ECHO_METHOD_COPY, 1, 1), a);
}

static struct fastrpc_invoke_args arg(uint64_t ptr, uint64_t len, int fd,
				      uint32_t attr)
{
	struct fastrpc_invoke_args a = {
		.ptr = ptr, .length = len, .fd = fd, .attr = attr,
	};

	return a;
}

static struct fastrpc_invoke_args mem(void)
{
	return frpc_arg(E.data, sizeof(E.data));
}

static void invoke_cases(void)
{
	const char *I = "INVOKE";
	uintptr_t ours = (uintptr_t)E.ours.p;
	struct fastrpc_invoke_args h[1];
	struct fastrpc_invoke inv;
	char *big;

	expect(I, "handle 1 (the kernel's)", EPERM,
	       invoke(FASTRPC_HANDLE_INIT, FASTRPC_SC(0, 1, 0), h));
	inv = (struct fastrpc_invoke){ .handle = E.echo,
		.sc = FASTRPC_SC(ECHO_METHOD_COPY, 1, 1), .args = 8 };
	expect(I, "argument array unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_INVOKE, &inv));
	expect(I, "in-buffer pointer unmapped", EFAULT,
	       echo1(arg(4096, 16, -1, 0), mem()));
	expect(I, "in-buffer pointer in the kernel", EFAULT,
	       echo1(arg(0xffff888000000000ull, 16, -1, 0), mem()));
	expect(I, "in-buffer range wraps", EFAULT,
	       echo1(arg(0x7ffffffff000ull, ~0ull - 0x1000, -1, 0), mem()));
	expect(I, "out-buffer pointer unmapped", EFAULT,
	       echo1(mem(), arg(4096, 16, -1, 0)));
	/* as upstream: attribute bits past SECUREMAP are ignored */
	expect(I, "NOVA, COHERENT, KEEP_MAP...: ignored", 0,
	       echo1(arg((uintptr_t)E.data, 16, -1, 0x1fe), mem()));
	expect(I, "secure attribute on plain memory", EINVAL,
	       echo1(arg((uintptr_t)E.data, 16, -1, FASTRPC_ATTR_SECUREMAP), mem()));
	expect(I, "secure dma-buf on a non-secure bank", EPERM,
	       echo1(arg(ours, 16, E.ours.fd, FASTRPC_ATTR_SECUREMAP), mem()));
	expect(I, "fd not open", EBADF, echo1(arg(0, 16, 1000, 0), mem()));
	expect(I, "fd negative (not -1)", EBADF, echo1(arg(0, 16, -5, 0), mem()));
	expect(I, "fd not a dma-buf", EINVAL,
	       echo1(arg(0, 16, E.null_fd, 0), mem()));
	expect(I, "dma-buf shorter than length", EINVAL,
	       echo1(arg(ours, 4 * 4096 + 1, E.ours.fd, 0), mem()));
	expect(I, "dma-buf offset + length past end", EINVAL,
	       echo1(arg(ours + 3 * 4096, 4097, E.ours.fd, 0), mem()));
	h[0] = arg(0, 8, -1, 0);
	expect(I, "handle without fd but a length: none", 0,
	       invoke(E.echo, FASTRPC_SC_BUILD(0, ECHO_METHOD_COPY, 0, 0, 1, 0), h));
	h[0] = arg(1ull << 32, 8, E.ours.fd, 0);
	expect(I, "handle offset past 32 bits", EINVAL,
	       invoke(E.echo, FASTRPC_SC_BUILD(0, ECHO_METHOD_COPY, 0, 0, 1, 0), h));
	/* a payload past what a client may have in flight (64 MiB) */
	big = mmap(NULL, 65 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	expect(I, "inline arguments past 64 MiB", E2BIG,
	       echo1(arg((uintptr_t)big, (64 << 20) + 1, -1, 0), mem()));
	munmap(big, 65 << 20);
}

static int create(struct frpc *f, uint32_t filelen, int32_t fd, uint32_t attrs,
		  uint32_t siglen, uint64_t file)
{
	struct fastrpc_init_create c = {
		.filelen = filelen, .filefd = fd, .attrs = attrs,
		.siglen = siglen, .file = file,
	};

	return io(f->fd, FASTRPC_IOCTL_INIT_CREATE, &c);
}

static int create_static(struct frpc *f, const void *name, uint32_t namelen,
			 uint32_t memlen)
{
	struct fastrpc_init_create_static c = {
		.namelen = namelen, .memlen = memlen, .name = (uintptr_t)name,
	};

	return io(f->fd, FASTRPC_IOCTL_INIT_CREATE_STATIC, &c);
}

/*
 * As upstream: no shell (the DSP starts its own) and attribute bits past
 * uapi's. In a child: the DSP has one process per tgid, ours is attached.
 */
static int create_in_child(void)
{
	struct frpc g;
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (frpc_open(&g, "cdsp", 0))
			_exit(100);
		_exit(-create(&g, 0, -1, 0x380, 0, 0));
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -ECHILD;
	return -WEXITSTATUS(st);
}

static void process_cases(void)
{
	const char *C = "INIT_CREATE", *S = "INIT_CREATE_STATIC";
	static unsigned char elf[4096] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	uintptr_t file = (uintptr_t)elf;
	char longname[200];
	struct frpc_xbuf fb;
	struct frpc f;

	expect("INIT_ATTACH", "already attached", EBUSY,
	       io(E.f.fd, FASTRPC_IOCTL_INIT_ATTACH, NULL));
	expect("INIT_ATTACH_SNS", "already attached", EBUSY,
	       io(E.f.fd, FASTRPC_IOCTL_INIT_ATTACH_SNS, NULL));
	expect(C, "already attached", EBUSY, create(&E.f, 4096, -1, 0, 0, file));
	expect(S, "already attached", EBUSY,
	       create_static(&E.f, "audiopd", 8, 1 << 20));

	/*
	 * A second client, with a buffer of its own: two clients mapping the
	 * same dma-buf at once is a DMA-API debug warning (two live mappings
	 * the device may write), not what this table is about.
	 */
	FRPC_OK(frpc_open(&f, "cdsp", 0));
	frpc_xbuf_alloc(&f, "fastrpc", 4 * 4096, &fb);
	expect(C, "filelen past 2 MiB", EINVAL,
	       create(&f, (2 << 20) + 1, -1, 0, 0, file));
	expect(C, "siglen past filelen", EINVAL, create(&f, 4096, -1, 0, 4097, file));
	expect(C, "file pointer unmapped", EFAULT, create(&f, 4096, -1, 0, 0, 4096));
	expect(C, "file pointer in the kernel", EFAULT,
	       create(&f, 4096, -1, 0, 0, 0xffff888000000000ull));
	expect(C, "filefd not open", EBADF, create(&f, 4096, 1000, 0, 0, 0));
	expect(C, "filefd not a dma-buf", EINVAL,
	       create(&f, 4096, E.null_fd, 0, 0, 0));
	expect(C, "filefd shorter than filelen", EINVAL,
	       create(&f, 5 * 4096, fb.fd, 0, 0, 0));
	expect(C, "not a Hexagon ELF (the DSP says)", ENOEXEC,
	       create(&f, 4096, -1, 0, 0, file));
	expect(C, "arguments unreadable", EFAULT,
	       io(f.fd, FASTRPC_IOCTL_INIT_CREATE, (void *)8));
	expect(C, "filelen 0, attrs 0x380: accepted", 0, create_in_child());

	memset(longname, 'a', sizeof(longname));
	longname[sizeof(longname) - 1] = 0;
	expect(S, "namelen 0", EINVAL, create_static(&f, "audiopd", 0, 1 << 20));
	expect(S, "empty name", EINVAL, create_static(&f, "", 1, 1 << 20));
	expect(S, "namelen past 128", EINVAL,
	       create_static(&f, longname, sizeof(longname), 1 << 20));
	expect(S, "name not NUL-terminated", EINVAL,
	       create_static(&f, "audiopdX", 7, 1 << 20));
	expect(S, "NUL inside the name", EINVAL,
	       create_static(&f, "aud\0opd", 8, 1 << 20));
	expect(S, "name pointer unmapped", EFAULT,
	       create_static(&f, (void *)4096, 8, 1 << 20));
	expect(S, "no such static PD (the DSP says)", ENOENT,
	       create_static(&f, "nosuchpd", 9, 1 << 20));
	expect(S, "arguments unreadable", EFAULT,
	       io(f.fd, FASTRPC_IOCTL_INIT_CREATE_STATIC, (void *)8));
	frpc_xbuf_free(&fb);
	frpc_close(&f);

	/* mdsp has no remote heap yet: the first static PD must size it */
	FRPC_OK(frpc_open(&f, "mdsp", 0));
	expect(S, "first static PD with memlen 0", EINVAL,
	       create_static(&f, "audiopd", 8, 0));
	/* [7/11] defect 5: a remote heap past remote_heap_max_kib */
	expect(S, "remote heap past 64 MiB", EINVAL,
	       create_static(&f, "audiopd", 8, (64 << 20) + 4096));
	frpc_close(&f);
}

static int alloc(uint64_t size, uint32_t flags)
{
	struct fastrpc_alloc_dma_buf a = { .fd = -1, .flags = flags, .size = size };
	int ret = io(E.f.fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &a);

	if (!ret)
		close(a.fd);
	return ret;
}

static int free_buf(int fd, uint32_t ufd)
{
	return io(fd, FASTRPC_IOCTL_FREE_DMA_BUFF, &ufd);
}

static void buffer_cases(void)
{
	const char *A = "ALLOC_DMA_BUFF", *F = "FREE_DMA_BUFF";
	struct frpc other;
	uint64_t va;

	expect(A, "size 0", EINVAL, alloc(0, 0));
	expect(A, "flags not 0", EINVAL, alloc(4096, 1));
	expect(A, "size past all memory", ENOMEM, alloc(1ull << 50, 0));
	expect(A, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, (void *)8));
	expect(F, "fd not open", EBADF, free_buf(E.f.fd, 1000));
	expect(F, "fd past INT_MAX", EBADF, free_buf(E.f.fd, 0x80000000u));
	expect(F, "fd not a dma-buf", EINVAL, free_buf(E.f.fd, E.null_fd));
	expect(F, "another exporter's dma-buf", EINVAL,
	       free_buf(E.f.fd, E.heap.fd));
	FRPC_OK(frpc_open(&other, "cdsp", 0));
	expect(F, "another client's buffer", EINVAL,
	       free_buf(other.fd, E.ours.fd));
	frpc_close(&other);
	FRPC_OK(frpc_mem_map(&E.f, E.ours.fd, 0, 4096, FASTRPC_MAP_FD, 0, &va));
	expect(F, "buffer mapped on the DSP", EBUSY,
	       free_buf(E.f.fd, E.ours.fd));
	FRPC_OK(frpc_mem_unmap(&E.f, E.ours.fd, va, 4096));
	expect(F, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_FREE_DMA_BUFF, (void *)8));
}

static int do_mmap(int32_t fd, uint32_t flags, uint64_t vaddrin, uint64_t size)
{
	struct fastrpc_req_mmap m = {
		.fd = fd, .flags = flags, .vaddrin = vaddrin, .size = size,
	};

	return io(E.f.fd, FASTRPC_IOCTL_MMAP, &m);
}

static int do_munmap(uint64_t va, uint64_t size)
{
	struct fastrpc_req_munmap m = { .vaddrout = va, .size = size };

	return io(E.f.fd, FASTRPC_IOCTL_MUNMAP, &m);
}

static void mmap_cases(void)
{
	const char *M = "MMAP", *U = "MUNMAP";
	uint64_t va;

	expect(M, "vaddrin not 0", EINVAL,
	       do_mmap(-1, FASTRPC_MMAP_ADD_PAGES, 0x1000, 4096));
	expect(M, "size 0", EINVAL, do_mmap(-1, FASTRPC_MMAP_ADD_PAGES, 0, 0));
	expect(M, "unknown flags", EINVAL, do_mmap(-1, 7, 0, 4096));
	expect(M, "DMA_BUFFER without an fd", EINVAL,
	       do_mmap(-1, FASTRPC_MMAP_DMA_BUFFER, 0, 4096));
	expect(M, "REMOTE_HEAP_ADDR with an fd", EINVAL,
	       do_mmap(E.ours.fd, FASTRPC_MMAP_REMOTE_HEAP_ADDR, 0, 4096));
	expect(M, "fd negative (not -1)", EBADF,
	       do_mmap(-7, FASTRPC_MMAP_ADD_PAGES, 0, 4096));
	expect(M, "fd not open", EBADF,
	       do_mmap(1000, FASTRPC_MMAP_DMA_BUFFER, 0, 4096));
	expect(M, "fd not a dma-buf", EINVAL,
	       do_mmap(E.null_fd, FASTRPC_MMAP_DMA_BUFFER, 0, 4096));
	expect(M, "size past the dma-buf", EINVAL,
	       do_mmap(E.ours.fd, FASTRPC_MMAP_DMA_BUFFER, 0, 5 * 4096));
	expect(M, "dma-buf size wraps when page aligned", EINVAL,
	       do_mmap(E.ours.fd, FASTRPC_MMAP_DMA_BUFFER, 0, ~0ull));
	expect(M, "size past all memory", ENOMEM,
	       do_mmap(-1, FASTRPC_MMAP_ADD_PAGES, 0, 1ull << 50));
	expect(M, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_MMAP, (void *)8));
	expect(U, "address never mapped", EINVAL, do_munmap(0x12345000, 4096));
	expect(U, "size 0", EINVAL, do_munmap(0x12345000, 0));
	FRPC_OK(frpc_mmap(&E.f, -1, FASTRPC_MMAP_ADD_PAGES, 0, 8192, &va));
	expect(U, "size not the mapped size", EINVAL, do_munmap(va, 4096));
	FRPC_OK(frpc_munmap(&E.f, va, 8192));
	expect(U, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_MUNMAP, (void *)8));
}

static struct fastrpc_mem_map mm_req(void)
{
	struct fastrpc_mem_map m = {
		.fd = E.ours.fd, .flags = FASTRPC_MAP_FD, .length = 4096,
		.vaddrin = (uintptr_t)E.ours.p,
	};

	return m;
}

static int mem_map(struct fastrpc_mem_map m)
{
	return io(E.f.fd, FASTRPC_IOCTL_MEM_MAP, &m);
}

static int mem_unmap(struct fastrpc_mem_unmap u)
{
	return io(E.f.fd, FASTRPC_IOCTL_MEM_UNMAP, &u);
}

static void mem_map_cases(void)
{
	const char *M = "MEM_MAP", *U = "MEM_UNMAP";
	struct fastrpc_mem_unmap u;
	struct fastrpc_mem_map m;
	uint64_t va;

	/* as upstream: version, reserved and other attribute bits ignored */
	m = mm_req(); m.version = 1; m.reserved[3] = 1; m.attrs = 0x1fe;
	expect(M, "version, reserved, attrs 0x1fe: ignored", 0,
	       io(E.f.fd, FASTRPC_IOCTL_MEM_MAP, &m));
	FRPC_OK(frpc_mem_unmap(&E.f, E.ours.fd, m.vaddrout, 4096));
	m = mm_req(); m.attrs = FASTRPC_ATTR_SECUREMAP;
	expect(M, "secure map on a non-secure bank", EPERM, mem_map(m));
	m = mm_req(); m.offset = -4096;
	expect(M, "offset negative", EINVAL, mem_map(m));
	m = mm_req(); m.offset = 100;
	expect(M, "offset not page aligned", EINVAL, mem_map(m));
	m = mm_req(); m.length = 0;
	expect(M, "length 0", EINVAL, mem_map(m));
	m = mm_req(); m.offset = 3 * 4096; m.length = 8192;
	expect(M, "offset + length past the end", EINVAL, mem_map(m));
	m = mm_req(); m.length = 1ull << 62;
	expect(M, "length past the end", EINVAL, mem_map(m));
	m = mm_req(); m.flags = FASTRPC_MAP_RESERVED;
	expect(M, "flags RESERVED", EINVAL, mem_map(m));
	m = mm_req(); m.flags = 5;
	expect(M, "unknown flags", EINVAL, mem_map(m));
	m = mm_req(); m.fd = -1;
	expect(M, "fd -1", EBADF, mem_map(m));
	m = mm_req(); m.fd = 1000;
	expect(M, "fd not open", EBADF, mem_map(m));
	m = mm_req(); m.fd = E.null_fd;
	expect(M, "fd not a dma-buf", EINVAL, mem_map(m));
	expect(M, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_MEM_MAP, (void *)8));

	FRPC_OK(frpc_mem_map(&E.f, E.ours.fd, 0, 8192, FASTRPC_MAP_FD, 0, &va));
	u = (struct fastrpc_mem_unmap){ .fd = E.ours.fd, .vaddr = va, .length = 8192 };
	u.vaddr = va + 4096;
	expect(U, "address not a mapping's", EINVAL, mem_unmap(u));
	u.vaddr = va; u.fd = E.heap.fd;
	expect(U, "fd not the mapping's", EINVAL, mem_unmap(u));
	expect(U, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_MEM_UNMAP, (void *)8));
	/* as upstream: address and fd name it; version, reserved, length not */
	u.fd = -1; u.vesion = 1; u.reserved[4] = 1; u.length = 0;
	expect(U, "the mapping, fd -1, length 0, version 1", 0, mem_unmap(u));
}

static int info(uint32_t domain, uint32_t attr, uint32_t reserved)
{
	struct fastrpc_ioctl_capability c = {
		.domain = domain, .attribute_id = attr,
	};

	c.reserved[2] = reserved;
	return io(E.f.fd, FASTRPC_IOCTL_GET_DSP_INFO, &c);
}

/*
 * [7/11] defect 1: a second fd of this process, with no remote process of
 * its own, may not place memory on the DSP (it would land in the first
 * fd's process and be freed when the second fd closes).
 */
static void ownership_cases(void)
{
	const char *I = "INVOKE", *M = "MMAP", *N = "MEM_MAP";
	struct fastrpc_mem_map m = mm_req();
	struct fastrpc_invoke_args a[2] = { mem(), mem() };
	struct fastrpc_invoke inv = {
		.handle = E.echo, .sc = FASTRPC_SC(ECHO_METHOD_COPY, 1, 1),
		.args = (uintptr_t)a,
	};
	struct fastrpc_req_mmap r = {
		.fd = -1, .flags = FASTRPC_MMAP_ADD_PAGES, .size = 1 << 20,
	};
	struct frpc f2;
	uint64_t va;

	FRPC_OK(frpc_open(&f2, "cdsp", 0));
	expect(I, "fd without a process of its own", ESRCH,
	       io(f2.fd, FASTRPC_IOCTL_INVOKE, &inv));
	expect(M, "fd without a process of its own", ESRCH,
	       io(f2.fd, FASTRPC_IOCTL_MMAP, &r));
	r.fd = E.ours.fd;
	r.flags = FASTRPC_MMAP_DMA_BUFFER;
	r.size = 4096;
	expect(M, "dma-buf, fd without a process", ESRCH,
	       io(f2.fd, FASTRPC_IOCTL_MMAP, &r));
	expect(N, "fd without a process of its own", ESRCH,
	       io(f2.fd, FASTRPC_IOCTL_MEM_MAP, &m));
	frpc_close(&f2);
	/* the process's own fd still maps, and its memory is still there */
	FRPC_OK(frpc_mmap(&E.f, -1, FASTRPC_MMAP_ADD_PAGES, 0, 1 << 20, &va));
	FRPC_OK(frpc_munmap(&E.f, va, 1 << 20));
}

static void info_cases(void)
{
	const char *G = "GET_DSP_INFO";

	/* as upstream: reserved words and the domain named are not checked */
	expect(G, "reserved not 0: ignored", 0, info(FASTRPC_DOMAIN_CDSP, 1, 1));
	expect(G, "another domain: this file's DSP", 0,
	       info(FASTRPC_DOMAIN_ADSP, 1, 0));
	expect(G, "domain out of range", ECHRNG, info(99, 1, 0));
	expect(G, "domain 5 (past cdsp1)", ECHRNG, info(5, 1, 0));
	{
		struct fastrpc_ioctl_capability c = {
			.domain = FASTRPC_DOMAIN_CDSP, .capability = 7,
		};
		int r = io(E.f.fd, FASTRPC_IOCTL_GET_DSP_INFO, &c);

		expect(G, "attribute 0 reads 0 (for userspace)", 0,
		       r ?: (c.capability ? -EPROTO : 0));
	}
	expect(G, "attribute 256", EOVERFLOW, info(FASTRPC_DOMAIN_CDSP, 256, 0));
	expect(G, "arguments unreadable", EFAULT,
	       io(E.f.fd, FASTRPC_IOCTL_GET_DSP_INFO, (void *)8));
}

static void dispatch_cases(void)
{
	const char *D = "(any)";

	expect(D, "ioctl number 12 (none)", ENOTTY, io(E.f.fd, _IO('R', 12), NULL));
	expect(D, "ioctl number 99", ENOTTY, io(E.f.fd, _IO('R', 99), NULL));
	expect(D, "another ioctl type", ENOTTY,
	       io(E.f.fd, _IOWR('X', 3, struct fastrpc_invoke), NULL));
	expect(D, "INVOKE with the wrong size", ENOTTY,
	       io(E.f.fd, _IOWR('R', 3, uint32_t), NULL));
}

/* mdsp: two banks of one session each; a third client gets none */
static void session_cases(void)
{
	struct frpc a, b, c;

	FRPC_OK(frpc_open(&a, "mdsp", 0));
	FRPC_OK(frpc_open(&b, "mdsp", 0));
	FRPC_OK(frpc_open(&c, "mdsp", 0));
	FRPC_OK(frpc_attach(&a));
	FRPC_OK(frpc_attach(&b));
	expect("INIT_ATTACH", "every context bank in use", EBUSY,
	       io(c.fd, FASTRPC_IOCTL_INIT_ATTACH, NULL));
	frpc_close(&a);
	expect("INIT_ATTACH", "a bank free again", 0,
	       io(c.fd, FASTRPC_IOCTL_INIT_ATTACH, NULL));
	frpc_close(&b);
	frpc_close(&c);
}

/* The secure node gets the secure bank: secure maps work there */
static void secure_cases(void)
{
	struct fastrpc_mem_map m;
	struct frpc_xbuf sb;
	struct frpc s;

	FRPC_OK(frpc_open(&s, "cdsp", 1));
	FRPC_OK(frpc_attach(&s));
	frpc_xbuf_alloc(&s, "fastrpc", 4096, &sb);
	FRPC_CHECK(frpc_fdinfo(s.fd, "secure") == 1 && frpc_fdinfo(s.fd, "sid") == 9,
		   "secure client not on the secure bank (sid %lld)",
		   frpc_fdinfo(s.fd, "sid"));
	m = mm_req();
	m.fd = sb.fd;
	m.vaddrin = (uintptr_t)sb.p;
	m.attrs = FASTRPC_ATTR_SECUREMAP;
	expect("MEM_MAP", "secure map on the secure bank", 0,
	       io(s.fd, FASTRPC_IOCTL_MEM_MAP, &m));
	frpc_xbuf_free(&sb);
	frpc_close(&s);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	frpc_session(&E.f, "cdsp", 0, "echo", &E.echo);
	frpc_xbuf_alloc(&E.f, "fastrpc", 4 * 4096, &E.ours);
	frpc_xbuf_alloc(&E.f, "heap", 4 * 4096, &E.heap);
	E.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	dispatch_cases();
	invoke_cases();
	process_cases();
	buffer_cases();
	mmap_cases();
	mem_map_cases();
	ownership_cases();
	info_cases();
	session_cases();
	secure_cases();

	printf("%s: %d case(s) failed\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}
