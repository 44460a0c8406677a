#!/usr/bin/env python3
"""host-type.py - the host types a line into the guest's first serial port.

    host-type.py --socket PATH [--ready PREFIX] [--timeout S] LOG

The guest's first UART (ttyS0) is a QEMU socket chardev at PATH, logged
to LOG (run-vm.sh --host-type). Waits (bounded) for a line
"TYPE-READY: TEXT" in LOG, connects to PATH, types TEXT and a newline, as
an operator at a serial console would, and keeps reading what the guest
sends there until it closes or the bound passes, so the port never
stalls. The guest judges what the typing did. Prints what it did; exits
0 if it typed. With --ready "MONITOR-READY: " and PATH QEMU's monitor
socket (run-vm.sh --host-monitor), the line is a monitor command instead,
system_powerdown say: the host presses the power button. Python 3
standard library only.
"""
import argparse
import os
import select
import socket
import sys
import time

READY = "TYPE-READY: "


def wait_ready(log, deadline, ready):
    """The text after the first READY line in LOG, or None at the deadline."""
    while time.monotonic() < deadline:
        try:
            with open(log, "rb") as f:
                for raw in f.read().decode("utf-8", "replace").splitlines():
                    line = raw.replace("\r", "")
                    if line.startswith(ready):
                        return line[len(ready):]
        except OSError:
            pass
        time.sleep(0.2)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--ready", default=READY)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("log")
    a = ap.parse_args()
    deadline = time.monotonic() + a.timeout
    text = wait_ready(a.log, deadline, a.ready)
    if text is None:
        print(f"host-type: no '{a.ready}' line within {a.timeout:.0f} s")
        return 1
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(a.socket)
    except OSError as e:
        print(f"host-type: cannot connect to {a.socket}: {e}")
        return 1
    s.sendall(text.encode() + b"\n")
    print(f"host-type: typed {text!r}")
    sys.stdout.flush()
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 1.0)
        if r and not s.recv(4096):
            break
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
