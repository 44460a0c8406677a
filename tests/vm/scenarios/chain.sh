# chain (A's part): eight swaps in a row in one VM run -- a, b, a, b, ...
# -- with a ticker moving along every time. No kernel reserves a region at
# boot: A (movablecore=1536M relief_region=512M,swap, vm.mk) and every kernel
# after it make the region for the next at swap time from movable memory
# (relief_carve.c), so regions do not nest and nothing is kept aside. Every hop (chain.after.sh) checks the kernel, its CPUs, the
# ticker and its MemTotal against the first hop's, then swaps on; the last
# gives the verdict and resets the machine with sysrq b.
hops=${CHAIN_HOPS:-8}
# Nothing kept aside at boot: the region is made at the swap.
check "A reserved no region at boot" sh -c "! grep -q 'relief region' /proc/iomem"
check "... and will make one at swap time ($(cat /sys/kernel/relief/region))" \
	grep -q '^0x0 0x20000000 ' /sys/kernel/relief/region
mkdir -p /boot/chain
cp /boot/vmlinuz-relief-a /boot/vmlinuz-relief-b /boot/chain/
cp /boot/initrd-relief-b.cpio.gz /boot/chain/plain.cpio.gz
chain_pack /tmp/initrd-chain.cpio.gz
check "the chain's initramfs is packed ($(wc -c < /tmp/initrd-chain.cpio.gz) bytes)" \
	[ -s /tmp/initrd-chain.cpio.gz ]

echo 1000 > /proc/sys/kernel/ns_last_pid
tpid=$(ticker @relief-ticker 20)
check "ticker started (pid $tpid)" [ -n "$tpid" ]
t=$(tickq @relief-ticker)
after="relief_region=512M relief.after=chain relief.hop=1 relief.hops=$hops"
after="$after relief.ticker=$tpid relief.child=$(field child "$t")"
after="$after relief.seq=$(field seq "$t") relief.mem1=0"
after="$after relief.release_a=$EXPECT_RELEASE relief.release_b=$EXPECT_RELEASE_B"
[ "$hops" -gt 1 ] || after="$after relief.sysrq_after"
echo "hop 1 of $hops, to B, with: $after"
# shellcheck disable=SC2086
reliefctl swap /boot/chain/vmlinuz-relief-b --initrd /tmp/initrd-chain.cpio.gz \
	--move "$tpid" --timeout 60 --quiet --append "$after"
rc=$?
# Reached only when the swap did not complete: why the region was not made.
dmesg | grep "relief: \|memory offlining" | tail -n 8
check "the first swap completed (reliefctl swap exit $rc, state $(cat /sys/kernel/relief/state))" false
finish
