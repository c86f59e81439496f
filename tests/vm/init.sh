#!/bin/bash
# PID 1 of the test guest. Mounts what tests need, loads our modules, runs
# the command that run.sh left in the results share, writes its exit status
# there and reboots (QEMU runs with -no-reboot, so that ends the guest).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# LANG=C: in C.UTF-8 every bash and coreutils start loads the locale's
# files over 9p and bash handles each string as multibyte; measured in the
# guest, ten empty bats tests took 28 s in C and 44 s in C.UTF-8 ([6/11]).
# The suites are ASCII.
export HOME=/tmp/home TERM=${TERM:-linux} LANG=C

share=/run/share

kmsg() { echo "fastrpc-vm: $*" >/dev/kmsg; }

# Centiseconds since boot, for the phase times init reports at the end.
uptime_cs() { local u rest; read -r u rest </proc/uptime; echo $((10#${u/./})); }
secs() { printf '%d.%02ds' $(($1 / 100)) $(($1 % 100)); }

# Every exec is slow under TCG with KASAN and lockdep, and a dynamically
# linked one the more so: the static busybox does all the mounting.
bb=/bin/busybox

mount_all() {
	$bb mount -t proc proc /proc
	$bb mount -t sysfs sysfs /sys
	$bb mount -t devtmpfs devtmpfs /dev
	$bb mkdir -p /dev/pts /dev/shm
	$bb mount -t devpts devpts /dev/pts
	$bb mount -t tmpfs tmpfs /dev/shm
	$bb mount -t tmpfs tmpfs /tmp
	$bb mount -t tmpfs tmpfs /run
	$bb mount -t debugfs debugfs /sys/kernel/debug
	$bb mount -t tracefs tracefs /sys/kernel/tracing
	$bb mount -t bpf bpf /sys/fs/bpf
	$bb mkdir -p "$share" "$HOME"
	$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "$share"
	$bb ln -sf /proc/self/fd /dev/fd
	static_shell
}

# bats starts each test as "#!/usr/bin/env bash": two dynamically linked
# execs, each about 0.4 s here, half of it ld.so's. The static builds of
# the same programs (bash-static, busybox's env) take their place in this
# guest's mount namespace only: paired runs of tests 012 and 021 took 7 %
# less time ([6/11]). tests/vm/bashenv.sh then falls back to busybox for
# the builtins a static bash cannot load.
static_shell() {
	[ -x /bin/bash-static ] || return 0
	$bb mount --bind /bin/bash-static /usr/bin/bash
	$bb mount --bind $bb /usr/bin/env
}

finish() {
	echo "$1" >"$share/rc"
	$bb sync
	$bb umount "$share" 2>/dev/null
	echo b >/proc/sysrq-trigger
	sleep 10
}

# Leaks that exist when the run ends, reported as kernel log lines so that
# the host's splat check sees them.
kmemleak_report() {
	local report line
	if ! report=$("$FASTRPC_TOP/tests/vm/kmemleak-scan.sh" 2>&1); then
		echo "kmemleak: scan failed: $report" >/dev/kmsg
		return 0
	fi
	[ -n "$report" ] || return 0
	kmsg "kmemleak report follows"
	while IFS= read -r line; do
		echo "kmemleak: $line" >/dev/kmsg
	done <<<"$report"
}

mount_all
# shellcheck source=/dev/null
. "$share/env"
export FASTRPC_TOP FASTRPC_KDIR FASTRPC_KRELEASE
# Builtins for what bats and the suites run most (tests/vm/bashenv.sh).
export BASH_ENV=$FASTRPC_TOP/tests/vm/bashenv.sh
$bb hostname fastrpc-vm
export HOSTNAME=fastrpc-vm
echo 1 >/proc/sys/kernel/sysrq
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
cd "$FASTRPC_TOP" || finish 125

t_user=$(uptime_cs)
# The modules loaded here, by name, for tests/vm/health.bats.
FASTRPC_LOADED=
for ko in "${FASTRPC_MODULES[@]}"; do
	if ! insmod "$ko"; then
		echo "init: insmod $ko failed" >&2
		finish 125
	fi
	ko=${ko##*/}
	FASTRPC_LOADED+=" ${ko%.ko}"
done
export FASTRPC_LOADED

if [ "$FASTRPC_SHELL" = 1 ]; then
	echo "fastrpc test guest: $(uname -r); modules: ${FASTRPC_MODULES[*]:-none}"
	setsid -c bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
	finish 0
fi

t_cmd=$(uptime_cs)
if [ "${FASTRPC_QUIET:-0}" = 1 ]; then
	# run.sh -q: the output alone on the second serial port
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	bash -c "$FASTRPC_CMD" </dev/null 2>&1 | tee "$share/output" >/dev/ttyS1
else
	bash -c "$FASTRPC_CMD" </dev/null 2>&1 | tee "$share/output"
fi
rc=${PIPESTATUS[0]}
t_end=$(uptime_cs)
# A suite that ended with tests/vm/health.bats has scanned already.
[ -e /run/fastrpc-kmemleak-scanned ] || kmemleak_report
kmsg "times: boot $(secs "$t_user"), modules $(secs $((t_cmd - t_user)))," \
	"command $(secs $((t_end - t_cmd))), kmemleak $(secs $(($(uptime_cs) - t_end)))"
finish "$rc"
