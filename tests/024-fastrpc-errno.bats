#!/usr/bin/env bats
# Malformed input to every ioctl gets the errno the driver documents, and
# nothing else: the table is tests/helpers/frpc_errno.c, one line per case.

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# The table runs once; its tests read what it printed
setup_file() {
	once_per_file "$HELPERS/frpc_errno"
}

table() {
	once_output
}

# bats test_tags=agnostic
@test "every malformed input gets its documented errno" {
	table
	refute_line --partial "FAIL"
	assert_line "ok: 0 case(s) failed"
	# one line per case, and every ioctl has its cases
	for ioc in INVOKE INIT_ATTACH INIT_ATTACH_SNS INIT_CREATE INIT_CREATE_STATIC \
		ALLOC_DMA_BUFF FREE_DMA_BUFF MMAP MUNMAP MEM_MAP MEM_UNMAP GET_DSP_INFO; do
		assert_line --regexp "^ok +$ioc "
	done
	[ "$(grep -c '^ok  ' <<<"$output")" -ge 90 ]
}

# bats test_tags=agnostic
@test "[7/11] defect 1: an fd without a remote process of its own cannot place memory on the DSP" {
	table
	assert_line --regexp '^ok +INVOKE +fd without a process of its own +want ESRCH +got ESRCH$'
	assert_line --regexp '^ok +MMAP +fd without a process of its own +want ESRCH +got ESRCH$'
	assert_line --regexp '^ok +MMAP +dma-buf, fd without a process +want ESRCH +got ESRCH$'
	assert_line --regexp '^ok +MEM_MAP +fd without a process of its own +want ESRCH +got ESRCH$'
}

@test "[7/11] defect 5: no remote heap past remote_heap_max_kib" {
	table
	assert_line --regexp '^ok +INIT_CREATE_STATIC +remote heap past 64 MiB +want EINVAL +got EINVAL$'
	[ "$(cat /sys/module/fastrpc/parameters/remote_heap_max_kib)" = 65536 ]
}

@test "a bad request leaves no state behind" {
	run -0 cat /sys/kernel/debug/fastrpc/cdsp
	assert_line --regexp '^channel domain=cdsp status=up clients=0 pending=0 '
	refute_line --regexp 'used=[1-9]'
	run -0 cat /sys/kernel/debug/vdsp/cdsp/processes
	refute_output --partial "process "
}
