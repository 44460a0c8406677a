# Sourced by guest scenarios (prepended by tests/vm/scenario.sh).
# check NAME CMD...: run CMD, print PASS:/FAIL: NAME, remember failures.
failed=0
check() {
	local what=$1; shift
	if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failed=1; fi
}
# A scenario ends with `finish`, whose status is the guest's verdict.
finish() { return $failed; }
