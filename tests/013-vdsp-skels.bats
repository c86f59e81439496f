#!/usr/bin/env bats
# The vdsp's remotectl, DSP utilities and built-in skels, driven with raw
# requests (tests/modules/vdsp_rawreq.ko) in real pages, no FastRPC driver
# involved: data checked byte for byte, and no byte outside the buffers
# touched ("canary 0").

load test_helper
load vdsp_helper

P=920001
Q=920002

uri() {
	echo "file:///lib$1_skel.so?$1_skel_handle_invoke&_modver=1.0"
}

# open URI [TGID [HANDLE METHOD]]: remotectl open; prints out0 "HANDLE ERR"
open_uri() {
	"$R" -p "${2:-$P}" cdsp "${3:-0}" "${4:-0}:2:2" "rec:u32:$((${#1} + 1)),u32:128" \
		"str:$1" out:8:i32 out:128:str
}

# skel NAME: open it for $P, print its handle
skel() {
	local out v

	out=$(open_uri "$(uri "$1")") || return 1
	v=$(out0 "$out") || return 1
	[ "${v#* }" = 0 ] && echo "${v% *}"
}

# mmap TGID PAGES [FLAGS]: map fresh pages, print the DSP address
dsp_mmap() {
	local out

	out=$("$R" cdsp 1 4:2:1 "rec:i32:$1,u32:${3:-4096},u64:0x7f001000,i32:$2" \
		"pages:$2" out:8:u64) || return 1
	out0_addr "$out"
}

memtest_sum() { # HANDLE VADDR LEN
	"$R" -p $P cdsp "$1" 2:1:1 "rec:u64:$2,u64:$3" out:8:u64
}

memtest_fill() { # HANDLE VADDR LEN BYTE
	"$R" -p $P cdsp "$1" 3:1:0 "rec:u64:$2,u64:$3,u32:$4,u32:0"
}

fnv() {
	"$R" -F "$1"
}

setup_file() { vdsp_raw_setup; }
teardown_file() { vdsp_raw_teardown; }

setup() {
	vdsp_raw_skip
	"$R" cdsp 1 0:1:0 "i32:$P" >/dev/null
}

teardown() {
	in_guest && [ -d /sys/module/vdsp_rawreq ] || return 0
	release_procs cdsp $P $Q
}

@test "remotectl: every built-in skel opens by URI to a handle of its own" {
	declare -A seen
	for s in calculator echo memtest sleep fault; do
		run -0 open_uri "$(uri $s)"
		assert_line "retval 0"
		assert_line --regexp "^out0 [0-9]+ 0$"
		assert_line "out1 "
		h=$(out0 "$output")
		h=${h% *}
		# past libcdsprpc's static-PD handles (0x100-0x200), which it
		# will not invoke
		[ "$h" -gt 512 ]
		[ -z "${seen[$h]:-}" ]
		seen[$h]=1
	done
	slurp "$DBG/cdsp/processes"
	assert_output --partial "tgid=$P pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=5"
}

@test "remotectl: unknown library, wrong symbol, not a skel URI: error and dlerror" {
	run -0 open_uri "$(uri nope)"
	assert_line "retval 0"
	assert_line "out0 -1 -2"
	assert_line "out1 libnope_skel.so: cannot open shared object file: No such file or directory"
	run -0 open_uri "file:///libecho_skel.so?calc_skel_handle_invoke&_modver=1.0"
	assert_line "out0 -1 -22"
	assert_line "out1 libecho_skel.so: undefined symbol: calc_skel_handle_invoke&_modver=1.0"
	run -0 open_uri "file:///libc.so.6"
	assert_line "out0 -1 -22"
	assert_line "out1 file:///libc.so.6: not a skel library URI"
	# a name length past its buffer is a malformed call
	run -0 "$R" -p $P cdsp 0 0:2:2 rec:u32:500,u32:128 str:x out:8:i32 out:128:str
	assert_line "retval -22"
}

@test "remotectl1: open1 and close1 on handle 8" {
	run -0 open_uri "$(uri echo)" $P 8 2
	assert_line --regexp "^out0 [0-9]+ 0$"
	h=$(out0 "$output")
	h=${h% *}
	run -0 "$R" -p $P cdsp 8 3:1:2 "rec:u32:$h,u32:64" out:4:i32 out:64:str
	assert_line "out0 0"
}

@test "remotectl close: a handle closes once; handles belong to their process" {
	h=$(skel calculator)
	"$R" cdsp 1 0:1:0 "i32:$Q" >/dev/null
	run -0 "$R" -p $Q cdsp "$h" 2:1:1 i32:1 out:8:i64
	assert_line "retval -9"
	run -0 "$R" -p $P cdsp 0 1:1:2 "rec:u32:$h,u32:64" out:4:i32 out:64:str
	assert_line "out0 0"
	run -0 "$R" -p $P cdsp 0 1:1:2 "rec:u32:$h,u32:64" out:4:i32 out:64:str
	assert_line "out0 -9"
	assert_line "out1 invalid handle"
	run -0 "$R" -p $P cdsp "$h" 2:1:1 i32:1 out:8:i64
	assert_line "retval -9"
}

@test "DSP utilities: the attribute array of each domain" {
	run -0 "$R" cdsp 2 0:1:1 u32:255 out:1020:i32
	assert_line --regexp "^out0 1 4 4 262144 16 104 1 1 1 1 0( 0)+$"
	run -0 "$R" adsp 2 0:1:1 u32:11 out:44:i32
	assert_line "out0 0 0 0 0 0 102 0 0 0 1 0"
	run -0 "$R" sdsp 2 0:1:1 u32:6 out:24:i32
	assert_line "out0 0 0 0 0 0 102"
	run -0 "$R" cdsp 2 0:1:1 u32:300 out:1200:i32
	assert_line "retval -22"
	run -0 "$R" cdsp 2 0:1:1 u32:11 out:40:i32
	assert_line "retval -22"
	run -0 "$R" cdsp 2 1:1:1 u32:11 out:44:i32
	assert_line "retval $((0x80000414 - 0x100000000))"
}

@test "calculator: sum and max, inline and across separate pages" {
	h=$(skel calculator)
	run -0 "$R" -p $P cdsp "$h" 2:1:1 i32:1,2,3,-10,2147483647 out:8:i64
	assert_line "retval 0"
	assert_line "out0 2147483643"
	run -0 "$R" -p $P cdsp "$h" 3:1:1 i32:-5,17,3@sep+4088 out:4:i32
	assert_line "out0 17"
	assert_line "canary 0"
	run -0 "$R" -p $P cdsp "$h" 2:1:1 len:0 out:8:i64
	assert_line "out0 0"
	run -0 "$R" -p $P cdsp "$h" 3:1:1 len:0 out:4:i32
	assert_line "retval -22"
	run -0 "$R" -p $P cdsp "$h" 2:1:1 hex:010203 out:8:i64
	assert_line "retval -22"
}

@test "echo: several buffers, inline and separate, byte for byte" {
	h=$(skel echo)
	run -0 "$R" -p $P cdsp "$h" 2:3:3 hex:00112233 pat:300@sep+4000 str:hello \
		out:4 out:300:fnv@sep+5 out:6:str
	assert_line "retval 0"
	assert_line "canary 0"
	assert_line "out0 00112233"
	assert_line "out1 $(fnv pat:300)"
	assert_line "out2 hello"
}

@test "echo: truncated to the output, zero past the input" {
	h=$(skel echo)
	run -0 "$R" -p $P cdsp "$h" 2:2:2 hex:0102030405 hex:aabb out:3 out:6
	assert_line "out0 010203"
	assert_line "out1 aabb00000000"
	assert_line "canary 0"
	run -0 "$R" -p $P cdsp "$h" 2:2:1 hex:01 hex:02 out:1
	assert_line "retval -22"
}

@test "echo: a megabyte in 256 separate pages" {
	h=$(skel echo)
	run -0 "$R" -p $P cdsp "$h" 2:1:1 pat:1048576:9@sep+123 out:1048576:fnv@sep+4095
	assert_line "retval 0"
	assert_line "canary 0"
	assert_line "out0 $(fnv pat:1048576:9)"
}

@test "memtest on mmap'd memory: checksum, fill, exact bounds" {
	h=$(skel memtest)
	va=$(dsp_mmap $P 4)
	[ -n "$va" ]
	slurp "$DBG/cdsp/processes"
	assert_line --regexp "^map tgid=$P va=$va size=16384 kind=mmap flags=0x1000 fd=-1 uva=0x7f001000 segs=4 addr=0x[0-9a-f]+$"
	run -0 memtest_sum "$h" "$va" 16384
	assert_line "out0 $(fnv pat:16384)"
	run -0 memtest_fill "$h" $((va + 100)) 5000 0xab
	assert_line "retval 0"
	run -0 memtest_sum "$h" $((va + 100)) 5000
	assert_line "out0 $(fnv fill:5000:0xab)"
	run -0 memtest_sum "$h" $((va + 5100)) 100
	assert_line "out0 $(fnv pat:100:$(((5100 * 7 + 3) & 255)))"
	# not mapped, or running past the mapping
	run -0 memtest_sum "$h" $((va + 16384)) 1
	assert_line "retval -14"
	run -0 memtest_sum "$h" $((va + 16000)) 385
	assert_line "retval -14"
	run -0 memtest_sum "$h" 0x1000 1
	assert_line "retval -14"
}

@test "munmap: exact address and size; the mapping is gone after" {
	h=$(skel memtest)
	va=$(dsp_mmap $P 2)
	run -0 "$R" cdsp 1 5:1:0 "rec:i32:$P,u64:$va,u64:4096"
	assert_line "retval -22"
	run -0 "$R" cdsp 1 5:1:0 "rec:i32:$P,u64:$((va + 4096)),u64:4096"
	assert_line "retval -2"
	run -0 "$R" cdsp 1 5:1:0 "rec:i32:$P,u64:$va,u64:8192"
	assert_line "retval 0"
	run -0 memtest_sum "$h" "$va" 1
	assert_line "retval -14"
	run -0 "$R" cdsp 1 5:1:0 "rec:i32:$P,u64:$va,u64:8192"
	assert_line "retval -2"
}

@test "[8/11] pages unmapped and freed under a DSP mapping fault in its SMMU, never written ([7/11] defect 1)" {
	h=$(skel memtest)
	va=$(dsp_mmap $P 4)
	run -0 memtest_fill "$h" "$va" 16384 0x5a
	assert_line "retval 0"
	# what a driver that frees memory the DSP still maps does
	echo 1 >/sys/kernel/debug/vdsp_rawreq/release_kept
	before=$(counter cdsp smmu_faults)
	run -0 memtest_fill "$h" "$va" 16384 0xa5
	assert_line "retval $SMMU_FAULT"
	[ "$(counter cdsp smmu_faults)" = $((before + 1)) ]
	[ "$(counter cdsp last_refusal)" = "page not mapped" ]
	run -0 dmesg
	assert_output --regexp "SMMU fault: stream 1 addr 0x[0-9a-f]+, pid $P handle $h: page not mapped"
	# the process of the access died of it, as on hardware
	run ! has_proc cdsp $P
}

@test "mmap: flags and process checked" {
	run -0 "$R" cdsp 1 4:2:1 "rec:i32:$P,u32:77,u64:0,i32:1" pages:1 out:8:u64
	assert_line "retval -22"
	run -0 "$R" cdsp 1 4:2:1 "rec:i32:$Q,u32:4096,u64:0,i32:1" pages:1 out:8:u64
	assert_line "retval -3"
}

@test "mem_map and mem_unmap: a dma-buf fd's pages at a DSP address" {
	h=$(skel memtest)
	run -0 "$R" cdsp 1 10:3:1 "rec:i32:$P,i32:5,i32:0,u32:0,u64:0x7f00a000,i32:1,i32:0" \
		pages:3 len:0 out:8:u64
	assert_line "retval 0"
	va=$(out0_addr "$output")
	slurp "$DBG/cdsp/processes"
	assert_line --regexp "^map tgid=$P va=$va size=12288 kind=mem_map flags=0x0 fd=5 uva=0x7f00a000 segs=3 addr=0x[0-9a-f]+$"
	run -0 memtest_fill "$h" "$va" 12288 7
	run -0 memtest_sum "$h" "$va" 12288
	assert_line "out0 $(fnv fill:12288:7)"
	run -0 "$R" cdsp 1 11:1:0 "rec:i32:$P,i32:6,u64:$va,u64:12288"
	assert_line "retval -22"
	run -0 "$R" cdsp 1 11:1:0 "rec:i32:$P,i32:5,u64:$va,u64:12288"
	assert_line "retval 0"
	slurp "$DBG/cdsp/processes"
	refute_output --partial "kind=mem_map"
}

@test "sleep: asynchronous; 64 (1024 in make stress) sleeps outstanding on one domain" {
	local n us
	# 64 prove the sleeps are asynchronous (more than the runtime's
	# threads) and each lasts long enough for the checks below while all
	# of them sleep; the soak keeps the 1024 the DSP's queue holds
	n=$(size 64 1024)
	us=$(size 8000000 25000000)
	h=$(skel sleep)
	run -0 "$R" -p $P cdsp "$h" 2:1:0 u32:1000
	assert_line "retval 0"
	run -0 "$R" -p $P cdsp "$h" 2:1:0 u32:60000001
	assert_line "retval -22"
	"$R" -t 600000 -r $n -p $P cdsp "$h" 2:1:0 u32:$us >"$BATS_TEST_TMPDIR/sleeps" &
	pid=$!
	wait_for has "$DBG/cdsp/counters" "sleeping $n"
	slurp "$DBG/cdsp/counters"
	assert_line "sleeping $n"
	# the runtime threads are free meanwhile
	c=$(skel calculator)
	run -0 "$R" -p $P cdsp "$c" 2:1:1 i32:20,22 out:8:i64
	assert_line "out0 42"
	wait $pid
	slurp "$BATS_TEST_TMPDIR/sleeps"
	assert_line "status 0"
	assert_line "answered $n"
	assert_line "errors 0"
	slurp "$DBG/cdsp/counters"
	assert_line "sleeping 0"
}

@test "fault: a return code comes back as the call's result" {
	h=$(skel fault)
	run -0 "$R" -p $P cdsp "$h" 2:1:0 i32:1234
	assert_line "retval 1234"
	run -0 "$R" -p $P cdsp "$h" 2:1:0 i32:-77
	assert_line "retval -77"
}

@test "fault: a DSP crash restarts the domain, its processes gone" {
	h=$(skel fault)
	before=$(restarts cdsp)
	run -3 "$R" -t 3000 -p $P cdsp "$h" 3:0:0
	assert_line "status -110"
	wait_for has "$DBG/cdsp/status" "restarts=$((before + 1)) "
	slurp "$DBG/cdsp/status"
	assert_output --regexp "^domain=cdsp state=up restarts=$((before + 1)) threads=2 processes=0$"
	[ -e /sys/bus/rpmsg/devices/vdsp-cdsp.fastrpcglink-apps-dsp.-1.-1 ]
	# the DSP answers again
	run -0 "$R" cdsp 2 0:1:1 u32:1 out:4:i32
	assert_line "retval 0"
}
