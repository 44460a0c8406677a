# Sourced by guest scenarios (prepended by tests/vm/scenario.sh).
# check NAME CMD...: run CMD, print PASS:/FAIL: NAME, remember failures.
failed=0
check() {
	local what=$1; shift
	if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failed=1; fi
}
# A scenario ends with `finish`, whose status is the guest's verdict.
finish() { return $failed; }
# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds, at
# most SECONDS; the status says whether it ever did.
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
