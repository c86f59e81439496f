# Shared by the fastrpcctl suites tests/100-*.bats .. tests/119-*.bats,
# loaded after tests/test_helper.bash.

CTL=$TOP/cli/fastrpcctl
export CTL

# need_driver: skip unless the driver's cdsp node exists (fastrpc.ko loaded).
need_driver() {
	[ -e /dev/fastrpc-cdsp ] || skip "no /dev/fastrpc-cdsp (fastrpc.ko not loaded)"
}

# no_driver: skip when any fastrpc node exists.
no_driver() {
	! compgen -G '/dev/fastrpc-*' >/dev/null || skip "fastrpc.ko is loaded"
}

# Each process costs seconds in the guest (TCG, KASAN): these helpers run
# the command once, with no subshell, and compare with shell builtins.

# fails_with STATUS REGEX CMD...: CMD exits STATUS, prints nothing on
# stdout and exactly one line on stderr, which matches REGEX (extended).
fails_with() {
	local want=$1 regex=$2 st=0 out= err=()
	shift 2
	"$@" >"$BATS_TEST_TMPDIR/.out" 2>"$BATS_TEST_TMPDIR/.err" || st=$?
	read -r -d '' out <"$BATS_TEST_TMPDIR/.out" || true
	mapfile -t err <"$BATS_TEST_TMPDIR/.err"
	if [ "$st" != "$want" ] || [ -n "$out" ] || [ "${#err[@]}" != 1 ] ||
		[[ ! ${err[0]} =~ $regex ]]; then
		printf 'command: %s\nstatus: %s (want %s)\nstdout: %s\nstderr: %s\nwant stderr =~ %s\n' \
			"$*" "$st" "$want" "$out" "${err[*]}" "$regex" >&2
		return 1
	fi
}

# json_fails_with STATUS REGEX CMD...: the same in JSON mode: nothing on
# stderr, one JSON value on stdout: {"error": "..."}, its error =~ REGEX.
json_fails_with() {
	local want=$1 regex=$2 st=0 out= err= got=
	shift 2
	"$@" >"$BATS_TEST_TMPDIR/.out" 2>"$BATS_TEST_TMPDIR/.err" || st=$?
	read -r -d '' err <"$BATS_TEST_TMPDIR/.err" || true
	got=$(jq -sr 'if length == 1 and (.[0] | keys) == ["error"] then .[0].error
		else "NOT ONE {error} OBJECT" end' "$BATS_TEST_TMPDIR/.out" 2>&1)
	if [ "$st" != "$want" ] || [ -n "$err" ] || [[ ! $got =~ $regex ]]; then
		read -r -d '' out <"$BATS_TEST_TMPDIR/.out" || true
		printf 'command: %s\nstatus: %s (want %s)\nstdout: %s\nstderr: %s\nwant .error =~ %s\n' \
			"$*" "$st" "$want" "$out" "$err" "$regex" >&2
		return 1
	fi
}

# jq_is FILTER WANT: jq FILTER over $output (one compact or raw line)
# equals WANT; shows both when not.
jq_is() {
	local got
	got=$(jq -rc "$1" <<<"$output")
	if [ "$got" != "$2" ]; then
		printf 'jq %s\n got: %s\nwant: %s\noutput: %s\n' "$1" "$got" "$2" "$output" >&2
		return 1
	fi
}

# Expected checksums, computed here and not by fastrpcctl (bash arithmetic
# wraps at 64 bits, as FNV-1a 64 wants), into REPLY as "0x%x".
FNV_OFFSET=$((0xcbf29ce484222325))
FNV_PRIME=$((0x100000001b3))

# fnv_fill N BYTE: N bytes of BYTE; BYTE "pattern": byte i = i & 0xff
fnv_fill() {
	local n=$1 byte=$2 i h=$FNV_OFFSET
	if [ "$byte" = pattern ]; then
		for ((i = 0; i < n; i++)); do
			h=$(((h ^ (i & 255)) * FNV_PRIME))
		done
	else
		for ((i = 0; i < n; i++)); do
			h=$(((h ^ byte) * FNV_PRIME))
		done
	fi
	printf -v REPLY '0x%x' "$h"
}

# fnv_file FILE
fnv_file() {
	local b h=$FNV_OFFSET
	for b in $(od -An -v -tu1 "$1"); do
		h=$(((h ^ b) * FNV_PRIME))
	done
	printf -v REPLY '0x%x' "$h"
}

# hex_fill N BYTE: N bytes of BYTE as hex digits, into REPLY
hex_fill() {
	local h
	printf -v h '%02x' "$2"
	printf -v REPLY "%${1}s" ""
	REPLY=${REPLY// /$h}
}

# pattern_file FILE N: byte i = i & 0xff, with builtins only
pattern_file() {
	local i t s=
	for ((i = 0; i < $2; i++)); do
		printf -v t '\\x%02x' $((i & 255))
		s+=$t
	done
	printf '%b' "$s" >"$1"
}

# start_hold OUT CMD...: run CMD (a --hold command) in the background with
# stdout in OUT; return once it has reported (OUT holds a line), with its
# pid in HOLD_PID. Fails if it exits instead.
start_hold() {
	local out=$1 i
	shift
	"$@" >"$out" 2>"$out.err" &
	HOLD_PID=$!
	HOLD_PIDS+=("$HOLD_PID")
	for ((i = 0; i < 600; i++)); do
		[ -s "$out" ] && return 0
		if ! kill -0 "$HOLD_PID" 2>/dev/null; then
			echo "hold command exited early: $*" >&2
			cat "$out" "$out.err" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "hold command never reported: $*" >&2
	return 1
}

# stop_hold PID: SIGTERM it and check that it exited 0.
stop_hold() {
	kill -TERM "$1"
	wait "$1"
}

# kill_holds: for teardown, whatever is left.
kill_holds() {
	local p
	for p in "${HOLD_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	HOLD_PIDS=()
}
HOLD_PIDS=()
