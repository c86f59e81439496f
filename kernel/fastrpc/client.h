/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clients: one per open file of a device node. A client lives while its
 * file is open and while any of its contexts is; its DMA state (maps,
 * payload cache, init memory, context bank) is torn down when the file is
 * closed or the DSP goes away, whichever comes first.
 */
#ifndef FASTRPC_CLIENT_H
#define FASTRPC_CLIENT_H

struct fastrpc_channel;
struct fastrpc_client;
struct fastrpc_node;

int fastrpc_client_open(struct fastrpc_node *node,
			struct fastrpc_client **out);
/* The file is closed: release the remote process and everything else */
void fastrpc_client_close(struct fastrpc_client *cl);

void fastrpc_client_get(struct fastrpc_client *cl);
void fastrpc_client_put(struct fastrpc_client *cl);

/*
 * Whatever a client hands the DSP lives in the client's own remote
 * process, and goes when that process is released. A client without one
 * (its fd opened, no INIT_* done) would place it in whatever process its
 * tgid has through another fd, and free it on close while that process
 * still uses it: it may not invoke or map (-ESRCH).
 */
int fastrpc_client_has_process(struct fastrpc_client *cl);
/* The same, under the client's lock */
int fastrpc_client_has_process_locked(struct fastrpc_client *cl);

/* The DSP is gone and no ioctl is inside: release every client's state */
void fastrpc_channel_teardown_clients(struct fastrpc_channel *chan);
/*
 * Then, once the last payload is freed (the removal's flush), before the
 * banks are depopulated: the clients whose files stay open let their
 * bank's device go
 */
void fastrpc_channel_put_bank_devices(struct fastrpc_channel *chan);

#endif /* FASTRPC_CLIENT_H */
