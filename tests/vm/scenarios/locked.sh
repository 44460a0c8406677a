# locked: kernel A booted with lockdown=integrity applies kexec_file's
# signature policy to relief too. An unsigned image is refused before
# anything changes, as kexec_file_load would refuse it; a tampered one
# too; kernel B signed with the test key the relief kernels trust
# (kernel/build.sh) is accepted, and boots locked down as A is.
check "A is locked down" sh -c 'dmesg | grep -q "Kernel is locked down"'
reliefctl swap /boot/vmlinuz-relief-b --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 30 2>/tmp/swap.err
check "an unsigned B: the swap is refused (exit 3)" [ $? -eq 3 ]
cat /tmp/swap.err
check "... for the signature policy" grep -q 'signature policy' /tmp/swap.err
reliefctl swap /boot/vmlinuz-relief-b --dry-run 2>/tmp/swap.err >/dev/null
check "--dry-run is refused too (exit 3)" [ $? -eq 3 ]
check "... for the signature check" grep -q 'the signature check failed' /tmp/swap.err
# The signature comes first: the kernel says so even of an image
# reliefctl would refuse for its own reasons (relief-ioctl asks it
# directly), and parses nothing of it.
head -c 100000 /boot/vmlinuz-relief-b > /tmp/cut
out=$(relief-ioctl check /tmp/cut)
echo "relief-ioctl check (cut image): $out"
check "... a cut image: the signature policy refuses it first" \
	sh -c "echo '$out' | grep -q 'errno 129 (Key was rejected by service) check 0'"

# Signed with the test key: accepted, whole.
signed=/boot/vmlinuz-relief-b.signed
reliefctl swap $signed --dry-run >/tmp/dry.out 2>&1
rc=$?
cat /tmp/dry.out
check "a signed B passes every check, the signature's included (exit $rc)" [ $rc -eq 0 ]
reliefctl swap $signed --initrd /boot/initrd-relief-b.cpio.gz \
	--stop-after ready --timeout 60 --quiet
check "... it boots beside A and qualifies" [ $? -eq 0 ]
check "... with A's lockdown level on its command line" \
	grep -qa 'Command line: .* lockdown=integrity' /sys/kernel/relief/console
check "... and locked down itself, so it checks the next kernel as A did" \
	grep -qa 'Kernel is locked down from command line' /sys/kernel/relief/console
reliefctl abort >/dev/null
check "... the rehearsal ends, A has its 4 CPUs back (within 10 s)" \
	wait_until 10 cpus_back
# One byte of the signed image changed, in the middle of its payload:
# reliefctl's CRC check refuses it, and the kernel's signature check too.
# The byte is inverted, not overwritten with a constant: a constant is a
# no-op whenever the image already holds it there (one build in 256).
size=$(stat -c %s $signed)
cp $signed /tmp/tampered
byte=$(dd if=$signed bs=1 skip=$((size / 2)) count=1 2>/dev/null | od -An -tu1)
printf "\\$(printf %o $((byte ^ 255)))" |
	dd of=/tmp/tampered bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
check "... the tampered copy differs from the signed image" \
	sh -c "! cmp -s $signed /tmp/tampered"
reliefctl swap /tmp/tampered --dry-run 2>/tmp/swap.err >/dev/null
check "a tampered signed B is refused (exit 3)" [ $? -eq 3 ]
cat /tmp/swap.err
out=$(relief-ioctl check /tmp/tampered)
echo "relief-ioctl check (tampered): $out"
check "... and the kernel's signature check refuses it" \
	sh -c "echo '$out' | grep -q 'errno 129 (Key was rejected by service) check 0'"
check "the last run is still the aborted rehearsal ($(cat /sys/kernel/relief/state))" \
	grep -q '^ABORTED OPERATOR' /sys/kernel/relief/state
check "4 CPUs online" [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
finish
