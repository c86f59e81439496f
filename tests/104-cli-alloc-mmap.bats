#!/usr/bin/env bats
# fastrpcctl alloc (driver dma-bufs, filled, MEM_MAPped, checksummed by the
# CPU and by the DSP) and mmap (FASTRPC_IOCTL_MMAP/MUNMAP).

load test_helper
load cli_helper

setup() {
	need_driver
}

teardown() {
	kill_holds
}

@test "cli alloc: filled from a byte, a pattern or a file, verified on the DSP" {
	local t=$BATS_TEST_TMPDIR
	fnv_fill 65536 0x5a
	ctl alloc --size 64K --fill 0x5a --verify
	assert_output --regexp "^cdsp: dma-buf fd [0-9]+, 65536 bytes, fnv1a64 $REPLY, DSP address 0x[0-9a-f]+, verified on the DSP$"
	# the client as the driver sees it while the buffer lives: 1 buffer, 1 map
	ctl -j alloc --size 16K --fill pattern --verify
	fnv_fill 16384 pattern
	jq_is '[.domain, .size, .flags, .mapped, .map_flags, .hold, .fnv1a64, .dsp_fnv1a64, .dsp_addr != "0x0"]' \
		"[\"cdsp\",16384,0,true,2,false,\"$REPLY\",\"$REPLY\",true]"
	jq_is '.client | [.buffers, .buffer_bytes, .maps, .map_bytes]' '[1,16384,1,16384]'
	# a file: its size by default, else zero-padded to --size
	pattern_file "$t/f" 5000
	fnv_file "$t/f"
	ctl -j alloc --file "$t/f" --verify
	jq_is '[.size, .fnv1a64, .dsp_fnv1a64]' "[5000,\"$REPLY\",\"$REPLY\"]"
	truncate -s 8192 "$t/f"
	fnv_file "$t/f"
	truncate -s 5000 "$t/f"
	ctl -j alloc --file "$t/f" --size 8K --verify --dynamic
	jq_is '[.size, .dsp_fnv1a64, .client.pd]' "[8192,\"$REPLY\",\"dynamic\"]"
	# --no-map: a buffer, no mapping
	ctl -j alloc --size 8K --no-map
	jq_is '[.mapped, .dsp_addr, .client.buffers, .client.maps]' '[false,null,1,0]'
}

# bats test_tags=agnostic
@test "cli alloc: what is refused" {
	local t=$BATS_TEST_TMPDIR
	pattern_file "$t/f" 5000
	fails_with 1 "^fastrpcctl: $t/f \(5000 bytes\) does not fit in 4096 bytes$" "$CTL" alloc --file "$t/f" --size 4096
	: >"$t/empty"
	fails_with 1 "^fastrpcctl: $t/empty is empty$" "$CTL" alloc --file "$t/empty"
	# a secure mapping on a non-secure bank
	fails_with 1 "^fastrpcctl: MEM_MAP of the dma-buf on cdsp failed: Operation not permitted$" \
		"$CTL" alloc --size 4K --secure-map
	fails_with 1 "^fastrpcctl: MEM_MAP of the dma-buf on cdsp failed: Invalid argument$" \
		"$CTL" alloc --size 4K --map-flags 7
}

@test "cli mmap: remote memory and dma-bufs, filled, verified, unmapped, held" {
	fnv_fill 16384 0x33
	ctl mmap --size 16K --fill 0x33 --verify
	assert_output --regexp "^cdsp: mapped 16384 bytes \(flags 0x1000\) at DSP address 0x[0-9a-f]+, DSP fnv1a64 $REPLY$"
	ctl -j mmap --size 16K --fill 0x33 --verify --flags add-pages-llc
	jq_is '[.size, .flags, .dmabuf, .unmapped, .fnv1a64, .dsp_fnv1a64, .client.maps, .client.map_bytes]' \
		"[16384,12288,false,false,\"$REPLY\",\"$REPLY\",1,16384]"
	fnv_fill 32768 pattern
	ctl -j mmap --dmabuf --size 32K --fill pattern --verify
	jq_is '[.dmabuf, .fnv1a64, .dsp_fnv1a64, .client.buffers]' "[true,\"$REPLY\",\"$REPLY\",1]"
	# MUNMAP takes the mapping back before the report
	ctl -j mmap --size 16K --munmap
	jq_is '[.unmapped, .client.maps, .client.map_bytes]' '[true,0,0]'
	ctl mmap --size 16K --munmap
	assert_output --regexp "^cdsp: mapped 16384 bytes \(flags 0x1000\) at DSP address 0x[0-9a-f]+, unmapped$"
	fails_with 1 "^fastrpcctl: MMAP of 4096 bytes \(flags 0x7\) on cdsp failed: Invalid argument$" \
		"$CTL" mmap --size 4K --flags 7
	# held: sessions sees the mapping until SIGTERM
	start_hold "$BATS_TEST_TMPDIR/out" "$CTL" -j mmap --size 32K --munmap --hold
	must jq -c '[.hold, .unmapped, .client.id]' "$BATS_TEST_TMPDIR/out"
	[[ $output =~ ^\[true,false,([0-9]+)\]$ ]]
	local id=${BASH_REMATCH[1]}
	ctl -j sessions -D cdsp --pid "$HOLD_PID"
	jq_is ".[0].clients[] | [.id, .maps, .map_bytes]" "[$id,1,32768]"
	stop_hold "$HOLD_PID"
}
