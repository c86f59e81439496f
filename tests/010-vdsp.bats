#!/usr/bin/env bats
# The virtual DSP module (kernel/vdsp): its device-tree overlay, one rpmsg
# device per domain, its debugfs, module parameters, clean unload.

load test_helper
load vdsp_helper

DT=/sys/firmware/devicetree/base/vdsp
RPMSG=/sys/bus/rpmsg/devices

vdsp_unload() {
	if [ -d /sys/module/vdsp ]; then rmmod vdsp; fi
}

vdsp_reload() {
	vdsp_unload
	insmod "$VDSP_KO" "$@"
}

# dt_is FILE STRING: a string property's value
dt_is() {
	local v

	read -r -d '' v <"$1" || true
	[ "$v" = "$2" ]
}

# dt_u32 FILE...: each big-endian u32 property's value, one per line
dt_u32() {
	local b

	od -An -tu1 -w4 -v "$@" | while read -ra b; do
		echo $(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]))
	done
}

# count GLOB...: how many paths the glob matched
count() {
	local n=0 p

	for p in "$@"; do
		[ -e "$p" ] && n=$((n + 1))
	done
	echo $n
}

setup_file() {
	in_guest && [ -f "$VDSP_KO" ] || return 0
	# The load/unload cycles here test the vdsp alone: the driver goes
	# for the time of this file and comes back after.
	if [ -d /sys/module/fastrpc ]; then
		rmmod fastrpc
		touch "$BATS_FILE_TMPDIR/fastrpc-was-loaded"
	fi
	[ -d /sys/module/vdsp ] || insmod "$VDSP_KO"
}

teardown_file() {
	in_guest && [ -f "$VDSP_KO" ] || return 0
	[ -d /sys/module/vdsp ] || insmod "$VDSP_KO"
	if [ -e "$BATS_FILE_TMPDIR/fastrpc-was-loaded" ]; then
		insmod "$TOP/kernel/fastrpc/fastrpc.ko"
	fi
}

setup() {
	skip_unless_guest
	[ -f "$VDSP_KO" ] || skip "vdsp.ko is not built"
	[ -d /sys/module/vdsp ] || insmod "$VDSP_KO"
}

@test "the overlay holds one qcom,fastrpc node per domain, labelled" {
	for d in adsp mdsp sdsp cdsp; do
		dt_is "$DT/fastrpc-$d/compatible" qcom,fastrpc
		dt_is "$DT/fastrpc-$d/label" "$d"
		dt_is "$DT/fastrpc-$d/qcom,glink-channels" fastrpcglink-apps-dsp
	done
	run -0 dt_u32 "$DT"/fastrpc-*/#address-cells "$DT"/fastrpc-*/#size-cells
	[ "${lines[*]}" = "1 1 1 1 0 0 0 0" ]
}

@test "only sdsp is a secure domain" {
	for d in adsp mdsp cdsp; do
		[ -e "$DT/fastrpc-$d/qcom,non-secure-domain" ]
	done
	[ ! -e "$DT/fastrpc-sdsp/qcom,non-secure-domain" ]
}

@test "context banks: cdsp 8 + 1 secure, one shared by 4 sessions; adsp 3, mdsp 2, sdsp 1 + 1 secure" {
	[ "$(count "$DT"/fastrpc-cdsp/compute-cb@*)" = 9 ]
	[ "$(count "$DT"/fastrpc-adsp/compute-cb@*)" = 3 ]
	[ "$(count "$DT"/fastrpc-mdsp/compute-cb@*)" = 2 ]
	[ "$(count "$DT"/fastrpc-sdsp/compute-cb@*)" = 2 ]
	cbs=("$DT"/fastrpc-*/compute-cb@*)
	want=()
	for cb in "${cbs[@]}"; do
		dt_is "$cb/compatible" qcom,fastrpc-compute-cb
		# the unit address is the stream id in reg
		want+=("$((16#${cb##*@}))")
	done
	run -0 dt_u32 "${cbs[@]/%//reg}" "$DT/fastrpc-cdsp/compute-cb@8/qcom,nsessions"
	[ "${lines[*]}" = "${want[*]} 4" ]
	secure=("$DT"/fastrpc-*/compute-cb@*/qcom,secure-context-bank)
	[ "${secure[*]}" = "$DT/fastrpc-cdsp/compute-cb@9/qcom,secure-context-bank $DT/fastrpc-sdsp/compute-cb@2/qcom,secure-context-bank" ]
}

@test "one rpmsg device per domain, its of_node the domain's node" {
	[ "$(count "$RPMSG"/vdsp-*)" = 4 ]
	for d in adsp mdsp sdsp cdsp; do
		dev=$RPMSG/vdsp-$d.fastrpcglink-apps-dsp.-1.-1
		[ -e "$dev" ]
		[ "$dev/of_node" -ef "$DT/fastrpc-$d" ]
	done
}

@test "debugfs: every domain up, with no process yet" {
	for d in adsp mdsp sdsp cdsp; do
		read -r line <"$DBG/$d/status"
		[[ $line =~ ^domain=$d\ state=up\ restarts=[0-9]+\ threads=2\ processes=0$ ]]
		[ ! -s "$DBG/$d/processes" ]
	done
}

@test "unload removes the nodes, the rpmsg devices and debugfs; load brings them back" {
	vdsp_unload
	[ ! -e "$DT" ]
	[ "$(count "$RPMSG"/vdsp-*)" = 0 ]
	[ ! -e "$DBG" ]
	insmod "$VDSP_KO"
	[ -e "$DT/fastrpc-cdsp" ]
	[ -e "$RPMSG/vdsp-cdsp.fastrpcglink-apps-dsp.-1.-1" ]
	[ -e "$DBG/cdsp/status" ]
}

@test "domains= and banks= choose the domains and their banks" {
	vdsp_reload domains=cdsp,adsp banks=cdsp:2,adsp:5
	[ ! -e "$DT/fastrpc-mdsp" ]
	[ ! -e "$DT/fastrpc-sdsp" ]
	# cdsp keeps its first 2 banks and its secure bank
	cbs=("$DT"/fastrpc-cdsp/compute-cb@*)
	[ "${cbs[*]##*/}" = "compute-cb@1 compute-cb@2 compute-cb@9" ]
	# adsp gains banks after its highest stream id
	cbs=("$DT"/fastrpc-adsp/compute-cb@*)
	[ "${cbs[*]##*/}" = "compute-cb@3 compute-cb@4 compute-cb@5 compute-cb@6 compute-cb@7" ]
	dt_is "$DT/fastrpc-adsp/compute-cb@7/compatible" qcom,fastrpc-compute-cb
	run -0 dt_u32 "$DT/fastrpc-adsp/compute-cb@6/reg" "$DT/fastrpc-adsp/compute-cb@7/reg"
	[ "${lines[*]}" = "6 7" ]
	[ "$(count "$RPMSG"/vdsp-*)" = 2 ]
	[ ! -e "$DBG/mdsp" ]
	vdsp_reload
	[ "$(count "$DT"/fastrpc-cdsp/compute-cb@*)" = 9 ]
}

@test "bad parameters are refused and leave nothing behind" {
	vdsp_unload
	for p in domains=xdsp domains= "domains=cdsp,foo" banks=cdsp:99 \
		banks=cdsp banks=qdsp:1 threads=0x; do
		run insmod "$VDSP_KO" "$p"
		[ "$status" -ne 0 ]
		[ ! -e "$DT" ]
		[ ! -d /sys/module/vdsp ]
	done
	run dmesg
	assert_output --partial "vdsp: unknown domain 'xdsp'"
	assert_output --partial "vdsp: banks: want label:count"
}

@test "load/unload cycles leave no leak" {
	local i
	# no scan first to set earlier leaks aside (two scans, 20 s here): a
	# leak of an earlier test fails this one too, and kmemleak's report
	# names where each object was allocated
	for ((i = 0; i < $(size 3 20); i++)); do
		vdsp_reload
	done
	[ -e "$RPMSG/vdsp-cdsp.fastrpcglink-apps-dsp.-1.-1" ]
	kmemleak_clean
}

@test "transport floor: round trips through the queue and a runtime thread" {
	echo 50 >"$DBG/cdsp/floor"
	read -r line <"$DBG/cdsp/floor"
	[[ $line =~ ^rounds=50\ min_ns=([0-9]+)\ avg_ns=([0-9]+)\ max_ns=([0-9]+)$ ]]
	# a round trip takes time; the figures themselves are make bench's
	[ "${BASH_REMATCH[1]}" -gt 0 ]
	# 0 rounds is refused
	if echo 0 2>/dev/null >"$DBG/cdsp/floor"; then false; fi
}
