#!/bin/bash
# make bench, on the host: two guest boots, then the table and
# build/bench/bench.json.
#
#   bench.sh KDIR BENCH_KDIR     run both boots, then report
#   bench.sh --report DIR        report on the outputs a run left in DIR
#                                (bench.out, test.out), booting nothing
#
# 1. The bench kernel (BENCH_KDIR: tests/kernel-bench.config, no
#    debugging), 2 vCPUs, our modules and the in-tree driver built for it
#    under build/bench-kernel/ (make bench-build): tests/bench/guest.sh
#    bench (memory warmed; the floor; ours with the events off, with
#    stat, with trace; the in-tree driver and ours in turn, three times;
#    the floor again).
# 2. The test kernel (KDIR), the tree's modules: guest.sh test (the floor,
#    our null invoke, allocs.sh).
#
# Then tests/bench/report.jq turns the runs into ratios, each against its
# target of issue [11/11], printed as a table and kept with every figure
# and the machine in build/bench/bench.json. Targets are reported, never
# asserted: the exit status is 1 only when a figure could not be measured
# (a guest that failed, a workload of ours that failed; the in-tree
# driver's refusals are results), 2 on a usage or build error.
#
# FASTRPC_BENCH_N, _THREADS, _ROUNDS, _ROUNDS_SMP, _BLOCK, _OVERHEAD_N,
# _FLOOR, _COMPARE size the runs (guest.sh);
# FASTRPC_BENCH_OUT moves the output directory (default build/bench).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
here=tests/bench

usage() {
	echo "usage: bench.sh KDIR BENCH_KDIR | bench.sh --report DIR" >&2
	exit 2
}

# collect FILE: the "@bench NAME JSON" lines of a guest's output as one
# object; a line whose JSON does not parse becomes that run's error
collect() {
	local name json
	[ -f "$1" ] || { echo '{}'; return; }
	while read -r _ name json; do
		if jq -e . >/dev/null 2>&1 <<<"$json"; then
			jq -c --arg k "$name" '{($k): .}' <<<"$json"
		else
			jq -nc --arg k "$name" --arg j "${json:0:200}" '{($k): {error: ("not JSON: " + $j)}}'
		fi
	done < <(grep -a '^@bench ' "$1") | jq -s 'add // {}'
}

# table BENCH_JSON: the rows, aligned, each marked met / not met
table() {
	jq -r '.rows[] | [.name,
		(if .value == null then "-" else "\(.value)\(.unit)" end),
		(if .target == "-" then "-" else .target + .unit end),
		.status,
		.note] | @tsv' "$1" |
		awk -F'\t' '
		BEGIN { printf "%-52s %9s %8s  %-15s %s\n", "ratio", "value", "target", "", "" }
		{ printf "%-52s %9s %8s  %-15s %s\n", $1, $2, $3, $4, $5 }'
}

# report DIR: DIR/bench.json from DIR/bench.out and DIR/test.out; the table
report() {
	local dir=$1 raw r
	raw=$(jq -n --argjson b "$(collect "$dir/bench.out")" \
		--argjson t "$(collect "$dir/test.out")" '{bench: $b, test: $t}') || return 2
	r=$(jq -f "$here/report.jq" <<<"$raw") || return 2
	jq -n --argjson m "$(machine)" \
		--argjson splats "$(splats "$dir")" --argjson r "$r" --argjson raw "$raw" \
		'{machine: $m, settings: ($raw.bench.settings // {}), rows: $r.rows, unmeasured: $r.unmeasured,
		  splats: $splats, runs: $raw}' >"$dir/bench.json.tmp" || return 2
	mv "$dir/bench.json.tmp" "$dir/bench.json"
	echo
	echo "== make bench: ratios against the targets of [11/11] (figures: $dir/bench.json)"
	table "$dir/bench.json"
	jq -r '.runs.bench.machine as $g |
		"   bench kernel \($g.kernel // "?"), \($g.nproc // "?") vCPUs; test kernel \(.runs.test.machine.kernel // "?"); host: \(.machine.cpu), \(.machine.nproc) CPUs, \(.machine.commit)"' \
		"$dir/bench.json"
	jq -r '.splats[] | "   kernel splat in \(.log), \(.count) time(s): \(.first)"' "$dir/bench.json"
	if jq -e '.unmeasured | length > 0' "$dir/bench.json" >/dev/null; then
		echo "== not measured:"
		jq -r '.unmeasured[] | "   " + .' "$dir/bench.json"
		return 1
	fi
	return 0
}

# the machine and the tree: the host's CPUs and the commit (the guests'
# kernels are in the runs)
machine() {
	jq -n --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
		--argjson nproc "$(nproc)" --arg host "$(uname -r)" \
		--arg commit "$(git describe --always --dirty 2>/dev/null || echo unknown)" \
		--arg date "$(date -u +%FT%TZ)" \
		--arg qemu "$(qemu-system-x86_64 --version 2>/dev/null | head -1)" \
		'{cpu: $cpu, nproc: $nproc, host_kernel: $host, commit: $commit, date: $date, qemu: $qemu}'
}

# splats DIR: the kernel splats in the guests' console logs (the in-tree
# driver's are expected: reported, not fatal), by first line (its time,
# CPU and PID taken out), with how many times each came
splats() {
	local log
	for log in "$1"/*-console.log; do
		[ -f "$log" ] || continue
		tests/vm/splat-check.sh "$log" 1000000 | awk -v name="${log##*/}" '
			/^----$/ { want = 1; next }
			want {
				sub(/^\[ *[0-9.]+\] /, ""); gsub(/CPU: [0-9]+ PID: [0-9]+ /, "")
				print name "\t" $0; want = 0
			}'
	done | sort | uniq -c |
		jq -R -s 'split("\n") | map(select(. != "") | capture("^ *(?<count>[0-9]+) (?<log>[^\t]*)\t(?<first>.*)$")
			| .count |= tonumber)'
}

# boot NAME KDIR TIMEOUT MODULE... -- CMD: one guest; its output (less the
# "@bench" lines) on the terminal, all of it in $out/NAME.out
boot() {
	local name=$1 kdir=$2 timeout=$3 mods=() rc
	shift 3
	while [ "$1" != -- ]; do mods+=(-m "$1"); shift; done
	shift
	echo "== $name guest: $(cat "$kdir/include/config/kernel.release"), 2 vCPUs: $*"
	# run.sh's own messages to a file (its splat report repeats the
	# console's: the report counts them), but for why a guest failed
	tests/vm/run.sh -k "$kdir" -t "$timeout" -q --smp 2 --no-splat-check \
		-l "$out/$name-console.log" -o "$out/$name.out" "${mods[@]}" -- "$@" \
		2>"$out/$name-run.err" | grep -av '^@bench ' | sed 's/^/   /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ]; then
		grep -E '^run.sh: (guest timed out|the guest did not)' "$out/$name-run.err"
		echo "== $name guest: run.sh status $rc (console: $out/$name-console.log)"
	fi
	return 0
}

out=${FASTRPC_BENCH_OUT:-$top/build/bench}
if [ "${1:-}" = --report ]; then
	[ -n "${2:-}" ] || usage
	report "$2"
	exit $?
fi
kdir=${1:-}
bkdir=${2:-}
if [ -z "$kdir" ] || [ -z "$bkdir" ]; then usage; fi
bsrc=build/bench-kernel/src
bconf=build/bench-kernel/conformance
for ko in $bsrc/kernel/vdsp/vdsp_smmu.ko $bsrc/kernel/vdsp/vdsp.ko $bsrc/kernel/fastrpc/fastrpc.ko \
	$bconf/qcom_scm_stub.ko $bconf/fastrpc.ko kernel/vdsp/vdsp.ko kernel/fastrpc/fastrpc.ko cli/fastrpcctl \
	tests/helpers/frpc_windows; do
	[ -f "$ko" ] || { echo "bench: no $ko (make bench builds it)" >&2; exit 2; }
done
rm -rf "$out"
mkdir -p "$out"

# the sizes of the runs, in the guests' environment
env=()
for v in FASTRPC_BENCH_N FASTRPC_BENCH_THREADS FASTRPC_BENCH_ROUNDS FASTRPC_BENCH_ROUNDS_SMP \
	FASTRPC_BENCH_BLOCK FASTRPC_BENCH_OVERHEAD_N FASTRPC_BENCH_FLOOR FASTRPC_BENCH_COMPARE \
	FASTRPC_BENCH_STAT_N; do
	[ -n "${!v:-}" ] && env+=("$v=${!v}")
done

t0=$SECONDS
boot bench "$bkdir" 1500 $bsrc/kernel/vdsp/vdsp_smmu.ko $bsrc/kernel/vdsp/vdsp.ko \
	$bsrc/kernel/fastrpc/fastrpc.ko -- \
	env "${env[@]}" tests/bench/guest.sh bench "$top/$bsrc/kernel/fastrpc/fastrpc.ko" \
	"$top/$bconf/qcom_scm_stub.ko" "$top/$bconf/fastrpc.ko"
boot test "$kdir" 900 kernel/vdsp/vdsp_smmu.ko kernel/vdsp/vdsp.ko kernel/fastrpc/fastrpc.ko -- \
	env "${env[@]}" tests/bench/guest.sh test
echo "== guests: $((SECONDS - t0)) s"
report "$out"
