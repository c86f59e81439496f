#!/bin/bash
# The whole test suite: the host-side harness self-tests (each boots its own
# guest), then every tests/*.bats file inside guests with our modules
# loaded: the files are dealt round-robin to FASTRPC_CHECK_SHARDS guests
# (default: one per host CPU) that run at once. Ends with
# "N passed, N failed"; exits non-zero on any failure or on a kernel splat
# in a guest's log.
set -uo pipefail

kdir=${1:?usage: run-tests.sh KDIR}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

results=$(mktemp -d "${TMPDIR:-/tmp}/fastrpc-check.XXXXXX")
trap 'rm -rf "$results"' EXIT

modules=()
for ko in kernel/vdsp/vdsp.ko kernel/fastrpc/fastrpc.ko; do
	[ -f "$ko" ] && modules+=(-m "$ko")
done

# Count TAP results of one run, appending to the totals.
passed=0 failed=0 skipped=0
count_tap() {
	local f=$1
	local p s n
	p=$(grep -cE '^ok [0-9]+' "$f")
	s=$(grep -cE '^ok [0-9]+ .*# skip' "$f")
	n=$(grep -cE '^not ok [0-9]+' "$f")
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + n))
}

echo "== host: harness self-tests"
FASTRPC_KDIR=$kdir bats --tap tests/host | tee "$results/host.tap"
count_tap "$results/host.tap"

files=(tests/[0-9]*.bats)
shards=${FASTRPC_CHECK_SHARDS:-$(nproc)}
[ "$shards" -gt ${#files[@]} ] && shards=${#files[@]}
[ "$shards" -ge 1 ] || shards=1
timeout=${FASTRPC_CHECK_TIMEOUT:-3600}

# Each shard is one guest; it may not hold more guests than slots exist.
export FASTRPC_VM_SLOTS=${FASTRPC_VM_SLOTS:-$shards}
echo "== guest: bats suite, ${#files[@]} files in $shards guest(s)"
pids=()
for ((i = 0; i < shards; i++)); do
	mine=()
	for ((j = i; j < ${#files[@]}; j += shards)); do
		mine+=("${files[j]}")
	done
	"$top/tests/vm/run.sh" -k "$kdir" -t "$timeout" "${modules[@]}" \
		-l "$results/console.$i.log" -o "$results/guest.$i.tap" -- \
		bats --tap --timing "${mine[@]}" >/dev/null 2>"$results/run.$i.err" &
	pids+=($!)
done

for ((i = 0; i < shards; i++)); do
	wait "${pids[i]}"
	rc=$?
	tap=$results/guest.$i.tap
	touch "$tap"
	echo "== guest $i: $(grep -c '' "$tap") lines of TAP, status $rc"
	grep -vE '^\[ *[0-9]+\.[0-9]+\]' "$tap"
	count_tap "$tap"
	[ "$rc" = 0 ] && continue
	grep -v '^run.sh: waiting' "$results/run.$i.err" | sed 's/^/# /'
	# A guest that failed as a whole (splat, timeout, crash) must count
	# even when every test in it passed.
	if [ "$(grep -cE '^not ok' "$tap")" = 0 ]; then
		echo "not ok - guest $i failed with status $rc"
		failed=$((failed + 1))
	fi
	if [ "$rc" -ge 124 ]; then
		keep=${TMPDIR:-/tmp}/fastrpc-check-console.$i.log
		cp "$results/console.$i.log" "$keep"
		echo "# console log: $keep"
	fi
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line+=", $skipped skipped"
echo "$line"
[ "$failed" = 0 ]
