# downtime-guest.sh - the guest side of tests/bench/downtime, run by the
# guest init in kernel A with tests/vm/guest/lib.sh before it. The host
# holds a TCP connection to echo-server (port 7, QEMU's hostfwd) and times
# the gaps in its echoes; this script says, on the console, which phase
# the workload is in ("BENCH-PHASE NAME") and marks the steps of each
# ("BENCH-MARK WHAT at UPTIME"), so the host can attribute every gap.
#
# It runs twice in one VM run, in the same kernel image A:
#  1. as booted: echo-server holding BENCH_MB MiB starts; then, with
#     BENCH_LOCAL=1, CRIU alone: dump and restore in place with the images
#     on tmpfs (phase criu-tmpfs), then on the data disk with the page
#     cache dropped (criu-disk); kernel A is loaded with `kexec -l`
#     (kexec-load); then the KUP-style baseline (phase baseline): the tree
#     is dumped to the data disk, the disk synced and unmounted, and
#     `kexec -e`.
#  2. in the kexec'd kernel (relief.bench=after-kexec on its command line,
#     the rest of it A's): the tree is restored from the disk and the
#     baseline is over; then the relief swap (phase relief): `reliefctl
#     swap` to kernel B moving the tree. B's init runs
#     tests/vm/scenarios/bench-downtime.after.sh, which ends the run.
# The host's environment: BENCH_MB, BENCH_TRANSFER (reliefctl --transfer),
# BENCH_TIMEOUT (reliefctl --timeout), BENCH_SETTLE (seconds of steady
# heartbeat around each phase), BENCH_LOCAL, BENCH_B_ARGS (more of kernel
# B's command line). The kexec'd kernel gets A's command line. Every wait is bounded; a
# "BENCH-FAIL: WHY" line ends the run.
: "${BENCH_MB:=64}" "${BENCH_TRANSFER:=}" "${BENCH_TIMEOUT:=120}"
: "${BENCH_SETTLE:=2}" "${BENCH_LOCAL:=1}" "${BENCH_B_ARGS:=}"
port=7 ip=10.0.2.15/24 data=/mnt/data
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
criu_opts="--tcp-established -v4"

fail() { echo "BENCH-FAIL: $*"; exit 1; }
up() { cut -d' ' -f1 /proc/uptime; }
mark() { echo "BENCH-MARK $* at $(up)"; }
avail() { awk '/^MemAvailable/ { print $2 " kB available" }' /proc/meminfo; }
phase() { echo "BENCH-PHASE $1"; }
settle() { sleep "$BENCH_SETTLE"; }
net_up() {
	ip link set eth0 up && ip addr add "$ip" dev eth0 &&
		ip route add default via 10.0.2.2
}
# criu_log DIR WHAT: criu's error lines after a failure.
criu_log() {
	grep -a "Error" "$1/$2.log" 2>/dev/null | tail -n 5 | sed "s/^/  $2: /"
}
# cycle DIR: dump the tree to DIR and restore it in place (one pause).
cycle() {
	local dir=$1
	rm -rf "$dir" && mkdir -p "$dir"
	mark freeze
	# shellcheck disable=SC2086
	criu dump -t "$epid" -D "$dir" $criu_opts --network-lock nftables -o dump.log ||
		{ criu_log "$dir" dump; fail "criu dump to $dir"; }
	case $dir in
	$data/*) sync; echo 3 > /proc/sys/vm/drop_caches ;;
	esac
	mark dumped "$(du -sk "$dir" | cut -f1) KiB, $(avail)"
	# shellcheck disable=SC2086
	criu restore -d -D "$dir" $criu_opts -o restore.log ||
		{ criu_log "$dir" restore; fail "criu restore from $dir"; }
	mark restored
	flowing 60 || fail "the host's heartbeat did not resume within 60 s of the restore"
	mark flowing
	rm -rf "$dir"
}

grep -q /dev/vda /proc/mounts || {
	mkdir -p "$data" && mount -t ext4 /dev/vda "$data"
} || fail "cannot mount the data disk /dev/vda"

case " $(cat /proc/cmdline) " in
*" relief.bench=after-kexec "*) ;;
*)
	# --- 1. kernel A as booted -------------------------------------
	net_up || fail "eth0 does not come up as $ip"
	# B's own processes stay below 1000; the moved pid must be free there.
	echo 1000 > /proc/sys/kernel/ns_last_pid
	epid=$(echo-server "$port" "$BENCH_MB") || fail "echo-server $port $BENCH_MB did not start"
	echo "$epid" > "$data/epid"
	echo "BENCH-INFO echo-server $epid holds $(awk '/^VmRSS/ { print $2 }' "/proc/$epid/status") kB, $(grep MemTotal /proc/meminfo | tr -s ' '), tcp_window_scaling $(cat /proc/sys/net/ipv4/tcp_window_scaling)"
	echo "ECHO-READY"
	wait_until 60 tcp_established "$port" || fail "the host did not connect within 60 s"
	flowing 30 || fail "no heartbeat from the host within 30 s"
	settle
	if [ "$BENCH_LOCAL" = 1 ]; then
		phase criu-tmpfs
		settle
		cycle /run/bench-img
		settle
		phase criu-disk
		settle
		cycle "$data/img-local"
		settle
	fi
	# The baseline: the next kernel is loaded before the pause begins,
	# in a phase of its own.
	phase kexec-load
	settle
	cmdline="$(cat /proc/cmdline) relief.bench=after-kexec"
	mark load
	kexec -s -l "$data/boot/vmlinuz-relief-a" --initrd="$data/boot/initrd-relief-a.cpio.gz" \
		--command-line="$cmdline" || fail "kexec -l of $data/boot/vmlinuz-relief-a"
	mark loaded
	flowing 60 || fail "the host's heartbeat did not flow within 60 s of kexec -l"
	settle
	phase baseline
	settle
	rm -rf "$data/img" && mkdir -p "$data/img"
	mark freeze
	# shellcheck disable=SC2086
	criu dump -t "$epid" -D "$data/img" $criu_opts --network-lock nftables -o dump.log ||
		{ criu_log "$data/img" dump; fail "criu dump to the data disk"; }
	mark dumped "$(du -sk "$data/img" | cut -f1) KiB, $(avail)"
	sync
	umount "$data" || fail "cannot unmount the data disk"
	mark kexec-e
	kexec -e
	fail "kexec -e returned ($?)" ;;
esac

# --- 2. the same kernel A, kexec'd: restore, then the relief swap -------
mark booted
epid=$(cat "$data/epid")
[ -n "$epid" ] || fail "no pid on the data disk"
# From the moment eth0 has its address until the socket is back, this
# kernel would answer the host's retransmissions with a reset: a drop rule
# holds the connection meanwhile, as criu's lock did in the old kernel.
nft-run "add table inet bench-hold
add chain inet bench-hold input { type filter hook input priority 0; policy accept; }
add rule inet bench-hold input tcp dport $port drop" ||
	fail "cannot hold port $port with nftables (nft-run)"
net_up || fail "eth0 does not come up as $ip after the kexec"
mark restore
# shellcheck disable=SC2086
criu restore -d -D "$data/img" $criu_opts -o restore.log ||
	{ criu_log "$data/img" restore; fail "criu restore from the data disk after the kexec"; }
nft-run "delete table inet bench-hold" || fail "cannot let go of port $port (nft-run)"
mark restored "$(avail)"
flowing 60 || fail "the host's heartbeat did not resume within 60 s of the restore"
mark flowing
[ "$(cat "/proc/$epid/comm" 2>/dev/null)" = echo-server ] ||
	fail "pid $epid is not echo-server after the restore"
settle
# The disk is not part of the relief swap: echo-server holds nothing on it.
umount "$data" || fail "cannot unmount the data disk"

phase relief
settle
transfer=
[ -z "$BENCH_TRANSFER" ] || transfer="--transfer $BENCH_TRANSFER"
after="relief.after=bench-downtime relief.port=$port relief.ip=$ip relief.pid=$epid"
after="$after relief.settle=$BENCH_SETTLE $BENCH_B_ARGS"
mark swap "$(avail)"
# shellcheck disable=SC2086
reliefctl swap $b --move "$epid" $transfer --timeout "$BENCH_TIMEOUT" --quiet --append "$after"
rc=$?
# Still here: B did not take over.
echo "reliefctl swap exit $rc; state: $(cat /sys/kernel/relief/state)"
grep -a "NEW: " /sys/kernel/relief/console | tail -n 8
fail "the relief swap did not complete (reliefctl swap exit $rc)"
