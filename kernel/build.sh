#!/usr/bin/env bash
# kernel/build.sh - build relief kernel images from Debian's linux-source-6.12.
#
#   kernel/build.sh [a] [b] [n] [d] [deb-a] [deb-b]     (default: a and b)
#
# The lab images: a and b are the same relief kernel with different
# versions, so a swap shows in uname -r; n is the same kernel built without
# relief, the image that must be refused (it never answers) without harm
# to the running one; d is b without a driver the lab machine's devices
# need, which must abort at qualification. The Debian server's kernel packages: deb-a and deb-b
# are relief kernels from two Debian source versions, configured to boot a
# Debian system (kernel/configs/debian-server.config), packaged as
# linux-image-<version>-relief in build/debs/ (the kernel's bindeb-pkg).
#
# 1. unpack linux-source-6.12 of the version kernel/source-version pins for
#    the image (kernel/source.sh fetches it if need be) into build/ (the
#    lab's, git-ignored) or build/src-<version>/ (a package's of another
#    version), again whenever the pin changes: the tree says its version
#    in .relief-source, and a tree of another version is never built.
#    Each tree's object dirs sit beside it, so that the paths ccache sees
#    (relative to build/) are the same in every tree and a second version
#    hits the first's cache for every file the two have alike.
# 2. apply kernel/patches/series in order; a patch that does not apply stops
#    the build (a changed series is reverted and re-applied, never stacked)
# 3. lay the project's kernel files into the tree as symlinks:
#      kernel/relief/*  -> kernel/relief/,  proto/ -> kernel/relief/proto,
#      Kconfig -> kernel/relief/Kconfig,  arch/x86_64 -> arch/x86/relief,
#      arch/x86_64/include/asm/relief.h -> arch/x86/include/asm/relief.h,
#      arch/arm64 -> arch/arm64/relief
# 4. make the test signing key in build/keys/ once (never committed)
# 5. configure each image in its own object dir (obj-<v> beside its tree):
#    tinyconfig + kernel/configs/qemu-guest.config (+ signing.config for
#    the relief images, which trust the key, + debian-server.config for the
#    packages), checking every fragment line survived
# 6. build with ccache (cache in $RELIEF_CCACHE_DIR, kept between runs):
#    bzImage with LOCALVERSION=-relief-<v> for the lab (image b is also
#    signed with the key: vmlinuz-relief-b.signed); the Debian package
#    with LOCALVERSION=-relief for deb-a and deb-b
# Build times are printed against the limits the project holds itself to.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
src='' root='' pin='' what=''
fragment=$top/kernel/configs/qemu-guest.config
jobs=${RELIEF_JOBS:-$(($(nproc) + 1))}
export CCACHE_DIR=${RELIEF_CCACHE_DIR:-$HOME/.cache/relief/ccache}
export CCACHE_BASEDIR=$build CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
# A reproducible build identity, so images differ only in what we change.
# The time stamp is that of the last commit to what the kernels are built
# from: a build of the same kernel links nothing again (the kernel would
# stamp every build with the time of day, relink it, and a package of it
# would be a new one), and a commit to the tests or to reliefctl does not
# make new kernel packages, nor a new image of them.
export KBUILD_BUILD_USER=relief KBUILD_BUILD_HOST=relief-build
KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-$(git -C "$top" log -1 --format=%cd \
	--date=rfc -- kernel arch proto Kconfig 2>/dev/null)}
KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-Thu, 01 Jan 1970 00:00:00 +0000}
export KBUILD_BUILD_TIMESTAMP

die() { echo "kernel/build.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "'$1' not found: apt-get install $2"; }

need gcc gcc; need make make; need flex flex; need bison bison; need bc bc
need ccache ccache; need xz xz-utils; need patch patch; need perl perl; need flock util-linux
need openssl openssl; need sbsign sbsigntool
[ -e /usr/include/libelf.h ] || die "libelf headers missing: apt-get install libelf-dev"
[ -e /usr/include/openssl/ssl.h ] || die "OpenSSL headers missing: apt-get install libssl-dev"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

# The pinned source, unpacked afresh: no patch applied, no object kept.
unpack() {
	local tarball
	tarball=$("$top/kernel/source.sh" "$what") || die "no kernel source"
	echo "  UNPACK  $tarball ($pin)"
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	rm -rf "$src" "$root"/obj-* && mv "$src.tmp" "$src"
	mkdir -p "$src/.relief-applied"
	echo "$pin" > "$src/.relief-source"
}

# The files PATCH... change, a line each.
patched_files() {
	sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$@" | sort -u
}

# keep_times save|restore DIR: a file the series touches keeps its time
# stamp across a revert and re-apply if it ends as it was, so a changed
# series rebuilds only what it changed (include/linux/acpi.h alone is in
# most of the tree).
keep_times() {
	local dir=$2 f i=0
	if [ "$1" = save ]; then
		rm -rf "$dir" && mkdir -p "$dir" && : > "$dir/list"
		[ -s "$src/.relief-applied/series" ] || return 0
		(cd "$src/.relief-applied" && mapfile -t ps < series &&
			patched_files "${ps[@]}") |
		while read -r f; do
			[ -f "$src/$f" ] || continue
			i=$((i + 1))
			touch -r "$src/$f" "$dir/$i"
			printf '%s %s %s\n' "$i" "$(sha256sum < "$src/$f" | cut -c1-64)" "$f"
		done > "$dir/list"
		return 0
	fi
	while read -r i sum f; do
		[ -f "$src/$f" ] || continue
		if [ "$(sha256sum < "$src/$f" | cut -c1-64)" = "$sum" ]; then
			touch -r "$dir/$i" "$src/$f"
		fi
	done < "$dir/list"
	rm -rf "$dir"
}

# Patches already applied are kept in .relief-applied/ (with the series
# order in .relief-applied/series), so a changed series can be reverted.
apply_series() {
	local applied=$src/.relief-applied times=$root/.relief-times want have p
	want=$(cd "$top/kernel/patches" && cat series | while read -r p; do
		[ -z "$p" ] || [ "${p#\#}" != "$p" ] || sha256sum "$p"; done)
	have=$(cat "$applied/sums" 2>/dev/null || true)
	[ "$want" = "$have" ] && return 0
	keep_times save "$times"
	if [ -s "$applied/series" ]; then
		tac "$applied/series" | while read -r p; do
			echo "  REVERT  $p"
			patch -d "$src" -p1 -R -s --no-backup-if-mismatch < "$applied/$p" ||
				die "cannot revert $p; run 'make distclean'"
		done
	fi
	rm -rf "$applied" && mkdir -p "$applied"
	while read -r p; do
		[ -z "$p" ] || [ "${p#\#}" != "$p" ] && continue
		echo "  PATCH   $p"
		patch -d "$src" -p1 -s -N --no-backup-if-mismatch --dry-run \
			< "$top/kernel/patches/$p" >/dev/null ||
			die "patch $p does not apply to $(basename "$src")"
		patch -d "$src" -p1 -s -N --no-backup-if-mismatch < "$top/kernel/patches/$p"
		cp "$top/kernel/patches/$p" "$applied/$p"
		echo "$p" >> "$applied/series"
	done < "$top/kernel/patches/series"
	keep_times restore "$times"
	echo "$want" > "$applied/sums"
}

# link DIR-IN-TREE REPO-DIR: a real directory in the tree holding a symlink
# per repo file, so kbuild's generated files never land in the repo.
link_dir() {
	local dst=$src/$1 from=$2 f
	mkdir -p "$dst"
	find "$dst" -maxdepth 1 -type l -delete
	for f in "$from"/*; do
		case $(basename "$f") in README*|*.md|*.rst|*.mk) continue ;; esac
		ln -s "$f" "$dst/"
	done
}

overlay() {
	link_dir kernel/relief "$top/kernel/relief"
	ln -sfn "$top/proto" "$src/kernel/relief/proto"
	ln -sfn "$top/Kconfig" "$src/kernel/relief/Kconfig"
	link_dir arch/x86/relief "$top/arch/x86_64"
	link_dir arch/arm64/relief "$top/arch/arm64"
	# Headers that hook patches include from existing x86 files.
	ln -sfn "$top/arch/x86_64/include/asm/relief.h" \
		"$src/arch/x86/include/asm/relief.h"
}

# The test key kernel B is signed with, and which the relief images trust
# (signing.config): made once per build directory, never committed. A new
# key reconfigures the images (configure()'s checksum covers it).
keys=$build/keys
make_key() {
	[ -s "$keys/relief-test.pem" ] && [ -s "$keys/relief-test.key" ] && return 0
	echo "  KEY     $keys/relief-test.pem (relief's test signing key)"
	mkdir -p "$keys"
	openssl req -new -x509 -newkey rsa:2048 -sha256 -nodes -days 36500 \
		-subj "/CN=relief test signing key/" -keyout "$keys/relief-test.key" \
		-out "$keys/relief-test.pem" 2>/dev/null || die "openssl could not make the test key"
}

# sign_image IMAGE: IMAGE.signed beside it, signed with the test key.
sign_image() {
	local img=$build/images/vmlinuz-relief-$1
	sbsign --key "$keys/relief-test.key" --cert "$keys/relief-test.pem" \
		--output "$img.signed" "$img" 2>/dev/null || die "sbsign could not sign $img"
}

kmake() { make -C "$src" O="$1" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" -j"$jobs" "${@:2}"; }

# configure OBJDIR IMAGE: the fragment, plus kernel/configs/image-IMAGE.config
# when there is one (image n: the same kernel without relief), plus for the
# relief images signing.config (image n cannot have it: nothing selects
# the signature verification there), plus for the Debian packages
# debian-server.config.
configure() {
	local obj=$1 extra=$top/kernel/configs/image-$2.config stamp=$1/.relief-config-sum sum
	local frags=("$fragment")
	[ -f "$extra" ] && frags+=("$extra")
	local key=/dev/null
	[ "$2" = n ] || { frags+=("$top/kernel/configs/signing.config"); key=$keys/relief-test.pem; }
	[ "${2#deb-}" = "$2" ] || frags+=("$top/kernel/configs/debian-server.config")
	sum=$(cat "${frags[@]}" "$top/Kconfig" "$key" | sha256sum)
	[ -f "$obj/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && return 0
	reconfigured=1
	echo "  CONFIG  $(basename "$obj"): tinyconfig + ${frags[*]##*/}"
	mkdir -p "$obj"
	kmake "$obj" -s tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${frags[@]}" >/dev/null
	kmake "$obj" -s olddefconfig
	local missing
	missing=$(cat "${frags[@]}" | awk -F= '/^(# )?CONFIG_/ {
			k = $1; sub(/^# /, "", k); sub(/ is not set$/, "", k); v[k] = $0 }
		END { for (k in v) print v[k] }' | while read -r l; do
		grep -qx -- "$l" "$obj/.config" || echo "$l"; done)
	[ -z "$missing" ] || die "config options dropped by Kconfig (unmet dependencies?):
$missing"
	echo "$sum" > "$stamp"
}

# lab_image IMAGE OBJDIR: bzImage, into build/images/.
lab_image() {
	kmake "$2" LOCALVERSION="-relief-$1" bzImage
	mkdir -p "$build/images"
	cp "$2/arch/x86/boot/bzImage" "$build/images/vmlinuz-relief-$1"
	[ "$1" != b ] || sign_image b
}

# deb_package IMAGE OBJDIR: linux-image-<upstream>-relief, into build/debs/
# (the kernel's bindeb-pkg writes it beside the object dir). Its package
# version is the Debian source's, marked as relief's. A package newer than
# the kernel it holds is kept: bindeb-pkg would make a new one (a new
# changelog date), and the image built from it would be made again.
deb_package() {
	local deb='' have
	# As debian/rules builds it: its build version is the package
	# revision (1~deb12u1+relief), which /proc/version shows.
	kmake "$2" LOCALVERSION=-relief KBUILD_BUILD_VERSION="${pin##*-}+relief" bzImage
	have=$build/debs/linux-image-$(cat "$2/include/config/kernel.release")_$pin+relief_amd64.deb
	if [ -f "$have" ] && [ "$have" -nt "$2/arch/x86/boot/bzImage" ]; then
		echo "  DEB     $(basename "$have") is up to date"
		return 0
	fi
	rm -f "$root"/*.deb "$root"/*.buildinfo "$root"/*.changes
	kmake "$2" LOCALVERSION=-relief KDEB_SOURCENAME=linux-relief \
		KDEB_PKGVERSION="$pin+relief" KDEB_CHANGELOG_DIST=bookworm \
		DEBEMAIL=relief@relief-build DEBFULLNAME=relief bindeb-pkg
	for deb in "$root"/linux-image-*_"$pin+relief"_amd64.deb; do
		case $deb in *-dbg_*) ;; *) [ -f "$deb" ] && break ;; esac
		deb=''
	done
	[ -n "$deb" ] || die "bindeb-pkg made no linux-image package in $root"
	mkdir -p "$build/debs"
	rm -f "$build/debs/linux-image-$(cat "$2/include/config/kernel.release")"_*.deb
	mv "$deb" "$build/debs/"
	rm -f "$root"/*.deb "$root"/*.buildinfo "$root"/*.changes
	cp "$2/arch/x86/boot/bzImage" "$build/images/vmlinuz-relief-$1"
}

build_image() {
	local v=$1 obj=$root/obj-$1 t0 t1 kind limit
	reconfigured=0
	# Image d is image b less one driver: b's objects, configured anew,
	# rebuild only what that driver's option touches. Built on its own it
	# would preprocess every file again (ccache: a new autoconf.h), five
	# minutes on 2 cores.
	if [ "$v" = d ] && [ ! -e "$obj" ] && [ -f "$root/obj-b/vmlinux" ]; then
		echo "  SEED    obj-d from obj-b"
		cp -a "$root/obj-b" "$obj.tmp" && mv "$obj.tmp" "$obj"
	fi
	configure "$obj" "$v"
	# The 120 s bound is for touching relief files; a new configuration
	# rebuilds what it touches, up to everything (a Debian server's
	# configuration is larger than the lab's).
	kind=incremental; limit=120
	[ "$reconfigured" = 0 ] || { kind=reconfigured; limit=600; }
	[ -f "$obj/vmlinux" ] || { kind="from scratch"; limit=600; }
	[ "${v#deb-}" = "$v" ] || [ "$kind" = incremental ] || limit=1500
	ccache -z >/dev/null
	t0=$(now)
	mkdir -p "$build/images"
	if [ "${v#deb-}" = "$v" ]; then lab_image "$v" "$obj"; else deb_package "$v" "$obj"; fi
	t1=$(now)
	local rel hits
	rel=$(cat "$obj/include/config/kernel.release")
	hits=$(ccache --print-stats 2>/dev/null | awk -F'\t' '
		$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 }
		$1 ~ /^cache_miss$/ { m += $2 }
		END { printf "%d hits, %d misses", h, m }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$rel" "$(secs "$t0" "$t1")" \
		"$kind" "$limit" "$hits" >> "$build/images/times"
	printf 'KERNEL  %s: %s built %s in %s s (limit %s s; ccache %s)\n' \
		"$v" "$rel" "$kind" "$(secs "$t0" "$t1")" "$limit" "$hits"
}

# One kernel build at a time: two on 2 cores would only slow both, and
# two in the same object directory would corrupt it.
mkdir -p "$build"
exec 9> "$build/.lock"
flock 9

# use_tree IMAGE: the tree IMAGE is built from (src, root, pin, what),
# unpacked, patched and laid over, once per run. The lab's tree is
# build/linux-source-6.12; a package of another version has its own in
# build/src-<version>/, and one of the lab's version shares the lab's.
prepared=
use_tree() {
	case $1 in
	a|b|n|d) what=lab ;;
	deb-a|deb-b) what=$1 ;;
	*) die "unknown image '$1' (a, b, n, d, deb-a, deb-b)" ;;
	esac
	pin=$("$top/kernel/source.sh" --version "$what")
	root=$build
	[ "$pin" = "$("$top/kernel/source.sh" --version lab)" ] || root=$build/src-$pin
	src=$root/linux-source-6.12
	case " $prepared " in *" $root "*) return 0 ;; esac
	mkdir -p "$root"
	# signing.config names the key relative to the object dir.
	[ "$root" = "$build" ] || ln -sfn ../keys "$root/keys"
	[ -d "$src/.relief-applied" ] &&
		[ "$(cat "$src/.relief-source" 2>/dev/null)" = "$pin" ] || unpack
	apply_series
	overlay
	prepared="$prepared $root"
}

make_key
rm -f "$build/images/times"
for v in "${@:-a b}"; do
	for w in $v; do use_tree "$w" && build_image "$w"; done
done
