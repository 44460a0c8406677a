#!/usr/bin/env bash
# tests/image/check-boot.sh - the Debian test machine is the server the
# issue describes, booted by itself with relief's packages installed:
# kernel A from GRUB with the reliefctl package's parameters, systemd and
# every service up, root on NVMe behind a root port, the data disk behind a
# switch, IPv4 and IPv6, the firewall, services reached from the host.
# Then the operator's first steps: kernel package B installed with dpkg
# (update-grub lists it), and a stock Debian kernel refused as a swap
# target before anything changes. (A swap to B: check-swap.sh.)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/image/machine.sh
. "$top/tests/image/machine.sh"
rc=0
pass() { echo "PASS: image: $*"; }
fail() { echo "FAIL: image: $*"; rc=1; }
# check WHAT CMD: CMD (one shell command line) run on the machine succeeds.
check() {
	local out
	if out=$(machine_ssh "$2" 2>&1); then
		pass "$1"
	else
		fail "$1: '$2' said: $(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
}
rel_a=$(machine_release deb-a) rel_b=$(machine_release deb-b)

trap machine_stop EXIT
machine_start boot || exit 1
machine_wait_ssh 300 || exit 1

check "kernel A ($rel_a) booted from the disk" "test \"\$(uname -r)\" = $rel_a"
check "GRUB gave it the package's relief_region= and no_ipi_broadcast=" \
	'grep -q "relief_region=512M" /proc/cmdline && grep -q "no_ipi_broadcast=1" /proc/cmdline'
check "the root file system is ext4 on the NVMe disk" \
	'[ "$(findmnt -no SOURCE,FSTYPE / | tr -s " ")" = "/dev/nvme0n1p1 ext4" ]'
check "the NVMe disk sits behind a PCIe root port" \
	'readlink -f /sys/block/nvme0n1 | grep -Eq "/pci0000:00/0000:00:06.0/0000:06:00.0/"'
check "the data disk (behind the switch) is mounted on /srv/data" \
	'findmnt -no SOURCE /srv/data | grep -q vda && readlink -f /sys/block/vda | grep -q "0000:04:00.0"'
check "/tmp is a tmpfs" '[ "$(findmnt -no FSTYPE /tmp)" = tmpfs ]'

# systemd reaches its target; a unit that failed is named.
state=$(machine_ssh systemctl is-system-running --wait 2>&1)
if [ "$state" = running ]; then
	pass "systemd: the system is running"
else
	fail "systemd: the system is '$state'; failed units: $(machine_ssh systemctl --failed --plain --no-legend 2>&1 | awk '{ print $1 }' | tr '\n' ' ')"
fi
for unit in systemd-journald ssh cron nginx redis-server nftables systemd-networkd; do
	check "$unit is active" "systemctl is-active --quiet $unit"
done
check "IPv4 10.0.2.15 and IPv6 fec0::15 on the NIC" \
	'ip -4 addr | grep -q "inet 10.0.2.15/24" && ip -6 addr | grep -q "inet6 fec0::15/64"'
check "the nftables ruleset is loaded" 'nft list chain inet filter input | grep -q "policy drop"'

# From the host, through the port forwards and the firewall.
if curl -fsS --max-time 20 "http://127.0.0.1:$(machine_port 80)/" | grep -qi nginx; then
	pass "nginx answers the host on port 80"
else
	fail "nginx did not answer the host on port 80"
fi
if [ "$(redis-cli -h 127.0.0.1 -p "$(machine_port 6379)" --no-auth-warning PING 2>&1)" = PONG ]; then
	pass "redis answers the host on port 6379"
else
	fail "redis did not answer PING from the host"
fi

# The reliefctl package.
check "reliefctl is installed, with its man page and completion" \
	'reliefctl --version && test -f /usr/share/man/man8/reliefctl.8.gz && test -f /usr/share/bash-completion/completions/reliefctl'
check "reliefctl status: the running kernel speaks relief" \
	'reliefctl status | grep -qi "relief"'

# Kernel package B, as an operator installs it.
check "kernel package B installs with dpkg" "dpkg -i /var/cache/relief/linux-image-${rel_b}_*.deb > /tmp/dpkg-b.log 2>&1 || { cat /tmp/dpkg-b.log; false; }"
check "update-grub listed B ($rel_b)" "grep -q vmlinuz-$rel_b /boot/grub/grub.cfg"

# A stock Debian kernel is refused before anything changes.
stock=$top/build/images/vmlinuz-debian-amd64
[ -f "$stock" ] || stock=''
if [ -z "$stock" ]; then
	fail "no stock Debian kernel in build/images (make foreign-kernels)"
elif machine_scp "$stock" "root@127.0.0.1:/tmp/vmlinuz-stock"; then
	out=$(machine_ssh 'cpus=$(cat /sys/devices/system/cpu/online); reliefctl swap /tmp/vmlinuz-stock --timeout 30; echo "exit $?"; [ "$(cat /sys/devices/system/cpu/online)" = "$cpus" ] && echo cpus-unchanged' 2>&1)
	if echo "$out" | grep -q "^exit 3$" && echo "$out" | grep -q cpus-unchanged; then
		pass "a stock Debian kernel ($(basename "$stock")) is refused (exit 3), no CPU offlined: $(echo "$out" | grep -m1 -i 'refus\|not a relief' | cut -c1-120)"
	else
		fail "a stock Debian kernel: $(echo "$out" | tail -4 | tr '\n' ' ')"
	fi
else
	fail "could not copy $stock to the machine"
fi

machine_stop
echo "# image: logs in ${machine_dir#"$top"/}/"
exit $rc
