#!/usr/bin/env bash
# tests/image/check-iommu.sh - the Debian server with an IOMMU translating
# in kernel A (QEMU's intel-iommu; the packages' kernels have
# CONFIG_INTEL_IOMMU_DEFAULT_ON): kernel B cannot take A's translation
# tables over yet, so a swap, its dry run too, is refused before anything
# changes, the IOMMU named (reliefctl.rst: "an IOMMU is on in this
# kernel"). Taking the IOMMU over is still to be done; this holds the
# machine safe until then.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/image/machine.sh
. "$top/tests/image/machine.sh"
rc=0
pass() { echo "PASS: iommu: $*"; }
fail() { echo "FAIL: iommu: $*"; rc=1; }
rel_b=$(machine_release deb-b)

trap machine_stop EXIT
machine_start iommu -device intel-iommu,intremap=on || exit 1
machine_wait_ssh 300 || exit 1

if machine_ssh 'ls /sys/class/iommu' 2>/dev/null | grep -qx dmar0; then
	pass "kernel A drives the IOMMU (dmar0)"
else
	fail "kernel A has no IOMMU in /sys/class/iommu"
fi
type=$(machine_ssh cat /sys/bus/pci/devices/0000:06:00.0/iommu_group/type 2>&1)
case $type in
DMA|DMA-FQ) pass "the NVMe disk's DMA is translated (its group's domain: $type)" ;;
*) fail "the NVMe disk's IOMMU domain is '$type', not a translating one" ;;
esac
machine_ssh "dpkg -i /var/cache/relief/linux-image-${rel_b}_*.deb > /dev/null 2>&1" ||
	fail "dpkg -i of kernel package B failed"
out=$(machine_ssh "cpus=\$(cat /sys/devices/system/cpu/online)
	reliefctl swap /boot/vmlinuz-$rel_b --move \$(systemctl show -p MainPID --value nginx) --dry-run; echo \"exit \$?\"
	[ \"\$(cat /sys/devices/system/cpu/online)\" = \"\$cpus\" ] && echo cpus-unchanged
	cat /sys/kernel/relief/state" 2>&1)
if echo "$out" | grep -q '^exit 3$' &&
	echo "$out" | grep -q 'an IOMMU is on in this kernel (dmar0): kernel B cannot take its translation tables over yet'; then
	pass "a swap to B is refused (exit 3), the IOMMU named"
else
	fail "the swap was not refused for the IOMMU: $(echo "$out" | tail -4 | tr '\n' ' ')"
fi
if echo "$out" | grep -qx cpus-unchanged && echo "$out" | grep -q '^IDLE'; then
	pass "... nothing changed: every CPU online, relief IDLE"
else
	fail "something changed: $(echo "$out" | tail -2 | tr '\n' ' ')"
fi
machine_stop
echo "# iommu: logs in ${machine_dir#"$top"/}/"
exit $rc
