# refusals: `reliefctl swap` and `reliefctl abort` refuse what cannot work,
# each with exit 3 and one line naming the problem, before anything
# changes. Boots image A WITHOUT relief_region=, so a swap that passes
# every other check is refused for the region; at the end the machine is
# as it was: 4 CPUs online, state IDLE, nothing lent.

# refused WORDS ARGS...: `reliefctl ARGS` exits 3 with WORDS in its one
# line on stderr.
refused() {
	local words=$1 err rc
	shift
	err=$(reliefctl "$@" 2>&1 >/dev/null); rc=$?
	echo "reliefctl $*: exit $rc: $err"
	[ "$rc" -eq 3 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] &&
		echo "$err" | grep -qF -- "$words"
}
# usage ARGS...: `reliefctl ARGS` is a bad command line (exit 2).
usage() {
	local rc
	reliefctl "$@" >/dev/null 2>&1; rc=$?
	echo "reliefctl $*: exit $rc"
	[ "$rc" -eq 2 ]
}

b=$(ls /boot/vmlinuz-* 2>/dev/null | head -n 1)
check "a kernel to swap to in /boot (${b:-none})" [ -n "$b" ]
check "no relief_region= on this guest's command line" \
	sh -c '! grep -q relief_region= /proc/cmdline'
echo "region: $(cat /sys/kernel/relief/region)"

check "missing image: unreadable" \
	refused "image /nonexistent is unreadable: No such file or directory" \
	swap /nonexistent
check "a directory: unreadable" \
	refused "image /boot is unreadable: Is a directory" swap /boot
check "a shell script: not a kernel" \
	refused "/init is not a kernel relief can start" swap /init
check "missing initrd: unreadable" \
	refused "initrd /nonexistent is unreadable" swap "$b" --initrd /nonexistent
check "--cpus 0-1: the boot CPU" \
	refused "refused (boot CPU): CPU 0 is the boot CPU" swap "$b" --cpus 0-1
check "--cpus 7: no such CPU" \
	refused "refused (CPU doesn't exist): CPU 7 does not exist" \
	swap "$b" --cpus 7
check "--mem 64G: not enough memory" \
	refused "refused (not enough memory)" swap "$b" --mem 64G
check "a good request: no relief region" \
	refused "no relief region: boot with relief_region=SIZE" swap "$b"
check "--cpus 2-3 --stop-after ready: no relief region" \
	refused "no relief region: boot with relief_region=SIZE" \
	swap "$b" --cpus 2-3 --stop-after ready

check "--stop-after bogus: usage" usage swap "$b" --stop-after bogus
check "--cpus 3-1: usage" usage swap "$b" --cpus 3-1
check "no IMAGE: usage" usage swap

# Not root: a user of our own (busybox su, as root, asks no password). The
# initramfs root directory comes out of mktemp -d as 0700: open it up.
chmod 755 /
grep -q '^relieftest:' /etc/passwd ||
	echo "relieftest:x:1000:1000::/tmp:/bin/sh" >> /etc/passwd
notroot() {
	local err rc
	err=$(su relieftest -s /bin/sh -c "reliefctl $*" 2>&1 >/dev/null); rc=$?
	echo "as relieftest: reliefctl $*: exit $rc: $err"
	[ "$rc" -eq 3 ] && echo "$err" | grep -qF "must be root (CAP_SYS_BOOT)"
}
check "not root: swap refused" notroot swap "$b"
check "not root: abort refused" notroot abort

check "abort with nothing in progress" \
	refused "no swap in progress (state IDLE)" abort

# Nothing changed.
online=$(cat /sys/devices/system/cpu/online)
check "4 CPUs still online (online: $online)" [ "$online" = 0-3 ]
state=$(cat /sys/kernel/relief/state)
check "state still IDLE (state: $state)" [ "$state" = IDLE ]
lent=$(cat /sys/kernel/relief/cpus)
check "no CPU lent (cpus: '$lent')" [ -z "$lent" ]
reliefctl status | sed 's/^/status: /'
json=$(reliefctl status --json)
echo "status --json: $json"
check "status --json says IDLE, nothing lent" \
	sh -c "echo '$json' | grep -q '\"state\":\"IDLE\",\"reason\":null,\"cpus\":\[\]'"
finish
