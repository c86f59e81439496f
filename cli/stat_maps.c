// SPDX-License-Identifier: GPL-2.0
/*
 * Reading fastrpc_stat.bpf.c's maps: snapshots and their differences.
 *
 * The histograms and counters are per-CPU values: a lookup returns one
 * per possible CPU, each rounded up to 8 bytes, and a snapshot holds
 * their sum (the maxima's maximum, the first CPU's name of a process).
 *
 * With no process or handle filter, a domain's requests, responses and
 * calls in flight are the driver's own counts (debugfs, the channel
 * line), from where they stood at the load: the programs then add only
 * what went with channels that went down (see fastrpc_stat.bpf.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fastrpc_stat.skel.h"
#include "libfrpc.h"
#include "records.h"
#include "stat_maps.h"

/*
 * The programs by what they fill. The maps are all created: stats_read
 * reads them all, and what no program fills stays empty.
 */
static void stats_select(struct fastrpc_stat_bpf *skel, unsigned int what)
{
	/* followed one by one, or counted by the driver */
	unsigned int requests = skel->rodata->per_request ? STATS_TRAFFIC : 0;
	const struct bpf_part progs[] = {
		{ skel->progs.ctx_complete, STATS_CALLS | STATS_TRAFFIC },
		{ skel->progs.msg_send_fail, STATS_TRAFFIC },
		{ skel->progs.msg_response, requests },
		{ skel->progs.msg_bad_response, STATS_TRAFFIC },
		{ skel->progs.dsp_down, STATS_TRAFFIC },
		{ skel->progs.msg_send, requests },
		{ skel->progs.client_close, STATS_MEMORY },
		{ skel->progs.map_release, STATS_MEMORY },
		{ skel->progs.munmap, STATS_MEMORY },
		{ skel->progs.mem_unmap, STATS_MEMORY },
		{ skel->progs.buf_free, STATS_MEMORY },
		{ skel->progs.map_import, STATS_MEMORY },
		{ skel->progs.mmap, STATS_MEMORY },
		{ skel->progs.mem_map, STATS_MEMORY },
		{ skel->progs.buf_alloc, STATS_MEMORY },
	};

	bpf_select(progs, sizeof(progs) / sizeof(progs[0]), what);
}

/* The channel line's counts, if it is one */
static int channel_counts(void *arg, struct kvrec *r, const char *line)
{
	struct chan_counts *cc = arg;

	(void)line;
	if (!r || strcmp(r->type, "channel"))
		return 0;
	cc->generation = kv_num(r, "generation", 0);
	cc->sent = kv_num(r, "sent", 0);
	cc->sent_bytes = kv_num(r, "sent_bytes", 0);
	cc->received = kv_num(r, "received", 0);
	cc->received_bytes = kv_num(r, "received_bytes", 0);
	cc->in_flight = kv_num(r, "pending", 0);
	cc->in_flight_max = kv_num(r, "in_flight_max", 0);
	return 1;
}

/*
 * The driver's counts of domain d now; generation 0: no channel (or no
 * file: channel_counts fills them only from a channel line)
 */
static void driver_counts(int d, struct chan_counts *cc)
{
	memset(cc, 0, sizeof(*cc));
	frpc_debugfs_each(frpc_domain_name(d), channel_counts, cc);
}

static bool driver_wanted(const struct stats *st, int d)
{
	return st->domain < 0 || st->domain == d;
}

int stats_start(struct ctl *c, const char *cmd, const struct bpf_filter *f,
		bool ms, unsigned int what, struct stats *st)
{
	struct fastrpc_stat_bpf *skel;
	int ret, err;

	ret = bpf_tools_ready(c);
	if (ret)
		return ret;
	skel = fastrpc_stat_bpf__open();
	if (!skel)
		return bpf_load_err(c, cmd, "open", errno);
	memset(st, 0, sizeof(*st));
	BPF_FILTER_SET(skel->rodata, f);
	/*
	 * Only a process or handle filter must match answers to the requests
	 * it selected; else the driver counts them, if it can be read
	 */
	skel->rodata->per_request = f->pid || f->comm || f->has_handle ||
				    access(FRPC_DEBUGFS_DIR, R_OK | X_OK);
	skel->rodata->targ_ms = ms;
	skel->rodata->fill_domain = what & STATS_CALLS_DOMAIN;
	skel->rodata->fill_method = what & STATS_CALLS_METHOD;
	skel->rodata->fill_process = what & STATS_CALLS_PROCESS;
	skel->rodata->fill_traffic = what & STATS_TRAFFIC;
	stats_select(skel, what);
	err = fastrpc_stat_bpf__load(skel);
	if (!err)
		err = fastrpc_stat_bpf__attach(skel);
	if (err) {
		fastrpc_stat_bpf__destroy(skel);
		return bpf_load_err(c, cmd, "load", err);
	}
	st->skel = skel;
	st->domain = f->domain;
	st->from_driver = (what & STATS_TRAFFIC) && !skel->rodata->per_request;
	for (int d = 0; st->from_driver && d < FRPC_DOMAINS; d++) {
		if (!driver_wanted(st, d))
			continue;
		driver_counts(d, &st->base[d]);
		st->last[d] = st->base[d];
	}
	return 0;
}

void stats_stop(struct stats *st)
{
	fastrpc_stat_bpf__destroy(st->skel);
	st->skel = NULL;
}

/* One CPU's value of a per-CPU map element, merged into out */
typedef void (*merge_fn)(void *out, const void *cpu_value);

/* A per-CPU map's values as one lookup returns them */
struct percpu {
	int ncpus;
	unsigned char *buf;	/* room for ncpus of the largest value */
};

#define PERCPU_STRIDE(size)	(((size) + 7) & ~(size_t)7)

static int percpu_init(struct percpu *pc, size_t largest)
{
	pc->ncpus = libbpf_num_possible_cpus();
	if (pc->ncpus <= 0)
		return pc->ncpus ? pc->ncpus : -EINVAL;
	pc->buf = malloc(pc->ncpus * PERCPU_STRIDE(largest));
	return pc->buf ? 0 : -ENOMEM;
}

/*
 * The element at key, its CPUs' values (of size bytes each) merged into
 * out, which the caller zeroed; -errno as bpf_map_lookup_elem's
 */
static int percpu_lookup(const struct percpu *pc, int fd, const void *key,
			 size_t size, void *out, merge_fn merge)
{
	if (bpf_map_lookup_elem(fd, key, pc->buf))
		return -errno;
	for (int cpu = 0; cpu < pc->ncpus; cpu++)
		merge(out, pc->buf + cpu * PERCPU_STRIDE(size));
	return 0;
}

static void hist_merge(void *out, const void *cpu_value)
{
	struct frpc_hist *h = out;
	const struct frpc_hist *c = cpu_value;

	for (int i = 0; i < FRPC_HIST_SLOTS; i++)
		h->slots[i] += c->slots[i];
	h->calls += c->calls;
	h->errors += c->errors;
	h->unknown += c->unknown;
	h->total += c->total;
	if (c->max > h->max)
		h->max = c->max;
}

static void domain_merge(void *out, const void *cpu_value)
{
	struct frpc_domain_stat *d = out;
	const struct frpc_domain_stat *c = cpu_value;

	d->msgs_sent += c->msgs_sent;
	d->bytes_sent += c->bytes_sent;
	d->msgs_received += c->msgs_received;
	d->bytes_received += c->bytes_received;
	d->send_failures += c->send_failures;
	d->bad_responses += c->bad_responses;
	d->dsp_down += c->dsp_down;
	d->maps += c->maps;
	d->map_bytes += c->map_bytes;
	d->dsp_maps += c->dsp_maps;
	d->dsp_map_bytes += c->dsp_map_bytes;
	d->bufs += c->bufs;
	d->buf_bytes += c->buf_bytes;
	if (c->in_flight_max > d->in_flight_max)
		d->in_flight_max = c->in_flight_max;
	d->gone.sent += c->gone.sent;
	d->gone.sent_bytes += c->gone.sent_bytes;
	d->gone.received += c->gone.received;
	d->gone.received_bytes += c->gone.received_bytes;
	if (c->gone.generation > d->gone.generation)
		d->gone.generation = c->gone.generation;
}

static void proc_merge(void *out, const void *cpu_value)
{
	struct frpc_proc_stat *p = out;
	const struct frpc_proc_stat *c = cpu_value;

	hist_merge(&p->hist, &c->hist);
	p->maps += c->maps;
	p->map_bytes += c->map_bytes;
	p->dsp_maps += c->dsp_maps;
	p->dsp_map_bytes += c->dsp_map_bytes;
	p->bufs += c->bufs;
	p->buf_bytes += c->buf_bytes;
	p->domain_mask |= c->domain_mask;
	if (!p->comm[0])
		memcpy(p->comm, c->comm, sizeof(p->comm));
}

static int method_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct method_entry *)a)->key,
		      &((const struct method_entry *)b)->key,
		      sizeof(struct frpc_method_key));
}

static int proc_cmp(const void *a, const void *b)
{
	int32_t x = ((const struct proc_entry *)a)->pid;
	int32_t y = ((const struct proc_entry *)b)->pid;

	return (x > y) - (x < y);
}

/*
 * A per-CPU hash map read into an array of entries: each entry_size
 * bytes, the key first, the value (value_size bytes per CPU, merged) at
 * value_off; sorted with cmp.
 */
struct hash_layout {
	size_t key_size;
	size_t value_size;
	size_t value_off;
	size_t entry_size;
	merge_fn merge;
	int (*cmp)(const void *a, const void *b);
};

static const struct hash_layout method_layout = {
	.key_size = sizeof(struct frpc_method_key),
	.value_size = sizeof(struct frpc_hist),
	.value_off = offsetof(struct method_entry, hist),
	.entry_size = sizeof(struct method_entry),
	.merge = hist_merge,
	.cmp = method_cmp,
};

static const struct hash_layout proc_layout = {
	.key_size = sizeof(int32_t),
	.value_size = sizeof(struct frpc_proc_stat),
	.value_off = offsetof(struct proc_entry, stat),
	.entry_size = sizeof(struct proc_entry),
	.merge = proc_merge,
	.cmp = proc_cmp,
};

static int read_hash(const struct percpu *pc, int fd,
		     const struct hash_layout *l, void **out, size_t *n)
{
	size_t key_size = l->key_size, entry_size = l->entry_size;
	unsigned char key[64], next[64];
	size_t cap = 0, cnt = 0;
	char *arr = NULL, *grown;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		if (cnt == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(arr, cap * entry_size);
			if (!grown) {
				free(arr);
				return -ENOMEM;
			}
			arr = grown;
		}
		memset(arr + cnt * entry_size, 0, entry_size);
		memcpy(arr + cnt * entry_size, next, key_size);
		/* an entry deleted meanwhile is skipped, not an error */
		if (!percpu_lookup(pc, fd, next, l->value_size,
				   arr + cnt * entry_size + l->value_off,
				   l->merge))
			cnt++;
		memcpy(key, next, key_size);
		prev = key;
	}
	if (cnt)
		qsort(arr, cnt, entry_size, l->cmp);
	*out = arr;
	*n = cnt;
	return 0;
}

/*
 * The most in flight since the load that the driver's high-water mark
 * shows: its rise on the channel of the load, the whole of a later one's
 */
static uint64_t driver_max_since(const struct chan_counts *base,
				 const struct chan_counts *cur)
{
	if (cur->generation != base->generation)
		return cur->in_flight_max;
	return cur->in_flight_max > base->in_flight_max ? cur->in_flight_max : 0;
}

/*
 * Domain d's traffic since the load, from the driver: what went with the
 * channels that went down (ds->gone, read after the channel line), and
 * the live channel's counts unless it is among them. A channel whose
 * line is gone and whose going the programs have not seen yet counts as
 * last read.
 */
static void driver_traffic(struct stats *st, int d, struct frpc_domain_stat *ds)
{
	const struct chan_counts *base = &st->base[d];
	const struct chan_counts *last = &st->last[d];
	uint64_t max;

	ds->msgs_sent = ds->gone.sent - base->sent;
	ds->bytes_sent = ds->gone.sent_bytes - base->sent_bytes;
	ds->msgs_received = ds->gone.received - base->received;
	ds->bytes_received = ds->gone.received_bytes - base->received_bytes;
	ds->in_flight = 0;
	if (last->generation > ds->gone.generation) {
		ds->msgs_sent += last->sent;
		ds->bytes_sent += last->sent_bytes;
		ds->msgs_received += last->received;
		ds->bytes_received += last->received_bytes;
		ds->in_flight = last->in_flight;
		max = driver_max_since(base, last);
		if (max > ds->in_flight_max)
			ds->in_flight_max = max;
	}
	if ((uint64_t)ds->in_flight > ds->in_flight_max)
		ds->in_flight_max = ds->in_flight;
	if (st->in_flight_max[d] > ds->in_flight_max)
		ds->in_flight_max = st->in_flight_max[d];
	st->in_flight_max[d] = ds->in_flight_max;
}

static int read_domains(struct stats *st, const struct percpu *pc,
			struct stat_snapshot *s)
{
	struct fastrpc_stat_bpf *skel = st->skel;
	int hist_fd = bpf_map__fd(skel->maps.hist_domain);
	int dom_fd = bpf_map__fd(skel->maps.domains);
	int flight_fd = bpf_map__fd(skel->maps.flight);
	struct chan_counts cur;
	struct frpc_flight f;
	int ret;

	for (uint32_t d = 0; d < FRPC_DOMAINS; d++) {
		/* the channel line first: its going is then in gone, if seen */
		if (st->from_driver && driver_wanted(st, d)) {
			driver_counts(d, &cur);
			if (cur.generation)
				st->last[d] = cur;
		}
		ret = percpu_lookup(pc, hist_fd, &d, sizeof(struct frpc_hist),
				    &s->domain_hist[d], hist_merge) ?:
		      percpu_lookup(pc, dom_fd, &d,
				    sizeof(struct frpc_domain_stat),
				    &s->domain[d], domain_merge);
		if (ret)
			return ret;
		if (st->from_driver && driver_wanted(st, d)) {
			driver_traffic(st, d, &s->domain[d]);
			continue;
		}
		if (!skel->rodata->per_request)
			continue;
		if (bpf_map_lookup_elem(flight_fd, &d, &f))
			return -errno;
		s->domain[d].in_flight = f.in_flight;
		s->domain[d].in_flight_max = f.in_flight_max;
	}
	return 0;
}

int stats_read(struct stats *st, struct stat_snapshot *s)
{
	struct fastrpc_stat_bpf *skel = st->skel;
	struct percpu pc;
	void *arr;
	int ret;

	memset(s, 0, sizeof(*s));
	s->taken_ns = mono_ns();
	/* every map's values fit the room of the largest */
	ret = percpu_init(&pc, sizeof(struct frpc_proc_stat));
	if (ret)
		return ret;
	ret = read_domains(st, &pc, s);
	if (ret)
		goto out;
	ret = read_hash(&pc, bpf_map__fd(skel->maps.hist_method),
			&method_layout, &arr, &s->nmethods);
	if (ret)
		goto out;
	s->methods = arr;
	ret = read_hash(&pc, bpf_map__fd(skel->maps.procs), &proc_layout,
			&arr, &s->nprocs);
	if (ret)
		goto out;
	s->procs = arr;
out:
	if (ret)
		stats_free(s);
	free(pc.buf);
	return ret;
}

void stats_free(struct stat_snapshot *s)
{
	free(s->methods);
	free(s->procs);
	s->methods = NULL;
	s->procs = NULL;
	s->nmethods = s->nprocs = 0;
}

static void hist_sub(struct frpc_hist *h, const struct frpc_hist *prev)
{
	for (int i = 0; i < FRPC_HIST_SLOTS; i++)
		h->slots[i] -= prev->slots[i];
	h->calls -= prev->calls;
	h->errors -= prev->errors;
	h->unknown -= prev->unknown;
	h->total -= prev->total;
}

static void domain_sub(struct frpc_domain_stat *d,
		       const struct frpc_domain_stat *prev)
{
	d->msgs_sent -= prev->msgs_sent;
	d->bytes_sent -= prev->bytes_sent;
	d->msgs_received -= prev->msgs_received;
	d->bytes_received -= prev->bytes_received;
	d->send_failures -= prev->send_failures;
	d->bad_responses -= prev->bad_responses;
	d->dsp_down -= prev->dsp_down;
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p = malloc(n ? n * size : 1);

	if (p && n)
		memcpy(p, src, n * size);
	return p;
}

int stats_delta(struct stat_snapshot *out, const struct stat_snapshot *cur,
		const struct stat_snapshot *prev)
{
	*out = *cur;
	out->methods = dup_array(cur->methods, cur->nmethods,
				 sizeof(*cur->methods));
	out->procs = dup_array(cur->procs, cur->nprocs, sizeof(*cur->procs));
	if (!out->methods || !out->procs) {
		stats_free(out);
		return -ENOMEM;
	}
	if (!prev)
		return 0;
	for (int d = 0; d < FRPC_DOMAINS; d++) {
		hist_sub(&out->domain_hist[d], &prev->domain_hist[d]);
		domain_sub(&out->domain[d], &prev->domain[d]);
	}
	for (size_t i = 0; i < out->nmethods; i++) {
		const struct method_entry *p;

		p = bsearch(&out->methods[i], prev->methods, prev->nmethods,
			    sizeof(*p), method_cmp);
		if (p)
			hist_sub(&out->methods[i].hist, &p->hist);
	}
	for (size_t i = 0; i < out->nprocs; i++) {
		const struct proc_entry *p;

		p = bsearch(&out->procs[i], prev->procs, prev->nprocs,
			    sizeof(*p), proc_cmp);
		if (p)
			hist_sub(&out->procs[i].stat.hist, &p->stat.hist);
	}
	return 0;
}

static bool holds_memory(const struct frpc_proc_stat *p)
{
	return p->maps > 0 || p->dsp_maps > 0 || p->bufs > 0;
}

void stats_prune(struct stats *st, const struct stat_snapshot *s)
{
	int fd = bpf_map__fd(st->skel->maps.procs);

	for (size_t i = 0; i < s->nprocs; i++) {
		const struct proc_entry *p = &s->procs[i];

		if (holds_memory(&p->stat))
			continue;
		if (kill(p->pid, 0) && errno == ESRCH)
			bpf_map_delete_elem(fd, &p->pid);
	}
}

double hist_avg(const struct frpc_hist *h)
{
	uint64_t timed = h->calls - h->unknown;

	return timed ? (double)h->total / timed : 0;
}

bool hist_used_any(const struct frpc_hist *h)
{
	return h->calls != 0;
}

bool domain_active(const struct stat_snapshot *s, int d)
{
	const struct frpc_domain_stat *ds = &s->domain[d];

	return hist_used_any(&s->domain_hist[d]) || ds->msgs_sent ||
	       ds->msgs_received || ds->bad_responses || ds->in_flight > 0 ||
	       ds->maps > 0 || ds->dsp_maps > 0 || ds->bufs > 0 ||
	       ds->dsp_down;
}

bool proc_active(const struct proc_entry *p)
{
	return hist_used_any(&p->stat.hist) || holds_memory(&p->stat);
}
