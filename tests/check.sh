#!/bin/bash
# What `make check` runs once the packages are in: each phase timed, then
# the suite (tests/run-tests.sh), which ends with "N passed, N failed"
# after printing the phase times gathered here.
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

# the CLI builds with -Werror here only (its Makefile leaves it out for
# packagers)
export WERROR=-Werror
phase kernel make -s kernel
# the arm64 tree lint cross-builds the modules against (prepared only)
phase arm64 make -s kernel-arm64
kdir=$(tests/vm/build-kernel.sh --dir)
phase build make -s all
phase lint make -s lint
phase cross make -s cli-cross
exec tests/run-tests.sh "$kdir"
