# numa-swap (B's part, once B relieved A; lib.sh before it): the machine's
# NUMA layout as A had it. A passed it as relief.* (here RELIEF_*):
#   DIST0, DIST1  each node's distances (node*/distance, '_' for ' ')
#   CPUS0, CPUS1  how many CPUs each node had
#   MEM0, MEM1    each node's MemTotal, kB
node_cpus() { awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-");
	n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }' \
	/sys/devices/system/node/node$1/cpulist; }
node_mem() { awk '$3 == "MemTotal:" { print $4 }' /sys/devices/system/node/node$1/meminfo; }
echo "B: $(uname -r), nodes $(ls -d /sys/devices/system/node/node[0-9]* | tr '\n' ' ')"
check "uname -r is B's ($RELIEF_RELEASE)" [ "$(uname -r)" = "$RELIEF_RELEASE" ]
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
check "B has two NUMA nodes (saw $nodes)" [ "$nodes" -eq 2 ]
for n in 0 1; do
	eval "want_d=\$RELIEF_DIST$n want_c=\$RELIEF_CPUS$n want_m=\$RELIEF_MEM$n"
	d=$(tr ' ' _ < /sys/devices/system/node/node$n/distance)
	check "node $n's distances are A's ($want_d; saw $d)" [ "$d" = "$want_d" ]
	# A's CPUs come online, each on its node, once A stood relieved.
	have_cpus() { [ "$(node_cpus "$1")" -eq "$2" ]; }
	check "node $n has A's $want_c CPUs (within 10 s; saw $(node_cpus $n))" \
		wait_until 10 have_cpus "$n" "$want_c"
	# A's RAM joins its own node, all of it above 1 MiB (whole blocks
	# hot-added, the pieces of others freed: handover.rst); with the
	# region A kept out of its own MemTotal, B's node has more than A's.
	have_mem() { [ "$(( $(node_mem "$1") * 1000 ))" -ge "$(( $2 * 995 ))" ]; }
	check "node $n holds at least 99.5% of A's ${want_m} kB (within 30 s; saw $(node_mem $n))" \
		wait_until 30 have_mem "$n" "$want_m"
done
numa_hw() { for n in 0 1; do echo "node $n cpus $(cat /sys/devices/system/node/node$n/cpulist) mem $(node_mem $n) kB"; done; }
numa_hw | sed 's/^/B: /'
# B's power off (relief.poweroff_after, next) is ACPI's S5, with _PTS.
check "B started ACPI, whose S5 powers off next" \
	sh -c "dmesg | grep -q 'relief: NEW: ACPI started'"
finish
