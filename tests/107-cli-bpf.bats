#!/usr/bin/env bats
# fastrpcctl trace, stat and top: the BPF programs of bpf/ attached to the
# fastrpc events, as a user sees them: the live stream's records for real
# calls, maps and DSP restarts, the filters applied in the kernel, the
# aggregated histograms and counters, top in a terminal (tmux), and the
# clear one-line errors when BPF cannot be used; nothing stays loaded after
# the tools exit, however they end.

load test_helper
load cli_helper

setup() {
	need_driver
	T=$BATS_TEST_TMPDIR
}

teardown() {
	local p
	for p in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	BG_PIDS=()
	tmux kill-server 2>/dev/null
	kill_holds
	return 0
}
BG_PIDS=()

# bpf_launch NAME ARGS...: fastrpcctl -d ARGS in the background, stdout in
# $T/NAME, stderr in $T/NAME.err, its pid in BG (and BG_PIDS); bpf_attached
# waits for it. BPF_PREFIX, if set, is the command that runs fastrpcctl. Tools launched together load at once: what their starts
# wait on (RCU, the disk) overlaps.
bpf_launch() {
	local name=$1
	shift
	# there before the background shell gets to open it: the loop reads it
	: >"$T/$name.err"
	${BPF_PREFIX[@]+"${BPF_PREFIX[@]}"} "$CTL" -d "$@" >"$T/$name" 2>>"$T/$name.err" 3>&- &
	BG=$!
	BG_PIDS+=("$BG")
	BG_NAMES[BG]=$name
}
BG_NAMES=()
BPF_PREFIX=()

# bpf_attached PID...: until each launched tool has its programs attached
# (the -d line "...: attached")
bpf_attached() {
	local pid name i line gone
	for pid; do
		name=${BG_NAMES[pid]}
		debug_trap_off
		for ((i = 0; i < 600; i++)); do
			# gone before the read: a tool that attached and ended
			# since is not missed
			gone=
			kill -0 "$pid" 2>/dev/null || gone=1
			while IFS= read -r line; do
				[[ $line == *": attached" ]] && break 2
			done <"$T/$name.err"
			[ -z "$gone" ] || break
			sleep 0.2
		done
		debug_trap_on
		[[ $line == *": attached" ]] && continue
		echo "fastrpcctl ($name) never attached:" >&2
		cat "$T/$name" "$T/$name.err" >&2
		return 1
	done
}

# bpf_start NAME ARGS...: bpf_launch, and returns once attached
bpf_start() {
	bpf_launch "$@"
	bpf_attached "$BG"
}

# wait_lines FILE N: until FILE has N lines (a reporter's intervals)
wait_lines() {
	local i got
	debug_trap_off
	for ((i = 0; i < 600; i++)); do
		mapfile -t got <"$1"
		[ "${#got[@]}" -ge "$2" ] && break
		sleep 0.2
	done
	debug_trap_on
	[ "${#got[@]}" -ge "$2" ] || { echo "$1: ${#got[@]} lines, want $2" >&2; return 1; }
}

# file_wait FILE REGEX: until a line of FILE matches REGEX (extended, 60 s)
file_wait() {
	local i
	debug_trap_off
	for ((i = 0; i < 300; i++)); do
		grep -qE "$2" "$1" && break
		sleep 0.2
	done
	debug_trap_on
	grep -qE "$2" "$1" || { echo "$1: no line matches $2" >&2; return 1; }
}

# exit_wait PID: until the tool PID has ended by itself (60 s)
exit_wait() {
	local i
	debug_trap_off
	for ((i = 0; i < 600; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	debug_trap_on
	if kill -0 "$1" 2>/dev/null; then
		echo "${BG_NAMES[$1]} (pid $1) did not end by itself" >&2
		return 1
	fi
}

# pending_wait DOMAIN N: until the driver has N calls in flight on DOMAIN
# (its debugfs channel line)
pending_wait() {
	file_wait "/sys/kernel/debug/fastrpc/$1" "^channel domain=$1 .* pending=$2 "
}

# bpf_stop [-SIGNAL] PID...: signal them all (default INT), then each
# must exit 0
bpf_stop() {
	local sig=-INT pid
	if [[ $1 == -* ]]; then
		sig=$1
		shift
	fi
	kill "$sig" "$@"
	for pid; do
		wait "$pid"
	done
}

# Names of our programs and maps as bpftool shows them: "name NAME"
FRPC_PROGS=' name (ctx_complete|msg_send|map_import|buf_alloc) '
FRPC_MAPS=' name (hist_domain|hist_method|procs|domains|flight|owners|sent|events) '

# bpf_show: what bpftool prog show, then map show, list, in $T/shown (one
# bpftool run: each costs more than a second in the guest). No name is
# both a program's and a map's above.
bpf_show() {
	printf 'prog show\nmap show\n' >"$T/show.cmds"
	bpftool batch file "$T/show.cmds" >"$T/shown"
}

# no_fastrpc_progs: no BPF program or map of ours is loaded any more
no_fastrpc_progs() {
	bpf_show
	! grep -E "$FRPC_PROGS" "$T/shown" && ! grep -E "$FRPC_MAPS" "$T/shown"
}

@test "cli trace: one record per invoke, PD attach and release, with its fields" {
	local ipid
	bpf_start trace -j trace --events invoke,pd -D cdsp
	"$CTL" invoke calculator sum 1 2 >"$T/inv" &
	ipid=$!
	wait "$ipid"
	"$CTL" invoke calculator sum 5 6 7 >/dev/null
	bpf_stop "$BG"
	# the sum call: in=1 out=1, 648 payload bytes (tracepoints/README.md)
	jq -sc --argjson p "$ipid" '
		[(.[] | select(.pid == $p and .event == "invoke" and .handle >= 256 and .method == 2)
		  | [.domain, .comm, .tid == $p, .in_bufs, .out_bufs, .bytes,
		     .latency_ns > 0, .retval]),
		 (.[] | select(.pid == $p and (.event | startswith("pd_"))) | [.event, .pd, .err]),
		 [.[-1].records == length - 1, .[-1].lost]]' "$T/trace" >"$T/got"
	run cat "$T/got"
	assert_output '[["cdsp","fastrpcctl",true,1,1,648,true,0],["pd_attach","root",0],["pd_release","root",0],[true,0]]'
	no_fastrpc_progs
}

@test "cli trace: exactly a process's calls, in each thread's order; --pid keeps out the rest" {
	local bg
	# 3 threads x 5 echo calls on one fd, in a child named frpc_stress
	bpf_start trace -j trace --events invoke --comm frpc_stress
	"$HELPERS/frpc_stress" cdsp threads 1 3 5
	ctl invoke calculator sum 1 2
	bpf_stop "$BG"
	jq -sc '[.[] | select(.event == "invoke")] as $r |
		[($r | map(.comm) | unique),
		 ($r | map(.pid) | unique | length),
		 ($r | map(select(.handle >= 256)) | [length, (map(.method) | unique),
			(map(.retval) | unique), (group_by(.tid) | map(length))]),
		 ($r | map(select(.handle >= 256)) | group_by(.tid) |
			map(map(.ts_ns) | . == sort) | all),
		 ($r | map(select(.handle == 0) | .method)),
		 ($r | (map(.handle) | index(0)) < (map(.handle >= 256) | index(true)))]' \
		"$T/trace" >"$T/got"
	# remotectl open (method 0) before the first echo; frpc_stress closes
	# its fd without a remotectl close, so there is none
	run cat "$T/got"
	assert_output '[["frpc_stress"],1,[15,[2],[0],[5,5,5]],true,[0],true]'

	# --pid: one caller's records, none of another's running beside it.
	# Its calls sleep (5 ms on the DSP, method 2): a caller that keeps
	# the guest's one vCPU busy would slow the tracer's start 2-3 times.
	"$CTL" invoke --repeat 100000 sleep usleep 5000 >/dev/null &
	bg=$!
	BG_PIDS+=("$bg")
	bpf_start trace2 -j trace --events invoke --pid "$bg" -c 10
	ctl invoke --repeat 5 calculator sum 3 4
	wait "$BG"
	jq -sc --argjson p "$bg" '[(.[:-1] | map(.pid == $p) | all), .[-1].records]' \
		"$T/trace2" >"$T/got"
	run cat "$T/got"
	assert_output '[true,10]'
}

@test "cli trace: a steady stream arrives whole, in order, and -c ends on its last record" {
	# 1500 calls back to back: the programs wake the reader at most
	# every 20 ms, so it takes them in batches and, once the calls
	# stop, the last ones on its own poll, with no wakeup to come. -c
	# is the open and the calls: trace ends by itself on the last.
	bpf_start trace -j trace --events invoke --comm frpc_stress -c 1501
	"$HELPERS/frpc_stress" cdsp threads 1 1 1500
	exit_wait "$BG"
	wait "$BG"
	jq -sc '.[:-1] as $r | [($r | length), ($r | map(.ts_ns) | . == sort),
		($r | map(select(.handle >= 256) | .retval) | unique), .[-1]]' \
		"$T/trace" >"$T/got"
	run cat "$T/got"
	assert_output '[1501,true,[0],{"records":1501,"lost":0}]'
}

@test "cli trace: text columns, -T, -c stops by itself, DSP down and up" {
	bpf_start trace trace -T --events dsp -D mdsp -c 2
	fails_with 1 "^fastrpcctl: " "$CTL" -D mdsp invoke fault crash
	wait "$BG"
	run cat "$T/trace"
	assert_line --index 0 --regexp '^TIME +COMM +PID +TID +DSP +EVENT +DETAILS$'
	assert_line --index 1 --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} .* 0 +[0-9]+ +mdsp dsp_down +pending=[0-9]+$'
	assert_line --index 2 --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} .* mdsp dsp_up +banks=[1-9][0-9]*$'
	[ "${#lines[@]}" = 3 ]
	grep -qx 'fastrpcctl: 2 records, 0 lost' "$T/trace.err"
	# the domain serves calls again
	for ((i = 0; i < 100; i++)); do
		"$CTL" -D mdsp invoke calculator sum 1 2 >/dev/null 2>&1 && break
		sleep 0.5
	done
}

@test "cli trace: maps and unmaps, with size and DSP address" {
	bpf_start trace -j trace --events map
	ctl -j mmap --size 64K --munmap
	bpf_stop -TERM "$BG"
	jq -sc '[.[] | select(.event == "mmap" or .event == "munmap") | [.event, .size, (.dsp_addr | test("^0x[0-9a-f]+$")), .fd]]' \
		"$T/trace" >"$T/got"
	run cat "$T/got"
	assert_output '[["mmap",65536,true,-1],["munmap",65536,true,-1]]'
}

@test "cli trace: filters in the kernel: domain, comm, handle, minimum latency" {
	# adsp only: the cdsp call before it is never seen, -c 1 ends it
	bpf_launch trace -j trace --events invoke -D adsp -c 1
	# nothing passes: another comm, a handle nobody has, an hour's latency
	bpf_launch t2 -j trace --comm nosuchtask
	bpf_launch t3 -j trace --events invoke --handle 0x7fffffff
	bpf_launch t4 -j trace --events invoke --min-latency 3600s
	bpf_attached "${BG_PIDS[@]}"
	ctl invoke calculator sum 1 2
	ctl -D adsp invoke calculator sum 3 4
	wait "${BG_PIDS[0]}"
	jq -sc '[.[0].domain, .[1].records, length]' "$T/trace" >"$T/got"
	run cat "$T/got"
	assert_output '["adsp",1,2]'
	ctl invoke --repeat 3 calculator sum 1 2
	bpf_stop "${BG_PIDS[@]:1}"
	run cat "$T/t2" "$T/t3" "$T/t4"
	assert_output $'{"records":0,"lost":0}\n{"records":0,"lost":0}\n{"records":0,"lost":0}'
}

@test "cli trace: --handle and --min-latency keep exactly the calls they name" {
	# handle 0 is remotectl: each invoke's open (method 0) and close
	# (method 1) pass, the sums on the skel's handle do not
	bpf_launch h -j trace --events invoke --handle 0
	# 500 ms on the DSP against calls that take a few
	bpf_launch l -j trace --events invoke --min-latency 250ms
	bpf_attached "${BG_PIDS[@]}"
	ctl invoke --repeat 3 calculator sum 1 2
	ctl invoke sleep usleep 500000
	bpf_stop "${BG_PIDS[@]}"
	jq -sc '[(.[:-1] | map([.handle, .method])), .[-1].records]' "$T/h" >"$T/got"
	# what the latency filter keeps: every call that took 250 ms or more
	# (the sleep among them), none that took less, whatever the guest's
	# load made of the sums
	jq -sc '[(.[:-1] | map(.latency_ns >= 250000000) | unique),
		(.[:-1] | map(select(.handle >= 256 and .method == 2 and .retval == 0)) | length >= 1)]' \
		"$T/l" >>"$T/got"
	run cat "$T/got"
	assert_output '[[[0,0],[0,1],[0,0],[0,1]],4]
[[true],true]'
}

@test "cli trace: a failed call's code as invoke reports it, named; -t stops by itself" {
	bpf_launch tj -j trace --comm nosuchtask -t 1
	bpf_launch j -j trace --events invoke
	bpf_launch x trace --events invoke
	bpf_attached "${BG_PIDS[@]}"
	wait "${BG_PIDS[0]}"
	fails_with 1 'AEE_EUNABLETOLOAD' "$CTL" invoke fault retval 0x80000406
	fails_with 1 'Invalid argument' "$CTL" invoke fault retval -22
	bpf_stop "${BG_PIDS[@]:1}"
	run cat "$T/tj"
	assert_output '{"records":0,"lost":0}'
	jq -sc '[.[] | select(.handle >= 256) | [.retval, .aee, .errno]]' "$T/j" >"$T/got"
	run cat "$T/got"
	assert_output '[[2147484678,"AEE_EUNABLETOLOAD",null],[null,null,22]]'
	# the skel's calls (handles from 0x100), not the driver's own
	run grep -E ' invoke +handle=0x[1-9a-f][0-9a-f]{2,} ' "$T/x"
	assert_line --index 0 --regexp ' ret=0x80000406 aee=AEE_EUNABLETOLOAD$'
	assert_line --index 1 --regexp ' ret=-22$'
	[ "${#lines[@]}" = 2 ]
	head -n 1 "$T/x" | grep -Eq '^COMM {13}PID {5}TID {5}DSP  EVENT {6}DETAILS$'
	text_is_json 'select(.handle >= 256)' '0x[1-9a-f][0-9a-f]{2,}' "$T/j" "$T/x"
}

# text_is_json JQ_SELECT HANDLE_ERE JSON TEXT: every column of TEXT's
# invoke lines whose handle matches HANDLE_ERE is the value of JSON's
# record that JQ_SELECT keeps, in order; not the latency, which each
# tracer's program reads for itself
text_is_json() {
	jq -r "$1"' | [.comm, .pid, .tid, .domain, .event,
		.handle, .method, .in_bufs, .out_bufs, .in_handles,
		.out_handles, .bytes] | @tsv' "$3" >"$T/want"
	grep -E " invoke +handle=$2 " "$4" | while IFS= read -r l; do
		local re='^handle=0x([0-9a-f]+) method=([0-9]+) in=([0-9]+) out=([0-9]+) hin=([0-9]+) hout=([0-9]+) bytes=([0-9]+) lat_us=[0-9]+\.[0-9]{3} ret='
		[[ ${l:49} =~ $re ]] || { echo "details: '${l:49}'"; return 1; }
		local m=("${BASH_REMATCH[@]}")
		printf '%s\t%d\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			"$(echo ${l:0:16})" "$((${l:17:7}))" "$((${l:25:7}))" "$(echo ${l:33:4})" \
			"$(echo ${l:38:10})" "0x${m[1]}" "${m[2]}" "${m[3]}" "${m[4]}" \
			"${m[5]}" "${m[6]}" "${m[7]}"
	done >"$T/got"
	diff "$T/want" "$T/got"
	[ -s "$T/want" ]
}

@test "cli trace: one caller's repeated and changing calls, each text line its own record" {
	# the process's calls around three sums (a line like the last, but
	# for the latency, is copied up to the call's scalars), then another
	# process's: every line names its own call
	bpf_launch j -j trace --events invoke
	bpf_launch x trace --events invoke
	bpf_attached "${BG_PIDS[@]}"
	ctl invoke --repeat 3 calculator sum 1 2
	ctl invoke calculator max 5 9
	bpf_stop "${BG_PIDS[@]}"
	jq -sc '[.[:-1][] | select(.handle >= 256) | .method]' "$T/j" >"$T/got"
	run cat "$T/got"
	assert_output '[2,2,2,3]'
	text_is_json '.[:-1][]' '0x[0-9a-f]+' <(jq -s . "$T/j") "$T/x"
}

@test "cli trace: a dynamic PD's create and release; MEM_MAP and MEM_UNMAP of a dma-buf" {
	bpf_start t -j trace --events pd,map
	ctl -j -D mdsp create --dynamic
	ctl -j alloc --size 64K
	local fd
	fd=$(jq -r .fd <<<"$output")
	bpf_stop "$BG"
	jq -sc --argjson fd "$fd" '[.[:-1][] |
		if (.event | startswith("pd_")) then [.event, .domain, .pd, .err]
		else [.event, .domain, .size, .fd == $fd, (.dsp_addr | test("^0x[0-9a-f]+$"))] end]' \
		"$T/t" >"$T/got"
	run cat "$T/got"
	assert_output '[["pd_create","mdsp","dynamic",0],["pd_release","mdsp","dynamic",0],["pd_attach","cdsp","root",0],["mem_map","cdsp",65536,true,true],["mem_unmap","cdsp",65536,true,true],["pd_release","cdsp","root",0]]'
}

@test "cli stat: histograms and counters per domain, method and process" {
	local ipid
	bpf_launch sd -j stat
	bpf_launch sm -j stat -k method -D cdsp
	bpf_launch sp -j stat -k process -m
	bpf_attached "${BG_PIDS[@]}"
	"$CTL" invoke --repeat 20 calculator sum 1 2 >/dev/null &
	ipid=$!
	wait "$ipid"
	kill -TERM "${BG_PIDS[2]}"
	bpf_stop "${BG_PIDS[@]:0:2}"
	wait "${BG_PIDS[2]}"
	# per domain: every call counted once in the histogram; each request
	# answered by a 16-byte response; nothing in flight at the end
	jq -c '.domains[] | select(.domain == "cdsp") |
		[.calls >= 20, ([.histogram[].count] | add) == .calls - .untimed,
		 .rpmsg.sent == .rpmsg.received, .rpmsg.bytes_received == 16 * .rpmsg.received,
		 .rpmsg.bytes_sent > 0, .rpmsg.in_flight, .rpmsg.in_flight_max >= 1,
		 (.histogram[0] | [.low, .high])]' "$T/sd" >"$T/got"
	# per method: the 20 sums on one handle, method 2, no errors
	jq -c '[.methods[] | select(.handle >= 256 and .method == 2) |
		[.domain, .calls, .errors, ([.histogram[].count] | add)]]' "$T/sm" >>"$T/got"
	jq -c --argjson p "$ipid" '.unit, [.processes[] | select(.pid == $p) |
		[.comm, .domains, .calls >= 20, .memory.maps, .memory.bufs]]' "$T/sp" >>"$T/got"
	run cat "$T/got"
	assert_output '[true,true,true,true,true,0,true,[0,1]]
[["cdsp",20,0,20]]
"ms"
[["fastrpcctl",["cdsp"],true,0,0]]'
}

@test "cli stat: --comm, --pid, --handle and -D keep exactly what they name, traffic too" {
	local bg
	# 4 sleep calls of one process in flight at once (frpc_stress sees
	# them pending together); other processes' calls beside them
	bpf_launch sc -j stat --comm frpc_stress
	bpf_launch sh -j stat -k method --handle 0
	bpf_launch sd -j stat -k process -D adsp
	bpf_attached "${BG_PIDS[@]}"
	"$HELPERS/frpc_stress" cdsp outstanding 4 1000000 >/dev/null
	ctl invoke --repeat 3 calculator sum 1 2
	ctl -D adsp invoke calculator sum 3 4
	bpf_stop "${BG_PIDS[@]}"
	# --pid: a caller that runs all along, another process beside it
	"$CTL" invoke --repeat 100000 sleep usleep 5000 >/dev/null &
	bg=$!
	BG_PIDS+=("$bg")
	bpf_start sp -j stat -k process --pid "$bg"
	ctl -D adsp invoke calculator sum 3 4
	bpf_stop "$BG"
	# --comm: only frpc_stress's domain, its calls and its messages; the
	# high-water mark is its 4 sleeps
	jq -c '[.domains[] | [.domain, .calls == .rpmsg.sent, .rpmsg.sent == .rpmsg.received,
		.rpmsg.bytes_received == 16 * .rpmsg.received, .rpmsg.in_flight, .rpmsg.in_flight_max,
		([.histogram[].count] | add) + .untimed == .calls]]' "$T/sc" >"$T/got"
	# --handle 0: remotectl's opens and closes (frpc_stress closes its fd
	# without one), of every domain
	jq -c '[.methods[] | [.domain, .handle, .method, .calls]]' "$T/sh" >>"$T/got"
	# -D adsp: only the process that called adsp
	jq -c '[.processes[] | [.comm, .domains, .calls >= 3]]' "$T/sd" >>"$T/got"
	jq -c --argjson p "$bg" '[.processes[] | [.pid == $p, .domains, .calls > 0]]' "$T/sp" >>"$T/got"
	run cat "$T/got"
	assert_output '[["cdsp",true,true,true,0,4,true]]
[["adsp",0,0,1],["adsp",0,1,1],["cdsp",0,0,2],["cdsp",0,1,1]]
[["fastrpcctl",["adsp"],true]]
[[true,["cdsp"],true]]'
}

@test "cli stat: calls in flight are the driver's count, those begun before it too, unless a filter picks processes" {
	local sleeper
	# a 30 s sleep in flight before either stat begins (and after both
	# end: checked below; each takes seconds to start in the guest, and
	# on a busy host the two once took more than 15)
	"$CTL" invoke sleep usleep 30000000 >/dev/null &
	sleeper=$!
	BG_PIDS+=("$sleeper")
	pending_wait cdsp 1
	bpf_launch sd -j stat -k domain -D cdsp
	bpf_launch sc -j stat -k domain --comm fastrpcctl
	bpf_attached "${BG_PIDS[@]:1}"
	# a sum beside it: its request and answer, the sleep still in flight
	ctl invoke calculator sum 1 2
	bpf_stop "${BG_PIDS[@]:1}"
	grep -q '^channel domain=cdsp .* pending=1 ' /sys/kernel/debug/fastrpc/cdsp
	wait "$sleeper"
	BG_PIDS=()
	# -D alone: the sleep is in the driver's count (1 after the sum's
	# answer, 2 while the sum was in flight); --comm follows only the
	# requests it saw sent, the sleep's was not
	jq -c '.domains[] | select(.domain == "cdsp") | .rpmsg |
		[.sent == .received, .in_flight, .in_flight_max]' "$T/sd" "$T/sc" >"$T/got"
	run cat "$T/got"
	assert_output '[true,1,2]
[true,0,1]'
}

# chan_count DOMAIN KEY: a number of the driver's debugfs channel line
chan_count() {
	grep -o " $2=[0-9]*" "/sys/kernel/debug/fastrpc/$1" | head -n 1 | cut -d= -f2
}

@test "cli stat: the driver counts the traffic with no process filter, one program a call; without debugfs every request is followed" {
	local k before=() after=() keys=(sent received sent_bytes received_bytes)
	for k in "${keys[@]}"; do before+=("$(chan_count cdsp "$k")"); done
	bpf_launch sd -j stat -D cdsp
	# a stat that cannot read debugfs: its own mount namespace, unmounted
	BPF_PREFIX=(unshare -m sh -c 'umount /sys/kernel/debug && exec "$0" "$@"')
	bpf_launch sf -j stat -D cdsp
	BPF_PREFIX=()
	bpf_attached "${BG_PIDS[@]}"
	bpf_show
	# both complete calls; only the one without debugfs sends and answers
	run grep -cE ' name ctx_complete ' "$T/shown"
	assert_output 2
	run grep -cE ' name (msg_send|msg_response) ' "$T/shown"
	assert_output 2
	ctl invoke --repeat 5 calculator sum 1 2
	ctl -j alloc --size 64K
	bpf_stop "${BG_PIDS[@]}"
	BG_PIDS=()
	for k in "${keys[@]}"; do after+=("$(chan_count cdsp "$k")"); done
	# both saw what the driver counted meanwhile, to the message and byte
	local want
	want="[$((after[0] - before[0])),$((after[1] - before[1])),$((after[2] - before[2])),$((after[3] - before[3])),0]"
	jq -c '.domains[] | select(.domain == "cdsp") | .rpmsg |
		[.sent, .received, .bytes_sent, .bytes_received, .in_flight]' "$T/sd" "$T/sf" >"$T/got"
	run cat "$T/got"
	assert_output "$want
$want"
	[ "${after[0]}" -ge "$((before[0] + 5))" ]
}

@test "cli stat, top: failed calls count as errors" {
	bpf_launch st -j stat -k method
	bpf_launch tp top -b -i 1s
	bpf_attached "${BG_PIDS[@]}"
	fails_with 1 'AEE_EBADSTATE' "$CTL" invoke fault retval 0x8000040d
	fails_with 1 'Invalid argument' "$CTL" invoke fault retval -22
	ctl invoke fault retval 0
	bpf_stop "${BG_PIDS[0]}"
	# the frame that covers them: errors per second on the domain's row
	file_wait "$T/tp" '^cdsp( +[0-9]+\.[0-9]){2} +([1-9][0-9]*\.[0-9]|0\.[1-9]) '
	bpf_stop "$BG"
	# the fault skel's one method, on each process's handle
	jq -c '[.methods[] | select(.handle >= 256)] | [(map(.calls) | add), (map(.errors) | add)]' \
		"$T/st" >"$T/got"
	run cat "$T/got"
	assert_output '[3,2]'
}

@test "cli stat: calls in flight when the DSP goes down end as errors; none left in flight" {
	local i pids=()
	bpf_launch sd -j stat -D mdsp
	bpf_launch sm -j stat -k method -D mdsp
	bpf_attached "${BG_PIDS[@]}"
	# two sleeps of 50 s in flight at once, each its own process (mdsp has
	# two banks)
	for ((i = 0; i < 2; i++)); do
		"$CTL" -D mdsp invoke sleep usleep 50000000 >/dev/null 2>&1 &
		pids+=($!)
		BG_PIDS+=($!)
	done
	pending_wait mdsp 2
	echo 1 >/sys/kernel/debug/vdsp/mdsp/crash
	for i in "${pids[@]}"; do
		run wait "$i"
		[ "$status" = 1 ]
	done
	bpf_stop "${BG_PIDS[@]:0:2}"
	# per domain (remotectl's opens and the PD attaches beside them): the
	# two are its errors, every call is in the histogram, two requests got
	# no answer and none is in flight after
	jq -c '.domains[] | select(.domain == "mdsp") | [.errors, .calls == ([.histogram[].count] | add),
		.rpmsg.sent - .rpmsg.received, .rpmsg.in_flight, .rpmsg.in_flight_max, .rpmsg.dsp_down]' \
		"$T/sd" >"$T/got"
	# per method: the two sleeps (method 2 of the skel's handles), both
	# errors; nothing else on those handles
	jq -c '[.methods[] | select(.handle >= 256)] | [(map(.method) | unique),
		(map(.calls) | add), (map(.errors) | add)]' "$T/sm" >>"$T/got"
	run cat "$T/got"
	assert_output '[2,true,2,0,2,1]
[[2],2,2]'
}

@test "cli stat: live buffers and maps per domain rise with held memory and return to zero" {
	local n
	bpf_start sd -j stat -C 1
	# a driver dma-buf MEM_MAPped on adsp; a dynamic PD on mdsp, whose
	# init memory is a driver buffer of its own
	start_hold "$T/a" "$CTL" -j -D adsp alloc --size 64K --hold
	start_hold "$T/m" "$CTL" -j -D mdsp create --dynamic --hold
	# two reports taken after both reported: both held in the second
	mapfile -t lines <"$T/sd"
	n=${#lines[@]}
	wait_lines "$T/sd" $((n + 2))
	kill_holds
	mapfile -t lines <"$T/sd"
	wait_lines "$T/sd" $((${#lines[@]} + 2))
	bpf_stop "$BG"
	jq -sc --argjson n "$n" '.[$n + 1], .[-1] | [.domains[] | select(.domain != "cdsp") |
		[.domain, .memory.bufs, .memory.buf_bytes > 0, .memory.dsp_maps, .memory.maps]]' \
		"$T/sd" >"$T/got"
	jq -sc --argjson n "$n" '.[$n + 1].domains[] | select(.domain == "adsp") | .memory' \
		"$T/sd" >>"$T/got"
	run cat "$T/got"
	assert_output '[["adsp",1,true,1,1],["mdsp",1,true,0,0]]
[["adsp",0,false,0,0],["mdsp",0,false,0,0]]
{"maps":1,"map_bytes":65536,"dsp_maps":1,"dsp_map_bytes":65536,"bufs":1,"buf_bytes":65536}'
}

@test "cli stat: intervals; held memory is live for its process until released" {
	local pid i cmd
	bpf_start st -j stat -k process 1
	# a MEM_MAPped driver dma-buf (alloc), then an MMAP left for the
	# close to take down (mmap without --munmap)
	for cmd in "alloc --size 64K --hold" "mmap --size 64K --hold"; do
		# shellcheck disable=SC2086
		start_hold "$T/hold" "$CTL" -j $cmd
		pid=$HOLD_PID
		# an interval that shows it, then, once freed, one without it
		file_wait "$T/st" "\"pid\":$pid,.*\"dsp_maps\":1,"
		grep "\"pid\":$pid," "$T/st" | tail -n 1 >"$T/held.$pid"
		stop_hold "$pid"
		debug_trap_off
		for ((i = 0; i < 300; i++)); do
			tail -n 1 "$T/st" | grep -q "\"pid\":$pid," || break
			sleep 0.2
		done
		debug_trap_on
		! tail -n 1 "$T/st" | grep "\"pid\":$pid,"
		jq -c --argjson p "$pid" '.processes[] | select(.pid == $p) | .memory' \
			"$T/held.$pid" >>"$T/got"
	done
	bpf_stop "$BG"
	jq -sc 'map(.span_ns > 0 and .cumulative == false and .key == "process") | all' "$T/st" >>"$T/got"
	run cat "$T/got"
	assert_output '{"maps":1,"map_bytes":65536,"dsp_maps":1,"dsp_map_bytes":65536,"bufs":1,"buf_bytes":65536}
{"maps":0,"map_bytes":0,"dsp_maps":1,"dsp_map_bytes":65536,"bufs":1,"buf_bytes":65536}
true'
}

@test "cli stat: a sleep call of 80 ms lands in the 64-127 ms bucket" {
	bpf_start st -j stat -k method -m
	ctl invoke sleep usleep 80000
	bpf_stop "$BG"
	jq -c '[.methods[] | select(.handle >= 256 and .method == 2) |
		[.calls, (.histogram | map(select(.count > 0)))]]' "$T/st" >"$T/got"
	run cat "$T/got"
	assert_output '[[1,[{"low":64,"high":127,"count":1}]]]'
}

@test "cli stat: text histogram, -T and a count of intervals" {
	bpf_start st stat -T -D cdsp 1 2
	ctl invoke --repeat 5 calculator sum 1 2
	wait "$BG"
	run cat "$T/st"
	assert_line --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}$'
	assert_line --regexp '^cdsp: [0-9]+ calls, 0 errors, avg [0-9.]+ us, max [0-9]+ us$'
	assert_line --regexp '^ +usecs +: count +distribution$'
	assert_line --regexp '^DSP +SENT +SENT-BYTES +RECEIVED +RECV-BYTES'
	# two intervals, two time lines
	[ "$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$T/st")" = 2 ]
}

# pane_wait REGEX...: until one capture of the top pane has a line
# matching each REGEX (60 s)
pane_wait() {
	local i re all
	debug_trap_off
	for ((i = 0; i < 300; i++)); do
		tmux capture-pane -p -t top >"$T/pane"
		all=1
		for re in "$@"; do
			grep -qE "$re" "$T/pane" || { all=; break; }
		done
		[ -n "$all" ] && break
		sleep 0.2
	done
	debug_trap_on
	[ -n "$all" ] || { cat "$T/pane" >&2; return 1; }
}

# top_order SORT PID...: until the top pane, sorted by SORT, lists exactly
# these processes in this order (60 s)
top_order() {
	local sort=$1 i line order sorted want
	shift
	want="$*"
	debug_trap_off
	for ((i = 0; i < 300; i++)); do
		tmux capture-pane -p -t top >"$T/pane"
		order= sorted=
		while IFS= read -r line; do
			[[ $line == *"sorted by $sort "* ]] && sorted=1
			[[ $line =~ ^([0-9]+)\ +fastrpcctl ]] && order+="${order:+ }${BASH_REMATCH[1]}"
		done <"$T/pane"
		[ -n "$sorted" ] && [ "$order" = "$want" ] && break
		sleep 0.2
	done
	debug_trap_on
	[ -n "$sorted" ] && [ "$order" = "$want" ] ||
		{ echo "want sorted by $sort: $want" >&2; cat "$T/pane" >&2; return 1; }
}

@test "cli top: a refreshing view in a terminal, sorted by the key pressed" {
	local ipid hpid i
	tmux new-session -d -s top -x 160 -y 50 "$CTL top -i 1"
	pane_wait '^fastrpcctl top - .* sorted by calls \(q quit'
	# calls for as long as it takes to see them; sleeping ones (5 ms on
	# the DSP, method 2), which leave the guest's vCPU to top and tmux
	"$CTL" invoke --repeat 100000 sleep usleep 5000 >/dev/null &
	ipid=$!
	BG_PIDS+=("$ipid")
	# the first frame with the process may hold only its remotectl open
	# (handle 1, method 0): wait for one with its sleeps too
	pane_wait "^$ipid +fastrpcctl +cdsp +[0-9]+\.[0-9] +[0-9]+\.[0-9] +0\.0 +0 +0 +0\$" \
		'^cdsp +0x[0-9a-f]+ +2 +[0-9]+\.[0-9] '
	run cat "$T/pane"
	assert_line --regexp '^PID +COMM +DSPS +CALLS/S +AVG\(us\) +ERR/S +MAPS +BUFS +MEM\(KiB\)$'
	assert_line --regexp '^DSP +CALLS/S +AVG\(us\) +ERR/S +IN-FLIGHT +MSGS/S +MAPS +BUFS$'
	assert_line --regexp '^cdsp +[0-9]+\.[0-9] +[0-9]+\.[0-9] +0\.0 +[0-9]+ +[0-9]+\.[0-9] +0 +0$'
	assert_line --regexp '^cdsp +0x[0-9a-f]+ +2 +[0-9]+\.[0-9] '
	# a second process, started later (a higher pid), that holds memory
	# (a MEM_MAPped 64 KiB dma-buf) and makes no calls once it has it
	start_hold "$T/hold" "$CTL" -j alloc --size 64K --hold
	hpid=$HOLD_PID
	top_order calls "$ipid $hpid"
	tmux send-keys -t top m
	top_order memory "$hpid $ipid"
	tmux send-keys -t top p
	top_order pid "$ipid $hpid"
	tmux send-keys -t top q
	debug_trap_off
	for ((i = 0; i < 100; i++)); do
		tmux has-session -t top 2>/dev/null || break
		sleep 0.2
	done
	debug_trap_on
	! tmux has-session -t top 2>/dev/null
	kill "$ipid"
	wait "$ipid" || true
	no_fastrpc_progs
}

@test "cli top: batch frames for scripts" {
	ctl top -b -n 2 -i 200ms -s latency
	[ "$(grep -c '^fastrpcctl top - .* sorted by latency$' <<<"$output")" = 2 ]
	assert_line --regexp '^DSP +CALLS/S +AVG\(us\) +ERR/S +IN-FLIGHT +MSGS/S +MAPS +BUFS$'
}

@test "cli bpf: one-line errors without root or driver; no BTF needed; nothing left loaded" {
	fails_with 1 '^fastrpcctl: trace: loading BPF programs needs root \(CAP_BPF and CAP_PERFMON\)$' \
		setpriv --reuid 65534 --regid 65534 --clear-groups "$CTL" trace
	fails_with 1 '^fastrpcctl: the fastrpc driver is not loaded \(no /dev/fastrpc-\* nodes\)$' \
		no_driver "$CTL" stat
	# a kernel without BTF (no CONFIG_DEBUG_INFO_BTF): raw_tp programs
	# load and record all the same
	BPF_PREFIX=(unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf &&
		! [ -e /sys/kernel/btf/vmlinux ] && exec "$0" "$@"')
	bpf_launch nobtf -j trace --events invoke
	BPF_PREFIX=()
	bpf_attached "$BG"
	"$CTL" invoke calculator sum 1 2 >/dev/null
	bpf_stop "$BG"
	run jq -c 'select(.event == "invoke" and .handle >= 256) | [.comm, .method, .retval]' "$T/nobtf"
	assert_output '["fastrpcctl",2,0]'
	BG_PIDS=()
	json_fails_with 1 'needs root' \
		setpriv --reuid 65534 --regid 65534 --clear-groups "$CTL" -j stat 1 1
	# SIGKILL too: the kernel drops what the process held, maps included
	bpf_launch k trace
	bpf_launch k2 stat
	bpf_attached "${BG_PIDS[@]}"
	bpf_show
	grep -E ' name events ' "$T/shown"
	grep -E ' name (owners|sent) ' "$T/shown"
	kill -KILL "${BG_PIDS[0]}"
	wait "${BG_PIDS[0]}" || true
	bpf_stop -TERM "$BG"
	no_fastrpc_progs
}
