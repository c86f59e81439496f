#!/usr/bin/env bats
# What Qualcomm's client library (libcdsprpc) does to start a session on
# cdsp, invoke one method and tear the session down, replayed call for call
# (tests/helpers/frpc_replay.c), with every answer checked against what a
# real DSP gives: the driver side ([7/11]) and the DSP side ([8/11]).

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# One session's replay; the tests read what it printed
setup_file() {
	once_per_file "$HELPERS/frpc_replay" cdsp
}

replay() {
	once_output
	refute_line --partial "FAIL"
}

# bats test_tags=agnostic
@test "replay: capability queries on their own node, answered from handle 2" {
	replay
	assert_line "get_dsp_info PROC_SHARED_BUFFER_SUPPORT: 0x0"
	assert_line "PROC_SHARED_BUFFER_SUPPORT capability: 0"
	assert_line "UNSIGNED_PD_SUPPORT capability: 1"
	assert_line "MAP_DMA_HANDLE_REVERSERPC capability: 0"
}

# bats test_tags=agnostic
@test "replay: INIT_CREATE of an unsigned PD from an rpcmem shell" {
	replay
	assert_line "init_create unsigned: 0x0"
	assert_line "vdsp: process attrs=0x8"
}

# bats test_tags=agnostic
@test "replay: listener threads on handles 7 and 3 park on the DSP" {
	replay
	assert_line "listener1 init2: 0x0"
	assert_line "listener init2: 0x0"
	assert_line "vdsp: 2 listener calls parked"
}

# bats test_tags=agnostic
@test "replay: remotectl1 open1, an invoke with a NOVA DMA handle, close1" {
	replay
	assert_line --regexp '^remotectl1 open1: handle 0x1[0-9a-f]{3} nErr 0 dlerror ""$'
	assert_line "calculator sum: 0x0"
	assert_line "calculator sum: 5050"
	assert_line "remotectl1 close1: 0x0"
}

# bats test_tags=agnostic
@test "replay: perf counters, the log daemon, a thread's exit" {
	replay
	assert_line "perf1 keys: 2: perf_invoke_count perf_invoke_execute"
	assert_line "perf1 perf_invoke_count: 1"
	assert_line "adspmsgd1 init3: 0x80000414"
	assert_line "adspmsgd1 deinit: 0x0"
	assert_line "current_process1 thread_exit: 0x0"
}

# bats test_tags=agnostic
@test "replay: the process exits on handle 4, its listeners end with AEE_EBADSTATE" {
	replay
	assert_line "current_process1 exit: 0x0"
	assert_line "listener1 next2 ended: 0x8000040d"
	assert_line "listener next2 ended: 0x8000040d"
	assert_line "vdsp: process gone"
	assert_line "close: 0x0"
}

# bats test_tags=agnostic
@test "replay: every other method of the system interfaces answers as a DSP does" {
	replay
	assert_line --regexp '^system interfaces: [1-9][0-9]* calls, each answered as a DSP does$'
}

# bats test_tags=agnostic
@test "replay: a process that takes an exception (handle 4) is gone" {
	replay
	assert_line "current_process1 exception: 0x80000430"
	assert_line "vdsp: process gone after its exception"
}
