#!/usr/bin/env bats
# The kernel's own checkers, read at the end of every guest's run
# (tests/vm/guest-suite.sh), and our modules still in: a test that unloads
# one must put it back (restore_modules), or every later file skips. Several switch themselves off after their
# first report (lockdep, DMA-API debug, kmemleak, debug objects) or
# report in ways the console check may miss: each must still be on and
# must have found nothing.

# The kernel's checkers know no driver: they end make conformance's guest too.
# bats file_tags=agnostic

load ../test_helper

setup() {
	skip_unless_guest
}

# Taint bits that our modules bring: O (out of tree) and E (unsigned).
ALLOWED_TAINT=$(((1 << 12) | (1 << 13)))
TAINT_LETTERS=PFSRMBUDAWCIOELKXTN

@test "the modules init loaded are still loaded" {
	local m gone=

	for m in ${FASTRPC_LOADED:-}; do
		[ -d "/sys/module/$m" ] || gone+=" $m"
	done
	[ -z "$gone" ] || {
		echo "unloaded by a test and never loaded again:$gone"
		false
	}
}

@test "the kernel is not tainted, but for out-of-tree modules" {
	local t bad i flags=

	read -r t </proc/sys/kernel/tainted
	bad=$((t & ~ALLOWED_TAINT))
	for ((i = 0; i < ${#TAINT_LETTERS}; i++)); do
		((bad & (1 << i))) && flags+=${TAINT_LETTERS:i:1}
	done
	[ "$bad" = 0 ] || {
		echo "tainted=$t: $flags (see Documentation/admin-guide/tainted-kernels.rst)"
		false
	}
}

@test "lockdep is still on (debug_locks 1)" {
	local k v

	while read -r k v; do
		[ "$k" = debug_locks: ] && break
	done </proc/lockdep_stats
	[ "$k" = debug_locks: ]
	[ "$v" = 1 ]
}

@test "DMA-API debugging is on and counted no error" {
	local d=/sys/kernel/debug/dma-api v

	read -r v <"$d/disabled"
	[ "$v" = N ]
	read -r v <"$d/error_count"
	[ "$v" = 0 ]
}

@test "debug objects counted no warning" {
	local k v

	while IFS=: read -r k v; do
		[ "${k// /}" = warnings ] && break
	done </sys/kernel/debug/debug_objects/stats
	[ "${k// /}" = warnings ]
	[ "${v// /}" = 0 ]
}

@test "kmemleak still scans, and finds no leak" {
	kmemleak_clean
}
