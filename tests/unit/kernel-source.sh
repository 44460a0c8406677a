#!/usr/bin/env bash
# kernel-source.sh - the kernel trees are the pinned sources
# (kernel/source-version): the lab's, and the Debian packages' A and B
# where they were built; a pin apt does not offer is refused with what to
# change.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
pass() { echo "PASS: kernel-source: $*"; }
fail() { echo "FAIL: kernel-source: $*"; rc=1; }

pin=$("$top/kernel/source.sh" --version)
tree=$(cat "$top/build/linux-source-6.12/.relief-source" 2>/dev/null)
if [ "$tree" = "$pin" ]; then
	pass "the tree is the pinned $pin"
else
	fail "the tree says '${tree:-nothing}', the pin is $pin"
fi
# Debian's 6.12.118-1~deb12u1 is upstream 6.12.118: the tree's Makefile.
upstream=${pin%%-*}
made=$(awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 } /^SUBLEVEL =/ { s = $3 }
	END { print v "." p "." s }' "$top/build/linux-source-6.12/Makefile" 2>/dev/null)
if [ "$made" = "$upstream" ]; then
	pass "its Makefile is $made"
else
	fail "its Makefile is '$made', the pin's upstream version $upstream"
fi
err=$(RELIEF_KERNEL_SOURCE=0.0-relief-none "$top/kernel/source.sh" 2>&1 >/dev/null)
st=$?
if [ "$st" -ne 0 ] && echo "$err" | grep -q "set kernel/source-version to one of those"; then
	pass "a version apt does not offer is refused: $err"
else
	fail "a version apt does not offer: exit $st, '$err'"
fi
# The Debian server's kernel packages: two versions, A older than B, each
# tree (once built) of its pin.
deb_a=$("$top/kernel/source.sh" --version deb-a) deb_b=$("$top/kernel/source.sh" --version deb-b)
if dpkg --compare-versions "$deb_a" lt "$deb_b"; then
	pass "package A ($deb_a) is older than package B ($deb_b)"
else
	fail "package A is $deb_a, package B $deb_b: A must be the older"
fi
for what in deb-a deb-b; do
	v=$("$top/kernel/source.sh" --version "$what")
	t=$top/build/src-$v/linux-source-6.12
	[ "$v" = "$pin" ] && t=$top/build/linux-source-6.12
	[ -d "$t" ] || continue
	if [ "$(cat "$t/.relief-source" 2>/dev/null)" = "$v" ]; then
		pass "$what's tree is the pinned $v"
	else
		fail "$what's tree says '$(cat "$t/.relief-source" 2>/dev/null)', the pin is $v"
	fi
done
exit $rc
