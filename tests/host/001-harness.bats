#!/usr/bin/env bats
# The harness checked from the host: each test boots its own guest (a boot
# is the expensive part, so each one proves as much as it can) and checks
# that run.sh, make and run-tests.sh report what happened in it.

load ../test_helper

RUN=$TOP/tests/vm/run.sh
# init.sh skips its leak scan after a command that leaves this file
NO_SCAN=': >/run/fastrpc-kmemleak-scanned; '

@test "the cached test kernel is reused, not rebuilt" {
	run -0 "$TOP/tests/vm/build-kernel.sh"
	assert_output "$("$TOP/tests/vm/build-kernel.sh" --dir)"
	refute_output --partial "building"
}

@test "make vm-run runs all of CMD in the guest and returns its status" {
	# Pasted into the recipe, "; hostname" would run on the host. (The
	# marker spares the guest its closing leak scan, as guest-suite.sh
	# does: seconds of a boot whose subject is not leaks.)
	run make -s -C "$TOP" vm-run CMD="$NO_SCAN"'hostname; hostname; echo sum-$((6*7)); exit 7'
	assert_equal "$status" 2
	assert_output --partial "Error 7"
	assert_output --partial "sum-42"
	[ "$(grep -c '^fastrpc-vm' <<<"$output")" = 2 ]
	refute_line "$(hostname)"
}

@test "a module that WARNs and one that leaks are both caught" {
	# 512 MiB as the suite's guests: each of kmemleak's closing scans (which
	# find the leak) takes 4.5-7 s there against 8-9.6 s with run.sh's
	# default 1 GiB
	run "$RUN" -k "$FASTRPC_KDIR" -t 300 --mem 512M \
		-m "$TOP/tests/modules/fastrpc_selftest_warn.ko" \
		-m "$TOP/tests/modules/fastrpc_selftest_leak.ko" -- true
	assert_equal "$status" 126
	assert_output --partial "kernel splat in the guest log"
	assert_output --partial "deliberate warning on load"
	assert_output --partial "unreferenced object"
}

@test "a guest that hangs is killed at the timeout" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 12 -- sleep 1000
	assert_equal "$status" 124
	assert_output --partial "timed out"
}

@test "a guest that dies: its tests that never reported and a stray skip count as failed" {
	run env -u FASTRPC_PHASES FASTRPC_CHECK_OUT="$BATS_TEST_TMPDIR/check" FASTRPC_CHECK_HOST=0 \
		FASTRPC_CHECK_LANES=1 FASTRPC_CHECK_TIMEOUT=300 \
		"$TOP/tests/run-tests.sh" "$FASTRPC_KDIR" tests/host/fixtures/dies.bats
	assert_equal "$status" 1
	assert_line --partial "[g0] ok 1 fixture: passes"
	assert_output --partial "skipped, not in tests/skips.allow: 2 fixture: skips"
	assert_output --partial "never reported: fixture: crashes the guest"
	assert_output --partial "never reported: fixture: never runs"
	# the health checks that end every guest never ran either
	assert_output --partial "tests/vm/health.bats: never reported: the kernel is not tainted"
	assert_output --partial "the guest failed as a whole"
	# the console's last lines, shown when the guest died
	assert_output --partial "sysrq triggered crash"
	# passes; skip, crash, never runs, 6 health checks, the guest
	assert_line "1 passed, 10 failed"
}

@test "make vm-shell's guest shell runs what is typed and powers off on exit" {
	# Keep typing the line until the shell is there to read it: what
	# reaches the serial port before the shell starts may be dropped.
	run bash -c "for i in \$(seq 120); do sleep 3; echo '$NO_SCAN echo shell-\$((6*7)); exit'; done |
		timeout 400 make -s -C '$TOP' vm-shell"
	assert_success
	assert_output --partial "shell-42"
}
