#!/usr/bin/env bats
# Fault injection of the vdsp (debugfs, per domain): delayed, dropped and
# corrupted responses, failed requests, DSP crash and restart; and the
# counters that show them. Requests are raw (tests/modules/vdsp_rawreq.ko).

load test_helper
load vdsp_helper

UTIL=(cdsp 2 0:1:1 u32:11 out:44:i32)
P=930001
K=$DBG/cdsp

setup_file() { vdsp_raw_setup; }
teardown_file() { vdsp_raw_teardown; }
setup() { vdsp_raw_skip; }

teardown() {
	in_guest && [ -d /sys/module/vdsp_rawreq ] || return 0
	echo 0 >"$K/delay_us"
	echo 0 >"$K/drop"
	echo 0 >"$K/corrupt_ctx"
	echo 0 >"$K/fail"
	echo 5 >"$K/fail_errno"
	release_procs cdsp $P
}

@test "delay_us: every response waits, then comes" {
	before=$(counter cdsp delayed)
	echo 100000 >"$K/delay_us"
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	assert_line "out0 1 4 4 262144 16 104 1 1 1 1 0"
	run -0 "$R" cdsp 1 0:1:0 "i32:$P"
	assert_line "retval 0"
	[ "$(counter cdsp delayed)" = $((before + 2)) ]
}

@test "drop: the next N responses never come, the one after does" {
	before=$(counter cdsp dropped)
	echo 2 >"$K/drop"
	run -3 "$R" -t 2000 "${UTIL[@]}"
	assert_line "status -110"
	run -3 "$R" -t 2000 "${UTIL[@]}"
	assert_line "status -110"
	read -r left <"$K/drop"
	[ "$left" = 0 ]
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	[ "$(counter cdsp dropped)" = $((before + 2)) ]
}

@test "corrupt_ctx: the next response names a ctx nobody sent" {
	before=$(counter cdsp corrupted)
	read -r stray </sys/kernel/debug/vdsp_rawreq/stray
	echo 1 >"$K/corrupt_ctx"
	run -3 "$R" -t 2000 "${UTIL[@]}"
	assert_line "status -110"
	read -r now </sys/kernel/debug/vdsp_rawreq/stray
	[ "$now" = $((stray + 1)) ]
	[ "$(counter cdsp corrupted)" = $((before + 1)) ]
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	assert_line "ctx ok"
}

@test "fail: the next N requests fail with -fail_errno and are not served" {
	before=$(counter cdsp failed)
	echo 16 >"$K/fail_errno"
	echo 2 >"$K/fail"
	run -0 "$R" cdsp 1 0:1:0 "i32:$P"
	assert_line "retval -16"
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval -16"
	assert_line "out0 0 0 0 0 0 0 0 0 0 0 0"
	slurp "$K/processes"
	refute_output --partial "tgid=$P"
	run -0 "$R" cdsp 1 0:1:0 "i32:$P"
	assert_line "retval 0"
	[ "$(counter cdsp failed)" = $((before + 2)) ]
}

@test "crash: the domain goes down and comes back, processes gone" {
	"$R" cdsp 1 0:1:0 "i32:$P" >/dev/null
	before=$(restarts cdsp)
	echo 1 >"$K/crash"
	slurp "$K/status"
	assert_output --regexp "^domain=cdsp state=up restarts=$((before + 1)) threads=2 processes=0$"
	[ -e /sys/bus/rpmsg/devices/vdsp-cdsp.fastrpcglink-apps-dsp.-1.-1 ]
	run dmesg
	assert_output --partial "vdsp-cdsp: DSP crashed, restarting"
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	# other domains never noticed
	slurp "$DBG/adsp/status"
	assert_output --regexp "state=up"
	# only 1 crashes it
	if echo 2 2>/dev/null >"$K/crash"; then false; fi
}

@test "counters: requests by service and method, with their errors" {
	"$R" "${UTIL[@]}" >/dev/null
	"$R" cdsp 2 0:1:1 u32:11 out:4:i32 >/dev/null
	slurp "$K/counters"
	assert_line --regexp "^requests [0-9]+$"
	assert_line --regexp "^call service=utilities method=0 count=[0-9]+ errors=[1-9][0-9]*$"
	assert_line --regexp "^call service=init method=1 count=[0-9]+ errors=[0-9]+$"
}
