// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vdsp/<domain>/: what the DSP holds and has seen, and
 * the knobs that make it misbehave.
 *
 *   status      state, restarts, threads, process count
 *   processes   one "process" record per process, then one "map" record
 *               per mapping of it (key=value; name= last, may hold spaces)
 *   counters    totals, why the last refused request was refused, then
 *               one "call" record per service and method
 *   delay_us    every response waits this long (0: off)
 *   drop        drop the next N responses
 *   corrupt_ctx 1: mangle the next response's ctx
 *   fail        fail the next N requests with -fail_errno, unprocessed
 *   fail_errno  (default EIO)
 *   duplicate   send the next N responses twice
 *   misroute    the next N responses carry the ctx of a call of another
 *               process that the DSP holds (asleep), if there is one
 *   rsp_len     the next response is a message of N bytes (1..65536): the
 *               response's bytes that fit, then 0xa5
 *   crash_on    the DSP crashes on receipt of the next request for this
 *               method of the init handle (6 create, 10 mem_map, 1
 *               release...), unanswered; -1: off
 *   crash       write 1: the DSP crashes and restarts (rpmsg device
 *               removed, then registered again); returns once it is back
 *   floor       write N: N transport round trips; read: their statistics
 *   fuzz_permille  the response fuzzer (fuzz.c): this many replies in
 *               1000 go out wrong (0: off)
 *   fuzz_seed   the seed of its choices; a write restarts them from it
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "vdsp.h"

#define VDSP_FLOOR_MAX_ROUNDS	1000000

static struct dentry *vdsp_debugfs_root;

static int vdsp_status_show(struct seq_file *m, void *unused)
{
	struct vdsp_domain *dom = m->private;
	struct vdsp_proc *proc;
	unsigned long tgid;
	unsigned int n = 0;
	bool up;

	mutex_lock(&dom->proc_lock);
	xa_for_each(&dom->procs, tgid, proc)
		n++;
	mutex_unlock(&dom->proc_lock);
	spin_lock(&dom->lock);
	up = dom->up;
	spin_unlock(&dom->lock);
	seq_printf(m, "domain=%s state=%s restarts=%u threads=%u processes=%u\n",
		   dom->info->label, up ? "up" : "down", dom->restarts,
		   dom->nthreads, n);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vdsp_status);

static void vdsp_show_maps(struct seq_file *m, struct vdsp_proc *proc)
{
	struct vdsp_map *map;

	list_for_each_entry(map, &proc->maps, node)
		seq_printf(m, "map tgid=%d va=0x%llx size=%llu kind=%s flags=0x%x fd=%d uva=0x%llx segs=%u addr=0x%llx\n",
			   proc->tgid, map->va, map->size,
			   vdsp_map_kind_name(map->kind), map->flags, map->fd,
			   map->uva, map->nsegs, map->segs[0].addr);
}

static void vdsp_show_proc(struct seq_file *m, struct vdsp_proc *proc)
{
	struct vdsp_domain *dom = proc->dom;
	unsigned int handles = 0, nmaps = 0, parked = 0;
	const struct vdsp_map *map;
	struct vdsp_req *req;
	unsigned long h;
	void *skel;
	u64 bytes = 0;

	mutex_lock(&proc->lock);
	xa_for_each(&proc->handles, h, skel)
		handles++;
	list_for_each_entry(map, &proc->maps, node) {
		nmaps++;
		bytes += map->size;
	}
	spin_lock(&dom->lock);
	list_for_each_entry(req, &proc->parked, node)
		parked++;
	spin_unlock(&dom->lock);
	seq_printf(m, "process tgid=%d pd=%s sessions=%u attrs=0x%x siglen=%u filelen=%u handles=%u maps=%u map_bytes=%llu parked=%u name=%s\n",
		   proc->tgid, vdsp_pd_kind_name(proc->kind), proc->sessions,
		   proc->attrs, proc->siglen, proc->filelen, handles, nmaps,
		   bytes, parked, proc->name);
	vdsp_show_maps(m, proc);
	mutex_unlock(&proc->lock);
}

static int vdsp_processes_show(struct seq_file *m, void *unused)
{
	struct vdsp_domain *dom = m->private;
	struct vdsp_proc *proc;
	unsigned long tgid;

	mutex_lock(&dom->proc_lock);
	xa_for_each(&dom->procs, tgid, proc)
		vdsp_show_proc(m, proc);
	mutex_unlock(&dom->proc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vdsp_processes);

static void vdsp_show_calls(struct seq_file *m, struct vdsp_stats *st)
{
	u64 count, errors;
	int s, meth;

	for (s = 0; s < VDSP_SVC_COUNT; s++) {
		for (meth = 0; meth < VDSP_METHODS; meth++) {
			count = atomic64_read(&st->calls[s][meth]);
			errors = atomic64_read(&st->call_errors[s][meth]);
			if (!count && !errors)
				continue;
			seq_printf(m, "call service=%s method=%d count=%llu errors=%llu\n",
				   vdsp_svc_name(s), meth, count, errors);
		}
	}
}

static void vdsp_show_fuzzed(struct seq_file *m, struct vdsp_stats *st)
{
	int kind;

	for (kind = 0; kind < VDSP_FUZZ_KINDS; kind++)
		seq_printf(m, "fuzzed kind=%s count=%llu\n",
			   vdsp_fuzz_kind_name(kind),
			   atomic64_read(&st->fuzzed[kind]));
}

static int vdsp_counters_show(struct seq_file *m, void *unused)
{
	struct vdsp_domain *dom = m->private;
	struct vdsp_stats *st = &dom->stats;

	seq_printf(m, "requests %lld\n", atomic64_read(&st->requests));
	seq_printf(m, "responses %lld\n", atomic64_read(&st->responses));
	seq_printf(m, "errors %lld\n", atomic64_read(&st->errors));
	seq_printf(m, "malformed %lld\n", atomic64_read(&st->malformed));
	seq_printf(m, "failed %lld\n", atomic64_read(&st->failed));
	seq_printf(m, "failed_late %lld\n", atomic64_read(&st->failed_late));
	seq_printf(m, "dropped %lld\n", atomic64_read(&st->dropped));
	seq_printf(m, "corrupted %lld\n", atomic64_read(&st->corrupted));
	seq_printf(m, "duplicated %lld\n", atomic64_read(&st->duplicated));
	seq_printf(m, "misrouted %lld\n", atomic64_read(&st->misrouted));
	seq_printf(m, "resized %lld\n", atomic64_read(&st->resized));
	seq_printf(m, "crashed_on %lld\n", atomic64_read(&st->crashed_on));
	seq_printf(m, "delayed %lld\n", atomic64_read(&st->delayed));
	seq_printf(m, "discarded %lld\n", atomic64_read(&st->discarded));
	seq_printf(m, "smmu_faults %lld\n", atomic64_read(&st->smmu_faults));
	seq_printf(m, "sleeping %d\n", atomic_read(&st->sleeping));
	seq_printf(m, "parked %d\n", atomic_read(&st->parked));
	seq_printf(m, "last_refusal %s\n",
		   READ_ONCE(dom->last_refusal) ? : "none");
	vdsp_show_calls(m, st);
	vdsp_show_fuzzed(m, st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vdsp_counters);

static int vdsp_atomic_get(void *data, u64 *val)
{
	*val = atomic_read(data);
	return 0;
}

static int vdsp_atomic_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vdsp_atomic_fops, vdsp_atomic_get, vdsp_atomic_set,
			 "%llu\n");

#define VDSP_RSP_LEN_MAX	SZ_64K

static int vdsp_rsp_len_set(void *data, u64 val)
{
	if (val > VDSP_RSP_LEN_MAX)
		return -EINVAL;
	atomic_set(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vdsp_rsp_len_fops, vdsp_atomic_get, vdsp_rsp_len_set,
			 "%llu\n");

static int vdsp_crash_on_get(void *data, u64 *val)
{
	*val = (s64)atomic_read(data);
	return 0;
}

static int vdsp_crash_on_set(void *data, u64 val)
{
	s64 method = (s64)val;

	if (method < -1 || method >= VDSP_METHODS)
		return -EINVAL;
	atomic_set(data, method);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(vdsp_crash_on_fops, vdsp_crash_on_get,
				vdsp_crash_on_set, "%lld\n");

static int vdsp_fuzz_permille_get(void *data, u64 *val)
{
	struct vdsp_domain *dom = data;

	*val = READ_ONCE(dom->fault.fuzz_permille);
	return 0;
}

static int vdsp_fuzz_permille_set(void *data, u64 val)
{
	struct vdsp_domain *dom = data;

	if (val > 1000)
		return -EINVAL;
	WRITE_ONCE(dom->fault.fuzz_permille, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vdsp_fuzz_permille_fops, vdsp_fuzz_permille_get,
			 vdsp_fuzz_permille_set, "%llu\n");

static int vdsp_fuzz_seed_get(void *data, u64 *val)
{
	struct vdsp_domain *dom = data;

	spin_lock(&dom->fault.fuzz_lock);
	*val = dom->fault.fuzz_seed;
	spin_unlock(&dom->fault.fuzz_lock);
	return 0;
}

static int vdsp_fuzz_seed_set(void *data, u64 val)
{
	vdsp_fuzz_seed(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vdsp_fuzz_seed_fops, vdsp_fuzz_seed_get,
			 vdsp_fuzz_seed_set, "%llu\n");

static int vdsp_crash_set(void *data, u64 val)
{
	struct vdsp_domain *dom = data;

	if (val != 1)
		return -EINVAL;
	vdsp_domain_crash(dom);
	flush_work(&dom->restart_work);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vdsp_crash_fops, NULL, vdsp_crash_set, "%llu\n");

static int vdsp_floor_show(struct seq_file *m, void *unused)
{
	struct vdsp_domain *dom = m->private;
	struct vdsp_floor *f = &dom->floor;

	mutex_lock(&f->lock);
	if (f->rounds)
		seq_printf(m, "rounds=%llu min_ns=%llu avg_ns=%llu max_ns=%llu\n",
			   f->rounds, f->min_ns, div64_u64(f->total_ns, f->rounds),
			   f->max_ns);
	else
		seq_puts(m, "rounds=0\n");
	mutex_unlock(&f->lock);
	return 0;
}

static int vdsp_floor_open(struct inode *inode, struct file *file)
{
	return single_open(file, vdsp_floor_show, inode->i_private);
}

static ssize_t vdsp_floor_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct vdsp_domain *dom = ((struct seq_file *)file->private_data)->private;
	u64 rounds;
	int ret;

	ret = kstrtou64_from_user(ubuf, len, 0, &rounds);
	if (ret)
		return ret;
	if (!rounds || rounds > VDSP_FLOOR_MAX_ROUNDS)
		return -EINVAL;
	ret = vdsp_floor_run(dom, rounds);
	return ret ? ret : len;
}

static const struct file_operations vdsp_floor_fops = {
	.owner = THIS_MODULE,
	.open = vdsp_floor_open,
	.read = seq_read,
	.write = vdsp_floor_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void vdsp_debugfs_add(struct vdsp_domain *dom)
{
	struct dentry *d;

	d = debugfs_create_dir(dom->info->label, vdsp_debugfs_root);
	dom->debugfs = d;
	debugfs_create_file("status", 0444, d, dom, &vdsp_status_fops);
	debugfs_create_file("processes", 0444, d, dom, &vdsp_processes_fops);
	debugfs_create_file("counters", 0444, d, dom, &vdsp_counters_fops);
	debugfs_create_u32("delay_us", 0600, d, &dom->fault.delay_us);
	debugfs_create_file_unsafe("drop", 0600, d, &dom->fault.drop,
				   &vdsp_atomic_fops);
	debugfs_create_file_unsafe("corrupt_ctx", 0600, d, &dom->fault.corrupt,
				   &vdsp_atomic_fops);
	debugfs_create_file_unsafe("fail", 0600, d, &dom->fault.fail,
				   &vdsp_atomic_fops);
	debugfs_create_u32("fail_errno", 0600, d, &dom->fault.fail_errno);
	debugfs_create_file_unsafe("fail_late", 0600, d, &dom->fault.fail_late,
				   &vdsp_atomic_fops);
	debugfs_create_file_unsafe("duplicate", 0600, d, &dom->fault.duplicate,
				   &vdsp_atomic_fops);
	debugfs_create_file_unsafe("misroute", 0600, d, &dom->fault.misroute,
				   &vdsp_atomic_fops);
	debugfs_create_file_unsafe("rsp_len", 0600, d, &dom->fault.rsp_len,
				   &vdsp_rsp_len_fops);
	debugfs_create_file_unsafe("crash_on", 0600, d, &dom->fault.crash_on,
				   &vdsp_crash_on_fops);
	debugfs_create_file_unsafe("crash", 0200, d, dom, &vdsp_crash_fops);
	debugfs_create_file("floor", 0600, d, dom, &vdsp_floor_fops);
	debugfs_create_file_unsafe("fuzz_permille", 0600, d, dom,
				   &vdsp_fuzz_permille_fops);
	debugfs_create_file_unsafe("fuzz_seed", 0600, d, dom,
				   &vdsp_fuzz_seed_fops);
}

void vdsp_debugfs_init(void)
{
	vdsp_debugfs_root = debugfs_create_dir("vdsp", NULL);
}

void vdsp_debugfs_exit(void)
{
	debugfs_remove_recursive(vdsp_debugfs_root);
	vdsp_debugfs_root = NULL;
}
