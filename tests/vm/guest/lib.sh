# Sourced by guest scenarios (prepended by tests/vm/scenario.sh).
# check NAME CMD...: run CMD, print PASS:/FAIL: NAME, remember failures.
failed=0
check() {
	local what=$1; shift
	if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failed=1; fi
}
# A scenario ends with `finish`, whose status is the guest's verdict.
finish() { return $failed; }
# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds, at
# most SECONDS; the status says whether it ever did.
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
# tcp_established PORT: a TCP connection to local PORT is up (/proc/net/tcp:
# the local address is field 2, the state field 4, 01 = ESTABLISHED).
tcp_established() {
	awk -v p="$(printf ':%04X' "$1")" 'NR > 1 && substr($2, length($2) - 4) == p && $4 == "01" { f = 1 } END { exit !f }' /proc/net/tcp
}
tcp_closed() { ! tcp_established "$1"; }
# host_echo_done PORT: under run-vm.sh --host-echo, say ECHO-DONE and wait
# until the host, having checked its last echoes, closed its connection to
# PORT: then it has judged before the verdict (and A's power-off) comes.
host_echo_done() {
	echo "ECHO-DONE"
	check "the host closed its connection when done (within 30 s)" \
		wait_until 30 tcp_closed "$1"
}
# field NAME LINE: the value after the word NAME in LINE (ticker's answer).
field() { echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
# mem KEY: a /proc/meminfo value in kB (mem MemTotal).
# irq_count NAME: interrupts so far, on all CPUs, of the line NAME uses.
irq_count() {
	awk -v n="$1" '$NF == n { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' /proc/interrupts
}
mem() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# pci_bound: the PCI functions with a driver that are not bridges (the
# devices a swap hands over), comma-separated.
pci_bound() {
	local d out=
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d/driver" ] && [ "$(cut -c1-6 "$d/class")" != 0x0604 ] &&
			out=$out${out:+,}${d##*/}
	done
	echo "$out"
}
# relief_reserved_kb: kB this kernel reserved at boot for relief (its
# region and low chunk, /proc/iomem; root sees the addresses).
relief_reserved_kb() {
	local n=0 s e
	for r in $(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : relief \(region\|low memory\)$/\1-\2/p' /proc/iomem); do
		s=${r%-*} e=${r#*-}
		n=$((n + 0x$e - 0x$s + 1))
	done
	echo $((n / 1024))
}
# free_kb: MemFree plus the pages on the per-CPU free lists (/proc/zoneinfo
# "count:"), in kB. A CPU that goes offline and comes back drains and then
# refills its lists, tens of MiB that MemFree alone counts as used.
free_kb() {
	awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo |
		{ read -r pcp; echo $(( $(mem MemFree) + pcp )); }
}
# cpus_back: all 4 CPUs of the test guest online.
cpus_back() { [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; }
# insegs: TCP segments received so far (/proc/net/snmp, the InSegs column).
insegs() {
	awk '$1 == "Tcp:" { if (!c) { for (i = 2; i <= NF; i++) if ($i == "InSegs") c = i }
		else print $c }' /proc/net/snmp
}
# flowing S: a heartbeat from the host (the benchmark's: a line every
# 20 ms) reaches the guest again: at least 5 segments in half a second,
# within S seconds.
flowing() {
	local n=$(($1 * 2)) a b
	while [ "$n" -gt 0 ]; do
		a=$(insegs); sleep 0.5; b=$(insegs)
		[ $((b - a)) -ge 5 ] && return 0
		n=$((n - 1))
	done
	return 1
}
# chain_pack OUT: an initramfs for the next kernel of a chain of swaps: the
# plain one (/boot/chain/plain.cpio.gz), then an archive of /boot/chain
# itself (both kernel images and the plain initramfs), so that the next
# kernel finds them there and can pack them again.
chain_pack() {
	(cd / && { echo boot; find boot/chain; } | cpio -o -H newc 2>/dev/null | gzip -1) \
		> /tmp/chain-part.cpio.gz &&
		cat /boot/chain/plain.cpio.gz /tmp/chain-part.cpio.gz > "$1" &&
		rm -f /tmp/chain-part.cpio.gz
}
# chain_settled: this relieving kernel took all it will of the old one's
# memory: the transfer area freed, and the blocks under pages read in
# place taken once read (if any waited).
chain_settled() {
	dmesg | grep -q 'the transfer area is RAM of this kernel now' || return 1
	dmesg | grep -q ', 0 MiB after its pages are read' ||
		dmesg | grep -q 'of OLD.s RAM taken once its pages were read'
}
# parity_facts: what the parity comparison (tests/vm/parity.sh) looks at,
# one "FACT NAME VALUE" line each, from the kernel running now.
parity_facts() {
	local n d
	echo "FACT release $(uname -r)"
	echo "FACT cpus $(cat /sys/devices/system/cpu/online)"
	echo "FACT nodes $(ls -d /sys/devices/system/node/node[0-9]* | sed 's#.*/##' | tr '\n' ' ')"
	for d in /sys/devices/system/node/node[0-9]*; do
		echo "FACT distance-${d##*/} $(cat "$d/distance")"
	done
	echo "FACT memtotal $(mem MemTotal)"
	echo "FACT pci $(for d in /sys/bus/pci/devices/*; do
		echo "${d##*/}=$(cat "$d/vendor"):$(cat "$d/device")"; done | sort | tr '\n' ' ')"
	n=$(grep -c '^processor' /proc/cpuinfo)
	echo "FACT irq-chips $(awk -v n="$n" '$1 ~ /^[0-9]+:$/ { print $(n + 2) }' /proc/interrupts | sort -u | tr '\n' ' ')"
	echo "FACT acpi-tables $(ls /sys/firmware/acpi/tables 2>/dev/null | sort | tr '\n' ' ')"
	echo "FACT acpi-devices $(ls /sys/bus/acpi/devices 2>/dev/null | sort | tr '\n' ' ')"
	echo "FACT legacy-irqs $(awk '$NF ~ /^(ttyS0|rtc0|acpi)$/ { print $1 $NF }' /proc/interrupts | sort | tr '\n' ' ')"
	echo "FACT sci $(awk -v n="$n" '$1 ~ /^[0-9]+:$/ && $NF == "acpi" { print $(n + 2), $(n + 3) }' /proc/interrupts)"
	echo "FACT power-button $(grep -c '^N: Name="Power Button"' /proc/bus/input/devices)"
	echo "FACT pnp $(ls /sys/bus/pnp/devices 2>/dev/null | sort | tr '\n' ' ')"
	echo "FACT consoles $(sed 's/ .*//' /proc/consoles | sort | tr '\n' ' ')"
	echo "FACT clocksources $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)"
	echo "FACT clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "FACT tsc-reliable $(grep -m 1 '^flags' /proc/cpuinfo | grep -c -w tsc_reliable)"
	echo "FACT uart-irqs $(for n in 0 1; do echo "ttyS$n:$(cat /sys/class/tty/ttyS$n/irq)"; done | tr '\n' ' ')"
	echo "FACT rtc $(ls /dev/rtc* 2>/dev/null | tr '\n' ' ')"
}
