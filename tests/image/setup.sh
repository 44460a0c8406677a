#!/bin/sh
# setup.sh - the test machine's first boot, as init (init=): installs GRUB
# in the NVMe disk's boot sector and writes grub.cfg with Debian's own
# tools (grub-install, update-grub), which need the disk as a kernel sees
# it: a loop device in a container has no partitions. Then it removes
# itself and powers the machine off. tests/image/build.sh waits for its
# last line, "IMAGE-SETUP: ok" or "IMAGE-SETUP: failed".
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
step() {
	echo "IMAGE-SETUP: $*"
	"$@" || { echo "IMAGE-SETUP: failed: $*"; sync; echo o > /proc/sysrq-trigger; sleep 60; }
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
step grub-install --target=i386-pc /dev/nvme0n1
step update-grub
rm -f /usr/local/sbin/relief-image-setup
sync
echo "IMAGE-SETUP: ok"
echo o > /proc/sysrq-trigger
sleep 60
