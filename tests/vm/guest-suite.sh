#!/bin/bash
# Runs in the guest (tests/run-tests.sh hands it to run.sh): the bats files
# given, one bats run each, then the kernel health checks of
# tests/vm/health.bats. Prints a TAP stream that the host parses:
#
#   # file FILE                   a file starts
#   1..N                          bats' plan for it
#   ok 3 name # in 812 ms         each result, with the wall time since the
#                                 previous one (setup and teardown included)
#   # file-done FILE 41.2 s       it ended
#   not ok - FILE left ...        a file that left our modules unloaded
#
# A file that dies half way leaves its plan without its results: the host
# counts the missing ones as failed. Per-test times are taken here rather
# than with bats --timing, which costs two execs of date(1) per test.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# run_file FILE: one bats run, its results timed
run_file() {
	local f=$1 start prev now line

	echo "# file $f"
	start=$(now_ms)
	prev=$start
	bats --tap "$f" 2>&1 | while IFS= read -r line; do
		case "$line" in
		"ok "*" # skip"*) prev=$(now_ms); echo "$line" ;;
		"ok "* | "not ok "*)
			now=$(now_ms)
			echo "$line # in $((now - prev)) ms"
			prev=$now ;;
		*) echo "$line" ;;
		esac
	done
	now=$(now_ms)
	printf '# file-done %s %d.%d s\n' "$f" $(((now - start) / 1000)) \
		$(((now - start) % 1000 / 100))
}

# Our modules as the guest's init loaded them. A file that unloads one must
# put it back even when an assertion fails half way; one that does not
# fails, and the module comes back so that later files still test it.
loaded=()
for m in vdsp fastrpc; do
	[ -d /sys/module/$m ] && loaded+=("$m")
done

check_modules() {
	local f=$1 m

	for m in "${loaded[@]}"; do
		[ -d /sys/module/$m ] && continue
		echo "not ok - $f left $m.ko unloaded"
		case "$m" in
		vdsp) insmod kernel/vdsp/vdsp.ko ;;
		fastrpc) insmod kernel/fastrpc/fastrpc.ko ;;
		esac
	done
}

for f in "$@"; do
	run_file "$f"
	check_modules "$f"
done
run_file tests/vm/health.bats
# health.bats scanned for leaks last: init need not scan again.
: >/run/fastrpc-kmemleak-scanned
