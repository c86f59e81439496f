#!/bin/bash
# By hand (make vm-run CMD=tests/bench/rates.sh), in the guest: one
# thread's echo call rate with and without the payload cache, which make
# bench does not compare, and the vdsp's transport floor (the rpmsg round
# trip with no driver work). Figures from one boot compare with each
# other only: the guest runs under software emulation.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
h=$top/tests/helpers
p=/sys/module/fastrpc/parameters/payload_cache_kib
calls=${FASTRPC_BENCH_CALLS:-2000}

echo "bench: $(nproc) CPUs, kernel $(uname -r)"
echo "cache on:  $("$h/frpc_stress" cdsp rate "$calls" | grep '^rate:')"
old=$(cat $p)
echo 0 >$p
echo "cache off: $("$h/frpc_stress" cdsp rate "$calls" | grep '^rate:')"
echo "$old" >$p
echo "$calls" >/sys/kernel/debug/vdsp/cdsp/floor
echo "transport floor: $(cat /sys/kernel/debug/vdsp/cdsp/floor)"
echo "64 threads: $("$h/frpc_stress" cdsp threads 4 16 $((calls / 10)) | grep '^rate:')"
