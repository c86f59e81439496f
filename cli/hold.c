// SPDX-License-Identifier: GPL-2.0
/*
 * --hold: the signals that end it, blocked before the report and then
 * waited for; see hold.h.
 */
#include <signal.h>
#include <stdio.h>

#include "ctl.h"
#include "errors.h"
#include "hold.h"

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
