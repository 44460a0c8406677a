#!/usr/bin/env bash
# foreign-kernels.sh DIR - fetch two real kernels that relief cannot boot, so
# a test can check they are refused: Debian's stock x86_64 kernel (a signed
# bzImage that is not relief's) and Debian's arm64 kernel (the wrong
# architecture altogether). Puts in DIR:
#
#   vmlinuz-debian-amd64   /boot/vmlinuz-* of $pkg_amd64 (bzImage, PE/EFI
#                          stub, Authenticode signature appended)
#   vmlinuz-debian-arm64   /boot/vmlinuz-* of the arm64 twin (arm64 Image,
#                          "ARM\x64" at 0x38, PE/EFI stub, signed)
#   Image-debian-arm64     only if that vmlinuz is gzip'd: the Image inside
#
# and prints one line per file: its path and size.
#
# The packages come from Debian's mirrors through the system's apt sources,
# but with a private apt state (lists, cache, config) in a temporary
# directory: dpkg has no arm64 architecture and none is added; the system's
# apt and dpkg state is neither read nor changed. The .debs and the
# extracted kernels are cached under ${RELIEF_CACHE:-~/.cache/relief}/foreign/,
# so once they are there nothing is downloaded (no network needed).
set -euo pipefail

# The stock kernel to refuse. The arm64 one is its twin of the same flavour
# and ABI. If apt no longer offers it, pick one of those it does offer.
pkg_amd64=linux-image-6.12.117+deb12-cloud-amd64
pkg_arm64=${pkg_amd64%-amd64}-arm64

die() { echo "foreign-kernels.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: foreign-kernels.sh DIR"
dir=$1
for tool in apt-get apt-cache apt-config dpkg-deb tar od flock; do
	command -v "$tool" >/dev/null || die "$tool missing (this needs a Debian host with apt)"
done
cache=${RELIEF_CACHE:-$HOME/.cache/relief}/foreign
mkdir -p "$cache" "$dir" || die "cannot create $cache or $dir"
exec 9>"$cache/.lock"
flock 9 || die "cannot lock $cache/.lock"

tmp=$(mktemp -d "$cache/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# hexat FILE OFFSET COUNT: COUNT bytes of FILE at OFFSET, in hex.
hexat() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }

# Private apt: the system's sources, keyrings and Acquire settings (proxy,
# languages, ...), everything else (apt.conf.d, hooks, preferences, state,
# cache) private, both architectures.
apt_ready=0
private_apt() {
	[ "$apt_ready" = 1 ] && return
	local a=$tmp/apt
	mkdir -p "$a/apt.conf.d" "$a/preferences.d" "$a/state/lists/partial" \
		"$a/cache/archives/partial"
	: >"$a/state/status"
	{
		apt-config dump Acquire
		cat <<-EOF
		Acquire::Languages "none";
		Dir::Etc::Parts "$a/apt.conf.d";
		Dir::Etc::Main "$a/apt.conf";
		Dir::Etc::Preferences "$a/preferences";
		Dir::Etc::PreferencesParts "$a/preferences.d";
		Dir::State "$a/state";
		Dir::State::status "$a/state/status";
		Dir::Cache "$a/cache";
		Dir::Log "$a/log";
		APT::Architectures { "amd64"; "arm64"; };
		APT::Sandbox::User "$(id -un)";
		EOF
	} >"$tmp/apt.conf" || die "cannot write the private apt config"
	export APT_CONFIG=$tmp/apt.conf
	apt-get -q update >"$tmp/update.log" 2>&1 ||
		die "apt-get update (private state) failed: $(grep -m1 '^E:' "$tmp/update.log" || tail -n1 "$tmp/update.log")"
	apt_ready=1
}

# offered ARCH: the linux-image-*-cloud- kernels apt offers for ARCH, sorted,
# without the "-ARCH" suffix.
offered() {
	apt-cache search --names-only "^linux-image-[0-9].*-cloud-$1\$" |
		cut -d' ' -f1 | sed "s/-$1\$//" | sort
}

# fetch PKG ARCH: download PKG:ARCH to $cache/debs/PKG_ARCH.deb, unless
# it is there.
fetch() {
	local pkg=$1 arch=$2 deb=$cache/debs/${1}_$2.deb offer err f
	[ -s "$deb" ] && return
	private_apt
	if ! apt-cache show "$pkg:$arch" >/dev/null 2>&1; then
		err=$(grep -m1 -E '^(W|E): .*(Failed|not)' "$tmp/update.log" || true)
		[ -z "$err" ] || die "apt offers no $pkg:$arch, and its update said: $err"
		# the newest few offered for both architectures
		offer=$(comm -12 <(offered amd64) <(offered arm64) | sort -V |
			tail -n 4 | sed 's/$/-amd64/' | paste -sd' ')
		die "apt offers no $pkg:$arch: set pkg_amd64 at the top of $0 to one it offers, e.g. ${offer:-(none found)}"
	fi
	mkdir -p "$tmp/dl" "$cache/debs"
	(cd "$tmp/dl" && apt-get -q download "$pkg:$arch") >"$tmp/download.log" 2>&1 ||
		die "apt-get download $pkg:$arch failed: $(grep -m1 '^E:' "$tmp/download.log" || tail -n1 "$tmp/download.log")"
	f=$(find "$tmp/dl" -name "${pkg}_*_$arch.deb" | head -n1)
	[ -n "$f" ] || die "apt-get download $pkg:$arch left no .deb"
	mv "$f" "$deb"
}

# kernel PKG ARCH: extract /boot/vmlinuz-* of PKG:ARCH to $cache/PKG/vmlinuz
# (plus $cache/PKG/Image if it is gzip'd), unless it is there; check it is
# the format it should be.
kernel() {
	local pkg=$1 arch=$2 out=$cache/$1 deb=$cache/debs/${1}_$2.deb x v
	[ -s "$out/vmlinuz" ] && return
	fetch "$pkg" "$arch"
	x=$tmp/x-$arch
	mkdir -p "$x"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards './boot/vmlinuz-*' ||
		die "no /boot/vmlinuz-* in $deb"
	v=$(find "$x/boot" -name 'vmlinuz-*')
	[ "$(printf '%s\n' "$v" | wc -l)" = 1 ] || die "not one /boot/vmlinuz-* in $deb"
	mkdir -p "$x/out"
	mv "$v" "$x/out/vmlinuz"
	case $arch in
	amd64)
		# "HdrS" at 0x202: the x86 boot protocol's setup header.
		[ "$(hexat "$x/out/vmlinuz" 0x202 4)" = 48647253 ] ||
			die "vmlinuz of $pkg is no bzImage (no HdrS at 0x202)" ;;
	arm64)
		if [ "$(hexat "$x/out/vmlinuz" 0 2)" = 1f8b ]; then
			gzip -dc "$x/out/vmlinuz" >"$x/out/Image" ||
				die "vmlinuz of $pkg: gunzip failed"
			v=$x/out/Image
		else
			v=$x/out/vmlinuz
		fi
		# "ARM\x64" at 0x38: the arm64 Image header's magic.
		[ "$(hexat "$v" 0x38 4)" = 41524d64 ] ||
			die "vmlinuz of $pkg is no arm64 Image (no ARM\\x64 at 0x38; EFI zboot?)" ;;
	esac
	rm -rf "$out"
	mv "$x/out" "$out"
}

kernel "$pkg_amd64" amd64
kernel "$pkg_arm64" arm64
k64=$cache/$pkg_amd64 ka=$cache/$pkg_arm64
rm -f "$dir/Image-debian-arm64"
cp "$k64/vmlinuz" "$dir/vmlinuz-debian-amd64"
cp "$ka/vmlinuz" "$dir/vmlinuz-debian-arm64"
[ ! -e "$ka/Image" ] || cp "$ka/Image" "$dir/Image-debian-arm64"
for f in vmlinuz-debian-amd64 vmlinuz-debian-arm64 Image-debian-arm64; do
	[ ! -e "$dir/$f" ] || echo "$dir/$f $(stat -c %s "$dir/$f")"
done
