// SPDX-License-Identifier: GPL-2.0
/*
 * vdsp_client DOMAIN STEP...: a FastRPC client of the vdsp through the
 * driver (/dev/fastrpc-DOMAIN, libfrpc): one fd, the steps in order, one
 * line per step. For tests that look at the DSP side (vdsp debugfs) of
 * what a driver's client does.
 *
 *   attach | sensors | create[:unsigned] | static:NAME:MEMLEN
 *   open:NAME        remotectl open: "open NAME handle H", or
 *                    "open NAME err E dlerror TEXT"
 *   sum:V,V,...      calculator sum: "sum S"
 *   max:V,V,...      calculator max: "max M"
 *   echo:SIZE        echo a SIZE-byte pattern through user pointers,
 *                    bytes compared: "echo SIZE ok"
 *   echo-dmabuf:SIZE the same in two of the driver's dma-bufs, by fd:
 *                    "echo-dmabuf SIZE ok"
 *   sleep:US         the sleep skel: "sleep 0"
 *   fault:CODE       the fault skel's retval method: "fault R"
 *   mmap:SIZE        driver memory mapped on the DSP: "mmap 0xADDR"
 *   memmap:SIZE      a driver dma-buf, filled with a pattern, MEM_MAPped:
 *                    "memmap 0xADDR"
 *   memtest:BYTE     on the last mapping: the DSP checksums it (against
 *                    our bytes when we can see them), fills it with BYTE,
 *                    checksums it again: "memtest ok"
 *   munmap | memunmap  the last mmap / memmap: "munmap 0", "memunmap 0"
 *   info             GET_DSP_INFO of attributes 1..11: "info V V ..."
 *   listener         a thread parks in listener next: "listener parked";
 *                    "listener ended R" when its call returns
 *   exit             current process exit (handle 4): "exit 0"
 *   hold:MS          "ready", then wait (the DSP side can be looked at)
 *   pause            "ready", then wait for SIGUSR1
 * Exit: 0 when every step did what it says, 1 otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libfrpc.h"

#define SHELL_SIZE	4096
#define EM_HEXAGON_ID	164
#define MAX_VALUES	256

/* The last mapping on the DSP; @cpu is our view of it, if we have one */
struct mapping {
	uint64_t addr, size;
	int fd;
	unsigned char *cpu;
};

struct client {
	struct frpc f;
	struct mapping mmap, memmap, *last;
	pthread_t listener;
	int listening;
};

static int fail(const char *step, int err)
{
	printf("%s err %d\n", step, err);
	return 1;
}

static void pattern(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (i * 13 + seed) & 0xff;
}

/* "V,V,..." into @v; the count */
static int parse_list(const char *list, int32_t *v)
{
	const char *p = list;
	char *end;
	int n = 0;

	while (*p && n < MAX_VALUES) {
		v[n++] = strtol(p, &end, 0);
		p = *end == ',' ? end + 1 : end;
		if (end == p && *p)
			return -1;
	}
	return n;
}

static int step_create(struct client *c, const char *arg)
{
	static unsigned char shell[SHELL_SIZE];
	uint16_t machine = EM_HEXAGON_ID;
	uint32_t attrs = 0;
	int ret;

	if (arg && !strcmp(arg, "unsigned"))
		attrs = FASTRPC_MODE_UNSIGNED_MODULE;
	memcpy(shell, "\x7f" "ELF\x01\x01\x01", 7);
	shell[16] = 2;
	memcpy(shell + 18, &machine, sizeof(machine));
	shell[20] = 1;
	ret = frpc_create(&c->f, shell, sizeof(shell), attrs);
	if (ret)
		return fail("create", ret);
	printf("create 0\n");
	return 0;
}

static int step_static(struct client *c, const char *arg)
{
	char name[64];
	const char *len = strchr(arg, ':');
	int ret;

	if (!len || (size_t)(len - arg) >= sizeof(name))
		return fail("static", -EINVAL);
	snprintf(name, sizeof(name), "%.*s", (int)(len - arg), arg);
	ret = frpc_create_static(&c->f, name, strtoul(len + 1, NULL, 0));
	if (ret)
		return fail("static", ret);
	printf("static 0\n");
	return 0;
}

static int step_open(struct client *c, const char *name)
{
	char dlerror[256];
	uint32_t h;
	int ret;

	ret = frpc_skel_open(&c->f, name, &h, dlerror, sizeof(dlerror));
	if (ret)
		printf("open %s err %d dlerror %s\n", name, ret, dlerror);
	else
		printf("open %s handle %u\n", name, h);
	return 0;
}

/* Open @skel, call @method with @args, close it: the call's result */
static int skel_call(struct client *c, const char *skel, uint32_t sc,
		     struct fastrpc_invoke_args *args)
{
	uint32_t h;
	int ret, cret;

	ret = frpc_skel_open(&c->f, skel, &h, NULL, 0);
	if (ret)
		return ret;
	ret = frpc_invoke(&c->f, h, sc, args);
	cret = frpc_skel_close(&c->f, h);
	return ret ? ret : cret;
}

/* calculator sum (@max 0) or max (@max 1) of the list */
static int step_calc(struct client *c, const char *list, int max)
{
	const char *what = max ? "max" : "sum";
	struct fastrpc_invoke_args a[2];
	int32_t v[MAX_VALUES], m = 0;
	int64_t sum = 0;
	int n, ret;

	n = parse_list(list, v);
	if (n < 0)
		return fail(what, -EINVAL);
	a[0] = frpc_arg(v, n * sizeof(v[0]));
	a[1] = max ? frpc_arg(&m, sizeof(m)) : frpc_arg(&sum, sizeof(sum));
	ret = skel_call(c, "calculator",
			FASTRPC_SC(max ? CALCULATOR_METHOD_MAX :
				   CALCULATOR_METHOD_SUM, 1, 1), a);
	if (ret)
		return fail(what, ret);
	printf("%s %" PRId64 "\n", what, max ? (int64_t)m : sum);
	return 0;
}

/* A buffer of @size: plain memory, or a driver dma-buf mapped for us */
static unsigned char *buf_get(struct client *c, size_t size, int dmabuf,
			      int *fd)
{
	void *p;

	*fd = -1;
	if (!dmabuf)
		return calloc(1, size ? size : 1);
	if (frpc_alloc(&c->f, size, 0, fd))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (p == MAP_FAILED) {
		close(*fd);
		*fd = -1;
		return NULL;
	}
	return p;
}

static void buf_put(unsigned char *p, size_t size, int fd)
{
	if (fd < 0) {
		free(p);
		return;
	}
	munmap(p, size);
	close(fd);
}

/* echo: our pattern through the DSP and back, compared byte for byte */
static int step_echo(struct client *c, const char *arg, int dmabuf)
{
	const char *what = dmabuf ? "echo-dmabuf" : "echo";
	size_t size = strtoull(arg, NULL, 0);
	struct fastrpc_invoke_args a[2];
	unsigned char *in, *out;
	int ifd, ofd, ret;

	in = buf_get(c, size, dmabuf, &ifd);
	out = buf_get(c, size, dmabuf, &ofd);
	if (!in || !out) {
		ret = -ENOMEM;
		goto out;
	}
	pattern(in, size, 7);
	memset(out, 0xee, size);
	a[0] = frpc_arg_fd(ifd, in, size);
	a[1] = frpc_arg_fd(ofd, out, size);
	ret = skel_call(c, "echo", FASTRPC_SC(ECHO_METHOD_COPY, 1, 1), a);
	if (!ret && memcmp(in, out, size))
		ret = -EIO;
out:
	if (in)
		buf_put(in, size, ifd);
	if (out)
		buf_put(out, size, ofd);
	if (ret)
		return fail(what, ret);
	printf("%s %zu ok\n", what, size);
	return 0;
}

static int step_sleep(struct client *c, const char *arg)
{
	uint32_t us = strtoul(arg, NULL, 0);
	struct fastrpc_invoke_args a[1] = { frpc_arg(&us, sizeof(us)) };
	int ret;

	ret = skel_call(c, "sleep", FASTRPC_SC(SLEEP_METHOD_USLEEP, 1, 0), a);
	if (ret)
		return fail("sleep", ret);
	printf("sleep 0\n");
	return 0;
}

/* The DSP's return code comes back as the call's: printed, not failed */
static int step_fault(struct client *c, const char *arg)
{
	int32_t code = strtol(arg, NULL, 0);
	struct fastrpc_invoke_args a[1] = { frpc_arg(&code, sizeof(code)) };

	printf("fault %d\n",
	       skel_call(c, "fault", FASTRPC_SC(FAULT_METHOD_RETVAL, 1, 0), a));
	return 0;
}

static int step_mmap(struct client *c, const char *size)
{
	struct mapping *m = &c->mmap;
	int ret;

	m->size = strtoull(size, NULL, 0);
	m->fd = -1;
	m->cpu = NULL;
	ret = frpc_mmap(&c->f, -1, FASTRPC_MMAP_ADD_PAGES, 0, m->size,
			&m->addr);
	if (ret)
		return fail("mmap", ret);
	c->last = m;
	printf("mmap 0x%" PRIx64 "\n", m->addr);
	return 0;
}

static int step_memmap(struct client *c, const char *size)
{
	struct mapping *m = &c->memmap;
	int ret;

	m->size = strtoull(size, NULL, 0);
	m->cpu = buf_get(c, m->size, 1, &m->fd);
	if (!m->cpu)
		return fail("memmap", -ENOMEM);
	pattern(m->cpu, m->size, 3);
	ret = frpc_mem_map(&c->f, m->fd, (uintptr_t)m->cpu, m->size,
			   FASTRPC_MAP_FD, 0, &m->addr);
	if (ret) {
		buf_put(m->cpu, m->size, m->fd);
		m->cpu = NULL;
		return fail("memmap", ret);
	}
	c->last = m;
	printf("memmap 0x%" PRIx64 "\n", m->addr);
	return 0;
}

static int memtest_sum(struct client *c, uint32_t h, const struct mapping *m,
		       uint64_t *sum)
{
	struct memtest_range range = { .vaddr = m->addr, .len = m->size };
	struct fastrpc_invoke_args a[2] = {
		frpc_arg(&range, sizeof(range)), frpc_arg(sum, sizeof(*sum)),
	};

	return frpc_invoke(&c->f, h, FASTRPC_SC(MEMTEST_METHOD_CHECKSUM, 1, 1),
			   a);
}

static int memtest_fill(struct client *c, uint32_t h, const struct mapping *m,
			uint8_t byte)
{
	struct memtest_fill fill = {
		.vaddr = m->addr, .len = m->size, .byte = byte,
	};
	struct fastrpc_invoke_args a[1] = { frpc_arg(&fill, sizeof(fill)) };

	return frpc_invoke(&c->f, h, FASTRPC_SC(MEMTEST_METHOD_FILL, 1, 0), a);
}

/* Checksum (ours if we see the bytes), fill, checksum of the fill */
static int memtest_run(struct client *c, uint32_t h, const struct mapping *m,
		       uint8_t byte, unsigned char *want)
{
	uint64_t sum = 0;
	int ret;

	ret = memtest_sum(c, h, m, &sum);
	if (!ret && m->cpu && sum != frpc_fnv1a64(m->cpu, m->size))
		ret = -EIO;
	if (!ret)
		ret = memtest_fill(c, h, m, byte);
	if (!ret)
		ret = memtest_sum(c, h, m, &sum);
	memset(want, byte, m->size);
	if (!ret && sum != frpc_fnv1a64(want, m->size))
		ret = -EIO;
	if (!ret && m->cpu && memcmp(m->cpu, want, m->size))
		ret = -EIO;
	return ret;
}

static int step_memtest(struct client *c, const char *arg)
{
	uint8_t byte = strtoul(arg, NULL, 0);
	unsigned char *want;
	uint32_t h;
	int ret;

	want = malloc(c->last->size);
	if (!want)
		return fail("memtest", -ENOMEM);
	ret = frpc_skel_open(&c->f, "memtest", &h, NULL, 0);
	if (!ret) {
		ret = memtest_run(c, h, c->last, byte, want);
		frpc_skel_close(&c->f, h);
	}
	free(want);
	if (ret)
		return fail("memtest", ret);
	printf("memtest ok\n");
	return 0;
}

static int step_munmap(struct client *c)
{
	int ret = frpc_munmap(&c->f, c->mmap.addr, c->mmap.size);

	printf("munmap %d\n", ret);
	c->mmap.size = 0;
	return ret ? 1 : 0;
}

static int step_memunmap(struct client *c)
{
	struct mapping *m = &c->memmap;
	int ret = frpc_mem_unmap(&c->f, m->fd, m->addr, m->size);

	printf("memunmap %d\n", ret);
	buf_put(m->cpu, m->size, m->fd);
	m->cpu = NULL;
	m->size = 0;
	return ret ? 1 : 0;
}

static int step_info(struct client *c)
{
	uint32_t id, v;
	int ret;

	printf("info");
	for (id = 1; id < FASTRPC_ATTR_COUNT; id++) {
		ret = frpc_dsp_info(&c->f, id, &v);
		if (ret) {
			printf("\n");
			return fail("info", ret);
		}
		printf(" %u", v);
	}
	printf("\n");
	return 0;
}

static void *listener_main(void *arg)
{
	struct client *c = arg;
	int ret;

	ret = frpc_invoke(&c->f, FASTRPC_HANDLE_LISTENER,
			  FASTRPC_SC(LISTENER_METHOD_NEXT, 0, 0), NULL);
	printf("listener ended %d\n", ret);
	fflush(stdout);
	return NULL;
}

static int step_listener(struct client *c)
{
	int ret;

	ret = frpc_invoke(&c->f, FASTRPC_HANDLE_LISTENER,
			  FASTRPC_SC(LISTENER_METHOD_INIT, 0, 0), NULL);
	if (ret)
		return fail("listener", ret);
	if (pthread_create(&c->listener, NULL, listener_main, c))
		return fail("listener", -errno);
	c->listening = 1;
	printf("listener parked\n");
	return 0;
}

static int step_exit(struct client *c)
{
	int ret = frpc_invoke(&c->f, FASTRPC_HANDLE_CURRENT_PROCESS,
			      FASTRPC_SC(CURRENT_PROCESS_METHOD_EXIT, 0, 0),
			      NULL);

	printf("exit %d\n", ret);
	if (c->listening) {
		pthread_join(c->listener, NULL);
		c->listening = 0;
	}
	return ret ? 1 : 0;
}

/* SIGUSR1 is blocked in every thread (main): only sigwait() takes it */
static int step_pause(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		return fail("pause", -EINTR);
	printf("resumed\n");
	return 0;
}

static int step_arg(struct client *c, const char *s, const char *arg)
{
	if (!strcmp(s, "static"))
		return step_static(c, arg);
	if (!strcmp(s, "open"))
		return step_open(c, arg);
	if (!strcmp(s, "sum") || !strcmp(s, "max"))
		return step_calc(c, arg, s[1] == 'a');
	if (!strcmp(s, "echo") || !strcmp(s, "echo-dmabuf"))
		return step_echo(c, arg, s[4] == '-');
	if (!strcmp(s, "sleep"))
		return step_sleep(c, arg);
	if (!strcmp(s, "fault"))
		return step_fault(c, arg);
	if (!strcmp(s, "mmap"))
		return step_mmap(c, arg);
	if (!strcmp(s, "memmap"))
		return step_memmap(c, arg);
	if (!strcmp(s, "memtest") && c->last)
		return step_memtest(c, arg);
	if (!strcmp(s, "hold")) {
		printf("ready\n");
		fflush(stdout);
		usleep(strtoul(arg, NULL, 0) * 1000);
		return 0;
	}
	fprintf(stderr, "vdsp_client: bad step '%s:%s'\n", s, arg);
	return 1;
}

static int step(struct client *c, char *s)
{
	char *arg = strchr(s, ':');
	int ret;

	if (arg) {
		*arg++ = '\0';
		if (strcmp(s, "create"))
			return step_arg(c, s, arg);
	}
	if (!strcmp(s, "attach") || !strcmp(s, "sensors")) {
		ret = s[0] == 'a' ? frpc_attach(&c->f) :
				    frpc_attach_sensors(&c->f);
		printf("%s %d\n", s, ret);
		return ret ? 1 : 0;
	}
	if (!strcmp(s, "create"))
		return step_create(c, arg);
	if (!strcmp(s, "munmap") && c->mmap.size)
		return step_munmap(c);
	if (!strcmp(s, "memunmap") && c->memmap.size)
		return step_memunmap(c);
	if (!strcmp(s, "info"))
		return step_info(c);
	if (!strcmp(s, "listener"))
		return step_listener(c);
	if (!strcmp(s, "exit"))
		return step_exit(c);
	if (!strcmp(s, "pause"))
		return step_pause();
	fprintf(stderr, "vdsp_client: bad step '%s'\n", s);
	return 1;
}

int main(int argc, char **argv)
{
	struct client c = { .f.fd = -1 };
	sigset_t set;
	int i, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3) {
		fprintf(stderr, "usage: vdsp_client DOMAIN STEP...\n");
		return 2;
	}
	/* Before any thread: they all inherit it (see step_pause) */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	ret = frpc_open(&c.f, argv[1], 0);
	if (ret) {
		fprintf(stderr, "vdsp_client: %s: %s\n", argv[1], strerror(-ret));
		return 2;
	}
	for (i = 2; i < argc; i++)
		if (step(&c, argv[i]))
			return 1;
	frpc_close(&c.f);
	return 0;
}
