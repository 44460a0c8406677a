# rollback: a dry run changes nothing, and a failure after the commit puts
# everything back on kernel A.
# Kernel B is made to fail its restore, to panic instead, to fall silent,
# or to fail to bring up a device (reliefctl swap --inject FAULT@STEP; the
# test kernels are built with CONFIG_RELIEF_DEBUG_INJECT). Each time A has already dumped the moving
# ticker, let go of its devices and parked CPUs 1-3; each time the swap must
# end ROLLED_BACK with the reason, the ticker resumed in A with its pid,
# child and sequence, all 4 CPUs and both devices back, and a counter
# writing to the data disk all along must show no gap. Then a tree whose
# pages do not fit the transfer area rolls back with DUMP_FAILED, and a B
# whose agent never starts is not ready to relieve: it aborts before the
# commit.
# Needs A booted with relief_region=512M no_ipi_broadcast=1 and a data disk
# (vm.mk).
b="/boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz"
seq_past() { [ "$(field seq "$(tickq @relief-ticker)")" -gt "$1" ]; }

mkdir -p /mnt/data
check "the data disk mounts" mount -t ext4 /dev/vda /mnt/data
echo 1000 > /proc/sys/kernel/ns_last_pid
counter /mnt/data/count 20 &
kpid=$!
tpid=$(ticker @relief-ticker 20)
check "ticker started (pid $tpid)" [ -n "$tpid" ]
t0=$(tickq @relief-ticker)
cpid=$(field child "$t0")
check "ticker has its child (pid $cpid)" [ "${cpid:-0}" -gt 0 ]

# A dry run first: it shows the plan and changes nothing.
reliefctl swap $b --move "$tpid" --dry-run > /tmp/dry.out 2>&1
check "the dry run succeeds (exit $?)" [ $? -eq 0 ]
cat /tmp/dry.out
check "... shows the ticker's tree" grep -q "^  tree $tpid (ticker)" /tmp/dry.out
check "... and the devices that move" grep -q "^devices: 0000:00:0[12].0 (virtio-pci): handed over" /tmp/dry.out
check "... pvpanic-pci by unbinding it (no freeze in its driver)" \
	grep -q "^ *0000:00:09.0 (pvpanic-pci): handed over to kernel B (unbound here" /tmp/dry.out
check "... and says nothing was changed" grep -q "^dry run: nothing was changed" /tmp/dry.out
check "after the dry run: no run (state IDLE)" grep -q '^IDLE' /sys/kernel/relief/state
check "... all 4 CPUs online" cpus_back
check "... the ticker not stopped" sh -c "! grep -q '^State:.*T' /proc/$tpid/status"
check "... and the devices still bound here" [ -e /sys/bus/pci/devices/0000:00:02.0/driver ]

for fault in restore/fail:RESTORE_FAILED restore/panic:PANIC \
	restore/silent:TIMEOUT bind/fail:DEVICE_FAILED; do
	step=${fault%%/*} f=${fault#*/} f=${f%%:*} why=${fault#*:}
	before=$(field seq "$(tickq @relief-ticker)")
	kept=$(dmesg | grep -c "handed over in place are this kernel's again")
	reliefctl swap $b --move "$tpid" --timeout 10 --quiet \
		--inject "$f@$step" > "/tmp/swap-$f-$step.out" 2>&1
	rc=$?
	state=$(cat /sys/kernel/relief/state)
	check "$f@$step: the swap fails (exit $rc)" [ "$rc" -eq 1 ]
	check "$f@$step: ROLLED_BACK $why (state $state)" [ "$state" = "ROLLED_BACK $why" ]
	check "$f@$step: A had committed (it dumped and let go of its devices)" \
		sh -c "dmesg | grep -q 'device .* let go' && grep -q '^  dumped' /tmp/swap-$f-$step.out"
	check "$f@$step: the summary says rolled back" grep -q "rolled back" "/tmp/swap-$f-$step.out"
	check "$f@$step: the ticker's pages were left in place" \
		grep -q "page images (.*) left in place" "/tmp/swap-$f-$step.out"
	check "$f@$step: ... and A let go of its hold on them" \
		[ "$(dmesg | grep -c "handed over in place are this kernel's again")" -gt "$kept" ]
	check "$f@$step: all 4 CPUs back" wait_until 10 cpus_back
	check "$f@$step: ticker $tpid resumed in A" kill -0 "$tpid"
	t=$(tickq @relief-ticker)
	check "$f@$step: ... with its child $cpid" [ "$(field child "$t")" = "$cpid" ]
	check "$f@$step: ... no gap in its sequence" [ "$(field gaps "$t")" = 0 ]
	check "$f@$step: ... and it ticks on past $before" wait_until 10 seq_past "$before"
	check "$f@$step: eth0 back" [ -e /sys/class/net/eth0 ]
	check "$f@$step: the data disk is back" sh -c 'echo x > /mnt/data/probe && sync'
	dmesg | grep -q "taken back"
	check "$f@$step: A took both devices back" [ $? -eq 0 ]
	check "$f@$step: ... and probed pvpanic-pci again, which it had unbound" \
		[ -e /sys/bus/pci/devices/0000:00:09.0/driver ]
done

# A tree whose pages do not fit the transfer area: criu's dump runs out of
# it (append windows, the pages copied: --copy-pages), the swap rolls
# back, the tree runs on in A.
bpid=$(echo-server 7777 24)
check "a 24 MiB echo-server started (pid $bpid)" [ -n "$bpid" ]
reliefctl swap $b --move "$bpid" --transfer 8M --copy-pages --timeout 10 \
	--quiet > /tmp/swap-full.out 2>&1
rc=$?
state=$(cat /sys/kernel/relief/state)
check "pages beyond the area: the swap fails (exit $rc)" [ "$rc" -eq 1 ]
check "... ROLLED_BACK DUMP_FAILED (state $state)" [ "$state" = "ROLLED_BACK DUMP_FAILED" ]
check "... saying the page images fill the area" \
	grep -q "the page images fill the 8388608-byte transfer area" /tmp/swap-full.out
check "... all 4 CPUs back" wait_until 10 cpus_back
check "... the echo-server runs on in A" sh -c "kill -0 $bpid && ! grep -q '^State:.*T' /proc/$bpid/status"
kill "$bpid"

# B whose agent never comes (relief.noagent: its init starts none) is not
# ready to relieve: it aborts within its deadline, before the commit.
reliefctl swap $b --move "$tpid" --timeout 5 --quiet --append relief.noagent \
	> /tmp/swap-noagent.out 2>&1
rc=$?
state=$(cat /sys/kernel/relief/state)
check "no agent in B: the swap fails (exit $rc)" [ "$rc" -eq 1 ]
# A's deadline for READY and B's for its agent are the same: either side
# may give up first (TIMEOUT in A, INTERNAL in B); never a commit.
check "no agent in B: ABORTED before the commit (state $state)" \
	sh -c "case '$state' in 'ABORTED TIMEOUT'|'ABORTED INTERNAL') ;; *) exit 1 ;; esac"
check "no agent in B: nothing was dumped" sh -c "! grep -q '^  dumped' /tmp/swap-noagent.out"
check "no agent in B: all 4 CPUs back" wait_until 10 cpus_back
check "no agent in B: the ticker never stopped" sh -c "! grep -q '^State:.*T' /proc/$tpid/status"
check "no agent in B: the devices stayed bound" [ -e /sys/bus/pci/devices/0000:00:02.0/driver ]

kill "$kpid"
wait "$kpid" 2>/dev/null
sync
n=$(wc -l < /mnt/data/count)
check "the counter on the data disk wrote $n lines without a gap" \
	awk 'NR != $1 { exit 1 }' /mnt/data/count
check "... through all six swaps (more than 100 lines)" [ "$n" -gt 100 ]
check "uname -r is still A's" [ "$(uname -r)" = "$EXPECT_RELEASE" ]
finish
