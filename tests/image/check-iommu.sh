#!/usr/bin/env bash
# tests/image/check-iommu.sh - a swap on the Debian server with an IOMMU
# translating in kernel A (QEMU's intel-iommu with interrupt remapping;
# the packages' kernels have CONFIG_INTEL_IOMMU_DEFAULT_ON), so that the
# NVMe disk's DMA goes through A's tables. Kernel A lends the IOMMU to B
# once it has quiesced the devices (remapping off), and B starts it once
# A stood relieved, with identity domains (handover.rst, "The IOMMU").
#
# A writer on the root file system moves with nginx: every half second it
# appends a line (its kernel's release and the NVMe disk's IOMMU domain
# as that kernel shows it) to a file nginx serves, syncs it to the disk
# and drops the page cache, so the host's next fetch reads it back from
# the disk. Lines written on kernel B with an identity domain are DMA to
# and from the NVMe disk through B's IOMMU; no DMA fault may be logged by
# either kernel.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/image/machine.sh
. "$top/tests/image/machine.sh"
rc=0
pass() { echo "PASS: iommu: $*"; }
fail() { echo "FAIL: iommu: $*"; rc=1; }
rel_b=$(machine_release deb-b)
nvme=0000:06:00.0

trap machine_stop EXIT
machine_start iommu -device intel-iommu,intremap=on || exit 1
machine_wait_ssh 300 || exit 1

if machine_ssh 'ls /sys/class/iommu' 2>/dev/null | grep -qx dmar0; then
	pass "kernel A drives the IOMMU (dmar0)"
else
	fail "kernel A has no IOMMU in /sys/class/iommu"
fi
type=$(machine_ssh cat /sys/bus/pci/devices/$nvme/iommu_group/type 2>&1)
case $type in
DMA|DMA-FQ) pass "the NVMe disk's DMA is translated (its group's domain: $type)" ;;
*) fail "the NVMe disk's IOMMU domain is '$type', not a translating one" ;;
esac
machine_ssh "dpkg -i /var/cache/relief/linux-image-${rel_b}_*.deb > /dev/null 2>&1" ||
	fail "dpkg -i of kernel package B failed"

# The writer: a tree of its own (setsid), child of PID 1 like a service.
writer=$(machine_ssh "setsid sh -c 'i=0; while :; do i=\$((i + 1))
	echo \"\$i \$(uname -r) \$(cat /sys/bus/pci/devices/$nvme/iommu_group/type 2>&1)\" >> /var/www/html/ticks.txt
	dmesg > /var/www/html/kmsg.new; mv /var/www/html/kmsg.new /var/www/html/kmsg.txt
	sync; echo 1 > /proc/sys/vm/drop_caches; sleep 0.5; done' < /dev/null > /dev/null 2>&1 & echo \$!")
nginx=$(machine_ssh systemctl show -p MainPID --value nginx)
echo "# iommu: nginx $nginx, writer $writer"
# fetch FILE: a file the writer keeps in nginx's root, through the port.
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode(), end="")' \
		"http://127.0.0.1:$(machine_port 80)/$1" 2>/dev/null
}

out=$(machine_ssh "reliefctl swap /boot/vmlinuz-$rel_b --move $nginx,$writer --dry-run; echo \"exit \$?\"" 2>&1)
if echo "$out" | grep -q '^exit 0$' &&
	echo "$out" | grep -q "^iommu: dmar0: lent to kernel B once the devices are quiesced"; then
	pass "the dry run passes and says how the IOMMU goes: $(echo "$out" | grep '^iommu: ' | cut -c1-60)..."
else
	fail "the dry run: $(echo "$out" | grep -v '^exit' | tail -2 | tr '\n' ' ')"
	exit 1
fi

machine_swap 400 "/boot/vmlinuz-$rel_b --move $nginx,$writer --timeout 120" || exit 1
pass "kernel B relieved kernel A in $machine_swap_s s"
if grep -aq "the IOMMU is lent to the new kernel: DMA remapping off" "$machine_dir"/ttyS0.log; then
	pass "kernel A lent the IOMMU once the devices were quiesced"
else
	fail "kernel A did not say it lent the IOMMU"
fi

# Kernel B's lines, read back from the disk through nginx: bounded by
# what the HTTP client of check-swap.sh waits for a first page on B.
lines=''
for _ in $(seq 90); do
	lines=$(fetch ticks.txt | grep " $rel_b identity$")
	[ "$(echo "$lines" | grep -c .)" -ge 5 ] && break
	sleep 1
done
if [ "$(echo "$lines" | grep -c .)" -ge 5 ]; then
	pass "on kernel B the NVMe disk is in an identity domain of B's IOMMU, and lines synced to it read back ($(echo "$lines" | grep -c .) so far, last: $(echo "$lines" | tail -1))"
else
	fail "no 5 lines written on kernel B with an identity domain within 90 s: $(fetch ticks.txt | tail -2 | tr '\n' ' ')"
fi
# Kernel B's whole log, as the writer last saved it there.
for _ in $(seq 30); do
	fetch kmsg.txt > "$machine_dir/kmsg-b.txt"
	grep -q "relief: NEW: the IOMMU is" "$machine_dir/kmsg-b.txt" && break
	sleep 1
done
took=$(grep -o "relief: NEW: the IOMMU is this kernel's: .*" "$machine_dir/kmsg-b.txt")
if [ -n "$took" ] && grep -q "relief: NEW: device $nvme (nvme): IOMMU group [0-9]*, identity domain" "$machine_dir/kmsg-b.txt"; then
	pass "kernel B says: ${took#relief: NEW: }"
else
	fail "kernel B's log does not say it took the IOMMU with the NVMe disk in an identity domain: $(grep -a 'relief: NEW.*IOMMU\|DMAR' "$machine_dir/kmsg-b.txt" | tail -2 | tr '\n' ' ')"
fi
faults=$(grep -ah "DMAR: \[DMA\|DRHD: handling fault\|DMAR:.*[Ff]ault" "$machine_dir"/ttyS*.log "$machine_dir/kmsg-b.txt")
if [ -z "$faults" ]; then
	pass "no DMA fault logged by either kernel"
else
	fail "DMA faults: $(echo "$faults" | head -3 | tr '\n' ' ')"
fi
machine_stop
echo "# iommu: logs in ${machine_dir#"$top"/}/"
exit $rc
