/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/fastrpc/<domain>: one read-only file per channel
 * listing the channel, its context banks and its clients.
 */
#ifndef FASTRPC_DEBUGFS_H
#define FASTRPC_DEBUGFS_H

struct fastrpc_channel;

#ifdef CONFIG_DEBUG_FS
void fastrpc_debugfs_init(void);
void fastrpc_debugfs_fini(void);
void fastrpc_debugfs_channel_add(struct fastrpc_channel *chan);
void fastrpc_debugfs_channel_remove(struct fastrpc_channel *chan);
#else
static inline void fastrpc_debugfs_init(void) { }
static inline void fastrpc_debugfs_fini(void) { }
static inline void fastrpc_debugfs_channel_add(struct fastrpc_channel *chan) { }
static inline void fastrpc_debugfs_channel_remove(struct fastrpc_channel *chan) { }
#endif

#endif /* FASTRPC_DEBUGFS_H */
