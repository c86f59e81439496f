#!/bin/bash
# The fastrpc binding, checked with Debian's dt-schema tools:
#  - docs/bindings/qcom,fastrpc.yaml is a valid schema (dt-doc-validate);
#  - every node of the vdsp's overlay (kernel/vdsp/vdsp.dtso, applied to a
#    minimal root) validates against it (dt-mk-schema, dt-validate), and
#    the schema is what matched each qcom,fastrpc node;
#  - a broken copy of those nodes is refused (the check can fail).
# Prints what it finds; exits 1 on anything.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
schema=docs/bindings/qcom,fastrpc.yaml
overlay=kernel/vdsp/vdsp.dtso
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

complain() {
	echo "dtschema: $*"
	fail=1
}

# The overlay's nodes in a tree of their own, as YAML with property types
tree() {
	printf '/dts-v1/;\n/ {\n\tmodel = "fastrpc test guest";\n'
	printf '\tcompatible = "fastrpc,vdsp-guest";\n'
	printf '\t#address-cells = <1>;\n\t#size-cells = <1>;\n};\n'
	sed -e '/^\/dts-v1\/;/d' -e '/^\/plugin\/;/d' "$overlay"
}

to_yaml() {
	dtc -q -I dts -O yaml -o "$2" "$1" 2>&1
}

echo "dtschema: dt-doc-validate $schema"
out=$(dt-doc-validate -u docs/bindings "$schema" 2>&1) || true
[ -z "$out" ] || complain "$out"

out=$(dt-mk-schema -j -o "$tmp/schema.json" docs/bindings/ 2>&1) ||
	complain "dt-mk-schema: $out"

if [ ! -f "$overlay" ]; then
	echo "dtschema: no $overlay yet, only the schema checked"
	[ "$fail" = 0 ] && echo "dtschema: clean"
	exit "$fail"
fi

echo "dtschema: dt-validate $overlay against it"
tree >"$tmp/vdsp.dts"
out=$(to_yaml "$tmp/vdsp.dts" "$tmp/vdsp.yaml") || complain "dtc: $out"
out=$(dt-validate -s "$tmp/schema.json" "$tmp/vdsp.yaml" 2>&1)
[ -z "$out" ] || complain "$out"

# our schema is what checked each channel node (and, within it, its banks)
nodes=$(grep -c 'compatible = "qcom,fastrpc";' "$overlay")
matched=$(dt-validate -M -s "$tmp/schema.json" "$tmp/vdsp.yaml" 2>&1 |
	grep -c 'schemas/qcom,fastrpc.yaml#')
[ "$nodes" -gt 0 ] && [ "$matched" = "$nodes" ] ||
	complain "our schema matched $matched of $nodes qcom,fastrpc nodes"

echo "dtschema: a broken copy must be refused"
tree | sed -e '0,/qcom,fastrpc-compute-cb";/s//qcom,fastrpc-compute-cb";\n\t\t\t\tqcom,bogus;/' \
	-e '0,/label = "adsp";/s//label = "gpu";/' >"$tmp/bad.dts"
to_yaml "$tmp/bad.dts" "$tmp/bad.yaml" >/dev/null
out=$(dt-validate -s "$tmp/schema.json" "$tmp/bad.yaml" 2>&1)
grep -q "'qcom,bogus' does not match" <<<"$out" ||
	complain "an unknown bank property went through"
grep -q "'gpu' is not one of" <<<"$out" ||
	complain "an unknown label went through"

[ "$fail" = 0 ] && echo "dtschema: clean"
exit "$fail"
