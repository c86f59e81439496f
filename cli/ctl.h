/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run context every fastrpcctl handler receives, and the exit
 * statuses it returns.
 */
#ifndef FASTRPCCTL_CTL_H
#define FASTRPCCTL_CTL_H

#include <stdbool.h>

struct jw;

/* Exit statuses */
#define CTL_OK		0
#define CTL_FAIL	1	/* the operation failed */
#define CTL_USAGE	2	/* the command line is wrong */

/* One run of the program: parsed global options, passed to every handler. */
struct ctl {
	const char *domain;	/* -D: default domain, NULL when not given */
	bool debug;		/* -d */
	struct jw *jw;		/* JSON mode when not NULL (-j, -p) */
};

#endif
