#!/usr/bin/env bash
# tests/image/demo.sh - what `make demo` shows: the Debian 12 server
# (tests/image/machine.sh) boots kernel package A with its console live,
# shows its services over ssh, and clients on the host fetch a page from
# its nginx and count in its redis once a second through the port
# forwards. Then kernel package B is installed with dpkg and `reliefctl
# swap` moves nginx (its master and workers) and redis-server, with their
# pids, from A to B: reliefctl's output,
# with B's console streamed through it, goes to A's console, shown here
# with "A|"; once A stands relieved, B's own console (ttyS1) with "B|".
# The clients go on being served on B, redis's on its one connection; the
# end sums up the kernels, the pids, the requests and the longest pause
# each client saw.
#
# Exits 0 only if the swap ended with "summary: the swap is done" and the
# client was served after it. Every wait is bounded. Logs stay in
# out/image/demo/.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=tests/image/machine.sh
. "$top/tests/image/machine.sh"

say() { printf '\n=== %s\n' "$*"; }
die() { echo "FAIL: demo: $*"; machine_tail; exit 1; }
now() { date +%s; }

# follow FILE BYTE PREFIX: show FILE from byte BYTE on as it grows, each
# line with PREFIX, without carriage returns and the terminal controls
# GRUB and systemd send (colours stay on a terminal). Its tail's pid is
# in follow_pid; unfollow stops it once it has caught up.
follow_pid=''
if [ -t 1 ]; then csi='\x1b\[[0-9;?]*[A-Za-ln-z]'; else csi='\x1b\[[0-9;?]*[A-Za-z]'; fi
follow() {
	tail -c "+$2" -F -s 0.2 "$1" 2>/dev/null > >(sed -u -e 's/\r//g' \
		-e "s/$csi//g" -e "s/^/$3/") &
	follow_pid=$!
}
unfollow() {
	[ -n "$follow_pid" ] || return 0
	sleep 0.6	# two of tail's polls: what is in the file is shown
	kill "$follow_pid" 2>/dev/null
	wait "$follow_pid" 2>/dev/null
	follow_pid=''
	sleep 0.2	# and sed has written it out
}
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# console: both consoles' lines, without carriage returns.
console() { cat "$machine_dir/ttyS0.log" "$machine_dir/ttyS1.log" 2>/dev/null | tr -d '\r'; }

client_pid='' redis_pid='' on_b=0
cleanup() {
	unfollow
	[ -z "$client_pid" ] || { kill "$client_pid" 2>/dev/null; wait "$client_pid" 2>/dev/null; }
	[ -z "$redis_pid" ] || { kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; }
	# Kernel B runs no sshd to power it off with (machine_stop would wait
	# for that): the machine is thrown away, its disk was an overlay.
	[ "$on_b" = 0 ] || [ -z "$machine_pid" ] || kill "$machine_pid" 2>/dev/null
	machine_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! rel_a=$(machine_release deb-a) || ! rel_b=$(machine_release deb-b); then
	die "no release for kernel package A or B (kernel/source-version)"
fi
t_demo=$(now)

say "building what is missing: make deb image (kernel packages A $rel_a and B $rel_b, reliefctl; the server's disk)"
make -s deb image || die "make deb image failed"

say "booting the Debian 12 server under QEMU (TCG, 4 CPUs in 2 NUMA nodes, 4 GiB; NVMe root disk): SeaBIOS, GRUB, kernel A, systemd; its console (ttyS0):"
machine_start demo || exit 1
follow "$machine_dir/ttyS0.log" 1 '  A| '
machine_wait_ssh 300 || exit 1
unfollow

say "the server on kernel A, over ssh"
machine_ssh 'echo "uname -r: $(uname -r)"
	echo "systemctl is-system-running: $(timeout 120 systemctl is-system-running --wait)"
	echo "running services:"
	systemctl list-units --type=service --state=running --no-pager --no-legend |
		awk "{ print \"  \" \$1 }"' 2>&1 | sed 's/^/  ssh| /'
kernel_before=$(machine_ssh uname -r)
pid=$(machine_ssh systemctl show -p MainPID --value nginx)
case $pid in ''|0|*[!0-9]*) die "nginx has no main pid ('$pid')" ;; esac
pids_before=$(machine_ssh "echo $pid \$(pgrep -P $pid)")
echo "  ssh| nginx: master pid $pid (systemd's MainPID), its processes $pids_before:"
machine_ssh "ps -o pid,ppid,user,etime,cmd -p $pid --ppid $pid" 2>&1 | sed 's/^/  ssh|   /'
redis=$(machine_ssh systemctl show -p MainPID --value redis-server)
case $redis in ''|0|*[!0-9]*) die "redis-server has no main pid ('$redis')" ;; esac
echo "  ssh| redis-server: pid $redis (systemd's MainPID)"
machine_ssh "systemctl status nginx --no-pager --lines=0 | head -n 20" 2>&1 | sed 's/^/  ssh| /'

# The host's client: a page a second through the port forward, one line
# each; the longest time between two answers is the pause it saw. A
# request gets 5 s, then the next one is sent: one sent while A holds new
# connections off (just before the freeze) or while nginx is frozen may
# wait seconds for QEMU's user network to send its SYN again. Its counts
# are in client.state for this script.
port=$(machine_port 80)
say "a client on the host: GET http://127.0.0.1:$port/ (the server's port 80) once a second"
python3 -u - "http://127.0.0.1:$port/" "$machine_dir/client.state" <<'EOF' &
import os, sys, time, urllib.request
url, state = sys.argv[1], sys.argv[2]
ok = bad = 0
start = last = time.monotonic()
gap = 0.0
tick = start
while True:
    t = time.monotonic()
    stamp = time.strftime("%H:%M:%S")
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            body = r.read()
            status, reason = r.status, r.reason
            server = r.headers.get("Server", "?")
        done = time.monotonic()
        ok += 1
        line = (f"  client| {stamp} {status} {reason}, {len(body)} bytes from "
                f"{server} in {(done - t) * 1000:.0f} ms")
        if done - last > 2:
            line += f" -- answered again after {done - last:.1f} s"
        gap = max(gap, done - last)
        last = done
    except Exception as e:
        bad += 1
        line = (f"  client| {stamp} no answer after {time.monotonic() - t:.1f} s: "
                f"{getattr(e, 'reason', e)}")
    print(line)
    with open(state + ".tmp", "w") as f:
        f.write(f"{ok} {bad} {gap:.1f}\n")
    os.replace(state + ".tmp", state)
    tick = max(tick + 1, time.monotonic())
    time.sleep(max(0, tick - time.monotonic()))
EOF
client_pid=$!
# client N: field N of the client's counts (1 answered, 2 failed, 3 the
# longest time between two answers, s).
client() { awk -v n="$1" '{ print $n }' "$machine_dir/client.state" 2>/dev/null; }
for _ in $(seq 30); do [ "$(client 1)" -ge 3 ] 2>/dev/null && break; sleep 1; done
[ "$(client 1)" -ge 3 ] 2>/dev/null || die "the client got no 3 answers from nginx within 30 s"
# The redis client: one connection kept across the swap, a key stored,
# then INCR once a second ("ok N bad B gap_ms G value V"); it ends at its
# first error (a reset, a wrong count, the key changed).
say "a redis client on the host, one connection to 127.0.0.1:$(machine_port 6379) (the server's 6379): SET a key, then INCR once a second"
"$top/tests/image/redis-client.py" "$(machine_port 6379)" 1 \
	> >(tee "$machine_dir/redis-client.log" | sed -u 's/^/  redis| /') 2>&1 &
redis_pid=$!

say "installing kernel package B ($rel_b) with dpkg -i"
machine_ssh "timeout 300 dpkg -i /var/cache/relief/linux-image-${rel_b}_*.deb" 2>&1 |
	sed 's/^/  ssh| /'
[ "${PIPESTATUS[0]}" = 0 ] || die "dpkg -i of kernel package B failed"

say "what the swap will do: reliefctl swap /boot/vmlinuz-$rel_b --move $pid,$redis --dry-run"
machine_ssh "timeout 120 reliefctl swap /boot/vmlinuz-$rel_b --move $pid,$redis --dry-run" 2>&1 |
	sed 's/^/  ssh| /'
[ "${PIPESTATUS[0]}" = 0 ] || die "the dry run refused the swap"

# The swap, from an ssh session that dies with kernel A: its output goes
# to A's console, where the host reads it.
say "$(date +%H:%M:%S) the swap: reliefctl swap /boot/vmlinuz-$rel_b --move $pid,$redis --timeout 120; its output, B's console in it (new|), on A's console:"
follow "$machine_dir/ttyS0.log" "$(( $(size "$machine_dir/ttyS0.log") + 1 ))" '  A| '
a_from=$(size "$machine_dir/ttyS0.log")
machine_ssh "setsid reliefctl swap /boot/vmlinuz-$rel_b --move $pid,$redis --timeout 120 < /dev/null > /dev/ttyS0 2>&1 &" ||
	die "could not start reliefctl swap"
t0=$(now)
bound=400
# The end: reliefctl's summary, the last thing it prints (done, rolled
# back or aborted).
until console | grep -qa '^summary: '; do
	kill -0 "$machine_pid" 2>/dev/null || die "QEMU exited during the swap"
	[ $(( $(now) - t0 )) -lt "$bound" ] || die "the swap did not end within $bound s"
	sleep 0.5
done
t_swap=$(( $(now) - t0 ))
console | grep -qa '^summary: the swap is done' ||
	die "the swap did not relieve A: $(console | grep -a '^summary: ' | head -1)"
n_summary=$(client 1)
on_b=1
for _ in $(seq 20); do
	grep -qa 'I stand relieved' "$machine_dir/ttyS0.log" && break
	sleep 0.5
done
unfollow

# B's console: what reliefctl showed of it (new|) is B's kernel's log;
# B's own console goes on from its last such line.
last=$(tail -c "+$(( a_from + 1 ))" "$machine_dir/ttyS0.log" | tr -d '\r' |
	sed -n 's/^new| //p' | tail -1)
b_line=1
[ -z "$last" ] ||
	b_line=$(tr -d '\r' < "$machine_dir/ttyS1.log" | grep -naxF -- "$last" | tail -1 | cut -d: -f1)
b_byte=$(head -n "${b_line:-0}" "$machine_dir/ttyS1.log" | wc -c)
say "kernel A stood relieved; kernel B's own console (ttyS1) from there:"
follow "$machine_dir/ttyS1.log" "$(( b_byte + 1 ))" '  B| '
t1=$(now)
until grep -qa 'relief-bootstrap: the swap ended' "$machine_dir/ttyS1.log"; do
	[ $(( $(now) - t1 )) -lt 60 ] || die "kernel B did not say the swap ended within 60 s"
	sleep 0.5
done
# The client on kernel B: five more answers, within 90 s (a request sent
# while nginx was frozen waits for QEMU's user network to send its SYN
# again, seconds).
t1=$(now)
until [ "$(client 1)" -ge $(( n_summary + 5 )) ] 2>/dev/null; do
	[ $(( $(now) - t1 )) -lt 90 ] || die "the client got no 5 answers from kernel B within 90 s"
	sleep 0.5
done
unfollow
kill "$client_pid" 2>/dev/null; wait "$client_pid" 2>/dev/null; client_pid=''
kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; redis_pid=''

say "the server on kernel B"
if kernel_after=$(machine_ssh -o ConnectTimeout=5 uname -r 2>/dev/null); then
	machine_ssh "systemctl status nginx --no-pager --lines=0 | head -n 20" 2>&1 | sed 's/^/  ssh| /'
else
	kernel_after=$(console | sed -n 's/^relief-bootstrap: up at .* kernel //p' | tail -1)
	echo "  ssh: no answer. sshd did not move: it stopped with kernel A, and kernel B's"
	echo "  bootstrap runs the moved processes only, no systemd, no sshd"
	echo "  (Documentation/relief/status.rst). What kernel B says on its console:"
	console | grep -a -e "^relief-bootstrap: up at" -e "agent: mounted A's root" \
		-e "agent: restored [0-9]* processes" -e "^relief-bootstrap: the swap ended" \
		-e "^relief-bootstrap: the moved processes" | sed 's/^/  B| /'
fi
restored=$(console | grep -ao "restored [0-9]* processes in [0-9]* trees (pids[^)]*)" | tail -1)
pids_after=$(echo "$restored" | sed -n 's/.*(pids \([^)]*\)).*/\1/p')

say "summary"
ok=$(client 1) bad=$(client 2) gap=$(client 3)
rc=0
echo "kernel:   before $kernel_before (uname -r over ssh), after ${kernel_after:-unknown} (B's console)"
# The same pids: nginx's answers carry none, B's console says which it
# restored.
sorted() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//'; }
if [ "$(sorted "$pids_after")" = "$(sorted "$pids_before $redis")" ]; then
	echo "moved:    nginx $pids_before (master $pid) and redis-server $redis on A; kernel B restored pids $pids_after (its console): the same"
elif echo " $pids_after " | grep -q " $pid "; then
	echo "nginx:    pids $pids_before on A (master $pid); kernel B restored pids $pids_after (its console): the master's is among them"
else
	echo "nginx:    pids $pids_before on A (master $pid); kernel B restored '${pids_after:-nothing}' (its console): not nginx's master"
	rc=1
fi
echo "client:   $ok requests answered, $bad failed; $(( ok - n_summary )) answered by nginx after A stood relieved"
echo "pause:    the longest time between two answers the client saw: $gap s (one a second otherwise)"
rlast=$(grep '^ok ' "$machine_dir/redis-client.log" | tail -1)
if grep -q '^error:' "$machine_dir/redis-client.log"; then
	echo "redis:    $(grep -m1 '^error:' "$machine_dir/redis-client.log") (after $(echo "$rlast" | awk '{ print $2 }') replies)"
	rc=1
else
	echo "redis:    $(echo "$rlast" | awk '{ print $2 }') replies on one connection, no error, no reset; the counter at $(echo "$rlast" | awk '{ print $8 }'), the key kept; longest gap $(echo "$rlast" | awk '{ print $6 / 1000 }') s"
fi
console | sed -n 's/^service pause: /reliefctl: service pause /p' | head -1
echo "swap:     reliefctl swap to its summary: $t_swap s; the whole demo: $(( $(now) - t_demo )) s"
echo "logs:     ${machine_dir#"$top"/}/ (ttyS0.log: A's console, ttyS1.log: B's)"
exit $rc
