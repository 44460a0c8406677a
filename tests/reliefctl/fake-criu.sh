#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fake-criu.sh - stands in for criu in the reliefctl tests (RELIEF_CRIU).
# Every call is appended to $FAKE_CRIU_CALLS. dump writes a few image files
# into -D (pages-1.img of $FAKE_CRIU_BYTES bytes, 4096 by default); restore
# wants the inventory.img a dump wrote. Failures on demand:
#   FAKE_CRIU_FAIL=check|check:FEATURE|dump|dump:PID|restore|restore:INDEX
#       exit 1 after logging "Error (fake.c:1): $FAKE_CRIU_ERROR" (default
#       "fake: refused") and "Error (fake.c:2): Dumping FAILED." to -o
#   FAKE_CRIU_QUIET=1   fail without logging any error (exit 3)
#   FAKE_CRIU_KILL=1    die of SIGKILL
# FAKE_CRIU_STOP=1 makes a dump leave its process stopped, as
# --leave-stopped does.
#   FAKE_CRIU_HANG=dump|restore|lazy-pages   never finish (lazy-pages:
#       never listen)
# lazy-pages makes lazy-pages.socket in -D and writes a byte on
# --status-fd ("listening"); restore --lazy-pages wants that socket.
# FAKE_CRIU_LAZY_FAIL=1 makes it fail after it listened (pages missing).
# swrk FD (a restore's service worker) is fake_criu_swrk.c's: the binary
# $FAKE_CRIU_SWRK, by default where the tests' makefile builds it.
if [ "${1:-}" = swrk ]; then
	exec "${FAKE_CRIU_SWRK:-$(dirname "$0")/../../out/reliefctl-tests/fake-criu-swrk}" "$@"
fi
cmd=$1
[ -n "${FAKE_CRIU_CALLS:-}" ] && echo "$*" >> "$FAKE_CRIU_CALLS"
shift
log=/dev/stderr dir= pid= feature= status_fd= lazy=
while [ $# -gt 0 ]; do
	case $1 in
	--feature) feature=$2; shift ;;
	--status-fd) status_fd=$2; shift ;;
	--lazy-pages) lazy=1 ;;
	-o) log=$2; shift ;;
	-D) dir=$2; shift ;;
	-t) pid=$2; shift ;;
	esac
	shift
done

fail() {
	if [ -n "${FAKE_CRIU_QUIET:-}" ]; then
		echo "fake criu: nothing useful" >&2
		exit 3
	fi
	{
		echo "(00.000100) Info: fake criu $cmd"
		echo "(00.000200) Error (fake.c:1): ${FAKE_CRIU_ERROR:-fake: refused}"
		echo "(00.000300) Error (fake.c:2): Dumping FAILED."
	} >> "$log"
	exit 1
}

[ -n "${FAKE_CRIU_KILL:-}" ] && kill -9 $$
case "${FAKE_CRIU_HANG:-}" in
"$cmd") exec sleep 30 ;;
esac
case "${FAKE_CRIU_FAIL:-}" in
"$cmd"|"$cmd:$pid"|"$cmd:${dir##*/}"|"$cmd:$feature") fail ;;
esac

case $cmd in
check)
	echo "Looks good."
	;;
dump)
	echo "(00.000100) Info: dumping $pid" >> "$log"
	echo "fake inventory" > "$dir/inventory.img"
	echo "fake core of $pid" > "$dir/core-$pid.img"
	# criu 3.17 dumps the clocks of a tree in the host time namespace
	echo "fake clocks" > "$dir/timens-0.img"
	head -c "${FAKE_CRIU_BYTES:-4096}" /dev/zero > "$dir/pages-1.img"
	[ -n "${FAKE_CRIU_STOP:-}" ] && kill -STOP "$pid"
	;;
restore)
	if [ ! -f "$dir/inventory.img" ]; then
		FAKE_CRIU_ERROR="Unable to open $dir/inventory.img" fail
	fi
	# A page image the agent made a window on the area (a node).
	for f in "$dir"/pages-*.img; do
		[ -c "$f" ] && [ -n "${FAKE_CRIU_CALLS:-}" ] &&
			echo "${f##*/}: character device $(stat -c '%t:%T' "$f")" \
				>> "$FAKE_CRIU_CALLS"
	done
	if [ -n "$lazy" ] && [ ! -e "$dir/lazy-pages.socket" ]; then
		FAKE_CRIU_ERROR="Can't connect to lazy-pages daemon" fail
	fi
	echo "(00.000100) Info: restored from $dir" >> "$log"
	;;
lazy-pages)
	echo "(00.000100) Info: lazy pages from $dir" >> "$log"
	: > "$dir/lazy-pages.socket"
	[ -z "$status_fd" ] || eval "printf x >&$status_fd"
	if [ -n "${FAKE_CRIU_LAZY_FAIL:-}" ]; then
		FAKE_CRIU_ERROR="uffd: pages of 1 not found" fail
	fi
	;;
*)
	echo "fake criu: unknown command $cmd" >&2
	exit 2
	;;
esac
exit 0
