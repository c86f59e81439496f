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
