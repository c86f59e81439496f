#!/usr/bin/env bats
# The DKMS package (dkms.conf, make dkms-install / dkms-remove) checked for
# real: dkms builds fastrpc.ko against the test kernel's tree. On the host:
# a build in the emulated guest would take minutes, and what is checked is
# the package and the build, not the module's behaviour (the guest suite
# has that).

load ../test_helper

# dkms's trees, /lib/modules and depmod moved into the test's directory:
# nothing of the machine's own DKMS setup is read or changed. sign_file
# names no program: otherwise dkms, finding one for a 6.12 kernel, would
# make itself a signing key under /var/lib/dkms.
dkms_flags() {
	local t=$BATS_TEST_TMPDIR

	echo "--dkmstree $t/dkms --installtree $t/modules --kernelsourcedir $FASTRPC_KDIR --no-depmod"
}

dkms_make() {
	run env sign_file=/nonexistent make -s -C "$TOP" "$1" KVER="$kver" \
		DKMS_SOURCE_TREE="$BATS_TEST_TMPDIR/src" DESTDIR="$BATS_TEST_TMPDIR" \
		UDEV_RULES_DIR=/rules DKMS_FLAGS="$(dkms_flags)"
}

@test "make dkms-install: dkms builds fastrpc.ko for the test kernel and installs it and the udev rule; dkms-remove undoes it" {
	[ "$(id -u)" = 0 ] || skip "dkms install and remove insist on root, even into other trees"
	local t=$BATS_TEST_TMPDIR before ko ver kver
	kver=$(cat "$FASTRPC_KDIR/include/config/kernel.release")
	# dkms wants its tree there (the package makes /var/lib/dkms), and
	# installs only for a kernel whose module directory exists
	mkdir -p "$t/dkms" "$t/modules/$kver"
	before=$(ls -a /var/lib/dkms /usr/src 2>&1)

	dkms_make dkms-install
	assert_success
	ver=$(cd "$t/src" && echo fastrpc-*)
	ver=${ver#fastrpc-}
	# the package is the driver alone
	[ -f "$t/src/fastrpc-$ver/kernel/fastrpc/main.c" ]
	[ ! -e "$t/src/fastrpc-$ver/kernel/vdsp" ]
	[ ! -e "$t/src/fastrpc-$ver/tests" ]
	ko=$t/modules/$kver/updates/dkms/fastrpc.ko
	[ -f "$t/dkms/fastrpc/$ver/$kver/$(uname -m)/module/fastrpc.ko" ]
	[ -f "$ko" ]
	# the vermagic the test kernel accepts: that of the modules make built
	# against the same tree (loaded by every guest)
	run -0 modinfo -F vermagic "$ko"
	assert_output "$(modinfo -F vermagic "$TOP/kernel/fastrpc/fastrpc.ko")"
	assert_output --regexp "^$kver "
	run -0 modinfo -F name "$ko"
	assert_output fastrpc
	cmp "$TOP/kernel/fastrpc/60-fastrpc.rules" "$t/rules/60-fastrpc.rules"
	# shellcheck disable=SC2046 # the flags are words
	run -0 dkms status $(dkms_flags) --sourcetree "$t/src" -m fastrpc
	assert_output "fastrpc/$ver, $kver, $(uname -m): installed"

	dkms_make dkms-remove
	assert_success
	[ ! -e "$ko" ]
	[ ! -e "$t/dkms/fastrpc" ]
	[ ! -e "$t/src/fastrpc-$ver" ]
	[ ! -e "$t/rules/60-fastrpc.rules" ]
	# and the machine's own trees were never touched
	assert_equal "$(ls -a /var/lib/dkms /usr/src 2>&1)" "$before"
}
