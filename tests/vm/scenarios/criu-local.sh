# criu-local: the full swap's workloads survive a CRIU dump and restore
# within kernel A, and B's checks (full-swap.after.sh) find them as a full
# swap must leave them. No second kernel: this pins down what CRIU, the
# guest config and the workloads need, apart from the swap itself.
# Run with --hostfwd 7 --host-echo: the host's connection to echo-server
# must live through the dump and restore too (criu --tcp-established).
port=7 ip=10.0.2.15/24
mem() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
field() { echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
gone() { ! kill -0 "$1" 2>/dev/null; }

ip addr add "$ip" dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2
check "eth0 is up as $ip" [ $? -eq 0 ]
echo 1000 > /proc/sys/kernel/ns_last_pid
tpid=$(ticker @relief-ticker 50)
epid=$(echo-server "$port")
check "ticker ($tpid) and echo-server ($epid) started" [ -n "$tpid" -a -n "$epid" ]
echo "ECHO-READY"
if [ "${HOST_ECHO:-0}" = 1 ]; then
	check "the host's connection to echo-server is up" \
		wait_until 60 tcp_established "$port"
fi
t1=$(tickq @relief-ticker)
echo "ticker: $t1"
cpid=$(field child "$t1")
seq=$(field seq "$t1")

# criu dump stops and kills each tree, restore brings it back (detached,
# its own parent's child no more: init's).
for p in "$tpid" "$epid"; do
	mkdir -p "/tmp/img-$p"
	criu dump -t "$p" -D "/tmp/img-$p" --tcp-established -v4 -o dump.log
	check "criu dump of $p" [ $? -eq 0 ]
	check "... which stopped it" wait_until 10 gone "$p"
done
for p in "$tpid" "$epid"; do
	criu restore -d -D "/tmp/img-$p" --tcp-established -v4 -o restore.log
	check "criu restore of $p" [ $? -eq 0 ]
done
for p in "$tpid" "$epid"; do
	for l in dump restore; do
		[ -s "/tmp/img-$p/$l.log" ] || continue
		grep -q "Error" "/tmp/img-$p/$l.log" || continue
		echo "--- $l of $p:"; grep -B2 -A2 "Error" "/tmp/img-$p/$l.log" | tail -n 20
	done
done

# Now what B would check after a full swap, against A itself.
export RELIEF_RELEASE="$EXPECT_RELEASE" RELIEF_MEMTOTAL="$(mem MemTotal)"
export RELIEF_PIDS="$tpid,$cpid,$epid" RELIEF_COMMS=ticker,ticker,echo-server
export RELIEF_TICKER="$tpid" RELIEF_CHILD="$cpid" RELIEF_SEQ="$seq"
export RELIEF_IP="$ip" RELIEF_PORT="$port" RELIEF_HOST_ECHO="${HOST_ECHO:-0}"
. /etc/relief/scenarios/full-swap.after.sh
finish
