#!/bin/bash
# tests/timings.txt from the results of a run of tests/run-tests.sh: the
# wall seconds of each guest file ("# file-done FILE S s") and of the host
# suite, longest first. tests/vm/health.bats ends every guest and is not
# dealt, so it has no line.
set -euo pipefail
dir=${1:?usage: timings.sh RESULTS_DIR}
{
	[ -f "$dir/host.ms" ] && echo "$(($(cat "$dir/host.ms") / 1000)) host"
	cat "$dir"/guest.*.tap | tr -d '\r' |
		sed -nE 's/^# file-done ([^ ]+) ([0-9]+)\.[0-9] s$/\2 \1/p' |
		grep -v ' tests/vm/'
} | sort -rn
