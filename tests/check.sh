#!/usr/bin/env bash
# check.sh - everything `make check` runs, phase by phase, with timings.
# A phase's results are its "PASS:"/"FAIL:" lines and TAP "ok"/"not ok"
# lines; a phase that fails without saying which test counts as one failure.
# The last line is "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p out
log=out/check.log
: > "$log"

phases=(
	"build:make -s userspace"
	"unit:make -s check-unit"
	"sim:make -s check-sim"
	"reliefctl:make -s check-reliefctl"
	"coverage:make -s check-coverage"
	"freestanding:make -s check-freestanding"
	"model:make -s check-model"
	"fuzz:make -s check-fuzz"
	"kernel:make -s kernel"
	"images:make -s check-images"
	"style:make -s check-style"
	"vm:make -s check-vm"
	"server:make -s check-server"
)
only=${CHECK_PHASES:-}
passed=0 failed=0 summary=()
t_all=$(date +%s)
for ph in "${phases[@]}"; do
	name=${ph%%:*} cmd=${ph#*:}
	if [ -n "$only" ] && ! grep -qw "$name" <<< "$only"; then continue; fi
	echo "=== $name: $cmd"
	t0=$(date +%s)
	out=$(mktemp)
	$cmd 2>&1 | tee "$out" | tee -a "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^(PASS: |ok [0-9])' "$out")
	f=$(grep -cE '^(FAIL: |not ok [0-9])' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: '$cmd' exited $rc"
		f=1
	fi
	rm -f "$out"
	dt=$(( $(date +%s) - t0 ))
	passed=$((passed + p)) failed=$((failed + f))
	summary+=("$(printf '  %-13s %4d passed %3d failed %5d s' "$name" "$p" "$f" "$dt")")
done
echo "=== summary ($(( $(date +%s) - t_all )) s)"
printf '%s\n' "${summary[@]}"
if grep -q . build/images/times 2>/dev/null; then
	echo "  kernel build times (this run):"
	awk -F'\t' '{ printf "    %s: %s %s in %s s (limit %s s; ccache %s)%s\n",
		$1, $2, $4, $3, $5, $6, ($3 + 0 > $5 + 0 ? "  OVER LIMIT" : "") }' build/images/times
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
