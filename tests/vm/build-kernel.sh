#!/bin/bash
# Build (or find) the fastrpc test kernel, the bench kernel, or the arm64
# tree that lint builds the modules against.
#
# The tree is built once into a cache directory outside the repository,
# keyed by the linux-source-6.12 package version and the hash of the config
# fragment, and reused by every later build. Out-of-tree modules build
# against that tree, which keeps vmlinux so that they get BTF.
#
# With --arch arm64: the same source configured for arm64 (defconfig, the
# shape of a real board's kernel, and tests/kernel-arm64.config) and only
# prepared for modules (modules_prepare): `make lint` cross-builds the
# modules against it to prove they build for arm64. No vmlinux, so no
# Module.symvers: tests/vm/lint.sh deals with that.
#
# With --flavour bench: the test kernel's fragment with
# tests/kernel-bench.config on top (later settings win, option by option),
# which turns off the debugging a product kernel does not run (KASAN,
# lockdep, kmemleak, DMA-API debug, UBSAN, debug objects...) and keeps
# BTF, BPF and the tracepoints. `make bench` times the driver on it
# (tests/bench/bench.sh); `make check` never builds it.
#
#   build-kernel.sh [--arch arm64|--flavour bench]          build if needed, print the tree's path
#   build-kernel.sh [--arch arm64|--flavour bench] --dir    print the tree's path only (no build)
#   build-kernel.sh [--arch arm64|--flavour bench] --settings
#                   print the settings the tree is configured with and
#                   verified against (the fragments merged), no build
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src_pkg=linux-source-6.12
src_tar=/usr/src/$src_pkg.tar.xz

die() { echo "build-kernel: $*" >&2; exit 1; }

arch=x86_64
flavour='test'
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:?--arch needs x86_64 or arm64}; shift 2 ;;
	--flavour) flavour=${2:?--flavour needs test or bench}; shift 2 ;;
	*) break ;;
	esac
done
case "$flavour" in
test | bench) ;;
*) die "no such flavour: $flavour (test or bench)" ;;
esac
[ "$flavour" = test ] || [ "$arch" = x86_64 ] || die "--flavour $flavour is x86_64 only"
case "$arch" in
x86_64)
	fragments=("$here/../kernel.config")
	# Bump when the way the tree is built changes (not the fragment: its
	# settings are hashed).
	recipe=2
	name=linux
	base=tinyconfig
	make_args=()
	# Variable-location tracking (DWARF location lists) is 10-20 % of the
	# compile time of a file here, and nothing reads it: BTF needs only
	# the types, stack traces come from ORC. Measured per file, [6/11].
	target=(all KCFLAGS=-fno-var-tracking)
	took="about 14 minutes"
	;;
arm64)
	fragments=("$here/../kernel-arm64.config")
	recipe=arm64-1
	name=linux-arm64
	base=defconfig
	make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	target=(modules_prepare)
	took="one to two minutes"
	;;
*)
	die "no such arch: $arch (x86_64 or arm64)" ;;
esac
if [ "$flavour" = bench ]; then
	fragments+=("$here/../kernel-bench.config")
	# its own recipe: the key of the test kernel stays what it was
	recipe=bench-1
	name=linux-bench
	took="about 10 minutes"
fi

src_version=$(dpkg-query -W -f='${Version}' "$src_pkg" 2>/dev/null) ||
	die "$src_pkg is not installed (run 'make deps')"
# The key hashes the fragments' settings, in order, and not their prose: a
# comment edited costs no rebuild.
settings() {
	grep -hE '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$@"
}
key=$({ echo "$recipe"; settings "${fragments[@]}"; } | sha256sum | cut -c1-12)
cache=${FASTRPC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fastrpc}
kdir=$cache/$name-$src_version-$key

# merged: each option's last setting across the fragments (as
# merge_config.sh applies them), in the order options first appear
merged() {
	settings "${fragments[@]}" | awk '
		{ opt = $0; sub(/^# /, "", opt); sub(/[= ].*$/, "", opt) }
		!(opt in line) { order[++n] = opt }
		{ line[opt] = $0 }
		END { for (i = 1; i <= n; i++) print line[order[i]] }'
}

case "${1:-}" in
--dir)
	echo "$kdir"
	exit 0 ;;
--settings)
	merged
	exit 0 ;;
esac

# A finished tree is never touched again: no lock to wait for.
if [ -f "$kdir/.fastrpc-built" ]; then
	echo "$kdir"
	exit 0
fi

# One lock per tree: the arm64 tree took 68 s to prepare alone, and 9.7 min
# behind a lock of the whole cache while another worktree built its test
# kernel (2026-12-03).
mkdir -p "$cache"
exec 9>"$kdir.lock"
flock 9

if [ -f "$kdir/.fastrpc-built" ]; then
	echo "$kdir"
	exit 0
fi

log() { echo "build-kernel: $*" >&2; }

if [ ! -f "$kdir/Makefile" ]; then
	log "extracting $src_tar into $kdir"
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp"
	tar -xJf "$src_tar" -C "$kdir.tmp" --strip-components=1
	mv "$kdir.tmp" "$kdir"
fi

# Kconfig output goes to stderr so that stdout stays the tree's path.
{
	make -C "$kdir" -s "${make_args[@]}" "$base"
	"$kdir/scripts/kconfig/merge_config.sh" -m -O "$kdir" \
		"$kdir/.config" "${fragments[@]}"
	make -C "$kdir" -s "${make_args[@]}" olddefconfig
} >&2

# merge_config only warns when Kconfig drops an option; we refuse.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$kdir/.config" || { log "not in .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$kdir/.config"; then log "still set: $opt"; missing=1; fi ;;
	esac
done < <(merged)
[ "$missing" = 0 ] || die "the config fragment does not apply cleanly"

log "building $kdir ($took the first time on 2 cores)"
make -C "$kdir" -j"$(nproc)" "${make_args[@]}" "${target[@]}" >&2
touch "$kdir/.fastrpc-built"
echo "$kdir"
