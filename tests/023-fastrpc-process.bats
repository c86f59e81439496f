#!/usr/bin/env bats
# Remote processes: root and sensors PD attach, dynamic PDs from a shell
# ELF (by pointer, by fd, unsigned), static PDs; closing the fd releases
# the process on the DSP.

load test_helper
load frpc_helper
load vdsp_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

@test "a dynamic PD from a shell ELF passed by pointer" {
	run -0 "$HELPERS/frpc_call" cdsp create ptr
	assert_line "ok: dynamic PD from a shell by ptr"
	assert_line "ok: dynamic PD: calculator runs in it"
	assert_line $'fastrpc-pd:\tdynamic'
	assert_line $'fastrpc-pd-name:\tfrpc_call'
}

# bats test_tags=agnostic
@test "an unsigned dynamic PD from a shell ELF in a dma-buf" {
	run -0 "$HELPERS/frpc_call" cdsp create fd unsigned
	assert_line "ok: dynamic PD from a shell by fd, unsigned"
	assert_line "ok: dynamic PD: calculator runs in it"
}

@test "a static PD on the channel's remote heap" {
	run -0 "$HELPERS/frpc_call" adsp static audiopd
	assert_line "ok: static PD audiopd"
	assert_line $'fastrpc-pd:\tstatic'
	assert_line $'fastrpc-pd-name:\taudiopd'
}

# bats test_tags=agnostic
@test "[7/11] defect 8: static PDs of clients on different banks each reach the remote heap through their own" {
	local before
	# a fresh channel: the heap comes with the first static PD below
	echo 1 >"$DBG/adsp/crash"
	wait_for test -c /dev/fastrpc-adsp
	before=$(counter adsp smmu_faults)
	run -0 "$HELPERS/frpc_call" adsp static audiopd
	# that client's bank (the first) taken: the next one is on another
	start_holder adsp 120
	run -0 "$HELPERS/frpc_call" adsp static audiopd
	assert_line "ok: static PD: calculator runs in it"
	kill $holder
	wait $holder || true
	# the heap went to the DSP through the second bank's stream: no fault
	assert_equal "$(counter adsp smmu_faults)" "$before"
}

@test "attach to the sensors PD" {
	run -0 "$HELPERS/frpc_call" cdsp sensors
	assert_line "ok: attached to the sensors PD"
	assert_line $'fastrpc-pd:\tsensors'
}

# bats test_tags=agnostic
@test "closing the fd releases the process on the DSP" {
	start_holder cdsp 30
	pid=$holder
	run -0 cat /sys/kernel/debug/vdsp/cdsp/processes
	assert_output --regexp "process tgid=$pid "
	kill $pid
	wait $pid || true
	run -0 cat /sys/kernel/debug/vdsp/cdsp/processes
	refute_output --regexp "process tgid=$pid "
}
