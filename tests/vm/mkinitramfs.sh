#!/usr/bin/env bash
# mkinitramfs.sh OUTPUT.cpio.gz [--boot FILE]... - pack the guest userspace:
# busybox-static, reliefctl, criu and kexec with the shared libraries they
# need (found with ldd), the test workloads, the relief init, and the
# halves of the scenarios that kernel B runs (/etc/relief/scenarios/). Every
# kernel image gets its own copy; all copies hold the same userspace. --boot
# adds FILE under /boot (the kernel and initramfs a guest swaps to).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1; shift
boot=()
while [ $# -gt 0 ]; do
	case $1 in
	--boot) boot+=("$2"); shift 2 ;;
	*) echo "mkinitramfs: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
die() { echo "mkinitramfs: $*" >&2; exit 1; }

busybox=/bin/busybox
[ -x "$busybox" ] || die "busybox missing: apt-get install busybox-static"
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamic: apt-get install busybox-static"
criu=$(command -v criu || true)
[ -x "$criu" ] || die "criu missing: apt-get install criu"
kexec=$(command -v kexec || echo /sbin/kexec)
[ -x "$kexec" ] || die "kexec missing: apt-get install kexec-tools"
reliefctl=$top/out/reliefctl/reliefctl
[ -x "$reliefctl" ] || die "$reliefctl missing: run 'make reliefctl' first"

root=$(mktemp -d)
chmod 755 "$root"	# the guest's /: mktemp made it 0700
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,run,tmp,mnt/data,var/lib,root}
cp "$busybox" "$root/bin/busybox"
for app in $("$busybox" --list-full); do
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done

# copy_with_libs BINARY DEST: the binary plus every library ldd names.
copy_with_libs() {
	install -D -m 755 "$1" "$root/$2"
	ldd "$1" | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		[ -n "$lib" ] && [ -e "$lib" ] || continue
		install -D -m 755 "$(readlink -f "$lib")" "$root$lib"
	done
}
copy_with_libs "$reliefctl" usr/sbin/reliefctl
copy_with_libs "$criu" usr/sbin/criu
copy_with_libs "$kexec" sbin/kexec	# tests/bench/relief-boot's cold boot
for w in "$top"/out/workloads/*; do
	[ -x "$w" ] && copy_with_libs "$w" "usr/bin/$(basename "$w")"
done
install -m 755 "$top/tests/vm/guest/init" "$root/init"
# The second halves of full-swap scenarios, which kernel B's init runs
# after it relieved A (relief.after=NAME), with the helpers they share.
mkdir -p "$root/etc/relief/scenarios"
install -m 644 "$top/tests/vm/guest/lib.sh" "$root/etc/relief/scenarios/lib.sh"
for f in "$top"/tests/vm/scenarios/*.after.sh; do
	[ -e "$f" ] && install -m 644 "$f" "$root/etc/relief/scenarios/"
done
for f in "${boot[@]}"; do
	[ -r "$f" ] || die "$f missing"
	install -D -m 644 "$f" "$root/boot/$(basename "$f")"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "  INITRD  $out ($(du -h "$out" | cut -f1))"
