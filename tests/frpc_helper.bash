# Shared by the driver's bats files (020..026), after test_helper.

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
