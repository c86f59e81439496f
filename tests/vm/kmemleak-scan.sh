#!/bin/bash
# Print kmemleak's report of leaks as of now; nothing when clean. Shared by
# the guest's init and the bats helpers.
#
# Exits 2, saying why, when kmemleak cannot scan: not built, off at boot,
# or switched off by itself after an error (it then refuses "scan" with
# EPERM). A checker that is off must not pass for a clean one.
#
# kmemleak only reports objects older than 5 s, and one whose contents
# changed since the previous scan counts as referenced for that scan: a
# new leak shows on the second scan. debugfs files have no size, so the
# report is read, never tested with test -s.
f=/sys/kernel/debug/kmemleak
if [ ! -e "$f" ]; then
	echo "kmemleak-scan: $f does not exist (kmemleak not built?)" >&2
	exit 2
fi
sleep "${FASTRPC_KMEMLEAK_AGE:-6}"
for i in 1 2; do
	if ! echo scan 2>/dev/null >"$f"; then
		echo "kmemleak-scan: kmemleak refuses to scan (off, or disabled itself)" >&2
		exit 2
	fi
done
cat "$f"
