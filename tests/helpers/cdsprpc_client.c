// SPDX-License-Identifier: GPL-2.0
/*
 * cdsprpc_client: a client of Qualcomm's own FastRPC library (libcdsprpc,
 * github quic/fastrpc), through its public API only, as an application on
 * a board uses it. The library is dlopen()ed, so nothing here is built
 * against it.
 *
 *   cdsprpc_client shell FILE    write a shell the vdsp accepts: a Hexagon
 *                                ELF32 header and filler, 64 KiB
 *   cdsprpc_client run LIBRARY   on cdsp: an unsigned PD, the calculator
 *                                and echo skels, user and rpcmem buffers
 *
 * run prints one line per step, "STEP: what came back", and exits 1 at the
 * first answer that is wrong; the session runs in a child that exits as an
 * application does. Then the vdsp's view: the process while the session
 * is up and after its last handle closed, and once the child is gone,
 * which of the DSP's per-method counters moved (what the library called,
 * its own system calls included). -v sends the library's log (syslog) to
 * stderr.
 */
#include "frpc_common.h"

#include <dlfcn.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>

/* The library's ABI (inc/remote.h, inc/rpcmem.h): numbers and layouts */
typedef uint64_t remote_handle64;

typedef union {
	struct {
		void *pv;
		size_t len;
	} buf;
	uint32_t h;
	remote_handle64 h64;
	struct {
		int32_t fd;
		uint32_t offset;
	} dma;
} remote_arg;

#define REMOTE_SCALARS_MAKE(method, in, out) \
	((((uint32_t)(method) & 0x1f) << 24) | (((uint32_t)(in) & 0xff) << 16) | \
	 (((uint32_t)(out) & 0xff) << 8))

#define DSPRPC_GET_DSP_INFO		2	/* remote_handle_control */
#define DSPRPC_CONTROL_UNSIGNED_MODULE	2	/* remote_session_control */
#define UNSIGNED_PD_SUPPORT		1	/* enum remote_dsp_attributes */
#define CDSP_DOMAIN_ID			3
#define RPCMEM_HEAP_ID_SYSTEM		25
#define RPCMEM_DEFAULT_FLAGS		1

struct dsp_capability {
	uint32_t domain;
	uint32_t attribute_id;
	uint32_t capability;
};

struct unsigned_module {
	int domain;
	int enable;
};

static struct {
	int (*open)(const char *uri, remote_handle64 *h);
	int (*invoke)(remote_handle64 h, uint32_t sc, remote_arg *args);
	int (*close)(remote_handle64 h);
	int (*handle_control)(uint32_t req, void *data, uint32_t len);
	int (*session_control)(uint32_t req, void *data, uint32_t len);
	void *(*rpcmem_alloc)(int heapid, uint32_t flags, int size);
	void (*rpcmem_free)(void *p);
	int (*rpcmem_to_fd)(void *p);
} lib;

#define URI(name) "file:///lib" name "_skel.so?" name \
	"_skel_handle_invoke&_modver=1.0&_dom=cdsp"

static void *sym(void *dl, const char *name)
{
	void *p = dlsym(dl, name);

	FRPC_CHECK(p, "%s: %s", name, dlerror());
	return p;
}

static void expect(const char *step, int ret, int want)
{
	printf("%s: 0x%x\n", step, (unsigned int)ret);
	fflush(stdout);
	FRPC_CHECK(ret == want, "%s: got 0x%x, want 0x%x", step,
		   (unsigned int)ret, (unsigned int)want);
}

/* The vdsp's record of our process: KEY's value, -1 if there is none */
static long long vdsp_process(pid_t pid, const char *key)
{
	char line[512], want[48], k[48], *s;
	long long v = -1;
	FILE *fp;

	snprintf(want, sizeof(want), "process tgid=%d ", pid);
	snprintf(k, sizeof(k), " %s=", key);
	fp = fopen("/sys/kernel/debug/vdsp/cdsp/processes", "r");
	FRPC_CHECK(fp, "vdsp processes: %s", strerror(errno));
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, want, strlen(want)) && (s = strstr(line, k)))
			v = strtoll(s + strlen(k), NULL, 0);
	fclose(fp);
	return v;
}

/* The DSP's per-method counters: "call service=S method=M count=C ..." */
#define MAX_CALLS 256

struct calls {
	int n;
	char what[MAX_CALLS][64];
	unsigned long long count[MAX_CALLS], errors[MAX_CALLS];
};

static void read_calls(struct calls *c)
{
	char line[256], svc[32];
	unsigned long long count, errors;
	int meth;
	FILE *fp;

	c->n = 0;
	fp = fopen("/sys/kernel/debug/vdsp/cdsp/counters", "r");
	FRPC_CHECK(fp, "vdsp counters: %s", strerror(errno));
	while (fgets(line, sizeof(line), fp) && c->n < MAX_CALLS) {
		if (sscanf(line, "call service=%31s method=%d count=%llu errors=%llu",
			   svc, &meth, &count, &errors) != 4)
			continue;
		snprintf(c->what[c->n], sizeof(c->what[0]),
			 "service=%s method=%d", svc, meth);
		c->count[c->n] = count;
		c->errors[c->n++] = errors;
	}
	fclose(fp);
}

static void print_calls(const struct calls *before, const struct calls *after)
{
	unsigned long long count, errors;
	int i, j;

	for (i = 0; i < after->n; i++) {
		count = after->count[i];
		errors = after->errors[i];
		for (j = 0; j < before->n; j++) {
			if (strcmp(before->what[j], after->what[i]))
				continue;
			count -= before->count[j];
			errors -= before->errors[j];
		}
		if (count || errors)
			printf("dsp call %s count=%llu errors=%llu\n",
			       after->what[i], count, errors);
	}
}

static void load(const char *path)
{
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	FRPC_CHECK(dl, "dlopen: %s", dlerror());
	lib.open = sym(dl, "remote_handle64_open");
	lib.invoke = sym(dl, "remote_handle64_invoke");
	lib.close = sym(dl, "remote_handle64_close");
	lib.handle_control = sym(dl, "remote_handle_control");
	lib.session_control = sym(dl, "remote_session_control");
	lib.rpcmem_alloc = sym(dl, "rpcmem_alloc");
	lib.rpcmem_free = sym(dl, "rpcmem_free");
	lib.rpcmem_to_fd = sym(dl, "rpcmem_to_fd");
}

static remote_arg buf_arg(void *p, size_t len)
{
	remote_arg a = { .buf = { .pv = p, .len = len } };

	return a;
}

/*
 * calculator, as the vdsp's skel takes it (vdsp_abi.h): in[0] = int32 v[n],
 * out[0] = int64 sum or int32 max. (A QAIC stub of the Hexagon SDK's
 * calculator would send n in a primIn buffer and the result in a primROut.)
 */
static void calculator(remote_handle64 h)
{
	int32_t v[100], max = 0;
	int64_t sum = 0;
	remote_arg a[2];
	int i;

	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	a[0] = buf_arg(v, sizeof(v));
	a[1] = buf_arg(&sum, sizeof(sum));
	expect("calculator sum", lib.invoke(h, REMOTE_SCALARS_MAKE(2, 1, 1), a), 0);
	printf("calculator sum: %lld\n", (long long)sum);
	FRPC_CHECK(sum == 5050, "sum %lld, want 5050", (long long)sum);

	v[37] = 1000;
	v[99] = -7;
	a[1] = buf_arg(&max, sizeof(max));
	expect("calculator max", lib.invoke(h, REMOTE_SCALARS_MAKE(3, 1, 1), a), 0);
	printf("calculator max: %d\n", max);
	FRPC_CHECK(max == 1000, "max %d, want 1000", max);

	/* no such method: the skel's AEE_EUNSUPPORTED */
	expect("calculator method 9",
	       lib.invoke(h, REMOTE_SCALARS_MAKE(9, 1, 1), a), 0x80000414);
}

/* echo: out[i] = in[i], from heap buffers and from an rpcmem one */
static void echo(remote_handle64 h)
{
	size_t big = 256 << 10;
	char small_in[61], small_out[61];
	unsigned char *in = malloc(big), *out = malloc(big), *rpc;
	remote_arg a[4];

	FRPC_CHECK(in && out, "no memory");
	frpc_fill(small_in, sizeof(small_in), 1);
	frpc_fill(in, big, 2);
	memset(small_out, 0, sizeof(small_out));
	memset(out, 0, big);
	a[0] = buf_arg(small_in, sizeof(small_in));
	a[1] = buf_arg(in, big);
	a[2] = buf_arg(small_out, sizeof(small_out));
	a[3] = buf_arg(out, big);
	expect("echo heap", lib.invoke(h, REMOTE_SCALARS_MAKE(2, 2, 2), a), 0);
	FRPC_CHECK(frpc_mismatch(small_out, sizeof(small_out), 1) < 0 &&
		   frpc_mismatch(out, big, 2) < 0, "echo heap: bytes differ");
	printf("echo heap: %zu and %zu bytes back\n", sizeof(small_out), big);

	/* rpcmem: a dma-buf the library passes by its fd */
	rpc = lib.rpcmem_alloc(RPCMEM_HEAP_ID_SYSTEM, RPCMEM_DEFAULT_FLAGS, big);
	FRPC_CHECK(rpc, "rpcmem_alloc failed");
	printf("rpcmem fd: %s\n", lib.rpcmem_to_fd(rpc) >= 0 ? "yes" : "no");
	frpc_fill(rpc, big, 3);
	memset(out, 0, big);
	a[0] = buf_arg(rpc, big);
	a[1] = buf_arg(out, big);
	expect("echo rpcmem", lib.invoke(h, REMOTE_SCALARS_MAKE(2, 1, 1), a), 0);
	FRPC_CHECK(frpc_mismatch(out, big, 3) < 0, "echo rpcmem: bytes differ");
	printf("echo rpcmem: %zu bytes back\n", big);
	lib.rpcmem_free(rpc);
	free(in);
	free(out);
}

/* The session, in a child that exits as an application does */
static void session(const char *path)
{
	struct dsp_capability cap = {
		.domain = CDSP_DOMAIN_ID, .attribute_id = UNSIGNED_PD_SUPPORT,
	};
	struct unsigned_module um = { .domain = CDSP_DOMAIN_ID, .enable = 1 };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	remote_handle64 calc = 0, ech = 0;
	pid_t me = getpid();
	int i;

	load(path);
	expect("dsp info", lib.handle_control(DSPRPC_GET_DSP_INFO, &cap,
					      sizeof(cap)), 0);
	printf("unsigned PD support: %u\n", cap.capability);
	expect("unsigned module",
	       lib.session_control(DSPRPC_CONTROL_UNSIGNED_MODULE, &um,
				   sizeof(um)), 0);

	expect("open calculator", lib.open(URI("calculator"), &calc), 0);
	/* the library starts its listener thread after the first open */
	for (i = 0; i < 500 && vdsp_process(me, "parked") < 1; i++)
		nanosleep(&ts, NULL);
	printf("vdsp: process attrs=0x%llx handles=%lld parked=%lld\n",
	       vdsp_process(me, "attrs"), vdsp_process(me, "handles"),
	       vdsp_process(me, "parked"));
	calculator(calc);
	expect("open echo", lib.open(URI("echo"), &ech), 0);
	printf("vdsp: handles=%lld\n", vdsp_process(me, "handles"));
	echo(ech);
	expect("close echo", lib.close(ech), 0);
	/* the last handle closed, the library ends the session there */
	expect("close calculator", lib.close(calc), 0);
	printf("vdsp: process %s after the last close\n",
	       vdsp_process(me, "handles") == -1 ? "gone" : "still there");
	printf("exit\n");
	/* its destructor (close_dev) unloads the rest */
	exit(0);
}

static int run(const char *path)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	static struct calls before, after;
	pid_t pid;
	int i, status;

	read_calls(&before);
	fflush(stdout);
	pid = fork();
	FRPC_CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid)
		session(path);
	FRPC_CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s",
		   strerror(errno));
	FRPC_CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		   "the session ended with status 0x%x", status);
	for (i = 0; i < 500 && vdsp_process(pid, "parked") != -1; i++)
		nanosleep(&ts, NULL);
	FRPC_CHECK(vdsp_process(pid, "parked") == -1,
		   "the vdsp still has the process");
	printf("vdsp: process gone\n");
	read_calls(&after);
	print_calls(&before, &after);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char *shell;
	size_t len = 64 << 10;
	FILE *fp;
	int v = argc > 1 && !strcmp(argv[1], "-v");

	argc -= v;
	argv += v;
	if (argc == 3 && !strcmp(argv[1], "shell")) {
		shell = malloc(len);
		FRPC_CHECK(shell, "no memory");
		frpc_hexagon_shell(shell, len);
		fp = fopen(argv[2], "w");
		FRPC_CHECK(fp && fwrite(shell, len, 1, fp) == 1 && !fclose(fp),
			   "%s: %s", argv[2], strerror(errno));
		free(shell);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "run")) {
		if (v)
			openlog("libcdsprpc", LOG_PERROR, LOG_USER);
		setvbuf(stdout, NULL, _IOLBF, 0);
		return run(argv[2]);
	}
	fprintf(stderr, "usage: cdsprpc_client [-v] shell FILE | run LIBRARY\n");
	return 2;
}
