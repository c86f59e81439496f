# Shared by every bats file, in the guest and on the host.
bats_require_minimum_version 1.5.0

# load_bats_lib NAME: a bats library (bats-support, bats-assert), file by
# file as its load.bash lists them. Their load.bash runs dirname(1) once
# per file: fifteen fork+execs per test, about six seconds of every test
# in the emulated guest (tests/vm/exec-cost.sh). Falls back to
# bats_load_library if that file ever takes another form.
load_bats_lib() {
	local dir line n=0 re='^source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)/([^"]+)"$'

	for dir in ${BATS_LIB_PATH//:/ } /usr/lib/bats; do
		[ -f "$dir/$1/load.bash" ] && break
	done
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			source "$dir/$1/${BASH_REMATCH[1]}" || return 1
			n=$((n + 1))
		fi
	done <"$dir/$1/load.bash" 2>/dev/null
	[ "$n" -gt 0 ] || bats_load_library "$1"
}
load_bats_lib bats-support
load_bats_lib bats-assert

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
	[ -d /sys/module/vdsp ] || insmod "$TOP/kernel/vdsp/vdsp.ko"
	[ -d /sys/module/fastrpc ] || insmod "$TOP/kernel/fastrpc/fastrpc.ko"
}

# debug_trap_off / debug_trap_on: bats runs a DEBUG trap (a stack capture)
# before every command of a test, tens of milliseconds each in the guest:
# off around a shell loop, then back as bats set it.
debug_trap_off() {
	trap - DEBUG
}

debug_trap_on() {
	trap 'bats_debug_trap "$BASH_SOURCE"' DEBUG
}
