#!/bin/bash
# make conformance: the tests tagged `agnostic` (they reach the driver only
# through the UAPI, and look at the DSP side through the vdsp, never at our
# driver's debugfs, fdinfo, parameters or trace events) in a guest that
# loads the in-tree driver (build/conformance/fastrpc.ko, with
# qcom_scm_stub.ko) instead of ours, beside the same vdsp modules as make
# check's guests (tests/run-tests.sh).
#
#   tests/conformance/run.sh KDIR
#
# The in-tree driver is expected to fail exactly the tests that
# docs/CONFORMANCE.md lists under "Expected failures", each with its
# reason, and its kernel splats must each match a row of "Known splats"
# there. The run fails on a new failure, on a listed failure that passes,
# on a test that never reported, on a guest that died, and on a splat that
# no row explains: each is named. FASTRPC_CONFORMANCE_OUT keeps the
# results (default build/conformance/out: TAP, console logs, results);
# FASTRPC_CONFORMANCE_RECHECK=1 runs no guest and checks the results kept
# there against the doc again (after an edit of its tables).
set -uo pipefail

kdir=${1:?usage: run.sh KDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
doc=docs/CONFORMANCE.md
conf=build/conformance
out=${FASTRPC_CONFORMANCE_OUT:-$top/$conf/out}

for ko in "$conf/qcom_scm_stub.ko" "$conf/fastrpc.ko"; do
	[ -f "$ko" ] || { echo "conformance: no $ko (make conformance-build)" >&2; exit 2; }
done

# table_rows HEADING: the cells of the rows of the table under "## HEADING"
# in the doc, one row a line, cells separated by TABs, backquotes and
# the cells' spaces trimmed; header and separator rows left out
table_rows() {
	awk -v h="## $1" '
		/^## / { on = ($0 == h); next }
		on && /^\|/ && !/^\| *-/ {
			n = split($0, c, "|"); row = ""
			for (i = 2; i < n; i++) {
				v = c[i]; gsub(/^ +| +$/, "", v); gsub(/^`|`$/, "", v)
				row = row (i > 2 ? "\t" : "") v
			}
			print row
		}' "$doc" | tail -n +2
}

if [ "${FASTRPC_CONFORMANCE_RECHECK:-0}" = 1 ]; then
	[ -f "$out/run-tests.log" ] || { echo "conformance: nothing to check again in $out" >&2; exit 2; }
	suite_rc=$(cat "$out/suite_rc" 2>/dev/null || echo '?')
else
	FASTRPC_CHECK_TAG=agnostic FASTRPC_CHECK_HOST=0 FASTRPC_CHECK_LANES=1 \
		FASTRPC_CHECK_SPLATS=0 FASTRPC_CHECK_OUT=$out \
		FASTRPC_DRIVER_KOS="$conf/qcom_scm_stub.ko $conf/fastrpc.ko" \
		tests/run-tests.sh "$kdir" tests/[0-9]*.bats >"$out.log" 2>&1
	suite_rc=$?
	# run-tests.sh empties $out as it starts: its own log beside it
	mv "$out.log" "$out/run-tests.log"
	echo "$suite_rc" >"$out/suite_rc"
fi
grep -E '^\[g[0-9]+\] (not )?ok ' "$out/run-tests.log" | sed 's/ # in [0-9]* ms$//'

# --- per test: pass, fail, missing ------------------------------------------

# shellcheck source=tests/vm/plan.bash
. tests/vm/plan.bash
declare -A result
for tap in "$out"/guest.*.tap; do
	[ -f "$tap" ] || continue
	file=
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"# file "*) file=${line#\# file } ;;
		"ok "* | "not ok "*)
			name=${line#not }
			name=${name#ok * }
			name=${name% # in * ms}
			name=${name%% # skip*}
			if [[ $line == "ok "*" # skip"* ]]; then
				result["$file	$name"]=skip
			elif [[ $line == ok* ]]; then
				result["$file	$name"]=pass
			else
				result["$file	$name"]=fail
			fi ;;
		esac
	done <"$tap"
done

declare -A listed found
while IFS=$'\t' read -r f name why; do
	[ -n "$why" ] || { echo "conformance: $doc: a listed failure without a reason: $f $name" >&2; exit 2; }
	listed["tests/$f	$name"]=$why
done < <(table_rows "Expected failures")

passed=0 failed_listed=0
problems=()
: >"$out/results"
for f in tests/[0-9]*.bats tests/vm/health.bats; do
	while IFS= read -r name; do
		key="$f	$name"
		r=${result[$key]:-missing}
		echo "$r	$key" >>"$out/results"
		if [ -n "${listed[$key]+x}" ]; then
			case "$r" in
			fail) failed_listed=$((failed_listed + 1)) ;;
			*) problems+=("listed in $doc, but $r: ${f#tests/}: $name") ;;
			esac
			found[$key]=1
		else
			case "$r" in
			pass) passed=$((passed + 1)) ;;
			*) problems+=("new ($r): ${f#tests/}: $name") ;;
			esac
		fi
	done < <(bats_plan "$f" agnostic)
done
# (not unset: `unset "listed[$key]"` parses the key again, and a test name
# with an apostrophe is then never removed)
for key in "${!listed[@]}"; do
	[ -z "${found[$key]+x}" ] || continue
	problems+=("listed in $doc, but no such agnostic test: ${key/	/: }")
done
for rc in "$out"/rc.*; do
	[ "$(cat "$rc")" = 0 ] ||
		problems+=("guest ${rc##*.} failed as a whole (status $(cat "$rc")): $out/console.${rc##*.}.log")
done
[ -e "$out/rc.0" ] || problems+=("no guest ran ($out/run-tests.log)")

# --- splats: each must be a known upstream defect ---------------------------

mapfile -t known < <(table_rows "Known splats")
declare -A seen
new_splats=0
for log in "$out"/console.*.log; do
	[ -f "$log" ] || continue
	block=()
	classify() {
		local k name head trace why
		[ ${#block[@]} -gt 0 ] || return 0
		for k in "${known[@]}"; do
			IFS=$'\t' read -r name head trace why <<<"$k"
			if grep -qE -- "$head" <<<"${block[0]}" &&
				printf '%s\n' "${block[@]}" | grep -qE -- "$trace"; then
				seen[$name]=$((${seen[$name]:-0} + 1))
				return 0
			fi
		done
		new_splats=$((new_splats + 1))
		problems+=("new kernel splat in ${log##*/}: ${block[0]}")
		{
			echo "== NEW SPLAT (${log##*/}), no row of \"Known splats\" in $doc explains it:"
			printf '%s\n' "${block[@]}"
		} >&2
	}
	while IFS= read -r line; do
		if [ "$line" = ---- ]; then
			classify
			block=()
		else
			block+=("$line")
		fi
	done < <(tests/vm/splat-check.sh "$log" 1000000)
	classify
done

echo
echo "== conformance: the in-tree driver (linux-source-6.12 drivers/misc/fastrpc.c)"
for k in "${known[@]}"; do
	IFS=$'\t' read -r name _ <<<"$k"
	echo "   known upstream splat: $name: ${seen[$name]:-0} time(s)"
done
if [ ${#problems[@]} -gt 0 ]; then
	echo
	echo "== not as $doc says"
	printf '   %s\n' "${problems[@]}"
fi
echo "$passed passed, $failed_listed failed as listed in $doc, ${#problems[@]} unexpected (run-tests.sh: status $suite_rc)"
[ ${#problems[@]} = 0 ]
