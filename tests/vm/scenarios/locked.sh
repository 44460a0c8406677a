# locked: kernel A booted with lockdown=integrity applies kexec_file's
# signature policy to relief too: an unsigned image is refused before
# anything changes, as kexec_file_load would refuse it.
check "A is locked down" sh -c 'dmesg | grep -q "Kernel is locked down"'
reliefctl swap /boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 30 2>/tmp/swap.err
check "the swap is refused (exit 3)" [ $? -eq 3 ]
cat /tmp/swap.err
check "... for the signature policy" grep -q 'signature policy' /tmp/swap.err
check "state is still IDLE" grep -q '^IDLE' /sys/kernel/relief/state
check "4 CPUs online" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
finish
