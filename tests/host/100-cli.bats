#!/usr/bin/env bats
# fastrpcctl without a DSP: command line, help, JSON writer, errors and
# exit statuses, the shell image generator, make install. Nothing here
# needs the driver, so it runs on the host (the host suite of make check):
# the same static binary, without the guest's second per process.

load ../test_helper
load ../cli_helper

@test "cli: help at every level, version, prefixes, the shell image, -d, make install" {
	ctl help
	assert_line --index 0 "usage: fastrpcctl [OPTIONS] COMMAND [ARGS] [OPTIONS]"
	for cmd in sessions list info create invoke alloc mmap bench version help; do
		assert_line --regexp "^  $cmd +[A-Za-z]"
	done
	for cmd in sessions info create invoke alloc mmap bench; do
		ctl "$cmd" help
		assert_line --index 0 --regexp "^usage: fastrpcctl $cmd "
	done
	ctl invoke --help
	assert_line --regexp "^  calculator +sum +2 +INT\.\.\.$"
	assert_line --regexp "^  memtest +fill +3 +VADDR LEN BYTE +\[vdsp\]$"
	assert_line --regexp "^  fault +crash +3 +\[vdsp\]$"
	# below a skel and a method, each named by a prefix
	ctl inv m help
	assert_line --index 0 "usage: fastrpcctl invoke [OPTIONS] memtest METHOD [ARG...]"
	assert_line --regexp "^  checksum +2 +VADDR LEN$"
	ctl invoke calc ma help
	assert_output "usage: fastrpcctl invoke [OPTIONS] calculator max INT..."
	ctl info -h
	assert_line --regexp "^   6 arch_ver +Hexagon architecture version$"

	ctl -V
	assert_output --regexp "^fastrpcctl [0-9a-z.-]+$"
	version=${output#fastrpcctl }
	ctl ver
	assert_output "fastrpcctl $version"
	ctl -p version
	assert_output "{
  \"version\": \"$version\"
}"
	ctl -j version
	assert_output "{\"version\":\"$version\"}"

	f=$BATS_TEST_TMPDIR/shell
	_exec "$CTL" -d create --write-shell "$f"
	assert_equal "$status:$output" "0:wrote a 52-byte Hexagon shell image to $f"
	[[ $stderr == *"fastrpcctl: debug: command: create"* ]]
	# ELF magic, 32-bit, little endian, version 1; e_machine (offset 18) 164
	must od -An -tx1 -w20 -N20 "$f"
	assert_output " 7f 45 4c 46 01 01 01 00 00 00 00 00 00 00 00 00 02 00 a4 00"
	must file -b "$f"
	assert_output --regexp "^ELF 32-bit LSB executable, QUALCOMM DSP6"
	ctl -j cr --wr "$f" --si 8K
	assert_output "{\"shell\":\"$f\",\"size\":8192,\"machine\":164}"
	[ "$(stat -c %s "$f")" = 8192 ]
	fails_with 2 "^fastrpcctl: invalid size '51' \(52\.\.2097152\)$" "$CTL" create --write-shell "$f" --size 51

	local d=$BATS_TEST_TMPDIR/root
	must make -s -C "$TOP/cli" install DESTDIR="$d" PREFIX=/usr
	must "$d/usr/sbin/fastrpcctl" -V
	must man -l "$d/usr/share/man/man8/fastrpcctl.8"
	assert_line --regexp "^ +fastrpcctl - inspect and drive FastRPC sessions"
	# every section a reader looks for, and the date of the source
	assert_line "SEE ALSO"
	assert_line "JSON"
	assert_line --regexp "^ +BPF COMMANDS$"
	assert_line --regexp "^fastrpcctl .* [0-9]{4}-[0-9]{2}-[0-9]{2} +FASTRPCCTL\(8\)$"
	# each command's JSON is described there
	for cmd in sessions info create invoke alloc mmap bench trace stat version; do
		grep -q "^\.B $cmd\$" "$d/usr/share/man/man8/fastrpcctl.8"
	done
	# the completion offers commands, domains, methods and option values,
	# all from the installed binary's own tables (through its help)
	PATH=$d/usr/sbin:$PATH
	. "$d/usr/share/bash-completion/completions/fastrpcctl"
	COMP_WORDS=(fastrpcctl in) COMP_CWORD=1
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "info invoke"
	COMP_WORDS=(fastrpcctl -D c) COMP_CWORD=2
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "cdsp cdsp1"
	COMP_WORDS=(fastrpcctl -D s) COMP_CWORD=2
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "sdsp"
	COMP_WORDS=(fastrpcctl invoke memtest "") COMP_CWORD=3
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "help checksum fill"
	# abbreviated command and skel, as the binary resolves them
	COMP_WORDS=(fastrpcctl inv calc "") COMP_CWORD=3
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "help sum max"
	COMP_WORDS=(fastrpcctl mm --flags "") COMP_CWORD=3
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "add-pages add-pages-llc heap dma-buffer remote-heap"
	# bench's workloads, after an option and its value
	COMP_WORDS=(fastrpcctl bench -n 5 "") COMP_CWORD=4
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "help null threads shapes mem stat process all"
	COMP_WORDS=(fastrpcctl bench -"") COMP_CWORD=2
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "-D --domain -n --count -t --threads"
	COMP_WORDS=(fastrpcctl st -k "") COMP_CWORD=3
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "domain method process"
	COMP_WORDS=(fastrpcctl trace --events "") COMP_CWORD=3
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "invoke map pd dsp all"
	COMP_WORDS=(fastrpcctl top --so) COMP_CWORD=2
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "--sort"
	COMP_WORDS=(fastrpcctl invoke echo copy u) COMP_CWORD=4
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "u8: u16: u32: u64:"
	COMP_WORDS=(fastrpcctl t) COMP_CWORD=1
	_fastrpcctl
	assert_equal "${COMPREPLY[*]}" "trace top"
	# warnings are errors in make check only, never for a packager
	run -0 env -u WERROR make -s -n -B -C "$TOP/cli" build/main.o
	assert_line --regexp " -Wextra .* -c main\.c "
	refute_line --regexp "-Werror.* -c main\.c "
	run -0 make -s -n -B -C "$TOP/cli" WERROR=-Werror build/main.o
	assert_line --regexp " -Werror .* -c main\.c "
}

@test "[9/11] cli: help wherever it is asked for, null in JSON; -j, -p, -d after the command" {
	# help COMMAND is COMMAND help
	for cmd in sessions info create invoke alloc mmap bench trace stat top version; do
		ctl help "$cmd"
		assert_line --index 0 --regexp "^usage: fastrpcctl $cmd"
		help_text=$output
		ctl "$cmd" --help
		assert_equal "$output" "$help_text"
	done
	fails_with 2 "^fastrpcctl: unknown command 'nosuch' " "$CTL" help nosuch
	fails_with 2 "^fastrpcctl: help: unexpected argument 'x'$" "$CTL" help version x
	# after the command's options, and after a method's arguments
	ctl invoke -D cdsp help
	assert_line --index 0 "usage: fastrpcctl invoke [OPTIONS] SKEL METHOD [ARG...]"
	ctl invoke calculator sum --help
	assert_output "usage: fastrpcctl invoke [OPTIONS] calculator sum INT..."
	ctl invoke --repeat 2 calculator sum 1 2 -h
	assert_output "usage: fastrpcctl invoke [OPTIONS] calculator sum INT..."
	ctl sessions -D cdsp --pid 1 -h
	assert_line --index 0 --regexp "^usage: fastrpcctl sessions "
	ctl alloc --size 4096 --help
	assert_line --index 0 --regexp "^usage: fastrpcctl alloc "
	# JSON mode: help is null, as bpftool prints it, at every level
	for args in "help" "help info" "info help" "version -h" "invoke echo help" \
		"invoke calculator sum --help" "sessions --help" "trace -h" \
		"stat -k method help" "top --help"; do
		# shellcheck disable=SC2086
		ctl -j $args
		assert_output "null"
	done
	# global flags after the command, wherever they stand before a --
	ctl version -j
	assert_output --regexp '^\{"version":"[^"]+"\}$'
	ctl version -p
	assert_line --index 0 "{"
	_exec "$CTL" version --debug
	assert_equal "$status" 0
	[[ $stderr == *"fastrpcctl: debug: command: version"* ]]
	json_fails_with 1 "^the fastrpc driver is not loaded " no_driver "$CTL" info -j
	fails_with 2 "^fastrpcctl: version: unexpected argument '--'$" "$CTL" version -- -j
}

@test "cli: bad usage and bad numbers exit 2 with one line on stderr" {
	fails_with 2 "^fastrpcctl: missing command \(try 'fastrpcctl help'\)$" "$CTL"
	fails_with 2 "^fastrpcctl: unknown command 'frobnicate' \(try 'fastrpcctl help'\)$" "$CTL" frobnicate
	fails_with 2 "^fastrpcctl: ambiguous command 'i' \(info, invoke\)$" "$CTL" i
	fails_with 2 "^fastrpcctl: ambiguous attribute 'hvx' \(hvx_support_64b, hvx_support_128b\)$" "$CTL" info hvx
	fails_with 2 "^fastrpcctl: unknown option '--bogus' \(try 'fastrpcctl help'\)$" "$CTL" --bogus version
	fails_with 2 "^fastrpcctl: option '-D' needs a value$" "$CTL" -D
	fails_with 2 "^fastrpcctl: sessions: unknown option '-x' \(try 'fastrpcctl sessions help'\)$" "$CTL" sessions -x
	fails_with 2 "^fastrpcctl: sessions: option '--pid' needs a value$" "$CTL" sessions --pid
	fails_with 2 "^fastrpcctl: create: unexpected argument 'extra'$" "$CTL" create extra
	fails_with 2 "^fastrpcctl: options --attach and --shell conflict$" "$CTL" create --attach --shell /dev/null
	fails_with 2 "^fastrpcctl: alloc: --size or --file is needed$" "$CTL" alloc
	fails_with 2 "^fastrpcctl: options --file and --fill conflict$" "$CTL" alloc --file /dev/null --fill 1
	fails_with 2 "^fastrpcctl: mmap: --size is needed$" "$CTL" mmap
	fails_with 2 "^fastrpcctl: invoke: missing SKEL \(try 'fastrpcctl invoke help'\)$" "$CTL" invoke
	fails_with 2 "^fastrpcctl: invoke: missing METHOD \(try 'fastrpcctl invoke calculator help'\)$" "$CTL" invoke calculator
	fails_with 2 "^fastrpcctl: unknown method 'div' of calculator " "$CTL" invoke calculator div 1
	fails_with 2 "^fastrpcctl: invoke calculator max: expected INT\.\.\.$" "$CTL" invoke calculator max
	fails_with 2 "^fastrpcctl: invoke memtest checksum: expected VADDR LEN$" "$CTL" invoke memtest checksum 1
	# a DSP code is 32 bits, signed or not, in any base
	fails_with 2 "^fastrpcctl: invalid code '0x100000000' \(32 bits\)$" "$CTL" invoke fault retval 0x100000000
	fails_with 2 "^fastrpcctl: invalid code '-2147483649' \(32 bits\)$" "$CTL" invoke fault retval -2147483649
	fails_with 2 "^fastrpcctl: invalid code 'x'$" "$CTL" invoke fault retval x
	fails_with 2 "^fastrpcctl: invalid buffer spec 'f32:1' " "$CTL" invoke --raw echo 2 f32:1
	fails_with 2 "^fastrpcctl: invalid map reference '@0' \(0 --map/--mmap given\)$" \
		"$CTL" invoke memtest checksum @0 16
	fails_with 2 "^fastrpcctl: invalid i32 value '@0' \(@N needs a 64-bit type\)$" \
		"$CTL" invoke --map 4096 --raw memtest 2 i32:@0
	# an unknown domain, wherever it is given
	fails_with 2 "^fastrpcctl: unknown domain 'xdsp' \(adsp, mdsp, sdsp, cdsp, cdsp1\)$" "$CTL" -D xdsp info
	fails_with 2 "^fastrpcctl: ambiguous domain 'cd' \(cdsp, cdsp1\)$" "$CTL" -D cd info
	fails_with 2 "^fastrpcctl: unknown domain 'dsp' " "$CTL" sessions --domain dsp
	fails_with 2 "^fastrpcctl: unknown domain 'xdsp' " "$CTL" invoke -D xdsp calculator sum 1
	fails_with 2 "^fastrpcctl: unknown domain 'xdsp' " "$CTL" alloc --domain xdsp --size 4096

	fails_with 2 "^fastrpcctl: invalid size 'abc'$" "$CTL" alloc --size abc
	fails_with 2 "^fastrpcctl: invalid size '0' \(out of range\)$" "$CTL" alloc --size 0
	fails_with 2 "^fastrpcctl: invalid size '-1'$" "$CTL" mmap --size -1
	fails_with 2 "^fastrpcctl: invalid size '4Q'$" "$CTL" mmap --size 4Q
	fails_with 2 "^fastrpcctl: invalid pid '-5'$" "$CTL" sessions --pid -5
	fails_with 2 "^fastrpcctl: invalid i32 value 'x'$" "$CTL" invoke calculator sum 1 x
	fails_with 2 "^fastrpcctl: invalid i32 value '2147483648' \(out of range\)$" \
		"$CTL" invoke calculator sum 2147483648
	fails_with 2 "^fastrpcctl: invalid u8 value '256' \(out of range\)$" "$CTL" invoke --raw echo 2 u8:256
	fails_with 2 "^fastrpcctl: invalid u32 value '-1'$" "$CTL" invoke --raw echo 2 u32:-1
	fails_with 2 "^fastrpcctl: invalid i32 list '1,,2' \(empty value\)$" "$CTL" invoke --raw echo 2 i32:1,,2
	fails_with 2 "^fastrpcctl: invalid hex 'abc' \(odd number of digits\)$" "$CTL" invoke --raw echo 2 hex:abc
	fails_with 2 "^fastrpcctl: invalid method '32' \(0\.\.31\)$" "$CTL" invoke fault 32
	fails_with 2 "^fastrpcctl: invalid fill '0x100' \(a byte, or 'pattern'\)$" "$CTL" alloc --size 4K --fill 0x100
	fails_with 2 "^fastrpcctl: invalid byte '300'$" "$CTL" invoke memtest fill 0 1 300
	fails_with 2 "^fastrpcctl: invalid attribute '256' \(0\.\.255\)$" "$CTL" info 256
	fails_with 2 "^fastrpcctl: invalid repeat count '0'$" "$CTL" invoke --repeat 0 sleep usleep 1
	fails_with 2 "^fastrpcctl: unknown flags 'big' \(try 'fastrpcctl mmap help'\)$" "$CTL" mmap --size 4K --flags big
	fails_with 2 "^fastrpcctl: echo copy: in-buffer specs only " "$CTL" invoke echo copy str:hi out:str:3
}

@test "[9/11] cli: trace, stat and top check their arguments before loading anything" {
	# abbreviations: 's' keeps meaning sessions; 't' names two commands
	ctl s --help
	assert_line --index 0 --regexp "^usage: fastrpcctl sessions "
	fails_with 2 "^fastrpcctl: ambiguous command 't' \(trace, top\)$" "$CTL" t
	ctl st --help
	assert_line --index 0 "usage: fastrpcctl stat [OPTIONS] [INTERVAL [COUNT]]"
	ctl tr -h
	assert_line --index 0 "usage: fastrpcctl trace [OPTIONS]"
	fails_with 2 "^fastrpcctl: invalid count '0' \(at least 1\)$" "$CTL" trace -c 0
	fails_with 2 "^fastrpcctl: invalid time '0' \(more than 0\)$" "$CTL" trace -t 0
	fails_with 2 "^fastrpcctl: invalid min-latency '5 ms' \(a number, optionally with ns, us, ms or s\)$" \
		"$CTL" trace --min-latency "5 ms"
	fails_with 2 "^fastrpcctl: invalid min-latency '-1' " "$CTL" trace --min-latency -1
	fails_with 2 "^fastrpcctl: invalid event 'maps' \(invoke, map, pd, dsp, all\)$" "$CTL" trace --events invoke,maps
	fails_with 2 "^fastrpcctl: invalid pid '0'$" "$CTL" trace --pid 0
	fails_with 2 "^fastrpcctl: invalid comm 'abcdefghijklmnopq' \(1 to 15 characters\)$" \
		"$CTL" stat --comm abcdefghijklmnopq
	fails_with 2 "^fastrpcctl: invalid handle 'x'$" "$CTL" stat --handle x
	fails_with 2 "^fastrpcctl: unknown domain 'xdsp' " "$CTL" stat -D xdsp
	fails_with 2 "^fastrpcctl: invalid key 'pid' \(domain, method, process\)$" "$CTL" stat -k pid
	fails_with 2 "^fastrpcctl: invalid interval '0' \(more than 0\)$" "$CTL" stat 0
	fails_with 2 "^fastrpcctl: invalid count '0' \(at least 1\)$" "$CTL" stat 1 0
	fails_with 2 "^fastrpcctl: stat: unexpected argument '3'$" "$CTL" stat 1 2 3
	fails_with 2 "^fastrpcctl: trace: unexpected argument 'x'$" "$CTL" trace x
	fails_with 2 "^fastrpcctl: invalid interval '1ms' \(at least 10ms\)$" "$CTL" top -i 1ms
	fails_with 2 "^fastrpcctl: invalid sort key 'size' \(calls, latency, errors, memory, pid\)$" "$CTL" top -s size
	json_fails_with 2 "^top: no JSON output \(use 'stat -j INTERVAL'\)$" "$CTL" top -j
	# the cross build has no BPF, and says so
	if [ -x "$TOP/cli/build-arm64/fastrpcctl" ] && command -v qemu-aarch64-static >/dev/null; then
		fails_with 1 "^fastrpcctl: trace: this fastrpcctl was built without BPF support \(BPF=0\)$" \
			qemu-aarch64-static "$TOP/cli/build-arm64/fastrpcctl" trace
	fi
}

@test "cli: a missing file or device node exits 1 and names it" {
	local f=$BATS_TEST_TMPDIR/nonexistent
	# files are read before any device is opened: the same with or without a driver
	fails_with 1 "^fastrpcctl: cannot read $f: No such file or directory$" "$CTL" alloc --file "$f"
	fails_with 1 "^fastrpcctl: cannot read $f: No such file or directory$" "$CTL" create --shell "$f"
	fails_with 1 "^fastrpcctl: cannot read $f: No such file or directory$" "$CTL" invoke echo copy "file:$f"
	fails_with 1 "^fastrpcctl: cannot write /nonexistent-dir/s: No such file or directory$" \
		"$CTL" create --write-shell /nonexistent-dir/s
	# without the driver every DSP command says so, in the same words: no
	# nodes in /dev, no fastrpc module, no debugfs (empty mounts in a mount
	# namespace of their own, so this runs the same in the guest with the
	# driver)
	local none="the fastrpc driver is not loaded \(no /dev/fastrpc-\* nodes\)"
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" info
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" info -D adsp --secure
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" -D mdsp create
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" alloc --size 4K
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" mmap --size 4K
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" invoke calculator sum 1
	# (an empty integer list once crashed the parser, which runs first)
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" invoke -D adsp --secure calculator sum
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" sessions -D cdsp
	fails_with 1 "^fastrpcctl: $none$" no_driver "$CTL" sessions
	json_fails_with 1 "^$none$" no_driver "$CTL" -j info -D sdsp
	json_fails_with 1 "^$none$" no_driver "$CTL" -j list
}

@test "cli: JSON mode: errors are one {\"error\"} on stdout; strings are escaped" {
	json_fails_with 2 "^missing command " "$CTL" -j
	json_fails_with 2 "^unknown domain 'xdsp' \(adsp, mdsp, sdsp, cdsp, cdsp1\)$" "$CTL" -p -D xdsp info
	json_fails_with 2 "^create: unknown option '--bogus' " "$CTL" -j create --bogus
	json_fails_with 1 "^cannot read /nonexistent: No such file or directory$" "$CTL" -j alloc --file /nonexistent
	json_fails_with 1 "^the fastrpc driver is not loaded \(no /dev/fastrpc-\* nodes\)$" \
		no_driver "$CTL" -j info -D adsp --secure
	# the offending text comes back inside the message: quotes, backslash,
	# controls, and bytes that are not UTF-8 (U+FFFD) next to some that are
	ctl -2 -j info $'a"b\\c\td\x01e\xff\xc3\xa9'
	assert_output '{"error":"unknown attribute '"'"'a\"b\\c\td\u0001e\ufffdé'"'"' (try '"'"'fastrpcctl info help'"'"')"}'
	jq_is .error "unknown attribute 'a\"b\\c	d"$'\x01'"e"$'\xef\xbf\xbd'"é' (try 'fastrpcctl info help')"
}
