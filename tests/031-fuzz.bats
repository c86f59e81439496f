#!/usr/bin/env bats
# The ioctl fuzzer (tests/fuzz/frpc_fuzz.c), short and with fixed seeds:
# every ioctl on every node from 3 processes x 3 threads, then the same
# with the vdsp's response fuzzer on. Each result must be in the
# documented errno set, and the driver's state clean afterwards. `make
# fuzz SEED= SECONDS=` runs it long. Half the dma-bufs are the driver's,
# half the system heap's: one heap buffer on two context banks at once
# gets EBUSY (it would be two cache-syncing mappings of the same pages,
# which DMA-API debug reports as a splat), as does one of the driver's
# on a ninth bank. Some pointers and argument structs lie on userfaultfd
# pages whose faults the fuzzer holds a while.

# Races need two CPUs: run-tests.sh runs this in its guest of two vCPUs.
# bats file_tags=smp

load test_helper
load frpc_helper

FUZZ=$TOP/tests/fuzz/frpc_fuzz
VDSP=/sys/kernel/debug/vdsp

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

teardown() {
	! in_guest || for d in "$VDSP"/*/; do echo 0 >"$d/fuzz_permille"; done
}

@test "ioctl fuzzer: 1200 calls, seed 31, every result documented, nothing left" {
	run -0 "$FUZZ" -s 31 -n 1200
	assert_line --regexp '^calls: 12[0-9]{2} ioctls in '
	assert_line --regexp '^  INVOKE +[0-9]+: ok=[0-9]+ '
	assert_line --regexp '^results: ok=[1-9][0-9]* .*EFAULT=[1-9].*EINVAL=[1-9]'
	# calls stalled on userfaultfd pages (the test kernel has it)
	assert_line --regexp '^stalls: [1-9][0-9]* userfaultfd faults, [0-9]+ held up to 1.5 s, [0-9]+ held to the end$'
	assert_line "driver state after: clean (no client, call or bank left)"
	assert_line "unexpected: 0"
	assert_domains_clean
}

@test "with the vdsp's response fuzzer: wrong replies fail calls, nothing is left" {
	local d kind
	# every reply fuzzed: each kind gets used in so few calls
	run -0 "$FUZZ" -s 32 -n 600 -r 1000
	# or clean but for listeners parked on a DSP process whose attach was
	# answered wrong: the restart below ends them, assert_domains_clean checks
	assert_line --regexp '^driver state after: clean( \(no client, call or bank left\)| but for listener calls parked on DSP processes )'
	assert_line "unexpected: 0"
	# every way of corrupting a reply was used
	for kind in ctx_random ctx_near ctx_pd ctx_other len_zero len_short \
		len_negative len_off len_huge retval dup; do
		run -0 cat "$VDSP"/*/counters
		assert_line --regexp "^fuzzed kind=$kind count=[1-9]"
	done
	# a release answered wrong leaves its memory with the channel (and
	# maybe its process on the DSP) until the DSP restarts: restart those
	# DSPs, then nothing is left at all
	for d in /sys/kernel/debug/fastrpc/*; do
		grep -q ' orphans=0 ' "$d" &&
			grep -q ' processes=0$' "$VDSP/${d##*/}/status" ||
			echo 1 >"$VDSP/${d##*/}/crash"
	done
	assert_domains_clean
}
