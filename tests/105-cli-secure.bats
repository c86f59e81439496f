#!/usr/bin/env bats
# fastrpcctl and the secure nodes: root gets a secure context bank; an
# unprivileged user gets "Permission denied" in one line and exit 1, uses
# the non-secure nodes, and sees sessions through fdinfo.

load test_helper
load cli_helper

setup() {
	need_driver
}

teardown() {
	kill_holds
}

# The group kernel/fastrpc/60-fastrpc.rules opens the non-secure nodes
# to; the guest has no udev, so open_nodes does what the rule says.
FASTRPC_GID=4711

# setpriv execs the command: the pid start_hold sees is fastrpcctl's
NOBODY=(setpriv --reuid=65534 --regid=65534 --groups=$FASTRPC_GID)
OUTSIDER=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# open_nodes: what the udev rule does to each node as it appears: the
# non-secure ones to group fastrpc, 0660; the secure ones stay root's
open_nodes() {
	local n

	for n in /dev/fastrpc-*; do
		[[ $n == *-secure ]] && continue
		chgrp "$FASTRPC_GID" "$n"
		chmod 0660 "$n"
	done
}

# The modes as the driver made the nodes (at boot, or at the last reload
# of a module: 105 is the only file that changes them) are kept for the
# defect-5 test before the rule is applied
setup_file() {
	in_guest && [ -e /dev/fastrpc-cdsp ] || return 0
	stat -c '%n %a %u %g' /dev/fastrpc-adsp /dev/fastrpc-cdsp \
		/dev/fastrpc-cdsp-secure >"$BATS_FILE_TMPDIR/created"
	open_nodes
}

nobody() {
	"${NOBODY[@]}" "$@"
}

# bats test_tags=agnostic
@test "[7/11] defect 5: the nodes are root's, as upstream; the udev rule opens the non-secure ones to a group" {
	# as the driver created them, before setup_file applied the rule
	run -0 cat "$BATS_FILE_TMPDIR/created"
	assert_output $'/dev/fastrpc-adsp 600 0 0\n/dev/fastrpc-cdsp 600 0 0\n/dev/fastrpc-cdsp-secure 600 0 0'
	# and as the rule leaves them: a member of the group may use the
	# non-secure node
	run -0 stat -c '%n %a %g' /dev/fastrpc-cdsp /dev/fastrpc-cdsp-secure
	assert_output $'/dev/fastrpc-cdsp 660 '"$FASTRPC_GID"$'\n/dev/fastrpc-cdsp-secure 600 0'
	must "${NOBODY[@]}" "$CTL" -j invoke --dynamic calculator sum 40 2
	jq_is '.outputs[0].values[0]' 42
	# a user outside the group still cannot
	fails_with 1 "^fastrpcctl: cannot open /dev/fastrpc-cdsp: Permission denied$" \
		"${OUTSIDER[@]}" "$CTL" invoke --dynamic calculator sum 1
	# the rule as shipped says so
	run -0 grep -v '^#' "$TOP/kernel/fastrpc/60-fastrpc.rules"
	assert_output 'SUBSYSTEM=="misc", KERNEL=="fastrpc-*", KERNEL!="fastrpc-*-secure", GROUP="fastrpc", MODE="0660"'
}

@test "[7/11] defect 5: one user holds at most user_max_sessions context banks of a DSP; root is not bound" {
	local p=/sys/module/fastrpc/parameters/user_max_sessions
	[ "$(cat $p)" = 4 ]
	echo 2 >$p
	run "${NOBODY[@]}" "$HELPERS/frpc_call" cdsp sessions 3
	echo 4 >$p
	assert_success
	assert_output $'session 1: ok\nsession 2: ok\nsession 3: EBUSY'
	echo 2 >$p
	run "$HELPERS/frpc_call" cdsp sessions 3
	echo 4 >$p
	assert_output $'session 1: ok\nsession 2: ok\nsession 3: ok'
}

# bats test_tags=agnostic
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
	# the same keys as from debugfs: what fdinfo cannot tell is null
	jq_is '[.[] | "\(.domain):\(.source):\(.banks):\(.channel)"] | join(" ")' \
		"adsp:fdinfo:null:null mdsp:fdinfo:null:null sdsp:fdinfo:null:null cdsp:fdinfo:null:null"
	jq_is "[.[].clients[] | select(.id == $cid) | [.pid, .pd, .domain, .pd_name, .tid]]" \
		"[[$pid,\"dynamic\",\"cdsp\",\"fastrpcctl\",null]]"
	must nobody "$CTL" sessions -D cdsp
	assert_line --index 0 "cdsp: (from fdinfo; banks need debugfs)"
	assert_line --regexp "^  $cid +$pid +[0-9]+ +dynamic "
	stop_hold "$pid"
}
