/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --hold (create, alloc, mmap; hold.c): block the signals that end a hold
 * before reporting (so that one sent right after the report is not lost),
 * then wait for one of them.
 */
#ifndef FASTRPCCTL_HOLD_H
#define FASTRPCCTL_HOLD_H

#include <signal.h>

struct ctl;

void hold_begin(sigset_t *set);
int hold_wait(struct ctl *c, const sigset_t *set);

#endif
