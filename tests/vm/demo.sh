#!/usr/bin/env bash
# demo.sh - what `make demo` shows: build everything, boot kernel A under
# QEMU and run the main job, its console shown as it happens. Until stage 2
# exists the main job is a rehearsal swap to kernel B, then an abort
# (tests/vm/scenarios/demo.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s userspace
make -s kernel
echo "=== booting kernel A under QEMU (TCG, 4 CPUs), swapping to B (rehearsal)"
tests/vm/scenario.sh demo --append "relief_region=256M no_ipi_broadcast=1" &
pid=$!
# Show the guest console live while the scenario runs.
log=out/vm/demo/ttyS0.log
for _ in $(seq 100); do [ -e "$log" ] && break; sleep 0.1; done
tail -n +1 -f "$log" --pid=$pid 2>/dev/null | sed 's/^/  guest| /' &
tailpid=$!
rc=0
wait $pid || rc=$?
wait $tailpid || true
exit $rc
