# full-swap (A's part): kernel A hands the whole machine to kernel B, and
# its workloads go along. A starts a ticker (two processes joined by a
# pipe, a timer, a SIGUSR1 handler, an abstract socket, each number also
# appended to a file on the data disk) and an echo-server (TCP; the host
# holds a connection to it through QEMU's port forward, run-vm.sh
# --host-echo), records what B must find, and swaps with --move. The
# network setup and the data disk's mount go along too: A's agent records
# them and freezes the file system after the dump, B's agent sets them up
# again before the restore.
# If the swap completes A never returns here: B's init runs
# full-swap.after.sh, which checks that record, and gives the verdict.
# Reaching the end of this script means A was not relieved: a failure.
# Needs A booted with relief_region=512M no_ipi_broadcast=1, a data disk
# (vm.mk) and run-vm.sh --hostfwd 7 --host-echo.
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
port=7 ip=10.0.2.15/24 ticks=/mnt/data/ticks

# QEMU's user network: the guest is 10.0.2.15, the host 10.0.2.2.
ip addr add "$ip" dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2
check "eth0 is up as $ip" [ $? -eq 0 ]
mkdir -p /mnt/data
check "the data disk mounts on /mnt/data" mount -t ext4 /dev/vda /mnt/data

# B's own processes stay well below 1000 until the moved ones arrive with
# their pids: start ours above it.
echo 1000 > /proc/sys/kernel/ns_last_pid
check "pids start above 1000" [ "$(cat /proc/sys/kernel/ns_last_pid)" -ge 1000 ]
tpid=$(ticker @relief-ticker 50 "$ticks")
check "ticker started (pid $tpid)" [ -n "$tpid" ]
epid=$(echo-server "$port" 256)
check "echo-server listens on $port (pid $epid)" [ -n "$epid" ]
# The clock witness watches its clocks across the swap; its report goes
# to the data disk, which B reads.
wpid=$(clock-witness /mnt/data/witness 20000)
check "clock-witness started (pid $wpid)" [ -n "$wpid" ]
echo "ECHO-READY"
if [ "${HOST_ECHO:-0}" = 1 ]; then
	check "the host's connection to echo-server is up" \
		wait_until 60 tcp_established "$port"
fi
check "echo-server answers here" sh -c "tickq 127.0.0.1:$port ping | grep -qx ping"
check "... and holds 256 MiB, intact" \
	sh -c "tickq 127.0.0.1:$port '?mem' | grep -qx 'intact 256 MiB'"

t1=$(tickq @relief-ticker)
echo "ticker: $t1"
cpid=$(field child "$t1")
check "ticker has its child (pid $cpid)" [ "${cpid:-0}" -gt 0 ]
check "... whose parent it is" grep -q "^PPid:[[:space:]]*$tpid\$" "/proc/$cpid/status"
g=$(field gaps "$t1") h=$(field handler "$t1")
check "ticker ticks without a gap (gaps $g), handlers in place ($h)" [ "$g/$h" = 0/1 ]
advanced() { [ "$(field read "$(tickq @relief-ticker)")" -gt "$(field seq "$t1")" ]; }
check "and its child reads on" wait_until 10 advanced
# ticks_past N: the ticker's file holds more than N numbers.
ticks_past() { [ "$(wc -l < "$ticks")" -gt "$1" ]; }
check "the ticker writes its numbers to $ticks" wait_until 10 ticks_past 0

# What B must find: the pids with their names, the last sequence number
# seen here, A's memory and B's release (relief.* reach B's after-script
# as RELIEF_*).
t2=$(tickq @relief-ticker)
seq=$(field seq "$t2")
pids= comms=
for p in "$tpid" "$cpid" "$epid" "$wpid"; do
	pids=$pids${pids:+,}$p
	comms=$comms${comms:+,}$(cat "/proc/$p/comm")
done
after="relief.after=full-swap relief.pids=$pids relief.comms=$comms"
after="$after relief.ticker=$tpid relief.child=$cpid relief.seq=$seq"
after="$after relief.memtotal=$(mem MemTotal) relief.release=$EXPECT_RELEASE_B"
after="$after relief.reserved=$(relief_reserved_kb) relief.devices=$(pci_bound)"
after="$after relief.ip=$ip relief.port=$port relief.host_echo=${HOST_ECHO:-0}"
after="$after relief.host_type=${HOST_TYPE:-0}"
after="$after relief.ticks=$ticks relief.witness=$wpid relief.reset_after"
# A's clocks at the swap: B's continue them (the machine did not reboot).
after="$after relief.date_a=$(date +%s) relief.uptime_a=$(cut -d. -f1 /proc/uptime)"
echo "swapping with: $after"
# Its timers, armed now, are due 20 s from here: after the swap.
kill -USR2 "$wpid"
# shellcheck disable=SC2086
reliefctl swap $b --move "$tpid,$epid,$wpid" --timeout 60 --append "$after"
rc=$?

# Still here: B did not take over.
state=$(cat /sys/kernel/relief/state)
echo "reliefctl swap returned $rc; state: $state"
# Why, from kernel B's side (its log reaches A through the mailbox).
grep -a "NEW: " /sys/kernel/relief/console | tail -n 8
check "the swap completed (reliefctl swap exit $rc, state $state)" false
check "A still runs its ticker after the failed swap" kill -0 "$tpid"
check "... and echo-server" kill -0 "$epid"
# The data disk was frozen after the dump: thawed, the ticker's file grows.
n=$(wc -l < "$ticks")
check "... and the data disk takes the ticker's numbers again" \
	wait_until 10 ticks_past "$n"
[ "${HOST_ECHO:-0}" = 1 ] && host_echo_done "$port"
finish
