# Shared by every bats file, in the guest and on the host.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HELPERS=$TOP/tests/helpers
export TOP HELPERS

# The kernel tree the guest booted (init.sh exports it); on the host, the
# one build-kernel.sh would use.
: "${FASTRPC_KDIR:=$("$TOP/tests/vm/build-kernel.sh" --dir)}"

# skip_unless_guest: for tests that only make sense inside the test VM.
skip_unless_guest() {
	[ "$(hostname)" = fastrpc-vm ] || skip "only runs inside the test guest"
}

# kmemleak_clean: fail, showing the report, when kmemleak knows of leaks
# of objects allocated since the last clear. Clears afterwards.
kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak
	[ -w "$f" ] || return 0
	# Objects must be 5 s old; and an object whose contents changed since
	# the previous scan (any object new since then) counts as referenced
	# for one scan, so a leak shows only on the second.
	sleep 6
	echo scan >"$f"
	echo scan >"$f"
	# debugfs files have no size: read the report, test -s cannot tell
	local report
	report=$(cat "$f")
	if [ -n "$report" ]; then
		echo "$report" >&2
		echo clear >"$f"
		return 1
	fi
}
