# full-swap (B's part): run by kernel B's init once B relieved A
# (relief.after=full-swap), with lib.sh before it. A's part (full-swap.sh)
# passed what B must find as relief.* on B's command line, here RELIEF_*:
#   RELEASE  B's kernel release      MEMTOTAL  A's MemTotal (kB)
#   RESERVED  what A reserved for relief (region, low chunk; kB)
#   DEVICES  the PCI functions A had bound (bridges aside), comma-separated
#   PIDS     the moved pids          COMMS     their names, in that order
#   TICKER   ticker's pid            CHILD     its child's pid
#   SEQ      the last sequence number A saw
#   IP       A's address on eth0     PORT      echo-server's port
#   HOST_ECHO  1: the host holds a connection to echo-server
#   TICKS    the ticker's file on the data disk (mounted on /mnt/data in A)
#   WITNESS  clock-witness's pid (its report: /mnt/data/witness)
#   DATE_A, UPTIME_A  A's date +%s and whole seconds of uptime at the swap
# B's agent set up eth0 and mounted the data disk before the restore; this
# script only checks that it did.
# The host judges its connection itself (host-echo.py): when B is done it
# says ECHO-DONE and waits for the host to close.
echo "B: $(uname -r), state $(cat /sys/kernel/relief/state), CPUs online $(cat /sys/devices/system/cpu/online)"

rel=$(uname -r)
if [ -n "${RELIEF_RELEASE:-}" ]; then
	check "uname -r is B's ($RELIEF_RELEASE; saw $rel)" [ "$rel" = "$RELIEF_RELEASE" ]
else
	check "uname -r is a relief-b kernel (saw $rel)" sh -c "case '$rel' in *-relief-b) ;; *) exit 1 ;; esac"
fi
# Each function A handed over is bound in B at the address A had it at,
# wherever it sits (run-vm.sh --pci-tree: behind root ports and a switch).
for dev in $(echo "${RELIEF_DEVICES:-}" | tr ',' ' '); do
	check "B bound $dev, as A had it ($(basename "$(readlink -f "/sys/bus/pci/devices/$dev/driver" 2>/dev/null)" 2>/dev/null))" \
		test -e "/sys/bus/pci/devices/$dev/driver"
done
check "A named the devices it handed over (relief.devices=${RELIEF_DEVICES:-})" \
	[ -n "${RELIEF_DEVICES:-}" ]
last=$(echo "${RELIEF_DEVICES:-}" | tr ',' '\n' | tail -n 1)
# BIND_DEVICE read only the functions A handed over and the bridges on
# the way; the rest of bus 0 (q35's host bridge, its LPC bridge) came
# once A stood relieved.
pci_rest() { [ -e /sys/bus/pci/devices/0000:00:00.0 ] && [ -e /sys/bus/pci/devices/0000:00:1f.0 ]; }
check "B has the rest of PCI bus 0 too (within 10 s)" wait_until 10 pci_rest
check "... scanned once, after it bound the devices" \
	sh -c "[ \$(dmesg | grep -c 'NEW: PCI bus 0 scanned') = 1 ] &&
		dmesg | sed -n '/NEW: device $last bound/,\$p' | grep -q 'NEW: PCI bus 0 scanned'"
n=$(grep -c '^processor' /proc/cpuinfo)
check "B has all 4 CPUs (saw $n, online $(cat /sys/devices/system/cpu/online))" [ "$n" -eq 4 ]
# A's console is B's: its IOAPIC, its UART, its /dev/console (the init
# reopened that when B relieved A), interrupt-driven as after a boot.
check "B's console is A's, ttyS0 ($(sed -n 1p /proc/consoles))" \
	grep -q '^ttyS0 ' /proc/consoles
dmesg | grep -E 'IOAPICs taken|console on ttyS' | sed 's/^/  B: /'
check "ttyS0's interrupt comes through the IOAPIC ($(grep -h ttyS0 /proc/interrupts))" \
	grep -q 'IO-APIC.*ttyS0' /proc/interrupts
n0=$(irq_count ttyS0)
echo "relief: B writes this line to its console, ttyS0, by interrupts"
irqs_past() { [ "$(irq_count ttyS0)" -gt "$1" ]; }
check "... and the UART interrupts as it sends (from $n0, within 10 s)" \
	wait_until 10 irqs_past "$n0"
# An operator at that console: a shell there runs what the host types
# (run-vm.sh --host-type); the port has its IOAPIC line, so the input
# arrives by interrupts (the 8250 driver polls only a port without one).
if [ "${RELIEF_HOST_TYPE:-0}" = 1 ]; then
	rm -f /run/typed
	# Its output through a pipe: without a tty on stdout the shell prints
	# no prompt, which would cut into this script's lines there.
	setsid sh -c 'exec 0<>/dev/ttyS0; sh 2>&1 | cat >&0' &
	spid=$!
	on_tty() { [ "$(readlink "/proc/$spid/fd/0")" = /dev/ttyS0 ]; }
	check "a shell runs on ttyS0 (pid $spid, within 10 s)" wait_until 10 on_tty
	echo "TYPE-READY: touch /run/typed"
	check "... and runs what the host types there (within 30 s)" \
		wait_until 30 test -e /run/typed
fi
# The CMOS RTC is B's too: /dev/rtc0, on an IO-APIC line, reading the
# time B's wall clock has (to the second, and TCG's lag behind the host,
# whose time QEMU's RTC keeps).
check "B has the CMOS RTC (/dev/rtc0)" [ -c /dev/rtc0 ]
check "... its interrupt comes through the IOAPIC ($(grep -h rtc0 /proc/interrupts))" \
	grep -q 'IO-APIC.*rtc0' /proc/interrupts
rtc=$(cat /sys/class/rtc/rtc0/since_epoch 2>/dev/null) now=$(date +%s)
echo "RTC: $rtc, date: $now ($(hwclock -r -u 2>&1))"
near() { [ "$1" -ge "$(($2 - $3))" ] && [ "$1" -le "$(($2 + $3))" ]; }
check "... and reads the time of B's clock, within 10 s (RTC ${rtc:-none}, date $now)" \
	near "${rtc:-0}" "$now" 10
check "hwclock reads it" hwclock -r -u
# Every moved process is here under its pid, with its name.
i=1
for p in $(echo "${RELIEF_PIDS:-}" | tr , ' '); do
	c=$(echo "$RELIEF_COMMS" | cut -d, -f$i)
	check "pid $p is $c (saw $(cat "/proc/$p/comm" 2>/dev/null || echo nothing))" \
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$c" ]
	i=$((i + 1))
done
check "A named the moved pids" [ "$i" -gt 1 ]
# B's agent read the page images where A put them and restored lazily.
check "B's agent read the page images in place (windows)" \
	grep -q "^agent: [0-9]* page images (.*) are read in place" /run/agent.log
check "... restored lazily, every page filled in (within 30 s)" \
	wait_until 30 grep -q "^agent: the memory of 3 trees was all in " /run/agent.log
check "... the pages from kernel A's memory, where A left them" \
	grep -q "; [0-9]* of them (.*) from kernel A's memory, where its pages were left" /run/agent.log
# The blocks of A's RAM holding them joined B only once they were read.
held=$(dmesg | sed -n "s/.*RAM added, [0-9]* MiB freed, \([0-9]*\) MiB after its pages are read.*/\1/p")
echo "A's RAM held until its pages were read: ${held:-?} MiB"
check "B held back A's RAM under the frames (${held:-no line})" [ "${held:-0}" -gt 0 ]
check "... and added those ${held:-?} MiB once they were read (within 10 s)" \
	wait_until 10 sh -c "dmesg | grep -q ' $held MiB of OLD.s RAM taken once its pages were read'"
overcommit_back() { [ "$(cat /proc/sys/vm/overcommit_memory)" = 0 ]; }
check "... then put vm.overcommit_memory back to 0 (within 10 s)" \
	wait_until 10 overcommit_back
# All of A's RAM is B's by now: what B held back joined it above, and
# the park area and the transfer area once B's run and agent were done.
# A's MemTotal did not count what it reserved for relief (the region, the
# low chunk): with it, it is what the same kernel has on this machine
# without relief. B must have at least 99.5% of that.
m=$(mem MemTotal) want=$((${RELIEF_MEMTOTAL:-999999999} + ${RELIEF_RESERVED:-0}))
echo "MemTotal: B $m kB after the swap, A $RELIEF_MEMTOTAL kB + ${RELIEF_RESERVED:-?} kB reserved for relief = $want kB"
check "MemTotal $m kB is at least 99.5% of A's with its relief reservations ($want kB)" \
	[ "$((m * 1000))" -ge "$((want * 995))" ]
areas_freed() { dmesg | grep -q 'the park area is RAM of this kernel now' &&
	dmesg | grep -q 'the transfer area is RAM of this kernel now'; }
check "B freed the park area and the transfer area once done with them (within 10 s)" \
	wait_until 10 areas_freed

# ticker: same tree, same socket, no number lost, still ticking.
t1=$(tickq @relief-ticker)
echo "ticker: ${t1:-no answer}"
check "ticker answers on @relief-ticker" [ -n "$t1" ]
check "as pid $RELIEF_TICKER with child $RELIEF_CHILD" \
	[ "$(field pid "$t1")/$(field child "$t1")" = "$RELIEF_TICKER/$RELIEF_CHILD" ]
check "the child's parent is still ticker" \
	grep -q "^PPid:[[:space:]]*$RELIEF_TICKER\$" "/proc/$RELIEF_CHILD/status"
g=$(field gaps "$t1") h=$(field handler "$t1")
check "no gap in the sequence (gaps $g), handlers in place ($h)" [ "$g/$h" = 0/1 ]
s1=$(field seq "$t1")
check "the sequence went on past A's last reading ($RELIEF_SEQ -> $s1)" \
	[ "${s1:-0}" -gt "$RELIEF_SEQ" ]
read_past() { [ "$(field read "$(tickq @relief-ticker)")" -gt "$1" ]; }
check "the timer ticks here and the child reads on" wait_until 10 read_past "$s1"
u=$(field usr1 "$t1")
kill -USR1 "$RELIEF_TICKER" "$RELIEF_CHILD"
usr1_past() { [ "$(field usr1 "$(tickq @relief-ticker)")" -ge "$(($1 + 2))" ]; }
check "both handle SIGUSR1 ($u before)" wait_until 10 usr1_past "$u"
check "and live on" kill -0 "$RELIEF_TICKER" "$RELIEF_CHILD"

# The data disk: mounted where A had it, the ticker's numbers on it from 1
# without a gap, every number A saw written there, and more since.
check "the data disk is mounted on /mnt/data" \
	awk '$2 == "/mnt/data" && $3 == "ext4" { f = 1 } END { exit !f }' /proc/mounts
check "the ticker's file $RELIEF_TICKS holds 1, 2, 3... without a gap" \
	awk 'NR != $1 { exit 1 } END { exit NR == 0 }' "$RELIEF_TICKS"
n=$(wc -l < "$RELIEF_TICKS")
check "... at least up to A's last reading ($RELIEF_SEQ; saw $n)" [ "$n" -ge "$RELIEF_SEQ" ]
ticks_past() { [ "$(wc -l < "$RELIEF_TICKS")" -gt "$1" ]; }
check "... and the ticker writes on here" wait_until 10 ticks_past "$n"
check "... still without a gap" awk 'NR != $1 { exit 1 }' "$RELIEF_TICKS"

# echo-server: the network is B's now. eth0 had A's address and route
# before criu restored the connection (B's agent set them up).
check "eth0 has $RELIEF_IP" sh -c "ip addr show dev eth0 | grep -q 'inet $RELIEF_IP '"
check "eth0 is up" sh -c "ip link show dev eth0 | grep -q '<.*UP'"
check "the default route goes via 10.0.2.2 on eth0" \
	sh -c "ip route | grep -q '^default via 10.0.2.2 dev eth0'"
check "echo-server answers here" \
	sh -c "tickq 127.0.0.1:$RELIEF_PORT pong | grep -qx pong"
check "... its 256 MiB intact: B read them from A's frames, each in its place" \
	sh -c "tickq 127.0.0.1:$RELIEF_PORT '?mem' | grep -qx 'intact 256 MiB'"
# The machine's clocks: B's continue A's, for B and the moved processes.
d=$(date +%s) u=$(cut -d. -f1 /proc/uptime)
echo "clocks: date $d (A's at the swap ${RELIEF_DATE_A:-?}), uptime $u s (A's ${RELIEF_UPTIME_A:-?} s)"
# between LO V HI: LO <= V <= HI.
between() { [ "$1" -le "$2" ] && [ "$2" -le "$3" ]; }
check "B's date went on from A's ($RELIEF_DATE_A -> $d, within 600 s)" \
	between "${RELIEF_DATE_A:-1}" "$d" $((${RELIEF_DATE_A:-0} + 600))
check "B's uptime went on from A's ($RELIEF_UPTIME_A -> $u s)" \
	[ "$u" -ge "${RELIEF_UPTIME_A:-999999}" ]
check "the agent restored the trees in B's own time" \
	grep -q "^agent: kernel B's clocks continue kernel A's: 3 trees keep the machine's time" /run/agent.log
# witness_done: its timers, due 20 s after the swap began, have fired.
witness_done() {
	kill -USR1 "$RELIEF_WITNESS" && sleep 0.3 &&
		grep -q '^witness' /mnt/data/witness && ! grep -q pending /mnt/data/witness
}
check "clock-witness's timers fired (within 40 s)" wait_until 40 witness_done
w=$(cat /mnt/data/witness 2>/dev/null)
echo "clock-witness: $w"
gap=$(field gap_ms "$w")
check "it saw the pause (${gap:-?} ms) and no clock go back ($(field back "$w"))" \
	sh -c "[ '$(field back "$w")' = 0/0/0 ] && [ '${gap:-0}' -gt 0 ]"
sr=$(field skew_real_ms "$w") sb=$(field skew_boot_ms "$w")
check "REALTIME kept step with MONOTONIC, pause included (${sr:-?} ms apart at most)" \
	between 0 "${sr:-999}" 99
check "BOOTTIME kept step with MONOTONIC, pause included (${sb:-?} ms apart at most)" \
	between 0 "${sb:-999}" 99
check "no sleep ended early ($(field early_sleeps "$w"))" [ "$(field early_sleeps "$w")" = 0 ]
# LATE/CROSSED: fired no earlier than due, no later than the pause + 1 s,
# and armed before the pause, fired after it.
on_time() { echo "$1" | awk -F/ -v g="$gap" '{ exit !($1 >= 0 && $1 <= g + 1000 && $2 == 1) }'; }
for t in timerfd timerfd_real posix itimer; do
	check "its $t fired on time across the swap ($(field "$t" "$w"): late ms/crossed)" \
		on_time "$(field "$t" "$w")"
done
if [ "${RELIEF_HOST_ECHO:-0}" = 1 ]; then
	check "the host's connection is still up" tcp_established "$RELIEF_PORT"
	host_echo_done "$RELIEF_PORT"
fi
if [ "$failed" != 0 ] && [ -r /run/agent.log ]; then
	echo "--- B's agent log:"
	tail -n 20 /run/agent.log
fi
finish
