#!/bin/bash
# make bench, in the guest (tests/bench/bench.sh boots it): the runs of
# one boot, each printed as one line "@bench NAME JSON" for the host to
# collect (anything else on the output is for the eye). The vdsp's
# modules and our driver are loaded when it starts.
#
#   guest.sh bench OURS_KO INTREE_KO...
#       the bench kernel: the guest's memory touched once (warm); the
#       transport floor; our driver with the fastrpc events off (the
#       floor and each single-caller workload, of either driver, with
#       the caller pinned apart from the vdsp: pinned); the
#       tools' cost: stat's by `fastrpcctl bench stat` (its programs
#       attached and detached in turn every COUNT calls, the caller
#       pinned apart from the vdsp: stat_cost, 3 runs), trace's by one
#       caller making null calls throughout while `fastrpcctl trace`
#       streams to /dev/null, in blocks between blocks without it
#       (ROUNDS rounds with 1 thread pinned, then ROUNDS_SMP with one per
#       vCPU: overhead_windows), and stat's
#       programs' own time (prog_time); then COMPARE times in turn the
#       in-tree driver
#       (INTREE_KO..., loaded in order after ours is removed) and ours
#       again (OURS_KO): runs intree, ours2, intree2, ours3, ...; the
#       report compares each of ours with the in-tree run just before it
#       and takes the median of the rounds, as a run's figures move by
#       tens of percent with the host's other work; the floor again.
#   guest.sh test
#       the test kernel: warm, the floor, our null invoke, allocs.sh
#       (null calls, then 4 KiB and 64 KiB echoes).
#
# FASTRPC_BENCH_COMPARE (rounds of the two drivers in turn),
# FASTRPC_BENCH_N (calls per measurement, fastrpcctl bench -n),
# FASTRPC_BENCH_THREADS (its -t), FASTRPC_BENCH_ROUNDS and
# FASTRPC_BENCH_ROUNDS_SMP (of each tool in the overhead runs, 1 thread
# and a thread per vCPU), FASTRPC_BENCH_BLOCK (seconds of each block of
# those), FASTRPC_BENCH_OVERHEAD_N (calls of prog_time's run),
# FASTRPC_BENCH_FLOOR (round trips of the floor), FASTRPC_BENCH_STAT_N
# (calls a phase of bench stat) size the runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/cli/fastrpcctl
dom=cdsp
n=${FASTRPC_BENCH_N:-2000}
threads=${FASTRPC_BENCH_THREADS:-1,2,4,8,64}
# 1 thread: the rows with a target; per vCPU: shown only (report.jq)
rounds=${FASTRPC_BENCH_ROUNDS:-9}
rounds_smp=${FASTRPC_BENCH_ROUNDS_SMP:-3}
overhead_n=${FASTRPC_BENCH_OVERHEAD_N:-5000}
block_s=${FASTRPC_BENCH_BLOCK:-3}
floor_n=${FASTRPC_BENCH_FLOOR:-2000}
compare_rounds=${FASTRPC_BENCH_COMPARE:-3}
# calls a phase of bench stat: about a tenth of a second's
stat_n=${FASTRPC_BENCH_STAT_N:-1000}
workloads=(null threads shapes mem process)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# emit NAME JSON: one line for the host (JSON with its newlines taken out:
# none is inside a string)
emit() {
	printf '@bench %s %s\n' "$1" "$(tr -d '\n' <<<"$2")"
}

# note TEXT: a JSON string of TEXT
jstr() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/ }
	s=${s//$'\t'/ }
	printf '"%s"' "$s"
}

# floor NAME: the transport floor, in 10 runs of a tenth of the rounds
# each: their mean, min and max, and each run's mean (a burst of the
# host's other work shows as one run's outlier)
floor() {
	local f=/sys/kernel/debug/vdsp/$dom/floor i rounds min avg max
	local total=0 lo='' hi=0 avgs=()
	for ((i = 0; i < 10; i++)); do
		if ! pinned sh -c "echo $((floor_n / 10)) >$f"; then
			emit "$1" "{\"error\":$(jstr "writing $f failed")}"
			return
		fi
		read -r rounds min avg max <<<"$(sed -E 's/[a-z_]+=//g' "$f")"
		total=$((total + avg))
		[ -n "$lo" ] && [ "$lo" -le "$min" ] || lo=$min
		[ "$hi" -ge "$max" ] || hi=$max
		avgs+=("$avg")
	done
	echo "floor: rounds=$((rounds * 10)) min_ns=$lo avg_ns=$((total / 10)) max_ns=$hi runs' avg_ns: ${avgs[*]}"
	emit "$1" "{\"rounds\":$((rounds * 10)),\"min_ns\":$lo,\"avg_ns\":$((total / 10)),\"max_ns\":$hi,\"run_avg_ns\":[$(IFS=,; echo "${avgs[*]}")]}"
}

# bench NAME WORKLOAD...: fastrpcctl bench, one run per workload (a
# workload the driver or this fastrpcctl refuses leaves the others
# measured), pinned but for threads: "@bench NAME.WORKLOAD" with its
# JSON document, or with {"error": ...} saying how it failed
bench() {
	local name=$1 w out rc n=${n_override:-$n} run
	shift
	for w in "$@"; do
		rc=0
		run=(pinned)
		[ "$w" != threads ] || run=()
		out=$(${run[@]+"${run[@]}"} "$ctl" -j bench -D "$dom" -n "$n" -t "$threads" "$w" 2>"$tmp/err") || rc=$?
		if [ -n "$out" ] && jq -e . >/dev/null 2>&1 <<<"$out"; then
			[ "$rc" = 0 ] || out=$(jq -c --arg e "exit $rc: $(head -c 300 "$tmp/err")" \
				'. + {exit_error: $e}' <<<"$out")
			emit "$name.$w" "$out"
		else
			emit "$name.$w" "{\"error\":$(jstr "exit $rc: $(head -c 300 "$tmp/err")")}"
		fi
		echo "$name.$w: exit $rc, $(jq -c '.null // .threads // .shapes // .mem // .process // .error // empty' <<<"$out" 2>/dev/null | head -c 200)"
	done
}

events_off() {
	local e=/sys/kernel/tracing/events/fastrpc/enable
	[ -w "$e" ] && echo 0 >"$e"
	return 0
}

# prog_time NAME: the attached programs' own run time in a null run of
# its own, from the kernel's BPF statistics (kernel.bpf_stats_enabled
# on for that run alone: it reads the clock twice per program run):
# "@bench NAME.progs" with the run's calls and mean, and each program's
# runs and nanoseconds. Unlike the throughput, it does not move with the
# guest's speed from one process to the next; it leaves out the event's
# dispatch and what the driver does for an event that is on.
prog_time() {
	local s=/proc/sys/kernel/bpf_stats_enabled out progs n=${n_override:-$n}
	[ -w "$s" ] && command -v bpftool >/dev/null || return 0
	echo 1 >"$s"
	out=$("$ctl" -j bench -D "$dom" -n "$n" null 2>/dev/null)
	progs=$(bpftool -j prog show 2>/dev/null |
		jq -c '[.[] | select((.run_cnt // 0) > 0) | {name, runs: .run_cnt, run_ns: .run_time_ns}]')
	echo 0 >"$s"
	jq -e .null >/dev/null 2>&1 <<<"$out" || return 0
	emit "$1.progs" "$(jq -c --argjson p "${progs:-[]}" '{calls: .null.calls, mean_ns: .null.mean_ns, progs: $p}' <<<"$out")"
}

# tool_start TOOL ARGS...: fastrpcctl TOOL in the background (its output
# to /dev/null), once it has attached: its pid in tool_pid; 1 (and
# "@bench tool.TOOL" with the error) if it did not attach
tool_start() {
	local i
	"$ctl" -d "$@" >/dev/null 2>"$tmp/tool" &
	tool_pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -q ": attached" "$tmp/tool" 2>/dev/null && return 0
		kill -0 "$tool_pid" 2>/dev/null || break
		sleep 0.1
	done
	emit "tool.$1" "{\"error\":$(jstr "fastrpcctl $* did not attach: $(head -c 300 "$tmp/tool")")}"
	kill "$tool_pid" 2>/dev/null
	wait "$tool_pid"
	return 1
}

# tool_stop NAME: SIGINT to the tool, and trace's count of what it
# streamed ("fastrpcctl: N records, M lost") as "@bench NAME.records"
tool_stop() {
	local rec lost
	kill -INT "$tool_pid"
	wait "$tool_pid"
	read -r rec lost <<<"$(sed -n 's/^fastrpcctl: \([0-9]*\) records, \([0-9]*\) lost$/\1 \2/p' "$tmp/tool")"
	[ -z "$rec" ] || emit "$1.records" "{\"records\":$rec,\"lost\":$lost}"
}

# vdsp_pin CPUS: the vdsp's threads of the domain onto CPUS
vdsp_pin() {
	local p
	for p in $(pgrep "^vdsp-$dom/"); do
		taskset -pc "$1" "$p" >/dev/null
	done
}

# pinned CMD...: CMD on the last vCPU and the vdsp's threads on the
# first. One caller's rate holds within a few percent over a minute so,
# where unpinned it moves between plateaus tens of percent apart
# (docs/PERFORMANCE.md, session 16): the floor, every single-caller
# workload of both drivers and bench stat run so, each the same way.
pinned() {
	local last=$(($(nproc) - 1)) rc=0
	vdsp_pin 0
	taskset -c "$last" "$@" || rc=$?
	vdsp_pin "0-$last"
	return "$rc"
}

# overhead_windows NAME THREADS ROUNDS: what trace costs one caller.
# frpc_windows makes null calls from THREADS threads of one client
# throughout and prints its rate every half second under the label of
# the block it fell in: off:0, trace:1, off:2, trace:3, ...
# (trace started before its block's label is set and stopped after it
# is taken away; a window across a change is "-"). "@bench NAME" with
# every window. With 1 thread the caller runs on the last vCPU and the
# vdsp's threads on the first: a call's rate then holds within a few
# percent over a minute, where unpinned it moves between plateaus
# (docs/PERFORMANCE.md, session 16).
overhead_windows() {
	local name=$1 nthreads=$2 nrounds=$3 label=$tmp/label out=$tmp/windows
	local pid seq=0 r pin=() last=$(($(nproc) - 1))
	if [ "$nthreads" = 1 ]; then
		vdsp_pin 0
		pin=(taskset -c "$last")
	fi
	echo - >"$label"
	"${pin[@]}" "$top/tests/helpers/frpc_windows" "$dom" "$nthreads" 500 "$label" >"$out" &
	pid=$!
	echo "off:$seq" >"$label"
	sleep "$block_s"
	for ((r = 1; r <= nrounds; r++)); do
		echo - >"$label"
		seq=$((seq + 1))
		if tool_start trace; then
			echo "trace:$seq" >"$label"
			sleep "$block_s"
			echo - >"$label"
			tool_stop "$name.trace$r"
		fi
		seq=$((seq + 1))
		echo "off:$seq" >"$label"
		sleep "$block_s"
	done
	echo end >"$label"
	wait "$pid"
	vdsp_pin "0-$last"
	emit "$name" "$(jq -R -s -c --argjson t "$nthreads" --argjson p "$([ "$nthreads" = 1 ] && echo true || echo false)" \
		'{threads: $t, pinned: $p, window_ms: 500,
		  windows: (split("\n") | map(select(. != "") | split(" ")
			| {label: .[0], calls_per_s: (.[1] | tonumber)}))}' <"$out")"
	echo "$name: $(grep -c . "$out") windows"
}

# stat_cost NAME: fastrpcctl bench stat (stat's programs attached and
# detached in turn every STAT_N calls, about a tenth of a second), the
# caller on the last vCPU and the vdsp's threads on the first, as
# overhead_windows pins them: "@bench NAME" with its figures
stat_cost() {
	local out
	out=$(pinned "$ctl" -j bench -D "$dom" -n "$stat_n" stat 2>&1)
	if jq -e .stat >/dev/null 2>&1 <<<"$out"; then
		emit "$1" "$(jq -c .stat <<<"$out")"
	else
		emit "$1" "{\"error\":$(jstr "fastrpcctl bench stat: $(head -c 300 <<<"$out")")}"
	fi
}

# stat_progs NAME: stat attached, its programs' time (prog_time)
stat_progs() {
	tool_start stat || return
	n_override=$overhead_n prog_time "$1"
	tool_stop "$1"
}

# load KO...: our driver (or the in-tree one) in place of the one loaded
load() {
	local ko i
	rmmod fastrpc 2>/dev/null
	[ -d /sys/module/qcom_scm_stub ] && rmmod qcom_scm_stub
	for ko in "$@"; do
		insmod "$ko" || { echo "guest.sh: insmod $ko failed" >&2; return 1; }
	done
	# the node comes once the driver has probed the vdsp's channel
	for ((i = 0; i < 100; i++)); do
		[ -c /dev/fastrpc-$dom ] && return 0
		sleep 0.1
	done
	echo "guest.sh: no /dev/fastrpc-$dom after loading $*" >&2
	return 1
}

# allocs NAME [BYTES]: kernel allocations per null invoke, or per echo of
# BYTES (tests/bench/allocs.sh)
allocs() {
	local out a
	if out=$("$top/tests/bench/allocs.sh" "$dom" 1000 200 "${2:-0}" 2>&1); then
		echo "$out"
		a=$(sed -n 's/^allocs per invoke: //p' <<<"$out")
		emit "$1" "{\"per_invoke\":${a:-null}}"
	else
		echo "$out"
		emit "$1" "{\"error\":$(jstr "allocs.sh failed: $(tail -n 3 <<<"$out")")}"
	fi
}

# warm: touch the guest's free memory once before anything is measured.
# QEMU backs guest RAM with host memory on its first touch: a page the
# guest allocates for the first time costs a host page fault (and the
# host's zeroing) on top of the guest's own work. Without this, whatever
# ran first in a boot paid for it: the shapes run first in a boot took up
# to 1.6 times as long at 1 MiB as with the memory touched first
# (docs/PERFORMANCE.md, "Warm-up"), whichever driver it was. A tmpfs
# file of most of MemAvailable, written and removed, touches it; the
# pages go back to the free lists the drivers then allocate from.
warm() {
	local dir=$tmp/warm kib t0 t1
	kib=$(awk '/^MemAvailable:/ { print int($2 * 0.85) }' /proc/meminfo)
	mkdir -p "$dir" && mount -t tmpfs -o "size=${kib}k" warm "$dir" || return 0
	t0=$(date +%s%N)
	dd if=/dev/zero of="$dir/fill" bs=1M count=$((kib / 1024)) status=none
	t1=$(date +%s%N)
	umount "$dir"
	echo "warm: touched $((kib / 1024)) MiB of guest memory in $(((t1 - t0) / 1000000)) ms"
	emit warm "{\"mib\":$((kib / 1024)),\"ms\":$(((t1 - t0) / 1000000))}"
}

# allocations per steady-state invoke: null, and echoes of user memory
allocs_all() {
	allocs allocs
	allocs allocs_4k 4096
	allocs allocs_64k 65536
}

machine() {
	emit settings "{\"calls\":$n,\"compare_rounds\":$compare_rounds,\"threads\":$(jstr "$threads"),\"rounds\":$rounds,\"rounds_smp\":$rounds_smp,\"overhead_calls\":$overhead_n,\"stat_calls\":$stat_n,\"floor_rounds\":$floor_n}"
	emit machine "{\"kernel\":$(jstr "$(uname -r)"),\"nproc\":$(nproc),\"cpu\":$(jstr "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)")}"
}

# no leak scan when the command ends (init.sh): seconds of the test
# kernel's boot for nothing measured, and the bench kernel has no kmemleak
: >/run/fastrpc-kmemleak-scanned

case "${1:-}" in
bench)
	ours=${2:?usage: guest.sh bench OURS_KO INTREE_KO...}
	shift 2
	machine
	warm
	events_off
	floor floor
	bench ours "${workloads[@]}"
	for ((r = 1; r <= 3; r++)); do
		stat_cost "statcost$r"
	done
	overhead_windows win1 1 "$rounds"
	overhead_windows "win$(nproc)" "$(nproc)" "$rounds_smp"
	for ((r = 1; r <= 3; r++)); do
		stat_progs "stat$r"
	done
	# the two drivers in turn, compare_rounds times: in-tree, ours
	for ((r = 1; r <= compare_rounds; r++)); do
		suffix=$( ((r == 1)) || echo "$r")
		if load "$@"; then
			# mem and process (no target) once
			if ((r == 1)); then
				bench intree "${workloads[@]}"
			else
				bench "intree$suffix" null threads shapes
			fi
		else
			emit "intree$suffix.load" "{\"error\":$(jstr "the in-tree driver did not load")}"
		fi
		if load "$ours"; then
			events_off
			bench "ours$((r + 1))" null threads shapes
		else
			emit "ours$((r + 1)).load" "{\"error\":$(jstr "our driver did not load again")}"
		fi
	done
	allocs_all
	floor floor2
	;;
test)
	machine
	warm
	floor floor
	bench test null
	allocs_all
	;;
*)
	echo "usage: guest.sh bench OURS_KO INTREE_KO... | guest.sh test" >&2
	exit 2 ;;
esac
