#!/bin/sh
# customize.sh ROOT - the test machine's services, set up in the root file
# system mmdebstrap made (tests/image/build.sh, step 1). The files in
# rootfs/ are already laid in.
set -eu
root=$1
in_root() { chroot "$root" "$@"; }

# Fixed addresses (rootfs/etc/systemd/network/), the firewall
# (rootfs/etc/nftables.conf).
in_root systemctl enable systemd-networkd systemd-resolved nftables
# Nothing that runs by the clock and changes the disk behind a test's back.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer
# Redis answers on the network, as a server's does: the host reaches it
# through QEMU's port forward, which is not loopback to it.
sed -i -e 's/^bind .*/bind * -::*/' -e 's/^protected-mode .*/protected-mode no/' \
	"$root/etc/redis/redis.conf"
grep -qx 'bind \* -::\*' "$root/etc/redis/redis.conf"
# kexec-tools is there for the benchmark's explicit kexec; a reboot stays
# a reboot (its debconf default would make every reboot a kexec).
sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$root/etc/default/kexec"
grep -qx 'LOAD_KEXEC=false' "$root/etc/default/kexec"
# A user account (its ssh key is the build's: build.sh step 2).
in_root useradd --create-home --shell /bin/bash relief
# The console is live: root logged in on the serial line, as a lab
# machine's console server would show it.
mkdir -p "$root/etc/systemd/system/serial-getty@ttyS0.service.d"
cat > "$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 - $TERM
UNIT
in_root apt-get clean
