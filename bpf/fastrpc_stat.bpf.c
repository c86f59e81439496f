// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel aggregation for fastrpcctl stat and top: log2 latency
 * histograms per domain, per (domain, handle, method) and per process;
 * rpmsg traffic and calls in flight per domain; live maps and buffers per
 * process and per domain. Userspace only reads the maps: nothing is
 * streamed per call.
 *
 * Every filter applies to every counter that has a process behind it:
 * a request passes or fails them when it is sent (the message names its
 * process and handle), and its answer or send failure counts only if the
 * request did (sent, keyed by domain and wire ctx). What the DSP does on
 * its own, a response no request matches and its going down, only the
 * domain filter can select.
 *
 * With no filter but the domain's, no request is followed: the driver
 * counts requests, responses and calls in flight itself, under a lock it
 * holds anyway, and the reader takes them from debugfs (per_request
 * clear). msg_send and msg_response are then not loaded, and a call
 * runs one program, ctx_complete. What the reader cannot take from the
 * driver comes from here: the final counts of a channel that went down
 * (dsp_down) and the most calls in flight that a completed call found
 * as it entered flight (ctx_complete). Without debugfs the loader sets
 * per_request, and every request is followed.
 *
 * Per-CPU counters: the histograms and the traffic counters are per-CPU
 * values (userspace adds the CPUs up), so that a call costs no atomic
 * operation on a line every CPU writes. Each of their fields has one
 * writer, a single program, which never runs nested in itself on a CPU
 * (the raw_tp recursion guard), so plain additions lose nothing even when
 * a response's program runs in an interrupt. Live memory has several
 * writers (an object appears in one program and goes in another, in any
 * context): its counters stay atomic, on events far rarer than calls.
 *
 * Calls in flight, when requests are followed one by one (sent_slots),
 * are counted in a global array (flight), which costs a compare-and-swap
 * at each end.
 *
 * Live memory is counted against the owner recorded when the object
 * appeared (owners, keyed by kind and id), so that a release seen in
 * another task's context (a dma-buf's last close, a worker) lands on the
 * right process, and one that began before tracing counts nowhere.
 *
 * Attach order: the skeleton attaches programs in the order they appear
 * here, so every program that ends something (a response, an unmap, a
 * free) comes before the one that begins it. An object that begins while
 * the programs are being attached is then either missed whole or seen
 * whole, never begun without its end being watched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "fastrpc_tools.h"
#include "fastrpc_common.bpf.h"

/* Histogram unit: microseconds, or milliseconds when set */
const volatile bool targ_ms = false;

/*
 * The histograms a call goes into: those the report shows, set before
 * load (stat -k domain reads only the domains', and then a call costs no
 * hash lookup)
 */
const volatile bool fill_domain = true;
const volatile bool fill_method = true;
const volatile bool fill_process = true;

/*
 * Requests are followed one by one and in_flight counted in the map
 * flight (a process or handle filter, or no debugfs to read the driver's
 * counts from: see the top); otherwise ctx_complete keeps the most in
 * flight when fill_traffic is set. Set before load by the loader, which
 * reads per_request back.
 */
const volatile bool per_request = false;
const volatile bool fill_traffic = true;

static const struct frpc_hist zero_hist;
static const struct frpc_proc_stat zero_proc;

/*
 * The hash maps allocate their elements as they fill (BPF_F_NO_PREALLOC):
 * preallocating all 40960 at load took a tenth of a start's time in the
 * test guest, for tables that hold a few dozen entries. Their sizes still
 * bound them; tracing programs may allocate since Linux 6.1.
 */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FRPC_DOMAINS);
	__type(key, __u32);
	__type(value, struct frpc_hist);
} hist_domain SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct frpc_method_key);
	__type(value, struct frpc_hist);
} hist_method SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __s32);
	__type(value, struct frpc_proc_stat);
} procs SEC(".maps");

/* Per-CPU: in_flight stays 0 (see struct frpc_domain_stat) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FRPC_DOMAINS);
	__type(key, __u32);
	__type(value, struct frpc_domain_stat);
} domains SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FRPC_DOMAINS);
	__type(key, __u32);
	__type(value, struct frpc_flight);
} flight SEC(".maps");

enum owner_kind { OWN_MAP, OWN_DSP_MAP, OWN_BUF };

struct owner_key {
	__u32 kind;		/* enum owner_kind */
	__u32 id;		/* map or buffer id */
};

struct owner {
	__s32 tgid;
	__u32 domain;
	__u32 client;		/* DSP maps: the client that made them */
	__u32 pad;
	__u64 size;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct owner_key);
	__type(value, struct owner);
} owners SEC(".maps");

/*
 * Requests in flight that passed the filters, by (domain, wire ctx): in
 * the slot of their context id in sent_slots (SENT_SLOTS per domain, the
 * id modulo that), which holds the wire ctx (never 0: ids start at 1),
 * so that a request and its answer cost one compare-and-swap each, no
 * hash and no allocation; a request whose slot an earlier one still
 * holds (a call in flight while SENT_SLOTS later ones were sent) goes to
 * the hash map sent instead.
 */
#define SENT_SLOTS	4096	/* a power of two */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FRPC_DOMAINS * SENT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} sent_slots SEC(".maps");

struct sent_key {
	__u32 domain;
	__u32 pad;
	__u64 wire_ctx;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sent_key);
	__type(value, __u8);
} sent SEC(".maps");

static __always_inline __u64 *sent_slot(__u32 domain, __u64 wire_ctx)
{
	/* the wire ctx is the id above the PD type's 4 bits (wire.h) */
	__u32 i = domain * SENT_SLOTS + ((wire_ctx >> 4) & (SENT_SLOTS - 1));

	return bpf_map_lookup_elem(&sent_slots, &i);
}

/* Now in flight; false if it was already (one left over from a resend) */
static __always_inline bool sent_add(__u32 domain, __u64 wire_ctx)
{
	struct sent_key key = { .domain = domain, .wire_ctx = wire_ctx };
	__u64 *slot = sent_slot(domain, wire_ctx), held;
	__u8 one = 1;

	if (slot) {
		held = __sync_val_compare_and_swap(slot, 0, wire_ctx);
		if (!held)
			return true;
		if (held == wire_ctx)
			return false;
	}
	return !bpf_map_update_elem(&sent, &key, &one, BPF_NOEXIST);
}

/* In flight no more; false if it was not (it failed the filters) */
static __always_inline bool sent_take(__u32 domain, __u64 wire_ctx)
{
	struct sent_key key = { .domain = domain, .wire_ctx = wire_ctx };
	__u64 *slot = sent_slot(domain, wire_ctx);

	if (slot && __sync_val_compare_and_swap(slot, wire_ctx, 0) == wire_ctx)
		return true;
	return !bpf_map_delete_elem(&sent, &key);
}

static __always_inline void *lookup_or_init(void *map, const void *key,
					    const void *zero)
{
	void *val = bpf_map_lookup_elem(map, key);

	if (val)
		return val;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

static __always_inline struct frpc_proc_stat *proc_get(__s32 tgid)
{
	struct frpc_proc_stat *p;

	p = lookup_or_init(&procs, &tgid, &zero_proc);
	/*
	 * The name of the process, as soon as one of its tasks is seen on
	 * this CPU (the reader takes the first CPU's that has one)
	 */
	if (p && !p->comm[0] && current_tgid() == tgid)
		bpf_get_current_comm(p->comm, sizeof(p->comm));
	return p;
}

static __always_inline struct frpc_domain_stat *domain_get(__u32 domain)
{
	return bpf_map_lookup_elem(&domains, &domain);
}

/* The domain's counters when the domain filter lets it through */
static __always_inline struct frpc_domain_stat *domain_watched(__u32 domain)
{
	return domain_wanted(domain) ? domain_get(domain) : NULL;
}

/* This CPU's most in flight, which ctx_complete alone writes */
static __always_inline void flight_max(__u32 domain, __u32 in_flight)
{
	struct frpc_domain_stat *d = domain_get(domain);

	if (d && in_flight > d->in_flight_max)
		d->in_flight_max = in_flight;
}

/*
 * One call into histogram h (NULL: none). A global function: the
 * verifier checks it once, on its own, instead of once for every path
 * through each of its three call sites. Inlined, ctx_complete took 9758
 * instructions to verify, 2009 now; "fastrpcctl stat 1 1" in the test
 * guest went from 4.3-6.2 s to 2.8-4.2 s.
 */
__noinline int hist_add(struct frpc_hist *h, __u64 value, bool known,
			bool error)
{
	__u32 slot = log2_u64(value);

	/* this CPU's: ctx_complete is its one writer (see the top) */
	if (!h)
		return 0;
	h->calls++;
	if (error)
		h->errors++;
	if (!known) {
		h->unknown++;
		return 0;
	}
	if (slot >= FRPC_HIST_SLOTS)
		slot = FRPC_HIST_SLOTS - 1;
	h->slots[slot]++;
	h->total += value;
	if (value > h->max)
		h->max = value;
	return 0;
}

SEC("raw_tp/fastrpc_ctx_complete")
int BPF_PROG(ctx_complete, u32 domain, s32 tgid, s32 tid, u32 client_id,
	     u32 ctx_id, u32 handle, u32 sc, s32 retval, u64 start_ns,
	     u64 payload_bytes, u32 in_flight)
{
	struct frpc_method_key mkey = {
		.domain = domain, .handle = handle, .method = sc_method(sc),
	};
	struct frpc_proc_stat *p;
	struct frpc_hist *h;
	__u64 value = 0;
	bool known = start_ns != 0;

	if (domain >= FRPC_DOMAINS || !call_wanted(domain, tgid, handle))
		return 0;
	if (known) {
		value = bpf_ktime_get_ns() - start_ns;
		value /= targ_ms ? 1000000 : 1000;
	}

	if (fill_domain) {
		h = bpf_map_lookup_elem(&hist_domain, &domain);
		hist_add(h, value, known, retval != 0);
	}
	if (fill_method) {
		h = lookup_or_init(&hist_method, &mkey, &zero_hist);
		hist_add(h, value, known, retval != 0);
	}
	p = fill_process ? proc_get(tgid) : NULL;
	if (p) {
		hist_add(&p->hist, value, known, retval != 0);
		p->domain_mask |= 1u << domain;
	}
	if (fill_traffic && !per_request)
		flight_max(domain, in_flight);
	return 0;
}

/* ---- rpmsg traffic -------------------------------------------------- */

/* in_flight never drops below 0: a response racing dsp_down's reset */
static __always_inline void in_flight_dec(__u32 domain)
{
	struct frpc_flight *f = bpf_map_lookup_elem(&flight, &domain);
	__s64 cur;
	int i;

	for (i = 0; f && i < 4; i++) {
		cur = f->in_flight;
		if (cur <= 0)
			return;
		if (__sync_val_compare_and_swap(&f->in_flight, cur, cur - 1) == cur)
			return;
	}
}

static __always_inline void in_flight_inc(__u32 domain)
{
	struct frpc_flight *f = bpf_map_lookup_elem(&flight, &domain);
	__u64 max;
	__s64 now;
	int i;

	if (!f)
		return;
	now = __sync_add_and_fetch(&f->in_flight, 1);
	for (i = 0; i < 4; i++) {
		max = f->in_flight_max;
		if (now <= (__s64)max)
			return;
		if (__sync_val_compare_and_swap(&f->in_flight_max, max, now) == max)
			return;
	}
}

/*
 * This CPU's counters of the request's domain when it passed the filters
 * at its send: it is in flight no more.
 */
static __always_inline struct frpc_domain_stat *answered(__u32 domain,
							 __u64 wire_ctx)
{
	if (!sent_take(domain, wire_ctx))
		return NULL;
	in_flight_dec(domain);
	return domain_get(domain);
}

/* A send failure counts if its request does: every one, unless followed */
SEC("raw_tp/fastrpc_msg_send_fail")
int BPF_PROG(msg_send_fail, u32 domain, u64 wire_ctx, s32 err)
{
	struct frpc_domain_stat *d;

	d = per_request ? answered(domain, wire_ctx) : domain_watched(domain);
	if (d)
		d->send_failures++;
	return 0;
}

/* Loaded only when requests are followed one by one */
SEC("raw_tp/fastrpc_msg_response")
int BPF_PROG(msg_response, u32 domain, u64 wire_ctx, s32 retval, u32 len)
{
	struct frpc_domain_stat *d = answered(domain, wire_ctx);

	if (!d)
		return 0;
	d->msgs_received++;
	d->bytes_received += len;
	return 0;
}

/* No request matches it: the DSP's, only the domain filter applies */
SEC("raw_tp/fastrpc_msg_bad_response")
int BPF_PROG(msg_bad_response, u32 domain, u64 wire_ctx, s32 len, s32 reason)
{
	struct frpc_domain_stat *d = domain_watched(domain);

	if (d)
		d->bad_responses++;
	return 0;
}

static long forget_sent(void *map, struct sent_key *key, __u8 *val,
			__u32 *domain)
{
	if (key->domain == *domain)
		bpf_map_delete_elem(map, key);
	return 0;
}

static long forget_slot(void *map, __u32 *key, __u64 *val, __u32 *domain)
{
	if (*key / SENT_SLOTS == *domain)
		*val = 0;
	return 0;
}

/*
 * The pending calls complete with -EPIPE and no message: none in flight.
 * The channel's counts in all go with it: the reader can no longer take
 * them from the driver, so they are kept here (this CPU's sum; the
 * generation is the channel's, above bit 40 of flight_seq).
 */
SEC("raw_tp/fastrpc_dsp_down")
int BPF_PROG(dsp_down, u32 domain, u32 pending, u64 flight_seq,
	     u64 chan_sent, u64 chan_sent_bytes, u64 chan_received,
	     u64 chan_received_bytes)
{
	struct frpc_domain_stat *d = domain_watched(domain);
	struct frpc_gone_traffic *g;
	struct frpc_flight *f;

	if (!d)
		return 0;
	d->dsp_down++;
	if (!per_request) {
		g = &d->gone;
		g->sent += chan_sent;
		g->sent_bytes += chan_sent_bytes;
		g->received += chan_received;
		g->received_bytes += chan_received_bytes;
		if (flight_seq >> 40 > g->generation)
			g->generation = flight_seq >> 40;
		return 0;
	}
	f = bpf_map_lookup_elem(&flight, &domain);
	if (!f)
		return 0;
	bpf_for_each_map_elem(&sent_slots, forget_slot, &domain, 0);
	bpf_for_each_map_elem(&sent, forget_sent, &domain, 0);
	f->in_flight = 0;
	return 0;
}

/*
 * Loaded only when requests are followed one by one. pid is 0 in the
 * message for the driver's own calls (MMAP, process setup): they are
 * sent from the task of the ioctl that made them.
 */
SEC("raw_tp/fastrpc_msg_send")
int BPF_PROG(msg_send, u32 domain, s32 pid, s32 tid, u64 wire_ctx, u32 handle,
	     u32 sc, u64 size)
{
	struct frpc_domain_stat *d;

	if (domain >= FRPC_DOMAINS ||
	    !call_wanted(domain, pid ? pid : current_tgid(), handle))
		return 0;
	d = domain_get(domain);
	if (!d)
		return 0;
	d->msgs_sent++;
	d->bytes_sent += size;
	if (sent_add(domain, wire_ctx))
		in_flight_inc(domain);
	return 0;
}

/* ---- live memory ---------------------------------------------------- */

/*
 * Add (sign 1) or take away (-1) one object of kind from its counters:
 * atomically, as an object may go on this CPU in another context than
 * the one it came in (see the top)
 */
static __always_inline void mem_account(enum owner_kind kind,
					const struct owner *o, int sign)
{
	__s64 n = sign, bytes = sign * (__s64)o->size;
	struct frpc_domain_stat *d = NULL;
	struct frpc_proc_stat *p;

	p = proc_get(o->tgid);
	if (o->domain < FRPC_DOMAINS)
		d = domain_get(o->domain);
	switch (kind) {
	case OWN_MAP:
		if (p) {
			__sync_fetch_and_add(&p->maps, n);
			__sync_fetch_and_add(&p->map_bytes, bytes);
		}
		if (d) {
			__sync_fetch_and_add(&d->maps, n);
			__sync_fetch_and_add(&d->map_bytes, bytes);
		}
		break;
	case OWN_DSP_MAP:
		if (p) {
			__sync_fetch_and_add(&p->dsp_maps, n);
			__sync_fetch_and_add(&p->dsp_map_bytes, bytes);
		}
		if (d) {
			__sync_fetch_and_add(&d->dsp_maps, n);
			__sync_fetch_and_add(&d->dsp_map_bytes, bytes);
		}
		break;
	case OWN_BUF:
		if (p) {
			__sync_fetch_and_add(&p->bufs, n);
			__sync_fetch_and_add(&p->buf_bytes, bytes);
		}
		if (d) {
			__sync_fetch_and_add(&d->bufs, n);
			__sync_fetch_and_add(&d->buf_bytes, bytes);
		}
		break;
	}
}

static __always_inline int mem_appear(enum owner_kind kind, __u32 id,
				      __s32 tgid, __u32 domain, __u32 client,
				      __u64 size)
{
	struct owner_key key = { .kind = kind, .id = id };
	struct owner o = {
		.tgid = tgid, .domain = domain, .client = client, .size = size,
	};

	if (domain >= FRPC_DOMAINS || !process_wanted(domain, tgid))
		return 0;
	if (bpf_map_update_elem(&owners, &key, &o, BPF_NOEXIST))
		return 0;
	mem_account(kind, &o, 1);
	return 0;
}

static __always_inline int mem_vanish(enum owner_kind kind, __u32 id)
{
	struct owner_key key = { .kind = kind, .id = id };
	struct owner *found, o;

	found = bpf_map_lookup_elem(&owners, &key);
	if (!found)
		return 0;
	o = *found;
	/* only the one who deletes it accounts for it */
	if (bpf_map_delete_elem(&owners, &key))
		return 0;
	mem_account(kind, &o, -1);
	return 0;
}

/*
 * The DSP maps a client still had when it closed go with its PD: the
 * driver sends no MUNMAP/MEM_UNMAP for them, so they end here.
 */
struct client_ref {
	__u32 domain;
	__u32 client;
};

static long drop_client_map(void *map, struct owner_key *key,
			    struct owner *o, struct client_ref *ref)
{
	struct owner gone;

	if (key->kind != OWN_DSP_MAP || o->client != ref->client ||
	    o->domain != ref->domain)
		return 0;
	gone = *o;
	if (!bpf_map_delete_elem(map, key))
		mem_account(OWN_DSP_MAP, &gone, -1);
	return 0;
}

SEC("raw_tp/fastrpc_client_close")
int BPF_PROG(client_close, u32 domain, s32 tgid, u32 client_id, bool secure)
{
	struct client_ref ref = { .domain = domain, .client = client_id };

	bpf_for_each_map_elem(&owners, drop_client_map, &ref, 0);
	return 0;
}

SEC("raw_tp/fastrpc_map_release")
int BPF_PROG(map_release, u32 domain, s32 tgid, u32 client_id, u32 map_id,
	     s32 fd, u64 dsp_addr, u64 size, u32 flags)
{
	return mem_vanish(OWN_MAP, map_id);
}

#define DSP_UNMAP_PROG(unmap)						\
SEC("raw_tp/fastrpc_" #unmap)						\
int BPF_PROG(unmap, u32 domain, s32 tgid, u32 client_id, u32 map_id,	\
	     s32 fd, u64 dsp_addr, u64 size, u32 flags)			\
{									\
	return mem_vanish(OWN_DSP_MAP, map_id);				\
}

DSP_UNMAP_PROG(munmap)
DSP_UNMAP_PROG(mem_unmap)

SEC("raw_tp/fastrpc_buf_free")
int BPF_PROG(buf_free, u32 domain, u32 buf_id, u64 size)
{
	return mem_vanish(OWN_BUF, buf_id);
}

/* Beginnings, after every end is attached */

SEC("raw_tp/fastrpc_map_import")
int BPF_PROG(map_import, u32 domain, s32 tgid, u32 client_id, u32 map_id,
	     s32 fd, u64 dsp_addr, u64 size, u32 flags)
{
	return mem_appear(OWN_MAP, map_id, tgid, domain, client_id, size);
}

#define DSP_MAP_PROG(map)						\
SEC("raw_tp/fastrpc_" #map)						\
int BPF_PROG(map, u32 domain, s32 tgid, u32 client_id, u32 map_id,	\
	     s32 fd, u64 dsp_addr, u64 size, u32 flags)			\
{									\
	return mem_appear(OWN_DSP_MAP, map_id, tgid, domain, client_id,	\
			  size);					\
}

DSP_MAP_PROG(mmap)
DSP_MAP_PROG(mem_map)

/*
 * A driver buffer belongs to the process whose call allocated it, and to
 * the domain of that call's client
 */
SEC("raw_tp/fastrpc_buf_alloc")
int BPF_PROG(buf_alloc, u32 domain, u32 buf_id, u64 size)
{
	return mem_appear(OWN_BUF, buf_id, current_tgid(), domain, 0, size);
}

char LICENSE[] SEC("license") = "GPL";
