#!/bin/bash
# make fuzz: boot a guest of two vCPUs (the test kernel: KASAN, lockdep,
# kmemleak) and run tests/fuzz/guest.sh in it. Any splat in its log, an
# unexpected result, a state not clean or a leak fails it; the seed to
# replay is printed either way.
#
#   run.sh KDIR SEED SECONDS [PERMILLE]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=${1:?usage: run.sh KDIR SEED SECONDS [PERMILLE]}
seed=${2:?}
secs=${3:?}
permille=${4:-100}
out=$top/build/fuzz
mkdir -p "$out"

modules=()
for ko in kernel/vdsp/vdsp_smmu.ko kernel/vdsp/vdsp.ko kernel/fastrpc/fastrpc.ko; do
	modules+=(-m "$top/$ko")
done
t0=$SECONDS
# Boot, the run, the DSP restarts and the scan, with room for a slow hour
"$top/tests/vm/run.sh" -k "$kdir" --smp 2 "${modules[@]}" -t $((secs * 2 + 600)) \
	-l "$out/console.log" -- tests/fuzz/guest.sh "$seed" "$secs" "$permille"
rc=$?
splats=$("$top/tests/vm/splat-check.sh" "$out/console.log" | grep -c "^----")
echo "make fuzz: splats: $splats; guest status $rc; $((SECONDS - t0)) s in all"
echo "make fuzz: seed $seed; replay: make fuzz SEED=$seed SECONDS=$secs FUZZ_PERMILLE=$permille"
[ "$rc" = 0 ] && echo "make fuzz: passed" || echo "make fuzz: FAILED"
exit "$rc"
