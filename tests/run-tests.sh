#!/bin/bash
# The whole test suite: the host-side harness self-tests (each boots its own
# guest), then every tests/*.bats file inside one guest with our modules
# loaded. Ends with "N passed, N failed"; exits non-zero on any failure or
# on a kernel splat in the guest's log.
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

echo "== guest: bats suite"
timeout=${FASTRPC_CHECK_TIMEOUT:-3600}
"$top/tests/vm/run.sh" -k "$kdir" -t "$timeout" "${modules[@]}" \
	-l "$results/console.log" -o "$results/guest.tap" -- \
	bats --tap tests/ >/dev/null
rc=$?
grep -vE '^\[ *[0-9]+\.[0-9]+\]' "$results/guest.tap" 2>/dev/null
count_tap "$results/guest.tap"
if [ "$rc" != 0 ]; then
	# The guest suite failed as a whole (splat, timeout, crash) or a test
	# failed; a whole-run failure must count even when every test passed.
	if [ "$(grep -cE '^not ok' "$results/guest.tap")" = 0 ]; then
		echo "not ok - guest run failed with status $rc"
		failed=$((failed + 1))
	fi
	if [ "$rc" -ge 124 ]; then
		cp "$results/console.log" "${TMPDIR:-/tmp}/fastrpc-check-console.log"
		echo "# console log: ${TMPDIR:-/tmp}/fastrpc-check-console.log"
		"$top/tests/vm/splat-check.sh" "$results/console.log" | sed 's/^/# /'
	fi
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line+=", $skipped skipped"
echo "$line"
[ "$failed" = 0 ]
