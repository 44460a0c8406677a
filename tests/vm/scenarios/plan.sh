# plan: `reliefctl plan` on a guest with two NUMA nodes (run with --numa 2:
# node 0 holds CPUs 0-1 and the boot CPU, node 1 CPUs 2-3, 1G each).
nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
check "two NUMA nodes (saw $nodes)" [ "$nodes" -eq 2 ]

# What reliefctl reads (libcpupower, libnuma) is what sysfs shows.
topo=$(reliefctl plan --topology)
echo "$topo" | sed 's/^/topology: /'
topology_matches() {
	local d id online pkg core node l
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		id=${d##*/cpu}
		online=1; [ -r "$d/online" ] && online=$(cat "$d/online")
		[ "$online" = 1 ] || continue
		pkg=$(cat "$d/topology/physical_package_id")
		core=$(cat "$d/topology/core_id")
		node=-1
		for l in "$d"/node[0-9]*; do [ -e "$l" ] && node=${l##*/node}; done
		echo "$topo" | grep -qx "cpu $id node $node package $pkg core $core online 1" ||
			{ echo "cpu$id: sysfs node $node package $pkg core $core"; return 1; }
	done
}
check "plan --topology matches sysfs" topology_matches

reliefctl plan | sed 's/^/plan: /'
json=$(reliefctl plan --json); rc=$?
echo "plan --json: $json"
check "plan --json exits 0 (got $rc)" [ "$rc" -eq 0 ]
node=$(echo "$json" | sed -n 's/.*"node":\([0-9]*\).*/\1/p')
cpus=$(echo "$json" | sed -n 's/.*"cpus":\[\([0-9,]*\)\].*/\1/p')
mem=$(echo "$json" | sed -n 's/.*"mem_bytes":\([0-9]*\).*/\1/p')
boot=$(echo "$json" | sed -n 's/.*"boot_cpu":\([0-9]*\).*/\1/p')
check "plan picks node 1 (got '$node')" [ "$node" = 1 ]
check "plan picks CPUs 2-3 (got '$cpus')" [ "$cpus" = 2,3 ]
check "plan gives 256M by default (got '$mem')" [ "$mem" = 268435456 ]
check "plan names boot CPU 0 (got '$boot')" [ "$boot" = 0 ]

# exits WANT_RC WORDS ARGS...: `reliefctl plan ARGS` exits WANT_RC and says
# WORDS on stderr.
exits() {
	local want=$1 words=$2 err rc
	shift 2
	err=$(reliefctl plan "$@" 2>&1 >/dev/null); rc=$?
	echo "plan $*: exit $rc: $err"
	[ "$rc" -eq "$want" ] && echo "$err" | grep -q "$words"
}
check "--cpus 0-1 refused (exit 3), naming the boot CPU" \
	exits 3 "refused (boot CPU): CPU 0 is the boot CPU" --cpus 0-1
check "--cpus 1-2 refused (exit 3): spans nodes" \
	exits 3 "refused (spans nodes)" --cpus 1-2
check "--mem 64G refused (exit 3): not enough memory" \
	exits 3 "refused (not enough memory)" --mem 64G
check "--cpus 3-1 is bad syntax (exit 2)" exits 2 "backwards" --cpus 3-1
check "--cpus 2-3 --mem 512M accepted" reliefctl plan --cpus 2-3 --mem 512M
finish
