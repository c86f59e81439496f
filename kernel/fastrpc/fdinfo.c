// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/fdinfo/<fd> of an open fastrpc file: one "key:\tvalue" per
 * line after the kernel's own, each key "fastrpc-" and a name (fastrpcctl
 * and the tests parse them: keep the names).
 */
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "fastrpc.h"
#include "fdinfo.h"
#include "map.h"
#include "mem.h"
#include "payload.h"

static const char *const fastrpc_pd_names[] = {
	[FASTRPC_PD_KIND_NONE] = "none",
	[FASTRPC_PD_KIND_ROOT] = "root",
	[FASTRPC_PD_KIND_SENSORS] = "sensors",
	[FASTRPC_PD_KIND_DYNAMIC] = "dynamic",
	[FASTRPC_PD_KIND_STATIC] = "static",
};

void fastrpc_client_stats(struct fastrpc_client *cl,
			  struct fastrpc_client_stats *st)
{
	spin_lock(&cl->lock);
	st->pd = fastrpc_pd_names[cl->pd];
	st->named = cl->pd == FASTRPC_PD_KIND_DYNAMIC ||
		    cl->pd == FASTRPC_PD_KIND_STATIC;
	strscpy(st->pd_name, cl->pd_name, sizeof(st->pd_name));
	st->parked = cl->parked;
	fastrpc_payload_cache_stats(cl, &st->payload_cache_bytes,
				    &st->payload_large_bytes,
				    &st->payload_large_reuses);
	spin_unlock(&cl->lock);
	st->sid = READ_ONCE(cl->sid);
	st->pending = atomic_read(&cl->pending);
	st->pending_bytes = READ_ONCE(cl->pending_bytes);
	fastrpc_map_client_stats(cl, &st->maps, &st->map_bytes);
	fastrpc_buf_client_stats(cl, &st->buffers, &st->buffer_bytes);
}

void fastrpc_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct fastrpc_client *cl = file->private_data;
	struct fastrpc_client_stats st;

	fastrpc_client_stats(cl, &st);
	seq_printf(m, "fastrpc-client:\t%u\n", cl->id);
	seq_printf(m, "fastrpc-domain:\t%s\n", cl->chan->label);
	seq_printf(m, "fastrpc-secure:\t%d\n", cl->secure);
	seq_printf(m, "fastrpc-pd:\t%s\n", st.pd);
	if (st.named)
		seq_printf(m, "fastrpc-pd-name:\t%s\n", st.pd_name);
	seq_printf(m, "fastrpc-sid:\t%d\n", st.sid);
	seq_printf(m, "fastrpc-pending:\t%d\n", st.pending);
	seq_printf(m, "fastrpc-pending-bytes:\t%llu\n", st.pending_bytes);
	seq_printf(m, "fastrpc-parked:\t%u\n", st.parked);
	seq_printf(m, "fastrpc-maps:\t%llu\n", st.maps);
	seq_printf(m, "fastrpc-map-bytes:\t%llu\n", st.map_bytes);
	seq_printf(m, "fastrpc-buffers:\t%llu\n", st.buffers);
	seq_printf(m, "fastrpc-buffer-bytes:\t%llu\n", st.buffer_bytes);
	seq_printf(m, "fastrpc-payload-cache-bytes:\t%llu\n",
		   st.payload_cache_bytes);
	seq_printf(m, "fastrpc-payload-large-bytes:\t%llu\n",
		   st.payload_large_bytes);
	seq_printf(m, "fastrpc-payload-large-reuses:\t%llu\n",
		   st.payload_large_reuses);
}
