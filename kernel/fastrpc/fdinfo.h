/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Introspection shared by /proc/<pid>/fdinfo/<fd> and debugfs.
 */
#ifndef FASTRPC_FDINFO_H
#define FASTRPC_FDINFO_H

#include <linux/types.h>

struct file;
struct seq_file;
struct fastrpc_client;

/* A consistent enough view of one client, for printing */
struct fastrpc_client_stats {
	const char *pd;
	bool named;			/* dynamic or static: @pd_name holds */
	char pd_name[128];
	int sid;
	int pending;
	u64 pending_bytes;
	u32 parked;
	u64 maps;
	u64 map_bytes;
	u64 buffers;
	u64 buffer_bytes;
	u64 payload_cache_bytes;	/* kept for reuse, large one included */
	u64 payload_large_bytes;	/* the large one (payload.h) */
	u64 payload_large_reuses;
};

void fastrpc_client_stats(struct fastrpc_client *cl,
			  struct fastrpc_client_stats *st);
void fastrpc_show_fdinfo(struct seq_file *m, struct file *file);

#endif /* FASTRPC_FDINFO_H */
