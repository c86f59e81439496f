#!/usr/bin/env bats
# Memory on the DSP: MEM_MAP/MEM_UNMAP of dma-bufs from each exporter,
# MMAP/MUNMAP of driver memory and of dma-bufs, the driver's dma-bufs and
# FREE_DMA_BUFF; the memtest skel checks bytes through DSP addresses.

load test_helper

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

@test "MEM_MAP of each exporter's dma-buf: the DSP reads and writes our bytes" {
	for x in fastrpc heap udmabuf; do
		run -0 "$HELPERS/frpc_call" cdsp memmap "$x"
		assert_line "ok: mem_map: DSP checksum matches our bytes, DSP fill seen by us"
		assert_line "ok: mem_map of [8192, 24576) of the $x dma-buf"
		assert_line "ok: mem_unmap; fdinfo maps back to 0"
	done
}

@test "MMAP of driver memory grows the remote heap; MUNMAP gives it back" {
	run -0 "$HELPERS/frpc_call" cdsp mmap
	assert_line --regexp '^ok: mmap of 262144 bytes of driver memory at 0x[0-9a-f]+, munmap$'
}

# bats test_tags=agnostic
@test "MMAP of each exporter's dma-buf maps it on the DSP" {
	for x in fastrpc heap udmabuf; do
		run -0 "$HELPERS/frpc_call" cdsp mmap "$x"
		assert_line "ok: mmap: DSP checksum matches our bytes, DSP fill seen by us"
		assert_line "ok: mmap of a $x dma-buf, munmap"
	done
}

@test "ALLOC_DMA_BUFF buffers are owned until FREE_DMA_BUFF; their fds live on" {
	run -0 "$HELPERS/frpc_call" cdsp free
	assert_output "ok: FREE_DMA_BUFF disowns the buffer; its fd and data live on"
}

# bats test_tags=agnostic
@test "the DSP lets go of no mapping we did not take back" {
	run -0 cat /sys/kernel/debug/vdsp/cdsp/processes
	refute_output --partial "map "
}
