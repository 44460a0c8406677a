# bad-images: a bad kernel image never takes the machine down. Each one is
# refused before anything is offlined, with one line naming what is wrong
# and exit 3: cut short at several places, a bit flipped in the payload and
# in the header, zero-padded, a stock Debian kernel, an arm64 kernel (both
# from the data disk: tests/vm/foreign-kernels.sh), B re-marked as a relief
# kernel too new and too old (tests/vm/remark-image.py, on the same disk),
# and the kernel built without relief. The kernel's own checks refuse them too when asked with
# no reliefctl in between (relief-ioctl). Images that pass every check and
# die early (--inject fault@entry: at B's first instruction, before it has
# an IDT; fault@early: in B's early boot; panic@early; B's userspace
# rebooting) end the run at once, saying where B died. Then RELIEF_MUTANTS copies of B mutated at random:
# each refused or aborted, the count of each outcome printed. Through all
# of it A keeps every CPU, a counter counts without a gap, and MemFree
# (with the per-CPU free lists, lib.sh's free_kb) stays within 1%.
b=/boot/vmlinuz-relief-b
i="--initrd /boot/initrd-relief-b.cpio.gz"
mutants=${RELIEF_MUTANTS:-6}
mkdir -p /mnt/foreign /tmp/bad
check "the data disk with the foreign kernels is mounted" \
	mount -o ro /dev/vda /mnt/foreign

# flip FILE OFFSET BIT: flip one bit of FILE in place.
flip() {
	local v
	v=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	v=$((v ^ (1 << $3)))
	# shellcheck disable=SC2059
	printf "\\$(printf %03o "$v")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# cut FILE LEN: a copy of B cut to LEN bytes, as FILE.
cut_to() { dd if=$b of="$1" bs=4096 count=$(($2 / 4096)) 2>/dev/null
	dd if=$b bs=1 skip=$(($2 / 4096 * 4096)) count=$(($2 % 4096)) 2>/dev/null >> "$1"; }
size=$(wc -c < $b)
setup=$(( ($(dd if=$b bs=1 skip=$((0x1f1)) count=1 2>/dev/null | od -An -tu1 | tr -d ' ') + 1) * 512 ))
echo "B: $size bytes, setup $setup"

# The bad images, all made before A's memory is measured.
cut_to /tmp/bad/cut-in-setup 4000
cut_to /tmp/bad/cut-in-payload $((size / 2))
cut_to /tmp/bad/cut-last-byte $((size - 1))
cp $b /tmp/bad/flip-payload && flip /tmp/bad/flip-payload $((size / 3)) 5
cp $b /tmp/bad/flip-header && flip /tmp/bad/flip-header $((0x206)) 3
cp $b /tmp/bad/padded && dd if=/dev/zero bs=4096 count=1 2>/dev/null >> /tmp/bad/padded

cp $b /tmp/bad/mutant

# A warm-up rehearsal first (as in swap-cycles), so that what the first
# swap sets up once is not counted.
# shellcheck disable=SC2086
check "warm-up swap and abort" \
	sh -c "reliefctl swap $b $i --stop-after ready --timeout 60 --quiet >/dev/null && reliefctl abort >/dev/null"
wait_until 10 cpus_back
counter /tmp/count 50 &
cpid=$!
sync; echo 3 > /proc/sys/vm/drop_caches
free0=$(free_kb)
echo "meminfo: $(grep -E '^(MemFree|Shmem|Slab|PageTables):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')per-CPU lists: $(( $(free_kb) - $(mem MemFree) )) kB"

# unchanged STATE: every CPU online and the run's state still STATE (the
# last run's end): nothing was offlined and no run started.
unchanged() { cpus_back && [ "$(cat /sys/kernel/relief/state)" = "$1" ]; }
# refused NAME WORDS IMAGE: reliefctl swap refuses IMAGE with exit 3 and
# one line holding WORDS, and nothing changed.
refused() {
	local err rc st
	st=$(cat /sys/kernel/relief/state)
	err=$(reliefctl swap "$3" $i --stop-after ready --timeout 20 --quiet 2>&1 >/dev/null); rc=$?
	echo "$1: exit $rc: $err"
	[ "$rc" -eq 3 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] &&
		echo "$err" | grep -qF -- "$2" && unchanged "$st"
}
# shellcheck disable=SC2086
{
check "cut inside the setup: refused" \
	refused cut-in-setup "truncated: 4000 bytes, its header says $size" /tmp/bad/cut-in-setup
check "cut inside the payload: refused" \
	refused cut-in-payload "truncated: $((size / 2)) bytes" /tmp/bad/cut-in-payload
check "cut by its last byte: refused" \
	refused cut-last-byte "truncated: $((size - 1)) bytes" /tmp/bad/cut-last-byte
check "a bit flipped in the payload: refused" \
	refused flip-payload "corrupt: its CRC32 is" /tmp/bad/flip-payload
check "a bit flipped in the header: refused" \
	refused flip-header "boot protocol 2.07; relief needs 2.15" /tmp/bad/flip-header
check "zero-padded: refused" \
	refused padded "4096 bytes after the $size its header says" /tmp/bad/padded
check "a stock Debian kernel: refused" \
	refused debian "not a relief kernel (6.12." /mnt/foreign/vmlinuz-debian-amd64
check "an arm64 kernel: refused" \
	refused arm64 "an arm64 kernel; this machine is x86_64" /mnt/foreign/vmlinuz-debian-arm64
check "a relief kernel too new (protocol 2-3): refused" \
	refused proto2 "a relief kernel too new for this one: it speaks protocol 2-3, this kernel 1-1" \
	/mnt/foreign/vmlinuz-relief-proto2
check "a relief kernel too old (protocol 0-0): refused" \
	refused proto0 "a relief kernel too old for this one: it speaks protocol 0-0" \
	/mnt/foreign/vmlinuz-relief-proto0
check "the kernel without relief: refused" \
	refused norelief "not a relief kernel (6.12.118-relief-n)" /boot/vmlinuz-relief-n
check "--dry-run runs the same checks" \
	sh -c "reliefctl swap /tmp/bad/flip-payload --dry-run 2>&1 >/dev/null | grep -q 'corrupt: its CRC32'"
}

# The kernel's own checks, with no reliefctl in between.
# kernel_refuses check|prepare IMAGE CHECK: ENOEXEC, and (CHECK_IMAGE
# says which) the check numbered CHECK failed; nothing was offlined.
kernel_refuses() {
	local out want="errno 8 (Exec format error)" st
	st=$(cat /sys/kernel/relief/state)
	out=$(relief-ioctl "$1" "$2" 2>&1)
	echo "relief-ioctl $1 ${2##*/}: $out"
	[ "$1" = prepare ] || want="$want check $3"
	echo "$out" | grep -qF "$want" && unchanged "$st"
}
# IMAGE CHECK WHAT, a line each; check numbers: enum relief_image_err
# (proto/relief_image.h). CHECK_IMAGE says which check, and a bare
# PREPARE is refused before it offlines anything.
while read -r img num what; do
	check "the kernel refuses $what itself (check $num)" \
		kernel_refuses check "$img" "$num"
	check "... and a prepare with it" kernel_refuses prepare "$img" "$num"
done <<LIST
/tmp/bad/flip-payload 11 a flipped bit (CRC)
/tmp/bad/cut-in-payload 9 a cut image (truncated)
/mnt/foreign/vmlinuz-debian-amd64 14 the stock Debian kernel (no marker)
/mnt/foreign/vmlinuz-debian-arm64 3 the arm64 kernel
/mnt/foreign/vmlinuz-relief-proto2 17 a relief kernel too new (protocol)
LIST
check "the kernel accepts B itself" sh -c "relief-ioctl check $b | grep -q 'errno 0'"

# died FAULT WORDS: B passes every check, faults, and the run ends at once
# as PANIC with where B died; A has its CPUs back.
died() {
	local rc t0 t1
	t0=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2086
	reliefctl swap $b $i --stop-after ready --timeout 60 --quiet \
		--inject "$1" > /tmp/died.out 2> /tmp/died.err; rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "--inject $1: exit $rc in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s:"
	sed 's/^/    /' /tmp/died.err
	[ "$rc" -eq 1 ] && grep -q 'swap aborted: PANIC' /tmp/died.err &&
		grep -qF -- "$2" /tmp/died.err && grep -q '^ABORTED PANIC' /sys/kernel/relief/state &&
		wait_until 10 cpus_back
}
check "B faulting at its entry: aborted, the fault named" \
	died fault@entry "kernel B died at its entry, before it had an IDT: #UD invalid opcode (vector 6)"
check "B faulting in early boot: aborted, the fault named" \
	died fault@early "kernel B died in early boot: #UD invalid opcode (vector 6)"
check "B panicking in early boot: aborted, the panic named" \
	died panic@early "kernel B died: it panicked before its mailbox was up"
# B's userspace reboots while A still owns the machine: B tells A (the
# protocol's ABORT, or the record if it is that early) and halts; the
# machine is not reset.
# shellcheck disable=SC2086
reliefctl swap $b $i --stop-after ready --timeout 60 --quiet \
	--append relief.reboot > /tmp/reboot.out 2>&1
echo "swap with relief.reboot: exit $?: $(tail -n 1 /tmp/reboot.out)"
check "B rebooting: the run ends ABORTED PANIC (within 30 s)" \
	wait_until 30 grep -q '^ABORTED PANIC' /sys/kernel/relief/state
check "... and A has its CPUs back" wait_until 10 cpus_back
check "a good swap still works after them" \
	sh -c "reliefctl swap $b $i --stop-after ready --timeout 60 --quiet >/dev/null && reliefctl abort >/dev/null"
wait_until 10 cpus_back

# The mutation run: RELIEF_MUTANTS copies of B, each mutated one way at
# random (a bit flipped, cut short, bytes appended, a block zeroed).
# A draw that changes nothing (zeroes over zeroes) is drawn again.
refused_n=0 aborted_n=0 passed_n=0 k=0 draw=0
seed=$(cut -d' ' -f1 /proc/uptime | tr -d .)
while [ "$k" -lt "$mutants" ] && [ "$draw" -lt $((mutants * 4)) ]; do
	draw=$((draw + 1))
	r=$(awk -v s="$seed" -v k="$draw" -v n="$size" 'BEGIN { srand(s + k);
		printf "%d %d %d", int(rand() * 4), int(rand() * n), int(rand() * 8) }')
	set -- $r
	m=/tmp/bad/mutant
	case $1 in
	0) cp $b $m; flip $m "$2" "$3"; what="bit $3 of byte $2 flipped" ;;
	1) cut_to $m "$2"; what="cut to $2 bytes" ;;
	2) cp $b $m; dd if=/dev/urandom bs=1 count=$(($3 + 1)) 2>/dev/null >> $m
	   what="$(($3 + 1)) bytes appended" ;;
	3) cp $b $m; dd if=/dev/zero of=$m bs=1 seek="$2" count=4096 conv=notrunc 2>/dev/null
	   what="4096 bytes zeroed at $2" ;;
	esac
	cmp -s $m $b && continue
	k=$((k + 1))
	# shellcheck disable=SC2086
	reliefctl swap $m $i --stop-after ready --timeout 20 --quiet \
		>/tmp/m.out 2>/tmp/m.err
	rc=$?
	case $rc in
	3) refused_n=$((refused_n + 1)) ;;
	1) aborted_n=$((aborted_n + 1)) ;;
	0) passed_n=$((passed_n + 1)); reliefctl abort >/dev/null ;;
	esac
	echo "mutant $k ($what): exit $rc: $(head -n 1 /tmp/m.err)"
	wait_until 10 cpus_back || break
done
echo "mutation run: $mutants images: $refused_n refused, $aborted_n aborted, $passed_n qualified"
check "every mutant refused or aborted ($refused_n + $aborted_n of $mutants)" \
	[ $((refused_n + aborted_n)) -eq "$mutants" ]

check "4 CPUs online" cpus_back
check "the counter is still running" kill -0 "$cpid"
check "its count goes on without a gap" awk 'NR != $1 { exit 1 }' /tmp/count
# The same files in /tmp as at the start (the last mutant for the first).
cp $b /tmp/bad/mutant
sync; echo 3 > /proc/sys/vm/drop_caches
free1=$(free_kb)
echo "meminfo: $(grep -E '^(MemFree|Shmem|Slab|PageTables):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')per-CPU lists: $(( $(free_kb) - $(mem MemFree) )) kB"
echo "MemFree and per-CPU lists $free0 -> $free1 kB"
check "MemFree (and per-CPU lists) within 1% ($free0 -> $free1 kB)" \
	awk -v a="$free0" -v b="$free1" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d * 100 <= a) }'
rm -rf /tmp/bad

# Last, for it cannot be undone: kernel.kexec_load_disabled forbids relief
# as it forbids kexec; reliefctl says so, and the kernel refuses a bare
# PREPARE (EPERM) before anything is offlined.
echo 1 > /proc/sys/kernel/kexec_load_disabled
check "kexec_load_disabled: refused" \
	refused kexec-disabled "kernel.kexec_load_disabled is set" $b
out=$(relief-ioctl prepare $b)
echo "relief-ioctl prepare with kexec_load_disabled: $out"
check "... and by the kernel itself (EPERM), nothing offlined" \
	sh -c "echo '$out' | grep -q 'errno 1 (Operation not permitted)' && [ \"\$(cat /sys/devices/system/cpu/online)\" = 0-3 ]"
finish
