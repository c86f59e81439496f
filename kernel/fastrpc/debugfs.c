// SPDX-License-Identifier: GPL-2.0
/*
 * One debugfs file per channel, one record per line: the record type,
 * then space-separated key=value, comm= last (it may hold spaces):
 *
 *   channel domain=cdsp status=up clients=2 pending=0 invokes=123 errors=0
 *           orphans=0 orphan_bytes=0 generation=1 sent=123
 *           sent_bytes=503808 received=123 received_bytes=1968
 *           in_flight_max=4        (one line)
 *
 * invokes and sent are one count, kept under both names: sessions -j
 * has shown invokes since the first release.
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
	struct fastrpc_traffic t;
	struct fastrpc_client *cl;
	struct fastrpc_bank *bank;
	unsigned int clients = 0;
	int pending;

	/* one hold: pending and the traffic agree */
	spin_lock_irq(&chan->ctx_lock);
	pending = atomic_read(&chan->pending);
	t = chan->traffic;
	spin_unlock_irq(&chan->ctx_lock);

	spin_lock(&chan->lock);
	list_for_each_entry(cl, &chan->clients, node)
		clients++;
	seq_printf(s, "channel domain=%s status=%s clients=%u pending=%d invokes=%llu errors=%lld orphans=%u orphan_bytes=%llu",
		   chan->label, READ_ONCE(chan->down) ? "down" : "up", clients,
		   pending, t.sent, (long long)atomic64_read(&chan->errors),
		   chan->norphans, chan->orphan_bytes);
	seq_printf(s, " generation=%u sent=%llu sent_bytes=%llu received=%llu received_bytes=%llu in_flight_max=%u\n",
		   chan->generation, t.sent, t.sent_bytes, t.received,
		   t.received_bytes, t.in_flight_max);
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
