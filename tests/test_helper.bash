# Shared by every bats file, in the guest and on the host.
bats_require_minimum_version 1.5.0

# The assertions (assert_output, assert_line, ...): tests/assert.bash
source "${BASH_SOURCE[0]%/*}/assert.bash"

# The guest's init exports FASTRPC_TOP: no subshell and dirname per test.
TOP=${FASTRPC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
HELPERS=$TOP/tests/helpers
export TOP HELPERS

# The kernel tree the guest booted (init.sh exports it); on the host, the
# one build-kernel.sh would use.
: "${FASTRPC_KDIR:=$("$TOP/tests/vm/build-kernel.sh" --dir)}"

# in_guest: true inside the test VM. bash sets $HOSTNAME itself: no
# program runs for it (each one costs dearly in the emulated guest).
in_guest() {
	[ "$HOSTNAME" = fastrpc-vm ]
}

# skip_unless_guest: for tests that only make sense inside the test VM.
skip_unless_guest() {
	in_guest || skip "only runs inside the test guest"
}

# once_per_file CMD...: from setup_file, run CMD once for all the file's
# tests (in the guest, with the driver loaded); once_output: in a test, its
# output into $output and $lines, failing unless CMD exited 0.
once_per_file() {
	in_guest && [ -c /dev/fastrpc-cdsp ] || return 0
	local rc=0
	"$@" >"$BATS_FILE_TMPDIR/once" 2>&1 || rc=$?
	echo "$rc" >"$BATS_FILE_TMPDIR/once.status"
}

once_output() {
	run cat "$BATS_FILE_TMPDIR/once"
	assert_equal "$(cat "$BATS_FILE_TMPDIR/once.status")" 0
}

# kmemleak_clean: fail, showing the report, when kmemleak knows of leaks
# of objects allocated since the last clear, or cannot scan at all.
# Clears afterwards.
kmemleak_clean() {
	local report

	report=$("$TOP/tests/vm/kmemleak-scan.sh") || return 1
	[ -z "$report" ] && return 0
	echo "$report" >&2
	echo clear >/sys/kernel/debug/kmemleak
	return 1
}

# size CHECK SOAK: how big a loop is: CHECK in make check, SOAK in make
# stress (FASTRPC_SOAK=1). make check proves the behaviour; make stress
# runs it long enough to find the rare race.
size() {
	if [ "${FASTRPC_SOAK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi
}

# restore_modules: the teardown of a test that unloads our modules puts
# them back, so that a failed assertion half way does not leave every
# later test of the guest without a driver.
restore_modules() {
	in_guest || return 0
	# a test that loaded the vdsp with other domains leaves it as it was
	if [ -d /sys/module/vdsp ] &&
		[ "$(cat /sys/module/vdsp/parameters/domains)" != adsp,mdsp,sdsp,cdsp ]; then
		rmmod vdsp
	fi
	[ -d /sys/module/vdsp_smmu ] || insmod "$TOP/kernel/vdsp/vdsp_smmu.ko"
	[ -d /sys/module/vdsp ] || insmod "$TOP/kernel/vdsp/vdsp.ko"
	[ -d /sys/module/fastrpc ] || insmod "$TOP/kernel/fastrpc/fastrpc.ko"
}

# bats records a stack trace in a DEBUG trap before every command of a
# test, so that a failure names its line. Its handler costs a dozen
# commands even for the commands it then ignores, those of its own
# library (some seventy per test before the test's first line), and
# records the assertions' and BASH_ENV's commands in full: most of a
# second of each test in the emulated guest ([6/11]). The trap set here
# lets the commands of those files pass at once and hands every other
# one to bats' handler, which records it as before. bats sets its trap in
# bats_setup_tracing: that function gets ours set after it.
# The trap is one line: bash counts the lines of a trap's text into the
# LINENO that bats' handler records.
FASTRPC_DEBUG_TRAP='[[ $BASH_SOURCE == "$BATS_ROOT"/lib/* || $BASH_SOURCE == "$BATS_ROOT"/libexec/* || $BASH_SOURCE == "$FASTRPC_ASSERT" || $BASH_SOURCE == "${BASH_ENV:-/}" ]] || bats_debug_trap "$BASH_SOURCE"'
FASTRPC_ASSERT=${BASH_SOURCE[0]%/*}/assert.bash

# filter_debug_trap: rename bats' bats_setup_tracing (through a file:
# $(...) would fork) and wrap it, once per shell
filter_debug_trap() {
	local f def

	declare -F bats_setup_tracing >/dev/null || return 0
	declare -F bats_setup_tracing_unfiltered >/dev/null && return 0
	[ -d "${BATS_RUN_TMPDIR:-}" ] || return 0
	f=$BATS_RUN_TMPDIR/.setup_tracing.$BASHPID
	declare -f bats_setup_tracing >"$f"
	IFS= read -r -d '' def <"$f" || true
	eval "bats_setup_tracing_unfiltered${def#bats_setup_tracing}"
	bats_setup_tracing() {
		bats_setup_tracing_unfiltered "$@"
		trap "$FASTRPC_DEBUG_TRAP" DEBUG
	}
}
filter_debug_trap

# bats takes each test's start as $(get_mills_since_epoch), whose own
# $(date +%s%N) is a second fork (0.1 s in the guest). The same number,
# from bash's clock, in the first fork only:
get_mills_since_epoch() {
	local t=${EPOCHREALTIME/./}

	printf '%d\n' $((t / 1000))
}

# debug_trap_off / debug_trap_on: no trap at all around a shell loop of
# many commands, then the trap back as above
debug_trap_off() {
	trap - DEBUG
}

debug_trap_on() {
	trap "$FASTRPC_DEBUG_TRAP" DEBUG
}
