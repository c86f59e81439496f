#!/bin/bash
# Where a guest's time goes: the cost of the things every test does many
# times (fork, exec of a static and of a dynamic binary, bash, a bats
# test with nothing in it), in milliseconds per operation. In the guest:
#   make vm-run CMD='tests/vm/exec-cost.sh [N]'
# and compare boots with other kernel parameters (FASTRPC_VM_APPEND) or
# QEMU CPU models (FASTRPC_VM_CPU).
n=${1:-10}

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

measure() {
	local what=$1 t0 t1 i
	shift
	t0=$(now_us)
	for ((i = 0; i < n; i++)); do "$@"; done
	t1=$(now_us)
	printf '%-40s %8d ms\n' "$what" $(((t1 - t0) / n / 1000))
}

fork_only() { (:); }
bats_per_test() {
	local t0 t1 k=5
	printf '@test "t%s" { :; }\n' $(seq $k) >"$2/empty.bats"
	t0=$(now_us)
	"$1" --tap "$2/empty.bats" >/dev/null
	t1=$(now_us)
	printf '%-40s %8d ms\n' "bats, one empty test ($3)" $(((t1 - t0) / k / 1000))
}

read -r cs </sys/devices/system/clocksource/clocksource0/current_clocksource
echo "clocksource: $cs, cpus: $(nproc), cmdline: $(cat /proc/cmdline | tr ' ' '\n' | grep -E '^(kmemleak|no_debug|lockdep|mitig)' | tr '\n' ' ')"
d=/tmp/xc
mkdir -p $d
measure "fork (subshell)" fork_only
measure "exec static (busybox true)" /bin/busybox true
measure "exec dynamic (/bin/true)" /bin/true
cp /bin/true $d/true
measure "exec dynamic, from tmpfs" $d/true
measure "exec bash -c :" bash -c :
measure "exec bash --norc, LANG=C" env -i LANG=C /bin/bash --norc -c :
measure "exec dash -c :" dash -c :
bats_per_test bats $d "bats over 9p"
cp -a /usr/lib/bats-core /usr/libexec/bats-core $d/ 2>/dev/null
mkdir -p $d/root/lib $d/root/libexec $d/root/bin
cp -a /usr/lib/bats-core $d/root/lib/; cp -a /usr/libexec/bats-core $d/root/libexec/
ln -sf ../libexec/bats-core/bats $d/root/bin/bats
bats_per_test $d/root/bin/bats $d "bats from tmpfs"
