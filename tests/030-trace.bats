#!/usr/bin/env bats
# The fastrpc trace system (tracepoints/README.md): each event fires when
# its action happens, with the fields the README gives, through tracefs
# (an instance of our own, cleared before each test); error paths emit
# theirs; BPF programs (tp_btf and classic tracepoint) attach to every
# event, and hold the module while attached.

load test_helper
load cli_helper

TR=/sys/kernel/tracing/instances/fastrpc-030
VDBG=/sys/kernel/debug/vdsp
BPF_OBJ=$HELPERS/frpc_trace.bpf.o
# 64-bit XOR the vdsp's corrupt_ctx applies to a response's ctx
CORRUPT=0x5a5a5a5a5a5a5a50

setup_file() {
	in_guest && [ -d /sys/kernel/tracing/instances ] ||
		return 0
	mkdir -p "$TR"
	# one clock for every CPU: responses come from the vdsp's threads
	echo global >"$TR/trace_clock"
	echo 4096 >"$TR/buffer_size_kb"
}

teardown_file() {
	[ -d "$TR" ] || return 0
	echo 0 >"$TR/events/enable"
	rmdir "$TR"
}

setup() {
	skip_unless_guest
	need_driver
	[ -d "$TR/events/fastrpc" ] || skip "no fastrpc events in tracefs"
	# (again each time: a reloaded module comes back with them off)
	echo 1 >"$TR/events/fastrpc/enable"
	echo >"$TR/trace"
	EV=$BATS_TEST_TMPDIR/events
}

teardown() {
	if [ -n "${BG_PID:-}" ]; then
		kill -KILL "$BG_PID" 2>/dev/null
		wait "$BG_PID" 2>/dev/null
	fi
	[ -d "$VDBG/mdsp" ] && echo 0 >"$VDBG/mdsp/corrupt_ctx"
	failslab_off
	return 0
}

FAILSLAB=/sys/kernel/debug/failslab

# failslab_on CACHE: fail the next allocation from slab CACHE by a task
# that has make-it-fail set, once, quietly
failslab_on() {
	echo 1 >"/sys/kernel/slab/$1/failslab" || return 1
	FAILSLAB_CACHE=$1
	echo Y >"$FAILSLAB/cache-filter"
	echo Y >"$FAILSLAB/task-filter"
	# the vdsp allocates with GFP_KERNEL, which failslab skips by default
	echo N >"$FAILSLAB/ignore-gfp-wait"
	echo 0 >"$FAILSLAB/verbose"
	echo 1 >"$FAILSLAB/interval"
	echo 1 >"$FAILSLAB/times"
	echo 100 >"$FAILSLAB/probability"
}

failslab_off() {
	[ -n "${FAILSLAB_CACHE:-}" ] || return 0
	echo 0 >"$FAILSLAB/probability"
	echo N >"$FAILSLAB/cache-filter"
	echo N >"$FAILSLAB/task-filter"
	echo Y >"$FAILSLAB/ignore-gfp-wait"
	echo 0 >"/sys/kernel/slab/$FAILSLAB_CACHE/failslab"
	FAILSLAB_CACHE=
}

# kmalloc_cache STRUCT MODULE: the kmalloc cache a kzalloc of that struct
# (its size from the module's BTF) comes from
kmalloc_cache() {
	local size c n
	size=$(bpftool btf dump file "/sys/kernel/btf/$2" |
		sed -nE "s/.*STRUCT '$1' size=([0-9]+) .*/\1/p")
	[ -n "$size" ] || return 1
	for c in 8 16 32 64 96 128 192 256 512 1k 2k 4k 8k; do
		n=${c/k/*1024}
		if ((size <= n)); then
			echo "kmalloc-$c"
			return 0
		fi
	done
	return 1
}

# trace_dump: the events so far into $EV, one per line, oldest first:
# "fastrpc_NAME key=value ..."; counts them into ALLOCS and FREES. Bash
# alone (sleep is a builtin in the guest, tests/vm/bashenv.sh): the polls
# below run it often, and every exec costs in the guest.
# The trace is read whole with mapfile: read(1) line by line seeks back
# after each line, and tracefs regenerates "trace" on every seek.
trace_dump() {
	local line raw re='^.* (fastrpc_[a-z_]+): (.*)$'

	ALLOCS=0 FREES=0
	mapfile -t raw <"$TR/trace"
	debug_trap_off
	for line in "${raw[@]}"; do
		[[ $line =~ $re ]] || continue
		case "${BASH_REMATCH[1]}" in
		fastrpc_ctx_alloc) ALLOCS=$((ALLOCS + 1)) ;;
		fastrpc_ctx_free) FREES=$((FREES + 1)) ;;
		esac
		echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	done >"$EV"
	debug_trap_on
}

# trace_settled: trace_dump once every context allocated has been freed
# (the last reference may go in a workqueue, after the caller returned)
trace_settled() {
	local i
	for ((i = 0; i < 300; i++)); do
		trace_dump
		[ "$ALLOCS" = "$FREES" ] && return 0
		sleep 0.2
	done
	echo "contexts never all freed" >&2
	return 1
}

# wait_event ERE: until an event line matching ERE is in the trace ($EV
# holds them then); fails after a minute
wait_event() {
	local i line
	for ((i = 0; i < 300; i++)); do
		trace_dump
		debug_trap_off
		while IFS= read -r line; do
			[[ $line =~ $1 ]] && break
		done <"$EV"
		debug_trap_on
		[[ $line =~ $1 ]] && return 0
		sleep 0.2
	done
	echo "no event matching: $1" >&2
	cat "$EV" >&2
	return 1
}

# The awk prologue every query uses: f[key] = value of the line's fields
AWK_FIELDS='{ delete f; for (i = 2; i <= NF; i++) {
	n = index($i, "="); f[substr($i, 1, n - 1)] = substr($i, n + 1) } }'

# ev_query AWK: run AWK (after AWK_FIELDS) over $EV into output/lines
ev_query() {
	must awk "$AWK_FIELDS $1" "$EV"
}

# sum_allocs: "ctx client tgid bytes handle" of each calculator sum
# context allocated on cdsp, in order
sum_allocs() {
	ev_query '$1 == "fastrpc_ctx_alloc" && f["handle"] + 0 >= 256 &&
		f["method"] == 2 && f["domain"] == "cdsp" {
		print f["ctx"], f["client"], f["tgid"], f["bytes"], f["handle"] }'
}

# sum_head "CTX CLIENT TGID BYTES HANDLE": sets those, WIRE (its ctx on
# the wire, root PD), ID and COUNTS (the fields its events repeat) and
# HEAD: the events a sum context starts with
sum_head() {
	read -r CTX CLIENT TGID BYTES H <<<"$1"
	WIRE=$(printf '0x%x' $((CTX << 4)))
	ID="cdsp tgid=$TGID client=$CLIENT h=$H m=2"
	COUNTS="in=1 out=1 hin=0 hout=0 bytes=$BYTES"
	HEAD="fastrpc_ctx_alloc $ID $COUNTS
fastrpc_ctx_send $ID $COUNTS
fastrpc_msg_send cdsp pid=$TGID h=$H sc=0x02010100 size=$(((BYTES + 4095) / 4096 * 4096))"
	[ "$BYTES" -gt 0 ]
}

# story CTX WIRE: every event of that context and of its messages, in
# order, with the fields that must agree (tgid: the caller's)
story() {
	ev_query '
	$1 ~ /^fastrpc_ctx_/ && f["ctx"] == "'"$1"'" {
		l = $1 " " f["domain"] " tgid=" f["tgid"] " client=" f["client"] \
		    " h=" f["handle"] " m=" f["method"]
		if ("hin" in f)
			l = l " in=" f["in"] " out=" f["out"] " hin=" f["hin"] \
			    " hout=" f["hout"] " bytes=" f["bytes"]
		if ("retval" in f)
			l = l " retval=" f["retval"]
		if ("elapsed_ns" in f)
			l = l (f["elapsed_ns"] + 0 > 0 ? " elapsed" : " no-elapsed") \
			    " bytes=" f["bytes"]
		print l
	}
	$1 ~ /^fastrpc_msg_/ && f["ctx"] == "'"$2"'" {
		l = $1 " " f["domain"]
		if ("sc" in f)
			l = l " pid=" f["pid"] " h=" f["handle"] " sc=" f["sc"] \
			    " size=" f["size"]
		if ("retval" in f)
			l = l " retval=" f["retval"]
		if ("err" in f)
			l = l " err=" f["err"]
		if ("len" in f)
			l = l " len=" f["len"]
		print l
	}'
}

# client_story CLIENT: the session events of one client, in order
client_story() {
	ev_query '
	$1 !~ /^fastrpc_(ctx|msg)_/ && f["client"] == "'"$1"'" {
		l = $1 " " f["domain"] " tgid=" f["tgid"]
		if ("pd" in f)
			l = l " pd=" f["pd"] " name=" f["name"] " err=" f["err"]
		if ("map" in f)
			l = l " map=" f["map"] " fd=" f["fd"] " dsp_addr=" \
			    f["dsp_addr"] " size=" f["size"] " flags=" f["flags"]
		if ("buf" in f)
			l = l " buf=" f["buf"] " fd=" f["fd"] " size=" f["size"]
		print l
	}'
}

@test "trace: calculator sum on cdsp is alloc, send, response, complete, free of one context" {
	ctl -j invoke calculator sum 1 2
	jq_is '.outputs[0].values[0]' 3
	local h
	h=$(jq -r .handle <<<"$output")
	trace_settled
	sum_allocs
	[ "${#lines[@]}" = 1 ]
	sum_head "${lines[0]}"
	[ "$H" = "$h" ]
	# payload: metadata of 2 arguments and 2 pages (464 bytes), then each
	# 8-byte buffer 128-byte aligned (wire.h)
	[ "$BYTES" = 648 ]
	story "$CTX" "$WIRE"
	assert_output "$HEAD
fastrpc_msg_response cdsp retval=0 len=16
fastrpc_ctx_response $ID retval=0
fastrpc_ctx_complete $ID retval=0 elapsed bytes=$BYTES
fastrpc_ctx_free $ID $COUNTS"
	# the session around it: open, bank, root PD, ..., release, close
	client_story "$CLIENT"
	assert_line --index 0 "fastrpc_client_open cdsp tgid=$TGID"
	assert_line --index 1 "fastrpc_bank_assign cdsp tgid=$TGID"
	assert_line --index 2 "fastrpc_pd_attach cdsp tgid=$TGID pd=root name= err=0"
	assert_line --index 3 "fastrpc_pd_release cdsp tgid=$TGID pd=root name= err=0"
	assert_line --index 4 "fastrpc_client_close cdsp tgid=$TGID"
	[ "${#lines[@]}" = 5 ]
	# the driver's own calls are contexts too: attach and release on handle 1
	ev_query '$1 == "fastrpc_ctx_complete" && f["client"] == '"$CLIENT"' &&
		f["handle"] == 1 { print f["method"], f["retval"] }'
	assert_output $'0 0\n1 0'
	# nothing malformed, nothing left in flight
	ev_query '$1 ~ /bad_response|send_fail|interrupted/'
	assert_output ""
	ev_query '$1 == "fastrpc_ctx_alloc" { na++ } $1 == "fastrpc_ctx_free" { nf++ }
		END { print na + 0, nf + 0 }'
	[ "${lines[0]% *}" = "${lines[0]#* }" ]
}

@test "trace: a mem_map is one map event at the DSP address the ioctl returned" {
	ctl -j invoke --map 16K:0x11 calculator sum 4 5
	jq_is '[.outputs[0].values[0], .maps[0].kind, .maps[0].size]' '[9,"mem_map",16384]'
	local addr
	addr=$(jq -r '.maps[0].dsp_addr' <<<"$output")
	trace_settled
	ev_query '$1 == "fastrpc_mem_map" { print f["dsp_addr"], f["size"], f["flags"], f["client"], f["map"], f["fd"] }'
	[ "${#lines[@]}" = 1 ]
	local dsp size flags client map fd
	read -r dsp size flags client map fd <<<"${lines[0]}"
	[ "$dsp" = "$addr" ]
	[ "$size" = 16384 ]
	# fastrpcctl maps with FASTRPC_MAP_FD
	[ "$flags" = 0x2 ]
	# the buffer behind it: allocated, exported as that fd, imported for
	# the bank as map $map (flags 1: MEM_MAP), mapped, unmapped, released
	ev_query '$1 == "fastrpc_buf_export" && f["fd"] == '"$fd"' { print f["buf"] }'
	[ "${#lines[@]}" = 1 ]
	local buf=${lines[0]}
	client_story "$client"
	local tgid
	tgid=$(awk '{ print $3; exit }' <<<"$output")
	assert_output "fastrpc_client_open cdsp $tgid
fastrpc_bank_assign cdsp $tgid
fastrpc_pd_attach cdsp $tgid pd=root name= err=0
fastrpc_buf_export cdsp $tgid buf=$buf fd=$fd size=16384
fastrpc_map_import cdsp $tgid map=$map fd=$fd dsp_addr=0x0 size=16384 flags=0x1
fastrpc_mem_map cdsp $tgid map=$map fd=$fd dsp_addr=$addr size=16384 flags=0x2
fastrpc_mem_unmap cdsp $tgid map=$map fd=$fd dsp_addr=$addr size=16384 flags=0x2
fastrpc_map_release cdsp $tgid map=$map fd=$fd dsp_addr=$addr size=16384 flags=0x1
fastrpc_pd_release cdsp $tgid pd=root name= err=0
fastrpc_client_close cdsp $tgid"
	# the buffer's memory: allocated before the export, freed after the
	# dma-buf's last reference (the process exited)
	ev_query '(f["buf"] == '"$buf"') { print $1, f["size"] }'
	assert_output "fastrpc_buf_alloc 16384
fastrpc_buf_export 16384
fastrpc_buf_release 16384
fastrpc_buf_free 16384"
}

@test "trace: MMAP and MUNMAP of driver memory name the address MMAP returned" {
	ctl -j mmap --size 16K --munmap
	jq_is '[.size, .unmapped]' '[16384,true]'
	local addr flags
	addr=$(jq -r .dsp_addr <<<"$output")
	flags=$(printf '0x%x' "$(jq -r .flags <<<"$output")")
	trace_settled
	ev_query '$1 ~ /^fastrpc_(mmap|munmap)$/ { print $1, f["dsp_addr"], f["size"], f["flags"], f["fd"] }'
	assert_output "fastrpc_mmap $addr 16384 $flags -1
fastrpc_munmap $addr 16384 $flags -1"
	# its memory is a driver buffer of that size, allocated and freed
	ev_query '$1 ~ /^fastrpc_buf_(alloc|free)$/ && f["size"] == 16384 { print $1 }'
	assert_output $'fastrpc_buf_alloc\nfastrpc_buf_free'
}

@test "trace: a request the transport refuses is a send_fail; its context completes with that error" {
	[ -d "$FAILSLAB" ] || skip "no failslab in debugfs"
	# the vdsp's rpmsg send allocates a struct vdsp_req: fail that
	local cache
	cache=$(kmalloc_cache vdsp_req vdsp)
	failslab_on "$cache"
	run -0 "$HELPERS/frpc_sendfail" cdsp
	failslab_off
	assert_line "warm: 0"
	assert_line "send: -12"
	trace_settled
	# the second sum: the one whose send failed
	sum_allocs
	[ "${#lines[@]}" = 2 ]
	sum_head "${lines[1]}"
	story "$CTX" "$WIRE"
	assert_output "$HEAD
fastrpc_msg_send_fail cdsp err=-12
fastrpc_ctx_complete $ID retval=-12 elapsed bytes=$BYTES
fastrpc_ctx_free $ID $COUNTS"
	grep -q ' pending=0 ' /sys/kernel/debug/fastrpc/cdsp
	# counted out of flight before its event: nothing else was in it
	ev_query '$1 == "fastrpc_msg_send_fail" { print f["in_flight"] }'
	assert_output 0
}

@test "trace: the traffic events carry the channel's count of calls in flight" {
	# 4 sleeps of one process in flight at once (frpc_stress checks that
	# they are pending together)
	run -0 "$HELPERS/frpc_stress" cdsp outstanding 4 200000
	trace_settled
	# a request counts itself, an answer does not; the 4 were in flight
	# together; the last to leave left none
	ev_query '$1 ~ /^fastrpc_msg_(send|response)$/ && f["domain"] == "cdsp" {
		n = f["in_flight"] + 0 }
	$1 == "fastrpc_msg_send" && f["domain"] == "cdsp" {
		sends++; if (n > max) max = n; if (n < 1) bad++ }
	$1 == "fastrpc_msg_response" && f["domain"] == "cdsp" {
		left[answers++] = n; if (n == 0) zero++ }
	END { for (i = 0; i < answers; i++) if (left[i] >= max) bad++
		print (sends == answers), (sends >= 4), (max >= 4), (zero >= 1), bad + 0 }'
	assert_output "1 1 1 1 0"
	# each completion carries the count its request entered flight with
	ev_query '$1 == "fastrpc_msg_send" && f["domain"] == "cdsp" { s += f["in_flight"]; n++ }
	$1 == "fastrpc_ctx_complete" && f["domain"] == "cdsp" { c += f["in_flight"]; m++ }
	END { print (n == m), (s == c), (s >= 10) }'
	assert_output "1 1 1"
	# with the number of the change it follows, not printed
	local e
	for e in msg_send msg_response msg_send_fail dsp_down; do
		grep -q 'field:u64 flight_seq;' "$TR/events/fastrpc/fastrpc_$e/format"
	done
	grep -q 'field:u32 in_flight;' "$TR/events/fastrpc/fastrpc_msg_send/format"
	grep -q 'field:u64 payload_bytes;' "$TR/events/fastrpc/fastrpc_ctx_complete/format"
	grep -q 'field:u32 in_flight;' "$TR/events/fastrpc/fastrpc_ctx_complete/format"
}

@test "trace: a dynamic PD's create and release carry its name" {
	ctl -j invoke --dynamic calculator sum 1
	trace_settled
	ev_query '$1 ~ /^fastrpc_pd_/ { print $1, f["pd"], f["name"], f["err"] }'
	assert_output "fastrpc_pd_create dynamic fastrpcctl 0
fastrpc_pd_release dynamic fastrpcctl 0"
	# its shell ELF and init memory are driver buffers, all freed
	ev_query '$1 == "fastrpc_buf_alloc" { na++ } $1 == "fastrpc_buf_free" { nf++ }
		END { print na + 0, nf + 0 }'
	[[ ${lines[0]} =~ ^([1-9][0-9]*)\ ([0-9]+)$ ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
}

@test "trace: signals with SA_RESTART interrupt and restore the one context" {
	run -0 "$HELPERS/frpc_life" cdsp restart
	assert_line --partial "ok: 10 signals during a call"
	trace_settled
	# the sleep call: usleep is method 2 with one in-buffer
	ev_query '$1 == "fastrpc_ctx_alloc" && f["handle"] + 0 >= 256 && f["method"] == 2 &&
		f["in"] == 1 && f["out"] == 0 { print f["ctx"] }'
	[ "${#lines[@]}" = 1 ]
	local ctx=${lines[0]}
	ev_query '$1 ~ /^fastrpc_ctx_/ && f["ctx"] == '"$ctx"' {
		sub(/^fastrpc_ctx_/, "", $1); printf "%s ", $1 } END { print "" }'
	# sent once; every interruption is followed by its restore
	[[ $output =~ ^alloc\ send\ (interrupted\ restored\ )+response\ complete\ free\ $ ]]
	local wire
	wire=$(printf '0x%x' $((ctx << 4)))
	ev_query '$1 == "fastrpc_msg_send" && f["ctx"] == "'"$wire"'"'
	[ "${#lines[@]}" = 1 ]
}

@test "trace: a corrupted response is a bad_response; a DSP crash then fails what is left" {
	echo 1 >"$VDBG/mdsp/corrupt_ctx"
	"$CTL" -D mdsp invoke calculator sum 1 2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	BG_PID=$!
	local bad sent len reason
	wait_event '^fastrpc_msg_bad_response domain=mdsp'
	# the response named a ctx nobody sent: the sent one, XOR the mask
	ev_query '$1 == "fastrpc_msg_bad_response" { print f["ctx"], f["len"], f["reason"] }'
	[ "${#lines[@]}" = 1 ]
	read -r bad len reason <<<"${lines[0]}"
	[ "$reason" = no-ctx ]
	[ "$len" -ge 12 ]
	sent=$(printf '0x%x' $((bad ^ CORRUPT)))
	ev_query '$1 == "fastrpc_msg_send" && f["ctx"] == "'"$sent"'" && f["domain"] == "mdsp"'
	[ "${#lines[@]}" = 1 ]
	local ctx=$((sent >> 4))
	# no response for that context: the caller is still waiting; a fatal
	# signal interrupts it, the context stays in flight
	ev_query '$1 ~ /response$/ && (f["ctx"] == "'"$sent"'" || f["ctx"] == '"$ctx"')'
	assert_output ""
	kill -TERM "$BG_PID"
	wait "$BG_PID" || true
	BG_PID=
	wait_event "^fastrpc_client_close domain=mdsp"
	ev_query '$1 == "fastrpc_ctx_interrupted" && f["ctx"] == '"$ctx"' { print f["domain"] }'
	assert_output mdsp
	grep -q ' pending=1 ' /sys/kernel/debug/fastrpc/mdsp
	# the DSP goes down with it in flight: it fails with -EPIPE and goes
	echo 1 >"$VDBG/mdsp/crash"
	wait_event '^fastrpc_dsp_up domain=mdsp'
	ev_query '$1 ~ /^fastrpc_dsp_/ || (($1 == "fastrpc_ctx_response" || $1 == "fastrpc_ctx_free") &&
		f["ctx"] == '"$ctx"' && f["domain"] == "mdsp") {
		print $1, f["domain"], f["pending"] f["banks"] f["retval"] }'
	local banks
	banks=$(grep -c '^bank ' /sys/kernel/debug/fastrpc/mdsp)
	assert_output "fastrpc_dsp_down mdsp 1
fastrpc_ctx_response mdsp -32
fastrpc_ctx_free mdsp 
fastrpc_dsp_up mdsp $banks"
}

@test "trace: a DSP crash under a sleeping call: dsp_down, -EPIPE response and completion, dsp_up" {
	"$CTL" -D mdsp invoke sleep usleep 50000000 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	BG_PID=$!
	local st=0 i
	# usleep: method 2, one in-buffer
	wait_event '^fastrpc_ctx_send domain=mdsp .* method=2 in=1 out=0 '
	ev_query '$1 == "fastrpc_ctx_send" && f["domain"] == "mdsp" && f["method"] == 2 { print f["ctx"] }'
	local ctx=${lines[0]}
	local gen
	gen=$(grep -o ' generation=[0-9]*' /sys/kernel/debug/fastrpc/mdsp)
	echo 1 >"$VDBG/mdsp/crash"
	wait "$BG_PID" || st=$?
	BG_PID=
	[ "$st" = 1 ]
	wait_event '^fastrpc_dsp_up domain=mdsp'
	# the channel's traffic goes with it: every request it sent was
	# answered but the sleep; the new channel counts from 0
	ev_query '$1 == "fastrpc_dsp_down" { print f["sent"] - f["received"] - f["pending"], (f["sent"] > 0), (f["sent_bytes"] >= 4096 * f["sent"]) }'
	assert_output "0 1 1"
	run -0 grep -o ' generation=[0-9]*' /sys/kernel/debug/fastrpc/mdsp
	[ "${output#*=}" -gt "${gen#*=}" ]
	ev_query '$1 ~ /^fastrpc_dsp_/ || ($1 ~ /^fastrpc_ctx_(response|complete|free)$/ &&
		f["ctx"] == '"$ctx"' && f["domain"] == "mdsp") {
		print $1, f["pending"] f["banks"] f["retval"] }'
	[[ ${lines[0]} =~ ^fastrpc_dsp_down\ [1-9][0-9]*$ ]]
	assert_line --index 1 "fastrpc_ctx_response -32"
	assert_line --index 2 "fastrpc_ctx_complete -32"
	assert_line --index 3 "fastrpc_ctx_free "
	[[ ${lines[4]} =~ ^fastrpc_dsp_up\ [1-9][0-9]*$ ]]
	[ "${#lines[@]}" = 5 ]
	# and the domain serves calls again
	for ((i = 0; i < 100; i++)); do
		"$CTL" -D mdsp invoke calculator sum 1 2 >/dev/null 2>&1 && break
		sleep 0.5
	done
	ctl -D mdsp invoke calculator sum 1 2
}

@test "BPF: tp_btf and tracepoint programs attach to every event and count what tracefs sees" {
	[ -e /sys/kernel/btf/fastrpc ] || skip "fastrpc.ko has no BTF"
	local n
	n=$(ls /sys/kernel/tracing/events/fastrpc | grep -c '^fastrpc_')
	# sessions last: it reads debugfs only, while the call's last context
	# may still be freed by the driver's workqueue
	run -0 "$HELPERS/frpc_bpf_trace" "$BPF_OBJ" sh -c \
		'"$1" invoke calculator sum 1 2 && exec "$1" sessions -D cdsp' sh "$CTL"
	# two programs per event, two more reading ctx_alloc's ctx_id
	assert_line "attached $((2 * n + 2)) programs"
	assert_line "command exit 0"
	echo "$output" >"$BATS_TEST_TMPDIR/bpf"
	trace_settled
	# one line per event the module has, each counted alike by both kinds
	# and by tracefs
	must awk -v ev="$EV" '
		BEGIN { while ((getline l < ev) > 0) { split(l, w, " "); seen[w[1]]++ } }
		$1 ~ /^(ctx_alloc|ctx_send|ctx_response|ctx_complete|ctx_free|msg_send|msg_response|client_open|client_close|pd_attach|pd_release|bank_assign)$/ {
			if ($2 == "btf=0") print "not counted:", $1 }
		$2 ~ /^btf=/ && $3 ~ /^tp=/ {
			b = substr($2, 5); t = substr($3, 4); s = seen["fastrpc_" $1] + 0
			rows++
			if (b != t || b != s) print $1, "btf=" b, "tp=" t, "tracefs=" s
		}
		END { print rows, "events" }' "$BATS_TEST_TMPDIR/bpf"
	assert_output "$n events"
	# ctx_id read through BTF and from the record: the last context's
	ev_query '$1 == "fastrpc_ctx_alloc" { id = f["ctx"] } END { print id }'
	[[ ${lines[0]} =~ ^[1-9][0-9]*$ ]]
	grep -qx "ctx_alloc ctx_id btf=${lines[0]} tp=${lines[0]}" "$BATS_TEST_TMPDIR/bpf"
}

@test "BPF: rmmod fastrpc fails while either kind is attached, works once detached" {
	[ -e /sys/kernel/btf/fastrpc ] || skip "fastrpc.ko has no BTF"
	local kind n
	n=$(ls /sys/kernel/tracing/events/fastrpc | grep -c '^fastrpc_')
	for kind in btf tp; do
		run -0 "$HELPERS/frpc_bpf_trace" -o "$kind" "$BPF_OBJ" rmmod fastrpc
		assert_line "attached $((n + 1)) programs"
		assert_line "command exit 1"
		assert_output --partial "in use"
		[ -c /dev/fastrpc-cdsp ]
	done
	rmmod fastrpc
	[ ! -e /dev/fastrpc-cdsp ]
	insmod "$TOP/kernel/fastrpc/fastrpc.ko"
	[ -c /dev/fastrpc-cdsp ]
	echo 1 >"$TR/events/fastrpc/enable"
	ctl invoke calculator sum 1 2
	trace_dump
	grep -q '^fastrpc_ctx_complete domain=cdsp' "$EV"
}
