#!/bin/bash
# Build (or find) the fastrpc test kernel, or the arm64 tree that lint
# builds the modules against.
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
#   build-kernel.sh [--arch arm64]          build if needed, print the tree's path
#   build-kernel.sh [--arch arm64] --dir    print the tree's path only (no build)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src_pkg=linux-source-6.12
src_tar=/usr/src/$src_pkg.tar.xz

die() { echo "build-kernel: $*" >&2; exit 1; }

arch=x86_64
if [ "${1:-}" = --arch ]; then
	arch=${2:?--arch needs x86_64 or arm64}
	shift 2
fi
case "$arch" in
x86_64)
	fragment=$here/../kernel.config
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
	fragment=$here/../kernel-arm64.config
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

src_version=$(dpkg-query -W -f='${Version}' "$src_pkg" 2>/dev/null) ||
	die "$src_pkg is not installed (run 'make deps')"
# The key hashes the fragment's settings, in order, and not its prose: a
# comment edited costs no rebuild.
settings() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$fragment"
}
key=$({ echo "$recipe"; settings; } | sha256sum | cut -c1-12)
cache=${FASTRPC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fastrpc}
kdir=$cache/$name-$src_version-$key

if [ "${1:-}" = --dir ]; then
	echo "$kdir"
	exit 0
fi

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
		"$kdir/.config" "$fragment"
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
done <"$fragment"
[ "$missing" = 0 ] || die "the config fragment does not apply cleanly"

log "building $kdir ($took the first time on 2 cores)"
make -C "$kdir" -j"$(nproc)" "${make_args[@]}" "${target[@]}" >&2
touch "$kdir/.fastrpc-built"
echo "$kdir"
