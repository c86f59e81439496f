#!/bin/bash
# make fuzz, inside the guest: SECONDS of the ioctl fuzzer in two phases
# (two thirds plain, a third with the vdsp's response fuzzer on), the
# DSPs restarted to free what failed releases left, the driver's state
# checked, then a kmemleak scan. Prints the totals of each phase.
#
#   guest.sh SEED SECONDS [PERMILLE]
set -uo pipefail

seed=${1:?usage: guest.sh SEED SECONDS [PERMILLE]}
secs=${2:?usage: guest.sh SEED SECONDS [PERMILLE]}
permille=${3:-100}
fuzz=$FASTRPC_TOP/tests/fuzz/frpc_fuzz
rc=0

echo "== phase 1: ioctls, $((secs * 2 / 3)) s"
"$fuzz" -s "$seed" -n 0 -t $((secs * 2 / 3)) || rc=1
echo "== phase 2: ioctls with the response fuzzer at $permille/1000, $((secs / 3)) s"
"$fuzz" -s "$seed" -n 0 -t $((secs / 3)) -r "$permille" || rc=1
grep -H '^fuzzed' /sys/kernel/debug/vdsp/*/counters | sed 's|/sys/kernel/debug/vdsp/||'

# Orphans (memory of processes whose release the DSP answered wrong) and
# such processes on the DSP go when their DSP goes down
for d in /sys/kernel/debug/fastrpc/*; do
	grep -q ' orphans=0 ' "$d" &&
		grep -q ' processes=0$' "/sys/kernel/debug/vdsp/${d##*/}/status" &&
		continue
	echo "restarting ${d##*/} to free: $(grep '^channel' "$d")"
	echo 1 >"/sys/kernel/debug/vdsp/${d##*/}/crash"
done
for d in /sys/kernel/debug/fastrpc/*; do
	if ! grep -q '^channel .* clients=0 pending=0 .* orphans=0 orphan_bytes=0 ' "$d" ||
	   grep -q 'used=[1-9]' "$d" ||
	   ! grep -q ' processes=0$' "/sys/kernel/debug/vdsp/${d##*/}/status"; then
		echo "NOT CLEAN: ${d##*/}"
		cat "$d" "/sys/kernel/debug/vdsp/${d##*/}/status"
		rc=1
	fi
done

# The scan init.sh would make, here so that its result is in the totals
if report=$("$FASTRPC_TOP/tests/vm/kmemleak-scan.sh" 2>&1) && [ -z "$report" ]; then
	echo "leaks: 0 (kmemleak)"
else
	echo "leaks: kmemleak says:"
	echo "$report"
	echo "kmemleak: $report" >/dev/kmsg
	rc=1
fi
: >/run/fastrpc-kmemleak-scanned
exit "$rc"
