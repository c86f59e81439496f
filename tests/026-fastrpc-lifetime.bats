#!/usr/bin/env bats
# Calls in flight when something happens: a signal, the caller killed,
# its fd closed, the DSP crashing; modules unloaded under open clients.
# No splat (the harness checks the log), no leak (kmemleak, scanned at
# the end of the guest by tests/vm/health.bats).

# Concurrency tests: run-tests.sh runs them in its guest of two vCPUs.
# bats file_tags=smp

load test_helper
load frpc_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# Some tests here unload a module: it comes back even when they fail.
teardown() {
	restore_modules
	! in_guest || echo 262144 >/sys/module/fastrpc/parameters/channel_max_orphan_kib
}

@test "signals with SA_RESTART: the call is sent once and returns 0" {
	run -0 "$HELPERS/frpc_life" cdsp restart
	assert_output "ok: 10 signals during a call: restarted, sent once, returned 0"
}

@test "a signal without SA_RESTART: EINTR, then the same call picks it up" {
	run -0 "$HELPERS/frpc_life" cdsp eintr
	assert_line "ok: EINTR, then the same call picked up the one in flight"
	assert_line "ok: an abandoned interrupted call ends on its own"
}

@test "a client killed mid-call goes away once its call ends" {
	run -0 "$HELPERS/frpc_life" cdsp kill
	assert_output --regexp '^ok: killed mid-call; its client \(id [0-9]+\) went away$'
}

@test "closing the fd while another thread's call is in flight" {
	run -0 "$HELPERS/frpc_life" cdsp close
	assert_output --regexp '^ok: fd closed mid-call \(client [0-9]+\): the call returned 0$'
}

@test "a DSP crash (vdsp knob) fails every call of every client in flight with EPIPE" {
	run -0 "$HELPERS/frpc_life" cdsp crash-knob
	assert_line "ok: DSP crash: all 8 calls in flight got EPIPE"
	assert_line "ok: another client's 4 calls in flight got EPIPE too"
	assert_line "ok: the old fd fails with EPIPE, its fdinfo still reads"
	assert_line "ok: the node came back; a new client works"
}

@test "a DSP crash taken by a call (fault skel) fails it and the others" {
	run -0 "$HELPERS/frpc_life" cdsp crash-skel
	assert_line "ok: DSP crash: all 8 calls in flight got EPIPE"
	assert_line "ok: another client's 4 calls in flight got EPIPE too"
	assert_line "ok: the node came back; a new client works"
}

@test "[7/11] defects 2+4: new calls racing DSP crashes on two CPUs leave nothing pending" {
	[ "$(nproc)" -ge 2 ]
	n=$(size 10 100)
	run -0 "$HELPERS/frpc_life" cdsp crash-race "$n"
	assert_output --regexp "^ok: $n DSP crashes under 3 calling threads: [0-9]+ calls, [1-9][0-9]* found the DSP gone, nothing left pending$"
}

@test "[7/11] defect 8: a closed client keeps its context bank while an abandoned call is in flight" {
	run -0 "$HELPERS/frpc_life" cdsp close-inflight
	assert_line --regexp "^ok: closed with an abandoned call in flight: bank [0-9]+ still taken$"
	assert_line "ok: once the call ended, the bank is free"
}

@test "[7/11] defect 3: interrupted calls nobody restarts are kept 64 at most" {
	run -0 "$HELPERS/frpc_life" cdsp park-bound
	assert_line "ok: 70 calls interrupted and left: 64 kept for a restart"
	assert_line "ok: all 70 ended on the DSP"
}

@test "[7/11] defect 6: a DSP that stops answering holds up no other client, and no process past SIGKILL" {
	run -0 "$HELPERS/frpc_life" cdsp stall
	assert_line "ok: another client's GET_DSP_INFO is answered while one fetch hangs"
	assert_line "ok: the process of the hung fetch dies on SIGKILL"
	assert_line "ok: a process waiting behind a hung MMAP dies on SIGKILL"
	assert_line "ok: the DSP's restart ends the calls it never answered"
}

@test "[7/11] defect 7: a release the DSP refuses orphans the memory, reported and bounded" {
	echo 1024 >/sys/module/fastrpc/parameters/channel_max_orphan_kib
	run -0 "$HELPERS/frpc_life" cdsp orphans
	assert_line "ok: a failed release leaves its 1 MiB map with the channel"
	assert_line "ok: past the bound no new process starts (ENOSPC)"
	assert_line "ok: the DSP's restart frees them; processes start again"
	run -0 dmesg
	assert_output --regexp "fastrpc cdsp: release of process [0-9]+ failed \(-5\): keeping 1048576 bytes in 1 maps until the DSP restarts"
}

@test "rmmod fastrpc with a client open fails cleanly, then works once it closes" {
	start_holder cdsp 60
	pid=$holder
	run rmmod fastrpc
	assert_failure
	assert_output --partial "in use"
	[ -c /dev/fastrpc-cdsp ]
	kill $pid
	wait $pid || true
	rmmod fastrpc
	insmod "$TOP/kernel/fastrpc/fastrpc.ko"
	run -0 "$HELPERS/frpc_call" cdsp calc
}

@test "rmmod vdsp under 16 calls in flight: EPIPE; nodes go and come back" {
	"$HELPERS/frpc_stress" adsp outstanding 16 20000000 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	exec {fd}<>/dev/fastrpc-adsp
	for i in $(seq 1500); do
		grep -q ' pending=16 ' /sys/kernel/debug/fastrpc/adsp && break
		sleep 0.2
	done
	grep -q ' pending=16 ' /sys/kernel/debug/fastrpc/adsp
	rmmod vdsp
	[ ! -e /dev/fastrpc-adsp ]
	rc=0
	wait $pid || rc=$?
	[ "$rc" = 1 ]
	run -0 cat "$BATS_TEST_TMPDIR/out"
	assert_line "FAIL: 16 of 16 sleep calls failed"
	# an fd of the gone DSP still reads and closes
	run -0 cat /proc/$BASHPID/fdinfo/$fd
	assert_line $'fastrpc-domain:\tadsp'
	exec {fd}>&-
	insmod "$TOP/kernel/vdsp/vdsp.ko"
	[ -c /dev/fastrpc-adsp ]
	run -0 "$HELPERS/frpc_call" adsp calc
}

@test "after all that: nothing pending, no bank held" {
	for d in adsp cdsp; do
		run -0 cat /sys/kernel/debug/fastrpc/$d
		assert_line --regexp "^channel domain=$d status=up clients=0 pending=0 "
		refute_line --regexp 'used=[1-9]'
	done
}
