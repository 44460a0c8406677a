#!/usr/bin/env python3
"""tests/image/redis-client.py PORT [PERIOD] - a redis client on the host,
on one TCP connection through QEMU's port forward, for as long as it runs
(SIGINT or SIGTERM ends it).

It first stores a key (the dataset a swap must keep), then sends INCR on a
counter every PERIOD seconds (0.1) and GET of the key every tenth time,
each on the same connection, waiting at most 60 s for each reply. One
line per reply:

  ok N bad B gap_ms G value V

(N replies, B errors, G the longest time between two replies, V the
counter). A reply that is not the next count or not the key's value, a
reset or a timeout is an error: it prints "error: ..." and ends, as a
client whose connection broke would.
"""
import signal
import socket
import sys
import time

from resp import command

KEY = b"relief:dataset"
VALUE = b"kept across the swap"


def main():
    port = int(sys.argv[1])
    period = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    f = s.makefile("rb")
    if command(s, f, b"SET", KEY, VALUE) != b"OK":
        print("error: SET refused", flush=True)
        return 1
    ok = bad = 0
    gap = 0.0
    value = None
    last = time.monotonic()
    while not stop:
        try:
            v = command(s, f, b"INCR", b"relief:counter")
            if value is not None and v != value + 1:
                raise RuntimeError("counter %d after %d" % (v, value))
            value = v
            if ok % 10 == 0 and command(s, f, b"GET", KEY) != VALUE:
                raise RuntimeError("the dataset's key changed")
        except Exception as e:  # a reset, a timeout, a wrong reply
            bad += 1
            print("error: %s" % e, flush=True)
            print("ok %d bad %d gap_ms %.0f value %s" %
                  (ok, bad, gap * 1000, value), flush=True)
            return 1
        ok += 1
        now = time.monotonic()
        gap = max(gap, now - last)
        last = now
        print("ok %d bad %d gap_ms %.0f value %d" %
              (ok, bad, gap * 1000, value), flush=True)
        time.sleep(period)
    return 0


if __name__ == "__main__":
    sys.exit(main())
