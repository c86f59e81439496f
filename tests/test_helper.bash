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
	local report
	report=$("$TOP/tests/vm/kmemleak-scan.sh")
	[ -z "$report" ] && return 0
	echo "$report" >&2
	echo clear >/sys/kernel/debug/kmemleak
	return 1
}
