#!/usr/bin/env bats
# The vdsp behind the FastRPC driver: what a driver client does, seen from
# the DSP side (vdsp debugfs). The client is tests/helpers/vdsp_client
# (libfrpc), and fastrpcctl. Skipped when fastrpc.ko is not loaded.

load test_helper
load vdsp_helper

# The SMMU faults each DSP had counted before this file's driver clients
setup_file() {
	local d

	in_guest && [ -d /sys/module/vdsp ] || return 0
	for d in adsp mdsp sdsp cdsp; do
		counter $d smmu_faults >"$BATS_FILE_TMPDIR/faults.$d"
	done
}

setup() {
	skip_unless_guest
	[ -d /sys/module/vdsp ] || skip "vdsp.ko is not loaded"
	[ -d /sys/module/fastrpc ] || skip "fastrpc.ko is not loaded"
}

# A client a failed test left running would hold bats' output open and
# keep the guest from ending: it goes with its test
teardown() { stop_client_left; }

# bats test_tags=agnostic
@test "a client's root PD process lives on the DSP as long as its fd" {
	start_client cdsp attach pause
	slurp "$DBG/cdsp/processes"
	assert_line "process tgid=$CLIENT pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=0 map_bytes=0 parked=0 name="
	stop_client cdsp
}

# bats test_tags=agnostic
@test "a dynamic PD: shell size, attrs, init memory as the DSP got them" {
	start_client cdsp create:unsigned pause
	slurp "$DBG/cdsp/processes"
	assert_line --regexp "^process tgid=$CLIENT pd=dynamic sessions=1 attrs=0x8 siglen=0 filelen=4096 handles=0 maps=1 map_bytes=[1-9][0-9]* parked=0 name=.+$"
	assert_line --regexp "^map tgid=$CLIENT va=0x[0-9a-f]+ size=[1-9][0-9]* kind=init "
	stop_client cdsp
}

# bats test_tags=agnostic
@test "a static PD and a sensors PD on the adsp" {
	start_client adsp static:audiopd:1048576 pause
	slurp "$DBG/adsp/processes"
	assert_line --regexp "^process tgid=$CLIENT pd=static sessions=1 .* maps=1 map_bytes=[1-9][0-9]* parked=0 name=audiopd$"
	assert_line --regexp "^map tgid=$CLIENT va=0x[0-9a-f]+ size=[1-9][0-9]* kind=heap "
	stop_client adsp
	start_client adsp sensors pause
	slurp "$DBG/adsp/processes"
	assert_line --partial "process tgid=$CLIENT pd=sensors sessions=1"
	stop_client adsp
}

# bats test_tags=agnostic
@test "mmap: the DSP maps the driver's pages, memtest writes them, munmap takes them back" {
	start_client cdsp attach mmap:65536 memtest:0x5a pause
	slurp "$OUT"
	assert_line "memtest ok"
	slurp "$DBG/cdsp/processes"
	assert_line --regexp "^map tgid=$CLIENT va=0x[0-9a-f]+ size=65536 kind=mmap flags=0x1000 "
	stop_client cdsp
	start_client cdsp attach mmap:8192 munmap pause
	slurp "$DBG/cdsp/processes"
	assert_line --partial "tgid=$CLIENT pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=0"
	stop_client cdsp
}

# bats test_tags=agnostic
@test "remotectl through the driver: handles, and the DSP's dlerror text" {
	run -0 "$C" cdsp attach open:calculator open:nope sum:40,2
	assert_line --regexp "^open calculator handle [0-9]+$"
	assert_line "open nope err -2 dlerror libnope_skel.so: cannot open shared object file: No such file or directory"
	assert_line "sum 42"
}

# bats test_tags=agnostic
@test "listener: parked on the DSP until the process exits (handle 4)" {
	start_client cdsp attach listener pause exit
	wait_for has "$DBG/cdsp/processes" "parked=1"
	slurp "$DBG/cdsp/processes"
	assert_line --partial "tgid=$CLIENT pd=root sessions=1 attrs=0x0 siglen=0 filelen=0 handles=0 maps=0 map_bytes=0 parked=1"
	kill -USR1 "$CLIENT"
	wait "$CLIENT"
	slurp "$OUT"
	assert_line "exit 0"
	# AEE_EBADSTATE, as the ioctl returns a DSP's code
	assert_line "listener ended $((0x8000040d - 0x100000000))"
	slurp "$DBG/cdsp/processes"
	refute_output --partial "tgid=$CLIENT "
}

# bats test_tags=agnostic
@test "listener: a parked call ends when its client dies" {
	start_client cdsp attach listener pause
	wait_for has "$DBG/cdsp/processes" "parked=1"
	slurp "$DBG/cdsp/counters"
	assert_line --regexp "^parked [1-9][0-9]*$"
	stop_client cdsp
	slurp "$DBG/cdsp/counters"
	assert_line "parked 0"
}

# bats test_tags=agnostic
@test "every skel and init-handle method through a driver client reaches the DSP" {
	snap cdsp adsp
	run -0 "$C" cdsp attach sum:1,2,39 max:-3,9,4 echo:5000 echo-dmabuf:20000 \
		sleep:1000 fault:-22 mmap:65536 memtest:0x5a munmap \
		memmap:32768 memtest:0xa5 memunmap info open:nope
	assert_line "sum 42"
	assert_line "max 9"
	assert_line "echo 5000 ok"
	assert_line "echo-dmabuf 20000 ok"
	assert_line "sleep 0"
	assert_line "fault -22"
	assert_line --regexp "^mmap 0x[0-9a-f]+$"
	assert_line "munmap 0"
	assert_line --regexp "^memmap 0x[0-9a-f]+$"
	assert_line "memunmap 0"
	[ "$(grep -c "^memtest ok$" <<<"$output")" = 2 ]
	assert_line "info 1 4 4 262144 16 104 1 1 1 1 0"
	assert_line --partial "open nope err -2 dlerror "
	run -0 "$C" cdsp create sum:1
	run -0 "$C" cdsp create:unsigned sum:2
	assert_line "sum 2"
	run -0 "$C" adsp static:audiopd:1048576 sum:3
	assert_line "sum 3"
	run -0 "$C" adsp sensors sum:4
	assert_line "sum 4"
	grew cdsp calculator/2 calculator/3 echo/2 sleep/2 fault/2 memtest/2 \
		memtest/3 remotectl/0 remotectl/1 init/0 init/1 init/4 init/5 \
		init/6 init/7 init/10 init/11
	grew adsp init/0 init/1 init/8 calculator/2
	# the driver asks the DSP once per channel and caches the answer
	[ "$(calls cdsp utilities 0)" -ge 1 ]
}

# bats test_tags=agnostic
@test "every skel and init-handle method through fastrpcctl reaches the DSP" {
	CTL=$TOP/cli/fastrpcctl
	[ -x "$CTL" ] || skip "fastrpcctl is not built"
	snap cdsp adsp
	run -0 "$CTL" invoke calculator sum 40 2
	assert_line "out[0] i64: 42"
	run -0 "$CTL" invoke calculator max 5 -9 42 7
	assert_line "out[0] i32: 42"
	run -0 "$CTL" invoke echo copy str:hello dmabuf:gen:16:0x5a
	assert_line "out[0] str: hello"
	assert_line "out[1] 16 bytes: 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
	run -0 "$CTL" invoke sleep usleep 1000
	run -0 "$CTL" invoke fault retval 0
	run -0 "$CTL" -j invoke --map 16K:0x11 memtest checksum @0 16384
	run -0 "$CTL" mmap --size 8K --fill 0x77 --verify --munmap
	run -0 "$CTL" create --dynamic
	run -0 "$CTL" create --dynamic --unsigned
	run -0 "$CTL" -D adsp create --static audiopd
	run -0 "$CTL" -D adsp create --sensors
	run -0 "$CTL" info -D cdsp arch_ver
	assert_output --partial "104"
	grew cdsp calculator/2 calculator/3 echo/2 sleep/2 fault/2 memtest/2 \
		memtest/3 remotectl/0 remotectl/1 init/0 init/1 init/4 init/5 \
		init/6 init/7 init/10 init/11
	grew adsp init/0 init/1 init/8
}

# bats test_tags=agnostic
@test "after the clients: no process left on any DSP, no address the SMMU refused" {
	for d in adsp mdsp sdsp cdsp; do
		slurp "$DBG/$d/status"
		assert_output --regexp "processes=0$"
		# every address the driver sent carried its client's bank
		assert_equal "$(counter $d smmu_faults)" "$(cat "$BATS_FILE_TMPDIR/faults.$d")"
	done
}
