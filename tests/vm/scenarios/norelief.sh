# norelief: a kernel without relief support (image n) is started on the
# lent CPUs. It boots (on ttyS1) but never answers; A's deadline aborts the
# run, takes its CPUs back with INIT and carries on as before.
counter /tmp/count 50 &
cpid=$!
reliefctl swap /boot/vmlinuz-relief-n --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 15 --quiet 2>/tmp/swap.err
check "the swap fails (exit 1)" [ $? -eq 1 ]
check "... because it timed out" grep -q 'TIMEOUT' /tmp/swap.err
check "run ended ABORTED TIMEOUT" grep -q '^ABORTED TIMEOUT' /sys/kernel/relief/state
check "no CPU is still lent" [ -z "$(cat /sys/kernel/relief/cpus)" ]
check "4 CPUs online" [ "$(grep -c '^processor' /proc/cpuinfo)" -eq 4 ]
check "the workload is still running" kill -0 "$cpid"
check "its count goes on without a gap" awk 'NR != $1 { exit 1 }' /tmp/count
finish
