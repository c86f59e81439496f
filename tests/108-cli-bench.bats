#!/usr/bin/env bats
# fastrpcctl bench: help, bad arguments, and each workload checked against
# what the DSP (the vdsp's per-method call counters) and the driver
# (channel invoke counter, client fdinfo, the system's dma-bufs) saw: the
# calls a bench reports are calls that ran, and it leaves nothing behind.
# Tiny counts; no timing is asserted.

load test_helper
load cli_helper

VDSP_COUNTERS=/sys/kernel/debug/vdsp/cdsp/counters
CHANNEL=/sys/kernel/debug/fastrpc/cdsp
BUFINFO=/sys/kernel/debug/dma_buf/bufinfo

# file_num FILE REGEX: the number REGEX captures in FILE's last line that
# matches it, in REPLY (empty when none does)
file_num() {
	local l
	REPLY=
	debug_trap_off
	while IFS= read -r l; do
		[[ $l =~ $2 ]] && REPLY=${BASH_REMATCH[1]}
	done <"$1"
	debug_trap_on
}

# dsp_calls SERVICE METHOD: the vdsp's count of that method's calls
dsp_calls() {
	file_num "$VDSP_COUNTERS" "^call service=$1 method=$2 count=([0-9]+) "
	REPLY=${REPLY:-0}
}

# channel_val KEY: KEY= of cdsp's channel line in the driver's debugfs
channel_val() {
	file_num "$CHANNEL" "^channel .* $1=([0-9]+)"
}

# dmabufs: the system's dma-buf count ("Total N objects")
dmabufs() {
	file_num "$BUFINFO" "^Total ([0-9]+) objects"
}

# low_fds CMD...: CMD with fds 3-9 closed (bats holds some), so that
# under --nofile=4 the node the command opens is its last fd
low_fds() {
	"$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

# jq_num FILTER: jq -r FILTER over $output, in REPLY
jq_num() {
	jq -r "$1" <<<"$output" >"$BATS_TEST_TMPDIR/.jq"
	IFS= read -r REPLY <"$BATS_TEST_TMPDIR/.jq"
}

@test "cli bench: help at every level" {
	ctl help
	assert_line --regexp '^  bench +measure '
	ctl bench help
	assert_line --index 0 'usage: fastrpcctl bench [-D DOMAIN] [-n COUNT] [-t THREADS[,THREADS...]]'
	assert_line '  shapes'
	assert_line --partial '-n, --count COUNT'
	local usage=$output
	ctl help bench
	assert_output "$usage"
	ctl bench --help
	assert_output "$usage"
	ctl bench -n 5 -h
	assert_output "$usage"
	ctl bench -n 5 help
	assert_output "$usage"
	# a workload's own, by name or prefix
	ctl bench null help
	assert_line --index 0 'usage: fastrpcctl bench [-D DOMAIN] [-n COUNT] null'
	ctl bench thr help
	assert_line --index 0 'usage: fastrpcctl bench [-D DOMAIN] [-n COUNT] [-t THREADS,...] threads'
	ctl bench sh help
	assert_line --partial 'inline (user pointers)'
	# JSON: help is null
	ctl -j bench help
	assert_output null
	ctl bench mem help -j
	assert_output null
}

@test "cli bench: every bad argument gets one message and the usage status" {
	local range='\(1\.\.1000000\)$'
	fails_with 2 "^fastrpcctl: bench: unknown workload 'foo' \(null, threads, shapes, mem, stat, process, all\)$" "$CTL" bench foo
	fails_with 2 "^fastrpcctl: bench: unknown workload 'x' " "$CTL" bench null x
	fails_with 2 "^fastrpcctl: bench: invalid count '0' $range" "$CTL" bench -n 0
	fails_with 2 "^fastrpcctl: bench: invalid count '1000001' $range" "$CTL" bench -n 1000001 null
	fails_with 2 "^fastrpcctl: bench: invalid count '99999999999999999999' $range" "$CTL" bench --count 99999999999999999999
	fails_with 2 "^fastrpcctl: bench: invalid count '1e3' $range" "$CTL" bench -n 1e3
	fails_with 2 "^fastrpcctl: bench: invalid count '-5' $range" "$CTL" bench null -n -5
	fails_with 2 "^fastrpcctl: bench: option '-n' needs a value$" "$CTL" bench -n
	fails_with 2 "^fastrpcctl: bench: invalid thread count '0' \(1\.\.256\)$" "$CTL" bench -t 0 threads
	fails_with 2 "^fastrpcctl: bench: invalid thread count '257' \(1\.\.256\)$" "$CTL" bench -t 1,257
	fails_with 2 "^fastrpcctl: bench: invalid thread count 'two' \(1\.\.256\)$" "$CTL" bench -t two
	fails_with 2 "^fastrpcctl: bench: invalid thread list '1,,2' \(N,N,\.\.\.\)$" "$CTL" bench -t 1,,2
	fails_with 2 "^fastrpcctl: bench: invalid thread list '4,' " "$CTL" bench --threads 4,
	fails_with 2 "^fastrpcctl: bench: at most 16 thread counts in " "$CTL" bench -t 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1
	fails_with 2 "^fastrpcctl: unknown domain 'xdsp' \(adsp, mdsp, sdsp, cdsp, cdsp1\)$" "$CTL" bench -D xdsp null
	fails_with 2 "^fastrpcctl: bench: unknown option '-x' \(try 'fastrpcctl bench help'\)$" "$CTL" bench -x
	json_fails_with 2 "^bench: invalid count 'abc' $range" "$CTL" -j bench -n abc
}

@test "cli bench null: the DSP ran exactly the calls reported, the driver sent them" {
	need_driver
	dsp_calls echo 2
	local echo0=$REPLY inv0 inv1 inv2
	channel_val invokes
	inv0=$REPLY
	ctl -j bench -n 7 null
	jq_is 'keys' '["client","count","domain","errors","node","null"]'
	jq_is '[.domain, .count, .null.warmup, .null.calls, .errors]' '["cdsp",7,7,7,[]]'
	jq_is '.null | [.p50_ns <= .p99_ns, .p99_ns <= .max_ns, .mean_ns <= .max_ns, .p50_ns > 0, .calls_per_s > 0]' \
		'[true,true,true,true,true]'
	dsp_calls echo 2
	[ "$REPLY" = $((echo0 + 14)) ]
	# a second run of 12 + 12: the driver sent exactly 10 more messages
	# (whatever a session's attach, skel open, close and release cost)
	channel_val invokes
	inv1=$REPLY
	ctl -j bench --count 12 null
	jq_is '[.null.warmup, .null.calls]' '[12,12]'
	dsp_calls echo 2
	[ "$REPLY" = $((echo0 + 14 + 24)) ]
	channel_val invokes
	inv2=$REPLY
	[ $(((inv2 - inv1) - (inv1 - inv0))) = 10 ]
	# the text table
	ctl bench -n 3 null
	assert_line --index 0 'bench on cdsp (/dev/fastrpc-cdsp), COUNT 3'
	assert_line --regexp '^null: 3 calls \(after 3\): p50 [0-9.]+ us, p99 [0-9.]+ us, max [0-9.]+ us, mean [0-9.]+ us, [0-9]+ calls/s$'
}

@test "cli bench threads: a row per thread count, every call on the DSP" {
	need_driver
	dsp_calls echo 2
	local echo0=$REPLY
	ctl -j bench -n 6 -t 1,2,3 threads
	jq_is '[.threads[] | [.threads, .warmup, .calls, .p50_ns <= .p99_ns, .calls_per_s > 0]]' \
		'[[1,6,6,true,true],[2,6,6,true,true],[3,6,6,true,true]]'
	jq_is '.errors' '[]'
	dsp_calls echo 2
	[ "$REPLY" = $((echo0 + 36)) ]
	# more threads than calls: those without a call do none
	ctl bench -n 2 -t 5 thr
	assert_line --regexp '^ +5 +2 +[0-9]+ +[0-9.]+ +[0-9.]+$'
}

@test "cli bench shapes: every shape measured and checked, each call on the DSP" {
	need_driver
	dsp_calls echo 2
	local echo0=$REPLY
	ctl -j bench -n 2 shapes
	jq_is '[.shapes[] | "\(.bufs)x\(.bytes)\(.kind[0:1]):\(.calls)"] | join(" ")' \
		'0x0i:2 1x4096i:2 1x4096f:2 2x4096i:2 2x4096f:2 4x4096i:2 4x4096f:2 8x4096i:2 8x4096f:2 16x4096i:2 16x4096f:2 1x0i:2 1x64i:2 1x64f:2 1x65536i:2 1x65536f:2 1x1048576i:2 1x1048576f:2 1x16777216i:2 1x16777216f:2'
	jq_is '[.shapes[] | .p50_ns > 0 and .mb_per_s >= 0] | all' true
	jq_is '.errors' '[]'
	jq_num '[.shapes[].calls] | add'
	local calls=$REPLY
	dsp_calls echo 2
	[ "$REPLY" = $((echo0 + calls)) ]
}

@test "cli bench shapes: an inline shape past the driver's limit is a refused row" {
	need_driver
	local p=/sys/module/fastrpc/parameters/client_max_inflight_kib kib
	kib=$(cat $p)
	# 16 MiB inline fits behind the vdsp's SMMU up to the client's
	# in-flight budget: below it, the driver refuses the call (E2BIG)
	echo 8192 >$p
	ctl -j bench -n 1 shapes
	echo "$kib" >$p
	jq_is '[.shapes[] | select(.calls == 0) | "\(.bytes)\(.kind[0:1]) \(.errno) \(.message)"]' \
		'["16777216i 7 Argument list too long"]'
	jq_is '.errors' '[]'
}

@test "cli bench mem and process: each op on the DSP, nothing left behind" {
	need_driver
	local m s0=() s1=() bufs0
	dmabufs
	bufs0=$REPLY
	for m in 0 1 4 5 6 10 11; do
		dsp_calls init $m
		s0[m]=$REPLY
	done
	ctl -j bench -n 3 mem process
	jq_is '.mem | [.bytes, .mem_map.ops, .mmap.ops, .alloc.ops, .alloc.p50_ns > 0]' '[4096,3,3,3,true]'
	jq_is '.process | [.create.ops, .attach.ops, .attach.ops_per_s > 0]' '[3,3,true]'
	jq_is '.errors' '[]'
	# the session's own maps and buffers when it ended: none left
	jq_is '.client | [.maps, .map_bytes, .buffers, .buffer_bytes, .pending]' '[0,0,0,0,0]'
	for m in 0 1 4 5 6 10 11; do
		dsp_calls init $m
		s1[m]=$REPLY
	done
	# MEM_MAP, MEM_UNMAP, MMAP, MUNMAP 3 each; 3 creates; 3 attaches and
	# the session's; a release for each of those 7
	[ "$((s1[10] - s0[10])) $((s1[11] - s0[11]))" = "3 3" ]
	[ "$((s1[4] - s0[4])) $((s1[5] - s0[5]))" = "3 3" ]
	[ "$((s1[6] - s0[6])) $((s1[0] - s0[0])) $((s1[1] - s0[1]))" = "3 4 7" ]
	# every dma-buf of the run is gone with it, and no orphan stays
	dmabufs
	[ "$REPLY" = "$bufs0" ]
	channel_val orphans
	[ "$REPLY" = 0 ]
}

@test "cli bench: a refused workload is reported with its errno, the others run" {
	need_driver
	# four fds: the session's node is the last; every dma-buf (an fd) is
	# refused with EMFILE, null calls and MMAP of new memory are not
	_exec low_fds prlimit --nofile=4 "$CTL" -j bench -n 2 null mem
	[ "$status" = 1 ] && [ -z "$stderr" ] || { _show "bench in 4 fds" 1; false; }
	jq_is '[.null.calls, .mem.mem_map, .mem.mmap.ops, .mem.alloc]' '[2,null,2,null]'
	jq_is '[.errors[] | [.workload, .errno]]' '[["mem",24],["mem",24]]'
	jq_is '.errors[1].message' 'ALLOC_DMA_BUFF+close 0: Too many open files'
	_exec low_fds prlimit --nofile=4 "$CTL" bench -n 2 mem
	[ "$status" = 1 ] || { _show "bench in 4 fds" 1; false; }
	assert_line 'mem: failed: ALLOC_DMA_BUFF+close 0: Too many open files'
	assert_line --regexp '^  MMAP\+MUNMAP +2 '
	assert_line '2 failures (above)'
}

@test "cli bench stat: stat's programs attached and detached in turn, every call on the DSP, none left" {
	need_driver
	dsp_calls echo 2
	local echo0=$REPLY mode
	ctl -j bench -n 5 stat
	jq_is '[.stat.calls, .stat.rounds, (.stat.round_loss_pct | length), .stat.detached_calls_per_s > 0,
		.stat.attached_calls_per_s > 0, (.stat.loss_pct | type), .errors]' '[5,25,25,true,true,"number",[]]'
	# a warm-up (attached), a detached phase, then 25 rounds of two
	dsp_calls echo 2
	[ "$REPLY" = $((echo0 + 5 * (2 + 2 * 25))) ]
	# its programs went with it
	run -0 bpftool prog show
	refute_output --regexp ' name (ctx_complete|msg_send|msg_response) '
	ctl bench -n 2 stat
	assert_line 'stat: 2 null calls a phase, attached and detached in turn, 25 rounds'
	assert_line --regexp '^  throughput lost -?[0-9]+\.[0-9]{2} % \(median of the rounds\), detached [0-9]+ calls/s, attached [0-9]+ calls/s$'
	# not root: refused with EPERM, the workloads beside it run (the node
	# opened to all for this alone)
	mode=$(stat -c %a /dev/fastrpc-cdsp)
	chmod 0666 /dev/fastrpc-cdsp
	_exec setpriv --reuid 65534 --regid 65534 --clear-groups "$CTL" -j bench -n 2 stat null
	chmod "$mode" /dev/fastrpc-cdsp
	[ "$status" = 1 ] || { _show "bench stat as nobody" 1; false; }
	jq_is '[.null.calls, .stat, [.errors[] | [.workload, .errno]]]' '[2,null,[["stat",1]]]'
	jq_is '.errors[0].message' "loading fastrpcctl stat's BPF programs needs root: Operation not permitted"
}
