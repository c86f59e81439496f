#!/bin/bash
# Kernel allocations per steady-state invoke, in the guest (make vm-run
# CMD="tests/bench/allocs.sh [DOMAIN [N [WARM [BYTES]]]]"; make bench runs
# it for null calls and for echoes of 4 KiB and 64 KiB).
#
# One thread makes WARM null calls (echo skel, no buffers; with BYTES,
# each echoes BYTES of user memory into as many), then N more between
# two trace_marker lines (frpc_stress DOMAIN null WARM N [BYTES]); the
# kmem events (kmalloc, kmem_cache_alloc, mm_page_alloc) are recorded for
# every task, with a stack trace for page allocations (they have no
# call_site) and for the calling task's (whose call_site may name only an
# allocator's wrapper), and those between the markers are counted and
# attributed:
#
#   fastrpc  a call site (or stack frame) in fastrpc.ko, in any task
#   vdsp     a call site (or frame) in vdsp.ko, or the vdsp's own threads
#   caller   the rest of the calling task's: the kernel on its behalf
#   debug    kmemleak, stack depot and debug objects bookkeeping
#   irq      interrupts and softirqs, whichever task they interrupted
#   other    other tasks (kworkers, RCU, ...)
#
# "allocs per invoke" is (fastrpc + caller) / N: what the driver's path
# costs its caller; the vdsp models the DSP and is shown apart, and so is
# the debugging's bookkeeping (in a product kernel, none). The breakdown
# lists call sites by bucket, per invoke.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
stress=$top/tests/helpers/frpc_stress
domain=${1:-cdsp}
calls=${2:-${FASTRPC_BENCH_CALLS:-1000}}
warm=${3:-200}
bytes=${4:-0}
t=/sys/kernel/tracing
events=(kmem/kmalloc kmem/kmem_cache_alloc kmem/mm_page_alloc)
out=$(mktemp -d)

trace_reset() {
	echo 0 >$t/tracing_on
	for e in "${events[@]}"; do
		echo 0 >$t/events/$e/enable
	done
	for e in "${events[@]}"; do
		echo '!stacktrace' >$t/events/$e/trigger 2>/dev/null || :
	done
	echo >$t/trace
}
# tracefs as it was (030 and the BPF tools expect tracing on)
cleanup() {
	trace_reset
	echo "$old_kb" >$t/buffer_size_kb
	echo "$old_on" >$t/tracing_on
	rm -rf "$out"
}

[ -w $t/trace_marker ] || { echo "allocs.sh: no tracefs at $t" >&2; exit 1; }
# "7 (expanded: 1408)" until the buffer is first used: 1408 then
old_kb=$(sed -E 's/.*expanded: ([0-9]+).*/\1/; s/ .*//' $t/buffer_size_kb)
old_on=$(cat $t/tracing_on)
trap cleanup EXIT
trace_reset
echo 16384 >$t/buffer_size_kb
for e in "${events[@]}"; do
	echo 1 >$t/events/$e/enable
done
echo stacktrace >$t/events/kmem/mm_page_alloc/trigger
for e in kmem/kmalloc kmem/kmem_cache_alloc; do
	echo "stacktrace if comm == \"${stress##*/}\"" >$t/events/$e/trigger
done
echo 1 >$t/tracing_on
"$stress" "$domain" null "$warm" "$calls" "$bytes" >"$out/run"
echo 0 >$t/tracing_on
cat "$out/run"

lost=0
for s in $t/per_cpu/cpu*/stats; do
	n=$(awk '/^overrun:/ { print $2 }' "$s")
	lost=$((lost + n))
done
if [ "$lost" -ne 0 ]; then
	echo "allocs.sh: the trace buffer lost $lost events: fewer calls" >&2
	exit 1
fi

cat $t/trace >"$out/trace"
# stack frames name no module: the modules' symbols tell
awk '$4 ~ /^\[(fastrpc|vdsp)\]$/ { print $3, $4 }' /proc/kallsyms >"$out/syms"
awk -v n="$calls" -v domain="$domain" -v stress="${stress##*/}" \
	-v syms="$out/syms" '
# kmemleak allocates its object (__alloc_object: mem_pool_alloc inlined)
# for each allocation it tracks, in the same task; debug objects refill
# their pool (fill_pool) in whichever task finds it low
function bucket_of(site, task, pid, irq) {
	if (site ~ /\[fastrpc\]/)
		return "fastrpc"
	if (site ~ /\[vdsp\]/ || task ~ /^vdsp-/)
		return "vdsp"
	if (site ~ /^(__alloc_object|mem_pool_alloc|__create_object|create_object|kmemleak_|__stack_depot|stack_depot|kasan_|__kasan|fill_pool|debug_object)/)
		return "debug"
	if (irq)
		return "irq"
	return pid == caller ? "caller" : "other"
}
function count(site, task, pid, irq,    b, name) {
	b = bucket_of(site, task, pid, irq)
	name = site
	sub(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, "", name)
	total[b]++
	sites[b "\t" name]++
}
# An event with a stack trace (a page allocation, anything of the
# caller): the stack is the entry of the same task just before or after
# it. Its site: its call_site unless that is an allocator wrapper, else
# the first stack frame in a module, else the first outside allocators.
function stack_site(site, pid,    i, name) {
	if (site != "" && site !~ /^(__kmalloc|kmalloc|__kvmalloc|kvmalloc|kmem_cache_alloc)/)
		return site
	for (i = 1; i <= nfr[pid]; i++) {
		name = fr[pid, i]
		sub(/\+0x.*$/, "", name)
		if (name in module)
			return name " " module[name]
	}
	for (i = 1; i <= nfr[pid]; i++)
		if (fr[pid, i] !~ /(alloc_pages|page_alloc|get_free_page|folio_alloc|alloc_frozen|__alloc|allocate_slab|new_slab|slab_alloc|kmalloc|kmem_cache_alloc|kvmalloc|trace_|event_)/)
			return fr[pid, i]
	return site != "" ? site : "(page allocator)"
}
function with_stack(site, task, pid, irq,    k) {
	if (ready[pid]) {
		ready[pid] = 0
		count(stack_site(site, pid), task, pid, irq)
		nfr[pid] = 0
		return
	}
	k = ++ptail[pid]
	psite[pid, k] = site
	ptask[pid, k] = task
	pirq[pid, k] = irq
}
# A stack just read: it goes with the oldest event of its task waiting
function stack_end(    pid, k) {
	pid = stk_pid
	stk_pid = ""
	if (pid == "")
		return
	if (phead[pid] < ptail[pid]) {
		k = ++phead[pid]
		count(stack_site(psite[pid, k], pid), ptask[pid, k], pid,
		      pirq[pid, k])
		nfr[pid] = 0
	} else {
		ready[pid] = 1
	}
}
BEGIN {
	while ((getline line < syms) > 0) {
		split(line, f, " ")
		module[f[1]] = f[2]
	}
}
/^#/ { next }
/^ => / {
	if (stk_pid != "")
		fr[stk_pid, ++nfr[stk_pid]] = substr($0, 5)
	next
}
{
	stack_end()
	if (!match($0, /^ *.+-[0-9]+ +\[[0-9]+\]/))
		next
	head = substr($0, RSTART, RLENGTH)
	sub(/ +\[[0-9]+\]$/, "", head)
	sub(/^ +/, "", head)
	pid = head
	sub(/^.*-/, "", pid)
	task = head
	sub(/-[0-9]+$/, "", task)
	# the flags after [cpu]: the third is h, s or H in an interrupt
	irq = 0
	if (match($0, /\] [^ ]+ /))
		irq = substr($0, RSTART + 4, 1) ~ /[hsH]/
}
/tracing_mark_write: frpc_null start/ { in_window = 1; caller = pid; next }
/tracing_mark_write: frpc_null end/ { in_window = 0; done = 1; next }
!in_window { next }
/<stack trace>/ { stk_pid = pid; nfr[pid] = 0; next }
/ (kmalloc|kmem_cache_alloc): / {
	site = $0
	sub(/^.*call_site=/, "", site)
	sub(/ ptr=.*$/, "", site)
	if (task == stress)
		with_stack(site, task, pid, irq)
	else
		count(site, task, pid, irq)
	next
}
/ mm_page_alloc: / {
	with_stack("", task, pid, irq)
	next
}
END {
	stack_end()
	for (q in ptail)
		while (phead[q] < ptail[q]) {
			k = ++phead[q]
			count(psite[q, k] != "" ? psite[q, k] : "(no stack)",
			      ptask[q, k], q, pirq[q, k])
		}
	if (!done || !caller) {
		print "allocs.sh: no complete window between the markers" > "/dev/stderr"
		exit 1
	}
	printf "allocations over %d null invokes on %s, per invoke:\n", n, domain
	split("fastrpc caller vdsp debug irq other", order, " ")
	for (i = 1; i <= 6; i++)
		printf "  %-8s %8.2f\n", order[i], total[order[i]] / n
	print "by call site (per invoke):"
	for (k in sites) {
		split(k, p, "\t")
		printf "  %8.3f  %-8s %s\n", sites[k] / n, p[1], p[2] | "sort -k1,1nr"
	}
	close("sort -k1,1nr")
	printf "allocs per invoke: %.2f\n", (total["fastrpc"] + total["caller"]) / n
}' "$out/trace"
