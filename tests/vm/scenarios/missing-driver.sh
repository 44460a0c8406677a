# missing-driver: kernel A hands over every device it has a driver bound
# to, pvpanic-pci at 00:09.0 among them. Image d is kernel B built without
# that driver: it must not find out after the commit, when A's services
# are frozen and the only way back is a rollback. It boots, looks its
# drivers up before it says it is ready, and aborts with the driver and
# the device named (DEVICE_FAILED). The swap is a real one (--move, no
# --stop-after): nothing is dumped, A keeps its CPUs, its workload and
# the device bound to its driver.
# Needs A booted with relief_region= and no_ipi_broadcast=1 (vm.mk).
dev=0000:00:09.0
counter /tmp/count 50 &
cpid=$!
check "A has pvpanic-pci bound to $dev" \
	[ "$(basename "$(readlink /sys/bus/pci/devices/$dev/driver)")" = pvpanic-pci ]
reliefctl swap /boot/vmlinuz-relief-d --initrd /boot/initrd-relief-b.cpio.gz \
	--move "$cpid" --timeout 60 >/tmp/swap.out 2>/tmp/swap.err
rc=$?
cat /tmp/swap.out /tmp/swap.err
check "the swap to a B without pvpanic-pci fails (exit $rc)" [ $rc -eq 1 ]
check "... kernel B named the driver and the device" \
	grep -q "no driver pvpanic-pci for $dev in this kernel" /sys/kernel/relief/console
check "... and sent it with its abort, which A logged" \
	sh -c "dmesg | grep -q 'the new kernel sends ABORT (DEVICE_FAILED): no driver pvpanic-pci for $dev'"
check "the run ended ABORTED DEVICE_FAILED, before the commit" \
	grep -q '^ABORTED DEVICE_FAILED' /sys/kernel/relief/state
check "... nothing was dumped (no freeze)" sh -c '! grep -q "agent: dumped" /tmp/swap.out /tmp/swap.err'
check "A still has pvpanic-pci bound to $dev" \
	[ "$(basename "$(readlink /sys/bus/pci/devices/$dev/driver)")" = pvpanic-pci ]
check "no CPU is still lent" [ -z "$(cat /sys/kernel/relief/cpus)" ]
check "4 CPUs online" [ "$(grep -c '^processor' /proc/cpuinfo)" -eq 4 ]
check "the workload is still running" kill -0 "$cpid"
check "its count goes on without a gap" awk 'NR != $1 { exit 1 }' /tmp/count
finish
