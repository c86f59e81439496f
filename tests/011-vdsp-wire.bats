#!/usr/bin/env bats
# The vdsp refuses what a broken FastRPC driver might send: requests sent
# straight to its rpmsg endpoint by tests/modules/vdsp_rawreq.ko, laid out
# like a driver's and then mutated (vdsp_raw -m/-a). Each refused request
# gets -EINVAL, writes nothing (its outputs stay zero, no byte outside its
# buffers changes) and is counted with its reason.

load test_helper
load vdsp_helper

# A valid request: DSP utilities, attributes 1..11 into out[0]
UTIL=(cdsp 2 0:1:1 u32:11 out:44:i32)
ZEROS="out0 0 0 0 0 0 0 0 0 0 0 0"

# Addresses carry the bank's stream id in bits 32 and up (wire.h): vdsp_raw
# tags them with cdsp's first bank, 1. Absolute ones below do the same.
SID1=0x100000000

# rejected RETVAL COUNTER REASON [vdsp_raw options...]: the utilities
# request, mutated, gets RETVAL, writes nothing, and is counted under
# COUNTER with its reason
rejected() {
	local want=$1 ctr=$2 reason=$3 before
	shift 3
	before=$(counter cdsp "$ctr")
	run -0 "$R" "$@" "${UTIL[@]}"
	assert_line "retval $want"
	assert_line "ctx ok"
	assert_line "canary 0"
	assert_line "$ZEROS"
	[ "$(counter cdsp "$ctr")" = $((before + 1)) ]
	[ "$(counter cdsp last_refusal)" = "$reason" ]
}

# refused REASON [options...]: a malformed request, -EINVAL
refused() {
	rejected -22 malformed "$@"
}

# faulted REASON [options...]: an address the SMMU refuses: the DSP's
# exception code, counted and logged as a fault
faulted() {
	rejected "$SMMU_FAULT" smmu_faults "$@"
}

setup_file() { vdsp_raw_setup; }
teardown_file() { vdsp_raw_teardown; }
setup() { vdsp_raw_skip; }

@test "a well-formed request is served" {
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	assert_line "ctx ok"
	assert_line "canary 0"
	assert_line "out0 1 4 4 262144 16 104 1 1 1 1 0"
}

@test "payload: zero, wrapping, too large, unaligned, not mapped in the bank" {
	refused "zero payload size" -m msg_size:0:0
	refused "payload wraps" -m msg_addr:0:0xfffffffffffff000 -m msg_size:0:0x2000
	refused "payload too large" -m msg_size:0:0x100000000
	refused "payload not 8-byte aligned" -a msg_addr:0:4
	# 2 GiB into bank 1's address space, where nothing was mapped for it
	faulted "page not mapped" -m msg_addr:0:$((SID1 + 0x7fff0000))
}

@test "SMMU: a stream that is no bank of the DSP, another bank's page, past the 4 GiB window" {
	faulted "stream id is no bank of this DSP" -s 0
	faulted "stream id is no bank of this DSP" -s 63
	# cdsp's bank 2 is real, but not the bank the payload came through
	faulted "stream id is not the request's bank" -a page_addr:0:$SID1
	faulted "runs past the bank's 4 GiB window" -m page_addr:0:$((SID1 + 0xfffff000)) \
		-m page_size:0:0x2000
	run -0 dmesg
	assert_output --partial "SMMU fault: stream 0 addr 0x"
	assert_output --partial "SMMU fault: stream 2 addr 0x"
	# every bank of the domain is a way in
	run -0 "$R" -s 9 "${UTIL[@]}"
	assert_line "retval 0"
	assert_line "out0 1 4 4 262144 16 104 1 1 1 1 0"
}

@test "[8/11] SMMU permissions: an output the bank maps read-only faults, an input so mapped is read" {
	before=$(counter cdsp smmu_faults)
	run -0 "$R" cdsp 2 0:1:1 u32:11 out:44:i32@ro
	assert_line "retval $SMMU_FAULT"
	assert_line "canary 0"
	assert_line "$ZEROS"
	[ "$(counter cdsp smmu_faults)" = $((before + 1)) ]
	[ "$(counter cdsp last_refusal)" = "write to a read-only page" ]
	run -0 "$R" cdsp 2 0:1:1 u32:11@ro out:44:i32
	assert_line "retval 0"
	assert_line "out0 1 4 4 262144 16 104 1 1 1 1 0"
}

@test "message: not 40 bytes is refused, too short to carry a ctx is dropped" {
	refused "message is not 40 bytes" -m msg_len:0:32
	refused "message is not 40 bytes" -m msg_len:0:48
	before=$(counter cdsp malformed)
	run -3 "$R" -t 3000 -m msg_len:0:8 "${UTIL[@]}"
	assert_line "status -110"
	[ "$(counter cdsp malformed)" = $((before + 1)) ]
	[ "$(counter cdsp last_refusal)" = "message too short to answer" ]
	run dmesg
	assert_output --partial "dropped a 8-byte message"
	# what no transport carries is refused by rpmsg_send itself
	run -3 "$R" -m msg_len:0:1024 "${UTIL[@]}"
	assert_line "status -90"
}

@test "metadata: more arguments or pages than the payload holds" {
	refused "metadata past the payload" -m msg_sc:0:0x00ff0100
	refused "page list past the payload" -m buf_num:0:100
	refused "page list past the payload" -m buf_pgidx:1:60
	refused "too many page entries" -m buf_pgidx:0:70000
	refused "negative page count or index" -m buf_num:0:-1
	refused "negative page count or index" -m buf_pgidx:1:-5
}

@test "buffers: lengths and page counts must agree" {
	refused "buffer without pages" -m buf_num:0:0
	refused "pages for an empty buffer" -m arg_len:1:0
	refused "buffer too large" -m arg_len:0:0x40000001
	refused "buffer runs past its pages" -m arg_len:1:8192
	# pv's offset into the page moves the buffer past its one page
	refused "buffer runs past its pages" -m arg_pv:0:0xffe
}

@test "page entries: whole pages, no wrap, mapped in the bank only" {
	refused "page entry is not whole pages" -a page_addr:0:8
	refused "page entry is not whole pages" -m page_size:1:100
	refused "page entry is not whole pages" -m page_size:0:0
	refused "page entry wraps" -m page_addr:0:0xfffffffffffff000 -m page_size:0:0x2000
	faulted "page not mapped" -m page_addr:1:$((SID1 + 0x7fff0000))
	# the bank's page 0: the DMA API never hands it out
	faulted "page not mapped" -m page_addr:0:$SID1
	run -0 dmesg
	assert_output --partial "SMMU fault: stream 1 addr 0x7fff0000, pid "
}

@test "a buffer in separate pages: every entry is checked" {
	sep=(cdsp 2 0:1:1 u32:11 out:44:i32@sep+4080)
	run -0 "$R" "${sep[@]}"
	assert_line "retval 0"
	assert_line "canary 0"
	assert_line "out0 1 4 4 262144 16 104 1 1 1 1 0"
	# out[0] starts 4080 bytes into a page: two entries, pages[2] and [3]
	run -0 "$R" -m page_addr:3:$((SID1 + 0x7fff0000)) "${sep[@]}"
	assert_line "retval $SMMU_FAULT"
	assert_line "canary 0"
	assert_line "$ZEROS"
	for m in "-a page_addr:3:8" "-m page_size:2:4000" "-m buf_num:1:1"; do
		# shellcheck disable=SC2086
		run -0 "$R" $m "${sep[@]}"
		assert_line "retval -22"
		assert_line "canary 0"
		assert_line "$ZEROS"
	done
}

@test "handle arguments: pages must match the length" {
	run -0 "$R" cdsp 2 0:1:1:1:0 u32:11 out:44:i32 hdl:7:0
	assert_line "retval 0"
	run -0 "$R" -m buf_num:2:1 cdsp 2 0:1:1:1:0 u32:11 out:44:i32 hdl:7:0
	assert_line "retval -22"
	[ "$(counter cdsp last_refusal)" = "handle pages do not match its length" ]
}

@test "the DSP lists the handles it is done with in fdlist" {
	run -0 "$R" cdsp 2 0:1:1:2:0 u32:11 out:44:i32 hdl:7:4096 hdl:9:4096
	assert_line "retval 0"
	assert_line "fdlist 7 9"
}

@test "the init handle is the kernel's: a user pid gets -EPERM" {
	run -0 "$R" -p 4242 cdsp 1 0:1:0 i32:4242
	assert_line "retval -1"
	[ "$(counter cdsp last_refusal)" = "init handle called for a user process" ]
}

@test "refusals are logged, and the DSP serves well-formed requests after them" {
	run dmesg
	assert_output --regexp "vdsp-cdsp: refused request pid 0 ctx 0x[0-9a-f]+ handle 2 sc 0x10100: [a-z]"
	run -0 "$R" "${UTIL[@]}"
	assert_line "retval 0"
	slurp "$DBG/cdsp/status"
	assert_output --regexp "state=up"
}
