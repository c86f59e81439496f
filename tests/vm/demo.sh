#!/bin/bash
# What `make run` shows in the guest: the CLI against the virtual DSP.
# Each step is printed before it runs; the demo grows with the CLI.
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$top/cli/fastrpcctl

step() {
	printf '\n$ %s\n' "$*"
	"$@"
}

echo "fastrpc demo guest: kernel $(uname -r)"
step ls /sys/bus/rpmsg/devices
if [ ! -x "$ctl" ]; then
	echo "fastrpcctl is not built yet; nothing more to show"
	exit 0
fi
step "$ctl" sessions
step "$ctl" info
step "$ctl" create --domain cdsp --attach
step "$ctl" invoke --domain cdsp calculator sum 1 2 3 4
step "$ctl" alloc --domain cdsp --size 65536 --fill 0xab

# Live tracing: the fastrpc trace events of one invoke, through tracefs.
events=/sys/kernel/tracing/events/fastrpc
if [ -d "$events" ]; then
	trace=/sys/kernel/tracing/trace
	echo >"$trace"
	echo 1 >"$events/enable"
	step "$ctl" invoke --domain cdsp echo copy str:hello-dsp
	echo 0 >"$events/enable"
	printf '\n$ grep fastrpc_ %s\n' "$trace"
	grep -E ' fastrpc_[a-z_]+:' "$trace" | sed -E 's/^ +//'
fi

# The BPF tools: a live stream of a few calls, then their histograms.
# attached CMD...: fastrpcctl -d CMD in the background, once its BPF
# programs are attached; its pid in BG
attached() {
	"$ctl" -d "$@" 2>/tmp/demo-bpf.err &
	BG=$!
	until grep -q ': attached' /tmp/demo-bpf.err 2>/dev/null; do
		kill -0 "$BG" 2>/dev/null || break
		sleep 0.2
	done
}

if [ -r /sys/kernel/btf/fastrpc ]; then
	printf '\n$ %s trace -T   (while 3 calls and an mmap run; then SIGINT)\n' "$ctl"
	attached trace -T
	"$ctl" invoke --domain cdsp --repeat 3 calculator sum 1 2 >/dev/null
	"$ctl" mmap --domain cdsp --size 64K --munmap >/dev/null
	kill -INT "$BG"
	wait "$BG"
	grep -v 'fastrpcctl: debug: ' /tmp/demo-bpf.err

	printf '\n$ %s stat -D cdsp 3 1   (while 50 calls run)\n' "$ctl"
	attached stat -D cdsp 3 1
	"$ctl" invoke --domain cdsp --repeat 50 calculator sum 1 2 >/dev/null
	wait "$BG"
fi
