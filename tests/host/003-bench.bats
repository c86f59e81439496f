#!/usr/bin/env bats
# make bench's harness where no guest is needed: the bench kernel's
# fragment and cache key (tests/vm/build-kernel.sh --flavour bench), and
# the report that turns two guests' runs into the table and bench.json
# (tests/bench/bench.sh --report, on made-up runs in fixtures/bench).

load ../test_helper

BK=$TOP/tests/vm/build-kernel.sh

@test "bench kernel: its own cached tree; real options; the debugging off, BTF, BPF and tracing kept" {
	run -0 "$BK" --flavour bench --dir
	bench=$output
	run -0 "$BK" --dir
	test=$output
	[ "$bench" != "$test" ]
	[ "$(dirname "$bench")" = "$(dirname "$test")" ]
	[[ ${bench##*/} == linux-bench-* ]]
	run -1 "$BK" --flavour bench --arch arm64 --dir
	assert_output --partial "x86_64 only"

	# every option the overrides name exists in the kernel's Kconfig
	[ -f "$test/Kconfig" ]
	grep -rhoE --include='Kconfig*' '^[[:space:]]*(menu)?config [A-Za-z0-9_]+' "$test" |
		awk '{ print "CONFIG_" $2 }' | sort -u >"$BATS_TEST_TMPDIR/options"
	grep -oE 'CONFIG_[A-Za-z0-9_]+' "$TOP/tests/kernel-bench.config" | sort -u >"$BATS_TEST_TMPDIR/named"
	[ -s "$BATS_TEST_TMPDIR/named" ]
	run comm -23 "$BATS_TEST_TMPDIR/named" "$BATS_TEST_TMPDIR/options"
	assert_output ""

	# the settings the tree is configured with and verified against: the
	# test kernel's, each override in its place, one line per option
	run -0 "$BK" --flavour bench --settings
	settings=$output
	for opt in KASAN PROVE_LOCKING LOCKDEP DEBUG_KMEMLEAK DMA_API_DEBUG UBSAN \
		DEBUG_OBJECTS DEBUG_ATOMIC_SLEEP DEBUG_LIST FAILSLAB UNWINDER_FRAME_POINTER; do
		assert_line "# CONFIG_$opt is not set"
		refute_line --regexp "^CONFIG_$opt="
	done
	for set in CONFIG_DEBUG_INFO_BTF=y CONFIG_DEBUG_INFO_BTF_MODULES=y CONFIG_BPF_SYSCALL=y \
		CONFIG_BPF_EVENTS=y CONFIG_FTRACE=y CONFIG_DEBUG_FS=y CONFIG_RPMSG_VIRTIO=y \
		CONFIG_IOMMU_SUPPORT=y CONFIG_SMP=y CONFIG_UNWINDER_ORC=y; do
		assert_line "$set"
	done
	[ -z "$(sed -E 's/^# //; s/[= ].*//' <<<"$settings" | sort | uniq -d)" ]
	# and the test kernel's are its fragment's alone
	run -0 "$BK" --settings
	assert_output "$(grep -E '^(CONFIG_|# CONFIG_.* is not set)' "$TOP/tests/kernel.config")"
}

@test "bench kernel key: a comment costs no rebuild, a setting does, and the test kernel's key stays" {
	# a copy of the script and fragments, to edit
	t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/tests/vm"
	cp "$BK" "$t/tests/vm/"
	cp "$TOP"/tests/kernel.config "$TOP"/tests/kernel-bench.config "$t/tests/"
	bk() { "$t/tests/vm/build-kernel.sh" "$@"; }
	bench=$(bk --flavour bench --dir)
	test=$(bk --dir)
	[ "$test" = "$("$BK" --dir)" ]

	echo "# a comment" >>"$t/tests/kernel-bench.config"
	[ "$(bk --flavour bench --dir)" = "$bench" ]
	echo "# CONFIG_DEBUG_SPINLOCK is not set" >>"$t/tests/kernel-bench.config"
	[ "$(bk --flavour bench --dir)" != "$bench" ]
	[ "$(bk --dir)" = "$test" ]
	# a setting of the test kernel's fragment changes both
	bench=$(bk --flavour bench --dir)
	echo "CONFIG_NR_CPUS=4" >>"$t/tests/kernel.config"
	[ "$(bk --flavour bench --dir)" != "$bench" ]
	[ "$(bk --dir)" != "$test" ]
	# the later setting wins, where the option first appeared
	run -0 bk --settings
	assert_line "CONFIG_NR_CPUS=4"
	refute_line "CONFIG_NR_CPUS=8"
}

@test "bench report: each ratio against its target, an in-tree refusal as such, an unmeasured figure of ours fails" {
	d=$BATS_TEST_TMPDIR/run
	cp -r "$TOP/tests/host/fixtures/bench" "$d"
	run -0 "$TOP/tests/bench/bench.sh" --report "$d"
	# each floor against our null run next to it: 260/200, 260/210 (the
	# second floor's median run, not its mean of 388900 with a stalled run)
	assert_line --regexp "^null invoke / transport floor, bench kernel +1\.27x +<= 1\.5x +met +mean of pairs, the floors at the start and at the end: 1\.3 \(mean 260000 ns / floor 200000 ns\), 1\.24 \(mean 260000 ns / floor 210000 ns\); a floor: the median of its runs' means$"
	# a floor without its runs' means: its mean
	assert_line --regexp "^null invoke / transport floor, test kernel +2\.5x +<= 2x +not met +mean 2500000 ns / floor 1000000 ns "
	assert_line --regexp "^shape 1 x 64 B inline p50, ours / in-tree +1\.07x +< 1x +not met"
	assert_line --regexp "^shape 1 x 65536 B fd p50, ours / in-tree +- +< 1x +in-tree refused +in-tree: 1 x 65536 B fd: Invalid argument$"
	# a round whose in-tree run has no such row is left out, and said why
	assert_line --regexp "^throughput at 64 threads, ours / in-tree +0\.9x +> 1x +not met +median of rounds: 0\.9; in-tree round 2 refused: null call 22 of thread 1 of 64: No space left on device$"
	assert_line --regexp "^throughput at 8 threads, ours / in-tree +1\.2x +> 1x +met +median of rounds: 1\.2, 1\.2$"
	assert_line --regexp "^throughput 2 threads / 1 thread \(ours, 2 vCPUs\) +1\.61x +> 1x +met"
	# a figure compared: ours over the in-tree driver's of the run just
	# before, the median of the rounds (intree2's outlier left out)
	assert_line --regexp "^null invoke p50, ours / in-tree +0\.86x +< 1x +met +median of rounds: 0\.87, 0\.48, 0\.86$"
	# stat's cost: every round of the runs of bench stat, pooled
	assert_line --regexp "^stat attached: throughput lost, 1 thread +2\.5% +<= 3% +met +median of 9 rounds in 3 runs of bench stat \(each run's: 2, 4, 2\.5\); caller and vdsp pinned apart$"
	# trace's: one caller's windows, each block of the tool against the
	# blocks with the events off on either side of it (the windows across
	# a change left out; a block the tool never attached for, none); the
	# median of the steady rounds
	assert_line --regexp "^trace streaming: throughput lost, 1 thread +5% +<= 10% +met +median of rounds: 10, 0; caller and vdsp pinned apart$"
	# stat's programs' time: the sum of the per-call ones' mean runs (not
	# round 1's client_close, once) over the call's mean, the median of the
	# rounds (round 3's answers cost nothing)
	assert_line --regexp "^stat attached: its programs' time per call, 1 thread +3\.5% +- +no target +median of rounds: 3\.5, 3\.6, 1; round 1: ctx_complete 300 ns, msg_send 200 ns, msg_response 200 ns of a 20 us call$"
	# with a thread per vCPU, unpinned: shown, not judged
	assert_line --regexp "^trace streaming: throughput lost, 2 threads +15% +- +no target +median of rounds: 15; unpinned$"
	assert_line --regexp "^kernel allocations per null invoke, test kernel +0 +0 +met"
	assert_line --regexp "^kernel allocations per 4 KiB echo, bench kernel +0 +0 +met"
	assert_line --regexp "^kernel allocations per 64 KiB echo, bench kernel +1 +0 +not met"
	refute_output --partial "not measured"
	# every figure kept, with the machine
	run -0 jq -r '[.machine.nproc, .machine.commit != null, .runs.bench["ours.null"].null.p99_ns,
		.runs.test.allocs.per_invoke, (.rows | length), (.unmeasured | length)] | @tsv' "$d/bench.json"
	assert_output "$(nproc)	true	400000	0	23	0"

	# our figure missing (the test kernel's guest died before its null
	# invoke) fails the run and says what; the in-tree's missing does not
	grep -v '^@bench test.null ' "$TOP/tests/host/fixtures/bench/test.out" >"$d/test.out"
	run -1 "$TOP/tests/bench/bench.sh" --report "$d"
	assert_line --regexp "^null invoke / transport floor, test kernel +- +<= 2x +not measured"
	assert_output --partial "== not measured:"
	assert_line "   test kernel: our null invoke (not run)"
	grep -v '^@bench intree\.' "$TOP/tests/host/fixtures/bench/bench.out" >"$d/bench.out"
	cp "$TOP/tests/host/fixtures/bench/test.out" "$d/test.out"
	run -1 "$TOP/tests/bench/bench.sh" --report "$d"
	assert_line "   bench kernel: the in-tree driver's run (not run)"
	# (round 2's in-tree threads ran: 8 threads from it alone)
	assert_line --regexp "^throughput at 8 threads, ours / in-tree +1\.2x +> 1x +met +median of rounds: 1\.2$"
	assert_line --regexp "^throughput at 64 threads, ours / in-tree +- +> 1x +not measured +in-tree: not run; in-tree round 2 refused: null call 22 of thread 1 of 64: No space left on device$"
	refute_output --partial "bench kernel: our mem"

	# a tool that did not attach, and no windows of 2 threads: ours
	grep -v '^@bench win2 ' "$TOP/tests/host/fixtures/bench/bench.out" >"$d/bench.out"
	echo '@bench tool.trace {"error":"fastrpcctl trace did not attach: no BTF"}' >>"$d/bench.out"
	run -1 "$TOP/tests/bench/bench.sh" --report "$d"
	assert_line "   bench kernel: tool.trace failed: fastrpcctl trace did not attach: no BTF"
	assert_line "   bench kernel: the calls/s of 2 thread(s) with trace and without (fastrpcctl trace did not attach: no BTF)"
	assert_line --regexp "^trace streaming: throughput lost, 2 threads +- +- +not measured"

	# no run of bench stat measured: ours, and what the last one said
	grep -v '^@bench statcost' "$TOP/tests/host/fixtures/bench/bench.out" >"$d/bench.out"
	echo '@bench statcost1 {"error":"fastrpcctl bench stat: needs root"}' >>"$d/bench.out"
	run -1 "$TOP/tests/bench/bench.sh" --report "$d"
	assert_line "   bench kernel: stat's cost (fastrpcctl bench stat: needs root)"
	assert_line --regexp "^stat attached: throughput lost, 1 thread +- +<= 3% +not measured"
}
