/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fastrpc BPF program shares: the filters, set by the loader in
 * read-only data before load (so the verifier prunes what they rule out),
 * and the small helpers around them.
 *
 * The programs are raw_tp, not tp_btf: the fastrpc events' arguments are
 * integers and one string, the PD name (tracepoints/README.md), which a
 * raw_tp program reads from the same u64 slots BPF_PROG names (the string
 * by bpf_probe_read_kernel_str), so nothing needs the kernel's or the
 * module's BTF at load. libbpf loads /sys/kernel/btf/vmlinux only for
 * an object that asks for it; parsing it was a third of a tool's start in
 * the test guest (docs/ARCHITECTURE.md).
 */
#ifndef FASTRPC_COMMON_BPF_H
#define FASTRPC_COMMON_BPF_H

/* Filters: 0 / -1 / false mean "any" */
const volatile __s32 targ_tgid = 0;
const volatile __s32 targ_domain = -1;
const volatile bool filter_handle = false;
const volatile __u32 targ_handle = 0;
const volatile bool filter_comm = false;
const volatile char targ_comm[FRPC_COMM_LEN] = {};

static __always_inline bool comm_matches(void)
{
	char comm[FRPC_COMM_LEN];
	int i;

	if (!filter_comm)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < FRPC_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

static __always_inline bool domain_wanted(__u32 domain)
{
	return targ_domain < 0 || domain == (__u32)targ_domain;
}

/* An event of a process: the domain, pid and comm filters */
static __always_inline bool process_wanted(__u32 domain, __s32 tgid)
{
	if (!domain_wanted(domain))
		return false;
	if (targ_tgid && tgid != targ_tgid)
		return false;
	return comm_matches();
}

/* A call: the above, and the handle */
static __always_inline bool call_wanted(__u32 domain, __s32 tgid,
					__u32 handle)
{
	if (filter_handle && handle != targ_handle)
		return false;
	return process_wanted(domain, tgid);
}

static __always_inline __s32 current_tgid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

static __always_inline __s32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* floor(log2(v)), 0 for 0 and 1: the bucket of a log2 histogram */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 shift, r = 0;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* The method number packed in a call's scalars (FASTRPC_SC_METHOD) */
static __always_inline __u32 sc_method(__u32 sc)
{
	return (sc >> 24) & 0x1f;
}

#endif
