#!/usr/bin/env bats
# Remote processes on the vdsp, driven through the init handle and the
# static handles with raw requests (tests/modules/vdsp_rawreq.ko), no
# FastRPC driver involved: attach, create dynamic and static PDs, release,
# the listener and the current-process handle.

load test_helper
load vdsp_helper

# tgids no real process has (beyond pid_max): the DSP only keys on them
P=910001
Q=910002

attach() { # TGID [PD [DOMAIN]]
	"$R" -c "${2:-0}" "${3:-cdsp}" 1 0:1:0 "i32:$1"
}

release() { # TGID [DOMAIN]
	"$R" "${2:-cdsp}" 1 1:1:0 "i32:$1"
}

# create TGID NAME SHELL [ATTRS [DOMAIN]]: a dynamic PD, init memory 16 pages
create() {
	"$R" "${5:-cdsp}" 1 6:4:0 \
		"rec:i32:$1,u32:$((${#2} + 1)),u32:4096,u32:1,u32:${4:-0},u32:0" \
		"str:$2" "$3" pages:16
}

# procs [DOMAIN]: the DSP's processes into $output and $lines
procs() {
	slurp "$DBG/${1:-cdsp}/processes"
}

setup_file() { vdsp_raw_setup; }
teardown_file() { vdsp_raw_teardown; }
setup() { vdsp_raw_skip; }

teardown() {
	in_guest || return 0
	# "processes go with the endpoint" unloads it: back even on failure
	[ -d /sys/module/vdsp_rawreq ] || insmod "$RAWKO"
	release_procs cdsp $P $Q
	release_procs adsp $P $Q
}

@test "attach: a root PD process, sessions counted, gone with its last release" {
	run -0 attach $P
	assert_line "retval 0"
	procs
	assert_line "process tgid=$P pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=0 map_bytes=0 parked=0 name="
	run -0 attach $P
	assert_line "retval 0"
	procs
	assert_output --partial "tgid=$P pd=root sessions=2"
	release $P
	procs
	assert_output --partial "tgid=$P pd=root sessions=1"
	release $P
	procs
	refute_output --partial "tgid=$P"
}

@test "attach: sensors PD by the ctx PD type; another kind on the same tgid is refused" {
	run -0 attach $P 2
	assert_line "retval 0"
	procs
	assert_output --partial "tgid=$P pd=sensors"
	run -0 attach $P 0
	assert_line "retval -114"
	run -0 attach $Q 1
	assert_line "retval -22"
	run -0 attach 0
	assert_line "retval -22"
}

@test "release of a tgid the DSP does not know is a no-op" {
	run -0 release 987654
	assert_line "retval 0"
}

@test "create: a dynamic PD from a Hexagon shell, with its name, size and init memory" {
	run -0 create $P myshell elf:164:4096
	assert_line "retval 0"
	assert_line "canary 0"
	procs
	assert_line "process tgid=$P pd=dynamic sessions=1 attrs=0x0 siglen=0 filelen=4096 handles=0 maps=1 map_bytes=65536 parked=0 name=myshell"
	assert_output --regexp "map tgid=$P va=0x20000000 size=65536 kind=init flags=0x0 fd=-1 uva=0x0 segs=16 addr="
	# one process per tgid
	run -0 create $P again elf:164:4096
	assert_line "retval -114"
}

@test "create: the shell must be a Hexagon ELF that fits its buffer; none starts the DSP's own" {
	run -0 create $P s elf:62:4096
	assert_line "retval -8"
	run -0 create $P s pat:4096
	assert_line "retval -8"
	# filelen 4096 in the record, a 100-byte buffer
	run -0 create $P s elf:164:100
	assert_line "retval -22"
	run -0 "$R" cdsp 1 6:4:0 "rec:i32:$P,u32:2,u32:3000000,u32:1,u32:0,u32:0" str:s elf:164 pages:1
	assert_line "retval -22"
	procs
	refute_output --partial "tgid=$P"
	# filelen 0: no shell sent (a client that found none), the DSP
	# starts the one of its own image
	run -0 "$R" cdsp 1 6:4:0 "rec:i32:$Q,u32:2,u32:0,u32:1,u32:0,u32:0" str:s elf:164 pages:1
	assert_line "retval 0"
	procs
	assert_output --partial "tgid=$Q pd=dynamic sessions=1 attrs=0x0 siglen=0 filelen=0 "
}

@test "create: unsigned PDs run on the cdsp only" {
	run -0 create $P u elf:164:4096 8 cdsp
	assert_line "retval 0"
	procs
	assert_output --partial "tgid=$P pd=dynamic sessions=1 attrs=0x8"
	run -0 create $P u elf:164:4096 8 adsp
	assert_line "retval -1"
	procs adsp
	refute_output --partial "tgid=$P"
}

@test "create: attrs and siglen from in[4], in[5] when the driver sends them" {
	run -0 "$R" cdsp 1 7:6:0 "rec:i32:$P,u32:3,u32:4096,u32:1,u32:0,u32:0" \
		str:ab elf:164:4096 pages:2 u32:8 u32:512
	assert_line "retval 0"
	procs
	assert_output --partial "tgid=$P pd=dynamic sessions=1 attrs=0x8 siglen=512 filelen=4096"
}

@test "create_static: audiopd with its heap; an unknown static PD is refused" {
	run -0 "$R" adsp 1 8:3:0 "rec:i32:$P,u32:8,u32:1" str:audiopd pages:4
	assert_line "retval 0"
	procs adsp
	assert_line "process tgid=$P pd=static sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=1 map_bytes=16384 parked=0 name=audiopd"
	assert_output --regexp "map tgid=$P va=0x[0-9a-f]+ size=16384 kind=heap"
	run -0 "$R" adsp 1 8:3:0 "rec:i32:$Q,u32:6,u32:1" str:foopd pages:4
	assert_line "retval -2"
}

@test "a process needs to exist before its calls" {
	u="file:///libcalculator_skel.so"
	run -0 "$R" -p $Q cdsp 0 0:2:2 "rec:u32:$((${#u} + 1)),u32:64" "str:$u" out:8:i32 out:64:str
	assert_line "retval -3"
}

@test "listener: init returns, next parks until the process is released" {
	attach $P
	run -0 "$R" -p $P cdsp 3 2:0:0
	assert_line "retval 0"
	# adsp_listener1 is adsp_listener numbered 2 further: init2 is 5
	run -0 "$R" -p $P cdsp 7 5:0:0
	assert_line "retval 0"
	"$R" -t 60000 -p $P cdsp 3 0:0:0 >"$BATS_TEST_TMPDIR/next" &
	pid=$!
	wait_for has "$DBG/cdsp/processes" "parked=1"
	procs
	assert_output --partial "tgid=$P pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=0 map_bytes=0 parked=1"
	# a parked call ties up no runtime thread
	run -0 "$R" cdsp 2 0:1:1 u32:1 out:4:i32
	assert_line "retval 0"
	release $P
	wait $pid
	slurp "$BATS_TEST_TMPDIR/next"
	# AEE_EBADSTATE: the library's sign that the process is going
	assert_line "retval $((0x8000040d - 0x100000000))"
}

@test "current process exit: the process is gone, its parked listeners end" {
	attach $P
	# listener1 next2 (6) and the log daemon's wait park alike
	"$R" -t 60000 -p $P cdsp 7 6:2:2 rec:u32:0,u32:0,u32:0,u32:64 len:0 \
		out:16 out:64 >"$BATS_TEST_TMPDIR/next" &
	pid=$!
	"$R" -t 60000 -p $P cdsp 5 5:0:1 out:8 >"$BATS_TEST_TMPDIR/wait" &
	pid2=$!
	wait_for has "$DBG/cdsp/processes" "parked=2"
	run -0 "$R" -p $P cdsp 4 2:0:0
	assert_line "retval 0"
	wait $pid $pid2
	slurp "$BATS_TEST_TMPDIR/next"
	assert_line "retval $((0x8000040d - 0x100000000))"
	slurp "$BATS_TEST_TMPDIR/wait"
	assert_line "retval $((0x8000040d - 0x100000000))"
	procs
	refute_output --partial "tgid=$P"
}

@test "SMMU: a process reaches memory only through the banks its sessions hold" {
	attach $P
	# a second session of the process, on bank 2
	run -0 "$R" -s 2 cdsp 1 0:1:0 "i32:$P"
	assert_line "retval 0"
	run -0 "$R" -s 2 -p $P cdsp 3 2:0:0
	assert_line "retval 0"
	# that session ends: bank 2 is closed to the process
	run -0 "$R" -s 2 cdsp 1 1:1:0 "i32:$P"
	run -0 "$R" -s 2 -p $P cdsp 3 2:0:0
	assert_line "retval $SMMU_FAULT"
	# the fault killed the process
	procs
	refute_output --partial "tgid=$P "
	run -0 dmesg
	assert_output --partial "pid $P handle 3: stream id is no bank of the process"
}

@test "processes go with the endpoint that created them" {
	attach $P
	create $Q gone elf:164:4096
	procs
	assert_output --partial "tgid=$P"
	assert_output --partial "tgid=$Q"
	rmmod vdsp_rawreq
	procs
	refute_output --partial "tgid=$P"
	refute_output --partial "tgid=$Q"
	insmod "$RAWKO"
}
