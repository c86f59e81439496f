/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channels: one per rpmsg device bound to the driver (one DSP domain).
 */
#ifndef FASTRPC_MAIN_H
#define FASTRPC_MAIN_H

struct device;
struct fastrpc_channel;

void fastrpc_channel_get(struct fastrpc_channel *chan);
void fastrpc_channel_put(struct fastrpc_channel *chan);

/* The channel of an rpmsg device this driver is bound to, or NULL */
struct fastrpc_channel *fastrpc_channel_of(struct device *rpmsg_dev);

#endif /* FASTRPC_MAIN_H */
