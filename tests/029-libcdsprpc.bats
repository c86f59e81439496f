#!/usr/bin/env bats
# Qualcomm's own client library (libcdsprpc, github quic/fastrpc), built
# apart (README: "Qualcomm's libcdsprpc"), against the driver and the vdsp
# through its public API (tests/helpers/cdsprpc_client.c): an unsigned PD
# on cdsp, the calculator and echo skels, teardown at the last close (the
# library's own). Optional: the
# library is no Debian package, so the tests skip unless
# FASTRPC_LIBCDSPRPC names it (FASTRPC_GUEST_ENV, tests/run-tests.sh).

load test_helper

# The library looks for its shell at fixed paths only (open_shell():
# /usr/lib/dsp/, then /usr/lib/dsp/cdsp/, /vendor/dsp/, ...), not along
# DSP_LIBRARY_PATH, and the guest's /usr/lib is the host's, read-only. For
# this file /usr/lib is a tmpfs directory of links to the host's entries,
# and dsp/ with a shell the vdsp accepts (a Hexagon ELF32 header).
dsp=/run/libcdsprpc

ready() {
	in_guest && [ -c /dev/fastrpc-cdsp ] && [ -f "${FASTRPC_LIBCDSPRPC:-}" ]
}

setup_file() {
	ready || return 0
	mkdir -p $dsp/host $dsp/usrlib/dsp
	mount --bind /usr/lib $dsp/host
	ln -s $dsp/host/* $dsp/usrlib/
	"$HELPERS/cdsprpc_client" shell $dsp/usrlib/dsp/fastrpc_shell_unsigned_3
	mount --bind $dsp/usrlib /usr/lib
	once_per_file "$HELPERS/cdsprpc_client" -v run "$FASTRPC_LIBCDSPRPC"
}

teardown_file() {
	ready || return 0
	umount /usr/lib
	umount -l $dsp/host
	rm -rf $dsp
}

setup() {
	skip_unless_guest
	[ -c /dev/fastrpc-cdsp ] || skip "fastrpc.ko and vdsp.ko not loaded"
	[ -n "${FASTRPC_LIBCDSPRPC:-}" ] ||
		skip "FASTRPC_LIBCDSPRPC unset: no libcdsprpc to run (built apart, README)"
	[ -f "$FASTRPC_LIBCDSPRPC" ] ||
		skip "FASTRPC_LIBCDSPRPC=$FASTRPC_LIBCDSPRPC is not a file"
}

# the client's output, shown when it failed
session() {
	run cat "$BATS_FILE_TMPDIR/once"
	refute_line --partial "FAIL"
	assert_equal "$(cat "$BATS_FILE_TMPDIR/once.status")" 0
}

@test "libcdsprpc: an unsigned PD from its shell, listeners parked on the DSP" {
	session
	assert_line "unsigned PD support: 1"
	assert_line "unsigned module: 0x0"
	assert_line "open calculator: 0x0"
	assert_line --regexp '^vdsp: process attrs=0x8 handles=1 parked=[1-9]$'
}

@test "libcdsprpc: calculator and echo answer, from user and rpcmem buffers" {
	session
	assert_line "calculator sum: 5050"
	assert_line "calculator max: 1000"
	assert_line "calculator method 9: 0x80000414"
	assert_line "vdsp: handles=2"
	assert_line "echo heap: 61 and 262144 bytes back"
	assert_line "rpcmem fd: yes"
	assert_line "echo rpcmem: 262144 bytes back"
	assert_line "close echo: 0x0"
	assert_line "close calculator: 0x0"
}

@test "libcdsprpc: the last close ends the session, the DSP's process with it" {
	session
	assert_line "vdsp: process gone after the last close"
	assert_line "exit"
	assert_line "vdsp: process gone"
}

@test "libcdsprpc: the DSP's counters show what the library called" {
	session
	# a capability query, INIT_CREATE with attributes, the listener's
	# init2 and next2 (ended by the exit: AEE_EBADSTATE, an error)
	assert_line "dsp call service=utilities method=0 count=1 errors=0"
	assert_line "dsp call service=init method=7 count=1 errors=0"
	assert_line "dsp call service=listener1 method=5 count=1 errors=0"
	assert_line "dsp call service=listener1 method=6 count=1 errors=1"
	# open1 twice; close1 once: the last close is the process's exit
	assert_line "dsp call service=remotectl1 method=2 count=2 errors=0"
	assert_line "dsp call service=remotectl1 method=3 count=1 errors=0"
	assert_line "dsp call service=process method=2 count=1 errors=0"
	assert_line "dsp call service=init method=1 count=1 errors=0"
	assert_line "dsp call service=calculator method=2 count=1 errors=0"
	assert_line "dsp call service=calculator method=3 count=1 errors=0"
	assert_line "dsp call service=calculator method=9 count=1 errors=1"
	assert_line "dsp call service=echo method=2 count=2 errors=0"
	run grep -c "^dsp call " "$BATS_FILE_TMPDIR/once"
	assert_output 12
}
