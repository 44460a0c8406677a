# demo: what `make demo` shows. Kernel A lends CPUs 2-3 and its region to
# kernel B, which boots beside it (its console streams through A), and
# qualifies; then the operator aborts and A has its 4 CPUs back. Stage 2
# (moving processes and devices) is not there yet, so this is a rehearsal.
echo "=== A: $(uname -r), CPUs online: $(cat /sys/devices/system/cpu/online)"
reliefctl status
echo "=== reliefctl plan"
reliefctl plan
echo "=== reliefctl swap /boot/vmlinuz-relief-b --stop-after ready"
reliefctl swap /boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 60
check "B qualified and A answered READY_TO_BE_RELIEVED" [ $? -eq 0 ]
reliefctl status
echo "=== reliefctl abort"
reliefctl abort
check "A has its CPUs back" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
echo "=== A: $(uname -r), CPUs online: $(cat /sys/devices/system/cpu/online)"
finish
