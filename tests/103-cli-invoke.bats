#!/usr/bin/env bats
# fastrpcctl invoke: every vdsp skel from the shell, typed arguments,
# dma-buf-backed buffers, mapped memory, raw handles, and the errors a
# call can end in.

load test_helper
load cli_helper

URI='file:///libcalculator_skel.so?calculator_skel_handle_invoke&_modver=1.0'

setup() {
	need_driver
}

# bats test_tags=agnostic
@test "cli invoke: calculator, by name, URI and number, on each domain and PD" {
	ctl invoke calculator sum 1 2 3 4
	assert_output $'calculator.sum on cdsp: ok\nout[0] i64: 10'
	# 64-bit sum: no wrap at 2^31; negative and hex numbers
	ctl invoke calc sum 2147483647 2147483647 2 -7 0x10
	assert_output $'calculator.sum on cdsp: ok\nout[0] i64: 4294967305'
	ctl invoke calculator max 5 -9 42 7
	assert_output $'calculator.max on cdsp: ok\nout[0] i32: 42'
	ctl -j invoke calculator sum
	jq_is '[.domain, .skel, .uri, .method, .method_name, .retval, .repeat, .handle >= 256, .outputs, .maps]' \
		"[\"cdsp\",\"calculator\",\"$URI\",2,\"sum\",0,1,true,[{\"index\":0,\"type\":\"i64\",\"size\":8,\"backing\":\"memory\",\"values\":[0]}],[]]"
	ctl -j invoke "$URI" 2 i32:20,22 out:i64
	jq_is '[.skel, .method_name, .outputs[0].values[0]]' "[\"$URI\",null,42]"
	ctl -j invoke --raw calculator 3 i32:1,9,3 out:i32
	jq_is '.outputs[0].values' '[9]'
	ctl -j -D adsp invoke --sensors calculator 2 1 1
	jq_is '[.domain, .outputs[0].values[0]]' '["adsp",2]'
	ctl -j invoke -D mdsp --dynamic --repeat 20 calculator sum 5 5
	jq_is '[.domain, .repeat, .outputs[0].values[0]]' '["mdsp",20,10]'
}

# bats test_tags=agnostic
@test "cli invoke: echo returns what it was given, in memory and in dma-bufs" {
	local t=$BATS_TEST_TMPDIR b p want
	ctl invoke echo copy str:hello hex:00ff10 u16:1,65535 dmabuf:gen:16:0x5a heap:str:dma
	assert_output 'echo.copy on cdsp: ok
out[0] str: hello
out[1] 3 bytes: 00ff10
out[2] 4 bytes: 0100ffff
out[3] 16 bytes: 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
out[4] str: dma'
	# an out-buffer is cut to its size, or zero-filled past its input
	ctl -j invoke --raw echo copy hex:01020304 'str:a "word"' x32:0xdeadbeef \
		out:2 out:str:16 out:x16:3
	jq_is '[.outputs[0].hex, .outputs[1].value, .outputs[2].values]' \
		'["0102","a \"word\"",["0xbeef","0xdead","0x0"]]'
	# files through plain memory, driver dma-bufs and the system heap
	pattern_file "$t/in" 5000
	fnv_file "$t/in"
	want=$REPLY
	for b in memory dmabuf heap; do
		p=
		[ "$b" = memory ] || p=$b:
		ctl -j invoke --raw echo copy "${p}file:$t/in" "${p}out:file:5000:$t/out-$b"
		cmp "$t/in" "$t/out-$b"
		jq_is '.outputs[0] | [.type, .backing, .path, .fnv1a64]' \
			"[\"file\",\"$b\",\"$t/out-$b\",\"$want\"]"
	done
	# 64 buffers each way
	local args=() i
	for ((i = 0; i < 64; i++)); do
		args+=("u32:$i")
	done
	ctl -j invoke echo copy "${args[@]}"
	jq_is '[(.outputs | length), .outputs[0].hex, .outputs[63].hex]' '[64,"00000000","3f000000"]'
}

# bats test_tags=agnostic
@test "cli invoke: memtest on memory mapped with --map and --mmap" {
	fnv_fill 16384 0x11
	ctl -j invoke --map 16K:0x11 memtest checksum @0 16384
	jq_is '[.outputs[0].values[0], .maps[0].fnv1a64, .maps[0].kind, .maps[0].size]' \
		"[\"$REPLY\",\"$REPLY\",\"mem_map\",16384]"
	# the DSP writes, the CPU reads the same bytes back
	fnv_fill 8192 0xa5
	ctl -j invoke --map 8K:0 memtest fill @0 8192 0xa5
	jq_is '.maps[0].fnv1a64' "$REPLY"
	# the second of two maps, part of it
	fnv_fill 4096 pattern
	ctl -j invoke --map 4K:1 --map 8K:pattern memtest checksum @1 4096
	jq_is '[.outputs[0].values[0], (.maps | length)]' "[\"$REPLY\",2]"
	ctl invoke --map 4K:1 memtest checksum @0 4096
	assert_line --index 1 --regexp "^out\[0\] x64: 0x[0-9a-f]+$"
	assert_line --index 2 --regexp "^map @0: mem_map 4096 bytes at DSP 0x[0-9a-f]+, fnv1a64 0x[0-9a-f]+$"
	# remote heap memory from MMAP has no CPU view: filled and summed on the DSP
	fnv_fill 4096 0x77
	ctl -j invoke --mmap 4K --raw memtest 3 u64:@0,4096,0x77
	jq_is '.maps[0] | [.kind, .size, .fnv1a64]' '["mmap",4096,null]'
	ctl mmap --size 4K --fill 0x77 --verify
	assert_output --partial ", DSP fnv1a64 $REPLY"
}

# bats test_tags=agnostic
@test "[7/11] defect 7: a DSP answer that is a kernel-internal code reaches the caller as EREMOTEIO" {
	for code in -512 -513 -515 -516 -4095; do
		fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: Remote I/O error$" \
			"$CTL" invoke fault retval "$code"
	done
	# an errno the DSP may give passes unchanged, as upstream passes it
	fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: Connection timed out$" \
		"$CTL" invoke fault retval -110
}

# bats test_tags=agnostic
@test "[9/11] a DSP's own code is reported as it is and named, in text and JSON" {
	fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: the DSP returned 0x80000406 \(AEE_EUNABLETOLOAD\)$" \
		"$CTL" invoke fault retval 0x80000406
	fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: the DSP returned 5 \(AEE_EALREADYLOADED\)$" \
		"$CTL" invoke fault retval 5
	fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: the DSP returned 0x8000ffff$" \
		"$CTL" invoke fault retval 0x8000ffff
	# the same code given signed; JSON carries it as a number and its name
	json_fails_with 1 "^fault\.retval on cdsp failed: the DSP returned 0x8000040d \(AEE_EBADSTATE\)$" \
		"$CTL" -j invoke fault retval -2147482611
	run -0 jq -c '[.retval, .aee, .errno]' "$BATS_TEST_TMPDIR/.out"
	assert_output '[2147484685,"AEE_EBADSTATE",null]'
	# an errno stays an errno
	json_fails_with 1 "^fault\.retval on cdsp failed: Invalid argument$" "$CTL" -j invoke fault retval -22
	run -0 jq -c '[.errno, .retval]' "$BATS_TEST_TMPDIR/.out"
	assert_output '[22,null]'
}

# bats test_tags=agnostic
@test "cli invoke: sleep, fault, and the errors a call can end in" {
	ctl invoke sleep usleep 1000
	assert_output "sleep.usleep on cdsp: ok"
	ctl invoke fault retval 0
	fails_with 1 "^fastrpcctl: fault\.retval on cdsp failed: Invalid argument$" "$CTL" invoke fault retval -22
	json_fails_with 1 "^fault\.retval on cdsp failed: Operation not permitted$" "$CTL" -j invoke fault retval -1
	fails_with 1 "^fastrpcctl: cannot open skel file:///libnosuch_skel\.so\?nosuch_skel_handle_invoke&_modver=1\.0 on cdsp: No such file or directory: .*libnosuch_skel\.so.*$" \
		"$CTL" invoke nosuch 2
	fails_with 1 "^fastrpcctl: handle 1 method 0 on cdsp failed: Operation not permitted$" "$CTL" invoke 1 0 i32:1
	fails_with 2 "^fastrpcctl: invoke: method 'sum' of nosuch must be a number$" "$CTL" invoke nosuch sum
	# -d shows the remotectl open, the call and the close, stdout unchanged
	_exec "$CTL" -d invoke calculator sum 1
	assert_equal "$status" 0
	assert_output $'calculator.sum on cdsp: ok\nout[0] i64: 1'
	[[ $stderr == *"ioctl INIT_ATTACH -> 0"* ]]
	[[ $stderr == *"ioctl INVOKE handle=0x0 method=0 in=2 out=2 -> 0"* ]]
	[[ $stderr =~ "ioctl INVOKE handle=0x"[0-9a-f]+" method=2 in=1 out=1 -> 0" ]]
	[[ $stderr == *"ioctl INVOKE handle=0x0 method=1 in=1 out=2 -> 0"* ]]
}
