# Sourced by tests/run-tests.sh (host) and tests/vm/guest-suite.sh (guest):
# which tests of a bats file run, as bats itself decides it, so that both
# sides agree on a file's plan. Pure bash: every exec costs in the guest.

# bats_plan FILE [TAG]: the names of FILE's tests, in order; with TAG, only
# those that `bats --filter-tags TAG` runs: tagged TAG by the
# `# bats test_tags=` line before them or a `# bats file_tags=` line
# above them (bats-preprocess's rules, bats 1.8)
bats_plan() {
	local line name tags='' ftags='' tag=${2:-}
	local re_test='^[[:blank:]]*@test[[:blank:]]+("([^"]*)"|'\''([^'\'']*)'\'')'
	local re_tags='^[[:blank:]]*#[[:blank:]]*bats[[:blank:]]+(test|file)_tags=(.*)$'

	while IFS= read -r line; do
		if [[ $line =~ $re_test ]]; then
			name=${BASH_REMATCH[2]}${BASH_REMATCH[3]}
			if [ -z "$tag" ] || [[ ,$tags,$ftags, == *,"$tag",* ]]; then
				printf '%s\n' "$name"
			fi
			tags=
		elif [[ $line =~ $re_tags ]]; then
			if [ "${BASH_REMATCH[1]}" = test ]; then
				tags=${BASH_REMATCH[2]// /}
			else
				ftags=${BASH_REMATCH[2]// /}
			fi
		fi
	done <"$1"
}
