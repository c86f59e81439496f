// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the fastrpcctl subcommands; see common.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

void hold_begin(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	/* a shell starts background jobs with SIGINT ignored */
	signal(SIGINT, SIG_DFL);
	sigprocmask(SIG_BLOCK, set, NULL);
}

int hold_wait(struct ctl *c, const sigset_t *set)
{
	int sig;

	if (!c->jw)
		printf("holding until SIGINT or SIGTERM\n");
	fflush(stdout);
	if (sigwait(set, &sig))
		return ctl_err(c, CTL_FAIL, "waiting for a signal failed");
	ctl_dbg(c, "released by signal %d", sig);
	return CTL_OK;
}

void print_hex(const void *buf, size_t n)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}
