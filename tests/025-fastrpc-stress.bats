#!/usr/bin/env bats
# Many calls at once: every kind of call on every domain from processes x
# threads, counted and checked, with every resource back afterwards; 300
# calls outstanding on one channel, 1024 in make stress (the in-tree
# driver stops at 255);
# threads sharing one dma-buf. make check runs the loops small; make stress
# (FASTRPC_SOAK=1) at full size and prints the totals ("# stress:" lines
# of its TAP, which make stress shows). Call rates are measured by make
# bench (tests/bench/rates.sh), not here. Leaks: kmemleak at the end of
# the guest (tests/vm/health.bats), and in make stress here too.

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

@test "300 (1024 in make stress) calls outstanding on one channel, all complete" {
	local n
	# past the in-tree driver's 255 contexts; parked until all are in
	# flight: no timing in it (sleeps of 20 s ended before the last of
	# 1024 threads started on a slow machine)
	n=$(size 300 1024)
	run "$HELPERS/frpc_stress" cdsp outstanding "$n" 0
	# its output, should it fail: make stress failed here once, unseen
	echo "$output"
	[ "$status" = 0 ]
	assert_line "most pending at once: $n of $n"
	assert_line "ok: $n calls outstanding on one channel, all answered"
}

@test "[7/11] defect 3: calls in flight are bounded per client, per channel and in payload bytes" {
	# the defaults keep room for the 1024 calls of the test above (make stress)
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

# Last of the file: its checks of what each domain holds afterwards cover
# the tests above too
@test "processes x threads on every domain: echo, calculator, sleep, mmap, mem_map, alloc, dynamic PDs; all counted, all returned" {
	local domains n t0 splats leaks
	domains=$(size adsp,mdsp,sdsp,cdsp,cdsp adsp,mdsp,sdsp,cdsp,cdsp,cdsp,cdsp)
	n=$(size 12 500)
	t0=$(awk '{print $1}' /proc/uptime)
	run -0 "$HELPERS/frpc_stress" "$domains" mixed 4 "$n"
	assert_line "ok: every call succeeded with its data checked, every resource returned"
	assert_line "errors by errno: none"
	assert_line "wrong data: 0"
	refute_line --regexp '^calls [a-z_]+: made 0,'
	assert_line --regexp '^after: cdsp clients=0 pending=0 orphans=0 banks used=0 vdsp processes=0 smmu pages=([0-9]+) \(at start \1\)$'
	[ "${FASTRPC_SOAK:-0}" = 1 ] || return 0
	# make stress: the totals, and the kernel's word on them
	splats=$(dmesg | awk -v t0="$t0" -F'[][]' '$2 + 0 >= t0' |
		grep -cE 'BUG:|WARNING:|KASAN|UBSAN|lockdep|Oops|DMA-API' || true)
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak || true)
	{
		echo "domains $domains; per domain entry a process of 4 threads x $n rounds and a process making $(( (n + 9) / 10 )) dynamic PDs; seed: none (data derived from process, thread and call numbers)"
		printf '%s\n' "${lines[@]}" | grep -E '^(calls|errors|wrong|after)'
		echo "splats $splats, leaks $leaks"
	} | sed 's/^/# stress: /' >&3
	[ "$splats" = 0 ] && [ "$leaks" = 0 ]
}
