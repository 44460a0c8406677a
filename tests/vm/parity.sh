#!/usr/bin/env bash
# parity.sh - kernel B cold-booted against kernel B reached by a swap, on
# the same two-node guest, fact by fact (tests/vm/guest/lib.sh,
# parity_facts). Facts that must agree fail the run when they do not;
# the ones a swapped B does not have yet are listed with the reason and
# fail the run if they agree after all (then the list is out of date).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# The NIC behind a PCIe root port: B reaches it through the bridge, and
# the bus numbers must be the cold boot's.
opts=(--numa 2 --pci-tree)
rc=0
"$top/tests/vm/scenario.sh" parity-cold --image b "${opts[@]}" || rc=1
"$top/tests/vm/scenario.sh" parity --image a "${opts[@]}" --expect-panic --host-monitor \
	--append "relief_region=512M no_ipi_broadcast=1" || rc=1
cold=$top/out/vm/parity-cold-b/ttyS0.log swapped=$top/out/vm/parity/ttyS0.log
if tr -d '\r' < "$top/out/vm/parity/ttyS1.log" | grep -q '^UART-CHECK: '; then
	echo "PASS: parity: what B wrote to ttyS1 after the swap reached the host"
else
	echo "FAIL: parity: B's UART-CHECK line never reached the host on ttyS1"; rc=1
fi
fact() { tr -d '\r' < "$1" | sed -n "s/^FACT $2 //p" | tail -n 1; }

# NAME: why a swapped B differs from a cold one, for now (status.rst).
declare -A known=(
	[pnp]="B boots with pnpacpi=off (its UARTs and RTC are platform devices)"
)
names="release cpus nodes memtotal pci irq-chips legacy-irqs acpi-tables acpi-devices sci"
names="$names power-button pnp consoles clocksources clocksource tsc-reliable"
names="$names uart-irqs rtc"
for d in $(tr -d '\r' < "$cold" | sed -n 's/^FACT \(distance-[^ ]*\) .*/\1/p'); do
	names="$names $d"
done
for n in $names; do
	c=$(fact "$cold" "$n") s=$(fact "$swapped" "$n")
	if [ -z "$c" ] && [ -z "$s" ] && [ "$n" != rtc ]; then
		echo "FAIL: parity: $n: no fact from either run"; rc=1; continue
	fi
	if [ "$n" = memtotal ]; then
		if [ "$((s * 1000))" -ge "$((c * 995))" ]; then
			echo "PASS: parity: memtotal: swapped $s kB, cold $c kB (at least 99.5%)"
		else
			echo "FAIL: parity: memtotal: swapped $s kB, cold $c kB (less than 99.5%)"; rc=1
		fi
	elif [ -n "${known[$n]:-}" ]; then
		if [ "$c" = "$s" ]; then
			echo "FAIL: parity: $n agrees now ($c): take it off the known differences in tests/vm/parity.sh"
			rc=1
		else
			echo "KNOWN: parity: $n differs: ${known[$n]} (cold: '$c'; swapped: '$s')"
		fi
	elif [ "$c" = "$s" ]; then
		echo "PASS: parity: $n agrees ($c)"
	else
		echo "FAIL: parity: $n: cold '$c', swapped '$s'"; rc=1
	fi
done
exit $rc
