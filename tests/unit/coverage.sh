#!/usr/bin/env bash
# coverage.sh OBJDIR MIN - print gcov line coverage of each proto/ file and
# the total; PASS if the total is at least MIN percent.
set -euo pipefail
objdir=$1 min=$2
cd "$objdir"
total=0 hit=0
for gcda in *.gcda; do
	src=$(basename "$gcda" .gcda)
	# "Lines executed:97.50% of 120" for the source file itself
	line=$(gcov -n -o . "$src.o" 2>/dev/null |
		awk -v f="$src.c" '$0 ~ "^File .*/"f"'"'"'$" {getline; print; exit}')
	pct=${line#*:}; pct=${pct%%\%*}; n=${line##* of }
	[ -n "$n" ] || { echo "FAIL: coverage: no gcov data for $src.c"; exit 1; }
	h=$(awk -v p="$pct" -v n="$n" 'BEGIN { printf "%d", p * n / 100 + 0.5 }')
	printf '  %-24s %6s%% of %4d lines\n' "$src.c" "$pct" "$n"
	total=$((total + n)); hit=$((hit + h))
done
[ "$total" -gt 0 ] || { echo "FAIL: coverage: no proto/ lines measured"; exit 1; }
pct=$(awk -v h="$hit" -v t="$total" 'BEGIN { printf "%.1f", 100 * h / t }')
if awk -v p="$pct" -v m="$min" 'BEGIN { exit !(p >= m) }'; then
	echo "PASS: proto/ line coverage $pct% (>= $min%, $hit of $total lines)"
else
	echo "FAIL: proto/ line coverage $pct% is below $min% ($hit of $total lines)"
fi
