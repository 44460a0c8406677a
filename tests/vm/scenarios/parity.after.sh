# parity (B's part): once B has taken all of A's memory, its facts.
check "B took all of A's memory (within 30 s)" wait_until 30 chain_settled
check "B's CPUs are all online (within 10 s)" wait_until 10 cpus_back
parity_facts
# The UART B booted on (ttyS1, init's stdio until now) went from polled
# to its interrupt without a hangup: what is written to it raises IRQ 3,
# and the host sees it in ttyS1.log (tests/vm/parity.sh).
uart0=$(irq_count ttyS1)
uart_irqs() { [ "$(irq_count ttyS1)" -gt "${uart0:-0}" ]; }
echo "UART-CHECK: B writes to ttyS1 after the swap" > /dev/ttyS1
check "ttyS1 is interrupt-driven in B (its irq count from ${uart0:-none}, within 10 s)" \
	wait_until 10 uart_irqs
# The power button (QEMU's system_powerdown): a fixed ACPI event, through
# the SCI B routed once A stood relieved. Nothing in userspace acts on it.
button=/sys/firmware/acpi/interrupts/ff_pwr_btn
presses() { awk '{ print $1 }' "$button"; }
pressed() { [ "$(presses)" -gt "$before" ]; }
if [ "${RELIEF_HOST_MONITOR:-0}" = 1 ] && [ -r "$button" ]; then
	before=$(presses) sci0=$(irq_count acpi)
	echo "MONITOR-READY: system_powerdown"
	check "the power button reaches B (ff_pwr_btn from $before, within 20 s)" \
		wait_until 20 pressed
	check "... through the SCI (acpi interrupts: $sci0, then $(irq_count acpi))" \
		[ "$(irq_count acpi)" -gt "$sci0" ]
else
	ls /sys/firmware/acpi
	dmesg | grep -i "acpi" | tail -n 20
	check "B has ACPI's interrupt counters ($button) and the host's power button (relief.host_monitor=${RELIEF_HOST_MONITOR:-})" false
fi
finish
