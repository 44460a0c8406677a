# chain (every hop's part): see chain.sh. RELIEF_HOP is this hop (1..),
# RELIEF_HOPS how many there are, RELIEF_MEM1 the first hop's MemTotal
# (kB; 0 in the first hop, which measures it), RELIEF_TICKER, _CHILD and
# _SEQ the ticker and its last reading before this hop.
hop=$RELIEF_HOP img=b rel=$RELIEF_RELEASE_B
[ $((hop % 2)) = 1 ] || { img=a; rel=$RELIEF_RELEASE_A; }
check "hop $hop: kernel $img runs ($rel; saw $(uname -r))" [ "$(uname -r)" = "$rel" ]
check "hop $hop: all 4 CPUs online (within 10 s)" wait_until 10 cpus_back
check "hop $hop: the console is the first kernel's, ttyS0, through the IOAPIC" \
	sh -c "grep -q '^ttyS0 ' /proc/consoles && grep -q 'IO-APIC.*ttyS0' /proc/interrupts"
t=$(tickq @relief-ticker)
echo "hop $hop: ticker: ${t:-no answer}"
check "hop $hop: ticker $RELIEF_TICKER came along with its child" \
	[ "$(field pid "$t")/$(field child "$t")" = "$RELIEF_TICKER/$RELIEF_CHILD" ]
ticked_on() { [ "$(field gaps "$t")" = 0 ] && [ "$(field seq "$t")" -gt "$RELIEF_SEQ" ]; }
check "hop $hop: ... no gap, past its last reading ($RELIEF_SEQ)" ticked_on
check "hop $hop: the old kernel's memory is all taken (within 30 s)" \
	wait_until 30 chain_settled
m=$(mem MemTotal) mem1=$RELIEF_MEM1
[ "$mem1" -gt 0 ] || mem1=$m
echo "hop $hop: MemTotal $m kB, the first hop's $mem1 kB"
check "hop $hop: MemTotal $m kB is at least 99.5% of the first hop's ($mem1 kB)" \
	[ "$((m * 1000))" -ge "$((mem1 * 995))" ]
if [ "$hop" -ge "$RELIEF_HOPS" ]; then
	finish
	exit
fi

next=$((hop + 1)) nimg=a
[ $((next % 2)) = 1 ] && nimg=b
chain_pack /tmp/initrd-chain.cpio.gz
check "hop $hop: the next initramfs is packed" [ -s /tmp/initrd-chain.cpio.gz ]
after="relief_region=512M relief.after=chain relief.hop=$next relief.hops=$RELIEF_HOPS"
after="$after relief.ticker=$RELIEF_TICKER relief.child=$RELIEF_CHILD"
after="$after relief.seq=$(field seq "$(tickq @relief-ticker)") relief.mem1=$mem1"
after="$after relief.release_a=$RELIEF_RELEASE_A relief.release_b=$RELIEF_RELEASE_B"
# The last kernel ends the machine with sysrq b (run-vm.sh --expect-sysrq).
[ "$next" -lt "$RELIEF_HOPS" ] || after="$after relief.sysrq_after"
echo "hop $next of $RELIEF_HOPS, to $nimg, with: $after"
# shellcheck disable=SC2086
reliefctl swap "/boot/chain/vmlinuz-relief-$nimg" --initrd /tmp/initrd-chain.cpio.gz \
	--move "$RELIEF_TICKER" --timeout 60 --quiet --append "$after"
rc=$?
grep -a "NEW: \|region" /sys/kernel/relief/console | tail -n 8
dmesg | grep "relief: .*region" | tail -n 4
check "hop $hop: the swap to hop $next completed (reliefctl swap exit $rc, state $(cat /sys/kernel/relief/state))" false
finish
