#!/bin/bash
# Boot the test kernel under QEMU (TCG), run one command in the guest and
# return its output and exit status.
#
#   run.sh [options] [--] COMMAND...
#
# The guest sees the host root read-only over 9p and a read-write 9p share
# for results; tests/vm/init.sh mounts what a test needs, loads our modules
# and runs COMMAND from the repository's top directory. The host side
# enforces a timeout, keeps the full console log, and fails the run when
# the log shows a kernel splat.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

usage() {
	cat <<EOT
usage: $0 [options] [--] COMMAND...
  -k, --kdir DIR        kernel tree (default: tests/vm/build-kernel.sh --dir)
  -m, --module KO       load this module before COMMAND (repeatable, in order)
  -t, --timeout SECS    kill the guest after SECS seconds (default 600)
  -l, --log FILE        keep the console log in FILE (default: a temp file)
  -o, --output FILE     keep COMMAND's output (without kernel messages) in FILE
  -q, --quiet           the console only in the log; COMMAND's output alone
                        on stdout (through a second serial port)
  -s, --shell           interactive shell on the console instead of COMMAND
      --mem SIZE        guest memory (default 1G)
      --smp N           guest CPUs (default 2)
      --no-splat-check  report splats but do not fail on them
  -h, --help
Exit status: COMMAND's, or 124 on timeout, 125 when the guest did not run
COMMAND to the end, 126 when the log shows a kernel splat.
EOT
}

kdir=
modules=()
timeout=600
log=
output=
shell=0
mem=1G
smp=${FASTRPC_VM_SMP:-2}
splat_fatal=1
quiet=0

while [ $# -gt 0 ]; do
	case "$1" in
	-k|--kdir) kdir=$2; shift 2 ;;
	-m|--module) modules+=("$(realpath "$2")"); shift 2 ;;
	-t|--timeout) timeout=$2; shift 2 ;;
	-l|--log) log=$2; shift 2 ;;
	-o|--output) output=$2; shift 2 ;;
	-s|--shell) shell=1; shift ;;
	-q|--quiet) quiet=1; shift ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--no-splat-check) splat_fatal=0; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done

if [ "$shell" = 0 ] && [ $# -eq 0 ]; then
	usage >&2
	exit 2
fi

[ -n "$kdir" ] || kdir=$("$here/build-kernel.sh" --dir)
bzimage=$kdir/arch/x86/boot/bzImage
[ -f "$bzimage" ] || { echo "run.sh: no kernel at $bzimage (run 'make kernel')" >&2; exit 2; }

share=$(mktemp -d "${TMPDIR:-/tmp}/fastrpc-vm.XXXXXX")
trap 'rm -rf "$share"' EXIT
[ -n "$log" ] || log=$share/console.log

# What init.sh reads: where to run, which modules, the command.
{
	printf 'FASTRPC_TOP=%q\n' "$top"
	printf 'FASTRPC_KDIR=%q\n' "$kdir"
	# the booted kernel's release, read here: the guest mounts its own
	# /tmp, which hides a kernel cache there (FASTRPC_CACHE=/tmp/...)
	printf 'FASTRPC_KRELEASE=%q\n' "$(cat "$kdir/include/config/kernel.release" 2>/dev/null)"
	printf 'FASTRPC_SHELL=%q\n' "$shell"
	printf 'FASTRPC_MODULES=('
	[ ${#modules[@]} -gt 0 ] && printf '%q ' "${modules[@]}"
	printf ')\n'
	printf 'FASTRPC_CMD=%q\n' "$*"
	printf 'FASTRPC_QUIET=%q\n' "$quiet"
} >"$share/env"

append="console=ttyS0,115200 root=hostroot rootfstype=9p"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
# loglevel=5: warnings (a WARN's "WARNING:" line, lockdep, kmemleak
# reports written to /dev/kmsg at the default level 4) reach the console
# the splat check reads; info and notice lines stay out of it.
append+=" ro init=$here/init.sh panic=-1 loglevel=5 kmemleak=on"
append+=" hung_task_panic=0 no_hash_pointers no_timer_check ${FASTRPC_VM_APPEND:-}"

qemu=(qemu-system-x86_64 -machine "${FASTRPC_VM_MACHINE:-q35}" -accel tcg,thread=multi -cpu "${FASTRPC_VM_CPU:-max,la57=off}"
	-smp "$smp" -m "$mem" -nodefaults -no-reboot -display none
	-kernel "$bzimage" -append "$append"
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-virtfs local,path="$share",mount_tag=results,security_model=none)

# A TCG guest keeps about one host CPU busy (its second vCPU idles but
# for the tests that run two things at once): at most
# FASTRPC_VM_SLOTS guests (default: one per host CPU) run at once, each
# holding the lock of one slot; more would each run slower and time out.
take_vm_slot() {
	local slots=${FASTRPC_VM_SLOTS:-$(nproc)}
	local dir=${TMPDIR:-/tmp} i waited=0

	while :; do
		for ((i = 0; i < slots; i++)); do
			exec 8>"$dir/fastrpc-vm.$i.lock"
			flock -n 8 && return 0
			exec 8>&-
		done
		[ "$waited" = 1 ] || echo "run.sh: waiting for a free guest slot ($slots)" >&2
		waited=1
		sleep 2
	done
}
[ -n "${FASTRPC_VM_NOLOCK:-}" ] || take_vm_slot

if [ "$shell" = 1 ]; then
	echo "run.sh: guest shell; leave with 'exit' (or Ctrl-A x)" >&2
	"${qemu[@]}" -serial mon:stdio
	exit $?
fi

if [ "$quiet" = 1 ]; then
	# ttyS0, the console, to the log; ttyS1, the command's output, here
	timeout -k 10 "$timeout" "${qemu[@]}" -serial "file:$log" -serial stdio </dev/null
	qemu_rc=$?
else
	timeout -k 10 "$timeout" "${qemu[@]}" -serial stdio </dev/null | tee "$log"
	qemu_rc=${PIPESTATUS[0]}
fi

[ -n "$output" ] && cp "$share/output" "$output" 2>/dev/null

splats=$("$here/splat-check.sh" "$log")
if [ "$qemu_rc" = 124 ]; then
	echo "run.sh: guest timed out after ${timeout}s (console log: $log)" >&2
	rc=124
elif [ -f "$share/rc" ]; then
	rc=$(cat "$share/rc")
else
	echo "run.sh: the guest did not finish the command (qemu exit $qemu_rc)" >&2
	rc=125
fi

if [ -n "$splats" ]; then
	echo "run.sh: kernel splat in the guest log:" >&2
	echo "$splats" >&2
	[ "$splat_fatal" = 1 ] && rc=126
fi
if [ "$rc" != 0 ] && [ -z "${FASTRPC_KEEP_LOG:-}" ] && [ "$log" = "$share/console.log" ]; then
	cp "$log" "${TMPDIR:-/tmp}/fastrpc-vm-last.log"
	echo "run.sh: console log kept in ${TMPDIR:-/tmp}/fastrpc-vm-last.log" >&2
fi
exit "$rc"
