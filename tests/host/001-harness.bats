#!/usr/bin/env bats
# The harness checked from the host: each test boots its own guest and
# proves that run.sh reports what happened in it.

load ../test_helper

RUN=$TOP/tests/vm/run.sh

@test "the cached test kernel is reused, not rebuilt" {
	run -0 "$TOP/tests/vm/build-kernel.sh"
	assert_output "$("$TOP/tests/vm/build-kernel.sh" --dir)"
	refute_output --partial "building"
}

@test "a command's exit status comes back from the guest" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 300 -- 'echo from-guest; exit 7'
	assert_equal "$status" 7
	assert_output --partial "from-guest"
}

@test "a command that fails in the guest fails the run" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 300 -- false
	assert_equal "$status" 1
}

@test "a module that WARNs on load is caught by the splat check" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 300 \
		-m "$TOP/tests/modules/fastrpc_selftest_warn.ko" -- true
	assert_equal "$status" 126
	assert_output --partial "kernel splat in the guest log"
	assert_output --partial "deliberate warning on load"
}

@test "a module that leaks memory is caught by kmemleak" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 300 \
		-m "$TOP/tests/modules/fastrpc_selftest_leak.ko" -- true
	assert_equal "$status" 126
	assert_output --partial "unreferenced object"
}

@test "a guest that hangs is killed at the timeout" {
	run "$RUN" -k "$FASTRPC_KDIR" -t 40 -- sleep 1000
	assert_equal "$status" 124
	assert_output --partial "timed out"
}

@test "make vm-run fails when the command fails in the guest" {
	run make -s -C "$TOP" vm-run CMD=false
	assert_failure
}

@test "make vm-shell's guest shell runs what is typed and powers off on exit" {
	# Keep typing the line until the shell is there to read it: what
	# reaches the serial port before the shell starts may be dropped.
	run bash -c "for i in \$(seq 120); do sleep 3; echo 'echo shell-\$((6*7)); exit'; done |
		timeout 400 make -s -C '$TOP' vm-shell"
	assert_success
	assert_output --partial "shell-42"
}
