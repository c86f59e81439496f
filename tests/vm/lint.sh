#!/bin/bash
# Kernel code must build warning-free with W=1 and sparse, and be clean
# under checkpatch.pl --strict, and build warning-free with W=1 for arm64
# too (ARM64_KDIR: tests/vm/build-kernel.sh --arch arm64). Prints what it
# finds; exits 1 on anything.
set -uo pipefail

kdir=${1:?usage: lint.sh KDIR ARM64_KDIR}
arm64_kdir=${2:?usage: lint.sh KDIR ARM64_KDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
fail=0

mapfile -t sources < <(git ls-files --cached --others --exclude-standard \
	'kernel/*.c' 'kernel/*.h' 'include/*.h' 'tracepoints/*.h' 'tests/modules/*.c' \
	'tests/conformance/*.c')

# Both halves use every CPU: lint runs before the suite and delays it.
jobs=$(nproc)

echo "lint: W=1 + sparse (C=2) over the modules"
# KCFLAGS as make modules had them (make check's -Werror): other flags
# would make kbuild compile every file again
out=$(flock "$kdir/.fastrpc-modules.lock" make -s -j"$jobs" -C "$kdir" M="$top" \
	W=1 C=2 ${WERROR:+KCFLAGS=$WERROR} modules 2>&1)
warnings=$(echo "$out" | grep -E 'warning:|error:' || true)
if [ -n "$warnings" ]; then
	echo "$warnings"
	fail=1
fi

# arm64: the modules cross-built with W=1 against a tree prepared for
# modules only. An M= build writes its objects beside the sources, so this
# builds a copy under build/arm64/ and leaves the x86 objects alone. make
# recompiles only what changed in the copy, so the copy is kept only after
# a clean build: a warning then fails every lint until it is fixed, not
# just the first. The tree has no vmlinux and thus no Module.symvers:
# modpost cannot know what the kernel exports and reports every kernel
# symbol the modules use as undefined (warnings with KBUILD_MODPOST_WARN,
# errors without). Those lines, and the banner saying why, are the only
# output allowed; modpost's other checks still run. Whether each symbol is
# exported is checked by the x86 build, against a vmlinux.
echo "lint: W=1 for arm64 over the modules"
copy=$top/build/arm64
mkdir -p "$top/build"
exec 8>"$top/build/arm64.lock"
flock 8
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
	Kbuild kernel include tracepoints tests/modules)
# A file added or removed, or another arm64 tree: start over.
state=$(printf '%s\n' "$arm64_kdir" "${files[@]}")
[ "$state" = "$(cat "$copy/.lint-files" 2>/dev/null)" ] || rm -rf "$copy"
mkdir -p "$copy"
printf '%s\0' "${files[@]}" | rsync -a --from0 --files-from=- . "$copy/"
echo "$state" >"$copy/.lint-files"
out=$(make -s -j"$jobs" -C "$arm64_kdir" M="$copy" ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- W=1 KBUILD_MODPOST_WARN=1 modules 2>&1)
rc=$?
unexpected=$(echo "$out" | grep -vE \
	-e '^WARNING: modpost: "[A-Za-z0-9_.]+" \[[^]]+\.ko\] undefined!$' \
	-e '^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings' \
	-e '^WARNING: Module.symvers is missing\.$' \
	-e '^ +(Modules may not have|You may get many|You can set KBUILD_MODPOST_WARN|if you want to proceed)' \
	-e '^$' | sed "s|$copy/||g")
if [ "$rc" != 0 ] || [ -n "$unexpected" ]; then
	echo "$unexpected"
	[ "$rc" = 0 ] || echo "lint: the arm64 build failed (status $rc)"
	rm -rf "$copy"
	fail=1
fi
exec 8>&-

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
