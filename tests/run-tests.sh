#!/bin/bash
# The test suite: the host-side harness self-tests (tests/host, each test
# boots its own guest) and every tests/[0-9]*.bats file inside guests with
# our modules loaded.
#
#   run-tests.sh KDIR [FILE...]     FILEs: guest bats files (default: all)
#
# The work is dealt to lanes, one per host CPU (FASTRPC_CHECK_LANES): each
# lane is one guest running its files in one bats run
# (tests/vm/guest-suite.sh). Files are dealt longest first to the lane with the least work, by the times in
# tests/timings.txt (`make timings` rewrites it from the last run).
#
# The lanes' guests have one vCPU each (FASTRPC_CHECK_CPUS): two guests
# of two vCPUs each on the two host CPUs ran the same work 2.0-2.1 times
# slower than two guests of one (a vCPU the host preempts stalls the
# other in IPIs, TLB shootdowns and spinlocks; [6/11], measured). The
# files tagged `# bats file_tags=smp` (the concurrency tests) run last,
# in one guest of two vCPUs (FASTRPC_CHECK_SMP_CPUS), with only the host
# suite beside it at SCHED_IDLE (run_host_beside; without an SMP guest
# the host suite runs first in lane 0). Started beside a running lane
# (three vCPU threads on two CPUs), the SMP guest slowed the lane's BPF
# tests 2-3 times and its own files 1.5 times; booted with them but with
# one CPU online until they came (maxcpus=1, then CPU hotplug), it ran
# the other files slower than a guest of one vCPU ([6/11], measured).
#
# bats' preprocessing of each file (twice per file, about 3 s each time
# in the guest) is done here, at native speed (tests/vm/bashenv.sh).
#
# Results stream as they come, prefixed with their lane. A guest that dies
# shows its last console lines at once. At the end: the slowest tests,
# the phase times, and "N passed, N failed": every test of a plan that
# never reported counts as failed and is named, and a skip counts as
# failed unless tests/skips.allow names it with a reason.
#
# FASTRPC_GUEST_ENV="VAR=value ..." sets variables for the guest's suite
# (make stress: FASTRPC_SOAK=1). FASTRPC_CHECK_TAG=T runs only the tests
# tagged T (bats --filter-tags; files with none are left out);
# FASTRPC_DRIVER_KOS="a.ko b.ko" loads those modules after the vdsp's
# instead of our driver; FASTRPC_CHECK_SPLATS=0 reports kernel splats
# without failing the guest for them (make conformance does all three:
# tests/conformance/run.sh). FASTRPC_SIDE=DIR (tests/check.sh): jobs
# running beside the suite, each writing DIR/NAME.log and at its end
# NAME.rc; the suite waits for them at its end and counts each that
# failed. Results stay in FASTRPC_CHECK_OUT
# (default build/check/: TAP, console logs) for `make timings` and for a
# look after a failure.
set -uo pipefail

kdir=${1:?usage: run-tests.sh KDIR [FILE...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

out=${FASTRPC_CHECK_OUT:-$top/build/check}
rm -rf "$out"
mkdir -p "$out"

# only this run waits for make check's side jobs, not the run-tests.sh
# that a host test starts
side_dir=${FASTRPC_SIDE:-}
unset FASTRPC_SIDE

files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/[0-9]*.bats)
host=${FASTRPC_CHECK_HOST:-1}
lanes=${FASTRPC_CHECK_LANES:-$(nproc)}
[ "$lanes" -ge 1 ] || lanes=1
timeout=${FASTRPC_CHECK_TIMEOUT:-1800}
lane_cpus=${FASTRPC_CHECK_CPUS:-1}
smp_cpus=${FASTRPC_CHECK_SMP_CPUS:-2}
# 512 MiB: kmemleak scans the struct pages of all of it, each scan about
# 8 s at 1 GiB and 5 s at 512 MiB; the stress and lifetime files left
# 250 MiB of 360 available at their peak ([6/11], measured)
mem=${FASTRPC_CHECK_MEM:-512M}

tag=${FASTRPC_CHECK_TAG:-}
# shellcheck source=tests/vm/plan.bash
. "$top/tests/vm/plan.bash"
if [ -n "$tag" ]; then
	tagged=()
	for f in "${files[@]}"; do
		[ -n "$(bats_plan "$f" "$tag")" ] && tagged+=("$f")
	done
	files=(${tagged[@]+"${tagged[@]}"})
fi

# The modules every guest loads, in order: the vdsp's, then the driver's.
modules=()
# vdsp_smmu first: vdsp.ko uses it (the SMMU stays loaded for the whole run)
for ko in kernel/vdsp/vdsp_smmu.ko kernel/vdsp/vdsp.ko \
	${FASTRPC_DRIVER_KOS:-kernel/fastrpc/fastrpc.ko}; do
	[ -f "$ko" ] && modules+=(-m "$ko")
done
splat_check=()
[ "${FASTRPC_CHECK_SPLATS:-1}" = 0 ] && splat_check=(--no-splat-check)

now() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
secs() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
t_start=$(now)

# --- dealing the files to lanes -------------------------------------------

# Measured seconds of each file (and of the host suite, "host"); a file
# not measured yet counts as 60 s.
declare -A cost
while read -r s f; do
	[[ $s =~ ^[0-9]+$ ]] && cost[$f]=$s
done <tests/timings.txt 2>/dev/null

# is_smp FILE: FILE is tagged for the guest of two vCPUs
is_smp() {
	grep -qE '^# bats file_tags=(.*,)? *smp *(,.*)?$' "$1"
}

smp_files=()
lane_files=()
for f in "${files[@]}"; do
	if is_smp "$f"; then smp_files+=("$f"); else lane_files+=("$f"); fi
done

# The guests: 0 .. lanes-1 one per lane, then (if any file asks for it)
# the SMP one, after them.
declare -a load plan cpus
for ((i = 0; i < lanes; i++)); do
	load[i]=0
	plan[i]=
	cpus[i]=$lane_cpus
done
guests=$lanes

# least_loaded: the lane with the least work so far, into $best
least_loaded() {
	best=0
	for ((i = 1; i < lanes; i++)); do
		[ "${load[i]}" -lt "${load[best]}" ] && best=$i
	done
}

if [ ${#smp_files[@]} -gt 0 ]; then
	smp_guest=$lanes
	guests=$((lanes + 1))
	plan[smp_guest]=" ${smp_files[*]}"
	cpus[smp_guest]=$smp_cpus
fi
# The host suite runs beside the SMP guest if there is one (see
# run_host_suite), else first in lane 0.
host_beside=
if [ "$host" = 1 ]; then
	if [ -n "${smp_guest:-}" ]; then
		host_beside=1
	else
		load[0]=${cost[host]:-300}
	fi
fi

mapfile -t sorted < <(for f in ${lane_files[@]+"${lane_files[@]}"}; do
	echo "${cost[$f]:-60} $f"
done | sort -rn -k1,1 | cut -d' ' -f2)

for f in ${sorted[@]+"${sorted[@]}"}; do
	least_loaded
	plan[best]+=" $f"
	load[best]=$((load[best] + ${cost[$f]:-60}))
done

# bats' preprocessing of every file the guests run, at native speed here
# (tests/vm/bashenv.sh's bats-preprocess reads it there)
preprocess_for_guests() {
	local root f abs

	root=$(readlink -f "$(command -v bats)") || return 0
	root=${root%/bin/bats}
	[ -x "$root/libexec/bats-core/bats-preprocess" ] || return 0
	mkdir -p "$out/bats-pp"
	for f in "${files[@]}" tests/vm/health.bats; do
		abs=$top/$f
		CHECK_BATS_COMMENT_COMMANDS=1 BATS_ROOT=$root \
			"$root/libexec/bats-core/bats-preprocess" "$abs" \
			>"$out/bats-pp/${abs//\//%}" 2>/dev/null ||
			rm -f "$out/bats-pp/${abs//\//%}"
	done
}
preprocess_for_guests

# --- running the lanes ------------------------------------------------------

# live PREFIX: TAP lines of a console stream, prefixed, as they come
# (a shell loop: mawk would wait for a whole block of input)
live() {
	local line

	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"ok "* | "not ok "* | "# file-done "* | "# (in test file"*)
			echo "$1 $line" ;;
		esac
	done
}

# run_guest I: guest I runs its plan's files in one bats run
run_guest() {
	local i=$1 rc
	local -a mine

	read -ra mine <<<"${plan[i]}"
	[ ${#mine[@]} -gt 0 ] || return 0
	: >"$out/guest.$i.tap"
	"$top/tests/vm/run.sh" -k "$kdir" -t "$timeout" --smp "${cpus[i]}" --mem "$mem" "${modules[@]}" \
		${splat_check[@]+"${splat_check[@]}"} \
		-l "$out/console.$i.log" -o "$out/guest.$i.tap" -- \
		FASTRPC_BATS_PP="$out/bats-pp" FASTRPC_BATS_TAG="$tag" ${FASTRPC_GUEST_ENV:-} \
		tests/vm/guest-suite.sh "${mine[@]}" \
		2>"$out/run.$i.err" | live "[g$i]"
	rc=${PIPESTATUS[0]}
	echo "$rc" >"$out/rc.$i"
	if [ "$rc" != 0 ]; then
		{
			echo "[g$i] guest failed with status $rc:"
			grep -v '^run.sh: waiting' "$out/run.$i.err" | sed "s/^/[g$i] /"
			echo "[g$i] its last console lines ($out/console.$i.log):"
			tail -n 25 "$out/console.$i.log" | tr -d '\r' | sed "s/^/[g$i]   /"
		} >&2
	fi
}

# run_host_suite: tests/host, each file in its own bats run; its guests
# have one vCPU, as the lanes'
run_host_suite() {
	local t0 f

	t0=$(now)
	for f in tests/host/*.bats; do
		echo "# file $f"
		FASTRPC_VM_SMP=$lane_cpus FASTRPC_KDIR=$kdir bats --tap --timing "$f" 2>&1
	done | sed -uE 's/^((not )?ok [0-9]+ .*) in ([0-9]+)ms$/\1 # in \3 ms/' | tee "$out/host.tap" | live "[host]"
	echo "$(($(now) - t0))" >"$out/host.ms"
}

# run_host_beside: the host suite at SCHED_IDLE, beside the SMP guest. A
# TCG guest of two vCPUs keeps both host CPUs busy only while a test runs
# two things at once; otherwise one idles, and the host suite (its
# builds, its guests of one vCPU) takes it. At SCHED_IDLE it never slows
# the concurrency tests, and the lanes are dealt the whole guest work.
run_host_beside() {
	(
		chrt --idle -p 0 "$BASHPID" >/dev/null
		run_host_suite
	) &
	host_pid=$!
}

# run_lane I: lane I's work in order: the host suite (lane 0, when it does
# not run beside the SMP guest), its guest
run_lane() {
	local i=$1

	[ "$i" = 0 ] && [ "$host" = 1 ] && [ -z "$host_beside" ] && run_host_suite
	run_guest "$i"
}

host_where=
if [ "$host" = 1 ]; then
	host_where=", host suite first in lane 0"
	[ -n "$host_beside" ] && host_where=", host suite beside g$smp_guest (SCHED_IDLE)"
fi
echo "== suite: ${#files[@]} guest files in $lanes lane(s)$host_where"
for ((i = 0; i < lanes; i++)); do
	echo "   lane $i (~${load[i]} s, $lane_cpus vCPU):${plan[i]:- nothing}"
done
[ -n "${smp_guest:-}" ] &&
	echo "   then g$smp_guest ($smp_cpus vCPUs):${plan[smp_guest]}"
# Each lane is one guest at a time: as many guest slots as lanes.
export FASTRPC_VM_SLOTS=${FASTRPC_VM_SLOTS:-$lanes}
pids=()
for ((i = 0; i < lanes; i++)); do
	run_lane "$i" &
	pids+=($!)
done
wait "${pids[@]}"
host_pid=
[ -n "$host_beside" ] && run_host_beside
[ -n "${smp_guest:-}" ] && run_guest "$smp_guest"
[ -n "$host_pid" ] && wait "$host_pid"
t_suite=$(($(now) - t_start))

# --- side jobs ----------------------------------------------------------------

# wait_side: each side job's end (at most the guests' timeout), its time
# among the phases; one that failed shows its last lines and counts
side_failures=()
wait_side() {
	local log name rc ms t0 i

	[ -n "$side_dir" ] || return 0
	t0=$(now)
	for log in "$side_dir"/*.log; do
		[ -e "$log" ] || continue
		name=$(basename "$log" .log)
		i=0
		while [ ! -e "$side_dir/$name.rc" ] && [ "$i" -lt "$timeout" ]; do
			sleep 1
			i=$((i + 1))
		done
		rc=$(cat "$side_dir/$name.rc" 2>/dev/null || echo "124 (not done after ${timeout} s)")
		ms=$(cat "$side_dir/$name.ms" 2>/dev/null || echo 0)
		[ -n "${FASTRPC_PHASES:-}" ] &&
			printf '   phase %-6s %4d.%d s (beside the suite, status %s)\n' \
				"$name" $((ms / 1000)) $((ms % 1000 / 100)) "$rc" >>"$FASTRPC_PHASES"
		[ "$rc" = 0 ] && continue
		side_failures+=("$name failed (status $rc): $log")
		echo "== $name failed (status $rc); its last lines:"
		tail -n 30 "$log" | sed 's/^/   /'
	done
	t0=$(($(now) - t0))
	echo "   side jobs: waited $(secs "$t0") for them after the suite" >>"${FASTRPC_PHASES:-/dev/null}"
}
wait_side

# --- counting -----------------------------------------------------------------

passed=0 failed=0 skipped=0
failures=()

# allowed_skip NAME: tests/skips.allow names this test (lines "name<TAB>why")
allowed_skip() {
	local name why
	while IFS=$'\t' read -r name why; do
		[[ -z $name || $name = '#'* ]] && continue
		[ "$name" = "$1" ] && [ -n "$why" ] && return 0
	done <tests/skips.allow 2>/dev/null
	return 1
}

# test_names FILE: the names of FILE's tests that run, in order (the guest
# counts them alike: both use tests/vm/plan.bash; this side names the
# tests of a file whose section never came)
test_names() {
	bats_plan "$1" "$tag"
}

# count_tap WHO TAP: results of one TAP stream; each "# file F" section's
# plan checked against what it reported
count_tap() {
	local who=$1 tap=$2 line file= planned=0 seen=0 name
	local -a names

	flush_file() {
		[ -n "$file" ] || return 0
		if [ "$seen" -lt "$planned" ]; then
			mapfile -t names < <(test_names "$file")
			for ((k = seen; k < planned; k++)); do
				failures+=("$who $file: never reported: ${names[k]:-test $((k + 1))}")
				failed=$((failed + 1))
			done
		fi
		file=
		planned=0
		seen=0
	}

	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"# file "*) flush_file; file=${line#\# file }; planned=$(test_names "$file" | grep -c '') ;;
		"# file-done "*) flush_file ;;
		1..*) [ -n "$file" ] && planned=${line#1..} ;;
		"ok "*" # skip"*)
			seen=$((seen + 1))
			name=${line#ok * }
			name=${name%% # skip*}
			if allowed_skip "$name"; then
				skipped=$((skipped + 1))
			else
				failures+=("$who $file: skipped, not in tests/skips.allow: ${line#ok }")
				failed=$((failed + 1))
			fi ;;
		"ok "*) seen=$((seen + 1)); passed=$((passed + 1)) ;;
		"not ok "*)
			[[ $line =~ ^not\ ok\ [0-9] ]] && seen=$((seen + 1))
			failures+=("$who ${file:+$file: }${line#not ok }")
			failed=$((failed + 1)) ;;
		esac
	done <"$tap"
	flush_file
}

for f in ${side_failures[@]+"${side_failures[@]}"}; do
	failures+=("$f")
	failed=$((failed + 1))
done
[ "$host" = 1 ] && count_tap "[host]" "$out/host.tap"
for ((i = 0; i < guests; i++)); do
	[ -n "${plan[i]}" ] || continue
	touch "$out/guest.$i.tap"
	# Files of the plan that never started: all their tests are missing.
	for f in ${plan[i]} tests/vm/health.bats; do
		grep -qxF "# file $f" "$out/guest.$i.tap" ||
			echo "# file $f" >>"$out/guest.$i.tap"
	done
	count_tap "[g$i]" "$out/guest.$i.tap"
	rc=$(cat "$out/rc.$i" 2>/dev/null || echo 125)
	if [ "$rc" != 0 ]; then
		failures+=("[g$i] the guest failed as a whole (status $rc: 124 timeout, 125 died, 126 kernel splat); see $out/console.$i.log")
		failed=$((failed + 1))
	fi
done

echo
echo "== slowest tests"
cat "$out"/host.tap "$out"/guest.*.tap 2>/dev/null | tr -d '\r' |
	sed -nE 's/^(not )?ok [0-9]+ (.*) # in ([0-9]+) ms$/\3 \2/p' |
	sort -rn | head -n 10 | while read -r ms name; do
		printf '%10s  %s\n' "$(secs "$ms")" "$name"
	done

echo
echo "== guests"
for ((i = 0; i < guests; i++)); do
	[ -f "$out/console.$i.log" ] || continue
	t=$(grep -ao 'fastrpc-vm: times: .*' "$out/console.$i.log" | tr -d '\r' | tail -n 1)
	echo "   g$i: ${t#fastrpc-vm: times: }"
done
[ -f "$out/host.ms" ] && echo "   host suite: $(secs "$(cat "$out/host.ms")")"
echo "   suite wall time: $(secs "$t_suite")"
[ -n "${FASTRPC_PHASES:-}" ] && [ -f "$FASTRPC_PHASES" ] && cat "$FASTRPC_PHASES"

if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "== failed"
	printf '   %s\n' "${failures[@]}"
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line+=", $skipped skipped"
echo "$line"
[ "$failed" = 0 ]
