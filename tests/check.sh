#!/bin/bash
# What `make check` runs once the packages are in: each phase timed, then
# the suite (tests/run-tests.sh), which ends with "N passed, N failed"
# after printing the phase times gathered here. Lint and the arm64 cross
# build run beside the suite at SCHED_IDLE (side jobs): they take CPU
# only when the guests leave some, and the suite counts their failures.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

phases=$(mktemp "${TMPDIR:-/tmp}/fastrpc-phases.XXXXXX")
trap 'rm -f "$phases"' EXIT
export FASTRPC_PHASES=$phases

now() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# phase NAME CMD...: run CMD, record its wall time; stop on failure
phase() {
	local name=$1 t0 rc
	shift
	echo "== $name: $*"
	t0=$(now)
	"$@"
	rc=$?
	t0=$(($(now) - t0))
	printf '   phase %-6s %4d.%d s\n' "$name" $((t0 / 1000)) $((t0 % 1000 / 100)) |
		tee -a "$phases"
	if [ "$rc" != 0 ]; then
		echo "== $name failed (status $rc)"
		echo "0 passed, 1 failed"
		exit "$rc"
	fi
}

# the CLI and the modules build with -Werror here only (their Makefiles
# leave it out for packagers): lint's W=1 run re-runs sparse on every
# file but gcc only on what changed, so a W=1 warning from gcc must fail
# the build itself
export WERROR=-Werror
phase kernel make -s kernel
kdir=$(tests/vm/build-kernel.sh --dir)
phase build make -s all

# side NAME CMD...: CMD in the background at SCHED_IDLE, its output in
# $side_dir/NAME.log, its wall time in NAME.ms, then its status in NAME.rc
# (last: run-tests.sh waits for it). Lint's x86 half rebuilds nothing the
# guests load (same flags as the build above: kbuild keeps every object,
# sparse only reads); its arm64 half builds a copy under build/arm64.
side_dir=$top/build/side
rm -rf "$side_dir"
mkdir -p "$side_dir"
side() {
	local name=$1
	shift
	echo "== $name: $* (beside the suite)"
	(
		chrt --idle -p 0 "$BASHPID" >/dev/null
		t0=$(now)
		"$@" >"$side_dir/$name.log" 2>&1
		rc=$?
		echo $(($(now) - t0)) >"$side_dir/$name.ms"
		echo "$rc" >"$side_dir/$name.rc"
	) </dev/null &
}
# the arm64 tree lint cross-builds the modules against (prepared only)
side lint sh -c 'make -s kernel-arm64 && make -s lint'
side cross make -s cli-cross
export FASTRPC_SIDE=$side_dir
exec tests/run-tests.sh "$kdir"
