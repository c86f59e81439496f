# Shared by the vdsp suites (tests/01[0-9]-vdsp*.bats): the raw-request
# path (tests/modules/vdsp_rawreq.ko, tests/helpers/vdsp_raw) and the
# vdsp's debugfs.

R=$HELPERS/vdsp_raw
RAWKO=$TOP/tests/modules/vdsp_rawreq.ko
VDSP_KO=$TOP/kernel/vdsp/vdsp.ko
DBG=/sys/kernel/debug/vdsp
SMMU_DBG=/sys/kernel/debug/vdsp_smmu
# AEE_ECPUEXCEPTION as vdsp_raw prints a retval (an i32): how a call that
# took an SMMU fault ends
SMMU_FAULT=$((0x80000430 - 0x100000000))

# setup_file of a suite that sends raw requests: the test module in
vdsp_raw_setup() {
	if in_guest && [ -d /sys/module/vdsp ] && [ -f "$RAWKO" ] &&
		[ ! -d /sys/module/vdsp_rawreq ]; then
		insmod "$RAWKO"
	fi
}

# teardown_file: the test module out again
vdsp_raw_teardown() {
	if in_guest && [ -d /sys/module/vdsp_rawreq ]; then
		rmmod vdsp_rawreq
	fi
}

# setup of each test of such a suite
vdsp_raw_skip() {
	skip_unless_guest
	[ -d /sys/module/vdsp ] || skip "vdsp.ko is not loaded"
	[ -d /sys/module/vdsp_rawreq ] || skip "vdsp_rawreq.ko is not loaded"
}

# Every program started in the guest costs about a second (TCG, KASAN,
# binaries over 9p): these helpers use bash builtins only.

# counter DOMAIN KEY: a line of the domain's counters, without its key
counter() {
	local k v

	while read -r k v; do
		if [ "$k" = "$2" ]; then
			echo "$v"
			return 0
		fi
	done <"$DBG/$1/counters"
	return 1
}

# restarts DOMAIN: how many times the DSP restarted
restarts() {
	local line

	read -r line <"$DBG/$1/status"
	line=${line#*restarts=}
	echo "${line%% *}"
}

# has FILE TEXT: FILE holds TEXT somewhere (a missing FILE holds nothing)
has() {
	[[ -e $1 && $(<"$1") == *"$2"* ]]
}

# wait_for COMMAND...: poll until it succeeds (a few minutes at most)
wait_for() {
	local i

	for ((i = 0; i < 180; i++)); do
		"$@" && return 0
		sleep 1
	done
	"$@"
}

# out0 TEXT: the value of the "out0 VALUE" line of vdsp_raw's output
out0() {
	local line

	while read -r line; do
		if [[ $line == "out0 "* ]]; then
			echo "${line#out0 }"
			return 0
		fi
	done <<<"$1"
	return 1
}

# out0_addr TEXT: that value as a DSP address, as debugfs prints it
out0_addr() {
	local v

	v=$(out0 "$1") || return 1
	printf '0x%x\n' "$v"
}

# slurp FILE: FILE's lines into $output and $lines, as bats' run sets them
slurp() {
	local IFS=$'\n'

	mapfile -t lines <"$1"
	output="${lines[*]}"
}

# has_proc DOMAIN TGID: the DSP has a process for TGID
has_proc() {
	has "$DBG/$1/processes" "tgid=$2 "
}

# release DOMAIN TGID...: release those processes the DSP has
release_procs() {
	local d=$1 t

	shift
	for t in "$@"; do
		if has_proc "$d" "$t"; then
			"$R" "$d" 1 1:1:0 "i32:$t" >/dev/null || true
		fi
	done
}

# calls DOMAIN SERVICE METHOD: how many calls of that method the DSP
# counted (0 if none)
calls() {
	local line

	while read -r line; do
		if [[ $line == "call service=$2 method=$3 count="* ]]; then
			line=${line#*count=}
			echo "${line%% *}"
			return 0
		fi
	done <"$DBG/$1/counters"
	echo 0
}

# snap DOMAIN...: remember every call count of those domains (for grew)
snap() {
	local d line re='^call service=([a-z0-9]+) method=([0-9]+) count=([0-9]+) '

	declare -gA SNAP=()
	for d in "$@"; do
		while read -r line; do
			[[ $line =~ $re ]] || continue
			SNAP[$d/${BASH_REMATCH[1]}/${BASH_REMATCH[2]}]=${BASH_REMATCH[3]}
		done <"$DBG/$d/counters"
	done
}

# grew DOMAIN SERVICE/METHOD...: the DSP served each since snap
grew() {
	local d=$1 k now

	shift
	for k in "$@"; do
		now=$(calls "$d" "${k%/*}" "${k#*/}")
		if [ "$now" -le "${SNAP[$d/$k]:-0}" ]; then
			echo "$d: no call of $k since snap (count $now)" >&2
			return 1
		fi
	done
}

# Driver clients (tests/helpers/vdsp_client) seen from the DSP side

C=$HELPERS/vdsp_client

# ready: the client said so, or is gone
ready() {
	has "$OUT" ready || ! kill -0 "$CLIENT" 2>/dev/null
}

# start_client DOMAIN STEPS...: in the background until it says "ready"
start_client() {
	OUT=$BATS_TEST_TMPDIR/client
	# there before the client is: ready reads it at once
	: >"$OUT"
	"$C" "$@" >"$OUT" &
	CLIENT=$!
	wait_for ready
	has "$OUT" ready || { slurp "$OUT"; echo "$output" >&2; return 1; }
}

# stop_client DOMAIN: end it; the driver releases its process on the DSP
stop_client() {
	kill "$CLIENT" 2>/dev/null || true
	wait "$CLIENT" || true
	wait_for proc_gone "$1" "$CLIENT"
}

# stop_client_left: in a teardown, the client a failed test left running
# (it would hold bats' output open and keep the guest from ending)
stop_client_left() {
	[ -z "${CLIENT:-}" ] || kill "$CLIENT" 2>/dev/null || true
}

proc_gone() {
	! has_proc "$1" "$2"
}
