/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context banks ("qcom,fastrpc-compute-cb" children of a channel's node)
 * and the sessions they hold: a client gets a bank on its first ioctl that
 * needs DMA. A secure client prefers a secure bank; a non-secure client
 * never gets one.
 */
#ifndef FASTRPC_SESSION_H
#define FASTRPC_SESSION_H

struct fastrpc_client;

int fastrpc_session_driver_register(void);
void fastrpc_session_driver_unregister(void);

/*
 * Gives the client a bank unless it has one: 0, or -EBUSY if all are full
 * or its user already holds user_max_sessions of this DSP's
 */
int fastrpc_session_assign(struct fastrpc_client *cl);
/* Gives the bank's session back (the client keeps its device reference) */
void fastrpc_session_release(struct fastrpc_client *cl);

#endif /* FASTRPC_SESSION_H */
