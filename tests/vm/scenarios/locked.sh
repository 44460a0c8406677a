# locked: kernel A booted with lockdown=integrity applies kexec_file's
# signature policy to relief too: an unsigned image is refused before
# anything changes, as kexec_file_load would refuse it.
check "A is locked down" sh -c 'dmesg | grep -q "Kernel is locked down"'
reliefctl swap /boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 30 2>/tmp/swap.err
check "the swap is refused (exit 3)" [ $? -eq 3 ]
cat /tmp/swap.err
check "... for the signature policy" grep -q 'signature policy' /tmp/swap.err
reliefctl swap /boot/vmlinuz-relief-b --dry-run 2>/tmp/swap.err >/dev/null
check "--dry-run is refused too (exit 3)" [ $? -eq 3 ]
check "... for the signature check" grep -q 'the signature check failed' /tmp/swap.err
# The signature comes first: the kernel says so even of an image
# reliefctl would refuse for its own reasons (relief-ioctl asks it
# directly), and parses nothing of it.
head -c 100000 /boot/vmlinuz-relief-b > /tmp/cut
out=$(relief-ioctl check /tmp/cut)
echo "relief-ioctl check (cut image): $out"
check "... a cut image: the signature policy refuses it first" \
	sh -c "echo '$out' | grep -q 'errno 129 (Key was rejected by service) check 0'"
check "state is still IDLE" grep -q '^IDLE' /sys/kernel/relief/state
check "4 CPUs online" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
finish
