#!/usr/bin/env bash
# scenario.sh NAME [run-vm.sh options]: run tests/vm/scenarios/NAME.sh in a
# guest booted from kernel image A (or --image b; the run is then NAME-b),
# with the guest helper library prepended and the expected releases passed
# in (EXPECT_RELEASE: the booted image's, EXPECT_RELEASE_B: image B's, the
# kernel a full swap ends in). A full swap's second half,
# tests/vm/scenarios/NAME.after.sh, is in the initramfs already.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1; shift
image=a
if [ "${1:-}" = --image ]; then image=$2; shift 2; fi
images=$top/build/images
# release IMAGE: the kernel release string of an image.
release() {
	local r
	r=$(awk -v v="$1" '$1 == v { print $2 }' "$images/times" 2>/dev/null || true)
	[ -n "$r" ] || r=$(cat "$top/build/obj-$1/include/config/kernel.release" 2>/dev/null || true)
	echo "$r"
}
rel=$(release "$image")
[ -n "$rel" ] || { echo "scenario.sh: no release for image $image: run 'make kernel'" >&2; exit 2; }
run=$name; [ "$image" = a ] || run=$name-$image
src=$top/out/vm/$run.scenario
mkdir -p "$top/out/vm"
cat "$top/tests/vm/guest/lib.sh" "$top/tests/vm/scenarios/$name.sh" > "$src"
exec "$top/tests/vm/run-vm.sh" --name "$run" \
	--kernel "$images/vmlinuz-relief-$image" \
	--initrd "$images/initrd-relief-$image.cpio.gz" \
	--script "$src" --env "EXPECT_RELEASE=$rel" \
	--env "EXPECT_RELEASE_B=$(release b)" --env "EXPECT_CPUS=4" "$@"
