#!/usr/bin/env bash
# check-model.sh - exhaustive SPIN checks of tests/model/relief.pml.
#
# Each check: spin -a with its -D knobs, cc the verifier, run it over the
# full state space (no bitstate), and read pan's "errors: N". A property
# check passes with 0 errors; a negative control or cover check passes
# only if pan finds an error (the model demonstrably can fail, and the
# runs it is meant to contain exist). Output: one PASS:/FAIL: line each.
# pan is compiled -O0: the state spaces are small (seconds of search at
# most), and compiling pan.c -O2 costs ~15 s per check on this machine.
#
# usage: check-model.sh OUTDIR [NAME...]   (default: every check)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: check-model.sh OUTDIR [NAME...]}
shift
want=("$@")
mkdir -p "$out"
cc=${CC:-cc}
base="-DMAX_CRASH=2 -DND=2"

# name | expect (ok|error) | mode (safety|ltl NAME) | spin -D flags
checks=(
	"safety|ok|safety|$base"
	"terminates|ok|ltl terminates|$base"
	"loss|ok|safety|$base -DMAX_LOSS=2"
	"neg-reclaim|error|safety|$base -DBROKEN_RECLAIM"
	"neg-acked-giveup|error|safety|$base -DBROKEN_ACKED_GIVEUP"
	"neg-livelock|error|ltl terminates|$base -DBROKEN_LIVELOCK"
	"gap-loss-no-owner|error|safety|$base -DMAX_LOSS=1 -DEXACT_UNDER_LOSS"
	"cover-relieved|error|safety|$base -DREACH_RELIEVED"
	"cover-rollback-new-dead|error|safety|$base -DREACH_ROLLBACK_NEW_DEAD"
	"cover-rollback-old-dead|error|safety|$base -DREACH_ROLLBACK_OLD_DEAD"
	"cover-abort-crossing|error|safety|$base -DREACH_ABORT_CROSSING"
	"cover-acked-gap|error|safety|$base -DREACH_ACKED_GAP"
	"cover-rehearsal|error|safety|$base -DREACH_REHEARSAL"
)

rc=0
for c in "${checks[@]}"; do
	IFS='|' read -r name expect mode flags <<< "$c"
	if [ ${#want[@]} -gt 0 ] && ! printf '%s\n' "${want[@]}" | grep -qx "$name"; then
		continue
	fi
	d=$out/$name
	rm -rf "$d" && mkdir -p "$d"
	cp "$here/relief.pml" "$d/"
	# shellcheck disable=SC2086
	if ! (cd "$d" && spin $flags -a relief.pml > spin.log 2>&1); then
		echo "FAIL: model $name: spin -a failed (see $d/spin.log)"
		rc=1; continue
	fi
	if [ "${mode%% *}" = ltl ]; then
		ccf="-O0 -DVECTORSZ=1024 -DNOFAIR"
		runf="-a -N ${mode#ltl } -m1000000 -w20"
	else
		ccf="-O0 -DVECTORSZ=1024 -DSAFETY -DNOCLAIM"
		runf="-m1000000 -w20"
	fi
	# shellcheck disable=SC2086
	if ! (cd "$d" && $cc $ccf -o pan pan.c > cc.log 2>&1); then
		echo "FAIL: model $name: cc pan.c failed (see $d/cc.log)"
		rc=1; continue
	fi
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	(cd "$d" && ./pan $runf > pan.log 2>&1)
	t1=$(date +%s.%N)
	errs=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.log" | head -1)
	states=$(sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' "$d/pan.log" | head -1)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	if [ -z "$errs" ] || [ -z "$states" ]; then
		echo "FAIL: model $name: no verdict from pan (see $d/pan.log)"
		rc=1; continue
	fi
	if grep -q "search not completed\|max search depth too small" "$d/pan.log"; then
		echo "FAIL: model $name: search incomplete (see $d/pan.log)"
		rc=1; continue
	fi
	if [ "$expect" = ok ]; then
		if [ "$errs" -eq 0 ]; then
			echo "PASS: model $name: $states states, no errors (${secs} s)"
		else
			echo "FAIL: model $name: $states states, $errs errors (trail: cd $d && spin -t -p $flags relief.pml)"
			rc=1
		fi
	else
		if [ "$errs" -gt 0 ]; then
			echo "PASS: model $name: pan found the expected error ($states states, ${secs} s)"
		else
			echo "FAIL: model $name: $states states, no error, but this check must find one"
			rc=1
		fi
	fi
done
exit $rc
