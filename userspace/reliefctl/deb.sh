#!/usr/bin/env bash
# userspace/reliefctl/deb.sh OUTDIR - the reliefctl Debian package.
#
# Holds what an operator installs on a server to swap its kernel: the
# binary, its man page reliefctl(8), bash completion,
# /etc/default/grub.d/relief.cfg with the running kernel's command-line
# parameters (update-grub runs from the package's scripts, so the next
# boot has them), and relief-mkbootstrap, which makes kernel B's
# initramfs (/boot/relief-bootstrap.img) when the package is installed. Built with dpkg-deb from out/reliefctl/reliefctl; its
# version is the tool's, its dependencies the libraries it links and criu.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/userspace/reliefctl
bin=$top/out/reliefctl/reliefctl
outdir=${1:?usage: deb.sh OUTDIR}
die() { echo "userspace/reliefctl/deb.sh: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin missing: make reliefctl"

version=$("$bin" --version | awk '{ print $2 }')
[ -n "$version" ] || die "reliefctl --version printed no version"
arch=$(dpkg --print-architecture)
deb=$outdir/reliefctl_${version}_$arch.deb
# A package newer than everything in it is kept (a new one would differ
# in its time stamps only, and the image built from it would be made
# again).
inputs=("$bin" "$here/reliefctl.8" "$here/reliefctl.bash-completion"
	"$here/relief.grub.cfg" "$here"/bootstrap/* "$0")
if [ -f "$deb" ] && [ -z "$(find "${inputs[@]}" -newer "$deb" 2>/dev/null)" ]; then
	echo "$deb"
	exit 0
fi
pkg=$(mktemp -d) && chmod 755 "$pkg"
trap 'rm -rf "$pkg"' EXIT

install -D -m 755 "$bin" "$pkg/usr/sbin/reliefctl"
strip --strip-unneeded "$pkg/usr/sbin/reliefctl"
install -d "$pkg/usr/share/man/man8"
gzip -9n < "$here/reliefctl.8" > "$pkg/usr/share/man/man8/reliefctl.8.gz"
install -D -m 644 "$here/reliefctl.bash-completion" \
	"$pkg/usr/share/bash-completion/completions/reliefctl"
install -D -m 644 "$here/relief.grub.cfg" "$pkg/etc/default/grub.d/relief.cfg"
install -D -m 755 "$here/bootstrap/mkbootstrap" "$pkg/usr/sbin/relief-mkbootstrap"
install -D -m 644 "$here/bootstrap/bootstrap-init" "$pkg/usr/lib/relief/bootstrap-init"

install -d "$pkg/DEBIAN"
echo /etc/default/grub.d/relief.cfg > "$pkg/DEBIAN/conffiles"
# Kernel B's bootstrap is made from the binaries installed now. update-grub
# only where GRUB manages the boot (a grub.cfg exists): in a chroot being
# built it runs at the first boot instead.
cat > "$pkg/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
	relief-mkbootstrap
fi
if [ -e /boot/grub/grub.cfg ] && command -v update-grub > /dev/null; then
	update-grub
fi
SH
cat > "$pkg/DEBIAN/postrm" <<'SH'
#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
	rm -f /boot/relief-bootstrap.img
fi
if [ -e /boot/grub/grub.cfg ] && command -v update-grub > /dev/null; then
	update-grub
fi
SH
chmod 755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/postrm"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF2
Package: reliefctl
Version: $version
Architecture: $arch
Maintainer: relief <relief@relief-build>
Installed-Size: $size
Depends: libc6 (>= 2.34), libnuma1, libcpupower1, libfdt1, criu,
 busybox-static | busybox, cpio
Section: admin
Priority: optional
Description: replace the running Linux kernel without a reboot
 reliefctl swaps a relief kernel for a new one: the running kernel lends
 CPUs and memory to the new kernel, which boots beside it, qualifies, and
 takes the processes, the devices and then the rest of the machine over.
 Either side can abort before the commit; a failed transfer rolls back.
EOF2
mkdir -p "$outdir"
rm -f "$outdir"/reliefctl_*_"$arch".deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" > /dev/null
echo "$deb"
