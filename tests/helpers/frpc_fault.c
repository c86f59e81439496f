// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_fault DOMAIN SCENARIO [ARGS]: a faulty DSP (the vdsp's fault knobs)
 * and hostile clients, seen from the driver's side. Each scenario checks
 * what the callers see and ends with nothing in flight; the bats file
 * checks the driver's debugfs, the kernel log (no splat) and kmemleak.
 *
 *   crash-pending N...
 *                    N calls in flight on one client (their answers held
 *                    back by delay_us), then the DSP crashes: all N get
 *                    EPIPE, nothing stays pending; for each N given
 *   crash-at PHASE...
 *                    the DSP crashes on receipt of a process create
 *                    (create), a MEM_MAP (mem_map) or the release a close
 *                    sends (close): the call fails (or the close returns),
 *                    the node comes back and a new client works; for
 *                    each PHASE given
 *   duplicate N      the DSP answers N echo calls twice: each returns its
 *                    data once, the N second answers are refused
 *   bad-responses    the DSP answers one process's call with the ctx of
 *                    another process's call (a "wrong pid", misroute):
 *                    that call returns early (nothing on the wire tells
 *                    it apart), its real answer is refused later, the
 *                    misled caller stays killable; then answers with a
 *                    ctx nobody sent (corrupt_ctx), with a short length
 *                    (rsp_len 8) and a 64 KiB one: the first two are
 *                    refused and their callers stay killable, the long
 *                    one is read for its 16 bytes; one restart ends the
 *                    3 calls never answered
 *   kill-phases N    N children killed (SIGKILL) at delays spread over
 *                    open, attach, skel open and echo calls of 256 KiB:
 *                    every client goes, nothing stays pending
 *   close-busy       one thread closes the fd while two invoke, one maps
 *                    and unmaps (MMAP) and one MEM_MAPs: every call
 *                    returns 0 or EBADF, the client goes
 *   shared-dmabuf N  one dma-buf (the driver's) used by N clients at once
 *                    (MMAP and invoke by fd), closed in a shuffled order:
 *                    each remaining client still reads it right; a client
 *                    of another DSP (one bank more) gets EBUSY while it is
 *                    on 8 banks, and has it once the N clients are gone
 *   foreign-dmabuf   a system-heap dma-buf, on one bank at a time: two
 *                    clients of one bank share it, a client of another
 *                    bank gets EBUSY until both are gone, then has it
 *   foreign-threads T
 *                    a system-heap dma-buf MMAPed by the clients of one
 *                    bank (3 or more), then passed by fd, as a buffer and
 *                    as a DMA handle (imported anew each call), by T
 *                    threads spread over them at once, bytes checked,
 *                    while a client of another bank gets EBUSY on every
 *                    try; the clients closed in a shuffled order, each
 *                    remaining one still reads it right; then the other
 *                    bank's client has it, and every client goes
 *   heap-banks N     the DSP restarted (no remote heap), then static PDs
 *                    started one per child (one DSP process per tgid),
 *                    each holding its bank, the last one on
 *                    the secure node: the first N-1 start, their banks
 *                    sharing the remote heap; the Nth gets EBUSY (the
 *                    heap on at most 8 banks; cdsp has 9)
 *   uffd-stall PHASE...
 *                    an echo call whose input is a userfaultfd page, its
 *                    fault held while: another client of the channel
 *                    invokes, MMAPs and MEM_MAPs (others: it completes
 *                    meanwhile); another thread closes the fd (close); the
 *                    caller's process is SIGKILLed (kill); the DSP restarts
 *                    and a new client invokes (restart: served, the call
 *                    gets EPIPE); the same with the output page held, the
 *                    DSP having answered (restart-output: served, the
 *                    call returns its data) or the ioctl's struct
 *                    (restart-struct: EPIPE); the caller unloads the vdsp
 *                    (rmmod: "stalled" said, the module gone before the
 *                    fault is served, then EPIPE). Then the fault is
 *                    served: the call returns its data or a clean errno,
 *                    nothing stays pending. A removal that waited for the
 *                    stalled call would never end before the 90 s alarm
 *   attach-fail-late a DSP that attaches a second client of a process,
 *                    then answers an error (fail_late): the driver counts
 *                    no process for it and sends no release, so the DSP
 *                    process and the first client's parked listener stay
 *                    once the process is gone, until the DSP restarts
 *   churn            until SIGTERM: sessions of echo calls, each failure
 *                    a clean "the DSP or driver is gone" (ENOENT, ENODEV,
 *                    EPIPE, ENXIO) while the caller unloads modules
 */
#include "frpc_common.h"
#include "frpc_uffd.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

static const char *domain;

static void vdsp_path(char *path, size_t len, const char *file)
{
	snprintf(path, len, "/sys/kernel/debug/vdsp/%s/%s", domain, file);
}

static void vdsp_knob(const char *knob, const char *val)
{
	frpc_vdsp_knob(domain, knob, val);
}

/* "KEY N" of the vdsp's counters, or "KEY=N" of its status line */
static long long vdsp_value(const char *file, const char *key)
{
	char path[96], line[256], *p;
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	vdsp_path(path, sizeof(path), file);
	f = fopen(path, "r");
	FRPC_CHECK(f, "open %s: %s", path, strerror(errno));
	while (v < 0 && fgets(line, sizeof(line), f)) {
		for (p = line; (p = strstr(p, key)); p++) {
			if ((p == line || p[-1] == ' ') &&
			    (p[klen] == ' ' || p[klen] == '=')) {
				v = strtoll(p + klen + 1, NULL, 0);
				break;
			}
		}
	}
	fclose(f);
	return v;
}

/* Until the DSP has restarted past @before and its node opens again */
static void wait_restarted(long long before, struct frpc *g)
{
	int i;

	for (i = 0; i < 3000; i++) {
		if (vdsp_value("status", "restarts") > before &&
		    !frpc_open(g, domain, 0))
			return;
		usleep(20000);
	}
	frpc_die("the DSP did not come back");
}

/* A new client on the domain works: a sleep call returns 0 */
static void new_client_works(void)
{
	struct frpc g;
	uint32_t h;
	int i;

	/* the node comes back with the DSP */
	for (i = 0; i < 3000 && frpc_open(&g, domain, 0); i++)
		usleep(20000);
	FRPC_CHECK(i < 3000, "the node did not come back");
	FRPC_OK(frpc_attach(&g));
	FRPC_OK(frpc_skel_open(&g, "sleep", &h, NULL, 0));
	FRPC_OK(frpc_usleep(&g, h, 1));
	frpc_close(&g);
}

static void crash(void)
{
	vdsp_knob("crash", "1");
}

static void wait_value(const char *what, long long (*get)(const char *),
		       const char *key, long long want)
{
	long long v = -1;
	int i;

	for (i = 0; i < 3000; i++) {
		v = get(key);
		if (v == want)
			return;
		usleep(10000);
	}
	frpc_die("%s %s is %lld, want %lld", what, key, v, want);
}

static void wait_fd_pending(int fd, long long n)
{
	long long v = -1;
	int i;

	for (i = 0; i < 6000; i++) {
		v = frpc_fdinfo(fd, "pending");
		if (v == n)
			return;
		usleep(10000);
	}
	frpc_die("fdinfo pending is %lld, want %lld", v, n);
}

static long long chan_stat(const char *key)
{
	return frpc_channel_stat(domain, key);
}

static long long vdsp_counter(const char *key)
{
	return vdsp_value("counters", key);
}

/* crash-pending: N calls in flight when the DSP goes */
struct sleeper {
	pthread_t t;
	struct frpc *f;
	uint32_t h;
	int ret;
};

static void *sleeper_run(void *arg)
{
	struct sleeper *s = arg;

	s->ret = frpc_usleep(s->f, s->h, 0);
	return NULL;
}

static void scenario_crash_pending(int n)
{
	struct sleeper *s = calloc(n, sizeof(*s));
	pthread_attr_t attr;
	struct frpc f;
	uint32_t h;
	int i, ret;

	FRPC_CHECK(s, "calloc");
	frpc_session(&f, domain, 0, "sleep", &h);
	/* every answer held back: the calls stay in flight however slow */
	vdsp_knob("delay_us", "600000000");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 << 10);
	for (i = 0; i < n; i++) {
		s[i].f = &f;
		s[i].h = h;
		ret = pthread_create(&s[i].t, &attr, sleeper_run, &s[i]);
		if (ret) {
			vdsp_knob("delay_us", "0");
			frpc_die("pthread_create %d: %s", i, strerror(ret));
		}
	}
	wait_fd_pending(f.fd, n);
	crash();
	vdsp_knob("delay_us", "0");
	for (i = 0; i < n; i++) {
		pthread_join(s[i].t, NULL);
		FRPC_CHECK(s[i].ret == -EPIPE, "call %d: %s", i,
			   strerror(-s[i].ret));
	}
	FRPC_CHECK(frpc_fdinfo(f.fd, "pending") == 0, "fd still pending");
	frpc_close(&f);
	new_client_works();
	printf("ok: DSP crash under %d calls in flight: all got EPIPE, none left pending\n",
	       n);
	free(s);
}

/* crash-at: the DSP goes down on receipt of one init method */
static void crash_at_create(void)
{
	static unsigned char shell[64 * 1024];
	struct frpc f;
	int ret;

	frpc_hexagon_shell(shell, sizeof(shell));
	FRPC_OK(frpc_open(&f, domain, 0));
	vdsp_knob("crash_on", "6");
	ret = frpc_create(&f, shell, sizeof(shell), 0);
	FRPC_CHECK(ret < 0, "create returned %d", ret);
	printf("ok: create: %s\n", strerror(-ret));
	frpc_close(&f);
}

static void crash_at_mem_map(void)
{
	struct frpc_xbuf x;
	struct frpc f;
	uint64_t va;
	int ret;

	frpc_session(&f, domain, 0, NULL, NULL);
	frpc_xbuf_alloc(&f, "heap", 64 << 10, &x);
	vdsp_knob("crash_on", "10");
	ret = frpc_mem_map(&f, x.fd, 0, x.size, FASTRPC_MAP_FD, 0, &va);
	FRPC_CHECK(ret < 0, "mem_map returned %d", ret);
	printf("ok: mem_map: %s\n", strerror(-ret));
	FRPC_CHECK(frpc_fdinfo(f.fd, "maps") <= 0, "fdinfo maps %lld",
		   frpc_fdinfo(f.fd, "maps"));
	frpc_close(&f);
	frpc_xbuf_free(&x);
}

/* A process with a MEM_MAP and an MMAP on the DSP, then its close */
static void crash_at_close(void)
{
	struct frpc_xbuf x, y;
	uint64_t va, va2;
	struct frpc f;

	frpc_session(&f, domain, 0, NULL, NULL);
	frpc_xbuf_alloc(&f, "heap", 64 << 10, &x);
	frpc_xbuf_alloc(&f, "fastrpc", 64 << 10, &y);
	FRPC_OK(frpc_mem_map(&f, x.fd, 0, x.size, FASTRPC_MAP_FD, 0, &va));
	FRPC_OK(frpc_mmap(&f, y.fd, FASTRPC_MMAP_DMA_BUFFER, 0, y.size, &va2));
	vdsp_knob("crash_on", "1");
	frpc_close(&f);
	printf("ok: close returned\n");
	frpc_xbuf_free(&x);
	frpc_xbuf_free(&y);
}

/* A scenario's phases by name */
struct phase {
	const char *name;
	void (*run)(void);
};

static void run_phase(const struct phase *p, const char *name)
{
	for (; p->name; p++) {
		if (!strcmp(p->name, name)) {
			p->run();
			return;
		}
	}
	frpc_die("unknown phase %s", name);
}

static void scenario_crash_at(const char *phase)
{
	static const struct phase phases[] = {
		{ "create", crash_at_create },
		{ "mem_map", crash_at_mem_map },
		{ "close", crash_at_close },
		{ NULL, NULL },
	};
	long long before = vdsp_value("status", "restarts");
	long long crashed = vdsp_counter("crashed_on");
	struct frpc g;

	run_phase(phases, phase);
	FRPC_CHECK(vdsp_counter("crashed_on") == crashed + 1,
		   "the DSP did not crash on it");
	wait_restarted(before, &g);
	frpc_close(&g);
	new_client_works();
	printf("ok: the DSP came back; a new client works\n");
}

/* duplicate: every answer comes twice */
static void scenario_duplicate(int n)
{
	long long errors = chan_stat("errors");
	unsigned char in[4096], out[4096];
	struct fastrpc_invoke_args a[2];
	char val[16];
	struct frpc f;
	uint32_t h;
	int i;

	frpc_session(&f, domain, 0, "echo", &h);
	snprintf(val, sizeof(val), "%d", n);
	vdsp_knob("duplicate", val);
	for (i = 0; i < n; i++) {
		frpc_fill(in, sizeof(in), i);
		memset(out, 0, sizeof(out));
		a[0] = frpc_arg(in, sizeof(in));
		a[1] = frpc_arg(out, sizeof(out));
		FRPC_OK(frpc_echo(&f, h, a, 1));
		FRPC_CHECK(frpc_mismatch(out, sizeof(out), i) < 0,
			   "echo %d: wrong data", i);
	}
	wait_value("channel", chan_stat, "errors", errors + n);
	FRPC_CHECK(chan_stat("pending") == 0, "channel pending");
	frpc_close(&f);
	printf("ok: %d calls answered twice: each returned its data once, %d second answers refused\n",
	       n, n);
}

/*
 * A child whose sleep call is never answered, the knob set once its
 * session is up (the knob acts on the next answer); returns its pid
 */
static pid_t start_unanswered(const char *knob, const char *val,
			      const char *counter)
{
	long long before = vdsp_counter(counter);
	int up[2], go[2];
	pid_t pid;
	char c;

	FRPC_CHECK(!pipe(up) && !pipe(go), "pipe");
	pid = fork();
	FRPC_CHECK(pid >= 0, "fork");
	if (!pid) {
		struct frpc f;
		uint32_t h;

		frpc_session(&f, domain, 0, "sleep", &h);
		FRPC_CHECK(write(up[1], "u", 1) == 1, "pipe");
		FRPC_CHECK(read(go[0], &c, 1) == 1, "pipe");
		frpc_usleep(&f, h, 0);
		_exit(3);	/* never: killed while waiting */
	}
	FRPC_CHECK(read(up[0], &c, 1) == 1, "the child's session");
	vdsp_knob(knob, val);
	FRPC_CHECK(write(go[1], "g", 1) == 1, "pipe");
	wait_value("vdsp", vdsp_counter, counter, before + 1);
	close(up[0]);
	close(up[1]);
	close(go[0]);
	close(go[1]);
	return pid;
}

static void kill_and_reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	FRPC_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	FRPC_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		   "the unanswered caller ended otherwise (status %#x)",
		   status);
}

/* Another client's echo of 4 KiB returns its data */
static void echo_works(void)
{
	unsigned char in[4096], out[4096];
	struct fastrpc_invoke_args a[2];
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	frpc_fill(in, sizeof(in), 7);
	a[0] = frpc_arg(in, sizeof(in));
	a[1] = frpc_arg(out, sizeof(out));
	FRPC_OK(frpc_echo(&f, h, a, 1));
	FRPC_CHECK(frpc_mismatch(out, sizeof(out), 7) < 0, "echo: wrong data");
	frpc_close(&f);
}

static void scenario_misroute(void);

static void scenario_bad_responses(void)
{
	long long restarts = vdsp_value("status", "restarts");
	long long errors;
	pid_t a, b;
	struct frpc g;

	scenario_misroute();
	errors = chan_stat("errors");

	a = start_unanswered("corrupt_ctx", "1", "corrupted");
	wait_value("channel", chan_stat, "errors", errors + 1);
	printf("ok: an answer naming a ctx nobody sent is refused\n");
	b = start_unanswered("rsp_len", "8", "resized");
	wait_value("channel", chan_stat, "errors", errors + 2);
	printf("ok: an 8-byte answer is refused\n");
	echo_works();
	printf("ok: another client's call is answered meanwhile\n");
	vdsp_knob("rsp_len", "65536");
	echo_works();
	FRPC_CHECK(chan_stat("errors") == errors + 2, "the long answer");
	printf("ok: a 65536-byte answer is read for its first 16 bytes\n");
	kill_and_reap(a);
	kill_and_reap(b);
	printf("ok: both unanswered callers die on SIGKILL\n");
	/* their calls, and the misled one, stay in flight until the DSP
	 * answers or goes */
	wait_value("channel", chan_stat, "clients", 0);
	FRPC_CHECK(chan_stat("pending") == 3, "channel pending %lld, want 3",
		   chan_stat("pending"));
	crash();
	wait_restarted(restarts, &g);
	frpc_close(&g);
	FRPC_CHECK(chan_stat("pending") == 0, "pending after the restart");
	printf("ok: the DSP's restart ends the 3 calls it never answered\n");
}

/* misroute: one process's answer carries another process's ctx */
static void scenario_misroute(void)
{
	long long errors = chan_stat("errors");
	int status, pipefd[2];
	pid_t victim, misled;
	char c;

	FRPC_CHECK(!pipe(pipefd), "pipe");
	victim = fork();
	FRPC_CHECK(victim >= 0, "fork");
	if (!victim) {
		struct frpc f;
		uint32_t h;
		int ret;

		frpc_session(&f, domain, 0, "sleep", &h);
		FRPC_CHECK(write(pipefd[1], "s", 1) == 1, "pipe");
		ret = frpc_usleep(&f, h, 4000000);
		/* still asleep on the DSP when its call returned? */
		_exit(ret ? 2 : vdsp_counter("sleeping") > 0 ? 0 : 1);
	}
	FRPC_CHECK(read(pipefd[0], &c, 1) == 1, "pipe");
	wait_value("vdsp", vdsp_counter, "sleeping", 1);
	misled = start_unanswered("misroute", "1", "misrouted");
	FRPC_CHECK(waitpid(victim, &status, 0) == victim, "waitpid");
	FRPC_CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		   "the other process's call: status %#x", status);
	printf("ok: the answer went to another process's call, which returned 0 early\n");
	wait_value("channel", chan_stat, "errors", errors + 1);
	printf("ok: that call's own answer, later, is refused\n");
	kill_and_reap(misled);
	printf("ok: the caller left unanswered dies on SIGKILL\n");
}

/* kill-phases: SIGKILL at every point of a client's life */
static void echo_forever(void)
{
	static unsigned char in[256 << 10], out[256 << 10];
	struct fastrpc_invoke_args a[2];
	struct frpc f;
	uint32_t h;

	frpc_session(&f, domain, 0, "echo", &h);
	frpc_fill(in, sizeof(in), 3);
	a[0] = frpc_arg(in, sizeof(in));
	a[1] = frpc_arg(out, sizeof(out));
	for (;;) {
		FRPC_OK(frpc_echo(&f, h, a, 1));
		FRPC_CHECK(frpc_mismatch(out, sizeof(out), 3) < 0, "wrong data");
	}
}

static void scenario_kill_phases(int n)
{
	int i, status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		FRPC_CHECK(pid >= 0, "fork");
		if (!pid)
			echo_forever();
		/* 0 to 95 ms in steps of 5: from open to many calls in */
		usleep((i % 20) * 5000);
		kill(pid, SIGKILL);
		FRPC_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
		FRPC_CHECK(WIFSIGNALED(status), "child %d ended on its own (%#x)",
			   i, status);
	}
	wait_value("channel", chan_stat, "clients", 0);
	wait_value("channel", chan_stat, "pending", 0);
	echo_works();
	printf("ok: %d clients killed at delays over open, attach and calls: all gone, none pending\n",
	       n);
}

/* close-busy: the fd closed under threads that invoke and map */
struct busy {
	pthread_t t;
	struct frpc *f;
	uint32_t h;
	int kind;		/* 0 invoke, 1 MMAP, 2 MEM_MAP */
	struct frpc_xbuf *x;
	long ok, ebadf;
	int other;		/* an errno that is neither */
};

static atomic_int busy_stop;

static int busy_once(struct busy *b)
{
	unsigned char in[1024], out[1024];
	struct fastrpc_invoke_args a[2];
	uint64_t va;
	int ret;

	switch (b->kind) {
	case 0:
		frpc_fill(in, sizeof(in), 1);
		a[0] = frpc_arg(in, sizeof(in));
		a[1] = frpc_arg(out, sizeof(out));
		ret = frpc_echo(b->f, b->h, a, 1);
		if (!ret && frpc_mismatch(out, sizeof(out), 1) >= 0)
			ret = -EILSEQ;
		return ret;
	case 1:
		ret = frpc_mmap(b->f, b->x->fd, FASTRPC_MMAP_DMA_BUFFER, 0,
				b->x->size, &va);
		return ret ? ret : frpc_munmap(b->f, va, b->x->size);
	default:
		ret = frpc_mem_map(b->f, b->x->fd, 0, b->x->size,
				   FASTRPC_MAP_FD, 0, &va);
		return ret ? ret : frpc_mem_unmap(b->f, b->x->fd, va,
						  b->x->size);
	}
}

static void *busy_run(void *arg)
{
	struct busy *b = arg;
	int ret;

	while (!atomic_load(&busy_stop) && !b->other) {
		ret = busy_once(b);
		if (!ret)
			b->ok++;
		else if (ret == -EBADF)
			b->ebadf++;
		else
			b->other = -ret;
		if (b->ebadf > 100)
			break;
	}
	return NULL;
}

static void scenario_close_busy(void)
{
	struct busy b[4] = { 0 };
	struct frpc_xbuf x[2];
	long long id;
	struct frpc f;
	uint32_t h;
	int i;

	frpc_session(&f, domain, 0, "echo", &h);
	id = frpc_fdinfo(f.fd, "client");
	frpc_xbuf_alloc(&f, "heap", 64 << 10, &x[0]);
	frpc_xbuf_alloc(&f, "heap", 64 << 10, &x[1]);
	for (i = 0; i < 4; i++) {
		b[i] = (struct busy){ .f = &f, .h = h, .kind = i < 2 ? 0 : i - 1,
				      .x = &x[i & 1] };
		FRPC_CHECK(!pthread_create(&b[i].t, NULL, busy_run, &b[i]),
			   "pthread_create");
	}
	for (i = 0; i < 4; i++)
		while (!b[i].ok && !b[i].other)
			usleep(10000);
	usleep(50000);
	close(f.fd);
	usleep(200000);
	atomic_store(&busy_stop, 1);
	for (i = 0; i < 4; i++) {
		pthread_join(b[i].t, NULL);
		FRPC_CHECK(!b[i].other, "thread %d (kind %d): %s", i, b[i].kind,
			   strerror(b[i].other));
		FRPC_CHECK(b[i].ok && b[i].ebadf, "thread %d: %ld ok, %ld EBADF",
			   i, b[i].ok, b[i].ebadf);
	}
	for (i = 0; i < 200 && frpc_client_listed(domain, id); i++)
		usleep(10000);
	FRPC_CHECK(!frpc_client_listed(domain, id), "client %lld still listed",
		   id);
	frpc_xbuf_free(&x[0]);
	frpc_xbuf_free(&x[1]);
	printf("ok: fd closed under 2 invoking and 2 mapping threads: each call 0 or EBADF, the client went\n");
}

/*
 * uffd-stall: an echo call of one page, whose input, output or ioctl
 * struct a userfaultfd holds. The input is frpc_fill(11); the held page
 * is served with that input, with other bytes (an output, which the call
 * must overwrite), or with the call's struct.
 */
enum stall_on { STALL_INPUT, STALL_OUTPUT, STALL_STRUCT };

struct staller {
	pthread_t t;
	struct frpc f;		/* a session with the echo skel open */
	uint32_t h;
	enum stall_on on;
	unsigned char *held;	/* the userfaultfd page */
	unsigned char *in, *out;	/* the echo's, @held or @bufs */
	struct fastrpc_invoke_args a[2];
	atomic_int done;
	int ret;
	unsigned char bufs[2][FRPC_PAGE];
};

static void *staller_run(void *arg)
{
	struct staller *s = arg;

	if (s->on == STALL_STRUCT)
		s->ret = ioctl(s->f.fd, FASTRPC_IOCTL_INVOKE, s->held) ?
			 -errno : 0;
	else
		s->ret = frpc_echo(&s->f, s->h, s->a, 1);
	atomic_store(&s->done, 1);
	return NULL;
}

/* A page of ours whose first touch waits for @uffd */
static unsigned char *stall_page(int *uffd)
{
	unsigned char *p = mmap(NULL, FRPC_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	FRPC_CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	*uffd = frpc_uffd_open();
	FRPC_CHECK(*uffd >= 0, "userfaultfd: %s (a kernel without CONFIG_USERFAULTFD?)",
		   strerror(-*uffd));
	FRPC_OK(frpc_uffd_register(*uffd, p, FRPC_PAGE));
	return p;
}

/*
 * Opens @s's session, starts its echo call and waits until the driver's
 * copy of it stalls on the page @on names
 */
static void stall_start(struct staller *s, int *uffd, enum stall_on on)
{
	uint64_t page;
	int r;

	frpc_session(&s->f, domain, 0, "echo", &s->h);
	s->on = on;
	s->held = stall_page(uffd);
	s->in = on == STALL_INPUT ? s->held : s->bufs[0];
	s->out = on == STALL_OUTPUT ? s->held : s->bufs[1];
	if (on != STALL_INPUT)
		frpc_fill(s->in, FRPC_PAGE, 11);
	s->a[0] = frpc_arg(s->in, FRPC_PAGE);
	s->a[1] = frpc_arg(s->out, FRPC_PAGE);
	FRPC_CHECK(!pthread_create(&s->t, NULL, staller_run, s),
		   "pthread_create");
	r = frpc_uffd_next(*uffd, 60000, &page);
	FRPC_CHECK(r == 1 && page == (uintptr_t)s->held,
		   "the call did not fault on its held page (%d)", r);
	FRPC_CHECK(!atomic_load(&s->done), "the call returned past its fault");
}

/* Serves the held page and waits for the call; its data checked if 0 */
static void stall_release(struct staller *s, int uffd)
{
	static unsigned char src[FRPC_PAGE];
	struct fastrpc_invoke inv = {
		.handle = s->h, .sc = FASTRPC_SC(ECHO_METHOD_COPY, 1, 1),
		.args = (uintptr_t)s->a,
	};

	if (s->on == STALL_INPUT)
		frpc_fill(src, sizeof(src), 11);
	else if (s->on == STALL_OUTPUT)
		frpc_fill(src, sizeof(src), 12);
	else
		memcpy(src, &inv, sizeof(inv));
	FRPC_OK(frpc_uffd_serve(uffd, (uintptr_t)s->held, src));
	pthread_join(s->t, NULL);
	close(uffd);
	if (!s->ret)
		FRPC_CHECK(frpc_mismatch(s->out, FRPC_PAGE, 11) < 0,
			   "the stalled call returned wrong data");
}

/* Another client of the channel: echo, MMAP, MEM_MAP, each undone */
static void other_client_works(void)
{
	struct frpc_xbuf x;
	struct frpc g;
	uint64_t va;

	echo_works();
	frpc_session(&g, domain, 0, NULL, NULL);
	frpc_xbuf_alloc(&g, "fastrpc", 64 << 10, &x);
	FRPC_OK(frpc_mmap(&g, -1, FASTRPC_MMAP_ADD_PAGES, 0, 64 << 10, &va));
	FRPC_OK(frpc_munmap(&g, va, 64 << 10));
	FRPC_OK(frpc_mem_map(&g, x.fd, 0, x.size, FASTRPC_MAP_FD, 0, &va));
	FRPC_OK(frpc_mem_unmap(&g, x.fd, va, x.size));
	frpc_xbuf_free(&x);
	frpc_close(&g);
}

static void stall_others(void)
{
	struct staller s = { 0 };
	int uffd;

	stall_start(&s, &uffd, STALL_INPUT);
	other_client_works();
	FRPC_CHECK(!atomic_load(&s.done), "the stalled call returned early");
	printf("ok: others: another client invoked, MMAPed and MEM_MAPed while the call stalled\n");
	stall_release(&s, uffd);
	FRPC_CHECK(!s.ret, "the stalled call: %s", strerror(-s.ret));
	FRPC_CHECK(frpc_fdinfo(s.f.fd, "pending") == 0, "fd still pending");
	frpc_close(&s.f);
	printf("ok: others: served, the call returned its data\n");
}

static void stall_close(void)
{
	struct staller s = { 0 };
	long long id;
	int uffd, i;

	stall_start(&s, &uffd, STALL_INPUT);
	id = frpc_fdinfo(s.f.fd, "client");
	FRPC_CHECK(!close(s.f.fd), "close: %s", strerror(errno));
	FRPC_CHECK(!atomic_load(&s.done), "the stalled call returned early");
	stall_release(&s, uffd);
	FRPC_CHECK(!s.ret || s.ret == -EBADF, "the stalled call: %s",
		   strerror(-s.ret));
	for (i = 0; i < 500 && frpc_client_listed(domain, id); i++)
		usleep(10000);
	FRPC_CHECK(!frpc_client_listed(domain, id), "client %lld still listed",
		   id);
	printf("ok: close: the fd closed under the stalled call; served, it returned %s; the client went\n",
	       s.ret ? "EBADF" : "its data");
}

/*
 * A child that runs @fn and then waits to be killed, holding all it has:
 * its pid once @fn returned
 */
static pid_t child_holding(void (*fn)(void))
{
	int up[2];
	pid_t pid;
	char c;

	FRPC_CHECK(!pipe(up), "pipe");
	pid = fork();
	FRPC_CHECK(pid >= 0, "fork");
	if (!pid) {
		fn();
		FRPC_CHECK(write(up[1], "r", 1) == 1, "pipe");
		for (;;)
			pause();
	}
	FRPC_CHECK(read(up[0], &c, 1) == 1, "the child failed");
	close(up[0]);
	close(up[1]);
	return pid;
}

static void stalled_child(void)
{
	static struct staller s;
	int uffd;

	stall_start(&s, &uffd, STALL_INPUT);
}

static void stall_kill(void)
{
	kill_and_reap(child_holding(stalled_child));
	wait_value("channel", chan_stat, "clients", 0);
	wait_value("channel", chan_stat, "pending", 0);
	echo_works();
	printf("ok: kill: the stalled caller died on SIGKILL with its fault held; its client went\n");
}

/*
 * The DSP restarts while the call's fault is held, and a new client
 * invokes on the new channel, before the fault is served. A call stalled
 * before its send gets EPIPE once served; one stalled in its output
 * (the DSP answered) returns 0 and its data.
 */
static void stall_restart_on(enum stall_on on, const char *what)
{
	long long restarts = vdsp_value("status", "restarts");
	int want = on == STALL_OUTPUT ? 0 : -EPIPE;
	struct staller s = { 0 };
	struct frpc g;
	int uffd;

	stall_start(&s, &uffd, on);
	crash();
	wait_restarted(restarts, &g);
	frpc_close(&g);
	new_client_works();
	FRPC_CHECK(!atomic_load(&s.done), "the stalled call returned early");
	printf("ok: %s: the DSP restarted and a new client invoked while the fault was held\n",
	       what);
	stall_release(&s, uffd);
	FRPC_CHECK(s.ret == want, "the stalled call after the restart: %s",
		   s.ret ? strerror(-s.ret) : "0");
	frpc_close(&s.f);
	wait_value("channel", chan_stat, "pending", 0);
	printf("ok: %s: served, the call returned %s\n", what,
	       want ? "EPIPE" : "its data");
}

static void stall_restart(void)
{
	stall_restart_on(STALL_INPUT, "restart");
}

static void stall_restart_output(void)
{
	stall_restart_on(STALL_OUTPUT, "restart-output");
}

static void stall_restart_struct(void)
{
	stall_restart_on(STALL_STRUCT, "restart-struct");
}

/*
 * Says "stalled", then waits for the vdsp module to be gone (the caller
 * unloads it) with the fault still held; served, the call gets EPIPE
 */
static void stall_rmmod(void)
{
	struct staller s = { 0 };
	int uffd, i;

	stall_start(&s, &uffd, STALL_INPUT);
	printf("stalled\n");
	fflush(stdout);
	for (i = 0; i < 3000 && !access("/sys/module/vdsp", F_OK); i++)
		usleep(20000);
	FRPC_CHECK(i < 3000, "vdsp still loaded after 60 s with the fault held");
	FRPC_CHECK(!atomic_load(&s.done), "the stalled call returned early");
	stall_release(&s, uffd);
	FRPC_CHECK(s.ret == -EPIPE, "the stalled call after rmmod: %s",
		   s.ret ? strerror(-s.ret) : "0");
	frpc_close(&s.f);
	printf("ok: rmmod: the vdsp went with the fault held; served, the call got EPIPE\n");
}

static void scenario_uffd_stall(const char *phase)
{
	static const struct phase phases[] = {
		{ "others", stall_others },
		{ "close", stall_close },
		{ "kill", stall_kill },
		{ "restart", stall_restart },
		{ "restart-output", stall_restart_output },
		{ "restart-struct", stall_restart_struct },
		{ "rmmod", stall_rmmod },
		{ NULL, NULL },
	};

	/*
	 * A stall nobody serves must not hang the suite: SIGALRM kills us,
	 * which closes the userfaultfd and so releases the fault
	 */
	alarm(90);
	run_phase(phases, phase);
	alarm(0);
}

/* attach-fail-late: the DSP attaches, then says it failed */
static int vdsp_proc_value(pid_t tgid, const char *key)
{
	char path[96], line[512], want[32], *p;
	int v = -1;
	FILE *f;

	vdsp_path(path, sizeof(path), "processes");
	snprintf(want, sizeof(want), "tgid=%d ", tgid);
	f = fopen(path, "r");
	FRPC_CHECK(f, "open %s: %s", path, strerror(errno));
	while (v < 0 && fgets(line, sizeof(line), f)) {
		if (!strstr(line, want))
			continue;
		p = strstr(line, key);
		if (p && p[strlen(key)] == '=')
			v = atoi(p + strlen(key) + 1);
	}
	fclose(f);
	return v;
}

static void *listener_run(void *arg)
{
	/* next_invoke: parks on the DSP until its process goes */
	frpc_invoke(arg, FASTRPC_HANDLE_LISTENER,
		    FASTRPC_SC(LISTENER_METHOD_NEXT, 0, 0), NULL);
	return NULL;
}

/* A listener parked on the first client, then a second attach told EIO */
static void attach_twice(void)
{
	static struct frpc a, b;
	pthread_t t;
	int ret;

	frpc_session(&a, domain, 0, NULL, NULL);
	FRPC_CHECK(!pthread_create(&t, NULL, listener_run, &a),
		   "pthread_create");
	while (vdsp_proc_value(getpid(), "parked") != 1)
		usleep(10000);
	FRPC_OK(frpc_open(&b, domain, 0));
	vdsp_knob("fail_errno", "5");
	vdsp_knob("fail_late", "1");
	ret = frpc_attach(&b);
	FRPC_CHECK(ret == -EIO, "the second attach: %s",
		   ret ? strerror(-ret) : "0");
	FRPC_CHECK(vdsp_proc_value(getpid(), "sessions") == 2,
		   "the DSP process has %d sessions, want 2",
		   vdsp_proc_value(getpid(), "sessions"));
}

static void scenario_attach_fail_late(void)
{
	long long restarts = vdsp_value("status", "restarts");
	struct frpc g;
	pid_t pid;
	int i;

	pid = child_holding(attach_twice);
	printf("ok: the second attach got EIO; the DSP counts 2 sessions of the process\n");
	kill_and_reap(pid);
	/* the first client's release leaves the second's session */
	for (i = 0; i < 3000 && vdsp_proc_value(pid, "sessions") != 1; i++)
		usleep(10000);
	wait_value("channel", chan_stat, "pending", 1);
	FRPC_CHECK(vdsp_proc_value(pid, "sessions") == 1 &&
		   vdsp_proc_value(pid, "parked") == 1,
		   "the DSP process: sessions %d, parked %d",
		   vdsp_proc_value(pid, "sessions"),
		   vdsp_proc_value(pid, "parked"));
	printf("ok: the process gone, its DSP process stays with 1 session and the listener parked\n");
	crash();
	wait_restarted(restarts, &g);
	frpc_close(&g);
	wait_value("channel", chan_stat, "clients", 0);
	wait_value("channel", chan_stat, "pending", 0);
	FRPC_CHECK(vdsp_proc_value(pid, "sessions") == -1,
		   "the DSP process outlived the restart");
	printf("ok: the DSP's restart ends both\n");
}

/* shared-dmabuf: one dma-buf, many clients (banks), closed shuffled */
struct sharer {
	pthread_t t;
	struct frpc f;
	uint32_t h;
	uint64_t va;
	long long sid;		/* its bank's stream id */
	int err;
	unsigned char out[64 << 10];
};

static struct frpc_xbuf shared;

/* An echo of the shared dma-buf's first 64 KiB, passed by fd */
static int sharer_check(struct sharer *s)
{
	struct fastrpc_invoke_args a[2];
	int ret;

	a[0] = frpc_arg_fd(shared.fd, shared.p, sizeof(s->out));
	a[1] = frpc_arg(s->out, sizeof(s->out));
	ret = frpc_echo(&s->f, s->h, a, 1);
	if (!ret && frpc_mismatch(s->out, sizeof(s->out), 9) >= 0)
		ret = -EILSEQ;
	return ret;
}

/* MMAP of the shared dma-buf, then an echo of it by fd: 0 or -errno */
static int sharer_use(struct sharer *s)
{
	int err;

	err = frpc_mmap(&s->f, shared.fd, FASTRPC_MMAP_DMA_BUFFER, 0,
			shared.size, &s->va);
	return err ? err : sharer_check(s);
}

static void *sharer_start(void *arg)
{
	struct sharer *s = arg;

	s->err = sharer_use(s);
	return NULL;
}

/* 0 .. @n - 1 in an order @seed chooses */
static void shuffled(int *order, int n, unsigned int *seed)
{
	int i, j, k;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rand_r(seed) % (i + 1);
		k = order[i];
		order[i] = order[j];
		order[j] = k;
	}
}

/* The number of context banks @n clients are on */
static int sharer_banks(struct sharer *s, int n)
{
	unsigned long long seen = 0;
	int i, banks = 0;

	for (i = 0; i < n; i++) {
		FRPC_CHECK(s[i].sid >= 0 && s[i].sid < 64, "client %d: sid %lld",
			   i, s[i].sid);
		if (!(seen & 1ULL << s[i].sid))
			banks++;
		seen |= 1ULL << s[i].sid;
	}
	return banks;
}

/* Another DSP than ours: its banks are banks more */
static const char *other_domain(void)
{
	return strcmp(domain, "adsp") ? "adsp" : "cdsp";
}

/*
 * @x, a client of another DSP, uses the shared driver dma-buf while
 * @banks banks map it: EBUSY from 8 on (FASTRPC_MAX_BUF_BANKS)
 */
static void ninth_bank(struct sharer *x, int banks)
{
	int want = banks >= 8 ? -EBUSY : 0;
	int err = sharer_use(x);

	FRPC_CHECK(err == want, "%s client, the dma-buf on %d banks: %s",
		   other_domain(), banks, strerror(-err));
	if (!want) {
		FRPC_OK(frpc_munmap(&x->f, x->va, shared.size));
		return;
	}
	err = sharer_check(x);
	FRPC_CHECK(err == want, "%s client, invoke by fd: %s",
		   other_domain(), strerror(-err));
}

static void scenario_shared_dmabuf(int n)
{
	struct sharer *s = calloc(n, sizeof(*s)), *x = calloc(1, sizeof(*x));
	int *order = calloc(n, sizeof(*order));
	unsigned int seed = 1;
	int i, j, banks;

	FRPC_CHECK(s && x && order, "calloc");
	for (i = 0; i < n; i++) {
		frpc_session(&s[i].f, domain, 0, "echo", &s[i].h);
		s[i].sid = frpc_fdinfo(s[i].f.fd, "sid");
	}
	frpc_session(&x->f, other_domain(), 0, "echo", &x->h);
	frpc_xbuf_alloc(&s[0].f, "fastrpc", 1 << 20, &shared);
	frpc_fill(shared.p, 64 << 10, 9);
	for (i = 0; i < n; i++)
		FRPC_CHECK(!pthread_create(&s[i].t, NULL, sharer_start, &s[i]),
			   "pthread_create");
	for (i = 0; i < n; i++) {
		pthread_join(s[i].t, NULL);
		FRPC_CHECK(!s[i].err, "client %d: %s", i, strerror(-s[i].err));
	}
	banks = sharer_banks(s, n);
	printf("ok: %d clients on %d banks mapped one dma-buf at once and read it back\n",
	       n, banks);
	ninth_bank(x, banks);
	printf("ok: one bank more (%s): %s\n", other_domain(),
	       banks >= 8 ? "EBUSY for MMAP and invoke by fd" : "mapped");
	shuffled(order, n, &seed);
	for (i = 0; i < n; i++) {
		frpc_close(&s[order[i]].f);
		for (j = i + 1; j < n; j++)
			FRPC_CHECK(!sharer_check(&s[order[j]]),
				   "client %d after %d closed", order[j],
				   order[i]);
	}
	wait_value("channel", chan_stat, "clients", 0);
	printf("ok: closed in a shuffled order, each remaining client still read it right\n");
	ninth_bank(x, 0);
	printf("ok: then the %s client mapped it and read it right\n",
	       other_domain());
	frpc_close(&x->f);
	FRPC_CHECK(frpc_mismatch(shared.p, 64 << 10, 9) < 0, "buffer changed");
	frpc_xbuf_free(&shared);
	free(s);
	free(x);
	free(order);
}

/* The first of @n clients whose bank is (@same) or is not bank @sid */
static int sharer_find(struct sharer *s, int n, long long sid, int same)
{
	int i;

	for (i = 0; i < n; i++)
		if ((s[i].sid == sid) == same)
			return i;
	return -1;
}

/* foreign-dmabuf: a system-heap dma-buf on one bank at a time */
static void scenario_foreign_dmabuf(void)
{
	enum { MAX_CLIENTS = 16 };
	struct sharer *s = calloc(MAX_CLIENTS, sizeof(*s));
	int a = -1, b, c, n, i, err;

	FRPC_CHECK(s, "calloc");
	/* banks go least used first: open clients until two share one */
	for (n = 0; n < MAX_CLIENTS && a < 0; n++) {
		frpc_session(&s[n].f, domain, 0, "echo", &s[n].h);
		s[n].sid = frpc_fdinfo(s[n].f.fd, "sid");
		a = sharer_find(s, n, s[n].sid, 1);
	}
	FRPC_CHECK(a >= 0, "no two of %d clients on one bank", n);
	b = n - 1;
	c = sharer_find(s, n, s[a].sid, 0);
	FRPC_CHECK(c >= 0, "no client on another bank than %lld", s[a].sid);
	frpc_xbuf_alloc(&s[0].f, "heap", 1 << 20, &shared);
	frpc_fill(shared.p, 64 << 10, 9);
	FRPC_OK(sharer_use(&s[a]));
	FRPC_OK(sharer_use(&s[b]));
	printf("ok: a heap dma-buf used by 2 clients of bank %lld at once\n",
	       s[a].sid);
	err = sharer_use(&s[c]);
	FRPC_CHECK(err == -EBUSY, "bank %lld: MMAP: %s", s[c].sid,
		   strerror(-err));
	err = sharer_check(&s[c]);
	FRPC_CHECK(err == -EBUSY, "bank %lld: invoke by fd: %s", s[c].sid,
		   strerror(-err));
	printf("ok: a client of bank %lld meanwhile: EBUSY for MMAP and invoke by fd\n",
	       s[c].sid);
	FRPC_OK(frpc_munmap(&s[a].f, s[a].va, shared.size));
	FRPC_OK(frpc_munmap(&s[b].f, s[b].va, shared.size));
	frpc_close(&s[a].f);
	frpc_close(&s[b].f);
	/* their imports go with their last map: the close's, not later */
	FRPC_OK(sharer_use(&s[c]));
	FRPC_OK(frpc_munmap(&s[c].f, s[c].va, shared.size));
	printf("ok: once those 2 closed, the client of bank %lld had it\n",
	       s[c].sid);
	for (i = 0; i < n; i++)
		frpc_close(&s[i].f);
	FRPC_CHECK(frpc_mismatch(shared.p, 64 << 10, 9) < 0, "buffer changed");
	frpc_xbuf_free(&shared);
	wait_value("channel", chan_stat, "clients", 0);
	free(s);
}

/* foreign-threads: one thread's echo calls of the shared heap dma-buf */
struct hammer {
	pthread_t t;
	struct sharer *s;
	unsigned int id;
	unsigned long n;
	int err;
};

static void *hammer_run(void *arg)
{
	static __thread unsigned char out[4096];
	struct fastrpc_invoke_args a[3];
	struct hammer *m = arg;
	uint32_t x = m->id + 1;
	unsigned long i;

	for (i = 0; i < m->n && !m->err; i++) {
		size_t len, off;

		x = x * 1103515245u + 12345u;
		len = 1 + (x >> 8) % sizeof(out);
		off = (x >> 4) % ((64 << 10) - len);
		memset(out, 0, len);
		a[0] = frpc_arg_fd(shared.fd, shared.p + off, len);
		a[1] = frpc_arg(out, len);
		/* the DSP's fd list lets it go: a new import of it each call */
		a[2] = frpc_arg_fd(shared.fd, NULL, shared.size);
		m->err = frpc_invoke(&m->s->f, m->s->h,
				     FASTRPC_SC_BUILD(0, ECHO_METHOD_COPY, 1, 1,
						      1, 0), a);
		if (!m->err && memcmp(out, shared.p + off, len))
			m->err = -EILSEQ;
	}
	return NULL;
}

/* @arg, a client of another bank: EBUSY on every try until told to stop */
static atomic_int probe_stop;
static long probe_tries;
static int probe_err;

static void *probe_run(void *arg)
{
	while (!atomic_load(&probe_stop) && !probe_err) {
		int err = sharer_check(arg);

		probe_err = err == -EBUSY ? 0 : err ? err : -EEXIST;
		probe_tries++;
	}
	return NULL;
}

static void scenario_foreign_threads(int nthreads)
{
	enum { MAX_CLIENTS = 16, MIN_SHARERS = 3 };
	struct sharer *s = calloc(MAX_CLIENTS, sizeof(*s));
	struct hammer *m = calloc(nthreads, sizeof(*m));
	int on[MAX_CLIENTS], order[MAX_CLIENTS], non = 0, n, i, j, c = -1;
	unsigned int seed = 7;
	pthread_t probe;
	long long sid = -1;

	FRPC_CHECK(s && m && nthreads > 0, "foreign-threads: T > 0");
	/* banks go least used first: open clients until 3 share one */
	for (n = 0; n < MAX_CLIENTS && non < MIN_SHARERS; n++) {
		frpc_session(&s[n].f, domain, 0, "echo", &s[n].h);
		s[n].sid = frpc_fdinfo(s[n].f.fd, "sid");
		for (non = 0, i = 0; i <= n; i++)
			if (s[i].sid == s[n].sid)
				on[non++] = i;
		sid = s[n].sid;
	}
	FRPC_CHECK(non >= MIN_SHARERS, "no %d of %d clients on one bank",
		   MIN_SHARERS, n);
	c = sharer_find(s, n, sid, 0);
	FRPC_CHECK(c >= 0, "no client on another bank than %lld", sid);
	frpc_xbuf_alloc(&s[0].f, "heap", 1 << 20, &shared);
	frpc_fill(shared.p, 64 << 10, 9);
	/* their MMAPs hold the import on bank @sid throughout */
	for (i = 0; i < non; i++)
		FRPC_OK(sharer_use(&s[on[i]]));
	FRPC_CHECK(!pthread_create(&probe, NULL, probe_run, &s[c]),
		   "pthread_create");
	for (i = 0; i < nthreads; i++) {
		m[i] = (struct hammer){ .s = &s[on[i % non]], .id = i, .n = 100 };
		FRPC_CHECK(!pthread_create(&m[i].t, NULL, hammer_run, &m[i]),
			   "pthread_create");
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(m[i].t, NULL);
		FRPC_CHECK(!m[i].err, "thread %d: %s", i, strerror(-m[i].err));
	}
	atomic_store(&probe_stop, 1);
	pthread_join(probe, NULL);
	FRPC_CHECK(!probe_err, "bank %lld, try %ld: %s", s[c].sid, probe_tries,
		   strerror(-probe_err));
	printf("ok: %d threads of %d clients of bank %lld passed one heap dma-buf by fd at once, every byte checked\n",
	       nthreads, non, sid);
	printf("ok: a client of bank %lld meanwhile: EBUSY on each of %ld tries\n",
	       s[c].sid, probe_tries);
	shuffled(order, non, &seed);
	for (i = 0; i < non; i++) {
		frpc_close(&s[on[order[i]]].f);
		for (j = i + 1; j < non; j++)
			FRPC_OK(sharer_check(&s[on[order[j]]]));
		if (i < non - 1)
			FRPC_CHECK(sharer_check(&s[c]) == -EBUSY,
				   "bank %lld with %d clients left on %lld: not EBUSY",
				   s[c].sid, non - 1 - i, sid);
	}
	printf("ok: closed in a shuffled order, each remaining client still read it right\n");
	/* the last map of it on bank @sid went with the last close */
	FRPC_OK(sharer_use(&s[c]));
	FRPC_OK(frpc_munmap(&s[c].f, s[c].va, shared.size));
	for (i = 0; i < n; i++)
		frpc_close(&s[i].f);
	FRPC_CHECK(frpc_mismatch(shared.p, 64 << 10, 9) < 0, "buffer changed");
	frpc_xbuf_free(&shared);
	wait_value("channel", chan_stat, "clients", 0);
	FRPC_CHECK(chan_stat("pending") == 0, "channel pending");
	printf("ok: then the client of bank %lld had it; every client gone, nothing pending\n",
	       s[c].sid);
	free(s);
	free(m);
}

/* One static PD, its result on @res_w, held until @hold_r reads EOF */
static int static_child(int secure, int res_w, int hold_r)
{
	struct frpc f;
	char c;
	int ret;

	ret = frpc_open(&f, domain, secure);
	if (!ret)
		ret = frpc_create_static(&f, "audiopd", 1 << 20);
	if (write(res_w, &ret, sizeof(ret)) != sizeof(ret))
		return 1;
	while (read(hold_r, &c, 1) > 0)
		;
	frpc_close(&f);
	return 0;
}

/* heap-banks: the remote heap on at most 8 banks */
static void scenario_heap_banks(int n)
{
	long long restarts = vdsp_value("status", "restarts");
	int res[2], hold[2], i, ret;
	struct frpc g;
	pid_t pid[16];

	FRPC_CHECK(n >= 2 && n <= 16, "heap-banks: N from 2 to 16");
	/* a fresh channel: the heap comes with the first static PD below */
	crash();
	wait_restarted(restarts, &g);
	frpc_close(&g);
	new_client_works();
	FRPC_CHECK(!pipe(res) && !pipe(hold), "pipe: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		pid[i] = fork();
		FRPC_CHECK(pid[i] >= 0, "fork: %s", strerror(errno));
		if (!pid[i]) {
			close(hold[1]);
			_exit(static_child(i == n - 1, res[1], hold[0]));
		}
		FRPC_CHECK(read(res[0], &ret, sizeof(ret)) == sizeof(ret),
			   "child %d said nothing", i);
		if (i < n - 1)
			FRPC_CHECK(!ret, "static PD %d: %s", i, strerror(-ret));
		else
			FRPC_CHECK(ret == -EBUSY, "static PD %d (secure): %s",
				   i, strerror(-ret));
	}
	close(hold[1]);
	for (i = 0; i < n; i++)
		waitpid(pid[i], NULL, 0);
	close(hold[0]);
	close(res[0]);
	close(res[1]);
	wait_value("channel", chan_stat, "clients", 0);
	printf("ok: %d static PDs on %d banks; one more, on the secure bank: EBUSY\n",
	       n - 1, n - 1);
}

/* churn: clients running while modules come and go */
static volatile sig_atomic_t churn_stop;

static void on_term(int sig)
{
	(void)sig;
	churn_stop = 1;
}

static int clean_failure(int ret)
{
	return ret == -ENOENT || ret == -ENODEV || ret == -EPIPE ||
	       ret == -ENXIO;
}

/* One session: 0 or a clean failure's -errno; exits on another */
static int churn_session(long *calls)
{
	unsigned char in[4096], out[4096];
	struct fastrpc_invoke_args a[2];
	struct frpc f;
	uint32_t h;
	int ret, i;

	ret = frpc_open(&f, domain, 0);
	if (ret)
		goto out;
	ret = frpc_attach(&f);
	if (!ret)
		ret = frpc_skel_open(&f, "echo", &h, NULL, 0);
	frpc_fill(in, sizeof(in), 4);
	a[0] = frpc_arg(in, sizeof(in));
	a[1] = frpc_arg(out, sizeof(out));
	for (i = 0; !ret && i < 20; i++, (*calls)++) {
		ret = frpc_echo(&f, h, a, 1);
		FRPC_CHECK(ret || frpc_mismatch(out, sizeof(out), 4) < 0,
			   "echo: wrong data");
	}
	frpc_close(&f);
out:
	FRPC_CHECK(!ret || clean_failure(ret), "a session failed with %s",
		   strerror(-ret));
	return ret;
}

static void scenario_churn(void)
{
	long sessions = 0, calls = 0, failed = 0;
	struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };

	sigaction(SIGTERM, &sa, NULL);
	printf("ready\n");
	while (!churn_stop) {
		sessions++;
		if (churn_session(&calls)) {
			failed++;
			usleep(5000);
		}
	}
	printf("ok: %ld sessions, %ld calls, %ld ended by a clean error\n",
	       sessions, calls, failed);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 3)
		frpc_die("usage: frpc_fault DOMAIN SCENARIO [ARGS]");
	domain = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[2], "crash-pending") && argc >= 4)
		for (i = 3; i < argc; i++)
			scenario_crash_pending(atoi(argv[i]));
	else if (!strcmp(argv[2], "crash-at") && argc >= 4)
		for (i = 3; i < argc; i++)
			scenario_crash_at(argv[i]);
	else if (!strcmp(argv[2], "duplicate") && argc == 4)
		scenario_duplicate(atoi(argv[3]));
	else if (!strcmp(argv[2], "bad-responses"))
		scenario_bad_responses();
	else if (!strcmp(argv[2], "kill-phases") && argc == 4)
		scenario_kill_phases(atoi(argv[3]));
	else if (!strcmp(argv[2], "close-busy"))
		scenario_close_busy();
	else if (!strcmp(argv[2], "uffd-stall") && argc >= 4)
		for (i = 3; i < argc; i++)
			scenario_uffd_stall(argv[i]);
	else if (!strcmp(argv[2], "attach-fail-late"))
		scenario_attach_fail_late();
	else if (!strcmp(argv[2], "churn"))
		scenario_churn();
	else if (!strcmp(argv[2], "shared-dmabuf") && argc == 4)
		scenario_shared_dmabuf(atoi(argv[3]));
	else if (!strcmp(argv[2], "heap-banks") && argc == 4)
		scenario_heap_banks(atoi(argv[3]));
	else if (!strcmp(argv[2], "foreign-dmabuf"))
		scenario_foreign_dmabuf();
	else if (!strcmp(argv[2], "foreign-threads") && argc == 4)
		scenario_foreign_threads(atoi(argv[3]));
	else
		frpc_die("unknown scenario %s", argv[2]);
	return 0;
}
