#!/bin/sh
# topology-sysfs.sh RELIEFCTL [SYSFS_CPU_DIR] - does reliefctl read this
# machine's CPU topology as sysfs shows it? Checks our libcpupower ABI
# declarations (userspace/reliefctl/cpupower_abi.h) against the real
# library: a wrong struct layout shows here as wrong package/core ids.
# TAP output, one test per CPU; POSIX sh (runs under busybox too).
reliefctl=$1
sys=${2:-/sys/devices/system/cpu}
out=$("$reliefctl" plan --topology) || { echo "not ok 1 - reliefctl plan --topology ran"; exit 1; }
n=0 rc=0
read_or() { if [ -r "$1" ]; then cat "$1"; else echo "$2"; fi; }
for d in "$sys"/cpu[0-9]*; do
	id=${d##*/cpu}
	online=$(read_or "$d/online" 1)
	pkg=$(read_or "$d/topology/physical_package_id" -1)
	core=$(read_or "$d/topology/core_id" -1)
	want="cpu $id node [-0-9]* package $pkg core $core online $online"
	if [ "$online" = 1 ]; then
		node=-1
		for l in "$d"/node[0-9]*; do [ -e "$l" ] && node=${l##*/node}; done
		want="cpu $id node $node package $pkg core $core online 1"
	fi
	n=$((n + 1))
	got=$(echo "$out" | grep "^cpu $id ")
	if echo "$got" | grep -qx "$want"; then
		echo "ok $n - topology of cpu$id: $got"
	else
		echo "not ok $n - topology of cpu$id: reliefctl says '$got', sysfs '$want'"
		rc=1
	fi
done
echo "1..$n"
exit $rc
