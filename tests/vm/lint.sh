#!/bin/bash
# Kernel code must build warning-free with W=1 and sparse, and be clean
# under checkpatch.pl --strict. Prints what it finds; exits 1 on anything.
set -uo pipefail

kdir=${1:?usage: lint.sh KDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
fail=0

mapfile -t sources < <(git ls-files --cached --others --exclude-standard \
	'kernel/*.c' 'kernel/*.h' 'include/*.h' 'tracepoints/*.h' 'tests/modules/*.c' \
	'tests/conformance/*.c')

# Both halves use every CPU: lint runs before the suite and delays it.
jobs=$(nproc)

echo "lint: W=1 + sparse (C=2) over the modules"
out=$(flock "$kdir/.fastrpc-modules.lock" make -s -j"$jobs" -C "$kdir" M="$top" \
	W=1 C=2 modules 2>&1)
warnings=$(echo "$out" | grep -E 'warning:|error:' || true)
if [ -n "$warnings" ]; then
	echo "$warnings"
	fail=1
fi

# checkpatch_one FILE: its findings, printed in one piece
checkpatch_one() {
	local ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES res

	# TRACE_EVENT's own layout (TP_STRUCT__entry( ... on its own line)
	# is what every header under include/trace/events uses.
	case "$1" in
	tracepoints/*) ignore+=,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT ;;
	esac
	res=$("$kdir/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore "$ignore" -f "$1" 2>&1)
	[ -z "$res" ] || printf '%s\n' "$res"
}
export -f checkpatch_one
export kdir

echo "lint: checkpatch --strict over ${#sources[@]} files"
res=$(printf '%s\0' "${sources[@]}" |
	xargs -0 -n 1 -P "$jobs" bash -c 'checkpatch_one "$1"' checkpatch)
if [ -n "$res" ]; then
	echo "$res"
	fail=1
fi

[ "$fail" = 0 ] && echo "lint: clean"
exit "$fail"
