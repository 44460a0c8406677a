#!/usr/bin/env bash
# kernel/source.sh - the tarball of the pinned kernel source.
#
#   kernel/source.sh [WHAT]            print the tarball's path, fetching it
#                                      if need be
#   kernel/source.sh --version [WHAT]  print the pinned version
#
# WHAT is lab (the default: images a, b, n), deb-a or deb-b (the Debian
# server's kernel packages). Each version is Debian's linux-source-6.12
# package version, pinned in one place: kernel/source-version
# (RELIEF_KERNEL_SOURCE in the environment overrides it). The installed package's /usr/src tarball is used if it is
# that version; otherwise the package of that exact version is fetched
# (apt-get download) into ${RELIEF_CACHE:-~/.cache/relief}/linux-source/
# and its tarball taken out, once. A version apt does not offer fails
# before anything is fetched, listing those it does.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
pkg=linux-source-6.12
die() { echo "kernel/source.sh: $*" >&2; exit 1; }

mode=path
[ "${1:-}" != --version ] || { mode=version; shift; }
what=${1:-lab}
pin=${RELIEF_KERNEL_SOURCE:-$(awk -v w="$what" '!/^#/ && $1 == w { print $2; exit }' \
	"$top/kernel/source-version")}
[ -n "$pin" ] || die "no version for '$what' in kernel/source-version"
if [ "$mode" = version ]; then
	echo "$pin"
	exit 0
fi

installed=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
if [ "$installed" = "$pin" ] && [ -r "/usr/src/$pkg.tar.xz" ]; then
	echo "/usr/src/$pkg.tar.xz"
	exit 0
fi
cache=${RELIEF_CACHE:-$HOME/.cache/relief}/linux-source
tarball=$cache/$pin/$pkg.tar.xz
if [ -r "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

for tool in apt-cache apt-get dpkg-deb tar; do
	command -v "$tool" >/dev/null || die "$tool missing (this needs a Debian host with apt)"
done
offered=$(apt-cache madison "$pkg" 2>/dev/null |
	awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -uV | tr '\n' ' ' | sed 's/ $//')
case " $offered " in
*" $pin "*) ;;
*) die "apt offers no $pkg=$pin (it offers: ${offered:-nothing; run apt-get update}): set kernel/source-version to one of those" ;;
esac
mkdir -p "$cache" || die "cannot create $cache"
tmp=$(mktemp -d "$cache/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "  FETCH   $pkg=$pin" >&2
(cd "$tmp" && apt-get download -q "$pkg=$pin" >&2) ||
	die "apt-get download $pkg=$pin failed"
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" "./usr/src/$pkg.tar.xz" ||
	die "no /usr/src/$pkg.tar.xz in the $pkg=$pin package"
mkdir -p "$cache/$pin" && mv "$tmp/usr/src/$pkg.tar.xz" "$tarball"
echo "$tarball"
