# cycle (B's part): B relieved A; check, then hand the machine on to A'
# (image a again) with the ticker. See cycle.sh.
a="/boot/vmlinuz-relief-a --initrd /boot/initrd-relief-plain.cpio.gz"

check "B runs ($RELIEF_RELEASE_B; saw $(uname -r))" [ "$(uname -r)" = "$RELIEF_RELEASE_B" ]
check "B has all 4 CPUs" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
t=$(tickq @relief-ticker)
check "ticker $RELIEF_TICKER came along (saw: $t)" [ "$(field pid "$t")" = "$RELIEF_TICKER" ]
check "... with its child" [ "$(field child "$t")" = "$RELIEF_CHILD" ]
check "B reserved a region for the next kernel" \
	sh -c "awk '{ exit \$2 == \"0\" || \$2 == \"0x0\" }' /sys/kernel/relief/region"
check "B never lends the machine's boot CPU (keep: $(cat /sys/kernel/relief/keep))" \
	grep -qx '0,2' /sys/kernel/relief/keep
check "... and plans CPUs 1,3 for A' ($(reliefctl plan | head -n 1))" \
	sh -c 'reliefctl plan | grep -q "CPUs 1,3 (2)"'
# B takes back what it lends: after an abort (the lent CPUs come back with
# INIT), and after a rollback (then also the CPUs it parked, the machine's
# BSP among them, which come back from B's own park).
# shellcheck disable=SC2086
reliefctl swap $a --stop-after ready --timeout 60 --quiet && reliefctl abort >/dev/null
check "B lends on for a rehearsal and aborts it" [ $? -eq 0 ]
check "... and has its 4 CPUs back" wait_until 10 cpus_back
# shellcheck disable=SC2086
reliefctl swap $a --move "$RELIEF_TICKER" --timeout 30 --quiet \
	--inject fail@restore > /tmp/rollback.out 2>&1
check "a swap from B rolls back ($(cat /sys/kernel/relief/state))" \
	grep -q '^ROLLED_BACK RESTORE_FAILED' /sys/kernel/relief/state
check "... B has its 4 CPUs back" wait_until 10 cpus_back
check "... and the ticker" kill -0 "$RELIEF_TICKER"
t=$(tickq @relief-ticker)
after="relief.after=cycle2 relief.ticker=$RELIEF_TICKER relief.child=$RELIEF_CHILD"
after="$after relief.seq=$(field seq "$t") relief.memtotal=$RELIEF_MEMTOTAL"
after="$after relief.release_a=$RELIEF_RELEASE_A"
echo "swapping on to A' with: $after"
# shellcheck disable=SC2086
reliefctl swap $a --move "$RELIEF_TICKER" --timeout 60 --quiet \
	--append "$after"
rc=$?
state=$(cat /sys/kernel/relief/state)
grep -a "NEW: " /sys/kernel/relief/console | tail -n 8
check "the swap on to A' completed (reliefctl swap exit $rc, state $state)" false
finish
