#!/bin/bash
# Where a guest's time goes: the cost of the things every test does many
# times (fork, exec of a static and of a dynamic binary, bash, a bats
# test with nothing in it), in milliseconds per operation. In the guest:
#   make vm-run CMD='tests/vm/exec-cost.sh [N]'
# and compare boots with other kernel parameters (FASTRPC_VM_APPEND) or
# QEMU CPU models (FASTRPC_VM_CPU).
n=${1:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)

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

# bats_per_test BATS DIR LABEL: a file of 1 and one of 10 empty tests that
# load test_helper: what bats costs to start, and per test
bats_per_test() {
	local t0 t1 t2 i

	echo "load $top/tests/test_helper" >"$2/one.bats"
	echo '@test "t" { :; }' >>"$2/one.bats"
	echo "load $top/tests/test_helper" >"$2/ten.bats"
	for ((i = 0; i < 10; i++)); do
		echo "@test \"t$i\" { :; }" >>"$2/ten.bats"
	done
	t0=$(now_us)
	"$1" --tap "$2/one.bats" >/dev/null
	t1=$(now_us)
	"$1" --tap "$2/ten.bats" >/dev/null
	t2=$(now_us)
	printf '%-40s %8d ms\n' "$3: one file of one test" $(((t1 - t0) / 1000)) \
		"$3: each more test" $(((t2 - t1 - (t1 - t0)) / 9 / 1000))
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
measure "exec env bash -c : (a #! line)" /usr/bin/env bash -c :
measure "exec bash --norc, LANG=C" env -i LANG=C /bin/bash --norc -c :
measure "exec dash -c :" dash -c :
bats_per_test bats $d "bats"
