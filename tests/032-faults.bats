#!/usr/bin/env bats
# The fault suite ([10/11]): a DSP that crashes at every step, answers
# twice, late, never, with a ctx nobody sent or another process's, with
# odd lengths; clients killed at every point, fds closed under busy
# threads, one dma-buf shared by many clients, modules unloaded under
# running clients. Each test ends with nothing in flight; the last one
# checks the driver's state, the guest's end the log and kmemleak.
# The DSP side is the vdsp's fault knobs (tests/helpers/frpc_fault.c).

# Concurrency tests: run-tests.sh runs them in its guest of two vCPUs.
# bats file_tags=smp

load test_helper
load frpc_helper

K=/sys/kernel/debug/vdsp/cdsp

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

teardown() {
	restore_modules
	in_guest && [ -d "$K" ] || return 0
	echo -1 >"$K/crash_on"
	echo 0 >"$K/duplicate"
	echo 0 >"$K/misroute"
	echo 0 >"$K/rsp_len"
	echo 0 >"$K/corrupt_ctx"
	echo 0 >"$K/delay_us"
	echo 0 >"$K/fail_late"
}

@test "a DSP crash with 1 and 10 calls in flight: all EPIPE, none left" {
	run "$HELPERS/frpc_fault" cdsp crash-pending 1 10
	echo "$output"
	[ "$status" = 0 ]
	for n in 1 10; do
		assert_line "ok: DSP crash under $n calls in flight: all got EPIPE, none left pending"
	done
}

@test "a DSP crash with 1000 calls in flight: all EPIPE, none left" {
	run "$HELPERS/frpc_fault" cdsp crash-pending 1000
	echo "$output"
	[ "$status" = 0 ]
	assert_line "ok: DSP crash under 1000 calls in flight: all got EPIPE, none left pending"
}

@test "a DSP crash on receipt of a process create, a MEM_MAP, a close's release" {
	run -0 "$HELPERS/frpc_fault" cdsp crash-at create mem_map close
	assert_line "ok: create: Broken pipe"
	assert_line "ok: mem_map: Broken pipe"
	assert_line "ok: close returned"
	[ "$(grep -c '^ok: the DSP came back; a new client works$' <<<"$output")" = 3 ]
	run -0 dmesg
	assert_output --regexp "fastrpc cdsp: release of process [0-9]+ failed \(-32\): keeping 131072 bytes in 2 maps until the DSP restarts"
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 .* orphans=0 orphan_bytes=0 '
}

@test "answers sent twice: each call returns its data once, the second answers refused" {
	run -0 "$HELPERS/frpc_fault" cdsp duplicate 20
	assert_line "ok: 20 calls answered twice: each returned its data once, 20 second answers refused"
	run -0 dmesg
	assert_output --regexp "fastrpc cdsp: response for unknown ctx 0x[0-9a-f]+"
}

@test "answers with another process's ctx (wrong pid), a ctx nobody sent, 8 bytes, 64 KiB" {
	run -0 "$HELPERS/frpc_fault" cdsp bad-responses
	assert_line "ok: the answer went to another process's call, which returned 0 early"
	assert_line "ok: that call's own answer, later, is refused"
	assert_line "ok: the caller left unanswered dies on SIGKILL"
	assert_line "ok: an answer naming a ctx nobody sent is refused"
	assert_line "ok: an 8-byte answer is refused"
	assert_line "ok: another client's call is answered meanwhile"
	assert_line "ok: a 65536-byte answer is read for its first 16 bytes"
	assert_line "ok: both unanswered callers die on SIGKILL"
	assert_line "ok: the DSP's restart ends the 3 calls it never answered"
	run -0 dmesg
	assert_output --partial "fastrpc cdsp: short response (8 bytes)"
}

@test "clients SIGKILLed at every point of open, attach and calls" {
	n=$(size 20 400)
	run -0 "$HELPERS/frpc_fault" cdsp kill-phases "$n"
	assert_line "ok: $n clients killed at delays over open, attach and calls: all gone, none pending"
}

@test "the fd closed while other threads invoke, MMAP and MEM_MAP" {
	run -0 "$HELPERS/frpc_fault" cdsp close-busy
	assert_line "ok: fd closed under 2 invoking and 2 mapping threads: each call 0 or EBADF, the client went"
}

@test "one dma-buf mapped by 11 clients (8 banks) at once, closed in a shuffled order" {
	run -0 "$HELPERS/frpc_fault" cdsp shared-dmabuf 11
	assert_line "ok: 11 clients on 8 banks mapped one dma-buf at once and read it back"
	# DMA-API debug allows a page in 8 mappings at once: no 9th bank
	assert_line "ok: one bank more (adsp): EBUSY for MMAP and invoke by fd"
	assert_line "ok: closed in a shuffled order, each remaining client still read it right"
	assert_line "ok: then the adsp client mapped it and read it right"
}

@test "a system-heap dma-buf: shared on one bank, EBUSY on another until the first lets go" {
	run -0 "$HELPERS/frpc_fault" cdsp foreign-dmabuf
	assert_line --regexp '^ok: a heap dma-buf used by 2 clients of bank [0-9]+ at once$'
	assert_line --regexp '^ok: a client of bank [0-9]+ meanwhile: EBUSY for MMAP and invoke by fd$'
	assert_line --regexp '^ok: once those 2 closed, the client of bank [0-9]+ had it$'
}

@test "one system-heap dma-buf from 8 threads of the clients of one bank at once, closed in a shuffled order" {
	run -0 "$HELPERS/frpc_fault" cdsp foreign-threads 8
	assert_line --regexp '^ok: 8 threads of [3-9] clients of bank [0-9]+ passed one heap dma-buf by fd at once, every byte checked$'
	assert_line --regexp '^ok: a client of bank [0-9]+ meanwhile: EBUSY on each of [1-9][0-9]* tries$'
	assert_line "ok: closed in a shuffled order, each remaining client still read it right"
	assert_line --regexp '^ok: then the client of bank [0-9]+ had it; every client gone, nothing pending$'
}

@test "the remote heap on 8 banks at most: a static PD on cdsp's 9th bank gets EBUSY" {
	run -0 "$HELPERS/frpc_fault" cdsp heap-banks 9
	assert_line "ok: 8 static PDs on 8 banks; one more, on the secure bank: EBUSY"
}

@test "a call stalled on a userfaultfd page: other clients go on; close and SIGKILL under it" {
	run "$HELPERS/frpc_fault" cdsp uffd-stall others close kill
	echo "$output"
	[ "$status" = 0 ]
	assert_line "ok: others: another client invoked, MMAPed and MEM_MAPed while the call stalled"
	assert_line "ok: others: served, the call returned its data"
	assert_line --regexp '^ok: close: the fd closed under the stalled call; served, it returned (its data|EBADF); the client went$'
	assert_line "ok: kill: the stalled caller died on SIGKILL with its fault held; its client went"
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 .* orphans=0 orphan_bytes=0 '
}

# start_helper OUT LINE ARGS...: frpc_fault ARGS in the background, its
# output to OUT and its pid in $pid, until it has said LINE (30 s at most)
start_helper() {
	local out=$1 line=$2 i
	shift 2
	"$HELPERS/frpc_fault" "$@" >"$out" 2>&1 &
	pid=$!
	for i in $(seq 300); do
		grep -qx "$line" "$out" && return 0
		sleep 0.1
	done
	grep -qx "$line" "$out"
}

# No user copy inside the channel's SRCU section waits on a fault: the
# DSP's removal waits for that section only (docs/RELIABILITY.md). Each
# phase restarts the DSP and invokes on the new channel with the fault
# held; a removal that waited for the stalled call would block the crash
# write until the helper's 90 s alarm killed it.
@test "a DSP restart under a call stalled on a userfaultfd page in its input, its output, its ioctl struct" {
	run "$HELPERS/frpc_fault" cdsp uffd-stall restart restart-output restart-struct
	echo "$output"
	[ "$status" = 0 ]
	for phase in restart restart-output restart-struct; do
		assert_line "ok: $phase: the DSP restarted and a new client invoked while the fault was held"
	done
	assert_line "ok: restart: served, the call returned EPIPE"
	assert_line "ok: restart-output: served, the call returned its data"
	assert_line "ok: restart-struct: served, the call returned EPIPE"
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 .* orphans=0 orphan_bytes=0 '
}

@test "rmmod vdsp under a call stalled on a userfaultfd page completes before the fault is served" {
	local out=$BATS_TEST_TMPDIR/stall rc=0
	start_helper "$out" stalled cdsp uffd-stall rmmod
	# the helper serves the fault only once the module is gone
	rmmod vdsp
	[ ! -e /dev/fastrpc-cdsp ]
	wait "$pid" || rc=$?
	cat "$out"
	[ "$rc" = 0 ]
	grep -qx "ok: rmmod: the vdsp went with the fault held; served, the call got EPIPE" "$out"
	insmod "$TOP/kernel/vdsp/vdsp.ko"
	run -0 "$HELPERS/frpc_call" cdsp calc
}

# A DSP that attached a second client of a process and answered an error
# (no DSP does: its error means nothing was done). The driver cannot tell:
# it sends no release for that client, and a release after every failed
# attach would end a sibling's live process. Bounded: the restart ends it.
@test "an attach the DSP did but answered as failed: its process stays until the DSP restarts" {
	run -0 "$HELPERS/frpc_fault" cdsp attach-fail-late
	assert_line "ok: the second attach got EIO; the DSP counts 2 sessions of the process"
	assert_line "ok: the process gone, its DSP process stays with 1 session and the listener parked"
	assert_line "ok: the DSP's restart ends both"
}

# rmmod_or_busy MODULE: unloads it, or fails as a module in use does
rmmod_or_busy() {
	local out
	if out=$(rmmod "$1" 2>&1); then
		return 0
	fi
	echo "$out"
	[[ $out == *"in use"* ]]
}

@test "rmmod and insmod of the driver and the vdsp in a loop under running clients" {
	local rounds unloaded=0 out=$BATS_TEST_TMPDIR/churn
	rounds=$(size 2 30)
	start_helper "$out" ready cdsp churn
	for i in $(seq "$rounds"); do
		sleep 0.5
		rmmod vdsp
		[ ! -e /dev/fastrpc-cdsp ]
		rmmod_or_busy fastrpc
		if [ ! -d /sys/module/fastrpc ]; then
			unloaded=$((unloaded + 1))
			insmod "$TOP/kernel/fastrpc/fastrpc.ko"
		fi
		insmod "$TOP/kernel/vdsp/vdsp.ko"
		[ -c /dev/fastrpc-cdsp ]
	done
	sleep 0.5
	kill -TERM $pid
	wait $pid
	run -0 cat "$out"
	echo "fastrpc unloaded in $unloaded of $rounds rounds"
	refute_output --partial FAIL
	assert_line --regexp '^ok: [0-9]+ sessions, [1-9][0-9]* calls, [1-9][0-9]* ended by a clean error$'
	run -0 "$HELPERS/frpc_call" cdsp calc
}

@test "after all that: nothing pending, no bank held, no orphan, no process" {
	assert_domains_clean adsp cdsp
}
