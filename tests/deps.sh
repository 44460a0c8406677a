#!/usr/bin/env bash
# deps.sh - make sure every Debian package relief's build and tests use is
# installed; install the missing ones with apt-get (as root), or say exactly
# which to install.
set -euo pipefail
pkgs=(
	# userspace build and unit tests
	gcc make libc6-dev libcmocka-dev libfdt-dev device-tree-compiler
	libnuma-dev libcpupower-dev
	# fuzzing and model checking
	clang libclang-rt-14-dev spin
	# kernel build
	linux-source-6.12 flex bison bc libelf-dev libssl-dev ccache xz-utils
	patch perl openssl
	# the test key kernel B is signed with (kernel/build.sh)
	sbsigntool
	# the Debian server's kernel packages (bindeb-pkg) and image (tests/image/)
	dpkg-dev debhelper kmod rsync mmdebstrap fdisk qemu-utils openssh-client redis-tools curl
	# guest images and QEMU
	busybox-static criu cpio gzip qemu-system-x86 e2fsprogs python3
	kexec-tools
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
	{ echo "deps: apt-get install ${missing[*]} failed" >&2; exit 1; }
echo "deps: installed ${missing[*]}"
