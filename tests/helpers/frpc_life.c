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
 */
#include "frpc_common.h"

#include <pthread.h>
#include <signal.h>
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
	char path[64], line[128];
	long long v = -1;
	int tries;

	for (tries = 0; tries < 3000 && v != n; tries++) {
		FILE *fp;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d",
			 pid ? pid : getpid(), fd);
		fp = fopen(path, "r");
		while (fp && fgets(line, sizeof(line), fp))
			if (!strncmp(line, "fastrpc-pending:", 16))
				v = strtoll(line + 16, NULL, 0);
		if (fp)
			fclose(fp);
		if (v != n)
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
	for (i = 0; i < 10; i++) {
		pthread_kill(c.t, SIGUSR1);
		usleep(20000);
	}
	while (signals < 10)
		usleep(1000);
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

static void crash_via_knob(void)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vdsp/%s/crash", domain);
	fd = open(path, O_WRONLY);
	FRPC_CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	FRPC_CHECK(write(fd, "1", 1) == 1, "crash: %s", strerror(errno));
	close(fd);
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

	/* the node comes back with the DSP (the knob returns once it has) */
	for (i = 0; i < 3000 && frpc_open(&g, domain, 0); i++)
		usleep(20000);
	FRPC_CHECK(i < 3000, "node did not come back");
	FRPC_OK(frpc_attach(&g));
	FRPC_OK(frpc_skel_open(&g, "sleep", &h, NULL, 0));
	FRPC_OK(frpc_usleep(&g, h, 1000));
	printf("ok: the node came back; a new client works\n");
	frpc_close(&g);
	frpc_close(&f);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s DOMAIN SCENARIO (see the source)\n",
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
	else
		frpc_die("unknown scenario %s", argv[2]);
	return 0;
}
