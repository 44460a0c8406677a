# numa-swap (A's part): a whole swap on a guest with two NUMA nodes (run
# with --numa 2: node 0 holds CPUs 0-1, node 1 CPUs 2-3, 1G each). Kernel
# B does not go by the SRAT it reads: it takes the nodes, their
# distances, each CPU's node and each memory range's node from A's
# hardware description (relief_numa_init(), hook patch 0007), and adds
# A's RAM to its own node once A stood relieved. A records what B must
# find (B's part: numa-swap.after.sh) and swaps, moving no process. B
# ends with poweroff -f, which must power the machine off (ACPI's S5, B's
# once A stood relieved; run-vm.sh --expect-poweroff).
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
check "A has two NUMA nodes (saw $nodes)" [ "$nodes" -eq 2 ]
# node_cpus N: how many CPUs node N has; node_mem N: its MemTotal, kB.
node_cpus() { awk -F, '{ n = 0; for (i = 1; i <= NF; i++) { split($i, r, "-");
	n += (r[2] == "" ? 1 : r[2] - r[1] + 1) } print n }' \
	/sys/devices/system/node/node$1/cpulist; }
node_mem() { awk '$3 == "MemTotal:" { print $4 }' /sys/devices/system/node/node$1/meminfo; }
d0=$(cat /sys/devices/system/node/node0/distance | tr ' ' _)
d1=$(cat /sys/devices/system/node/node1/distance | tr ' ' _)
after="relief.after=numa-swap relief.release=$EXPECT_RELEASE_B relief.poweroff_after"
after="$after relief.dist0=$d0 relief.dist1=$d1"
after="$after relief.cpus0=$(node_cpus 0) relief.cpus1=$(node_cpus 1)"
after="$after relief.mem0=$(node_mem 0) relief.mem1=$(node_mem 1)"
echo "swapping with: $after"
# The rehearsal first: B's own view while A runs (its console reaches A).
# shellcheck disable=SC2086
reliefctl swap $b --stop-after ready --timeout 60 --quiet
check "B qualifies on a two-node machine" [ $? -eq 0 ]
check "B took A's two nodes while booting beside it" \
	grep -qa 'NUMA: 2 nodes as OLD described them' /sys/kernel/relief/console
reliefctl abort >/dev/null
wait_until 10 cpus_back
# shellcheck disable=SC2086
reliefctl swap $b --timeout 60 --append "$after"
rc=$?
# Still here: B did not take over.
check "the swap completed (reliefctl swap exit $rc, state $(cat /sys/kernel/relief/state))" false
finish
