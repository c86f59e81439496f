#!/usr/bin/env bats
# The driver binds to the vdsp's qcom,fastrpc nodes the way it would to a
# Snapdragon's: device nodes per the binding, context banks, introspection,
# and it comes and goes with the DSP and with its own module.

load test_helper
load frpc_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# Some tests here unload a module: it comes back even when they fail.
teardown() {
	restore_modules
}

# mode and name of every fastrpc node, sorted
# (their modes are 105's: a test there gives the non-secure ones to a
# group, as the udev rule does, in whatever guest it runs)
nodes() {
	local n

	for n in /dev/fastrpc-*; do
		echo "$n"
	done
}

# bats test_tags=agnostic
@test "device nodes follow the binding: secure domains get only -secure, cdsp both" {
	run -0 nodes
	assert_output "/dev/fastrpc-adsp
/dev/fastrpc-cdsp
/dev/fastrpc-cdsp-secure
/dev/fastrpc-mdsp
/dev/fastrpc-sdsp-secure"
}

@test "debugfs lists each channel and its context banks from the device tree" {
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=[0-9]+ pending=0 invokes=[0-9]+ errors=[0-9]+ orphans=0 orphan_bytes=0 generation=[1-9][0-9]* sent=[0-9]+ sent_bytes=[0-9]+ received=[0-9]+ received_bytes=[0-9]+ in_flight_max=[0-9]+$'
	for sid in 1 2 3 4 5 6 7; do
		assert_line "bank sid=$sid secure=0 sessions=1 used=0"
	done
	assert_line "bank sid=8 secure=0 sessions=4 used=0"
	assert_line "bank sid=9 secure=1 sessions=1 used=0"
	run -0 cat /sys/kernel/debug/fastrpc/sdsp
	assert_line "bank sid=1 secure=0 sessions=1 used=0"
	assert_line "bank sid=2 secure=1 sessions=1 used=0"
	run -0 grep -c '^bank ' /sys/kernel/debug/fastrpc/adsp
	assert_output 3
	run -0 grep -c '^bank ' /sys/kernel/debug/fastrpc/mdsp
	assert_output 2
}

@test "fdinfo of a fresh fd: its client, domain, no PD, no bank yet" {
	exec {fd}<>/dev/fastrpc-adsp
	run -0 cat /proc/$BASHPID/fdinfo/$fd
	exec {fd}>&-
	assert_line --regexp $'^fastrpc-client:\t[0-9]+$'
	assert_line $'fastrpc-domain:\tadsp'
	assert_line $'fastrpc-secure:\t0'
	assert_line $'fastrpc-pd:\tnone'
	assert_line $'fastrpc-sid:\t-1'
	assert_line $'fastrpc-pending:\t0'
	assert_line $'fastrpc-pending-bytes:\t0'
	assert_line $'fastrpc-parked:\t0'
	assert_line $'fastrpc-maps:\t0'
	assert_line $'fastrpc-map-bytes:\t0'
	assert_line $'fastrpc-buffers:\t0'
	assert_line $'fastrpc-buffer-bytes:\t0'
	assert_line $'fastrpc-payload-cache-bytes:\t0'
	assert_line $'fastrpc-payload-large-bytes:\t0'
	assert_line $'fastrpc-payload-large-reuses:\t0'
	refute_line --partial 'fastrpc-pd-name'
}

@test "debugfs lists a client with its pid and comm; ids are never reused" {
	exec {a}<>/dev/fastrpc-cdsp-secure
	id1=$(awk '/^fastrpc-client:/ {print $2}' /proc/$BASHPID/fdinfo/$a)
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp "^client id=$id1 tgid=$BASHPID tid=$BASHPID secure=1 pd=none sid=-1 pending=0 maps=0 map_bytes=0 buffers=0 buffer_bytes=0 payload_cache_bytes=0 payload_large_bytes=0 payload_large_reuses=0 comm=.+$"
	exec {a}>&-
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	refute_line --partial "client id=$id1 "
	exec {a}<>/dev/fastrpc-cdsp
	id2=$(awk '/^fastrpc-client:/ {print $2}' /proc/$BASHPID/fdinfo/$a)
	exec {a}>&-
	[ "$id2" -gt "$id1" ]
}

@test "a client holds a context bank while it has a remote process" {
	start_holder cdsp 30
	pid=$holder
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp "^client id=[0-9]+ tgid=$pid tid=$pid secure=0 pd=root sid=[1-8] pending=0 .* comm=frpc_call$"
	assert_line --regexp '^bank sid=[1-8] secure=0 sessions=[14] used=1$'
	kill $pid
	wait $pid || true
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	refute_line --regexp 'used=[1-9]'
}

@test "the driver unbinds and rebinds with the DSP: vdsp unloaded and loaded again" {
	local i
	for ((i = 0; i < $(size 2 20); i++)); do
		rmmod vdsp
		[ ! -e /dev/fastrpc-cdsp ]
		[ ! -e /sys/kernel/debug/fastrpc/cdsp ]
		insmod "$TOP/kernel/vdsp/vdsp.ko"
		[ -c /dev/fastrpc-cdsp ]
	done
	run -0 "$HELPERS/frpc_call" cdsp calc
	assert_output --partial "ok: calculator"
}

@test "fastrpc.ko unloads and loads again with no client; no leak" {
	rmmod fastrpc
	[ ! -e /dev/fastrpc-cdsp ]
	[ ! -d /sys/kernel/debug/fastrpc ]
	insmod "$TOP/kernel/fastrpc/fastrpc.ko"
	[ -c /dev/fastrpc-cdsp ]
	run -0 "$HELPERS/frpc_call" adsp calc
	kmemleak_clean
}

@test "cdsp1 (domain 4), when the DSP has one: its nodes, invokes, GET_DSP_INFO, libcdsprpc's session" {
	rmmod vdsp
	insmod "$TOP/kernel/vdsp/vdsp.ko" domains=adsp,mdsp,sdsp,cdsp,cdsp1
	[ -c /dev/fastrpc-cdsp1 ]
	[ -c /dev/fastrpc-cdsp1-secure ]
	run -0 cat /sys/kernel/debug/fastrpc/cdsp1
	assert_output --partial "cdsp1"
	run -0 "$HELPERS/frpc_call" cdsp1 calc
	assert_output --partial "ok: calculator"
	run -0 "$HELPERS/frpc_call" cdsp1 create fd unsigned
	assert_output --partial "ok: dynamic PD: calculator runs in it"
	run -0 "$HELPERS/frpc_replay" cdsp1
	assert_line "UNSIGNED_PD_SUPPORT capability: 1"
	assert_line "listener1 next2 ended: 0x8000040d"
	run -0 "$TOP/cli/fastrpcctl" -j info -D cdsp1
	assert_output --regexp '"domain": ?"cdsp1"'
	assert_output --partial '"arch_ver":104'
}
