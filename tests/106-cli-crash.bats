#!/usr/bin/env bats
# fastrpcctl invoke fault crash: the DSP takes an exception, its domain
# restarts (the vdsp removes and re-registers the rpmsg device); the call
# fails in one line and the domain serves calls again afterwards.

load test_helper
load cli_helper

setup() {
	need_driver
}

@test "cli invoke: fault crash fails the call, the domain comes back" {
	local st=/sys/kernel/debug/vdsp/mdsp/status before after i
	read -r before <"$st"
	[[ $before =~ restarts=([0-9]+) ]]
	before=${BASH_REMATCH[1]}
	fails_with 1 "^fastrpcctl: (fault\.crash on mdsp failed: .+|cannot close skel fault: .+)$" \
		"$CTL" -D mdsp invoke fault crash
	# back once the restart is through: the node returns and calls work
	for ((i = 0; i < 100; i++)); do
		"$CTL" -D mdsp invoke calculator sum 1 2 >/dev/null 2>&1 && break
		sleep 0.5
	done
	ctl -D mdsp invoke calculator sum 1 2
	assert_line "out[0] i64: 3"
	read -r after <"$st"
	[[ $after =~ restarts=([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" = $((before + 1)) ]
	ctl -j sessions -D mdsp
	jq_is '.[0].channel.status' up
}
