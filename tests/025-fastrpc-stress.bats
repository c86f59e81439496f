#!/usr/bin/env bats
# Many calls at once: threads in 4 processes, every byte checked; 1024
# calls outstanding on one channel (the in-tree driver stops at 255).
# make check runs the loops small; make stress at full size (64 threads x
# 1000 calls, 16 threads x 200 calls and maps). Call rates are measured by
# make bench (tests/bench/rates.sh), not here. Leaks: kmemleak at the end
# of the guest (tests/vm/health.bats).

# Concurrency tests: run-tests.sh runs them in its guest of two vCPUs.
# bats file_tags=smp

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

P=/sys/module/fastrpc/parameters

# The bounds on calls in flight go back to their defaults after each test
teardown() {
	in_guest || return 0
	echo 1024 >$P/client_max_inflight
	echo 4096 >$P/channel_max_inflight
	echo 65536 >$P/client_max_inflight_kib
}

threads=$(size 4 16)
calls=$(size 20 1000)

@test "4 processes x threads x echo calls at once, data checked" {
	run -0 "$HELPERS/frpc_stress" cdsp threads 4 "$threads" "$calls"
	assert_line "ok: 4 processes x $threads threads x $calls echo calls, every byte checked"
}

@test "1024 calls outstanding on one channel, all complete" {
	# parked until all are in flight: no timing in it (sleeps of 20 s
	# ended before the last of 1024 threads started on a slow machine)
	run -0 "$HELPERS/frpc_stress" cdsp outstanding 1024 0
	assert_line "most pending at once: 1024 of 1024"
	assert_line "ok: 1024 calls outstanding on one channel, all answered"
}

@test "[7/11] defect 3: calls in flight are bounded per client, per channel and in payload bytes" {
	# the defaults keep room for the 1024 calls of the test above
	[ "$(cat $P/client_max_inflight)" = 1024 ]
	[ "$(cat $P/channel_max_inflight)" = 4096 ]
	[ "$(cat $P/client_max_inflight_kib)" = 65536 ]
	echo 6 >$P/client_max_inflight
	run -0 "$HELPERS/frpc_life" cdsp limit 6 client
	assert_line "ok: 6 calls in flight, 24576 payload bytes; one more: EAGAIN"
	assert_line "ok: another client's call: done"
	assert_line "ok: once they ended, calls go through"
	echo 1024 >$P/client_max_inflight
	echo 5 >$P/channel_max_inflight
	run -0 "$HELPERS/frpc_life" cdsp limit 5 channel
	assert_line "ok: another client's call: EAGAIN"
	echo 4096 >$P/channel_max_inflight
	# four one-page payloads fit in 16 KiB, a fifth does not
	echo 16 >$P/client_max_inflight_kib
	run -0 "$HELPERS/frpc_life" cdsp limit 4 client
	assert_line "ok: 4 calls in flight, 16384 payload bytes; one more: EAGAIN"
}

@test "threads pass one dma-buf by fd while it is mapped and unmapped: data checked" {
	local n
	n=$(size 20 200)
	for x in fastrpc heap udmabuf; do
		run -0 "$HELPERS/frpc_stress" cdsp shared "$x" "$threads" "$n"
		assert_line "ok: $threads threads x $n echo calls on one $x dma-buf, $n mem_map/unmap of it meanwhile"
	done
}

@test "after the storm: no call pending, no bank held" {
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 '
	refute_line --regexp 'used=[1-9]'
}
