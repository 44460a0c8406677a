# cycle (A's part): three kernels, two swaps, one VM run: A hands the
# machine to B, and B, itself relief-capable, hands it on to A' (image a
# again), with a ticker moving along both times. B runs cycle.after.sh
# (checks, then the second swap), A' runs cycle2.after.sh (checks, the
# verdict on ttyS0). B reserves its own region for A' at boot
# (relief_region= on B's command line); its plan lends CPUs 1 and 3 (APIC
# IDs 3 and 1): never the machine's boot CPU (CPU 2 there), which would
# come back with INIT.
# Needs A booted with relief_region=1G no_ipi_broadcast=1 (vm.mk).
# B's initramfs for this run: the plain one, plus kernel A and the plain
# one again in /boot for the second swap (concatenated archives unpack
# one after the other).
mkdir -p /tmp/chain/boot
cp /boot/vmlinuz-relief-a /tmp/chain/boot/
cp /boot/initrd-relief-b.cpio.gz /tmp/chain/boot/initrd-relief-plain.cpio.gz
(cd /tmp/chain && find . | cpio -o -H newc 2>/dev/null | gzip -1) > /tmp/chain.cpio.gz
cat /boot/initrd-relief-b.cpio.gz /tmp/chain.cpio.gz > /tmp/initrd-chain.cpio.gz
rm -rf /tmp/chain /tmp/chain.cpio.gz
check "B's initramfs for the cycle is packed" [ -s /tmp/initrd-chain.cpio.gz ]
b="/boot/vmlinuz-relief-b --initrd /tmp/initrd-chain.cpio.gz"

echo 1000 > /proc/sys/kernel/ns_last_pid
tpid=$(ticker @relief-ticker 20)
check "ticker started (pid $tpid)" [ -n "$tpid" ]
t=$(tickq @relief-ticker)
cpid=$(field child "$t")
check "ticker has its child (pid $cpid)" [ "${cpid:-0}" -gt 0 ]
after="relief_region=256M relief.after=cycle relief.ticker=$tpid"
after="$after relief.child=$cpid relief.seq=$(field seq "$t")"
after="$after relief.memtotal=$(mem MemTotal) relief.release_b=$EXPECT_RELEASE_B"
after="$after relief.release_a=$EXPECT_RELEASE"
echo "swapping to B with: $after"
# shellcheck disable=SC2086
reliefctl swap $b --move "$tpid" --timeout 60 --quiet --append "$after"
rc=$?
state=$(cat /sys/kernel/relief/state)
grep -a "NEW: " /sys/kernel/relief/console | tail -n 8
check "the swap to B completed (reliefctl swap exit $rc, state $state)" false
finish
