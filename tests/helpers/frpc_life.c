// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_life DOMAIN SCENARIO: calls in flight when something happens to
 * them. Each scenario checks what the caller sees; the bats file checks
 * the kernel log (no splat) and kmemleak afterwards.
 *
 *   restart    signals with SA_RESTART during a sleep call: the call is
 *              sent once, restarted calls wait on it, it returns 0
 *   eintr      a signal without SA_RESTART: EINTR; the same call again
 *              picks the call in flight up (sent once); a thread that
 *              moves on to another call leaves its interrupted one behind
 *   kill       a child killed (SIGKILL) while its call is in flight
 *   close      the fd closed while another thread's call is in flight
 *   crash-knob the DSP crashes (vdsp debugfs) under 8 calls in flight
 *              on one client and 4 on another: all get EPIPE, the old fd keeps failing cleanly, the node
 *              comes back and a new client works
 *   crash-skel the same, the crash taken by the fault skel's call itself
 *   crash-race [N] N DSP crashes (vdsp debugfs, default 10) while three
 *              threads keep opening the node and calling: every call
 *              returns 0 or EPIPE/ENODEV, and every fd's pending count and
 *              the channel's are 0 afterwards ([7/11] defects 2 and 4: a
 *              new call racing the crash's abort)
 *   limit N client|channel
 *              with the driver's bounds set to N calls in flight (by the
 *              caller, module parameters): N sleeping calls on one client,
 *              then one more on it gets EAGAIN; another client's call goes
 *              through (client) or gets EAGAIN too (channel); once the N
 *              end, calls go through again ([7/11] defect 3)
 *   close-inflight
 *              a call interrupted (EINTR) and abandoned, then the fd
 *              closed: the client's context bank stays taken while the
 *              call is in flight, and is free once it ended ([7/11]
 *              defect 8)
 *   park-bound 70 threads each interrupted (EINTR) in a call, none
 *              calling again: the client keeps the newest 64 for their
 *              restart (fdinfo fastrpc-parked), all 70 end ([7/11] defect 3)
 *   orphans    (the caller sets channel_max_orphan_kib to 1024) the DSP
 *              fails a client's process release: its 1 MiB MMAP stays
 *              with the channel, which starts no new process (ENOSPC)
 *              until the DSP restarts and frees it ([7/11] defect 7)
 *   stall      the DSP stops answering (vdsp drop knob): another client's
 *              GET_DSP_INFO is answered while one client's fetch hangs,
 *              and a process waiting behind a hung MMAP of a shared
 *              client dies on SIGKILL ([7/11] defect 6)
 */
#include "frpc_common.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

static const char *domain;
static volatile sig_atomic_t signals;

static void on_signal(int sig)
{
	(void)sig;
	signals++;
}

static void handle_signal(int restart)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* A sleep call whose argument array stays where it is (the restart key) */
struct call {
	struct frpc *f;
	uint32_t handle;
	uint32_t us;
	struct fastrpc_invoke_args a;
	struct fastrpc_invoke inv;
	int ret;		/* 0 or -errno of the first try */
	int again;		/* the same call once more after EINTR */
	int ret2;
	pthread_t t;
};

static int call_once(struct call *c)
{
	return ioctl(c->f->fd, FASTRPC_IOCTL_INVOKE, &c->inv) ? -errno : 0;
}

static void *call_thread(void *arg)
{
	struct call *c = arg;

	c->ret = call_once(c);
	if (c->again && c->ret == -EINTR)
		c->ret2 = call_once(c);
	return NULL;
}

static void call_start(struct call *c, struct frpc *f, uint32_t h, uint32_t us)
{
	c->f = f;
	c->handle = h;
	c->us = us;
	c->a = frpc_arg(&c->us, sizeof(c->us));
	c->inv = (struct fastrpc_invoke){ .handle = h,
		.sc = FASTRPC_SC(SLEEP_METHOD_USLEEP, 1, 0),
		.args = (uintptr_t)&c->a };
	if (pthread_create(&c->t, NULL, call_thread, c))
		frpc_die("pthread_create");
}

/* Until fdinfo shows @n calls in flight on @fd (of process @pid, 0: us) */
static void wait_pending(pid_t pid, int fd, long long n)
{
	long long v = -1;
	int tries;

	for (tries = 0; tries < 3000; tries++) {
		v = frpc_fdinfo_of(pid, fd, "pending");
		if (v == n)
			break;
		usleep(10000);
	}
	FRPC_CHECK(v == n, "fdinfo pending is %lld, want %lld", v, n);
}

static void scenario_restart(void)
{
	long long sent;
	struct call c = { 0 };
	struct frpc f;
	uint32_t h;
	int i;

	handle_signal(1);
	frpc_session(&f, domain, 0, "sleep", &h);
	sent = frpc_channel_stat(domain, "invokes");
	call_start(&c, &f, h, 5000000);
	wait_pending(0, f.fd, 1);
	/*
	 * One at a time: a SIGUSR1 sent while the last is still pending
	 * merges with it, and the count would never reach 10.
	 */
	for (i = 0; i < 10; i++) {
		int waited;

		pthread_kill(c.t, SIGUSR1);
		for (waited = 0; signals <= i && waited < 30000; waited++)
			usleep(1000);
		FRPC_CHECK(signals > i, "signal %d never handled", i + 1);
	}
	/*
	 * Every signal was handled, and the call is still in flight: each one
	 * interrupted the call, none arrived after it had returned.
	 */
	FRPC_CHECK(frpc_fdinfo(f.fd, "pending") == 1,
		   "the call ended before the last signal was handled");
	pthread_join(c.t, NULL);
	FRPC_CHECK(c.ret == 0, "restarted call: %s", strerror(-c.ret));
	FRPC_CHECK(signals == 10, "%d signals handled", (int)signals);
	sent = frpc_channel_stat(domain, "invokes") - sent;
	FRPC_CHECK(sent == 1, "sent %lld times", sent);
	printf("ok: 10 signals during a call: restarted, sent once, returned 0\n");
	frpc_close(&f);
}

static void scenario_eintr(void)
{
	struct call c = { .again = 1 }, d = { 0 };
	int32_t v[2] = { 1, 2 };
	struct fastrpc_invoke_args a[2];
	long long sent;
	int64_t sum = 0;
	struct frpc f;
	uint32_t h, calc;

	handle_signal(0);
	frpc_session(&f, domain, 0, "sleep", &h);
	FRPC_OK(frpc_skel_open(&f, "calculator", &calc, NULL, 0));
	sent = frpc_channel_stat(domain, "invokes");
	call_start(&c, &f, h, 1500000);
	wait_pending(0, f.fd, 1);
	pthread_kill(c.t, SIGUSR1);
	pthread_join(c.t, NULL);
	FRPC_CHECK(c.ret == -EINTR, "interrupted call: %s", strerror(-c.ret));
	FRPC_CHECK(c.ret2 == 0, "the same call again: %s", strerror(-c.ret2));
	sent = frpc_channel_stat(domain, "invokes") - sent;
	FRPC_CHECK(sent == 1, "sent %lld times", sent);
	printf("ok: EINTR, then the same call picked up the one in flight\n");

	/* interrupted, then this thread makes another call: both fine */
	call_start(&d, &f, h, 1500000);
	wait_pending(0, f.fd, 1);
	pthread_kill(d.t, SIGUSR1);
	pthread_join(d.t, NULL);
	FRPC_CHECK(d.ret == -EINTR, "second interrupted call: %s", strerror(-d.ret));
	a[0] = frpc_arg(v, sizeof(v));
	a[1] = frpc_arg(&sum, sizeof(sum));
	FRPC_OK(frpc_invoke(&f, calc, FASTRPC_SC(CALCULATOR_METHOD_SUM, 1, 1), a));
	FRPC_CHECK(sum == 3, "sum %lld", (long long)sum);
	wait_pending(0, f.fd, 0);
	printf("ok: an abandoned interrupted call ends on its own\n");
	frpc_close(&f);
}

static void scenario_kill(void)
{
	long long id, clients;
	int p[2], fd, status, tries;
	struct frpc f;
	uint32_t h;
	pid_t pid;

	FRPC_CHECK(!pipe(p), "pipe");
	pid = fork();
	if (!pid) {
		frpc_session(&f, domain, 0, "sleep", &h);
		id = frpc_fdinfo(f.fd, "client");
		FRPC_CHECK(write(p[1], &f.fd, sizeof(int)) == sizeof(int), "pipe");
		FRPC_CHECK(write(p[1], &id, sizeof(id)) == sizeof(id), "pipe");
		frpc_usleep(&f, h, 3000000);
		_exit(3);	/* not reached: killed */
	}
	FRPC_CHECK(read(p[0], &fd, sizeof(fd)) == sizeof(fd) &&
		   read(p[0], &id, sizeof(id)) == sizeof(id), "child died early");
	wait_pending(pid, fd, 1);
	kill(pid, SIGKILL);
	FRPC_CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status),
		   "child not killed");
	/* its client goes once its call has ended */
	for (tries = 0; (clients = frpc_client_listed(domain, id)) && tries < 600; tries++)
		usleep(100000);
	FRPC_CHECK(!clients, "client %lld still listed after its process died", id);
	printf("ok: killed mid-call; its client (id %lld) went away\n", id);
}

static void scenario_close(void)
{
	struct call c = { 0 };
	struct frpc f;
	long long id;
	uint32_t h;

	frpc_session(&f, domain, 0, "sleep", &h);
	id = frpc_fdinfo(f.fd, "client");
	call_start(&c, &f, h, 3000000);
	wait_pending(0, f.fd, 1);
	FRPC_CHECK(!close(f.fd), "close: %s", strerror(errno));
	/* the close raced the call: its client outlives the fd until it ends */
	FRPC_CHECK(frpc_client_listed(domain, id),
		   "client %lld gone before its call ended: no race", id);
	pthread_join(c.t, NULL);
	FRPC_CHECK(c.ret == 0, "call on the closed fd: %s", strerror(-c.ret));
	printf("ok: fd closed mid-call (client %lld): the call returned 0\n", id);
}

static void vdsp_knob(const char *knob, const char *val)
{
	frpc_vdsp_knob(domain, knob, val);
}

/* The knob returns once the DSP is back up */
static void crash_via_knob(void)
{
	vdsp_knob("crash", "1");
}

/* Opens @g on the domain's node once it is back after a DSP restart */
static void open_when_back(struct frpc *g)
{
	int i;

	for (i = 0; i < 3000 && frpc_open(g, domain, 0); i++)
		usleep(20000);
	FRPC_CHECK(i < 3000, "node did not come back");
}

static void *crash_via_skel(void *arg)
{
	struct frpc *f = arg;
	static int ret;
	uint32_t h;

	ret = frpc_skel_open(f, "fault", &h, NULL, 0);
	if (!ret)
		ret = frpc_invoke(f, h, FASTRPC_SC(FAULT_METHOD_CRASH, 0, 0), NULL);
	return &ret;
}

static void scenario_crash(int by_skel)
{
	struct call c[8] = { 0 }, c2[4] = { 0 };
	struct frpc f, f2, g;
	uint32_t h, h2;
	pthread_t t;
	void *ret;
	int i;

	frpc_session(&f, domain, 0, "sleep", &h);
	frpc_session(&f2, domain, 0, "sleep", &h2);
	for (i = 0; i < 8; i++)
		call_start(&c[i], &f, h, 20000000);
	for (i = 0; i < 4; i++)
		call_start(&c2[i], &f2, h2, 20000000);
	wait_pending(0, f.fd, 8);
	wait_pending(0, f2.fd, 4);
	if (by_skel) {
		pthread_create(&t, NULL, crash_via_skel, &f);
		pthread_join(t, &ret);
		FRPC_CHECK(*(int *)ret == -EPIPE, "the crashing call: %s",
			   strerror(-*(int *)ret));
	} else {
		crash_via_knob();
	}
	for (i = 0; i < 8; i++) {
		pthread_join(c[i].t, NULL);
		FRPC_CHECK(c[i].ret == -EPIPE, "call %d in flight: %s", i,
			   strerror(-c[i].ret));
	}
	printf("ok: DSP crash: all 8 calls in flight got EPIPE\n");
	for (i = 0; i < 4; i++) {
		pthread_join(c2[i].t, NULL);
		FRPC_CHECK(c2[i].ret == -EPIPE, "another client's call %d: %s",
			   i, strerror(-c2[i].ret));
	}
	printf("ok: another client's 4 calls in flight got EPIPE too\n");
	frpc_close(&f2);
	FRPC_CHECK(frpc_usleep(&f, h, 1) == -EPIPE, "old fd, new call");
	FRPC_CHECK(frpc_fdinfo(f.fd, "pending") == 0, "old fd pending");
	printf("ok: the old fd fails with EPIPE, its fdinfo still reads\n");

	/* the node comes back with the DSP */
	open_when_back(&g);
	FRPC_OK(frpc_attach(&g));
	FRPC_OK(frpc_skel_open(&g, "sleep", &h, NULL, 0));
	FRPC_OK(frpc_usleep(&g, h, 1000));
	printf("ok: the node came back; a new client works\n");
	frpc_close(&g);
	frpc_close(&f);
}

/* crash-race: threads calling while the DSP crashes under them */
static atomic_int race_stop;

struct racer {
	pthread_t t;
	long calls;
	long lost;		/* calls that found the DSP gone */
	long sessions;
	char err[160];
};

static int dsp_gone(int ret)
{
	return ret == -EPIPE || ret == -ENODEV;
}

/* One session: calls until the DSP goes; 1 to go on, 0 on a failure */
static int race_session(struct racer *r)
{
	struct frpc f;
	uint32_t h;
	long long pending;
	int ret;

	if (frpc_open(&f, domain, 0)) {
		usleep(1000);	/* the node is away while the DSP restarts */
		return 1;
	}
	r->sessions++;
	ret = frpc_attach(&f);
	if (!ret)
		ret = frpc_skel_open(&f, "sleep", &h, NULL, 0);
	while (!ret && !atomic_load(&race_stop)) {
		ret = frpc_usleep(&f, h, 0);
		r->calls++;
	}
	if (ret && !dsp_gone(ret)) {
		snprintf(r->err, sizeof(r->err), "a call returned %s",
			 strerror(-ret));
		frpc_close(&f);
		return 0;
	}
	if (ret)
		r->lost++;
	pending = frpc_fdinfo(f.fd, "pending");
	frpc_close(&f);
	if (pending != 0) {
		snprintf(r->err, sizeof(r->err),
			 "fdinfo pending %lld after the DSP went", pending);
		return 0;
	}
	return 1;
}

static void *race_worker(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(&race_stop))
		if (!race_session(r))
			break;
	return NULL;
}

static void scenario_crash_race(int crashes)
{
	struct racer r[3] = { 0 };
	long calls = 0, lost = 0;
	int i;

	for (i = 0; i < 3; i++)
		if (pthread_create(&r[i].t, NULL, race_worker, &r[i]))
			frpc_die("pthread_create");
	for (i = 0; i < crashes; i++) {
		usleep(20000 + 7000 * (i % 5));
		crash_via_knob();
	}
	atomic_store(&race_stop, 1);
	for (i = 0; i < 3; i++) {
		pthread_join(r[i].t, NULL);
		FRPC_CHECK(!r[i].err[0], "thread %d: %s", i, r[i].err);
		calls += r[i].calls;
		lost += r[i].lost;
	}
	FRPC_CHECK(lost > 0, "no call ever found the DSP gone: no race");
	FRPC_CHECK(frpc_channel_stat(domain, "pending") == 0,
		   "channel pending %lld", frpc_channel_stat(domain, "pending"));
	printf("ok: %d DSP crashes under 3 calling threads: %ld calls, %ld found the DSP gone, nothing left pending\n",
	       crashes, calls, lost);
}

/* limit: the bounds on calls in flight */
static void scenario_limit(int n, int channel)
{
	struct call *c = calloc(n, sizeof(*c));
	struct frpc f, g;
	uint32_t h, hg;
	int i, want = channel ? -EAGAIN : 0;

	FRPC_CHECK(c, "calloc");
	frpc_session(&f, domain, 0, "sleep", &h);
	frpc_session(&g, domain, 0, "sleep", &hg);
	for (i = 0; i < n; i++)
		call_start(&c[i], &f, h, 3000000);
	wait_pending(0, f.fd, n);
	FRPC_CHECK(frpc_usleep(&f, h, 1) == -EAGAIN,
		   "call %d on the client did not get EAGAIN", n + 1);
	printf("ok: %d calls in flight, %lld payload bytes; one more: EAGAIN\n",
	       n, frpc_fdinfo(f.fd, "pending-bytes"));
	FRPC_CHECK(frpc_usleep(&g, hg, 1) == want,
		   "another client's call: want %s", strerror(-want));
	printf("ok: another client's call: %s\n",
	       channel ? "EAGAIN" : "done");
	for (i = 0; i < n; i++) {
		pthread_join(c[i].t, NULL);
		FRPC_CHECK(c[i].ret == 0, "call %d: %s", i, strerror(-c[i].ret));
	}
	FRPC_CHECK(frpc_fdinfo(f.fd, "pending-bytes") == 0, "bytes left");
	FRPC_OK(frpc_usleep(&f, h, 1));
	FRPC_OK(frpc_usleep(&g, hg, 1));
	printf("ok: once they ended, calls go through\n");
	frpc_close(&g);
	frpc_close(&f);
	free(c);
}

/* close-inflight: the bank stays with a call the DSP may still answer */
static long long bank_used(int sid)
{
	char path[96], line[256];
	long long used = -1;
	int s;
	FILE *fp;

	snprintf(path, sizeof(path), "/sys/kernel/debug/fastrpc/%s", domain);
	fp = fopen(path, "r");
	FRPC_CHECK(fp, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "bank sid=%d secure=%*d sessions=%*u used=%lld",
			   &s, &used) == 2 && s == sid)
			break;
		else
			used = -1;
	fclose(fp);
	return used;
}

static void scenario_close_inflight(void)
{
	struct call c = { 0 };
	long long used;
	struct frpc f;
	uint32_t h;
	int sid, i;

	handle_signal(0);
	frpc_session(&f, domain, 0, "sleep", &h);
	sid = frpc_fdinfo(f.fd, "sid");
	used = bank_used(sid);
	FRPC_CHECK(used >= 1, "bank %d used %lld", sid, used);
	call_start(&c, &f, h, 3000000);
	wait_pending(0, f.fd, 1);
	pthread_kill(c.t, SIGUSR1);
	pthread_join(c.t, NULL);
	FRPC_CHECK(c.ret == -EINTR, "interrupted call: %s", strerror(-c.ret));
	frpc_close(&f);
	FRPC_CHECK(frpc_channel_stat(domain, "pending") == 1,
		   "the abandoned call is not in flight");
	FRPC_CHECK(bank_used(sid) == used,
		   "bank %d given back with a call in flight", sid);
	printf("ok: closed with an abandoned call in flight: bank %d still taken\n",
	       sid);
	for (i = 0; i < 3000 && bank_used(sid) != used - 1; i++)
		usleep(10000);
	FRPC_CHECK(frpc_channel_stat(domain, "pending") == 0, "call still in flight");
	FRPC_CHECK(bank_used(sid) == used - 1, "bank %d still taken", sid);
	printf("ok: once the call ended, the bank is free\n");
}

/* park-bound: interrupted calls nobody restarts do not pile up */
static void scenario_park_bound(void)
{
	struct call c[70] = { 0 };
	struct frpc f;
	uint32_t h;
	int i;

	handle_signal(0);
	frpc_session(&f, domain, 0, "sleep", &h);
	for (i = 0; i < 70; i++)
		call_start(&c[i], &f, h, 3000000);
	wait_pending(0, f.fd, 70);
	for (i = 0; i < 70; i++) {
		pthread_kill(c[i].t, SIGUSR1);
		pthread_join(c[i].t, NULL);
		FRPC_CHECK(c[i].ret == -EINTR, "call %d: %s", i,
			   strerror(-c[i].ret));
	}
	FRPC_CHECK(frpc_fdinfo(f.fd, "parked") == 64, "parked %lld, want 64",
		   frpc_fdinfo(f.fd, "parked"));
	printf("ok: 70 calls interrupted and left: 64 kept for a restart\n");
	wait_pending(0, f.fd, 0);
	printf("ok: all 70 ended on the DSP\n");
	frpc_close(&f);
}

/* stall: the DSP stops answering; nothing waits uninterruptibly on it */

/* The DSP crashes and comes back: a fresh channel, nothing in flight */
static void fresh_channel(void)
{
	struct frpc g;

	crash_via_knob();
	open_when_back(&g);
	frpc_close(&g);
}

static void scenario_orphans(void)
{
	struct frpc f, g;
	uint64_t va;

	FRPC_OK(frpc_open(&f, domain, 0));
	FRPC_OK(frpc_attach(&f));
	FRPC_OK(frpc_mmap(&f, -1, FASTRPC_MMAP_ADD_PAGES, 0, 1 << 20, &va));
	vdsp_knob("fail", "1");
	frpc_close(&f);
	FRPC_CHECK(frpc_channel_stat(domain, "orphans") == 1 &&
		   frpc_channel_stat(domain, "orphan_bytes") == 1 << 20,
		   "orphans %lld, %lld bytes", frpc_channel_stat(domain, "orphans"),
		   frpc_channel_stat(domain, "orphan_bytes"));
	printf("ok: a failed release leaves its 1 MiB map with the channel\n");
	FRPC_OK(frpc_open(&g, domain, 0));
	FRPC_CHECK(frpc_attach(&g) == -ENOSPC, "attach past the bound");
	frpc_close(&g);
	printf("ok: past the bound no new process starts (ENOSPC)\n");
	fresh_channel();
	FRPC_CHECK(frpc_channel_stat(domain, "orphan_bytes") == 0,
		   "orphans left after a restart");
	open_when_back(&g);
	FRPC_OK(frpc_attach(&g));
	frpc_close(&g);
	printf("ok: the DSP's restart frees them; processes start again\n");
}

/* Until the channel has @n calls in flight */
static void wait_channel_pending(long long n)
{
	int i;

	for (i = 0; i < 3000 && frpc_channel_stat(domain, "pending") != n; i++)
		usleep(10000);
	FRPC_CHECK(i < 3000, "channel pending %lld, want %lld",
		   frpc_channel_stat(domain, "pending"), n);
}

/* Until @pid sleeps in the kernel (state D) */
static void wait_sleeping(pid_t pid)
{
	char path[64], buf[256], *p;
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 3000; i++, usleep(10000)) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'D')
			return;
	}
	frpc_die("process %d never slept in the kernel", pid);
}

/*
 * Whether @pid ends within @secs: a liveness bound, not a timing check (a
 * stuck process never ends). Reaps it if it did.
 */
static int ends_within(pid_t pid, int secs, int *status)
{
	int i;

	for (i = 0; i < secs * 100; i++, usleep(10000))
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
	return 0;
}

/* On a failure: the DSP crashes, which ends every stalled call, then die */
#define STALL_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			crash_via_knob();				\
			frpc_die(__VA_ARGS__);				\
		}							\
	} while (0)

static void scenario_stall(void)
{
	pid_t a, b, g, h;
	struct frpc c;
	uint64_t va;
	uint32_t v;
	int st;

	/* GET_DSP_INFO: no cached answer yet, the first fetch never answered */
	fresh_channel();
	vdsp_knob("drop", "1");
	a = fork();
	if (!a) {
		struct frpc f;

		_exit(frpc_open(&f, domain, 0) || frpc_dsp_info(&f, 2, &v));
	}
	wait_channel_pending(1);
	b = fork();
	if (!b) {
		struct frpc f;

		_exit(frpc_open(&f, domain, 0) || frpc_dsp_info(&f, 2, &v) ? 1 : 0);
	}
	STALL_CHECK(ends_within(b, 30, &st) && WIFEXITED(st) && !WEXITSTATUS(st),
		    "another client's GET_DSP_INFO waited behind the hung fetch");
	printf("ok: another client's GET_DSP_INFO is answered while one fetch hangs\n");
	kill(a, SIGKILL);
	STALL_CHECK(ends_within(a, 30, &st), "the hung fetch's process did not die");
	printf("ok: the process of the hung fetch dies on SIGKILL\n");

	/* MMAP: two processes share one client (fd); the first one hangs */
	frpc_session(&c, domain, 0, NULL, NULL);
	vdsp_knob("drop", "1");
	g = fork();
	if (!g)
		_exit(frpc_mmap(&c, -1, FASTRPC_MMAP_ADD_PAGES, 0, 4096, &va) ? 1 : 0);
	wait_channel_pending(2);	/* the hung fetch's call is still there */
	h = fork();
	if (!h)
		_exit(frpc_mmap(&c, -1, FASTRPC_MMAP_ADD_PAGES, 0, 4096, &va) ? 1 : 0);
	wait_sleeping(h);
	kill(h, SIGKILL);
	STALL_CHECK(ends_within(h, 30, &st),
		    "a process waiting behind a hung MMAP did not die on SIGKILL");
	printf("ok: a process waiting behind a hung MMAP dies on SIGKILL\n");
	kill(g, SIGKILL);
	STALL_CHECK(ends_within(g, 30, &st), "the hung MMAP's process did not die");
	frpc_close(&c);
	/* the DSP never answers those calls: its restart ends them */
	crash_via_knob();
	printf("ok: the DSP's restart ends the calls it never answered\n");
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: %s DOMAIN SCENARIO [N] (see the source)\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	domain = argv[1];
	if (!strcmp(argv[2], "restart"))
		scenario_restart();
	else if (!strcmp(argv[2], "eintr"))
		scenario_eintr();
	else if (!strcmp(argv[2], "kill"))
		scenario_kill();
	else if (!strcmp(argv[2], "close"))
		scenario_close();
	else if (!strcmp(argv[2], "crash-knob"))
		scenario_crash(0);
	else if (!strcmp(argv[2], "crash-skel"))
		scenario_crash(1);
	else if (!strcmp(argv[2], "limit") && argc == 5)
		scenario_limit(atoi(argv[3]), !strcmp(argv[4], "channel"));
	else if (!strcmp(argv[2], "close-inflight"))
		scenario_close_inflight();
	else if (!strcmp(argv[2], "park-bound"))
		scenario_park_bound();
	else if (!strcmp(argv[2], "orphans"))
		scenario_orphans();
	else if (!strcmp(argv[2], "stall"))
		scenario_stall();
	else if (!strcmp(argv[2], "crash-race"))
		scenario_crash_race(argc == 4 ? atoi(argv[3]) : 10);
	else
		frpc_die("unknown scenario %s", argv[2]);
	return 0;
}
