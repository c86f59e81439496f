# Shared by the fastrpcctl suites tests/100-*.bats .. tests/119-*.bats,
# loaded after tests/test_helper.bash.
#
# In the guest (TCG, KASAN) a fork+exec costs about a second and bats
# runs a DEBUG trap on every shell command: these helpers run each command
# once with no subshell, compare with builtins, and run their loops with
# the trap off.

CTL=$TOP/cli/fastrpcctl
export CTL
bats_add_debug_exclude_path "$TOP/tests/cli_helper.bash"

# need_driver: skip unless the driver's cdsp node exists (fastrpc.ko loaded).
need_driver() {
	[ -e /dev/fastrpc-cdsp ] || skip "no /dev/fastrpc-cdsp (fastrpc.ko not loaded)"
}

# _exec CMD...: run CMD; status, output, lines, stderr, stderr_lines as
# bats' `run --separate-stderr` sets them, without its subshell.
_exec() {
	status=0
	"$@" >"$BATS_TEST_TMPDIR/.out" 2>"$BATS_TEST_TMPDIR/.err" || status=$?
	output= stderr=
	IFS= read -r -d '' output <"$BATS_TEST_TMPDIR/.out" || true
	IFS= read -r -d '' stderr <"$BATS_TEST_TMPDIR/.err" || true
	output=${output%$'\n'} stderr=${stderr%$'\n'}
	mapfile -t lines <"$BATS_TEST_TMPDIR/.out"
	mapfile -t stderr_lines <"$BATS_TEST_TMPDIR/.err"
}

_show() {
	printf 'command: %s\nstatus: %s (want %s)\nstdout: %s\nstderr: %s\n' \
		"$1" "$status" "$2" "$output" "$stderr" >&2
}

# must CMD...: CMD exits 0; its stdout in output and lines.
must() {
	_exec "$@"
	if [ "$status" != 0 ]; then
		_show "$*" 0
		return 1
	fi
}

# ctl [-N] ARGS...: fastrpcctl ARGS, expected to exit N (default 0) with
# nothing on stderr; its stdout in output and lines (for assert_*).
ctl() {
	local want=0
	if [[ $1 =~ ^-[0-9]$ ]]; then
		want=${1#-}
		shift
	fi
	_exec "$CTL" "$@"
	if [ "$status" != "$want" ] || { [ "$want" = 0 ] && [ -n "$stderr" ]; }; then
		_show "fastrpcctl $*" "$want"
		return 1
	fi
}

# fails_with STATUS REGEX CMD...: CMD exits STATUS, prints nothing on
# stdout and exactly one line on stderr, which matches REGEX (extended).
fails_with() {
	local want=$1 regex=$2
	shift 2
	_exec "$@"
	if [ "$status" != "$want" ] || [ -n "$output" ] ||
		[ "${#stderr_lines[@]}" != 1 ] || [[ ! $stderr =~ $regex ]]; then
		_show "$*" "$want"
		echo "want stderr =~ $regex" >&2
		return 1
	fi
}

# json_fails_with STATUS REGEX CMD...: the same in JSON mode: nothing on
# stderr, one JSON value on stdout: {"error": "..."} (and, for a failed
# call, "errno" or the DSP's "retval" and "aee"), its error =~ REGEX.
json_fails_with() {
	local want=$1 regex=$2 got
	shift 2
	_exec "$@"
	jq -sr 'if length == 1 and (.[0] | has("error")) and
		   ((.[0] | keys) - ["error", "errno", "retval", "aee"]) == []
		then .[0].error else "NOT ONE {error} OBJECT" end' "$BATS_TEST_TMPDIR/.out" \
		>"$BATS_TEST_TMPDIR/.jq" 2>&1 || true
	IFS= read -r got <"$BATS_TEST_TMPDIR/.jq" || true
	if [ "$status" != "$want" ] || [ -n "$stderr" ] || [[ ! $got =~ $regex ]]; then
		_show "$*" "$want"
		echo "want .error =~ $regex, got: $got" >&2
		return 1
	fi
}

# jq_is FILTER WANT: jq -rc FILTER over $output equals WANT (one line).
jq_is() {
	local got=
	jq -rc "$1" <<<"$output" >"$BATS_TEST_TMPDIR/.jq" 2>&1 || true
	IFS= read -r -d '' got <"$BATS_TEST_TMPDIR/.jq" || true
	got=${got%$'\n'}
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
	debug_trap_off
	if [ "$byte" = pattern ]; then
		for ((i = 0; i < n; i++)); do
			h=$(((h ^ (i & 255)) * FNV_PRIME))
		done
	else
		for ((i = 0; i < n; i++)); do
			h=$(((h ^ byte) * FNV_PRIME))
		done
	fi
	debug_trap_on
	printf -v REPLY '0x%x' "$h"
}

# fnv_file FILE
fnv_file() {
	local b h=$FNV_OFFSET bytes
	od -An -v -tu1 "$1" >"$BATS_TEST_TMPDIR/.od"
	debug_trap_off
	while read -r -a bytes; do
		for b in "${bytes[@]}"; do
			h=$(((h ^ b) * FNV_PRIME))
		done
	done <"$BATS_TEST_TMPDIR/.od"
	debug_trap_on
	printf -v REPLY '0x%x' "$h"
}

# pattern_file FILE N: byte i = i & 0xff, with builtins only
pattern_file() {
	local i t s=
	debug_trap_off
	for ((i = 0; i < $2; i++)); do
		printf -v t '\\x%02x' $((i & 255))
		s+=$t
	done
	debug_trap_on
	printf '%b' "$s" >"$1"
}

# start_hold OUT CMD...: run CMD (a --hold command) in the background with
# stdout in OUT; return once it has reported (OUT holds a line), with its
# pid in HOLD_PID. Fails if it exits instead. CMD must be a program that
# becomes the process on hold (a shell function would run in a subshell
# whose pid is not the client's); it gets no fd 3, which bats waits on.
start_hold() {
	local out=$1 i
	shift
	"$@" >"$out" 2>"$out.err" 3>&- &
	HOLD_PID=$!
	HOLD_PIDS+=("$HOLD_PID")
	for ((i = 0; i < 600; i++)); do
		[ -s "$out" ] && return 0
		if ! kill -0 "$HOLD_PID" 2>/dev/null; then
			echo "hold command exited early: $*" >&2
			cat "$out" "$out.err" >&2
			return 1
		fi
		sleep 0.2
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

# no_driver CMD...: CMD in a mount namespace where /dev, /sys/module and
# debugfs are empty tmpfs mounts: no fastrpc nodes, no module, no driver
# debugfs (needs root).
no_driver() {
	unshare -m sh -c 'mount -t tmpfs none /dev && mount -t tmpfs none /sys/module &&
		mount -t tmpfs none /sys/kernel/debug && exec "$0" "$@"' "$@"
}
