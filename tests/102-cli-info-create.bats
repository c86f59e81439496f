#!/usr/bin/env bats
# fastrpcctl info (GET_DSP_INFO, decoded) and create (root, sensors,
# dynamic and static PDs), against the driver and the vdsp.

load test_helper
load cli_helper

ATTRS="domain_support unsigned_pd_support hvx_support_64b hvx_support_128b vtcm_page vtcm_count arch_ver hmx_support_depth hmx_support_spatial async_fastrpc_support status_notification_support mcid_multicast"

setup() {
	need_driver
}

# A Hexagon shell made without fastrpcctl: an ELF32 LE header with
# e_machine MACHINE (164: Hexagon), padded to 4 KiB.
printf_shell() {
	local f=$1 machine=${2:-164}
	printf '\x7fELF\x01\x01\x01\0\0\0\0\0\0\0\0\0\x02\0%b\0\x01\0\0\0%b' \
		"\\x$(printf %02x "$machine")" '\0\0\0\0\0\0\0\0\0\0\0\0\x68\0\0\0\x34\0\x20\0\0\0\x28\0\0\0\0\0' >"$f"
	truncate -s 4096 "$f"
}

# bats test_tags=agnostic
@test "cli info: names, text and JSON agree, one attribute, every domain" {
	ctl -j info -D cdsp
	jq_is '.[0] | "\(.domain) \(.node) \(.attributes | keys_unsorted | join(" "))"' \
		"cdsp /dev/fastrpc-cdsp $ATTRS"
	jq_is '.[0].attributes.domain_support' 1
	local json=$output a
	ctl info --domain cdsp
	assert_line --index 0 "cdsp (/dev/fastrpc-cdsp):"
	assert_equal "${#lines[@]}" 13
	# each text line carries the JSON value (arch_ver in hex too)
	must jq -r '.[0].attributes | to_entries[] | "\(.key) \(.value)"' <<<"$json"
	local values=("${lines[@]}")
	ctl info --domain cdsp
	for a in "${values[@]}"; do
		assert_line --regexp "^  ${a% *} +${a#* }( \(0x[0-9a-f]+\))?$"
	done
	# by prefix and by number; the vdsp's cdsp is a v68 with 256 KiB VTCM pages
	ctl info -D cdsp arch 5 vtcm_p
	assert_output "cdsp (/dev/fastrpc-cdsp):
  arch_ver                     104 (0x68)
  vtcm_count                   16
  vtcm_page                    262144"
	# -p: the same document, indented
	ctl -p info -D cdsp vtcm_c
	assert_output '[
  {
    "domain": "cdsp",
    "node": "/dev/fastrpc-cdsp",
    "attributes": {
      "vtcm_count": 16
    }
  }
]'
	# every domain with a node; sdsp only has its secure one
	ctl -j info domain_support
	jq_is '[.[] | "\(.domain):\(.node):\(.attributes.domain_support)"] | join(" ")' \
		"adsp:/dev/fastrpc-adsp:1 mdsp:/dev/fastrpc-mdsp:1 sdsp:/dev/fastrpc-sdsp-secure:1 cdsp:/dev/fastrpc-cdsp:1"
	# the DSP utilities handle called raw returns attributes 1..count
	ctl -j invoke 2 0 u32:4 out:u32:4
	raw=$output
	ctl -j info -D cdsp 1 2 3 4
	jq_is '[.[0].attributes[]]' "$(jq -c '.outputs[0].values' <<<"$raw")"
}

@test "cli create: root, sensors, dynamic (three ways), static, none" {
	local f=$BATS_TEST_TMPDIR/shell
	ctl create
	assert_output --regexp "^cdsp: root PD set up on /dev/fastrpc-cdsp, pid [0-9]+, client [0-9]+, stream id [0-9]+; released as fastrpcctl exits \(--hold keeps it\)$"
	ctl -j create --attach
	jq_is '[.domain, .node, .pd, .hold, .released, .client.domain, .client.pd, .client.secure, .client.pending, .client.pid == .pid, .client.sid >= 1]' \
		'["cdsp","/dev/fastrpc-cdsp","root",false,true,"cdsp","root",false,0,true,true]'
	ctl -j -D adsp create --sensors
	jq_is '[.node, .pd, .client.pd]' '["/dev/fastrpc-adsp","sensors","sensors"]'
	ctl -j -D mdsp create --dynamic
	jq_is '[.node, .pd, .shell, .client.pd, .client.pd_name]' \
		'["/dev/fastrpc-mdsp","dynamic","built-in","dynamic","fastrpcctl"]'
	printf_shell "$f"
	ctl create --write-shell "$f.gen" --size 4K
	cmp "$f" "$f.gen"
	ctl -j create --shell "$f" --unsigned
	jq_is '[.shell, .client.pd]' "[\"$f\",\"dynamic\"]"
	ctl -j create --shell "$f" --shell-fd
	jq_is '.client.pd' dynamic
	ctl -j create --static audiopd -D adsp --memlen 2M
	jq_is '[.pd, .name, .client.pd, .client.pd_name]' '["static","audiopd","static","audiopd"]'
	ctl -j create --no-pd
	jq_is '[.pd, .client.pd]' '["none","none"]'
}

# bats test_tags=agnostic
@test "cli create: what the DSP refuses: not a Hexagon ELF, an unknown static PD" {
	local f=$BATS_TEST_TMPDIR/x86
	printf_shell "$f" 62
	fails_with 1 "^fastrpcctl: cannot create a dynamic PD on cdsp from $f: [A-Z].+$" \
		"$CTL" create --shell "$f"
	head -c 4096 /dev/zero >"$f"
	json_fails_with 1 "^cannot create a dynamic PD on cdsp from $f: [A-Z]" \
		"$CTL" -j create --shell "$f" --shell-fd
	fails_with 1 "^fastrpcctl: cannot create the static PD 'nosuchpd' on adsp: [A-Z].+$" \
		"$CTL" -D adsp create --static nosuchpd
}
