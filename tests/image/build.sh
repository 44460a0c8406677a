#!/usr/bin/env bash
# tests/image/build.sh - the Debian 12 server relief is tested on (make image).
#
#   tests/image/build.sh            build build/image/disk.img if its inputs changed
#   tests/image/build.sh --print    print what it would be built from, build nothing
#   tests/image/build.sh --rootfs   build step 1 only (needs no packages)
#
# 1. root file system: mmdebstrap of bookworm (+ -updates, -security) with
#    systemd, udev, journald, sshd, cron, nginx, redis, nftables, criu,
#    kexec-tools and GRUB, the files in tests/image/rootfs/ laid over it
#    and the services set up (IPv4 and IPv6 addresses, nftables ruleset,
#    redis on the network, a user account). Kept as a tarball in the cache
#    (${RELIEF_CACHE:-~/.cache/relief}/image/), keyed by this script, the
#    package list and rootfs/: rebuilt only when those change.
# 2. the machine's own parts, on every change of the packages: relief's
#    kernel package A and the reliefctl package installed with dpkg (their
#    hooks set A's command line), kernel package B left in
#    /var/cache/relief/ for a test to install, an ssh key made for this
#    build directory (build/image/ssh/, never committed) for root and the
#    user, an fstab naming the root file system by UUID.
# 3. the disk: an MBR with one ext4 partition (mkfs.ext4 -d, no mount
#    needed), then a first boot of kernel A under QEMU with
#    tests/image/setup.sh as init, which installs GRUB with Debian's
#    grub-install and update-grub and powers off. From then on the disk
#    boots by itself: SeaBIOS, GRUB, kernel A from /boot, systemd.
# Tests never write to build/image/disk.img: tests/image/run.sh boots a
# copy-on-write overlay of it.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/image
out=$top/build/image
debs=$top/build/debs
cache=${RELIEF_CACHE:-$HOME/.cache/relief}/image
suite=bookworm
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
disk_size=6G
die() { echo "tests/image/build.sh: $*" >&2; exit 1; }
now() { date +%s; }

# What the server runs (the issue's machine), and what a swap needs on it.
packages=(
	systemd systemd-sysv systemd-resolved udev dbus
	openssh-server cron nginx-light redis-server redis-tools nftables
	iproute2 procps kmod e2fsprogs less netbase ca-certificates
	grub-pc
	# the kexec reboot tests/bench/downtime-server measures against
	kexec-tools
	# what the reliefctl package depends on (dpkg -i resolves nothing)
	libnuma1 libcpupower1 libfdt1 criu busybox-static cpio
)

need() { command -v "$1" >/dev/null || die "'$1' not found: apt-get install $2"; }
need mmdebstrap mmdebstrap; need mkfs.ext4 e2fsprogs; need sfdisk fdisk
need qemu-system-x86_64 qemu-system-x86; need qemu-img qemu-utils
need ssh-keygen openssh-client; need dpkg-deb dpkg

# The root file system's key: everything step 1 is made of.
rootfs_key=$({ printf '%s\n' "$suite" "${packages[@]}"; cat "$0" "$here/customize.sh";
	(cd "$here/rootfs" && find . -type f | sort | xargs sha256sum); } |
	sha256sum | cut -c1-16)
rootfs_tar=$cache/rootfs-$rootfs_key.tar
# Step 1: the root file system, from Debian's packages.
build_rootfs() {
	local tmp=$cache/.rootfs-$rootfs_key.tmp.tar t0
	t0=$(now)
	mkdir -p "$cache"
	echo "  ROOTFS  mmdebstrap $suite: ${packages[*]}"
	mmdebstrap --quiet --variant=minbase --format=tar --include="$(IFS=,; echo "${packages[*]}")" \
		--customize-hook="sync-in '$here/rootfs' /" \
		--customize-hook="'$here/customize.sh' \"\$1\"" \
		"$suite" "$tmp" \
		"deb $mirror $suite main" "deb $mirror $suite-updates main" \
		"deb $security $suite-security main" || die "mmdebstrap failed"
	mv "$tmp" "$rootfs_tar"
	echo "  ROOTFS  $rootfs_tar in $(( $(now) - t0 )) s"
}
if [ "${1:-}" = --rootfs ]; then
	[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap)"
	[ -f "$rootfs_tar" ] || build_rootfs
	echo "$rootfs_tar"
	exit 0
fi

# The packages the machine is built with (make deb): kernel A and B, named
# by the versions kernel/source-version pins, and reliefctl.
# shellcheck source=tests/image/machine.sh
. "$here/machine.sh"	# machine_release: the packages' uname -r
deb_path() {
	local v
	v=$("$top/kernel/source.sh" --version "$1")
	echo "$debs/linux-image-$(machine_release "$1")_${v}+relief_amd64.deb"
}
kernel_a=$(deb_path deb-a) kernel_b=$(deb_path deb-b)
release_a=$(machine_release deb-a)
reliefctl_deb=$(find "$debs" -maxdepth 1 -name 'reliefctl_*_amd64.deb' 2>/dev/null | sort | tail -1)
for f in "$kernel_a" "$kernel_b" "$reliefctl_deb"; do
	[ -n "$f" ] && [ -f "$f" ] || die "${f:-the reliefctl package} missing: run 'make deb' first"
done

# The disk's key: the root file system, the packages, the first boot.
disk_key=$({ echo "$rootfs_key"; sha256sum "$kernel_a" "$kernel_b" "$reliefctl_deb" \
	"$here/setup.sh"; } | sha256sum | cut -c1-16)

if [ "${1:-}" = --print ]; then
	printf 'rootfs %s\ndisk %s\nkernel-a %s\nkernel-b %s\nreliefctl %s\n' \
		"$rootfs_tar" "$disk_key" "$kernel_a" "$kernel_b" "$reliefctl_deb"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap and the root file system's owners)"
if [ -f "$out/disk.img" ] && [ "$(cat "$out/disk.key" 2>/dev/null)" = "$disk_key" ]; then
	echo "IMAGE   $out/disk.img is up to date ($disk_key)"
	exit 0
fi
[ -f "$rootfs_tar" ] || build_rootfs


# Step 2: the machine's own parts, in a copy of the root file system.
root=$out/root
install_parts() {
	rm -rf "$root" && mkdir -p "$root"
	tar --xattrs --xattrs-include='*' --numeric-owner -xpf "$rootfs_tar" -C "$root"
	mkdir -p "$root/var/cache/relief"
	cp "$kernel_a" "$kernel_b" "$reliefctl_deb" "$root/var/cache/relief/"
	echo "  DPKG    $(basename "$kernel_a") $(basename "$reliefctl_deb")"
	chroot "$root" dpkg -i "/var/cache/relief/$(basename "$kernel_a")" \
		"/var/cache/relief/$(basename "$reliefctl_deb")" > "$out/dpkg.log" 2>&1 ||
		die "dpkg -i in the image failed: $out/dpkg.log"
	rm "$root/var/cache/relief/$(basename "$kernel_a")" \
		"$root/var/cache/relief/$(basename "$reliefctl_deb")"
	mkdir -p "$out/ssh"
	[ -f "$out/ssh/id_ed25519" ] ||
		ssh-keygen -q -t ed25519 -N '' -C relief-test -f "$out/ssh/id_ed25519"
	local home
	for home in root home/relief; do
		mkdir -p "$root/$home/.ssh"
		cp "$out/ssh/id_ed25519.pub" "$root/$home/.ssh/authorized_keys"
	done
	chroot "$root" chown -R relief:relief /home/relief/.ssh
	chmod 700 "$root/root/.ssh" "$root/home/relief/.ssh"
	cat > "$root/etc/fstab" <<-EOF
	# The test machine's file systems (tests/image/build.sh).
	UUID=$uuid	/	ext4	errors=remount-ro	0	1
	tmpfs	/tmp	tmpfs	nosuid,nodev,size=512M	0	0
	LABEL=relief-data	/srv/data	ext4	nofail,x-systemd.device-timeout=10s	0	2
	EOF
	mkdir -p "$root/srv/data"
	install -m 755 "$here/setup.sh" "$root/usr/local/sbin/relief-image-setup"
}

# Step 3: the disk: partition 1 from 1 MiB to the end, ext4 made from the
# root file system, then GRUB from a first boot.
make_disk() {
	local part=$out/part.img start=2048
	rm -f "$out/disk.img.tmp" "$part"
	truncate -s "$disk_size" "$out/disk.img.tmp"
	printf 'label: dos\nstart=%s, type=83, bootable\n' "$start" |
		sfdisk -q "$out/disk.img.tmp" || die "sfdisk failed"
	local sectors
	sectors=$(sfdisk -l -o Sectors "$out/disk.img.tmp" | awk 'END { print $1 }')
	truncate -s $((sectors * 512)) "$part"
	mkfs.ext4 -q -F -U "$uuid" -L relief-root -d "$root" "$part" ||
		die "mkfs.ext4 -d failed"
	dd if="$part" of="$out/disk.img.tmp" bs=1M seek=1 conv=notrunc,sparse status=none
	rm -f "$part"
}

first_boot() {
	local log=$out/setup.log t0
	t0=$(now)
	echo "  SETUP   first boot of $release_a: grub-install, update-grub"
	timeout 600 qemu-system-x86_64 -accel tcg -M q35 -smp 2 -m 2G -no-reboot \
		-display none -monitor none -nodefaults -serial "file:$log" \
		-kernel "$root/boot/vmlinuz-$release_a" \
		-append "root=/dev/nvme0n1p1 rw console=ttyS0,115200 init=/usr/local/sbin/relief-image-setup" \
		-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x4,chassis=1 \
		-drive "file=$out/disk.img.tmp,if=none,id=root,format=raw" \
		-device nvme,drive=root,serial=relief-root,bus=rp1 ||
		die "the first boot did not power off within 600 s: $log"
	grep -q '^IMAGE-SETUP: ok' "$log" ||
		die "the first boot failed: $(grep 'IMAGE-SETUP: failed' "$log" || tail -5 "$log")"
	echo "  SETUP   done in $(( $(now) - t0 )) s"
}

t_all=$(now)
mkdir -p "$out"
rm -f "$out/disk.key"
uuid=$(cat /proc/sys/kernel/random/uuid)
install_parts
make_disk
first_boot
mv "$out/disk.img.tmp" "$out/disk.img"
rm -rf "$root"
echo "$disk_key" > "$out/disk.key"
echo "IMAGE   $out/disk.img ($disk_key) in $(( $(now) - t_all )) s"
