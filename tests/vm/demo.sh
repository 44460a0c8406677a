#!/usr/bin/env bash
# demo.sh - what `make demo` shows: build everything, boot kernel A under
# QEMU and run the main job. Until the swap exists the main job is the
# smoke scenario; its console is shown as it happens.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s userspace
make -s kernel
echo "=== booting kernel A under QEMU (TCG, 4 CPUs) and running the smoke scenario"
tests/vm/scenario.sh smoke &
pid=$!
# Show the guest console live while the scenario runs.
log=out/vm/smoke/ttyS0.log
for _ in $(seq 100); do [ -e "$log" ] && break; sleep 0.1; done
tail -n +1 -f "$log" --pid=$pid 2>/dev/null | sed 's/^/  guest| /' &
tailpid=$!
rc=0
wait $pid || rc=$?
wait $tailpid || true
exit $rc
