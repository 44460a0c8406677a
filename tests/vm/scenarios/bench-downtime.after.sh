# bench-downtime (B's part): the end of tests/bench/downtime's VM run, run
# by kernel B's init once B relieved A (relief.after=bench-downtime), with
# lib.sh before it. A's side (tests/bench/downtime-guest.sh) passed:
#   PID   echo-server's pid       PORT  its port
#   IP    A's address on eth0     SETTLE  seconds of steady heartbeat
# The host times the gaps in its echoes: here B waits until the heartbeat
# flows again, lets it run, says "BENCH-PHASE end" and ECHO-DONE, and waits
# for the host to close its connection before the verdict.
echo "BENCH-MARK relieved at $(cut -d' ' -f1 /proc/uptime)"
check "echo-server is here as pid $RELIEF_PID" \
	[ "$(cat "/proc/$RELIEF_PID/comm" 2>/dev/null)" = echo-server ]
# The agent gives eth0 A's address; should it not have, do it here.
check "eth0 is here (within 60 s)" wait_until 60 test -e /sys/class/net/eth0
ip addr show dev eth0 2>/dev/null | grep -q "inet ${RELIEF_IP%/*}/" ||
	ip addr add "$RELIEF_IP" dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2 2>/dev/null
check "the host's connection is up" tcp_established "$RELIEF_PORT"
check "the host's heartbeat flows (within 60 s)" flowing 60
echo "BENCH-MARK flowing at $(cut -d' ' -f1 /proc/uptime)"
sleep "${RELIEF_SETTLE:-2}"
echo "BENCH-PHASE end"
host_echo_done "$RELIEF_PORT"
if [ "$failed" != 0 ] && [ -r /run/agent.log ]; then
	echo "--- B's agent log:"
	tail -n 20 /run/agent.log
fi
finish
