# shellcheck shell=bash
# Assertions on what bats' `run` leaves ($status, $output, $lines), with
# the names, options and meanings of bats-assert, for the part of it this
# suite uses. Ours, in one file, because every test sources its helpers
# again: bats-support and bats-assert are 25 files that took 0.85 s of
# every test in the emulated guest ([6/11]).
#
# Each assertion prints a report to stderr and returns 1 when it fails
# (bats then fails the test at that line), 2 on bad usage.
#
#   assert_success                      status is 0
#   assert_failure [STATUS]             status is not 0 (is STATUS)
#   assert_equal ACTUAL EXPECTED        the two strings are equal
#   assert_output [OPT] [EXPECTED]      output is EXPECTED (non-empty)
#   refute_output [OPT] [UNEXPECTED]    output is not UNEXPECTED (empty)
#   assert_line [-n I] [OPT] EXPECTED   a line (line I) is EXPECTED
#   refute_line [-n I] [OPT] UNEXPECTED no line (not line I) is it
#   fail [MESSAGE]                      fail, saying MESSAGE
#
# OPT: -p/--partial (contains) or -e/--regexp (matches the extended
# regular expression); without either, the whole text must be equal.

# _assert_report TITLE [KEY VALUE]...: a failure's report on stderr;
# a value of several lines goes below its key, indented
_assert_report() {
	local key value line

	printf -- '\n-- %s --\n' "$1"
	shift
	while (($# >= 2)); do
		key=$1 value=$2
		shift 2
		if [[ $value == *$'\n'* ]]; then
			printf '%s:\n' "$key"
			while IFS= read -r line; do
				printf '  %s\n' "$line"
			done <<<"$value"
		else
			printf '%-10s: %s\n' "$key" "$value"
		fi
	done
	printf -- '--\n'
} >&2

# _assert_usage FUNC MESSAGE: a misused assertion, which is a test's bug
_assert_usage() {
	_assert_report "ERROR: $1" problem "$2"
	return 2
}

# _assert_args FUNC ARGS...: parse the options into the caller's mode
# (equal, partial or regexp), index and want; given is 1 when an
# expected value was passed
_assert_args() {
	local fn=$1

	shift
	mode=equal index= want= given=0
	while (($#)); do
		case $1 in
		-p | --partial) mode=partial ;;
		-e | --regexp) mode=regexp ;;
		-n | --index)
			[[ ${2-} =~ ^[0-9]+$ ]] ||
				_assert_usage "$fn" "--index needs a line number, not '${2-}'" || return
			index=$2
			shift ;;
		--)
			shift
			break ;;
		*) break ;; # as bats-assert: the expected value, even "-x"
		esac
		shift
	done
	(($# <= 1)) || _assert_usage "$fn" "more than one expected value: $*" || return
	if (($#)); then
		given=1 want=$1
	fi
	if [[ $mode == regexp ]]; then
		local rc=0
		# 2: the expression does not compile
		[[ '' =~ $want ]] || rc=$?
		((rc != 2)) || _assert_usage "$fn" "invalid regular expression '$want'" || return
	fi
	return 0
}

# _assert_matches TEXT: TEXT is, contains or matches the caller's want
_assert_matches() {
	case $mode in
	equal) [[ $1 == "$want" ]] ;;
	partial) [[ $1 == *"$want"* ]] ;;
	regexp) [[ $1 =~ $want ]] ;;
	esac
}

# _assert_how: the caller's mode as the reports name it
_assert_how() {
	case $mode in
	equal) how=equal key=expected ;;
	partial) how='contain the substring' key=substring ;;
	regexp) how='match the regular expression' key=regexp ;;
	esac
}

fail() {
	(($# == 0)) || printf '%s\n' "$*" >&2
	return 1
}

assert_success() {
	((status == 0)) && return 0
	_assert_report 'command failed' status "$status" output "$output"
	return 1
}

assert_failure() {
	if ((status == 0)); then
		_assert_report 'command succeeded, but it should fail' output "$output"
		return 1
	fi
	(($# == 0)) || ((status == $1)) && return 0
	_assert_report 'command failed as expected, but its status differs' \
		expected "$1" actual "$status" output "$output"
	return 1
}

assert_equal() {
	(($# == 2)) || _assert_usage assert_equal "takes ACTUAL and EXPECTED" || return
	[[ $1 == "$2" ]] && return 0
	_assert_report 'values do not equal' expected "$2" actual "$1"
	return 1
}

# _output_is FUNC SHOULD ARGS...: assert_output (SHOULD 1) and
# refute_output (SHOULD 0); without a value, some output or none
_output_is() {
	local fn=$1 should=$2 mode index want given how key matched=0
	local -a not=("does not" "should not")

	shift 2
	_assert_args "$fn" "$@" || return
	[[ -z $index ]] || _assert_usage "$fn" "--index is for ${fn%_output}_line" || return
	if ((!given)); then
		[[ -n $output ]] && matched=1
		((matched == should)) && return 0
		if ((should)); then
			_assert_report 'no output' status "$status"
		else
			_assert_report 'output is not empty' output "$output"
		fi
		return 1
	fi
	_assert_matches "$output" && matched=1
	((matched == should)) && return 0
	_assert_how
	((should)) || [[ $key != expected ]] || key=unexpected
	_assert_report "output ${not[should ? 0 : 1]} $how" "$key" "$want" output "$output"
	return 1
}

assert_output() {
	_output_is assert_output 1 "$@"
}

refute_output() {
	_output_is refute_output 0 "$@"
}

assert_line() {
	local mode index want given how key line

	_assert_args assert_line "$@" || return
	((given)) || _assert_usage assert_line "no expected line" || return
	_assert_how
	if [[ -n $index ]]; then
		_assert_matches "${lines[index]-}" && return 0
		_assert_report "line $index does not $how" "$key" "$want" \
			"line $index" "${lines[index]-(no such line)}" output "$output"
		return 1
	fi
	for line in ${lines[@]+"${lines[@]}"}; do
		_assert_matches "$line" && return 0
	done
	_assert_report "no line of the output does $how" "$key" "$want" output "$output"
	return 1
}

refute_line() {
	local mode index want given how key i

	_assert_args refute_line "$@" || return
	((given)) || _assert_usage refute_line "no unexpected line" || return
	_assert_how
	[[ $key != expected ]] || key=unexpected
	if [[ -n $index ]]; then
		_assert_matches "${lines[index]-}" || return 0
		_assert_report "line $index should not $how" "$key" "$want" output "$output"
		return 1
	fi
	for ((i = 0; i < ${#lines[@]}; i++)); do
		_assert_matches "${lines[i]}" || continue
		_assert_report "line $i should not $how" "$key" "$want" output "$output"
		return 1
	done
	return 0
}
