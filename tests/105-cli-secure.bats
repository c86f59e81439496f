#!/usr/bin/env bats
# fastrpcctl and the secure nodes: root gets a secure context bank; an
# unprivileged user gets "Permission denied" in one line and exit 1, uses
# the non-secure nodes, and sees sessions through fdinfo.

load test_helper
load ../cli/tests/helper

setup() {
	need_driver
}

teardown() {
	kill_holds
}

# setpriv execs the command: the pid start_hold sees is fastrpcctl's
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

nobody() {
	"${NOBODY[@]}" "$@"
}

@test "cli secure: an unprivileged user is refused the secure nodes, one line, exit 1" {
	fails_with 1 "^fastrpcctl: cannot open /dev/fastrpc-cdsp-secure: Permission denied$" \
		nobody "$CTL" info -D cdsp --secure
	fails_with 1 "^fastrpcctl: cannot open /dev/fastrpc-sdsp-secure: Permission denied$" \
		nobody "$CTL" -D sdsp create
	json_fails_with 1 "^cannot open /dev/fastrpc-cdsp-secure: Permission denied$" \
		nobody "$CTL" -j alloc --secure --size 4K
	# info over every domain: the others answer, sdsp's entry is its error
	_exec nobody "$CTL" -j info domain_support
	assert_equal "$status:$stderr" "1:"
	jq_is '[.[] | .domain // .error] | join(",")' \
		"adsp,mdsp,cannot open /dev/fastrpc-sdsp-secure: Permission denied,cdsp"
	_exec nobody "$CTL" info domain_support
	assert_equal "$status:$stderr" "1:fastrpcctl: cannot open /dev/fastrpc-sdsp-secure: Permission denied"
	assert_line "cdsp (/dev/fastrpc-cdsp):"
	# the non-secure node is theirs
	must nobody "$CTL" -j invoke --dynamic calculator sum 40 2
	jq_is '.outputs[0].values[0]' 42
}

@test "cli secure: root on a secure node gets a secure bank" {
	ctl -j create --secure
	jq_is '[.node, .client.secure]' '["/dev/fastrpc-cdsp-secure",true]'
	local sid
	sid=$(jq .client.sid <<<"$output")
	ctl -j sessions -D cdsp
	jq_is ".[0].banks[] | select(.sid == $sid) | .secure" true
	ctl -j -D sdsp alloc --size 4K --fill 1 --secure-map --verify
	jq_is '[.node, .client.secure, .mapped, .fnv1a64 == .dsp_fnv1a64]' \
		'["/dev/fastrpc-sdsp-secure",true,true,true]'
}

@test "cli secure: without debugfs, sessions lists what fdinfo shows" {
	start_hold "$BATS_TEST_TMPDIR/h" "${NOBODY[@]}" "$CTL" -j create --dynamic --hold
	local pid=$HOLD_PID cid
	cid=$(jq .client.id "$BATS_TEST_TMPDIR/h")
	must nobody "$CTL" -j sessions
	assert_equal "$stderr" ""
	jq_is '[.[] | "\(.domain):\(.source):\(has("banks"))"] | join(" ")' \
		"adsp:fdinfo:false mdsp:fdinfo:false sdsp:fdinfo:false cdsp:fdinfo:false"
	jq_is "[.[].clients[] | select(.id == $cid) | [.tgid, .pd, .domain, .pd_name]]" \
		"[[$pid,\"dynamic\",\"cdsp\",\"fastrpcctl\"]]"
	must nobody "$CTL" sessions -D cdsp
	assert_line --index 0 "cdsp: (from fdinfo; banks need debugfs)"
	assert_line --regexp "^  $cid +$pid +[0-9]+ +dynamic "
	stop_hold "$pid"
}
