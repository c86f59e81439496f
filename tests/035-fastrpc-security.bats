#!/usr/bin/env bats
# What a client cannot do to another, and what a user cannot read
# (frpc_secure): no secure node and no init handle for an unprivileged
# member of the node's group; no unmapping, freeing, invoking or reading of
# another client's maps, buffers or handles by guessed addresses, ids or
# passed fds; no DSP process shared with a client whose opener's pid was
# reused; no kernel address in tracepoint records, fdinfo, debugfs or the
# modules' kernel log lines. 105 covers the secure node through fastrpcctl.

load test_helper

setup() {
	skip_unless_guest
	[ -e /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
}

# The group the udev rule gives the non-secure nodes (105); the guest has
# no udev: the test applies the rule and puts the nodes back as created
FASTRPC_GID=4711

@test "an unprivileged member of the node's group: the secure node does not open, every init-handle method is EPERM" {
	local modes
	modes=$(stat -c '%a %g' /dev/fastrpc-cdsp)
	chgrp "$FASTRPC_GID" /dev/fastrpc-cdsp
	chmod 0660 /dev/fastrpc-cdsp
	run setpriv --reuid=65534 --regid=65534 --groups=$FASTRPC_GID \
		"$HELPERS/frpc_secure" cdsp init-handle
	chgrp "${modes#* }" /dev/fastrpc-cdsp
	chmod "${modes% *}" /dev/fastrpc-cdsp
	assert_success
	assert_line "ok: /dev/fastrpc-cdsp-secure: EACCES"
	assert_line "ok: every init-handle method by hand, before any process: EPERM"
	assert_line "ok: every init-handle method by hand, with a process: EPERM"
}

@test "a client cannot unmap, free, invoke on or read another client's maps, buffers and handles" {
	run -0 "$HELPERS/frpc_secure" cdsp cross
	assert_line "ok: MEM_UNMAP of the other client's address: EINVAL"
	assert_line "ok: MEM_UNMAP of the other client's address with its passed dma-buf: EINVAL"
	assert_line "ok: MUNMAP of the other client's MMAP: EINVAL"
	assert_line "ok: FREE_DMA_BUFF of the other client's passed dma-buf: EINVAL"
	assert_line --regexp "^ok: the other client's calculator handle, invoked here: "
	assert_line --regexp "^ok: memtest on the other client's MEM_MAP address: "
	assert_line --regexp "^ok: memtest on the other client's MMAP address: "
	assert_line "ok: through the passed fastrpc fd: that client's calculator, our data (sum 10)"
	assert_line "ok: the first client's maps and buffer intact, unmapped and freed by it"
}

@test "[10/11] a process given the pid of a client's exited opener cannot join that client's DSP process" {
	run -0 "$HELPERS/frpc_secure" cdsp pid-reuse
	assert_line --regexp '^ok: another process as pid [0-9]+: its attach gets EBUSY while the old client lives$'
	assert_line --regexp '^ok: once the old client is closed, a process as pid [0-9]+ attaches$'
}

# kernel_looking FILE: the lines of FILE holding a value in the kernel's
# half of the address space (ffff followed by 12 hex digits, with or
# without 0x; all ones is -1 or a mask, not an address)
kernel_looking() {
	grep -E '(^|[^0-9a-fA-F])(0x)?ffff[0-9a-f]{12}([^0-9a-fA-F]|$)' "$1" |
		grep -vE '(0x)?ffffffffffffffff' || true
}

@test "no kernel address in tracepoint records, fdinfo, debugfs or the modules' kernel log lines after a busy workload" {
	local tr=/sys/kernel/tracing/instances/fastrpc-035 out=$BATS_TEST_TMPDIR/seen pid
	mkdir -p "$tr"
	echo 1 >"$tr/events/fastrpc/enable"
	# every kind of call, map, buffer and process (dynamic PDs: the
	# mixed run); failures too (the cross test)
	"$HELPERS/frpc_secure" cdsp cross >/dev/null
	"$HELPERS/frpc_stress" cdsp,adsp mixed 4 2 >/dev/null
	coproc HOLD { exec "$HELPERS/frpc_call" cdsp hold 60; }
	pid=$HOLD_PID
	read -r -u "${HOLD[0]}" _
	echo 0 >"$tr/events/fastrpc/enable"
	{
		cat "$tr/trace"
		cat /proc/"$pid"/fdinfo/*
		cat /sys/kernel/debug/fastrpc/* /sys/kernel/debug/vdsp_smmu/*
		cat /sys/kernel/debug/vdsp/*/{status,processes,counters}
		dmesg | grep -E 'fastrpc|vdsp|compute-cb|smmu'
	} >"$out" 2>&1
	kill "$pid"
	wait "$pid" || true
	rmdir "$tr"
	# the scan sees what it must: records of every kind, a live client
	grep -q 'fastrpc_mem_map:' "$out"
	grep -q 'fastrpc_pd_create:' "$out"
	grep -q '^fastrpc-client:' "$out"
	grep -q '^client id=' "$out"
	run kernel_looking "$out"
	assert_output ""
}
