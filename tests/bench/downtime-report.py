#!/usr/bin/env python3
"""downtime-report.py - the table of tests/bench/downtime.

    downtime-report.py --vm DESC --seconds S --largest N
                       [--run "N DIR REGION TRANSFER"]... [--skip "N WHY"]...

For each size run, reads DIR/result.json (downtime-host.py: per phase the
longest wait of a heartbeat line for its echo, the longest gap between
echoes, where the pause began) and DIR/console.stamped (the consoles with
host stamps). For each phase it prints:

  pause     the longest wait of a line for its echo: the service pause as
            the host's TCP client sees it, its retransmission backoff
            included
  running   from the pause's beginning (the last echo before that line
            was sent) to the console line saying the workload runs again
            ("BENCH-MARK restored", B's "agent: restored"): the pause
            without the client's backoff
  gap       the longest gap between two successive echoes

and the console's steps during the pause; then one line per size with
relief's pause, the baseline's and their ratio (and the same for
"running"). A size that was not run is printed with its reason.
"""
import argparse
import json
import os
import re
import time

WHAT = {
    "warmup": "steady heartbeat, for reference",
    "criu-tmpfs": "criu dump + restore in place, images on tmpfs",
    "criu-disk": "criu dump to the data disk + sync, caches dropped, restore",
    "kexec-load": "kexec -l of kernel A, before the baseline's pause",
    "baseline": "KUP-style: dump to disk, kexec -e into A, boot, restore",
    "relief": "reliefctl swap --move to kernel B",
    "end": "kernel B, after the swap, for reference",
}
# Console lines that are steps, and how to show them.
STEPS = [
    (re.compile(r"^BENCH-MARK (\S+)(.*) at [0-9.]+$"), None),
    (re.compile(r"^.*Linux version (\S+)"), "banner {0}"),
    (re.compile(r"^relief-init: userspace up"), "init"),
    (re.compile(r"^\[ *[0-9.]+ s\] ([A-Z_]+( [A-Z_]+)?)\s*$"), "A: {0}"),
    (re.compile(r"^agent: (dumped|restored) .* in (\d+ ms)"),
     "agent {0} ({1})"),
]
RUNNING = re.compile(r"^(BENCH-MARK restored|agent: restored )")


def load(d):
    with open(os.path.join(d, "result.json")) as f:
        res = json.load(f)
    lines = []
    try:
        with open(os.path.join(d, "console.stamped"), newline="\n",
                  errors="replace") as f:
            for ln in f:
                t, log, text = (ln.rstrip("\n").split(" ", 2) + ["", ""])[:3]
                try:
                    lines.append((float(t), log, text.replace("\r", "")))
                except ValueError:
                    continue
    except OSError:
        pass
    return res, lines


def step(text):
    for rx, fmt in STEPS:
        m = rx.match(text)
        if not m:
            continue
        if fmt is None:
            extra = m.group(2).strip()
            return m.group(1) + (" (%s)" % extra if extra else "")
        return fmt.format(*m.groups())
    return None


def ms(v):
    return "%6.0f ms" % v if v is not None else "%9s" % "-"


def ratio(r, b):
    return "%.2f" % (r / b) if r is not None and b else "-"


def phase_figures(name, p, res, lines):
    """(pause ms or None, running ms or None, steps) of one phase."""
    starts = res.get("phase_starts", [])
    t_ph = min((t for t, nm in starts if nm == name), default=0)
    t_next = min((t for t, nm in starts if t > t_ph), default=float("inf"))
    lost = "lost_sent" in p
    pause = None if lost else p.get("max_wait_ms")
    t0 = p.get("pause_from")
    running = None
    if t0 is not None:
        for t, _, text in lines:
            if t0 < t < t_next and RUNNING.match(text):
                running = (t - t0) * 1000
                break
    t_end = p.get("wait_echoed") if not lost else (
        t0 + running / 1000 if running else t0)
    steps = []
    if t0 is not None and t_end is not None:
        for t, _, text in lines:
            if t_ph <= t <= t_end + 0.05:
                s = step(text)
                if s:
                    steps.append("%s %+.2f" % (s, t - t0))
        if not lost:
            steps.append("echo %+.2f" % (p["wait_echoed"] - t0))
        else:
            steps.append("the connection was lost")
    return pause, running, steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vm", default="")
    ap.add_argument("--seconds", type=int, default=0)
    ap.add_argument("--largest", type=int, default=0)
    ap.add_argument("--run", action="append", default=[])
    ap.add_argument("--skip", action="append", default=[])
    a = ap.parse_args()

    runs = []
    interval = None
    for r in a.run:
        n, d, region, transfer = r.split(" ")
        try:
            res, lines = load(d)
        except (OSError, ValueError) as e:
            res, lines = {"ok": False, "why": "no result: %s" % e,
                          "phases": {}}, []
        interval = interval or res.get("interval_ms")
        runs.append((int(n), d, region, transfer, res, lines))
    runs.sort()

    print("downtime %s: QEMU TCG q35 -smp 4 %s, one VM run per size (%d s "
          "in all); heartbeat: a line every %s ms from the host to "
          "echo-server and back (TCP, QEMU user network)"
          % (time.strftime("%Y-%m-%d %H:%M"), a.vm, a.seconds,
             "%g" % interval if interval else "?"))
    summary = []
    for n, d, region, transfer, res, lines in runs:
        print("%dM workload memory (relief_region=%sM, --transfer %sM): "
              "%d lines sent, %d echoed%s"
              % (n, region, transfer, res.get("sent", 0),
                 res.get("echoed", 0),
                 "" if res.get("ok") else "; INCOMPLETE: %s" % res["why"]))
        print("  %-11s %9s %9s %9s" % ("phase", "pause", "running", "gap"))
        fig = {}
        for name in res.get("order", []):
            p = res.get("phases", {}).get(name)
            if not p:
                continue
            pause, running, steps = phase_figures(name, p, res, lines)
            fig[name] = (pause, running)
            print("  %-11s %s %s %s  %s"
                  % (name, ms(pause) if "lost_sent" not in p else
                     "%9s" % "lost", ms(running), ms(p.get("max_gap_ms")),
                     WHAT.get(name, "")))
            if name not in ("warmup", "end") and steps:
                print("      s from the pause's beginning: "
                      + ", ".join(steps))
        m = [t for _, _, t in lines if t.startswith("service pause: ")]
        if m:
            print("  reliefctl swap (A's agent): %s" % m[0])
        rl, bl = fig.get("relief", (None, None)), \
            fig.get("baseline", (None, None))
        head = "%dM: relief %s, baseline %s" % (
            n, "%.0f ms" % rl[0] if rl[0] is not None else "not measured",
            "%.0f ms" % bl[0] if bl[0] is not None else "not measured")
        if res.get("ok") and rl[0] is not None and bl[0]:
            head += ", ratio %s" % ratio(rl[0], bl[0])
        else:
            head += ", no ratio (incomplete run: %s)" % res.get("why")
        if rl[1] is not None and bl[1]:
            head += "; running again after %.0f / %.0f ms, ratio %s" % (
                rl[1], bl[1], ratio(rl[1], bl[1]))
        summary.append(head)
    for s in a.skip:
        n, why = s.split(" ", 1)
        summary.append("%sM: NOT MEASURED: %s.%s" % (
            n, why, " The largest size that fits, %dM, was run instead."
            % a.largest if a.largest else ""))
    for s in summary:
        print(s)


if __name__ == "__main__":
    main()
