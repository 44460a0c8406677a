# swap-cycles: 10 rehearsals in a row, each aborted: nothing leaks. MemTotal
# and MemFree come back within 1 % and every CPU is online after each.
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
mem() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
total0=$(mem MemTotal) free0=$(mem MemFree)
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	# shellcheck disable=SC2086
	reliefctl swap $b --stop-after ready --timeout 60 --quiet || break
	reliefctl abort >/dev/null || break
	[ "$(grep -c '^processor' /proc/cpuinfo)" -eq 4 ] || break
	ok=$i
done
check "10 prepare/abort cycles, all CPUs back after each (did $ok)" [ "$ok" -eq 10 ]
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
total1=$(mem MemTotal) free1=$(mem MemFree)
echo "MemTotal $total0 -> $total1 kB, MemFree $free0 -> $free1 kB"
within1() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d * 100 <= a) }'; }
check "MemTotal within 1% ($total0 -> $total1 kB)" within1 "$total0" "$total1"
check "MemFree within 1% ($free0 -> $free1 kB)" within1 "$free0" "$free1"
finish
