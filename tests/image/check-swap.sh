#!/usr/bin/env bash
# tests/image/check-swap.sh - a swap on the Debian server: kernel package B
# installed with dpkg, then `reliefctl swap /boot/vmlinuz-<B>` with no
# --initrd (the package's bootstrap) moves nginx (a systemd service: its
# master and workers, listening sockets, log files on the root file
# system) and redis-server (a systemd service: its dataset, its
# connection to the host's client, its stdout to journald) while the
# host fetches pages and counts in redis through the port forwards.
# Kernel B binds the NVMe disk behind its root port and the data disk
# behind the switch, mounts A's root file system from it and restores
# both there. The host's HTTP client is served before, during and after,
# and loses no request: new connections wait for B (see below). The redis
# client, on one connection, sees no error at all.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/image/machine.sh
. "$top/tests/image/machine.sh"
rc=0
pass() { echo "PASS: swap: $*"; }
fail() { echo "FAIL: swap: $*"; rc=1; }
rel_b=$(machine_release deb-b)
poll_pid='' redis_pid=''
stop_all() {
	[ -z "$poll_pid" ] || kill "$poll_pid" 2>/dev/null
	[ -z "$redis_pid" ] || kill "$redis_pid" 2>/dev/null
	machine_stop
}
trap stop_all EXIT

machine_start swap || exit 1
machine_wait_ssh 300 || exit 1
state=$(machine_ssh systemctl is-system-running --wait 2>&1)
[ "$state" = running ] || fail "the system is '$state' before the swap"
if machine_ssh "dpkg -i /var/cache/relief/linux-image-${rel_b}_*.deb > /dev/null 2>&1"; then
	pass "kernel package B ($rel_b) installed"
else
	fail "dpkg -i of kernel package B failed"; exit 1
fi
pid=$(machine_ssh systemctl show -p MainPID --value nginx)
workers=$(machine_ssh "pgrep -P $pid | tr '\n' ' '")
echo "# swap: nginx master $pid, workers $workers"
redis=$(machine_ssh systemctl show -p MainPID --value redis-server)
echo "# swap: redis-server $redis"

# A service in namespaces of its own is refused by name, before anything
# changes: systemd-networkd's unit gives it a mount namespace.
networkd=$(machine_ssh systemctl show -p MainPID --value systemd-networkd)
out=$(machine_ssh "reliefctl swap /boot/vmlinuz-$rel_b --move $networkd --dry-run; echo \"exit \$?\"" 2>&1)
if echo "$out" | grep -q '^exit 3$' &&
	echo "$out" | grep -q "cannot move: $networkd (systemd-network) runs in namespaces of its own (mnt"; then
	pass "a sandboxed service (systemd-networkd) is refused by name (exit 3)"
else
	fail "moving systemd-networkd: $(echo "$out" | grep 'cannot move\|^exit' | head -2 | tr '\n' ' ')"
fi

# The dry run names the plan and each device's way; it changes nothing.
out=$(machine_ssh "reliefctl swap /boot/vmlinuz-$rel_b --move $pid,$redis --dry-run; echo \"exit \$?\"" 2>&1)
echo "$out" | sed 's/^/    dry-run: /'
if echo "$out" | grep -q '^exit 0$'; then
	pass "the dry run passes"
else
	fail "the dry run: $(echo "$out" | grep -v '^exit' | tail -2 | tr '\n' ' ')"
	exit 1
fi

# The host's client: a page every 100 ms through the port forward, until
# told to stop; it prints each failure and the longest gap it saw.
url="http://127.0.0.1:$(machine_port 80)/"
python3 - "$url" > "$machine_dir/http-client.log" 2>&1 <<'EOF' &
import sys, time, urllib.request
url = sys.argv[1]
ok = bad = 0
last = time.monotonic()
gap = 0.0
try:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                r.read()
            ok += 1
            now = time.monotonic()
            gap = max(gap, now - last)
            last = now
        except Exception as e:
            bad += 1
            print("error:", e, flush=True)
        print(f"ok {ok} bad {bad} gap_ms {gap * 1000:.0f}", flush=True)
        time.sleep(0.1)
except KeyboardInterrupt:
    pass
EOF
poll_pid=$!
# The redis client: one connection, a count every 100 ms.
"$top/tests/image/redis-client.py" "$(machine_port 6379)" \
	> "$machine_dir/redis-client.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do
	grep -q '^ok ' "$machine_dir/redis-client.log" 2>/dev/null && break
	kill -0 "$redis_pid" 2>/dev/null || break
	sleep 0.1
done
grep -q '^ok ' "$machine_dir/redis-client.log" ||
	fail "the redis client got no reply before the swap: $(tail -1 "$machine_dir/redis-client.log")"

if machine_swap 400 "/boot/vmlinuz-$rel_b --move $pid,$redis --timeout 120"; then
	pass "kernel B relieved kernel A in $machine_swap_s s"
else
	exit 1
fi
grep -aq "relief-bootstrap: up at .* kernel $rel_b" "$machine_dir"/ttyS*.log &&
	pass "kernel B is $rel_b, booted with relief's bootstrap"
if grep -aq "mounted A's root file system .* and entered it" "$machine_dir"/ttyS*.log; then
	pass "kernel B mounted A's root file system from the NVMe disk"
else
	fail "kernel B did not say it mounted A's root file system"
fi
restored=$(grep -aho "restored [0-9]* processes in [0-9]* trees (pids[^)]*)" "$machine_dir"/ttyS*.log | head -1)
if echo "$restored" | grep -qw "$pid"; then
	pass "nginx moved with its pid: $restored"
else
	fail "nginx ($pid) is not among the restored: '${restored:-nothing restored}'"
fi
if echo "$restored" | grep -qw "$redis"; then
	pass "redis-server moved with its pid ($redis)"
else
	fail "redis-server ($redis) is not among the restored: '${restored:-nothing restored}'"
fi
if grep -aq "agent: $redis (redis-server) fd 1: a unix stream to /run/systemd/journal/stdout stays behind" "$machine_dir"/ttyS*.log; then
	pass "... its stdout to journald was left behind, to B's kernel log"
else
	fail "A's agent did not say redis-server's journal stream stays behind"
fi

# The client goes on on kernel B: ten more pages. A request sent while the
# services were frozen waits for QEMU's user network to send its SYN
# again (its back-off: seconds); the bound allows for three of them.
n0=$(tail -1 "$machine_dir/http-client.log" | awk '{ print $2 }')
for _ in $(seq 450); do
	n=$(tail -1 "$machine_dir/http-client.log" | awk '{ print $2 }')
	[ "${n:-0}" -ge $(( ${n0:-0} + 10 )) ] && break
	sleep 0.2
done
kill "$poll_pid" 2>/dev/null; wait "$poll_pid" 2>/dev/null; poll_pid=''
# The redis client goes on too, on its connection of before the swap.
r0=$(grep -c '^ok ' "$machine_dir/redis-client.log")
for _ in $(seq 100); do
	[ "$(grep -c '^ok ' "$machine_dir/redis-client.log")" -ge $(( r0 + 10 )) ] && break
	kill -0 "$redis_pid" 2>/dev/null || break
	sleep 0.2
done
kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; redis_pid=''
rlast=$(grep '^ok ' "$machine_dir/redis-client.log" | tail -1)
echo "# swap: redis client: $rlast"
if grep -q '^error:' "$machine_dir/redis-client.log"; then
	fail "the host's redis client: $(grep -m1 '^error:' "$machine_dir/redis-client.log")"
elif [ "$(echo "$rlast" | awk '{ print $2 }')" -ge $(( r0 + 10 )) ]; then
	pass "the host's redis client, on its one connection, saw no error and no reset: the counter went on to $(echo "$rlast" | awk '{ print $8 }'), the dataset was kept (longest gap $(echo "$rlast" | awk '{ print $6 }') ms)"
else
	fail "the host's redis client got no 10 more replies from kernel B within 20 s"
fi
last=$(tail -1 "$machine_dir/http-client.log")
errors=$(grep -c '^error:' "$machine_dir/http-client.log")
echo "# swap: http client: $last"
# Before the freeze A's agent drops new connections' SYNs to the moved
# listeners and waits for their accept queues to empty: no connection is
# left behind, and the client's next SYN is answered by kernel B.
if [ "$(echo "$last" | awk '{ print $2 }')" -ge $(( ${n0:-0} + 10 )) ]; then
	pass "the host's HTTP client is served by nginx on kernel B"
else
	fail "the host's HTTP client got no 10 pages from kernel B within 90 s"
fi
drained=$(grep -ah "^agent: new connections to ports* " "$machine_dir"/ttyS0.log | head -1)
if echo "$drained" | grep -q " 80 .*wait for kernel B"; then
	pass "A's agent held new connections to nginx's port off before the freeze: ${drained#agent: }"
else
	fail "A's agent did not say it drained port 80: '${drained:-nothing}'"
fi
if [ "$errors" -eq 0 ]; then
	pass "the host's HTTP client lost no request (longest gap $(echo "$last" | awk '{ print $6 }') ms)"
else
	fail "the host's HTTP client: $errors failed requests: $(grep -m3 '^error:' "$machine_dir/http-client.log" | tr '\n' ' ')"
fi
machine_stop
echo "# swap: logs in ${machine_dir#"$top"/}/"
exit $rc
