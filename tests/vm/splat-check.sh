#!/bin/bash
# Print every kernel splat in a guest console log, with the lines after it;
# print nothing when the log is clean. Each splat starts with a "----"
# line; the first MAX of them are printed (default 5).
#
# Only kernel lines count: they carry the printk timestamp "[    1.234567] ",
# so a test that merely prints "WARNING:" cannot trip the check.
set -euo pipefail

log=${1:?usage: splat-check.sh CONSOLE_LOG [MAX]}
max=${2:-5}

awk -v max="$max" '
	BEGIN {
		# "BUG kmalloc-64 (Not tainted): ..." is how SLUB reports a
		# corrupted object; "detected expedited stalls" an expedited
		# RCU stall; ODEBUG and DMA-API may print without a WARN once
		# they have switched themselves off.
		pat = "(BUG:|kernel BUG at|BUG [^ ]+ \\((Not t|T)ainted|WARNING:|Oops|" \
		      "general protection fault|KASAN|UBSAN|unreferenced object|" \
		      "INFO: task .* blocked for more than|detected (expedited )?stalls?|" \
		      "self-detected stall|Kernel panic|ODEBUG:|DMA-API: |" \
		      "kmemleak: .*(disabled|[Ff]ailed)|" \
		      "INFO: trying to register non-static key|list_(add|del) corruption)"
		left = 0; shown = 0
	}
	{ sub(/\r$/, "") }
	/^\[ *[0-9]+\.[0-9]+\] / {
		body = $0
		sub(/^\[ *[0-9]+\.[0-9]+\] /, "", body)
		if (body ~ pat && left == 0 && shown < max) {
			print "----"
			left = 40
			shown++
		}
		if (left > 0) { print; left-- }
	}
' "$log"
