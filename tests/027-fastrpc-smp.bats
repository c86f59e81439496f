#!/usr/bin/env bats
# Two CPUs in the driver at once. Every race worth testing needs them: a
# guest with one CPU cannot run two paths of the driver at the same time,
# so this file fails rather than pass on one.

# Concurrency tests: run-tests.sh runs them in its guest of two vCPUs.
# bats file_tags=smp

load test_helper

TR=/sys/kernel/tracing

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

teardown() {
	[ -d "$TR/instances/smp" ] || return 0
	echo 0 >"$TR/instances/smp/events/fastrpc/fastrpc_ctx_alloc/enable"
	rmdir "$TR/instances/smp"
}

@test "the guest runs on at least 2 CPUs" {
	local online

	read -r online </sys/devices/system/cpu/online
	echo "online CPUs: $online"
	[[ $online =~ ^0-([1-9][0-9]*)$ ]]
}

@test "the clock is a real clocksource, not jiffies" {
	local cs

	read -r cs </sys/devices/system/clocksource/clocksource0/current_clocksource
	echo "clocksource: $cs"
	[[ $cs != *jiffies* ]]
}

@test "two pinned threads invoke at once: each call on its CPU, ctx_alloc events on both" {
	local cpu k v n=40

	mkdir "$TR/instances/smp"
	echo 1 >"$TR/instances/smp/events/fastrpc/fastrpc_ctx_alloc/enable"
	run -0 "$HELPERS/frpc_stress" cdsp percpu $n
	assert_line "cpu 0: $n echo calls, every byte checked"
	assert_line "cpu 1: $n echo calls, every byte checked"
	assert_line --regexp '^ok: [0-9]+ CPUs invoked at once$'
	echo 0 >"$TR/instances/smp/events/fastrpc/fastrpc_ctx_alloc/enable"
	# An event lands in the buffer of the CPU that emitted it.
	for cpu in 0 1; do
		while read -r k v; do
			[ "$k" = entries: ] && break
		done <"$TR/instances/smp/per_cpu/cpu$cpu/stats"
		echo "cpu$cpu: $v ctx_alloc events"
		[ "$v" -ge $n ]
	done
}
