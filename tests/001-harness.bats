#!/usr/bin/env bats
# The guest itself: our kernel, the buses and filesystems every later suite
# stands on.

load test_helper

setup() {
	skip_unless_guest
}

@test "guest runs the test kernel we built" {
	# the release of the tree whose bzImage run.sh booted, read by run.sh
	[ -n "${FASTRPC_KRELEASE:-}" ]
	run -0 uname -r
	assert_output "$FASTRPC_KRELEASE"
}

@test "guest kernel config carries every line of the fragment" {
	zcat /proc/config.gz >"$BATS_TEST_TMPDIR/config"
	# the fragment's settings that the running config lacks: none
	run grep -vxF -f "$BATS_TEST_TMPDIR/config" <(grep -E '^(CONFIG_|# CONFIG_.* is not set)' \
		"$TOP/tests/kernel.config")
	assert_equal "$status" 1
	assert_output ""
}

@test "rpmsg bus and device-tree root exist" {
	[ -d /sys/bus/rpmsg/devices ]
	[ -d /sys/firmware/devicetree/base ]
}

@test "proc, sysfs, devtmpfs, debugfs, tracefs and bpffs are mounted" {
	run -0 awk '{print $3 " " $2}' /proc/mounts
	for fs in "proc /proc" "sysfs /sys" "devtmpfs /dev" "debugfs /sys/kernel/debug" \
		"tracefs /sys/kernel/tracing" "bpf /sys/fs/bpf" "tmpfs /tmp"; do
		assert_line "$fs"
	done
}

@test "the system dma-heap allocates, maps and keeps data" {
	run -0 "$HELPERS/dmaheap_check" 1048576
	assert_output --partial "verified 1048576 bytes"
}

@test "a BPF program loads, attaches to a tracepoint and counts" {
	run -0 "$HELPERS/bpf_smoke" "$HELPERS/harness.bpf.o"
	assert_output --regexp "^execs counted: [1-9][0-9]*$"
}

@test "tracefs records an enabled event" {
	local t=/sys/kernel/tracing
	echo >"$t/trace"
	echo 1 >"$t/events/sched/sched_process_exec/enable"
	/bin/true
	echo 0 >"$t/events/sched/sched_process_exec/enable"
	run -0 cat "$t/trace"
	assert_output --partial "sched_process_exec: filename=/bin/true"
}

@test "kmemleak is on" {
	# kmemleak refuses every command but "clear" once it is off; "scan=off"
	# stops an automatic scan thread, which this kernel does not start.
	# The scan itself, and that it finds nothing, end every guest's run
	# (tests/vm/health.bats).
	echo scan=off >/sys/kernel/debug/kmemleak
}
