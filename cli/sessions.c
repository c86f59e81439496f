// SPDX-License-Identifier: GPL-2.0
/*
 * fastrpcctl sessions: per domain, the channel, its context banks and its
 * clients.
 *
 * The driver's debugfs file /sys/kernel/debug/fastrpc/<domain> is the
 * source when it can be read (root, debugfs mounted); each client found
 * there is completed from its process's fdinfo (fd number, PD name).
 * Without debugfs, the clients come from scanning every readable
 * /proc/<pid>/fdinfo, and banks are not known.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "ctl.h"
#include "dispatch.h"
#include "errors.h"
#include "json_writer.h"
#include "libfrpc.h"
#include "parse.h"
#include "records.h"
#include "session.h"

struct recs {
	struct kvrec *v;
	int n;
};

struct channel {
	int domain;
	bool present;
	struct kvrec chan;	/* the "channel" record (debugfs only) */
	struct recs banks;
	struct recs clients;
};

struct sessions {
	bool debugfs;		/* false: clients from fdinfo only */
	long pid;		/* --pid, 0 for all */
	struct channel ch[FASTRPC_DOMAIN_COUNT];
};

static int recs_add(struct recs *r, const struct kvrec *rec)
{
	struct kvrec *v = realloc(r->v, (r->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	v[r->n++] = *rec;
	r->v = v;
	return 0;
}

/* Calls fn for each fastrpc fd of process pid (readlink says /dev/fastrpc-). */
static void for_each_fastrpc_fd(long pid,
				void (*fn)(void *arg, const struct kvrec *r),
				void *arg)
{
	char path[64], link[128];
	struct kvrec rec;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		ssize_t len;

		if (!is_decimal(de->d_name, false))
			continue;
		len = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "/dev/fastrpc-", strlen("/dev/fastrpc-")))
			continue;
		if (fdinfo_read((pid_t)pid, atoi(de->d_name), &rec))
			continue;
		fn(arg, &rec);
	}
	closedir(d);
}

/*
 * debugfs client + its fdinfo: what only fdinfo tells (the fd it is open
 * as, the PD's name, pending bytes, parked calls) is added; debugfs's own
 * values stay.
 */
static void merge_fdinfo(void *arg, const struct kvrec *fdi)
{
	struct kvrec *client = arg;

	if (kv_num(fdi, "id", -1) != kv_num(client, "id", -2))
		return;
	for (int i = 0; i < fdi->n; i++)
		if (!kv_get(client, fdi->kv[i].key))
			kv_set(client, fdi->kv[i].key, fdi->kv[i].val);
}

struct channel_read {
	struct ctl *c;
	struct sessions *s;
	int domain;
};

/* One line of a domain's debugfs file; -ENOMEM when it cannot be kept */
static int channel_line(void *arg, struct kvrec *rec, const char *line)
{
	struct channel_read *cr = arg;
	struct channel *ch = &cr->s->ch[cr->domain];

	if (!rec) {
		ctl_dbg(cr->c, "%s/%s: skipping unparsable line: %s", FRPC_DEBUGFS_DIR,
			domain_name(cr->domain), line);
		return 0;
	}
	if (!strcmp(rec->type, "channel")) {
		ch->chan = *rec;
		return 0;
	}
	if (!strcmp(rec->type, "bank"))
		return recs_add(&ch->banks, rec);
	if (strcmp(rec->type, "client") ||
	    (cr->s->pid && kv_num(rec, "tgid", -1) != cr->s->pid))
		return 0;
	for_each_fastrpc_fd(kv_num(rec, "tgid", -1), merge_fdinfo, rec);
	kv_set(rec, "domain", domain_name(cr->domain));
	return recs_add(&ch->clients, rec);
}

static int read_channel(struct ctl *c, struct sessions *s, int domain)
{
	struct channel_read cr = { .c = c, .s = s, .domain = domain };
	int ret;

	s->ch[domain].present = true;
	ret = frpc_debugfs_each(domain_name(domain), channel_line, &cr);
	if (ret == -ENOENT)
		s->ch[domain].present = false;
	else if (ret == -ENOMEM)
		return ctl_err(c, CTL_FAIL, "out of memory");
	else if (ret)
		return ctl_err(c, CTL_FAIL, "cannot read %s/%s: %s", FRPC_DEBUGFS_DIR,
			       domain_name(domain), strerror(-ret));
	return 0;
}

/* fdinfo-only: file the client under its domain */
static void add_fdinfo_client(void *arg, const struct kvrec *r)
{
	struct sessions *s = arg;
	const char *dom = kv_get(r, "domain");
	int id = dom ? frpc_domain_id(dom) : -1;

	if (id < 0)
		return;
	s->ch[id].present = true;
	recs_add(&s->ch[id].clients, r);
}

static void scan_fdinfo(struct sessions *s)
{
	struct dirent *de;
	DIR *d;

	if (s->pid) {
		for_each_fastrpc_fd(s->pid, add_fdinfo_client, s);
		return;
	}
	d = opendir("/proc");
	if (!d)
		return;
	while ((de = readdir(d)))
		if (is_decimal(de->d_name, false))
			for_each_fastrpc_fd(atol(de->d_name), add_fdinfo_client, s);
	closedir(d);
}

static const char *val_or_dash(const struct kvrec *r, const char *key)
{
	const char *v = kv_get(r, key);

	return v ? v : "-";
}

static const char *yes_no(const struct kvrec *r, const char *key)
{
	long long v = kv_num(r, key, -1);

	return v < 0 ? "-" : v ? "yes" : "no";
}

static void print_text(const struct channel *ch, bool debugfs)
{
	const struct kvrec *r;

	printf("%s:", domain_name(ch->domain));
	if (debugfs)
		printf(" status %s, clients %s, pending %s, invokes %s, errors %s\n",
		       val_or_dash(&ch->chan, "status"),
		       val_or_dash(&ch->chan, "clients"),
		       val_or_dash(&ch->chan, "pending"),
		       val_or_dash(&ch->chan, "invokes"),
		       val_or_dash(&ch->chan, "errors"));
	else
		printf(" (from fdinfo; banks need debugfs)\n");
	if (ch->banks.n)
		printf("  %-6s %-6s %-8s %s\n", "BANK", "SECURE", "SESSIONS", "USED");
	for (int i = 0; i < ch->banks.n; i++) {
		r = &ch->banks.v[i];
		printf("  %-6s %-6s %-8s %s\n", val_or_dash(r, "sid"),
		       yes_no(r, "secure"), val_or_dash(r, "sessions"),
		       val_or_dash(r, "used"));
	}
	if (!ch->clients.n) {
		printf("  no clients\n");
		return;
	}
	printf("  %-6s %-7s %-4s %-7s %-4s %-6s %-7s %-5s %-9s %-7s %-9s %s\n",
	       "CLIENT", "PID", "FD", "PD", "SID", "SECURE", "PENDING", "MAPS",
	       "MAP_BYTES", "BUFFERS", "BUF_BYTES", "COMM");
	for (int i = 0; i < ch->clients.n; i++) {
		r = &ch->clients.v[i];
		printf("  %-6s %-7s %-4s %-7s %-4s %-6s %-7s %-5s %-9s %-7s %-9s %s",
		       val_or_dash(r, "id"), val_or_dash(r, "tgid"),
		       val_or_dash(r, "fd"), val_or_dash(r, "pd"),
		       val_or_dash(r, "sid"), yes_no(r, "secure"),
		       val_or_dash(r, "pending"), val_or_dash(r, "maps"),
		       val_or_dash(r, "map_bytes"), val_or_dash(r, "buffers"),
		       val_or_dash(r, "buffer_bytes"), val_or_dash(r, "comm"));
		if (kv_get(r, "pd_name"))
			printf(" (%s)", kv_get(r, "pd_name"));
		printf("\n");
	}
}

static void print_recs_json(struct jw *w, const char *key, const struct recs *rs,
			    void (*one)(struct jw *w, const struct kvrec *r))
{
	jw_key(w, key);
	jw_arr_open(w);
	for (int i = 0; i < rs->n; i++)
		one(w, &rs->v[i]);
	jw_arr_close(w);
}

/* The same members from either source: what fdinfo cannot tell is null */
static void print_json(struct jw *w, const struct channel *ch, bool debugfs)
{
	jw_obj_open(w);
	jw_kstr(w, "domain", domain_name(ch->domain));
	jw_kstr(w, "source", debugfs ? "debugfs" : "fdinfo");
	jw_key(w, "channel");
	if (debugfs)
		json_channel(w, &ch->chan);
	else
		jw_null(w);
	if (debugfs) {
		print_recs_json(w, "banks", &ch->banks, json_bank);
	} else {
		jw_key(w, "banks");
		jw_null(w);
	}
	print_recs_json(w, "clients", &ch->clients, json_client_rec);
	jw_obj_close(w);
}

static int sessions_help(struct ctl *c)
{
	if (json_help(c))
		return CTL_OK;
	printf("usage: fastrpcctl sessions [--domain DOMAIN] [--pid PID]\n"
	       "       (alias: fastrpcctl list)\n"
	       "\n"
	       "Per domain: the channel's state, its context banks (stream id,\n"
	       "secure, sessions it holds, in use) and its clients (pid, fd, PD,\n"
	       "stream id, pending invokes, maps, buffers, comm).\n"
	       "Reads /sys/kernel/debug/fastrpc/<domain> and /proc/<pid>/fdinfo;\n"
	       "without debugfs, only clients visible in fdinfo are listed.\n"
	       "\n"
	       "  -D, --domain DOMAIN  only this domain (default: all, or the global -D)\n"
	       "  -P, --pid PID        only clients of process PID\n");
	return CTL_OK;
}

struct sessions_opts {
	const char *domain;
	long pid;
};

static int own_opt(struct ctl *c, void *arg, int opt, const char *val)
{
	struct sessions_opts *o = arg;
	uint32_t p;

	switch (opt) {
	case 'D':
		o->domain = val;
		return 0;
	case 'P':
		if (parse_u32(c, "pid", val, &p))
			return CTL_USAGE;
		if (!p || p > INT32_MAX)
			return ctl_err(c, CTL_USAGE, "invalid pid '%s'", val);
		o->pid = p;
		return 0;
	}
	return -1;
}

static int parse_args(struct ctl *c, int argc, char **argv, int *domain,
		      long *pid)
{
	static const struct option opts[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "pid", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct sessions_opts o = { 0 };
	int ret;

	ret = parse_cmd_opts(c, "sessions", argc, argv, "+:D:P:", opts, NULL,
			     own_opt, &o, false);
	if (ret)
		return ret;
	*pid = o.pid;
	return pick_domain(c, o.domain, -1, domain);
}

static int collect(struct ctl *c, struct sessions *s, int domain)
{
	DIR *d = opendir(FRPC_DEBUGFS_DIR);
	int ret;

	s->debugfs = d != NULL;
	if (d)
		closedir(d);
	ctl_dbg(c, "source: %s", s->debugfs ? FRPC_DEBUGFS_DIR : "/proc/*/fdinfo");
	if (driver_missing())
		return driver_missing_err(c);
	for (int i = 0; i < FASTRPC_DOMAIN_COUNT; i++) {
		s->ch[i].domain = i;
		if (domain >= 0 && i != domain)
			continue;
		if (s->debugfs) {
			ret = read_channel(c, s, i);
			if (ret)
				return ret;
		} else if (domain_has_node(i)) {
			s->ch[i].present = true;
		}
	}
	if (!s->debugfs)
		scan_fdinfo(s);
	if (domain >= 0 && !s->ch[domain].present)
		return ctl_err(c, CTL_FAIL, "no fastrpc channel for domain %s",
			       domain_name(domain));
	return 0;
}

int do_sessions(struct ctl *c, int argc, char **argv)
{
	struct sessions s = { 0 };
	int domain, ret, shown = 0;

	if (opts_want_help(argc, argv))
		return sessions_help(c);
	ret = parse_args(c, argc, argv, &domain, &s.pid);
	if (ret)
		return ret;
	ret = collect(c, &s, domain);
	if (!ret) {
		if (c->jw)
			jw_arr_open(c->jw);
		for (int i = 0; i < FASTRPC_DOMAIN_COUNT; i++) {
			if (!s.ch[i].present || (domain >= 0 && i != domain))
				continue;
			if (c->jw)
				print_json(c->jw, &s.ch[i], s.debugfs);
			else
				print_text(&s.ch[i], s.debugfs);
			shown++;
		}
		if (c->jw)
			jw_arr_close(c->jw);
		else if (!shown)
			printf("no fastrpc channels\n");
	}
	for (int i = 0; i < FASTRPC_DOMAIN_COUNT; i++) {
		free(s.ch[i].banks.v);
		free(s.ch[i].clients.v);
	}
	return ret;
}
