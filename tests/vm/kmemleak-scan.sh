#!/bin/bash
# Print kmemleak's report of leaks as of now (nothing when clean or when
# kmemleak is off). Shared by the guest's init and the bats helpers.
#
# kmemleak only reports objects older than 5 s, and one whose contents
# changed since the previous scan counts as referenced for that scan: a
# new leak shows on the second scan. debugfs files have no size, so the
# report is read, never tested with test -s.
f=/sys/kernel/debug/kmemleak
[ -w "$f" ] || exit 0
sleep 6
echo scan >"$f"
echo scan >"$f"
cat "$f"
