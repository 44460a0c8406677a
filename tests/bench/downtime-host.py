#!/usr/bin/env python3
"""downtime-host.py - the host's side of tests/bench/downtime: a heartbeat
over one TCP connection to the guest's echo-server, its gaps attributed to
the phase the guest announced.

    downtime-host.py --port-file FILE --out DIR [--interval S]
                     [--ready-timeout S] [--timeout S] LOG...

Follows the console logs (run-vm.sh writes them as the guest prints),
stamping each line with the host's monotonic clock when its newline is
read; they go to DIR/console.stamped ("SECONDS LOG LINE"). Once a log
shows "ECHO-READY" it connects to 127.0.0.1 at the port in FILE (QEMU's
hostfwd to the guest's echo-server), sends a numbered line every INTERVAL
seconds (default 0.02) and stamps each echo as it arrives, checking the
order. It stops at the guest's "ECHO-DONE" (then waits, bounded, for every
line sent to come back and closes the connection), or at "BENCH-FAIL",
a verdict, or the timeout. A lost connection ends the heartbeat, not the
record: the consoles are followed to the guest's end (--after-loss).

Phases are what the guest announces: "BENCH-PHASE NAME" lines ("warmup"
before the first). A phase's pause is the longest wait of a line sent in
it for its echo; its longest gap between two successive echoes is kept
too (a burst of old echoes flushed by a restored socket splits a gap, not
a wait). DIR/result.json holds, for each phase, the longest wait and gap
(host times, ms), the line counts, and whether the run was whole; exit 0
if it was; a line never echoed (the connection was lost) is noted, and
where the pause began (the last echo before the line that waited longest
was sent). DIR/heartbeat: each line's number, send and echo times. Python 3 standard library only.
"""
import argparse
import json
import os
import select
import socket
import sys
import time


class Consoles:
    """The console logs, read as they grow, each line stamped on arrival."""

    def __init__(self, paths, out):
        self.paths = paths
        self.files = [None] * len(paths)
        self.partial = [b""] * len(paths)
        self.lines = []         # (t, log index, text)
        self.out = out

    def poll(self):
        new = []
        for i, p in enumerate(self.paths):
            if self.files[i] is None:
                try:
                    self.files[i] = open(p, "rb")
                except OSError:
                    continue
            data = self.files[i].read()
            if not data:
                continue
            t = time.monotonic()
            data = self.partial[i] + data
            *done, self.partial[i] = data.split(b"\n")
            for raw in done:
                text = raw.decode("utf-8", "replace").replace("\r", "")
                new.append((t, i, text))
                self.out.write("%.6f %s %s\n"
                               % (t, os.path.basename(p), text))
        if new:
            self.out.flush()
        self.lines += new
        return new


def starts(lines, prefixes):
    """The first line (of new) that starts with one of prefixes, or None."""
    for ln in lines:
        for p in prefixes:
            if ln[2].startswith(p):
                return ln
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--interval", type=float, default=0.02)
    ap.add_argument("--ready-timeout", type=float, default=600)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--after-loss", type=float, default=300,
                    help="how long to follow the consoles after the "
                    "connection was lost (s)")
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    os.makedirs(a.out, exist_ok=True)
    stamped = open(os.path.join(a.out, "console.stamped"), "w")
    con = Consoles(a.logs, stamped)
    res = {"interval_ms": a.interval * 1000, "ok": False, "why": None,
           "sent": 0, "echoed": 0, "phases": {}}
    t0 = time.monotonic()
    stops = ("BENCH-FAIL", "RELIEF-VERDICT")

    def finish(why):
        res["why"] = why
        res["ok"] = why is None
        with open(os.path.join(a.out, "result.json"), "w") as f:
            json.dump(res, f, indent=1)
        print("downtime-host: %s" % (why or "done"), flush=True)
        return 0 if why is None else 1

    # 1. The guest's echo-server listens.
    while True:
        new = con.poll()
        if starts(new, ("ECHO-READY",)):
            break
        stop = starts(new, stops)
        if stop:
            return finish("the guest stopped before ECHO-READY: " + stop[2])
        if time.monotonic() - t0 > a.ready_timeout:
            return finish("no ECHO-READY within %d s" % a.ready_timeout)
        time.sleep(0.05)
    try:
        with open(a.port_file) as f:
            port = int(f.read().strip())
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
    except (OSError, ValueError) as e:
        return finish("cannot connect to the guest's echo-server: %s" % e)
    s.setblocking(False)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t_conn = time.monotonic()

    sends = []      # host time each line was sent, in order
    echoes = []     # host time of each echo, in order
    buf = b""
    broken = None
    misordered = None
    sent = 0

    def receive(wait):
        nonlocal buf, broken, misordered
        r, _, _ = select.select([s], [], [], max(wait, 0))
        if not r:
            return
        try:
            data = s.recv(65536)
        except BlockingIOError:
            return
        except OSError as e:
            broken = "connection lost after %d echoes: %s" % (len(echoes), e)
            res["broken_at"] = time.monotonic()
            return
        if not data:
            broken = "the guest closed the connection after %d echoes" \
                % len(echoes)
            res["broken_at"] = time.monotonic()
            return
        now = time.monotonic()
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if misordered is None and line != str(len(echoes) + 1).encode():
                misordered = "echo %d was %r" % (len(echoes) + 1, line[:40])
            echoes.append(now)

    # 2. The heartbeat, until the guest is done.
    next_send = time.monotonic()
    pending = b""
    end = None
    while not broken:
        now = time.monotonic()
        if now >= next_send:
            sent += 1
            sends.append(now)
            pending += b"%d\n" % sent
            next_send = max(next_send + a.interval, now)
        if pending:
            try:
                pending = pending[s.send(pending):]
            except BlockingIOError:
                pass    # the guest is away and the buffers are full
            except OSError as e:
                broken = "send failed after %d lines: %s" % (sent, e)
                break
        new = con.poll()
        end = starts(new, ("ECHO-DONE",) + stops)
        if end:
            break
        if now - t0 > a.timeout:
            break
        receive(min(next_send - time.monotonic(), 0.01))

    # 3. Every line sent comes back.
    t_drain = time.monotonic()
    while not broken and len(echoes) < sent and \
            time.monotonic() - t_drain < 10:
        if pending:
            try:
                pending = pending[s.send(pending):]
            except OSError:
                pass
        receive(0.1)
    s.close()
    # A lost connection: the consoles still tell when the workload ran
    # again; follow them to the guest's end (bounded).
    t_lost = time.monotonic()
    while broken and not end and time.monotonic() - t_lost < a.after_loss:
        end = starts(con.poll(), ("ECHO-DONE",) + stops)
        time.sleep(0.05)
    con.poll()
    res["sent"], res["echoed"] = sent, len(echoes)
    res["last_echo"] = echoes[-1] if echoes else None
    with open(os.path.join(a.out, "heartbeat"), "w") as f:
        for k, t in enumerate(sends):
            f.write("%d %.6f %s\n" % (k + 1, t, "%.6f" % echoes[k]
                                      if k < len(echoes) else "-"))

    # Phases from the guest's lines. A line's wait (sent to echoed) belongs
    # to the phase it was sent in, a gap between two echoes to the phase
    # it began in.
    phases = [(t_conn, "warmup")]
    for t, _, text in con.lines:
        if text.startswith("BENCH-PHASE ") and t > t_conn:
            phases.append((t, text.split()[1]))
    order = []
    for _, name in phases:
        if name not in order:
            order.append(name)
    res["order"] = order

    def phase_at(t):
        i = 0
        while i + 1 < len(phases) and phases[i + 1][0] <= t:
            i += 1
        return i

    def entry(i):
        return res["phases"].setdefault(phases[i][1], {
            "max_wait_ms": 0, "max_gap_ms": 0, "lines": 0})

    for k in range(len(echoes)):
        i = phase_at(sends[k])
        ph = entry(i)
        ph["lines"] += 1
        wait = (echoes[k] - sends[k]) * 1000
        if wait > ph["max_wait_ms"]:
            ph.update(max_wait_ms=round(wait, 1), wait_sent=sends[k],
                      wait_echoed=echoes[k], wait_line=k + 1,
                      wait_spans=i + 1 < len(phases) and
                      phases[i + 1][0] < echoes[k])
    # Where each phase's pause began: the last echo before the line that
    # waited longest (or the first never echoed) was sent.
    for k in range(len(sends)):
        i = phase_at(sends[k])
        ph = entry(i)
        if k >= len(echoes) and "lost_line" not in ph:
            ph["lost_line"] = k + 1
            ph["lost_sent"] = sends[k]
    for ph in res["phases"].values():
        t = ph.get("lost_sent", ph.get("wait_sent"))
        if t is not None:
            before = [e for e in echoes if e <= t]
            ph["pause_from"] = before[-1] if before else None
    for k in range(1, len(echoes)):
        ph = entry(phase_at(echoes[k - 1]))
        gap = (echoes[k] - echoes[k - 1]) * 1000
        if gap > ph["max_gap_ms"]:
            ph.update(max_gap_ms=round(gap, 1), gap_start=echoes[k - 1],
                      gap_end=echoes[k])
    res["t_connect"] = t_conn
    res["phase_starts"] = [[t, n] for t, n in phases]

    if broken:
        return finish(broken)
    if misordered:
        return finish("the echoes came back out of order: " + misordered)
    if sent != len(echoes):
        return finish("%d lines sent, %d echoed" % (sent, len(echoes)))
    if end is None:
        return finish("the guest did not finish within %d s" % a.timeout)
    if not end[2].startswith("ECHO-DONE"):
        return finish("the guest stopped: " + end[2])
    for name, ph in res["phases"].items():
        if ph.get("wait_spans"):
            return finish("phase %s: its longest wait ended in the next "
                          "phase" % name)
    return finish(None)


if __name__ == "__main__":
    sys.exit(main())
