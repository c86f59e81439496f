#!/usr/bin/env bats
# The SMMU in front of the DSPs (kernel/vdsp/smmu.c, vdsp_smmu.ko), with
# the FastRPC driver's banks behind it: the DSP reaches only what the
# driver's DMA API mapped for the bank of an access, and once the driver
# unmapped it (munmap, close, a process's release, a DSP restart), an
# access faults instead of touching memory that may have been freed.
# Accesses to old addresses are raw requests (vdsp_rawreq.ko) through the
# same bank, whose own memory the SMMU maps in the same address space.

load test_helper
load vdsp_helper

setup_file() { vdsp_raw_setup; }
teardown_file() { vdsp_raw_teardown; }

setup() {
	vdsp_raw_skip
	[ -d /sys/module/fastrpc ] || skip "fastrpc.ko is not loaded"
}

teardown() { stop_client_left; }

# map_addr DOMAIN TGID KIND: the bank address (stream id and address) the
# DSP has for the process's first map of KIND
map_addr() {
	local line

	while read -r line; do
		if [[ $line == "map tgid=$2 "*" kind=$3 "* ]]; then
			echo "${line##* addr=}"
			return 0
		fi
	done <"$DBG/$1/processes"
	return 1
}

# smmu_stream DOMAIN SID: the SMMU's line for that stream, without "stream=SID "
smmu_stream() {
	local line

	while read -r line; do
		if [[ $line == "stream=$2 "* ]]; then
			echo "${line#stream=$2 }"
			return 0
		fi
	done <"$SMMU_DBG/smmu-$1"
	return 1
}

# smmu_pages DOMAIN SID: pages the stream's page table maps
smmu_pages() {
	local s

	s=$(smmu_stream "$1" "$2") || return 1
	s=${s#*pages=}
	echo "${s%% *}"
}

# touch_at DOMAIN ADDR: a call whose output buffer the DSP finds at bank
# address ADDR (the utilities' attribute array, through ADDR's stream)
touch_at() {
	local addr=$(($2))

	"$R" -s $((addr >> 32)) -m page_addr:1:$addr "$1" 2 0:1:1 u32:11 out:44:i32
}

# faults_at DOMAIN ADDR: that call takes an SMMU fault on an unmapped page
faults_at() {
	local before addr=$(($2))

	before=$(counter "$1" smmu_faults)
	run -0 touch_at "$1" "$addr"
	assert_line "retval $SMMU_FAULT"
	[ "$(counter "$1" smmu_faults)" = $((before + 1)) ]
	[ "$(counter "$1" last_refusal)" = "page not mapped" ]
	# the buffer starts where the call's own payload had it in its page
	run -0 dmesg
	assert_output --regexp "SMMU fault: stream $((addr >> 32)) addr $(printf 0x%x $(((addr & 0xffffffff) >> 12)))[0-9a-f]{3}, pid 0 handle 2: page not mapped"
}

@test "[8/11] every bank the driver bound is behind its DSP's SMMU, in a page table of its stream" {
	local d cb n
	for d in adsp mdsp sdsp cdsp; do
		n=0
		for cb in /sys/firmware/devicetree/base/vdsp/fastrpc-$d/compute-cb@*; do
			run -0 smmu_stream $d $((16#${cb##*@}))
			assert_output --regexp "^devices=[1-9][0-9]* attached=1 pages=[0-9]+ faults=[0-9]+$"
			n=$((n + 1))
		done
		[ "$n" -gt 0 ]
		# the IOMMU core links the banks' devices to it
		run -0 ls /sys/class/iommu/smmu-$d/devices
		assert_output --partial "compute-cb"
	done
}

@test "[8/11] the DSP reaches the driver's pages while mapped; after close they fault and the bank's page table is back" {
	local addr sid before
	start_client cdsp attach mmap:65536 memtest:0x5a pause
	slurp "$OUT"
	assert_line "memtest ok"
	addr=$(map_addr cdsp "$CLIENT" mmap)
	sid=$((addr >> 32))
	before=$(smmu_pages cdsp $sid)
	[ "$before" -ge 16 ]
	# while mapped, an access there is served
	run -0 touch_at cdsp "$addr"
	assert_line "retval 0"
	stop_client cdsp
	[ "$(smmu_pages cdsp $sid)" -le $((before - 16)) ]
	faults_at cdsp "$addr"
}

@test "[8/11] a dynamic PD's init memory faults once the driver released the process" {
	local addr
	start_client cdsp create:unsigned pause
	addr=$(map_addr cdsp "$CLIENT" init)
	run -0 touch_at cdsp "$addr"
	assert_line "retval 0"
	stop_client cdsp
	faults_at cdsp "$addr"
}

@test "[8/11] after a DSP restart nothing of an old client is reachable, though its fd is still open" {
	local addr before
	start_client cdsp attach mmap:65536 pause
	addr=$(map_addr cdsp "$CLIENT" mmap)
	before=$(restarts cdsp)
	echo 1 >"$DBG/cdsp/crash"
	wait_for has "$DBG/cdsp/status" "restarts=$((before + 1)) "
	wait_for test -c /dev/fastrpc-cdsp
	kill -0 "$CLIENT"
	faults_at cdsp "$addr"
	stop_client cdsp
}
