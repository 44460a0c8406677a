# parity (A's part): a whole swap to B on a two-node guest; B
# (parity.after.sh) prints the facts tests/vm/parity.sh compares with a
# cold boot of B (parity-cold). Nothing moves but the machine.
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
# shellcheck disable=SC2086
reliefctl swap $b --timeout 60 --quiet \
	--append "relief.after=parity panic=1 relief.panic_after relief.host_monitor=${HOST_MONITOR:-0}"
rc=$?
check "the swap completed (reliefctl swap exit $rc, state $(cat /sys/kernel/relief/state))" false
finish
