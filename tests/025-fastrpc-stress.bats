#!/usr/bin/env bats
# Many calls at once: 64 threads in 4 processes, every byte checked; 1024
# calls outstanding on one channel (the in-tree driver stops at 255).

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# Calls per thread: 1000 as the issue asks; FRPC_STRESS_CALLS scales it
# down where the emulated guest is too slow for that.
calls=${FRPC_STRESS_CALLS:-1000}

@test "64 threads x $calls echo calls across 4 processes, data checked" {
	run -0 "$HELPERS/frpc_stress" cdsp threads 4 16 "$calls"
	assert_line "ok: 4 processes x 16 threads x $calls echo calls, every byte checked"
	echo "# $(grep '^rate:' <<<"$output")" >&3
}

@test "1024 calls outstanding on one channel, all complete" {
	run -0 "$HELPERS/frpc_stress" cdsp outstanding 1024 20000000
	assert_line "most pending at once: 1024 of 1024"
	assert_line "ok: 1024 calls outstanding on one channel, all returned 0"
}

@test "16 threads pass one dma-buf by fd while it is mapped and unmapped: data checked" {
	for x in fastrpc heap udmabuf; do
		run -0 "$HELPERS/frpc_stress" cdsp shared "$x" 16 200
		assert_line "ok: 16 threads x 200 echo calls on one $x dma-buf, 200 mem_map/unmap of it meanwhile"
	done
}

@test "one thread's call rate, with and without the payload cache, and the floor" {
	p=/sys/module/fastrpc/parameters/payload_cache_kib
	run -0 "$HELPERS/frpc_stress" cdsp rate 2000
	echo "# cache on:  $(grep '^rate:' <<<"$output")" >&3
	old=$(cat $p)
	echo 0 >$p
	run -0 "$HELPERS/frpc_stress" cdsp rate 2000
	echo "$old" >$p
	echo "# cache off: $(grep '^rate:' <<<"$output")" >&3
	# the vdsp's rpmsg round trip without any driver work
	echo 2000 >/sys/kernel/debug/vdsp/cdsp/floor
	run -0 cat /sys/kernel/debug/vdsp/cdsp/floor
	echo "# transport floor: $output" >&3
}

@test "after the storm: no call pending, no bank held, no leak" {
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 '
	refute_line --regexp 'used=[1-9]'
	kmemleak_clean
}
