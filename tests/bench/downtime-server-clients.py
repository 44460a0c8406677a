#!/usr/bin/env python3
"""tests/bench/downtime-server-clients.py - the host's clients of
tests/bench/downtime-server, and its report.

  downtime-server-clients.py run --http URL --redis PORT --out FILE
  downtime-server-clients.py report [--relief FILE --relief-log LOG]
                                    [--kexec FILE] [--kexec-note TEXT]...
                                    [--kup FILE] [--kup-note TEXT]...

run: two clients of the machine's services through QEMU's port forwards,
until SIGTERM or SIGINT, then their results as JSON in FILE:

  - HTTP: a new connection for each request, a page every 100 ms; a
    request waits at most 60 s for its answer (a kexec reboot under TCG
    takes tens of seconds); a failed one is sent again 100 ms later.
  - redis: one connection; it stores a key (the dataset), then sends INCR
    every 100 ms, GET of the key every tenth time, each reply awaited for
    up to 120 s (a connection CRIU keeps across a kexec reboot is silent
    that long). When the connection breaks (a reset, a close, a timeout)
    it connects again, every
    200 ms (each attempt bounded by 10 s), and on its first answer after
    says whether the counter went on from its last value and whether the
    key is still there: whether the service kept its state.

Each client's pause is the longest time between two of its answers: from
its last answer before the event to its first answer after. A line a
second on stdout says how far each is ("progress http N E redis N R", R
the reconnections), for the benchmark to wait on.

report: prints the figures, the relief swap's phases (the "timings (since
prepare):" block of reliefctl's summary in LOG) and the ratios.
"""
import argparse
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "image"))
from resp import command  # noqa: E402 (tests/image/resp.py)

KEY = b"relief:dataset"
VALUE = b"kept across the swap"
stop = threading.Event()


class Client:
    """What both clients count: answers, and the longest time between
    two of them (gap), from gap_at seconds after t0."""

    def __init__(self):
        self.ok = 0
        self.gap = 0.0
        self.gap_at = None
        self.last = None

    def answered(self, t0):
        now = time.monotonic()
        if self.last is not None and now - self.last > self.gap:
            self.gap = now - self.last
            self.gap_at = self.last - t0
        self.last = now
        self.ok += 1


class Http(Client):
    def __init__(self, url):
        super().__init__()
        self.url = url
        self.errors = 0
        self.first_error = None

    def run(self, t0):
        while not stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=60) as r:
                    r.read()
            except Exception as e:  # refused, reset, timeout: try again
                self.errors += 1
                if self.first_error is None:
                    self.first_error = str(e)
                stop.wait(0.1)
                continue
            self.answered(t0)
            stop.wait(0.1)


class Redis(Client):
    def __init__(self, port):
        super().__init__()
        self.port = port
        self.reconnects = 0
        self.errors = []
        self.after = []  # one entry per reconnection: what survived
        self.value = None

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.settimeout(120)
        return s, s.makefile("rb")

    def run(self, t0):
        s = f = None
        fresh = False  # a reconnection whose first answer is still due
        expect = VALUE  # the key's value, as the last connection found it
        while not stop.is_set():
            try:
                if s is None:
                    s, f = self.connect()
                    if self.value is None:
                        if command(s, f, b"SET", KEY, VALUE) != b"OK":
                            raise ConnectionError("SET refused")
                    else:
                        fresh = True
                v = command(s, f, b"INCR", b"relief:counter")
                if fresh:
                    key = expect = command(s, f, b"GET", KEY)
                    self.after.append({
                        "before": self.value, "after": v,
                        "counter_kept": v > self.value,
                        "dataset_kept": key == VALUE})
                    fresh = False
                elif self.ok % 10 == 0 and command(s, f, b"GET", KEY) != expect:
                    self.errors.append("the dataset's key changed on one connection")
            except Exception as e:  # a reset, a close, a timeout
                if s is not None:
                    if not fresh:
                        self.errors.append(str(e))
                        self.reconnects += 1
                    try:
                        s.close()
                    except OSError:
                        pass
                    s = f = None
                stop.wait(0.2)
                continue
            self.value = v
            self.answered(t0)
            stop.wait(0.1)
        if s is not None:
            s.close()


def run(a):
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    t0 = time.monotonic()
    http, redis = Http(a.http), Redis(a.redis)
    threads = [threading.Thread(target=c.run, args=(t0,), daemon=True)
               for c in (http, redis)]
    for t in threads:
        t.start()
    while not stop.wait(1):
        print("progress http %d %d redis %d %d" %
              (http.ok, http.errors, redis.ok, redis.reconnects), flush=True)
    for t in threads:
        t.join(70)
    with open(a.out, "w") as out:
        json.dump({
            "seconds": time.monotonic() - t0,
            "http": {"ok": http.ok, "errors": http.errors,
                     "pause": http.gap, "pause_at": http.gap_at,
                     "first_error": http.first_error},
            "redis": {"ok": redis.ok, "reconnects": redis.reconnects,
                      "pause": redis.gap, "pause_at": redis.gap_at,
                      "errors": redis.errors[:3], "after": redis.after,
                      "value": redis.value},
        }, out, indent=1)
    return 0


def phases(log):
    """reliefctl's service pause and timings block from a console log."""
    try:
        text = open(log, "rb").read().decode("utf-8", "replace")
    except OSError:
        return None, []
    text = text.replace("\r", "")
    pause = re.search(r"^service pause: (\d+) ms", text, re.M)
    block = re.search(r"^timings \(since prepare\):\n((?:  \S+ +[0-9.]+ ms\n)+)",
                      text, re.M)
    rows = []
    if block:
        for line in block.group(1).splitlines():
            name, ms, _ = line.split()
            rows.append((name, float(ms)))
    return (int(pause.group(1)) if pause else None), rows


def redis_words(r):
    if r["reconnects"] == 0 and not r["after"]:
        return "same connection, counter kept, %s INCRs" % r["ok"]
    parts = []
    for x in r["after"]:
        parts.append("counter %s after %s: %s, dataset %s" % (
            x["after"], x["before"],
            "kept" if x["counter_kept"] else "lost (restarted from 0)",
            "kept" if x["dataset_kept"] else "lost"))
    return "reconnected %d time(s); %s" % (
        r["reconnects"], "; ".join(parts) or "no answer after")


def report(a):
    res = {}
    for name, path in (("relief", a.relief), ("kexec", a.kexec),
                       ("kup", a.kup)):
        if path:
            try:
                res[name] = json.load(open(path))
            except (OSError, ValueError) as e:
                print("downtime-server: no results for %s: %s" % (name, e))
    print("== downtime-server: the pause a host-side client sees, Debian 12 "
          "image (TCG, 4 vCPUs on the host's cores)")
    print("   one boot of a fresh overlay of build/image/disk.img per method; "
          "the same clients (HTTP: a new connection every 100 ms; redis: one "
          "connection, INCR every 100 ms, reconnecting if it breaks)")
    if "relief" in res:
        r = res["relief"]
        pause, rows = phases(a.relief_log)
        print("(a) relief swap:     http pause %6.2f s, redis pause %6.2f s "
              "(%s); http errors %d" % (
                  r["http"]["pause"], r["redis"]["pause"],
                  redis_words(r["redis"]), r["http"]["errors"]))
        if pause is not None:
            print("    reliefctl: service pause %d ms (from the freeze to the "
                  "end of the run); a new HTTP connection whose SYN was held "
                  "off meanwhile waits for QEMU's user network to send it "
                  "again (its back-off: seconds)" % pause)
        if rows:
            print("    relief phases (ms since prepare, and each phase's own "
                  "time):")
            prev = 0.0
            for name, ms in rows:
                print("      %-22s %10.1f  %+9.1f" % (name, ms, ms - prev))
                prev = ms
    for key, label, notes in (("kexec", "(b) systemctl kexec:", a.kexec_note),
                              ("kup", "(c) KUP-style:      ", a.kup_note)):
        if key not in res:
            continue
        k = res[key]
        print("%s http pause %6.2f s, redis pause %6.2f s (%s); http "
              "errors %d" % (label, k["http"]["pause"], k["redis"]["pause"],
                             redis_words(k["redis"]), k["http"]["errors"]))
        for note in notes or []:
            print("    " + note)
    if "kup" not in res:
        print("(c) KUP-style (CRIU dump, kexec, restore): not measured")

    def ratio(base, c):
        d = res[base][c]["pause"]
        return "%.3f" % (res["relief"][c]["pause"] / d) if d > 0 else "n/a"
    for base, words, target in (("kexec", "kexec", "0.1"),
                                ("kup", "KUP-style", "0.05")):
        if "relief" in res and base in res:
            print("ratios: relief/%s http %s, redis %s (target <= %s)" %
                  (words, ratio(base, "http"), ratio(base, "redis"), target))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--http", required=True)
    r.add_argument("--redis", type=int, required=True)
    r.add_argument("--out", required=True)
    q = sub.add_parser("report")
    q.add_argument("--relief")
    q.add_argument("--relief-log")
    q.add_argument("--kexec")
    q.add_argument("--kexec-note", action="append")
    q.add_argument("--kup")
    q.add_argument("--kup-note", action="append")
    a = p.parse_args()
    return run(a) if a.cmd == "run" else report(a)


if __name__ == "__main__":
    sys.exit(main())
