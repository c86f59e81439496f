/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's introspection records and their JSON schema (records.c).
 */
#ifndef FASTRPCCTL_RECORDS_H
#define FASTRPCCTL_RECORDS_H

#include <sys/types.h>

#include "libfrpc.h"	/* struct kvrec, kv_get, kv_set, kv_parse_line */

struct jw;

/*
 * The records are libfrpc's kvrec: a debugfs line ("client id=3 tgid=120
 * ... comm=name") or a client's fdinfo, whose keys are normalised to the
 * debugfs names ("fastrpc-map-bytes" -> map_bytes, "fastrpc-client" -> id).
 */

/* Value of key as a number; dflt when missing or not a number. */
long long kv_num(const struct kvrec *r, const char *key, long long dflt);

/*
 * fdinfo of fd in process pid: 0 with r filled (type "client"), -ENODEV
 * when fd is not a fastrpc fd, or -errno when it cannot be read.
 */
int fdinfo_read(pid_t pid, int fd, struct kvrec *r);

/*
 * The JSON objects of fastrpcctl(8): a channel, a bank, a client. Every
 * member is always there, typed (null when the record's source lacks it),
 * named the same whether debugfs or fdinfo was read.
 */
void json_channel(struct jw *w, const struct kvrec *r);
void json_bank(struct jw *w, const struct kvrec *r);
void json_client_rec(struct jw *w, const struct kvrec *r);

/* The fdinfo record of our own client fd, or NULL (e.g. an older driver) */
const struct kvrec *self_fdinfo(int fd, struct kvrec *r);
/* {"client": {...}} member from it, when there is one */
void json_client(struct jw *w, int fd);

#endif
