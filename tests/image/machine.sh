# shellcheck shell=bash
# tests/image/machine.sh - the Debian test machine under QEMU, for the host
# side of its tests, its benchmark and the demo (sourced, not run).
#
#   machine_start NAME [QEMU ARGS...]  boot a copy-on-write overlay of
#                                      build/image/disk.img from its disk
#   machine_wait_ssh BOUND             until sshd answers, or fail
#   machine_ssh [SSH ARGS...] CMD      run CMD as root on the machine
#   machine_port GUESTPORT             the host port forwarded to it
#   machine_stop                       power it off (bounded), then kill
#   machine_release deb-a|deb-b        uname -r of kernel package A or B
#   machine_swap BOUND ARGS...         reliefctl swap ARGS on the machine,
#                                      until its summary (bounded)
#
# The machine is the issue's server: q35, 4 CPUs in 2 NUMA nodes, 4 GiB;
# the NVMe root disk behind PCIe root port rp3 (bus 6), the virtio NIC
# behind rp1 (bus 1), a virtio data disk (ext4, LABEL=relief-data, made
# for each run) behind a PCIe switch under rp2 (bus 4), and pvpanic-pci on
# bus 0 (a driver without freeze, as lpc_ich on a server). It boots as a
# server does: SeaBIOS, GRUB from the disk, kernel A from /boot with the
# command line update-grub wrote. ttyS0 (the console) and ttyS1 (a
# relieving kernel's) are logged in out/image/NAME/. Ports 22, 80 and
# 6379 are forwarded from 127.0.0.1.

machine_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
machine_dir='' machine_pid='' machine_ports=() machine_swap_s=0
machine_key=$machine_top/build/image/ssh/id_ed25519

# The kernel packages' releases follow their pinned Debian versions:
# 6.12.117-1~deb12u1 builds 6.12.117-relief.
machine_release() {
	local v
	v=$("$machine_top/kernel/source.sh" --version "$1") || return 1
	echo "${v%%-*}-relief"
}

machine_die() { echo "FAIL: machine: $*"; machine_tail; return 1; }

# The end of both consoles, for a failure's message.
machine_tail() {
	local l
	for l in "$machine_dir"/ttyS0.log "$machine_dir"/ttyS1.log; do
		[ -s "$l" ] || continue
		echo "--- last lines of ${l#"$machine_top"/}:"
		tail -n 15 "$l" | tr -d '\r' | sed 's/^/    /'
	done
}

machine_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

machine_start() {
	local name=$1 disk=$machine_top/build/image/disk.img fwd='' p g
	shift
	[ -r "$disk" ] || { echo "FAIL: machine: $disk missing: run 'make image'"; return 1; }
	machine_dir=$machine_top/out/image/$name
	rm -rf "$machine_dir" && mkdir -p "$machine_dir"
	qemu-img create -q -f qcow2 -F raw -b "$disk" "$machine_dir/root.qcow2" ||
		{ echo "FAIL: machine: cannot make an overlay of $disk"; return 1; }
	truncate -s 256M "$machine_dir/data.img"
	mkfs.ext4 -q -F -L relief-data "$machine_dir/data.img"
	machine_ports=()
	for g in 22 80 6379; do
		p=$(machine_free_port)
		machine_ports+=("$g:$p")
		fwd+=",hostfwd=tcp:127.0.0.1:$p-:$g"
	done
	local args=(-accel tcg -M q35 -smp 4 -m 4G -no-reboot
		-display none -monitor none -nodefaults
		-object "memory-backend-ram,id=m0,size=2G"
		-numa "node,nodeid=0,memdev=m0,cpus=0-1"
		-object "memory-backend-ram,id=m1,size=2G"
		-numa "node,nodeid=1,memdev=m1,cpus=2-3"
		-serial "file:$machine_dir/ttyS0.log" -serial "file:$machine_dir/ttyS1.log"
		-device "pcie-root-port,id=rp1,bus=pcie.0,addr=0x4,chassis=1"
		-device "pcie-root-port,id=rp2,bus=pcie.0,addr=0x5,chassis=2"
		-device "x3130-upstream,id=up1,bus=rp2"
		-device "xio3130-downstream,id=dn1,bus=up1,chassis=3,slot=1"
		-device "xio3130-downstream,id=dn2,bus=up1,chassis=3,slot=2"
		-device "pcie-root-port,id=rp3,bus=pcie.0,addr=0x6,chassis=4"
		-netdev "user,id=n0$fwd" -device "virtio-net-pci,netdev=n0,bus=rp1"
		-drive "file=$machine_dir/data.img,if=none,id=data,format=raw"
		-device "virtio-blk-pci,drive=data,bus=dn1"
		-drive "file=$machine_dir/root.qcow2,if=none,id=root,format=qcow2"
		-device "nvme,drive=root,serial=relief-root,bus=rp3,bootindex=0"
		-device "pvpanic-pci,addr=0x9" -action panic=none
		"$@")
	printf '%q ' qemu-system-x86_64 "${args[@]}" > "$machine_dir/qemu.cmd"
	qemu-system-x86_64 "${args[@]}" > "$machine_dir/qemu.log" 2>&1 &
	machine_pid=$!
}

machine_port() {
	local m
	for m in "${machine_ports[@]}"; do
		[ "${m%%:*}" = "$1" ] && { echo "${m#*:}"; return 0; }
	done
	return 1
}

machine_ssh() {
	ssh -i "$machine_key" -p "$(machine_port 22)" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=10 -o ServerAliveInterval=5 \
		-o ServerAliveCountMax=6 root@127.0.0.1 "$@"
}

machine_scp() {
	scp -q -i "$machine_key" -P "$(machine_port 22)" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR "$@"
}

# machine_wait_ssh BOUND: sshd answering a command is the machine up.
machine_wait_ssh() {
	local bound=$1 t0
	t0=$(date +%s)
	until machine_ssh -o ConnectTimeout=3 true 2>/dev/null; do
		kill -0 "$machine_pid" 2>/dev/null ||
			{ machine_die "QEMU exited before sshd answered"; return 1; }
		[ $(( $(date +%s) - t0 )) -lt "$bound" ] ||
			{ machine_die "sshd did not answer within $bound s"; return 1; }
		sleep 1
	done
	echo "# machine: sshd answered $(( $(date +%s) - t0 )) s after QEMU started"
}

machine_stop() {
	[ -n "$machine_pid" ] || return 0
	if kill -0 "$machine_pid" 2>/dev/null; then
		machine_ssh systemctl poweroff > /dev/null 2>&1 || true
		for _ in $(seq 300); do kill -0 "$machine_pid" 2>/dev/null || break; sleep 0.1; done
		kill "$machine_pid" 2>/dev/null || true
	fi
	wait "$machine_pid" 2>/dev/null || true
	machine_pid=''
}

# machine_swap BOUND ARGS...: `reliefctl swap ARGS` from an ssh session
# that dies with kernel A: its output goes to A's console (ttyS0), where
# the host reads it; a relieving kernel's console is ttyS1. Waits for the
# summary, the last thing it prints (done, rolled back or aborted), at
# most BOUND seconds. Return: 0 if the swap is done, 1 if it ended
# otherwise or not within BOUND (said, with both consoles' ends).
machine_swap() {
	local bound=$1 t0
	shift
	machine_ssh "setsid reliefctl swap $* < /dev/null > /dev/ttyS0 2>&1 &"
	t0=$(date +%s)
	until grep -qa "^summary: " "$machine_dir"/ttyS*.log 2>/dev/null; do
		if [ $(( $(date +%s) - t0 )) -ge "$bound" ] || ! kill -0 "$machine_pid" 2>/dev/null; then
			machine_die "the swap did not end within $bound s"
			return 1
		fi
		sleep 1
	done
	# shellcheck disable=SC2034 # for the caller: how long the swap took
	machine_swap_s=$(( $(date +%s) - t0 ))
	grep -qa "^summary: the swap is done" "$machine_dir"/ttyS*.log && return 0
	machine_die "the swap did not relieve A: $(grep -ah 'the swap ended:\|^summary: \|failed' "$machine_dir"/ttyS*.log | head -3 | tr '\n' ' ')"
}
