# shellcheck shell=bash
# BASH_ENV of the guest (exported by tests/vm/init.sh): every
# non-interactive bash there reads it first, bats' own scripts included.
# bats runs mkdir, rm and date +%s%N for each test, and the suites poll
# with sleep: in the emulated guest each of those is a fork+exec of a
# third of a second (tests/vm/exec-cost.sh). Here they become builtins,
# loaded from bash-builtins the first time a shell uses them. The guest's
# bash is static (init.sh's static_shell), which cannot load them: then
# the static busybox runs them, an exec without ld.so's half.
#
# _fastrpc_builtin NAME [FUNC]: FUNC (default NAME) becomes NAME as a
# builtin, else as busybox's, else as the PATH's
_fastrpc_builtin() {
	local fn=${2:-$1} how

	unset -f "$fn"
	if enable -f "/usr/lib/bash/$1" "$1" 2>/dev/null; then
		how=builtin
	elif [ -x /bin/busybox ]; then
		how=/bin/busybox
	else
		how=command
	fi
	[ "$fn" = "$1" ] && [ "$how" != /bin/busybox ] && return 0
	eval "$fn() { $how $1 \"\$@\"; }"
}
# bats runs "mkdir -p DIR" of a DIR that exists before every test: that
# one needs no program at all
mkdir() {
	if [ "$#" = 2 ] && [ "$1" = -p ] && [ -d "$2" ]; then
		return 0
	fi
	_fastrpc_mkdir "$@"
}
_fastrpc_mkdir() { _fastrpc_builtin mkdir _fastrpc_mkdir; _fastrpc_mkdir "$@"; }
rm() { _fastrpc_builtin rm; rm "$@"; }
sleep() { _fastrpc_builtin sleep; sleep "$@"; }
date() {
	if [ "$#" = 1 ] && [ "$1" = +%s%N ]; then
		local t=${EPOCHREALTIME/./}
		echo "${t}000"
	else
		command date "$@"
	fi
}

# bats rewrites each .bats file into bash twice (to count its tests, then
# to run them) in a shell loop of regex matches: about 3 s a file here.
# tests/run-tests.sh does it at native speed on the host for every file
# it deals, one output per file named by its path with / as %, in
# FASTRPC_BATS_PP. A file newer than its output, a filtered run or an
# output missing goes to bats' own.
bats-preprocess() {
	local pp=${FASTRPC_BATS_PP:-} lines

	if [ -n "$pp" ] && [ "$#" = 1 ] && [ -z "${BATS_TEST_FILTER:-}" ]; then
		pp+=/${1//\//%}
		if [ -f "$pp" ] && ! [ "$1" -nt "$pp" ]; then
			mapfile -t lines <"$pp"
			printf '%s\n' "${lines[@]}"
			return 0
		fi
	fi
	command bats-preprocess "$@"
}
