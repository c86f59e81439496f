#!/bin/bash
# Print kmemleak's report of leaks as of now; nothing when clean. Shared by
# the guest's init and the bats helpers.
#
# Exits 2, saying why, when kmemleak cannot scan: not built, off at boot,
# or switched off by itself after an error (it then refuses "scan" with
# EPERM). A checker that is off must not pass for a clean one.
#
# kmemleak reports an object that two scans in a row found unreferenced
# and unchanged (the first computes its checksum) and that was at least
# 5 s old when the second began: a leak made just now shows on the second
# scan if it starts 6 s from now. The first scan takes seconds in the
# emulated guest, so it runs first and only the rest of the 6 s is slept.
# debugfs files have no size, so the report is read, never tested with
# test -s.
f=/sys/kernel/debug/kmemleak

scan() {
	if ! echo scan 2>/dev/null >"$f"; then
		echo "kmemleak-scan: kmemleak refuses to scan (off, or disabled itself)" >&2
		exit 2
	fi
}

if [ ! -e "$f" ]; then
	echo "kmemleak-scan: $f does not exist (kmemleak not built?)" >&2
	exit 2
fi
t0=${EPOCHREALTIME/./}
scan
left=$((6000000 - (${EPOCHREALTIME/./} - t0)))
[ "$left" -le 0 ] || sleep "$((left / 1000000)).$(printf '%06d' $((left % 1000000)))"
scan
cat "$f"
