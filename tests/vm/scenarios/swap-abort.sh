# swap-abort: kernel B boots beside A in relieving mode, qualifies and is
# sent away three ways; each time A gets all 4 CPUs back.
#  1. rehearsal (--stop-after ready), then `reliefctl abort` (OPERATOR);
#  2. --inject bad-version (and --console ttyS1, the default named): B
#     offers an impossible protocol (PROTO_VERSION);
#  3. --console ttyS0 (A's own) refused; a rehearsal with --console ring
#     on the reclaimed CPUs (A lends no UART), aborted again.
# Needs A booted with relief_region= and no_ipi_broadcast=1 (vm.mk).
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
online() { grep -c '^processor' /proc/cpuinfo; }
wait_cpus() {
	for _ in $(seq 1 100); do [ "$(online)" -eq 4 ] && return 0; sleep 0.1; done
	return 1
}
bconsole() { cat /sys/kernel/relief/console 2>/dev/null; }
# A workload that must not notice: it appends a count every 50 ms.
counter /tmp/count 50 &
cpid=$!
rel=$(uname -r)
# A witness over much of A's memory: B must write nowhere outside its region.
memfill 512 /tmp/mem &
mpid=$!
check "512 MiB filled with a pattern" wait_until 60 grep -q '^filled' /tmp/mem

# ttyS1 (0x2f8), B's console to be, is A's own UART until the swap: the
# region reserved at boot (relief_region=) hides no UART from A.
uart1() { sed -n 's/^1: uart:\([^ ]*\) port:000002F8.*/\1/p' /proc/tty/driver/serial; }
check "A drives ttyS1 before the swap (uart: $(uart1))" [ "$(uart1)" = 16550A ]
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --quiet
check "B qualifies (rehearsal)" [ $? -eq 0 ]
check "... A lent ttyS1 to it (uart: $(uart1))" [ "$(uart1)" = unknown ]
check "A waits for B's commit" grep -q '^READY_SENT' /sys/kernel/relief/state
check "B booted on 2 CPUs" grep -q '^cpus_up 2' /sys/kernel/relief/peer
check "B's console reaches A" sh -c 'cat /sys/kernel/relief/console | grep -q "NEW state WAIT_ANSWER -> HOLDING"'
check "B boots on to its init (within 30 s)" wait_until 30 \
	sh -c 'cat /sys/kernel/relief/console | grep -q "Run /init as init process"'
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --quiet 2>/tmp/busy.err
check "a second swap is refused while one is in progress" [ $? -eq 3 ]
check "... saying so" grep -q "already in progress" /tmp/busy.err
reliefctl abort
check "abort accepted" [ $? -eq 0 ]
check "4 CPUs back after abort (saw $(wait_cpus; online))" [ "$(online)" -eq 4 ]
check "ended ABORTED OPERATOR" grep -q 'ABORTED OPERATOR' /sys/kernel/relief/state
check "... and ttyS1 is A's again (uart: $(uart1))" [ "$(uart1)" = 16550A ]

# Naming the default UART, ttyS1, is no different from leaving it out.
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --inject bad-version --quiet \
	--console ttyS1
check "bad version refused" [ $? -ne 0 ]
check "ended ABORTED PROTO_VERSION" grep -q 'ABORTED PROTO_VERSION' /sys/kernel/relief/state
check "4 CPUs back after refusal (saw $(wait_cpus; online))" [ "$(online)" -eq 4 ]
bconsole | grep -q 'injecting an impossible protocol range'
check "B said it injected" [ $? -eq 0 ]

# The operator chooses B's console: not A's own (refused, nothing lent) ...
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --quiet --console ttyS0 2>/tmp/con.err
check "--console ttyS0, A's console, is refused" [ $? -eq 3 ]
check "... saying so" grep -q "kernel B's UART is this kernel's console" /tmp/con.err
check "... with all 4 CPUs still A's (saw $(online))" [ "$(online)" -eq 4 ]
# ... or the mailbox ring only: then A lends no UART.
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --quiet --console ring
check "B qualifies again on reclaimed CPUs, its console the ring only" [ $? -eq 0 ]
check "... A kept ttyS1 (uart: $(uart1))" [ "$(uart1)" = 16550A ]
bline=$(bconsole | grep -a -m1 'Kernel command line:')
echo "B's ${bline#*] }"
check "... B's command line names no UART" \
	sh -c "echo '$bline' | grep -q 'relief=new' && ! echo '$bline' | grep -q ' console=ttyS'"
reliefctl abort
check "4 CPUs back at the end (saw $(wait_cpus; online))" [ "$(online)" -eq 4 ]
check "uname -r unchanged ($rel)" [ "$(uname -r)" = "$rel" ]
check "the workload is still running" kill -0 "$cpid"
n1=$(tail -n 1 /tmp/count)
check "its count goes on without a gap (last $n1)" \
	awk 'NR != $1 { exit 1 }' /tmp/count
kill -USR1 "$mpid"
wait_until 60 grep -q -e '^intact' -e '^corrupt' /tmp/mem
check "A's 512 MiB pattern is intact ($(tail -n 1 /tmp/mem))" grep -q '^intact' /tmp/mem

# What relief shows an unprivileged user is no more than the kernel shows:
# B's log as dmesg (dmesg_restrict), the region's size but not where it is
# (as /proc/iomem), B's death without its addresses.
chmod 755 /
grep -q '^relieftest:' /etc/passwd ||
	echo "relieftest:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd
as_user() { su relieftest -s /bin/sh -c "$*"; }
echo 1 > /proc/sys/kernel/dmesg_restrict
check "dmesg_restrict=1: a user cannot read B's log" \
	sh -c "! su relieftest -s /bin/sh -c 'cat /sys/kernel/relief/console' >/dev/null 2>&1"
check "... root can" sh -c "grep -qa 'relief' /sys/kernel/relief/console"
echo 0 > /proc/sys/kernel/dmesg_restrict
check "dmesg_restrict=0: a user can" \
	sh -c "su relieftest -s /bin/sh -c 'cat /sys/kernel/relief/console' | grep -qa relief"
root_region=$(cat /sys/kernel/relief/region) user_region=$(as_user cat /sys/kernel/relief/region)
echo "region: root sees '$root_region', a user '$user_region'"
check "a user sees the region's size but no address" \
	sh -c "echo '$user_region' | grep -q '^0x0 0x10000000 0x0 '"
check "... root sees where it is" sh -c "echo '$root_region' | grep -qv '^0x0 '"
finish
