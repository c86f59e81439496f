/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device nodes of a channel, as the binding says: /dev/fastrpc-<label>
 * for a domain with qcom,non-secure-domain, /dev/fastrpc-<label>-secure
 * for one without, both for a domain that runs unsigned PDs (cdsp).
 * Non-secure nodes are 0666, secure ones 0600.
 */
#ifndef FASTRPC_DEVICE_H
#define FASTRPC_DEVICE_H

struct fastrpc_channel;

int fastrpc_device_register(struct fastrpc_channel *chan);
/* No open is running or will run on the channel's nodes afterwards */
void fastrpc_device_unregister(struct fastrpc_channel *chan);

#endif /* FASTRPC_DEVICE_H */
