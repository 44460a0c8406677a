#!/usr/bin/env bash
# scenario.sh NAME [run-vm.sh options]: run tests/vm/scenarios/NAME.sh in a
# guest booted from kernel image A (or --image b; the run is then NAME-b), with the guest helper
# library prepended and the expected release passed in.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1; shift
image=a
if [ "${1:-}" = --image ]; then image=$2; shift 2; fi
images=$top/build/images
rel=$(awk -v v="$image" '$1 == v { print $2 }' "$images/times" 2>/dev/null || true)
[ -n "$rel" ] || rel=$(cat "$top/build/obj-$image/include/config/kernel.release")
run=$name; [ "$image" = a ] || run=$name-$image
src=$top/out/vm/$run.scenario
mkdir -p "$top/out/vm"
cat "$top/tests/vm/guest/lib.sh" "$top/tests/vm/scenarios/$name.sh" > "$src"
exec "$top/tests/vm/run-vm.sh" --name "$run" \
	--kernel "$images/vmlinuz-relief-$image" \
	--initrd "$images/initrd-relief-$image.cpio.gz" \
	--script "$src" --env "EXPECT_RELEASE=$rel" --env "EXPECT_CPUS=4" "$@"
