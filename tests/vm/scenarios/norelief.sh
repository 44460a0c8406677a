# norelief: a kernel without relief support (image n) is refused before
# anything is offlined (bad-images checks that). Behind that check stand
# the command line's safety net and A's boot deadline, for a kernel that
# passes the checks and still never answers: --inject no-marker (test
# kernels only) starts image n all the same. It boots (on ttyS1, held to
# one CPU and no IOAPIC by maxcpus=1 noapic) but never answers; A's
# deadline aborts the run, takes its CPUs back with INIT and carries on as
# before.
counter /tmp/count 50 &
cpid=$!
reliefctl swap /boot/vmlinuz-relief-n --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 15 --quiet 2>/tmp/swap.err
check "without --inject no-marker it is refused (exit 3)" [ $? -eq 3 ]
check "... as no relief kernel" grep -q 'not a relief kernel' /tmp/swap.err
check "... before anything changed" grep -q '^IDLE' /sys/kernel/relief/state
reliefctl swap /boot/vmlinuz-relief-n --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 15 --quiet --inject no-marker 2>/tmp/swap.err
check "the swap fails (exit 1)" [ $? -eq 1 ]
cat /tmp/swap.err
check "... said it starts no relief kernel" grep -q 'test: starting' /tmp/swap.err
check "... because it timed out" grep -q 'TIMEOUT' /tmp/swap.err
check "run ended ABORTED TIMEOUT" grep -q '^ABORTED TIMEOUT' /sys/kernel/relief/state
check "no CPU is still lent" [ -z "$(cat /sys/kernel/relief/cpus)" ]
check "4 CPUs online" [ "$(grep -c '^processor' /proc/cpuinfo)" -eq 4 ]
check "the workload is still running" kill -0 "$cpid"
check "its count goes on without a gap" awk 'NR != $1 { exit 1 }' /tmp/count
finish
