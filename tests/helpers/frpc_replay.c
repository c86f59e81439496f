// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_replay [DOMAIN]: what Qualcomm's client library (libcdsprpc, github
 * quic/fastrpc) sends to start a session, invoke one method and tear the
 * session down, call for call, as raw ioctls with the arguments it builds
 * (src/fastrpc_apps_user.c remote_init/domain_init/remote_handle64_open,
 * fastrpc_ioctl.c, listener_android.c, the *_stub.c marshalling). Default
 * DOMAIN: cdsp.
 *
 * Prints one line per call, "STEP: what came back", and exits 1 at the first
 * answer that differs from a real DSP's. The vdsp's view (its process,
 * parked calls) is read from its debugfs.
 */
#include "frpc_common.h"

#include <pthread.h>
#include <time.h>

/* libcdsprpc's own numbers (inc/fastrpc_common.h, fastrpc_ioctl.h) */
#define LIB_PROC_SHARED_BUFFER_SUPPORT	131
#define LIB_MAP_DMA_HANDLE_REVERSERPC	129
#define LIB_UNSIGNED_PD_SUPPORT		1
#define LIB_ATTR_NOVA			256
#define LIB_ATTR_KEEP_MAP		8

static const char *domain = "cdsp";
static int domain_id;

/* The wire code as the ioctl returns it: a DSP's code comes back as is */
static const char *dsp_code(int ret)
{
	static char buf[32];

	if (ret == -1)
		snprintf(buf, sizeof(buf), "-1 errno %s", strerrorname_np(errno));
	else
		snprintf(buf, sizeof(buf), "0x%x", (unsigned int)ret);
	return buf;
}

static int invoke(int fd, uint32_t handle, uint32_t sc,
		  struct fastrpc_invoke_args *args)
{
	struct fastrpc_invoke inv = {
		.handle = handle, .sc = sc, .args = (uintptr_t)args,
	};

	return ioctl(fd, FASTRPC_IOCTL_INVOKE, &inv);
}

static void expect(const char *step, int ret, int want)
{
	printf("%s: %s\n", step, dsp_code(ret));
	fflush(stdout);
	FRPC_CHECK(ret == want, "%s: got %s, want 0x%x", step, dsp_code(ret),
		   (unsigned int)want);
}

/* open_device_node(): the secure node first, O_NONBLOCK, as the library */
static int open_node(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/fastrpc-%s-secure", domain);
	fd = open(path, O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == EACCES)) {
		snprintf(path, sizeof(path), "/dev/fastrpc-%s", domain);
		fd = open(path, O_NONBLOCK);
	}
	FRPC_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

/* fastrpc_get_cap(): a node of its own for each query, closed after */
static void capability(const char *name, uint32_t attr, uint32_t want)
{
	struct fastrpc_ioctl_capability cap = {
		.domain = domain_id, .attribute_id = attr,
	};
	char step[80];
	int fd = open_node(), ret;

	ret = ioctl(fd, FASTRPC_IOCTL_GET_DSP_INFO, &cap);
	close(fd);
	snprintf(step, sizeof(step), "get_dsp_info %s", name);
	expect(step, ret, 0);
	printf("%s capability: %u\n", name, cap.capability);
	FRPC_CHECK(cap.capability == want, "%s: capability %u, want %u", name,
		   cap.capability, want);
}

/* remote_init(), USERPD: the shell in rpcmem (a dma-buf), unsigned */
static void create_process(int fd)
{
	struct fastrpc_alloc_dma_buf alloc = { .size = 64 * 1024 };
	struct fastrpc_init_create init = { .filefd = -1 };
	unsigned char *shell;

	FRPC_CHECK(!ioctl(fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &alloc),
		   "rpcmem alloc: %s", strerror(errno));
	shell = mmap(NULL, alloc.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		     alloc.fd, 0);
	FRPC_CHECK(shell != MAP_FAILED, "rpcmem mmap: %s", strerror(errno));
	frpc_hexagon_shell(shell, alloc.size);
	init.file = (uintptr_t)shell;
	init.filelen = alloc.size;
	init.filefd = alloc.fd;
	init.attrs = FASTRPC_MODE_UNSIGNED_MODULE;
	expect("init_create unsigned", ioctl(fd, FASTRPC_IOCTL_INIT_CREATE,
					     &init), 0);
	/* rpcmem_free_internal(): the library lets the shell go at once */
	munmap(shell, alloc.size);
	close(alloc.fd);
}

/* listener_android.c: one thread per listener, init2 then next2 */
struct listener {
	const char *name;
	int fd;
	uint32_t handle;
	uint32_t base;		/* 2 on the remote_handle64 interface */
	pthread_t thread;
	int ended;
};

/* adsp_listener(1)_next2: in {prevCtx, prevResult, prevbufsLen, bufsLen} */
static void *listener_main(void *arg)
{
	struct listener *l = arg;
	uint32_t prim_in[4] = { 0, 0, 0, 4096 }, prim_out[4];
	static __thread unsigned char bufs[4096];
	struct fastrpc_invoke_args a[4] = {
		frpc_arg(prim_in, sizeof(prim_in)), frpc_arg(NULL, 0),
		frpc_arg(prim_out, sizeof(prim_out)),
		frpc_arg(bufs, sizeof(bufs)),
	};

	l->ended = invoke(l->fd, l->handle,
			  FASTRPC_SC(l->base + LISTENER_METHOD_NEXT2, 2, 2), a);
	return NULL;
}

static void listener_start(struct listener *l)
{
	char step[64];

	snprintf(step, sizeof(step), "%s init2", l->name);
	expect(step, invoke(l->fd, l->handle,
			    FASTRPC_SC(l->base + LISTENER_METHOD_INIT2, 0, 0),
			    NULL), 0);
	FRPC_CHECK(!pthread_create(&l->thread, NULL, listener_main, l),
		   "listener thread");
}

static void listener_join(struct listener *l)
{
	char step[64];

	pthread_join(l->thread, NULL);
	snprintf(step, sizeof(step), "%s next2 ended", l->name);
	expect(step, l->ended, (int)FASTRPC_DSP_BAD_STATE);
}

/* The vdsp's record of our process: KEY's value, -1 if there is none */
static long long vdsp_process(const char *key)
{
	char path[96], line[512], want[48], k[48], *s;
	long long v = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vdsp/%s/processes",
		 domain);
	snprintf(want, sizeof(want), "process tgid=%d ", getpid());
	snprintf(k, sizeof(k), " %s=", key);
	fp = fopen(path, "r");
	FRPC_CHECK(fp, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, want, strlen(want)) && (s = strstr(line, k)))
			v = strtoll(s + strlen(k), NULL, 0);
	fclose(fp);
	return v;
}

static void wait_parked(long long n)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 3000 && vdsp_process("parked") != n; i++)
		nanosleep(&ts, NULL);
	FRPC_CHECK(vdsp_process("parked") == n, "vdsp parked %lld, want %lld",
		   vdsp_process("parked"), n);
	printf("vdsp: %lld listener calls parked\n", n);
}

/* remotectl1_open1: in {nameLen, dlerrorLen} + name; out {handle, nErr} */
static uint32_t remotectl1_open1(int fd, const char *uri)
{
	uint32_t prim_in[2] = { strlen(uri) + 1, 255 };
	int32_t prim_out[2] = { -1, -1 };
	char dlerror[255] = "";
	struct fastrpc_invoke_args a[4] = {
		frpc_arg(prim_in, sizeof(prim_in)),
		frpc_arg(uri, strlen(uri) + 1),
		frpc_arg(prim_out, sizeof(prim_out)),
		frpc_arg(dlerror, sizeof(dlerror)),
	};

	expect("remotectl1 open1",
	       invoke(fd, FASTRPC_HANDLE_REMOTECTL1,
		      FASTRPC_SC(REMOTECTL1_METHOD_OPEN1, 2, 2), a), 0);
	printf("remotectl1 open1: handle 0x%x nErr %d dlerror \"%s\"\n",
	       prim_out[0], prim_out[1], dlerror);
	FRPC_CHECK(prim_out[1] == 0 &&
		   prim_out[0] >= FASTRPC_HANDLE_FIRST_DYNAMIC, "open1");
	return prim_out[0];
}

static void remotectl1_close1(int fd, uint32_t handle)
{
	uint32_t prim_in[2] = { handle, 255 };
	int32_t nerr = -1;
	char dlerror[255] = "";
	struct fastrpc_invoke_args a[3] = {
		frpc_arg(prim_in, sizeof(prim_in)),
		frpc_arg(&nerr, sizeof(nerr)),
		frpc_arg(dlerror, sizeof(dlerror)),
	};

	expect("remotectl1 close1",
	       invoke(fd, FASTRPC_HANDLE_REMOTECTL1,
		      FASTRPC_SC(REMOTECTL1_METHOD_CLOSE1, 1, 2), a), 0);
	FRPC_CHECK(nerr == 0, "close1 nErr %d (%s)", nerr, dlerror);
}

/*
 * calculator sum, as remote_handle64_invoke() passes it: the input in
 * rpcmem (its fd, KEEP_MAP), the output in plain memory, and one DMA
 * handle argument (offset, length, fd, NOVA).
 */
static void calculator_sum(int fd, uint32_t handle)
{
	struct fastrpc_alloc_dma_buf in = { .size = 4096 };
	struct fastrpc_alloc_dma_buf dh = { .size = 8192 };
	struct fastrpc_invoke_args a[3];
	int64_t sum = -1;
	int32_t *v;
	int i;

	FRPC_CHECK(!ioctl(fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &in) &&
		   !ioctl(fd, FASTRPC_IOCTL_ALLOC_DMA_BUFF, &dh),
		   "rpcmem alloc: %s", strerror(errno));
	v = mmap(NULL, in.size, PROT_READ | PROT_WRITE, MAP_SHARED, in.fd, 0);
	FRPC_CHECK(v != MAP_FAILED, "rpcmem mmap: %s", strerror(errno));
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	a[0] = frpc_arg_fd(in.fd, v, 100 * sizeof(*v));
	a[0].attr = LIB_ATTR_KEEP_MAP;
	a[1] = frpc_arg(&sum, sizeof(sum));
	a[2] = frpc_arg_fd(dh.fd, NULL, dh.size);
	a[2].attr = LIB_ATTR_NOVA;
	expect("calculator sum", invoke(fd, handle,
					FASTRPC_SC_BUILD(0, CALCULATOR_METHOD_SUM,
							 1, 1, 1, 0), a), 0);
	printf("calculator sum: %lld\n", (long long)sum);
	FRPC_CHECK(sum == 5050, "sum %lld, want 5050", (long long)sum);
	munmap(v, in.size);
	close(in.fd);
	close(dh.fd);
}

/* fastrpc_perf.c: keys, enable each, read them back */
static void perf(int fd)
{
	struct perf_keys_out ko = { -1, -1 };
	uint32_t len = 2048, key, n = 2;
	static char keys[2048];
	int64_t vals[2] = { -1, -1 };
	struct fastrpc_invoke_args a[3] = {
		frpc_arg(&len, sizeof(len)), frpc_arg(&ko, sizeof(ko)),
		frpc_arg(keys, sizeof(keys)),
	};

	expect("perf1 get_keys",
	       invoke(fd, FASTRPC_HANDLE_PERF1,
		      FASTRPC_SC(FASTRPC_IFACE64_FIRST_METHOD +
				 PERF_METHOD_GET_KEYS, 1, 2), a), 0);
	printf("perf1 keys: %d: %s %s\n", ko.num_keys, keys,
	       keys + strlen(keys) + 1);
	FRPC_CHECK(ko.num_keys == 2, "perf keys");
	for (key = 0; key < (uint32_t)ko.num_keys; key++) {
		a[0] = frpc_arg(&key, sizeof(key));
		expect("perf1 enable",
		       invoke(fd, FASTRPC_HANDLE_PERF1,
			      FASTRPC_SC(FASTRPC_IFACE64_FIRST_METHOD +
					 PERF_METHOD_ENABLE, 1, 0), a), 0);
	}
	a[0] = frpc_arg(&n, sizeof(n));
	a[1] = frpc_arg(vals, sizeof(vals));
	expect("perf1 get_usecs",
	       invoke(fd, FASTRPC_HANDLE_PERF1,
		      FASTRPC_SC(FASTRPC_IFACE64_FIRST_METHOD +
				 PERF_METHOD_GET_USECS, 1, 1), a), 0);
	printf("perf1 %s: %lld\n", keys, (long long)vals[0]);
	FRPC_CHECK(vals[0] == 1 && vals[1] >= 0, "perf values %lld %lld",
		   (long long)vals[0], (long long)vals[1]);
}

/*
 * adspmsgd_init(): init3 {heapid, ion_flags, filter, buf_size} -> buff_addr
 * may be unsupported (the library says nothing then), then deinit
 */
static void msgd(int fd)
{
	struct { int32_t heapid; uint32_t ion_flags, filter, pad;
		 uint64_t buf_size; } in = { 0, 0, 0x10, 0, 64 * 1024 };
	uint64_t vapps = 0;
	struct fastrpc_invoke_args a[2] = {
		frpc_arg(&in, sizeof(in)), frpc_arg(&vapps, sizeof(vapps)),
	};

	expect("adspmsgd1 init3",
	       invoke(fd, FASTRPC_HANDLE_MSGD1,
		      FASTRPC_SC(MSGD_METHOD_INIT3, 1, 1), a),
	       (int)FASTRPC_DSP_UNSUPPORTED_API);
	expect("adspmsgd1 deinit",
	       invoke(fd, FASTRPC_HANDLE_MSGD1,
		      FASTRPC_SC(MSGD_METHOD_DEINIT, 0, 0), NULL), 0);
}

/*
 * The system interfaces' other methods, each with the code a DSP answers:
 * in[0] a record of up to 4 words, in[1] in1_len bytes, outputs 64 bytes.
 */
struct sys_case {
	const char *what;
	uint32_t handle, method, nin, nout;
	uint32_t in0[4], in0_words, in1_len;
	uint32_t want;
};

#define UNSUP	FASTRPC_DSP_UNSUPPORTED_API
#define BADPARM	FASTRPC_DSP_BAD_PARM
#define H64(h, m)	{ "open/close of handle64 " #h, h, m, 0, 0, { 0 }, 0, 0, UNSUP }

static const struct sys_case sys_cases[] = {
	H64(4, 0), H64(4, 1), H64(5, 0), H64(5, 1), H64(7, 0), H64(7, 1),
	H64(8, 0), H64(8, 1), H64(9, 0), H64(9, 1),
	{ "current_process1 set_logging", 4, 4, 0, 0, { 0 }, 0, 0, 0 },
	{ "current_process1 getASID", 4, 5, 0, 1, { 0 }, 0, 0, UNSUP },
	{ "current_process1 setQoS", 4, 6, 0, 0, { 0 }, 0, 0, 0 },
	{ "current_process1 set_logging2", 4, 8, 0, 0, { 0 }, 0, 0, 0 },
	{ "current_process1 poll_mode", 4, 9, 0, 0, { 0 }, 0, 0, 0 },
	{ "current_process1 notifications", 4, 10, 0, 0, { 0 }, 0, 0, 0 },
	{ "current_process1 panic codes", 4, 11, 2, 0, { 2 }, 1, 8, 0 },
	{ "current_process1 panic codes short", 4, 11, 2, 0, { 3 }, 1, 8, BADPARM },
	{ "current_process1 method 12", 4, 12, 0, 0, { 0 }, 0, 0, UNSUP },
	{ "listener get_in_bufs", 3, 1, 1, 1, { 0 }, 1, 0, BADPARM },
	{ "listener1 get_in_bufs2", 7, 7, 1, 2, { 0, 0, 16 }, 3, 0, BADPARM },
	{ "listener1 method 8", 7, 8, 0, 0, { 0 }, 0, 0, UNSUP },
	{ "adspmsgd1 init2", 5, 2, 0, 0, { 0 }, 0, 0, 0 },
	{ "remotectl set_param", 0, 3, 2, 0, { 1, 2 }, 2, 8, 0 },
	{ "remotectl1 set_param short", 8, 5, 2, 0, { 1, 3 }, 2, 8, BADPARM },
	{ "remotectl grow_heap", 0, 2, 1, 0, { 4096, 4096 }, 2, 0, UNSUP },
	{ "perf enable past the keys", 6, 0, 1, 0, { 2 }, 1, 0, BADPARM },
	{ "perf enable", 6, 0, 1, 0, { 0 }, 1, 0, 0 },
};

static void system_methods(int fd)
{
	static unsigned char in1[64], out[2][64];
	struct fastrpc_invoke_args a[4];
	const struct sys_case *c;
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < sizeof(sys_cases) / sizeof(sys_cases[0]); i++) {
		c = &sys_cases[i];
		a[0] = frpc_arg(c->in0, c->in0_words * 4);
		a[1] = frpc_arg(in1, c->in1_len);
		a[c->nin] = frpc_arg(out[0], sizeof(out[0]));
		a[c->nin + 1] = frpc_arg(out[1], sizeof(out[1]));
		ret = invoke(fd, c->handle,
			     FASTRPC_SC(c->method, c->nin, c->nout), a);
		FRPC_CHECK(ret == (int)c->want, "%s (handle %u method %u): %s, want 0x%x",
			   c->what, c->handle, c->method, dsp_code(ret), c->want);
		n++;
	}
	printf("system interfaces: %u calls, each answered as a DSP does\n", n);
}

/* A second session: the process takes an exception on handle 4 */
static void exception(void)
{
	int fd = open_node();

	FRPC_CHECK(!ioctl(fd, FASTRPC_IOCTL_INIT_ATTACH), "attach: %s",
		   strerror(errno));
	expect("current_process1 exception",
	       invoke(fd, FASTRPC_HANDLE_CURRENT_PROCESS,
		      FASTRPC_SC(CURRENT_PROCESS_METHOD_EXCEPTION, 0, 0), NULL),
	       (int)FASTRPC_DSP_CPU_EXCEPTION);
	FRPC_CHECK(vdsp_process("parked") == -1, "the vdsp still has us");
	printf("vdsp: process gone after its exception\n");
	close(fd);
}

static void *worker_main(void *arg)
{
	int fd = *(int *)arg;

	/* thread_exit from the library's TLS destructor */
	expect("current_process1 thread_exit",
	       invoke(fd, FASTRPC_HANDLE_CURRENT_PROCESS,
		      FASTRPC_SC(CURRENT_PROCESS_METHOD_THREAD_EXIT, 0, 0),
		      NULL), 0);
	return NULL;
}

int main(int argc, char **argv)
{
	static const char uri[] = "file:///libcalculator_skel.so?"
		"calculator_skel_handle_invoke&_modver=1.0&_dom=cdsp";
	struct listener l1 = {
		.name = "listener1", .handle = FASTRPC_HANDLE_LISTENER1,
		.base = FASTRPC_IFACE64_FIRST_METHOD,
	};
	struct listener l0 = {
		.name = "listener", .handle = FASTRPC_HANDLE_LISTENER,
	};
	pthread_t worker;
	uint32_t handle;
	int fd;

	if (argc > 1)
		domain = argv[1];
	domain_id = frpc_domain_id(domain);
	FRPC_CHECK(domain_id >= 0, "unknown domain %s", domain);

	/* remote_init(): is_proc_sharedbuf_supported_dsp() */
	capability("PROC_SHARED_BUFFER_SUPPORT", LIB_PROC_SHARED_BUFFER_SUPPORT,
		   0);
	capability("UNSIGNED_PD_SUPPORT", LIB_UNSIGNED_PD_SUPPORT, 1);
	fd = open_node();
	create_process(fd);
	printf("vdsp: process attrs=0x%llx\n", vdsp_process("attrs"));
	/* domain_init(): get_dsp_dma_reverse_rpc_map_capability() */
	capability("MAP_DMA_HANDLE_REVERSERPC", LIB_MAP_DMA_HANDLE_REVERSERPC,
		   0);
	l1.fd = l0.fd = fd;
	listener_start(&l1);
	listener_start(&l0);
	wait_parked(2);

	handle = remotectl1_open1(fd, uri);
	calculator_sum(fd, handle);
	perf(fd);
	msgd(fd);
	system_methods(fd);
	FRPC_CHECK(!pthread_create(&worker, NULL, worker_main, &fd), "worker");
	pthread_join(worker, NULL);
	remotectl1_close1(fd, handle);

	/* domain_deinit(): the process exits, its listeners hear it */
	expect("current_process1 exit",
	       invoke(fd, FASTRPC_HANDLE_CURRENT_PROCESS,
		      FASTRPC_SC(CURRENT_PROCESS_METHOD_EXIT, 0, 0), NULL), 0);
	listener_join(&l1);
	listener_join(&l0);
	FRPC_CHECK(vdsp_process("parked") == -1, "the vdsp still has us");
	printf("vdsp: process gone\n");
	expect("close", close(fd), 0);
	exception();
	return 0;
}
