# make bench's ratios and targets (tests/bench/bench.sh --report), from
# the runs of its two guest boots: {"bench": {NAME: doc}, "test": {NAME:
# doc}}, each NAME a line "@bench NAME JSON" of tests/bench/guest.sh
# (NAME.WORKLOAD: fastrpcctl -j bench's document for that workload).
#
# Out: {"rows": [...], "unmeasured": [...]}. A row: name, value, unit,
# target (text), met (true, false, or null when not measured) and a note.
# "unmeasured" names each of our figures (or the floor's, or the
# allocation count) that a row needed and did not get: make bench fails
# on those alone. A figure of the in-tree driver it refused leaves its
# row unmet with a note, and is no failure: that is a result.

def nums: map(select(type == "number"));
def mean: nums | if length == 0 then null else add / length end;
def median: nums | sort | length as $n |
	if $n == 0 then null elif $n % 2 == 1 then .[($n - 1) / 2]
	else (.[$n / 2 - 1] + .[$n / 2]) / 2 end;
def r2: if . == null then null else (. * 100 | round) / 100 end;

def msg: if type == "object" then (.message // tostring) else tostring end;

# the error of a run, or of a workload within it, when it has one
def err(doc; key):
	if doc == null then "not run"
	elif doc.error != null then doc.error
	elif doc[key] == null then ((doc.errors // []) | map(msg) | join("; ")
		| if . == "" then "no \(key) in the output" else . end)
	else null end;

def threads_cps(doc; $t): (doc.threads // []) | map(select(.threads == $t)) | .[0].calls_per_s;
def shape_key: "\(.bufs) x \(.bytes) B \(.kind)";

# a row: VALUE against TARGET (TEST says whether it is met); status
# "in-tree refused" when the value is missing for want of the in-tree
# driver's figure alone (INTREE_MISSING), else "not measured"
def row(name; value; unit; target; test; note; intree_missing):
	{name: name, value: value, unit: unit, target: target,
	 met: (if value == null then null else (value | test) end), note: note}
	| .status = (if .met == true then "met" elif .met == false then "not met"
		elif intree_missing then "in-tree refused" else "not measured" end);
def row(name; value; unit; target; test; note): row(name; value; unit; target; test; note; false);
# the in-tree run's reason for a missing figure
def refusal(doc; key): "in-tree: " + (err(doc; key) // ((doc.errors // []) | map(msg) | join("; "))
	| if . == "" then "no such run" else . end);

.bench as $b | .test as $t |

# --- the figures ------------------------------------------------------------
# The runs of one driver's workload: ours, ours2, ours3, ... (the first
# before the overhead rounds, each other one right after an in-tree run);
# intree, intree2, ...
def runs($d; $w): $b | to_entries
	| map(select(.key | test("^" + $d + "[0-9]*\\." + $w + "$")) | .value | select(.error == null));
# A figure compared between the drivers: in each round, ours right after
# the in-tree driver's run (intree and ours2, intree2 and ours3, ...),
# our figure over theirs; the median of the rounds. A run's figures move
# by tens of percent with the host's other work, over tens of seconds: a
# pair ran seconds apart, the rounds over minutes.
def intree_key($r): if $r == 1 then "intree" else "intree\($r)" end;
def compare_rounds: $b | keys | map(capture("^intree(?<r>[0-9]*)\\.null$").r
	| if . == "" then 1 else tonumber end) | sort;
def paired($w; f): [compare_rounds[] as $r |
	($b["\(intree_key($r)).\($w)"] | if . == null or .error != null then null else f end) as $in |
	($b["ours\($r + 1).\($w)"] | if . == null or .error != null then null else f end) as $ours |
	if $in and $ours then $ours / $in else empty end];
def rounds_note($l): if $l == [] then "" else "median of rounds: " + ($l | map(r2 | tostring) | join(", ")) end;
# A floor's round trip: the median of its runs' means (guest.sh floor),
# so that one run stalled by the host's other work does not move it (one
# in ten read 50 times the others, session 19); a run without them, its
# mean. Our null run stays a mean over all its calls: a stall in it can
# only raise the ratio, never flatter it.
def floor_ns: (.run_avg_ns // [] | median) // .avg_ns;
# Null invoke / floor on the bench kernel, paired the same way: each
# floor against our null run next to it in time (floor and ours.null
# before the in-tree rounds, floor2 and the last round's run of ours),
# our mean against the floor's; the row is the mean of the pairs.
def floor_pairs: ((compare_rounds | max) // 0) as $last |
	[[$b.floor, $b["ours.null"]],
	 [$b.floor2, $b[if $last > 0 then "ours\($last + 1).null" else "ours.null" end]]]
	| map(select(.[0] != null and (.[0] | floor_ns) != null and .[1] != null and .[1].error == null and .[1].null.mean_ns != null)
		| (.[0] | floor_ns) as $f
		| {ratio: (.[1].null.mean_ns / $f), null: .[1].null.mean_ns, floor: $f});

([$b.floor, $b.floor2] | map(select(. != null) | floor_ns) | mean) as $floor_b |
(runs("ours"; "null") | map(.null.mean_ns) | mean) as $null_b |
paired("null"; .null.p50_ns) as $null_ratios |
(runs("intree"; "null") | map(.null.p50_ns) | median) as $in_null_p50 |
($t.floor | if . == null then null else floor_ns end) as $floor_t |
$t["test.null"].null.mean_ns as $null_t |
$b["intree.null"] as $in_null |
$b["intree.threads"] as $in_thr |
$b["intree.shapes"] as $in_sh |
$t.allocs.per_invoke as $allocs |
$b.allocs.per_invoke as $allocs_b |

# our calls/s per thread count: the median of our runs
def ours_cps($t): runs("ours"; "threads") | map(threads_cps(.; $t)) | median;
def intree_cps($t): runs("intree"; "threads") | map(threads_cps(.; $t)) | median;
# the in-tree runs of the threads workload that have no row for $n
# threads, with what they said (their errors): a round left out
def threads_refused($n): [compare_rounds[] as $r | $b["\(intree_key($r)).threads"]
	| select(. != null and .error == null and threads_cps(.; $n) == null)
	| "in-tree round \($r) refused: " + ((.errors // []) | map(.message // tostring) | join("; "))];
# our shapes, with our p50 (the median of our runs) or our refusal (a
# shape past its inline limit: E2BIG, a row with a message)
def shape_p50s($d): runs($d; "shapes") | map(.shapes) | add // []
	| group_by(shape_key) | map({key: (.[0] | shape_key), bufs: .[0].bufs,
		bytes: .[0].bytes, kind: .[0].kind, p50: (map(.p50_ns) | median),
		refused: (map(.message // empty) | first)});
def shape_p50($key): (.shapes // []) | map(select(shape_key == $key)) | .[0].p50_ns;
(shape_p50s("ours") | sort_by(.kind != "inline", .bytes, .bufs)) as $shapes |
(shape_p50s("intree") | map({key: .key, value: {p50: .p50, refused: .refused}})
	| from_entries) as $in_shape |

# overhead of a tool, from one caller's windows (guest.sh
# overhead_windows, "@bench winT" for T threads): each block of the tool
# (its label "trace:S"; session 16's "stat:S" too) against the blocks with the events
# off on either side of it ("off:S-1", "off:S+1"), each block's rate the
# median of its windows: 100 * (1 - the tool's / the mean of the two).
# A round is steady when its two blocks without the tool are within 5 %
# of each other: the guest's rate also changes level now and then (for
# tens of seconds at a time, session 16), and a round across such a
# change says nothing about the tool. The row: the median of the steady
# rounds, each in the note with the rounds left out; of all rounds, and
# said so, when none was steady.
def win($t): $b["win\($t)"];
def block_cps($d; $lbl): [$d.windows[] | select(.label == $lbl) | .calls_per_s] | median;
def tool_seqs($d; $k): [$d.windows[] | .label | select(startswith($k + ":")) | ltrimstr($k + ":") | tonumber] | unique;
def losses($k; $t): win($t) as $d |
	if $d.windows == null then [] else
	[tool_seqs($d; $k)[] as $s |
		block_cps($d; "\($k):\($s)") as $with |
		block_cps($d; "off:\($s - 1)") as $before |
		block_cps($d; "off:\($s + 1)") as $after |
		if $with and $before and $after and $before > 0 and $after > 0 then
			(($before + $after) / 2) as $off |
			{loss: (100 * (1 - $with / $off)),
			 steady: ((($before - $after) | fabs) <= 0.05 * $off)}
		else empty end] end;
def loss_row(name; $k; $t; $target):
	losses($k; $t) as $all |
	($all | map(select(.steady) | .loss)) as $steady |
	($all | map(select(.steady | not) | .loss)) as $left |
	(if $steady != [] then $steady else $all | map(.loss) end) as $l |
	row(name; $l | median | r2; "%"; "<= \($target)"; . <= $target;
		[if $steady != [] then rounds_note($steady) else empty end,
		 if $steady == [] and $left != [] then "no round steady, all rounds: " + ($left | map(r2 | tostring) | join(", "))
		 elif $left != [] then "unsteady rounds left out: " + ($left | map(r2 | tostring) | join(", "))
		 else empty end,
		 if $l != [] and win($t).pinned then "caller and vdsp pinned apart" else empty end] | join("; "));
# the same with a thread per vCPU, unpinned: no target. There the
# guest's rate depends on how often a vCPU idles and has to be woken
# for an answer, and a tool that keeps one busy (trace's reader, stat's
# loading) speeds the calls up by more than it costs (docs/PERFORMANCE.md,
# sessions 16 and 17): the figure is shown, not judged.
def loss_info_row(name; $k; $t):
	loss_row(name; $k; $t; 0) | .target = "-" | .met = null
	| .status = (if .value == null then "not measured" else "no target" end)
	| .note = ([.note | select(. != "")] + ["unpinned"] | join("; "));
# stat's cost (guest.sh stat_cost, "@bench statcostN": fastrpcctl bench
# stat, its programs attached and detached in turn every COUNT calls of
# one pinned caller): every round of every run pooled, the median
def statcost_docs: [$b | to_entries[] | select(.key | test("^statcost[0-9]+$")) | .value];
def stat_runs: statcost_docs | map(select(.error == null and .round_loss_pct != null));
def stat_cost_row: stat_runs as $sr | [$sr[].round_loss_pct[]] as $l |
	row("stat attached: throughput lost, 1 thread"; $l | median | r2; "%"; "<= 3"; . <= 3;
		if $l == [] then "" else
		"median of \($l | length) rounds in \($sr | length) runs of bench stat (each run's: \($sr | map(.loss_pct | r2 | tostring) | join(", "))); caller and vdsp pinned apart" end);
def stat_cost_error: statcost_docs | map(.error // empty) | first;
# stat's programs' own time per call (guest.sh prog_time): in each round,
# 100 * the sum of the per-call programs' mean run times / that run's
# mean call time; the median of the rounds. A per-call program ran at
# least once per call (the others, a client's close, ran for the run's
# session, not for its calls).
def call_progs($doc): $doc.progs | map(select(.runs > 0 and .runs >= $doc.calls));
def prog_ns(doc): call_progs(doc) | map(.run_ns / .runs);
def prog_rounds: $b | keys | map(capture("^stat(?<r>[0-9]+)\\.progs$").r | tonumber) | sort;
def prog_pcts: [prog_rounds[] as $r | $b["stat\($r).progs"]
	| select(. != null and (.mean_ns // 0) > 0 and prog_ns(.) != [])
	| 100 * (prog_ns(.) | add) / .mean_ns];
def prog_note: ($b["stat1.progs"] // null) as $d |
	if $d == null then "" else "round 1: " + (call_progs($d) | map("\(.name) \(.run_ns / .runs | round) ns")
		| join(", ")) + " of a \($d.mean_ns / 1000 | round) us call" end;
(($b.machine.nproc // 2)) as $vcpus |

[
	row("null invoke / transport floor, bench kernel";
		floor_pairs | (if . == [] then null else map(.ratio) | mean end) | r2;
		"x"; "<= 1.5"; . <= 1.5;
		floor_pairs | if . == [] then "" else "mean of pairs, the floors at the start and at the end: "
			+ (map("\(.ratio | r2) (mean \(.null | round) ns / floor \(.floor | round) ns)") | join(", "))
			+ "; a floor: the median of its runs' means" end),
	row("null invoke / transport floor, test kernel";
		(if $null_t and $floor_t then $null_t / $floor_t else null end) | r2;
		"x"; "<= 2"; . <= 2;
		if $null_t and $floor_t then "mean \($null_t | round) ns / floor \($floor_t | round) ns (the median of its runs' means)" else "" end),
	row("null invoke p50, ours / in-tree";
		$null_ratios | median | r2;
		"x"; "< 1"; . < 1;
		if $in_null_p50 == null then refusal($in_null; "null") else rounds_note($null_ratios) end;
		$in_null != null and $in_null_p50 == null)
] +
($shapes | map(
	. as $s | $in_shape[$s.key] as $in |
	paired("shapes"; shape_p50($s.key)) as $l |
	row("shape \($s.key) p50, ours / in-tree";
		$l | median | r2;
		"x"; "< 1"; . < 1;
		[if $s.p50 == null and $s.refused then "ours: " + $s.refused else empty end,
		 if $in.p50 == null then (if $in.refused then "in-tree: " + $in.refused else refusal($in_sh; "shapes") end) else empty end,
		 if $l != [] then rounds_note($l) else empty end]
		| join("; ");
		$in_sh != null and $in.p50 == null)
	| if .met == null and $s.p50 == null and $s.refused then .status = "ours refused" else . end
)) +
([8, 64] | map(
	. as $n |
	paired("threads"; threads_cps(.; $n)) as $l |
	row("throughput at \($n) threads, ours / in-tree";
		$l | median | r2;
		"x"; "> 1"; . > 1;
		(if intree_cps($n) == null then [refusal($in_thr; "threads")]
		 else [rounds_note($l)] end) + threads_refused($n) | join("; ");
		$in_thr != null and intree_cps($n) == null)
)) +
[
	row("throughput \($vcpus) threads / 1 thread (ours, \($vcpus) vCPUs)";
		(if ours_cps($vcpus) and ours_cps(1) then ours_cps($vcpus) / ours_cps(1) else null end) | r2;
		"x"; "> 1"; . > 1; ""),
	stat_cost_row,
	(prog_pcts as $l |
	row("stat attached: its programs' time per call, 1 thread"; $l | median | r2; "%"; "-"; null;
		[if $l != [] then rounds_note($l) else empty end, prog_note | select(. != "")] | join("; "))
	| .status = (if .value == null then "not measured" else "no target" end)),
	loss_row("trace streaming: throughput lost, 1 thread"; "trace"; 1; 10),
	loss_info_row("trace streaming: throughput lost, \($vcpus) threads"; "trace"; $vcpus),
	# mem and process: no target, which is faster
	((["mem", "mem_map"], ["mem", "mmap"], ["mem", "alloc"], ["process", "create"], ["process", "attach"])
	as [$w, $op] |
	([$b["ours.\($w)"][$w][$op].p50_ns] | mean) as $ours |
	$b["intree.\($w)"][$w][$op].p50_ns as $in |
	row("\($w) \($op) p50, ours / in-tree";
		(if $ours and $in then $ours / $in else null end) | r2;
		"x"; "-"; null;
		if $ours == null then "ours: " + (err($b["ours.\($w)"]; $w) // "\($op) failed") + "; " else "" end +
		if $in == null then refusal($b["intree.\($w)"]; $w) else "" end;
		$ours != null and $b["intree.\($w)"] != null)
	| .status = (if .value == null then .status elif .value < 1 then "ours faster" else "in-tree faster" end)
	| if $ours == null then .ours_missing = true else . end),
	(["allocs", "null invoke"], ["allocs_4k", "4 KiB echo"], ["allocs_64k", "64 KiB echo"]) as [$k, $what] |
	([$b, "bench"], [$t, "test"]) as [$run, $kernel] |
	row("kernel allocations per \($what), \($kernel) kernel";
		$run[$k].per_invoke | r2; ""; "0"; . < 0.005; ($run[$k].error // ""))
]
| . as $rows |
{
	rows: $rows,
	# what was not measured on our side (the in-tree driver's refusals
	# are results, in their rows' notes)
	unmeasured: (
		[ if $floor_b == null then "bench kernel: transport floor (\(err($b.floor; "avg_ns")))" else empty end,
		  if $null_b == null then "bench kernel: our null invoke (\(err($b["ours.null"]; "null")))" else empty end,
		  if $floor_t == null then "test kernel: transport floor (\(err($t.floor; "avg_ns")))" else empty end,
		  if $null_t == null then "test kernel: our null invoke (\(err($t["test.null"]; "null")))" else empty end,
		  if $allocs == null then "test kernel: allocations per invoke (\($t.allocs.error // "not run"))" else empty end,
		  if $allocs_b == null then "bench kernel: allocations per invoke (\($b.allocs.error // "not run"))" else empty end,
		  (("allocs_4k", "allocs_64k") as $k | ([$b, "bench"], [$t, "test"]) as [$run, $kernel] |
			select($run[$k].per_invoke == null) |
			"\($kernel) kernel: allocations per invoke, \($k) (\($run[$k].error // "not run"))"),
		  if $in_null == null then "bench kernel: the in-tree driver's run (not run)" else empty end,
		  ($rows[] | select(.ours_missing) | .name
			| "bench kernel: our \(sub(" p50, ours / in-tree"; "")) p50"),
		  ($shapes[] | select(.p50 == null and .refused == null) | "bench kernel: our shape \(.key)"),
		  if $shapes == [] then "bench kernel: our shapes (\(err($b["ours.shapes"]; "shapes")))" else empty end,
		  ((8, 64, 1, $vcpus) as $n | select(ours_cps($n) == null) | $n | "bench kernel: our throughput at \(.) threads (\(err($b["ours.threads"]; "threads")))"),
		  if stat_runs == [] then "bench kernel: stat's cost (\(stat_cost_error // "not run"))" else empty end,
		  ((1, $vcpus) as $t | "trace" as $k | select(losses($k; $t) == []) |
			"bench kernel: the calls/s of \($t) thread(s) with \($k) and without (\($b["tool.\($k)"].error // win($t).error // (if win($t) == null then "not run" else "no block measured" end)))")
		] + (
		# any run of ours (or of the floor) that failed as a whole
		[($b | to_entries[] | select(.key | test("^intree\\.(null|threads|shapes|mem|process)$") | not)
			| .kernel = "bench"),
		 ($t | to_entries[] | .kernel = "test")]
		| map(select(.value.error != null)
			| "\(.kernel) kernel: \(.key) failed: \(.value.error)")
		) | unique)
}
