# relief-boot-guest.sh - the guest side of tests/bench/relief-boot, run by
# kernel A's init (A booted with relief_region= and no_ipi_broadcast=1).
#  1. BENCH_CYCLES rehearsals: kernel B boots beside A on CPUs 2-3 until it
#     qualifies, then `reliefctl abort`; after each, A's timings and B's
#     late_initcall line (from B's console as A received it) are printed.
#  2. A kexec reboot into the same kernel B with relief.bench=cold, whose
#     init prints its uptime and powers off.
# Lines for the host start with "relief-bench: "; "relief-bench: FAIL: WHY"
# says what did not happen. Every wait is bounded.
: "${BENCH_CYCLES:=5}"
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
fail() { echo "relief-bench: FAIL: $*"; exit 1; }
# wait_until TENTHS CMD...: poll CMD every 0.1 s, at most TENTHS times.
wait_until() {
	n=$1; shift
	while ! "$@"; do
		[ "$n" -gt 0 ] || return 1
		n=$((n - 1)); sleep 0.1
	done
}
run_ended() { grep -q '^ended ' /sys/kernel/relief/timings; }
all_cpus() { [ "$(grep -c '^processor' /proc/cpuinfo)" -eq 4 ]; }
# B's "relief VERSION: protocol MIN-MAX" line (relief_sysfs.c, late_initcall)
# and its "sched_clock: Marking stable" line, which says how far B's printk
# clock is behind its TSC (see Documentation/relief/benchmarks.rst).
bline() { grep -a -m1 '\] relief [^ :]*: protocol ' /sys/kernel/relief/console | tr -d '\r'; }
sline() { grep -a -m1 '\] sched_clock: Marking stable' /sys/kernel/relief/console | tr -d '\r'; }

i=1
while [ "$i" -le "$BENCH_CYCLES" ]; do
	# shellcheck disable=SC2086
	reliefctl swap $b --stop-after ready --timeout 60 --quiet ||
		fail "cycle $i: kernel B did not qualify (reliefctl swap exit $?)"
	line=$(bline) sched=$(sline)
	reliefctl abort || fail "cycle $i: reliefctl abort exit $?"
	wait_until 100 run_ended || fail "cycle $i: the run did not end within 10 s of the abort"
	wait_until 100 all_cpus || fail "cycle $i: A did not get its 4 CPUs back within 10 s"
	[ -n "$line" ] || line=$(bline)
	[ -n "$sched" ] || sched=$(sline)
	[ -n "$line" ] || fail "cycle $i: B's console has no 'relief ...: protocol' line"
	sed "s/^/relief-bench: cycle $i timing /" /sys/kernel/relief/timings
	echo "relief-bench: cycle $i bline $line"
	[ -z "$sched" ] || echo "relief-bench: cycle $i bline $sched"
	echo "relief-bench: cycle $i done"
	i=$((i + 1))
done

command -v kexec >/dev/null || fail "no kexec in the initramfs: run 'make initrds'"
kexec -s -l /boot/vmlinuz-relief-b --initrd=/boot/initrd-relief-b.cpio.gz \
	--append="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 panic=-1 relief.bench=cold" ||
	fail "kexec -l exit $?"
echo "relief-bench: kexec -e"
kexec -e
fail "kexec -e returned ($?)"
