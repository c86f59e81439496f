#!/usr/bin/env bats
# fastrpcctl sessions against the driver and the vdsp: channels and banks
# as debugfs has them, and the clients of `create --hold` and
# `alloc --hold` running in the background.

load test_helper
load cli_helper

setup() {
	need_driver
}

teardown() {
	kill_holds
}

# "sid:secure:sessions:used ..." of DOMAIN's banks, read from debugfs
# with builtins only
debugfs_banks() {
	local type sid sec ses used rest
	REPLY=
	while read -r type sid sec ses used rest; do
		[ "$type" = bank ] || continue
		REPLY+="${sid#sid=}:${sec#secure=}:${ses#sessions=}:${used#used=} "
	done <"/sys/kernel/debug/fastrpc/$1"
}

@test "cli sessions: every channel and its banks, as in debugfs" {
	ctl -j sessions
	jq_is '[.[] | "\(.domain):\(.source):\(.channel.status)"] | join(" ")' \
		"adsp:debugfs:up mdsp:debugfs:up sdsp:debugfs:up cdsp:debugfs:up"
	for d in adsp mdsp sdsp cdsp; do
		debugfs_banks "$d"
		[ -n "$REPLY" ]
		jq_is ".[] | select(.domain == \"$d\") | [.banks[] |
			\"\(.sid):\(if .secure then 1 else 0 end):\(.sessions):\(.used) \"] | add" "$REPLY"
	done
	# the vdsp's defaults: cdsp 8 banks + 1 secure, one shared by 4
	# sessions; adsp 3 banks; mdsp 2; sdsp 2, 1 of them secure
	jq_is '[.[] | "\(.domain)=\(.banks | length)/\([.banks[] | select(.secure)] | length)"] | join(" ")' \
		"adsp=3/0 mdsp=2/0 sdsp=2/1 cdsp=9/1"
	jq_is '[.[3].banks[] | select(.sessions == 4)] | length' 1

	ctl sessions --domain cdsp
	assert_line --index 0 --regexp "^cdsp: status up, clients [0-9]+, pending 0, invokes [0-9]+, errors [0-9]+$"
	assert_line --index 1 --regexp "^  BANK +SECURE +SESSIONS +USED$"
	assert_line --regexp "^  8 +no +4 +[0-4]$"
	assert_line --regexp "^  9 +yes +1 +[01]$"
	refute_line --regexp "^(adsp|mdsp|sdsp):"
	ctl -D sdsp list
	assert_line --index 0 --regexp "^sdsp: status up, "
	assert_line --index 3 --regexp "^  2 +yes +1 +[01]$"
}

@test "cli sessions: create --hold and alloc --hold in the background, --pid, release" {
	local t=$BATS_TEST_TMPDIR cpid apid
	start_hold "$t/c" "$CTL" -j create --dynamic --hold
	cpid=$HOLD_PID
	start_hold "$t/a" "$CTL" -j alloc --size 64K --fill 0x5a --hold
	apid=$HOLD_PID
	must jq -c '[.pid, .client.id, .client.fd, .client.sid, .hold]' "$t/c"
	[[ $output =~ ^\[$cpid,([0-9]+),([0-9]+),([0-9]+),true\]$ ]]
	local cid=${BASH_REMATCH[1]} cfd=${BASH_REMATCH[2]} csid=${BASH_REMATCH[3]}
	must jq -c '[.pid, .client.id, .client.sid]' "$t/a"
	[[ $output =~ ^\[$apid,([0-9]+),([0-9]+)\]$ ]]
	local aid=${BASH_REMATCH[1]} asid=${BASH_REMATCH[2]}

	# debugfs and fdinfo, merged: the dynamic PD with its fd and name,
	# the allocation with its buffer and mapping
	ctl -j sessions -D cdsp
	jq_is ".[0].clients[] | select(.id == $cid) |
		[.pid, .pd, .sid, .pending, .fd, .pd_name, .comm, .secure, .domain]" \
		"[$cpid,\"dynamic\",$csid,0,$cfd,\"fastrpcctl\",\"fastrpcctl\",false,\"cdsp\"]"
	# one schema: every member of a client, whichever source, typed
	jq_is ".[0].clients[] | select(.id == $cid) | keys_unsorted" \
		'["id","domain","pid","tid","comm","fd","secure","pd","pd_name","sid","pending","pending_bytes","parked","maps","map_bytes","buffers","buffer_bytes","payload_cache_bytes","payload_large_bytes","payload_large_reuses"]'
	jq_is ".[0].clients[] | select(.id == $cid) | [.[] | type] | unique" '["boolean","number","string"]'
	jq_is ".[0] | [keys_unsorted, (.channel | keys_unsorted), (.banks[0] | keys_unsorted)]" \
		'[["domain","source","channel","banks","clients"],["status","clients","pending","invokes","errors","orphans","orphan_bytes","generation","sent","sent_bytes","received","received_bytes","in_flight_max"],["sid","secure","sessions","used"]]'
	jq_is ".[0].clients[] | select(.id == $aid) |
		[.pid, .pd, .sid, .maps, .map_bytes, .buffers, .buffer_bytes]" \
		"[$apid,\"root\",$asid,1,65536,1,65536]"
	jq_is "[.[0].banks[] | select(.sid == $csid or .sid == $asid) | .used > 0] | all" true

	ctl sessions -D cdsp
	assert_line --regexp "^  CLIENT +PID +FD +PD +SID +SECURE +PENDING +MAPS +MAP_BYTES +BUFFERS +BUF_BYTES +COMM$"
	assert_line --regexp "^  $cid +$cpid +$cfd +dynamic +$csid +no +0 +0 +0 +0 +0 +fastrpcctl \(fastrpcctl\)$"
	assert_line --regexp "^  $aid +$apid +[0-9]+ +root +$asid +no +0 +1 +65536 +1 +65536 +fastrpcctl$"

	# --pid keeps that process's clients only, across every domain
	ctl -j sessions --pid "$apid"
	jq_is '[.[].clients[].id] | @text' "[$aid]"
	jq_is 'length' 4

	# SIGTERM and SIGINT both end a hold with status 0; the clients go
	kill -TERM "$apid"
	wait "$apid"
	kill -INT "$cpid"
	wait "$cpid"
	ctl -j sessions -D cdsp
	jq_is "[.[0].clients[] | select(.id == $cid or .id == $aid)] | length" 0
}

@test "cli sessions: the text of a hold, and sessions while it runs" {
	start_hold "$BATS_TEST_TMPDIR/out" "$CTL" create --attach --hold -D adsp
	must cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --regexp "^adsp: root PD ready on /dev/fastrpc-adsp, pid $HOLD_PID, client [0-9]+, stream id [0-9]+; held until SIGINT or SIGTERM$"
	assert_line --index 1 "holding until SIGINT or SIGTERM"
	ctl sessions --pid "$HOLD_PID"
	assert_line --regexp "^  [0-9]+ +$HOLD_PID +[0-9]+ +root .* fastrpcctl$"
	# the other three domains have none of this process's clients
	local l none=0
	for l in "${lines[@]}"; do
		[ "$l" = "  no clients" ] && none=$((none + 1))
	done
	[ "$none" = 3 ]
	stop_hold "$HOLD_PID"
}

@test "cli sessions: a client's kept payloads, from debugfs and fdinfo alike" {
	local pid id kept reuses covered
	coproc HOLD { exec "$HELPERS/frpc_call" cdsp hold 60 1048576; }
	pid=$HOLD_PID
	read -r -u "${HOLD[0]}" _
	# a 1 MiB echo's payload (its 2 MiB of buffers and the wire's
	# metadata) stays kept for the client's next call
	ctl -j sessions --pid "$pid"
	must jq -r '.[].clients[] | "\(.id) \(.payload_large_bytes) \(.payload_large_reuses) \(.payload_cache_bytes >= .payload_large_bytes)"' <<<"$output"
	read -r id kept reuses covered <<<"$output"
	[ "$kept" -gt $((2 * 1048576)) ] && [ "$reuses" = 0 ] && [ "$covered" = true ]
	# debugfs says the same as the fdinfo of the fd
	must grep -h "^client id=$id " /sys/kernel/debug/fastrpc/cdsp
	assert_output --regexp " payload_large_bytes=$kept payload_large_reuses=0 comm=frpc_call$"
	must cat /proc/"$pid"/fdinfo/*
	assert_line "fastrpc-payload-large-bytes:	$kept"
	kill "$pid"
	wait "$pid" || true
}
