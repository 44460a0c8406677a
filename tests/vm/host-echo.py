#!/usr/bin/env python3
"""host-echo.py - the host's side of a TCP connection kept across a swap.

    host-echo.py --port-file FILE [--timeout S] [--ready-timeout S]
                 [--interval S] [--max-pause-ms MS] LOG...

Waits (bounded) for the guest's "ECHO-READY" line in one of the console
logs, then connects to 127.0.0.1 at the port in FILE (QEMU's hostfwd to the
guest's echo-server, run-vm.sh --hostfwd), sends a numbered line every
INTERVAL seconds and checks that each comes back, in order. It goes on
until the guest says "ECHO-DONE" (or, failing that, gives its verdict),
then waits (bounded) for every line it sent to come back and closes the
connection: a guest that waits for the close before its verdict knows the
host has judged (a guest that powers off at once would cut the last round
trip). The longest time between two successive echoes is the pause of the
service as the host sees it.

Prints PASS:/FAIL: lines (run-vm.sh adds the scenario's name) and
"pause_ms N"; exits 0 if all passed. Python 3 standard library only.
"""
import argparse
import select
import socket
import sys
import time

READY = "ECHO-READY"
DONE = "ECHO-DONE"
VERDICT = "RELIEF-VERDICT:"


class Logs:
    """Console logs read as they grow; remembers which markers it saw."""

    def __init__(self, paths):
        self.paths = paths
        self.pos = {p: 0 for p in paths}
        self.tail = {p: "" for p in paths}
        self.seen = set()

    def poll(self, markers):
        for p in self.paths:
            try:
                with open(p, "rb") as f:
                    f.seek(self.pos[p])
                    data = f.read()
            except OSError:
                continue
            self.pos[p] += len(data)
            # Keep a little of the end: a marker may straddle two reads.
            text = self.tail[p] + data.decode("ascii", "replace")
            for m in markers:
                if m in text:
                    self.seen.add(m)
            self.tail[p] = text[-64:]
        return [m for m in markers if m in self.seen]


def result(ok, what):
    print("%s: host-echo: %s" % ("PASS" if ok else "FAIL", what), flush=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--timeout", type=float, default=600,
                    help="bound on the whole run (s)")
    ap.add_argument("--ready-timeout", type=float, default=300,
                    help="bound on the wait for ECHO-READY (s)")
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--max-pause-ms", type=int, default=0,
                    help="fail if the longest pause is longer (0: no limit)")
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    t_start = time.monotonic()
    deadline = t_start + a.timeout
    logs = Logs(a.logs)

    # 1. The guest says its echo service listens.
    while True:
        seen = logs.poll([READY, VERDICT])
        if READY in seen:
            break
        if VERDICT in seen:
            result(False, "the guest gave its verdict before %s" % READY)
            return 1
        if time.monotonic() - t_start > a.ready_timeout:
            result(False, "no %s from the guest within %d s"
                   % (READY, a.ready_timeout))
            return 1
        time.sleep(0.2)
    try:
        with open(a.port_file) as f:
            port = int(f.read().strip())
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
    except (OSError, ValueError) as e:
        result(False, "cannot connect to the guest's echo service: %s" % e)
        return 1
    s.setblocking(False)
    result(True, "connected to the guest's echo service (host port %d)"
           % port)

    sent = echoed = 0
    buf = b""
    last_echo = None
    max_gap = 0.0
    broken = None   # why the connection ended early, if it did
    order_ok = True

    def receive(wait):
        """Read what came back within WAIT s; check the order."""
        nonlocal buf, echoed, last_echo, max_gap, broken, order_ok
        r, _, _ = select.select([s], [], [], max(wait, 0))
        if not r:
            return
        try:
            data = s.recv(65536)
        except OSError as e:
            broken = "connection lost after %d echoes: %s" % (echoed, e)
            return
        if not data:
            broken = "the guest closed the connection after %d echoes" \
                % echoed
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line != str(echoed + 1).encode():
                if order_ok:
                    print("# host-echo: expected %d, got %r"
                          % (echoed + 1, line[:40]), flush=True)
                order_ok = False
            echoed += 1
            now = time.monotonic()
            if last_echo is not None:
                max_gap = max(max_gap, now - last_echo)
            last_echo = now

    # 2. A line every interval until the guest is done.
    next_send = time.monotonic()
    next_log = 0.0
    done = None
    while not broken:
        now = time.monotonic()
        if now >= next_send:
            try:
                s.send(b"%d\n" % (sent + 1))
                sent += 1
            except BlockingIOError:
                pass    # the guest is away and the buffers are full
            except OSError as e:
                broken = "send failed after %d lines: %s" % (sent, e)
                break
            next_send = max(next_send + a.interval, now)
        if now >= next_log:
            next_log = now + 0.5
            seen = logs.poll([DONE, VERDICT])
            if seen:
                done = seen[0]
                break
        if now > deadline:
            break
        receive(min(next_send, next_log) - time.monotonic())

    # 3. Everything sent comes back.
    t_drain = time.monotonic()
    while not broken and echoed < sent and time.monotonic() - t_drain < 10:
        receive(0.2)
    s.close()

    if broken:
        if logs.poll([DONE, VERDICT]):
            broken += " (the guest had ended its part)"
        ok = result(False, broken)
    elif done == DONE:
        ok = result(True, "the connection lasted until the guest's %s"
                    % DONE)
    elif done == VERDICT:
        ok = result(False, "the guest gave its verdict without %s" % DONE)
    else:
        ok = result(False, "no %s from the guest within %d s"
                    % (DONE, a.timeout))
    ok &= result(order_ok and echoed == sent,
                 "every line came back in order (%d sent, %d echoed)"
                 % (sent, echoed))
    pause = int(max_gap * 1000)
    if a.max_pause_ms:
        ok &= result(pause <= a.max_pause_ms, "longest pause %d ms <= %d ms"
                     % (pause, a.max_pause_ms))
    print("pause_ms %d" % pause, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
