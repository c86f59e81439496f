#!/usr/bin/env bats
# Many calls at once: threads in 4 processes, every byte checked; 1024
# calls outstanding on one channel (the in-tree driver stops at 255).
# make check runs the loops small; make stress at full size (64 threads x
# 1000 calls, 16 threads x 200 calls and maps). Call rates are measured by
# make bench (tests/bench/rates.sh), not here.

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

threads=$(size 4 16)
calls=$(size 20 1000)

@test "4 processes x threads x echo calls at once, data checked" {
	run -0 "$HELPERS/frpc_stress" cdsp threads 4 "$threads" "$calls"
	assert_line "ok: 4 processes x $threads threads x $calls echo calls, every byte checked"
}

@test "1024 calls outstanding on one channel, all complete" {
	run -0 "$HELPERS/frpc_stress" cdsp outstanding 1024 20000000
	assert_line "most pending at once: 1024 of 1024"
	assert_line "ok: 1024 calls outstanding on one channel, all returned 0"
}

@test "threads pass one dma-buf by fd while it is mapped and unmapped: data checked" {
	local n
	n=$(size 20 200)
	for x in fastrpc heap udmabuf; do
		run -0 "$HELPERS/frpc_stress" cdsp shared "$x" "$threads" "$n"
		assert_line "ok: $threads threads x $n echo calls on one $x dma-buf, $n mem_map/unmap of it meanwhile"
	done
}

@test "after the storm: no call pending, no bank held, no leak" {
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 '
	refute_line --regexp 'used=[1-9]'
	kmemleak_clean
}
