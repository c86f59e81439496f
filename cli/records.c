// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's introspection records (a debugfs line, a client's fdinfo)
 * as libfrpc's key=value records, and written as JSON in one documented
 * schema whichever source they came from (fastrpcctl(8), JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_writer.h"
#include "libfrpc.h"
#include "parse.h"
#include "records.h"

long long kv_num(const struct kvrec *r, const char *key, long long dflt)
{
	const char *v = kv_get(r, key);

	return v && is_decimal(v, true) ? strtoll(v, NULL, 10) : dflt;
}

/* fdinfo's "map-bytes" is debugfs's map_bytes; "client" is its id */
static void fdinfo_kv(void *arg, const char *key, const char *val)
{
	char name[KV_KEYLEN];
	size_t i;

	if (!strcmp(key, "client")) {
		kv_set(arg, "id", val);
		return;
	}
	for (i = 0; key[i] && i + 1 < sizeof(name); i++)
		name[i] = key[i] == '-' ? '_' : key[i];
	name[i] = '\0';
	kv_set(arg, name, val);
}

static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int fdinfo_read(pid_t pid, int fd, struct kvrec *r)
{
	char num[32], comm[64];
	int ret;

	memset(r, 0, sizeof(*r));
	snprintf(r->type, sizeof(r->type), "client");
	ret = frpc_fdinfo_each(pid, fd, fdinfo_kv, r);
	if (ret <= 0)
		return ret ? ret : -ENODEV;
	snprintf(num, sizeof(num), "%d", (int)pid);
	kv_set(r, "tgid", num);
	snprintf(num, sizeof(num), "%d", fd);
	kv_set(r, "fd", num);
	read_comm(pid, comm, sizeof(comm));
	kv_set(r, "comm", comm);
	return 0;
}

enum field_type { FIELD_INT, FIELD_BOOL, FIELD_STR };

/* A member of a JSON object and the record key it comes from */
struct field {
	const char *json;
	const char *key;
	enum field_type type;
};

static const struct field channel_fields[] = {
	{ "status", "status", FIELD_STR },
	{ "clients", "clients", FIELD_INT },
	{ "pending", "pending", FIELD_INT },
	{ "invokes", "invokes", FIELD_INT },
	{ "errors", "errors", FIELD_INT },
	{ "orphans", "orphans", FIELD_INT },
	{ "orphan_bytes", "orphan_bytes", FIELD_INT },
	{ "generation", "generation", FIELD_INT },
	{ "sent", "sent", FIELD_INT },
	{ "sent_bytes", "sent_bytes", FIELD_INT },
	{ "received", "received", FIELD_INT },
	{ "received_bytes", "received_bytes", FIELD_INT },
	{ "in_flight_max", "in_flight_max", FIELD_INT },
};

static const struct field bank_fields[] = {
	{ "sid", "sid", FIELD_INT },
	{ "secure", "secure", FIELD_BOOL },
	{ "sessions", "sessions", FIELD_INT },
	{ "used", "used", FIELD_INT },
};

/* debugfs and fdinfo name some of these differently; both are mapped */
static const struct field client_fields[] = {
	{ "id", "id", FIELD_INT },
	{ "domain", "domain", FIELD_STR },
	{ "pid", "tgid", FIELD_INT },
	{ "tid", "tid", FIELD_INT },
	{ "comm", "comm", FIELD_STR },
	{ "fd", "fd", FIELD_INT },
	{ "secure", "secure", FIELD_BOOL },
	{ "pd", "pd", FIELD_STR },
	{ "pd_name", "pd_name", FIELD_STR },
	{ "sid", "sid", FIELD_INT },
	{ "pending", "pending", FIELD_INT },
	{ "pending_bytes", "pending_bytes", FIELD_INT },
	{ "parked", "parked", FIELD_INT },
	{ "maps", "maps", FIELD_INT },
	{ "map_bytes", "map_bytes", FIELD_INT },
	{ "buffers", "buffers", FIELD_INT },
	{ "buffer_bytes", "buffer_bytes", FIELD_INT },
	{ "payload_cache_bytes", "payload_cache_bytes", FIELD_INT },
	{ "payload_large_bytes", "payload_large_bytes", FIELD_INT },
	{ "payload_large_reuses", "payload_large_reuses", FIELD_INT },
};

#define FIELDS(t) (t), sizeof(t) / sizeof((t)[0])

/* Every field, typed; null where the record lacks it or it is malformed */
static void json_fields(struct jw *w, const struct kvrec *r,
			const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = kv_get(r, f[i].key);

		jw_key(w, f[i].json);
		if (!v || (f[i].type != FIELD_STR && !is_decimal(v, true)))
			jw_null(w);
		else if (f[i].type == FIELD_INT)
			jw_int(w, strtoll(v, NULL, 10));
		else if (f[i].type == FIELD_BOOL)
			jw_bool(w, strtoll(v, NULL, 10) != 0);
		else
			jw_str(w, v);
	}
}

void json_channel(struct jw *w, const struct kvrec *r)
{
	jw_obj_open(w);
	json_fields(w, r, FIELDS(channel_fields));
	jw_obj_close(w);
}

void json_bank(struct jw *w, const struct kvrec *r)
{
	jw_obj_open(w);
	json_fields(w, r, FIELDS(bank_fields));
	jw_obj_close(w);
}

void json_client_rec(struct jw *w, const struct kvrec *r)
{
	jw_obj_open(w);
	json_fields(w, r, FIELDS(client_fields));
	jw_obj_close(w);
}

const struct kvrec *self_fdinfo(int fd, struct kvrec *r)
{
	return fdinfo_read(getpid(), fd, r) ? NULL : r;
}

void json_client(struct jw *w, int fd)
{
	struct kvrec r;

	if (!self_fdinfo(fd, &r))
		return;
	jw_key(w, "client");
	json_client_rec(w, &r);
}
