// SPDX-License-Identifier: GPL-2.0
/*
 * frpc_windows DOMAIN THREADS WINDOW_MS LABEL_FILE: null calls (echo with
 * no buffers) from THREADS threads sharing one client, until LABEL_FILE
 * says "end". Every WINDOW_MS, one line "LABEL CALLS_PER_S": LABEL is the
 * file's first word when the window began, or "-" if the file said
 * something else by its end.
 *
 * tests/bench/guest.sh changes the word as it attaches and detaches a
 * tool, to compare one caller's rate with the tool and without it in
 * windows seconds apart: in the emulated guest a process's call rate
 * moves by tens of percent from one process to the next, and far less
 * within one.
 */
#include "frpc_common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

static struct frpc session;
static uint32_t echo;
static atomic_ulong calls;
static atomic_bool stop;

static void *caller(void *unused)
{
	int ret;

	(void)unused;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		ret = frpc_echo(&session, echo, NULL, 0);
		if (ret)
			frpc_die("null call: %s", strerror(-ret));
		atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
	}
	return NULL;
}

#define LABEL_MAX	64

/* The file's first word, "" if there is none */
static void read_label(const char *path, char label[LABEL_MAX])
{
	FILE *f = fopen(path, "r");

	label[0] = '\0';
	if (!f)
		return;
	if (fscanf(f, "%63s", label) != 1)
		label[0] = '\0';
	fclose(f);
}

int main(int argc, char **argv)
{
	char before[LABEL_MAX], after[LABEL_MAX];
	struct timespec pause;
	pthread_t *threads;
	unsigned long c0, c1;
	int nthreads, ms, i;
	double t0, t1;

	if (argc != 5 || (nthreads = atoi(argv[2])) < 1 ||
	    (ms = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: %s DOMAIN THREADS WINDOW_MS LABEL_FILE\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	frpc_session(&session, argv[1], 0, "echo", &echo);
	threads = calloc(nthreads, sizeof(*threads));
	if (!threads)
		frpc_die("out of memory");
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, caller, NULL))
			frpc_die("cannot start thread %d", i + 1);
	pause.tv_sec = ms / 1000;
	pause.tv_nsec = (ms % 1000) * 1000000L;
	for (;;) {
		read_label(argv[4], before);
		if (!strcmp(before, "end"))
			break;
		c0 = atomic_load(&calls);
		t0 = frpc_now();
		nanosleep(&pause, NULL);
		c1 = atomic_load(&calls);
		t1 = frpc_now();
		read_label(argv[4], after);
		printf("%s %.0f\n", strcmp(before, after) || !before[0] ? "-" : before,
		       (c1 - c0) / (t1 - t0));
	}
	atomic_store(&stop, true);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	frpc_close(&session);
	return 0;
}
