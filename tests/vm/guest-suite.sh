#!/bin/bash
# Runs in the guest (tests/run-tests.sh hands it to run.sh): the bats files
# given, in one bats run, then tests/vm/health.bats. Prints a TAP stream
# that the host parses, one section per file:
#
#   # file FILE                   a file starts
#   1..N                          its plan (its @test lines)
#   ok 3 name # in 812 ms         each result, with the wall time since the
#                                 previous one (setup and teardown included)
#   # file-done FILE 41.2 s       its last result came
#
# One bats run for all the files, not one each: starting bats costs about
# forty seconds in the emulated guest (some twenty execs and five bash
# scripts), more than most files' tests. A run that dies half way leaves
# plans without their results: the host counts the missing ones as failed.
# Per-test times are taken here rather than with bats --timing, which
# costs two execs of date(1) per test.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# bats starts the script of each test (bats-exec-test) and of each file
# (bats-exec-file) through "#!/usr/bin/env bash": an exec of env and a
# search of PATH before bash's own, 0.27 s a test here
# (tests/vm/exec-cost.sh). In this guest, copies whose #! line names bash
# take their place: bats' own text but for that line. Five static execs,
# once per guest (in init.sh, every boot paid for all of bats' scripts).
direct_bats_scripts() {
	local f dir=/run/bats-direct bb=/bin/busybox
	local -a lines

	[ -x $bb ] && $bb mkdir -p "$dir" || return 0
	for f in /usr/libexec/bats-core/bats-exec-test /usr/libexec/bats-core/bats-exec-file; do
		mapfile -t lines <"$f" || continue
		[ "${lines[0]-}" = '#!/usr/bin/env bash' ] || continue
		lines[0]='#!/usr/bin/bash'
		printf '%s\n' "${lines[@]}" >"$dir/${f##*/}"
		$bb chmod 755 "$dir/${f##*/}" && $bb mount --bind "$dir/${f##*/}" "$f"
	done
}

# FASTRPC_BATS_TAG: only the tests tagged so run (bats --filter-tags;
# make conformance runs those tagged agnostic)
tag=${FASTRPC_BATS_TAG:-}
filter=()
[ -n "$tag" ] && filter=(--filter-tags "$tag")
# shellcheck source=tests/vm/plan.bash
. "$top/tests/vm/plan.bash"

# tests_in FILE: how many of FILE's tests run (tests/vm/plan.bash)
tests_in() {
	local -a names

	mapfile -t names < <(bats_plan "$1" "$tag")
	echo "${#names[@]}"
}

# run_files FILE...: one bats run; its results cut into per-file sections
run_files() {
	local -a files=("$@") counts=()
	local f i=0 left total=0 start prev now line

	for f in "${files[@]}"; do
		counts+=("$(tests_in "$f")")
		total=$((total + ${counts[-1]}))
	done
	# files without tests have no section: skip to the first with some
	next_file() {
		while [ "$i" -lt ${#files[@]} ] && [ "${counts[i]}" = 0 ]; do
			i=$((i + 1))
		done
		[ "$i" -lt ${#files[@]} ] || return 1
		left=${counts[i]}
		start=$(now_ms)
		echo "# file ${files[i]}"
		echo "1..$left"
	}
	next_file || return 0
	prev=$start
	bats --tap ${filter[@]+"${filter[@]}"} "${files[@]}" 2>&1 | while IFS= read -r line; do
		case "$line" in
		1..*)
			[ "${line#1..}" = "$total" ] ||
				echo "not ok - bats plans ${line#1..} tests, the files' @test lines $total" ;;
		"ok "* | "not ok "*)
			now=$(now_ms)
			if [[ $line == "ok "*" # skip"* ]]; then
				echo "$line"
			else
				echo "$line # in $((now - prev)) ms"
			fi
			prev=$now
			left=$((left - 1))
			if [ "$left" = 0 ]; then
				printf '# file-done %s %d.%d s\n' "${files[i]}" \
					$(((now - start) / 1000)) $(((now - start) % 1000 / 100))
				i=$((i + 1))
				next_file
			fi ;;
		*) echo "$line" ;;
		esac
	done
}

direct_bats_scripts
run_files "$@" tests/vm/health.bats
# health.bats scanned for leaks last: init need not scan again.
: >/run/fastrpc-kmemleak-scanned
