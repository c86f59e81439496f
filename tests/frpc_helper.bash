# Shared by the driver's bats files (020..035), after test_helper.

# start_holder DOMAIN SECONDS: a client of DOMAIN with a remote process,
# held for SECONDS in the background; returns once it is attached, with
# its pid in $holder. Fails if it does not say "ready" (it may have died).
start_holder() {
	local line=
	mkfifo "$BATS_TEST_TMPDIR/ready"
	"$HELPERS/frpc_call" "$1" hold "$2" >"$BATS_TEST_TMPDIR/ready" &
	holder=$!
	read -r -t 300 line <"$BATS_TEST_TMPDIR/ready" || true
	rm -f "$BATS_TEST_TMPDIR/ready"
	[ "$line" = ready ]
}

# assert_domains_clean [DOMAIN...]: each DOMAIN (default: every one the
# driver has) holds nothing: no client, call, orphan or bank in use, and
# its DSP no process
assert_domains_clean() {
	local d

	if [ "$#" = 0 ]; then
		for d in /sys/kernel/debug/fastrpc/*; do
			set -- "$@" "${d##*/}"
		done
	fi
	for d in "$@"; do
		run -0 cat "/sys/kernel/debug/fastrpc/$d"
		assert_line --regexp "^channel domain=$d status=up clients=0 pending=0 .* orphans=0 orphan_bytes=0 "
		refute_line --regexp 'used=[1-9]'
		run -0 cat "/sys/kernel/debug/vdsp/$d/status"
		assert_output --regexp "state=up .* processes=0$"
	done
}
