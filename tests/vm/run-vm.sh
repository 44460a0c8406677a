#!/usr/bin/env bash
# run-vm.sh - boot a relief kernel under QEMU (TCG), run one guest scenario,
# collect the serial logs, and exit with the guest's verdict.
#
#   run-vm.sh --name NAME --kernel BZIMAGE --initrd CPIO --script GUEST.sh
#             [--env VAR=VALUE]... [--append ARGS] [--smp N] [--mem SIZE]
#             [--numa N] [--disk IMG|new:SIZE] [--hostfwd GUESTPORT] [--pci-tree]
#             [--timeout S] [--host-echo] [--host-type] [--host-monitor]
#             [--expect-reset] [--expect-poweroff] [--expect-sysrq]
#             [--expect-panic] [--qemu-debug ITEMS] [--interactive]
#
# The guest script reaches the guest through fw_cfg (opt/relief/script),
# preceded by the --env assignments. ttyS0 is the running kernel's console,
# ttyS1 is reserved for a relieving kernel; both are logged under
# out/vm/NAME/. After a full swap the scenario ends in kernel B, so the
# verdict and the PASS:/FAIL: lines may come from either console: both are
# read, A's (ttyS0) first. Guest lines starting with PASS:/FAIL: are echoed
# with the scenario name. Waits are staged, each bounded, each failure says
# which stage did not happen; a guest that misses a bound is killed. After
# B's verdict QEMU is stopped, unless one of these says how B ends it:
#
# --expect-reset: a verdict from kernel B is followed by B's `reboot -f`
# (relief.reset_after on B's command line), which must reset the machine:
# QEMU (-no-reboot) exits within 30 s, B's console saying it restarts.
# --expect-poweroff: likewise B's `poweroff -f` (relief.poweroff_after),
# which must power the machine off, B's console saying "Power down".
# --expect-panic: likewise B's init exiting (relief.panic_after), a panic
# that must reset the machine after panic=N, B saying "Rebooting in".
# --expect-sysrq: likewise B's sysrq b (relief.sysrq_after), B saying
# "sysrq: Resetting".
#
# --host-echo (needs --hostfwd PORT): tests/vm/host-echo.py holds a TCP
# connection to the guest's echo service through the port forward from
# the guest's "ECHO-READY" line until its "ECHO-DONE" (or verdict), and
# judges it (its PASS:/FAIL: lines join the guest's; it prints the longest
# pause seen). The guest script gets HOST_ECHO=1.
#
# --host-type: ttyS0 is a socket the host can type into as well as a log;
# tests/vm/host-type.py types the text of the guest's "TYPE-READY: TEXT"
# line there (an operator at the serial console). The guest script gets
# HOST_TYPE=1 and judges what the typing did.
#
# --host-monitor: QEMU's monitor is a socket; host-type.py sends the
# command of the guest's "MONITOR-READY: COMMAND" line there
# (system_powerdown: the power button). The guest gets HOST_MONITOR=1.
#
# --pci-tree: the NIC sits behind a PCIe root port (bus 1) and the disk
# behind a PCIe switch under another (bus 4), as on a server, instead of
# both on root bus 0.
#
# --qemu-debug ITEMS (or RELIEF_QEMU_DEBUG=ITEMS in the environment):
# QEMU's -d ITEMS (e.g. cpu_reset,guest_errors), logged to
# out/vm/NAME/qemu-debug.log, whose end is shown when QEMU exits early;
# for a guest that resets or dies without a word on either console.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)

name= kernel= initrd= script= append= smp=4 mem=2G numa=0 disk= hostfwd=
timeout=300 interactive=0 host_echo=0 host_type=0 host_monitor=0 expect_end= envs=()
pci_tree=0
qemu_debug=${RELIEF_QEMU_DEBUG:-}
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--script) script=$2; shift ;;
	--env) envs+=("$2"); shift ;;
	--append) append=$2; shift ;;
	--smp) smp=$2; shift ;;
	--mem) mem=$2; shift ;;
	--numa) numa=$2; shift ;;
	--disk) disk=$2; shift ;;
	--hostfwd) hostfwd=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--interactive) interactive=1 ;;
	--pci-tree) pci_tree=1 ;;
	--host-echo) host_echo=1 ;;
	--host-type) host_type=1; envs+=(HOST_TYPE=1) ;;
	--host-monitor) host_monitor=1; envs+=(HOST_MONITOR=1) ;;
	--expect-reset) expect_end=reset ;;
	--expect-poweroff) expect_end=poweroff ;;
	--expect-sysrq) expect_end=sysrq ;;
	--expect-panic) expect_end=panic ;;
	--qemu-debug) qemu_debug=$2; shift ;;
	*) echo "run-vm.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "run-vm.sh: $*" >&2; exit 2; }
[ -n "$name" ] && [ -n "$kernel" ] && [ -n "$initrd" ] || die "need --name, --kernel and --initrd"
[ -r "$kernel" ] || die "kernel image $kernel missing: run 'make kernel'"
[ -r "$initrd" ] || die "initramfs $initrd missing: run 'make kernel'"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 missing: apt-get install qemu-system-x86"
if [ "$host_echo" = 1 ]; then
	[ -n "$hostfwd" ] || die "--host-echo needs --hostfwd PORT"
	envs+=(HOST_ECHO=1)
fi

dir=$top/out/vm/$name
rm -rf "$dir" && mkdir -p "$dir"
log0=$dir/ttyS0.log log1=$dir/ttyS1.log

args=(-accel tcg -M q35 -smp "$smp" -m "$mem" -no-reboot
	-display none -monitor none -nodefaults
	-kernel "$kernel" -initrd "$initrd")
if [ "$numa" -gt 1 ]; then
	# Split CPUs and memory evenly over NUMA nodes (e.g. -smp 4 --numa 2).
	per=$((smp / numa)) msize=$(( ${mem%G} * 1024 / numa ))
	for n in $(seq 0 $((numa - 1))); do
		args+=(-object "memory-backend-ram,id=m$n,size=${msize}M"
			-numa "node,nodeid=$n,memdev=m$n,cpus=$((n * per))-$((n * per + per - 1))")
	done
fi
if [ "$interactive" = 1 ]; then
	args+=(-serial mon:stdio -serial "file:$log1")
elif [ "$host_type" = 1 ]; then
	args+=(-chardev "socket,id=s0,path=$dir/ttyS0.sock,server=on,wait=off,logfile=$log0"
		-serial chardev:s0 -serial "file:$log1")
else
	args+=(-serial "file:$log0" -serial "file:$log1")
fi
fwd=
if [ -n "$hostfwd" ]; then
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	fwd=",hostfwd=tcp:127.0.0.1:$port-:$hostfwd"
	echo "$port" > "$dir/hostport"
fi
nic_bus= disk_bus=
if [ "$pci_tree" = 1 ]; then
	# Root port rp1 (00:04.0, bus 1): the NIC. Root port rp2 (00:05.0,
	# bus 2), a switch's upstream port (bus 3) and downstream ports
	# (buses 4, 5): the disk on bus 4.
	args+=(-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x4,chassis=1
		-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x5,chassis=2
		-device x3130-upstream,id=up1,bus=rp2
		-device xio3130-downstream,id=dn1,bus=up1,chassis=3,slot=1
		-device xio3130-downstream,id=dn2,bus=up1,chassis=3,slot=2)
	nic_bus=,bus=rp1 disk_bus=,bus=dn1
fi
args+=(-netdev "user,id=n0$fwd" -device "virtio-net-pci,netdev=n0$nic_bus")
# A device whose driver (pvpanic-pci) has no freeze callback, as lpc_ich
# on a server: a swap hands it over by unbinding it (relief_devices.c).
# At 00:09.0, so that no other device's address moves. Its panic event
# changes nothing here (-action panic=none): a guest that panics reboots
# itself (panic=N) or, a relieving kernel, tells the other (rollback).
args+=(-device pvpanic-pci,addr=0x9 -action panic=none)
if [ "${disk#new:}" != "$disk" ]; then
	# A fresh ext4 data disk for this run (virtio-blk, /dev/vda in the guest).
	command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 missing: apt-get install e2fsprogs"
	img=$dir/data.img
	truncate -s "${disk#new:}" "$img" && mkfs.ext4 -q -F -L relief-data "$img" ||
		die "cannot make a ${disk#new:} ext4 image"
	disk=$img
fi
[ -z "$disk" ] || args+=(-drive "file=$disk,if=none,id=d0,format=raw"
	-device "virtio-blk-pci,drive=d0$disk_bus")
if [ -n "$script" ]; then
	{ printf '%s\n' "${envs[@]}"; cat "$script"; } > "$dir/scenario.sh"
	args+=(-fw_cfg "name=opt/relief/script,file=$dir/scenario.sh")
fi
[ -z "$qemu_debug" ] || args+=(-d "$qemu_debug" -D "$dir/qemu-debug.log")
[ "$host_monitor" = 0 ] || args+=(-monitor "unix:$dir/monitor.sock,server=on,wait=off")
args+=(-append "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 panic=-1 $append")
printf '%q ' qemu-system-x86_64 "${args[@]}" > "$dir/qemu.cmd"

if [ "$interactive" = 1 ]; then
	exec qemu-system-x86_64 "${args[@]}"
fi

qemu-system-x86_64 "${args[@]}" > "$dir/qemu.log" 2>&1 &
qpid=$!
echo_pid=
if [ "$host_echo" = 1 ]; then
	# Its own bound: the guest's, plus the stages before the scenario.
	python3 "$top/tests/vm/host-echo.py" --port-file "$dir/hostport" \
		--timeout $((timeout + 240)) "$log0" "$log1" > "$dir/host-echo.log" 2>&1 &
	echo_pid=$!
fi
mon_pid=
if [ "$host_monitor" = 1 ]; then
	python3 "$top/tests/vm/host-type.py" --socket "$dir/monitor.sock" \
		--ready "MONITOR-READY: " --timeout $((timeout + 240)) "$log0" \
		> "$dir/host-monitor.log" 2>&1 &
	mon_pid=$!
fi
type_pid=
if [ "$host_type" = 1 ]; then
	python3 "$top/tests/vm/host-type.py" --socket "$dir/ttyS0.sock" \
		--timeout $((timeout + 240)) "$log0" > "$dir/host-type.log" 2>&1 &
	type_pid=$!
fi
cleanup() {
	[ -z "$type_pid" ] || kill "$type_pid" 2>/dev/null || true
	[ -z "$mon_pid" ] || kill "$mon_pid" 2>/dev/null || true
	[ -z "$echo_pid" ] || kill "$echo_pid" 2>/dev/null || true
	kill "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
}
trap cleanup EXIT
start=$(date +%s)

tail_log() {
	local l
	for l in "$log0" "$log1"; do
		[ -s "$l" ] || continue
		echo "--- last lines of ${l#"$top"/}:"
		tail -n 15 "$l" | tr -d '\r' | sed 's/^/    /'
	done
}

# wait_for PATTERN BOUND WHAT LOG...: poll the consoles until PATTERN
# appears in one of them; fail with WHAT if BOUND seconds pass or QEMU
# exits first.
wait_for() {
	local pat=$1 bound=$2 what=$3 t0
	shift 3
	t0=$(date +%s)
	while ! grep -qa -- "$pat" "$@" 2>/dev/null; do
		if ! kill -0 "$qpid" 2>/dev/null; then
			grep -qa -- "$pat" "$@" 2>/dev/null && return 0
			echo "FAIL: $name: QEMU exited before $what"
			sed 's/^/    qemu: /' "$dir/qemu.log"; tail_log
			[ ! -s "$dir/qemu-debug.log" ] ||
				tail -n 40 "$dir/qemu-debug.log" | sed 's/^/    qemu -d: /'
			return 1
		fi
		if [ $(( $(date +%s) - t0 )) -ge "$bound" ]; then
			echo "FAIL: $name: $what did not happen within $bound s; guest killed"
			tail_log; return 1
		fi
		sleep 0.2
	done
}

# report FILE...: the PASS:/FAIL: lines of each file in turn, named.
report() {
	cat "$@" 2>/dev/null | tr -d '\r' | grep -aE '^(PASS|FAIL): ' |
		sed "s/^\(PASS\|FAIL\): /\1: $name: /" || true
}

rc=0 finished=0
wait_for "Linux version" 60 "the kernel printing its banner" "$log0" &&
	wait_for "relief-init: userspace up" 120 "the guest reaching its init" "$log0" &&
	wait_for "RELIEF-VERDICT:" "$timeout" "the scenario finishing" "$log0" "$log1" &&
	finished=1 || rc=1
# Which kernel gave the verdict: A powers off after it, B reboots or
# powers off as told. B's is on ttyS1, or on ttyS0 once B took A's
# console: then B's init said it ran the after-script there first.
from=
grep -qa "RELIEF-VERDICT:" "$log0" 2>/dev/null && from=a
grep -qa "RELIEF-VERDICT:" "$log1" 2>/dev/null && from=b
grep -qa "relief-init: B relieved A; running" "$log0" "$log1" 2>/dev/null && from=b
if [ -n "$echo_pid" ]; then
	# host-echo sees the verdict too and ends with a last round trip.
	if [ $finished = 1 ]; then
		for _ in $(seq 300); do kill -0 "$echo_pid" 2>/dev/null || break; sleep 0.1; done
	fi
	if kill -0 "$echo_pid" 2>/dev/null; then
		kill "$echo_pid" 2>/dev/null
		if [ $finished = 1 ]; then
			echo "FAIL: host-echo: did not finish within 30 s of the verdict"
		else
			echo "FAIL: host-echo: stopped, the guest gave no verdict"
		fi
	fi >> "$dir/host-echo.log"
	wait "$echo_pid" 2>/dev/null || true
	echo_pid=
fi
report "$log0" "$log1"
if [ -s "$dir/host-echo.log" ]; then
	report "$dir/host-echo.log"
	grep -q '^FAIL: ' "$dir/host-echo.log" && rc=1
	grep -q '^PASS: ' "$dir/host-echo.log" || rc=1
	sed -n "s/^pause_ms /# $name: host-echo: longest pause (ms): /p" "$dir/host-echo.log"
fi
if [ $finished = 1 ]; then
	# One verdict, A's or B's; should both have given one, both count.
	verdicts=$(cat "$log0" "$log1" 2>/dev/null | tr -d '\r' | grep -a "RELIEF-VERDICT:")
	while read -r v; do
		case $v in
		*"RELIEF-VERDICT: PASS"*) ;;
		*) echo "FAIL: $name: guest verdict: ${v#*RELIEF-VERDICT: }"; rc=1 ;;
		esac
	done <<< "$verdicts"
	[ $rc = 0 ] || tail_log
fi
how=
if [ -n "$expect_end" ] && [ "$from" = b ]; then
	# What B's command (reboot -f, poweroff -f) must end in, and what
	# the kernel says on the way.
	case $expect_end in
	reset) cmd="reboot -f" said="reboot: Restarting system" did="reset" ;;
	panic) cmd="panic (init exited)" said="Rebooting in" did="reset" ;;
	sysrq) cmd="sysrq b" said="sysrq: Resetting" did="reset" ;;
	*) cmd="poweroff -f" said="reboot: Power down" did="powered off" ;;
	esac
	for _ in $(seq 300); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$qpid" 2>/dev/null; then
		echo "FAIL: $name: B's $cmd did not end the machine within 30 s"
		tail_log
		rc=1
	elif grep -qa "$said" "$log0" "$log1"; then
		echo "PASS: $name: B's $cmd $did the machine (QEMU exited)"
		how=", B $did the machine"
	else
		echo "FAIL: $name: QEMU exited after B's verdict, but B never said \"$said\""
		rc=1
	fi
elif [ -n "$expect_end" ] && [ $finished = 1 ]; then
	# Never skip the check silently: it is there to be made.
	echo "FAIL: $name: --expect-$expect_end, but the verdict did not come from kernel B"
	rc=1
elif [ "$from" = a ]; then
	# A powers off after its verdict; give QEMU a bounded moment.
	for _ in $(seq 50); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
elif [ "$from" = b ]; then
	how=", QEMU stopped after B's verdict"
fi
echo "# $name: $(( $(date +%s) - start )) s, logs in ${dir#$top/}/$how"
exit $rc
