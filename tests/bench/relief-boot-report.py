#!/usr/bin/env python3
# relief-boot-report.py LOG CYCLES RTT_LINE VM_SECONDS - the table and
# ratios of tests/bench/relief-boot, from the console log the host stamped
# ("HOST_SECONDS line" per line) and mailbox_rtt's "rtt_us ..." line.
# Exits 1 naming what is missing; never judges a figure.
import re
import statistics
import sys
import time

log, cycles, rtt, vm_s = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
lines = []
for raw in open(log, encoding="utf-8", errors="replace"):
    t, _, text = raw.rstrip("\n").partition(" ")
    lines.append((float(t), text))


def die(why):
    sys.exit("relief-boot: FAIL: " + why)


# relief_sysfs.c's late_initcall line, printed by every relief kernel.
PROTO = re.compile(r"\[\s*(\d+\.\d+)\] relief [^ :]*: protocol \d+-\d+")
STABLE = re.compile(r"\[\s*(\d+\.\d+)\] sched_clock: Marking stable "
                    r"\(-?\d+, -?\d+\)->\(-?\d+, (-?\d+)\)")
notes = []


def tsc_clock(what, proto_ts, stable):
    """B's sched_clock (the TSC since its calibration) at the line.

    Until sched_clock is marked stable (itself a late_initcall), printk
    stamps come from a tick-clamped clock that falls behind when ticks come
    late, as they do under TCG while CPUs are brought up. Marking it stable
    keeps printk continuous by an offset, the last number of its line: a
    line stamped after it is exact once that offset is taken off.
    """
    if stable is None:
        notes.append("%s: no 'sched_clock: Marking stable' line: "
                     "printk time used" % what)
        return proto_ts
    s_ts, off_ns = stable
    if s_ts > proto_ts:
        notes.append("%s: sched_clock marked stable after the line: "
                     "printk time used" % what)
        return proto_ts
    return proto_ts - off_ns / 1e9


timing = {}            # cycle -> {phase: ns since prepare}, A's clock
bproto, bstable = {}, {}
for _, text in lines:
    m = re.match(r"relief-bench: cycle (\d+) timing (\S+) (\d+)$", text)
    if m:
        timing.setdefault(int(m[1]), {})[m[2]] = int(m[3])
    m = re.match(r"relief-bench: cycle (\d+) bline (.*)$", text)
    if m and PROTO.search(m[2]):
        bproto[int(m[1])] = float(PROTO.search(m[2])[1])
    if m and STABLE.search(m[2]):
        x = STABLE.search(m[2])
        bstable[int(m[1])] = (float(x[1]), int(x[2]))

relief_a, relief_print, relief_tsc, load = [], [], [], []
for c in range(1, cycles + 1):
    t = timing.get(c, {})
    if "started" not in t or "ready-to-relieve" not in t:
        die("cycle %d: A's timings lack started/ready-to-relieve: %s" % (c, t))
    if c not in bproto:
        die("cycle %d: no late_initcall line from B" % c)
    relief_a.append((t["ready-to-relieve"] - t["started"]) / 1e9)
    load.append(t["started"] / 1e9)
    relief_print.append(bproto[c])
    relief_tsc.append(tsc_clock("relief cycle %d" % c, bproto[c],
                                bstable.get(c)))

# The cold boot: everything after the guest's kexec marker.
k = next((i for i, (_, x) in enumerate(lines)
          if x == "relief-bench: kexec -e"), None)
if k is None:
    die("no kexec marker in the log")
t_kexec = lines[k][0]
after = lines[k + 1:]


def first(pat):
    for t, x in after:
        m = re.search(pat, x)
        if m:
            return t, m
    return None


banner = first(r"Linux version (\S+)")
proto = first(PROTO)
stable = first(STABLE)
init = first(r"relief-init: userspace up at ([\d.]+) s, kernel (\S+)")
if not banner or not proto or not init:
    die("the kexec'd boot lacks its banner, late_initcall line or init line")
if not banner[1][1].endswith("-relief-b") or \
        not init[1][2].endswith("-relief-b"):
    die("the kexec'd kernel is %s, not B" % banner[1][1])
cold_print = float(proto[1][1])
cold_tsc = tsc_clock("cold boot", cold_print,
                     (float(stable[1][1]), int(stable[1][2]))
                     if stable else None)


def row(what, vals, unit="s"):
    v = sorted(vals)
    if len(v) > 1:
        cells = ["%.3f" % v[0], "%.3f" % statistics.median(v), "%.3f" % v[-1]]
    else:
        cells = ["", "%.3f" % v[0], ""]
    print("%-50s %5d %8s %8s %8s %s" % (what, len(v), *cells, unit))


rt = dict(kv.split("=") for kv in rtt.split()[1:])
print("relief-boot %s: QEMU TCG -smp 4 -m 2G, kernel B %s, one VM run (%s s)"
      % (time.strftime("%Y-%m-%d %H:%M"), banner[1][1], vm_s))
print("%-50s %5s %8s %8s %8s" % ("", "n", "min", "median", "max"))
print("relief boot (B beside A on CPUs 2-3; rehearsal, abort)")
row("  A's clock: prepare -> started (park, load)", load)
row("  A's clock: started -> ready-to-relieve", relief_a)
row("  B's TSC clock: -> late_initcall line", relief_tsc)
row("  B's printk stamp of that line", relief_print)
print("cold boot (kexec -e into B: 4 CPUs, ACPI, PCI)")
row("  B's TSC clock: -> late_initcall line", [cold_tsc])
row("  B's printk stamp of that line", [cold_print])
row("  B's /proc/uptime at its init", [float(init[1][1])])
row("  host: kexec -e -> B's banner", [banner[0] - t_kexec])
row("  host: B's banner -> late_initcall line", [proto[0] - banner[0]])
row("  host: kexec -e -> late_initcall line", [proto[0] - t_kexec])
row("  host: kexec -e -> B's userspace (init's line)", [init[0] - t_kexec])
print("mailbox round trip: HOST USERSPACE, not in-kernel (in the kernels")
print("each side polls every 0.5-2 ms, which dominates an in-kernel round trip)")
print("%-50s %5s %8s %8s %8s us (p99 %s)"
      % ("  2 processes, HEARTBEAT over proto/, busy-poll", rt["n"],
         rt["min"], rt["median"], rt["max"], rt["p99"]))
for n in notes:
    print("note: " + n)
print("relief boot / cold boot (B's TSC clock to its late_initcall line): "
      "%.2fx" % (statistics.median(relief_tsc) / cold_tsc))
print("relief boot / cold boot (A: started -> ready-to-relieve / "
      "host: kexec -e -> late_initcall line): %.2fx"
      % (statistics.median(relief_a) / (proto[0] - t_kexec)))
