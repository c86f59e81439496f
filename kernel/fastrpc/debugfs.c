// SPDX-License-Identifier: GPL-2.0
/*
 * One debugfs file per channel, one record per line: the record type,
 * then space-separated key=value, comm= last (it may hold spaces):
 *
 *   channel domain=cdsp status=up clients=2 pending=0 invokes=123 errors=0
 *           orphans=0 orphan_bytes=0        (one line)
 *   bank sid=1 secure=0 sessions=4 used=1
 *   client id=3 tgid=120 tid=120 secure=0 pd=dynamic sid=1 pending=0 ...
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "debugfs.h"
#include "fastrpc.h"
#include "fdinfo.h"

static struct dentry *fastrpc_debugfs_root;

static void show_client(struct seq_file *s, struct fastrpc_client *cl)
{
	struct fastrpc_client_stats st;

	fastrpc_client_stats(cl, &st);
	seq_printf(s, "client id=%u tgid=%d tid=%d secure=%d pd=%s sid=%d pending=%d",
		   cl->id, cl->tgid, cl->tid, cl->secure, st.pd, st.sid,
		   st.pending);
	seq_printf(s, " maps=%llu map_bytes=%llu buffers=%llu buffer_bytes=%llu",
		   st.maps, st.map_bytes, st.buffers, st.buffer_bytes);
	seq_printf(s, " payload_cache_bytes=%llu payload_large_bytes=%llu payload_large_reuses=%llu comm=%s\n",
		   st.payload_cache_bytes, st.payload_large_bytes,
		   st.payload_large_reuses, cl->comm);
}

static int channel_show(struct seq_file *s, void *unused)
{
	struct fastrpc_channel *chan = s->private;
	struct fastrpc_client *cl;
	struct fastrpc_bank *bank;
	unsigned int clients = 0;

	spin_lock(&chan->lock);
	list_for_each_entry(cl, &chan->clients, node)
		clients++;
	seq_printf(s, "channel domain=%s status=%s clients=%u pending=%d invokes=%lld errors=%lld orphans=%u orphan_bytes=%llu\n",
		   chan->label, READ_ONCE(chan->down) ? "down" : "up", clients,
		   atomic_read(&chan->pending),
		   (long long)atomic64_read(&chan->invokes),
		   (long long)atomic64_read(&chan->errors), chan->norphans,
		   chan->orphan_bytes);
	list_for_each_entry(bank, &chan->banks, node)
		seq_printf(s, "bank sid=%u secure=%d sessions=%u used=%u\n",
			   bank->sid, bank->secure, bank->sessions, bank->used);
	list_for_each_entry(cl, &chan->clients, node)
		show_client(s, cl);
	spin_unlock(&chan->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(channel);

void fastrpc_debugfs_init(void)
{
	fastrpc_debugfs_root = debugfs_create_dir("fastrpc", NULL);
}

void fastrpc_debugfs_fini(void)
{
	debugfs_remove_recursive(fastrpc_debugfs_root);
}

void fastrpc_debugfs_channel_add(struct fastrpc_channel *chan)
{
	chan->debugfs = debugfs_create_file(chan->label, 0444,
					    fastrpc_debugfs_root, chan,
					    &channel_fops);
}

void fastrpc_debugfs_channel_remove(struct fastrpc_channel *chan)
{
	debugfs_remove(chan->debugfs);
	chan->debugfs = NULL;
}
