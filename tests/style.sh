#!/usr/bin/env bash
# style.sh - the kernel's own style tools on every file that goes into the
# kernel (`make check-style`): checkpatch --strict on each source file and
# on each patch of kernel/patches/series, kernel-doc -Wall on each .c file.
# One "PASS: <tool> FILE" or "FAIL: <tool> FILE" line per file, a failure
# followed by the tool's messages. Needs the tree `make kernel` unpacks.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux-source-6.12
checkpatch=$tree/scripts/checkpatch.pl
kerneldoc=$tree/scripts/kernel-doc

if [ ! -f "$checkpatch" ] || [ ! -f "$kerneldoc" ]; then
	echo "FAIL: checkpatch: kernel tree not unpacked (run make kernel)"
	exit 1
fi

# checkpatch treats a .git in its working directory (or $GIT_DIR) as the
# kernel's history and then misreads our files; run it from an empty
# directory outside any work tree. --root at an empty include/ keeps its
# CamelCase seeding (which --no-tree leaves without a root) quiet.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root" "$work/root/include"
cd "$work" || exit 1
unset GIT_DIR GIT_WORK_TREE
export LC_ALL=C

shopt -s nullglob
sources=(
	"$top"/kernel/relief/*.[ch]
	"$top"/kernel/relief/uapi/linux/*.h
	"$top"/arch/x86_64/*.[chS]
	"$top"/arch/x86_64/include/asm/*.h
	"$top"/proto/*.[ch]
)
docs=("$top"/kernel/relief/*.c "$top"/arch/x86_64/*.c "$top"/proto/*.c)

# Accepted reports, as "path-from-top<TAB>exact message":
#  - the kernel's own symbol, declared in arch/x86/include/asm/;
#  - the C11 keyword, which the kernel's build_bug.h wraps the same way
#    (userspace has no lowercase spelling without the hosted <assert.h>).
accepted=$(printf '%s\t%s\n' \
	arch/x86_64/relief_load.c 'CHECK:CAMELCASE: Avoid CamelCase: <kexec_bzImage64_ops>' \
	proto/relief_compat.h 'CHECK:CAMELCASE: Avoid CamelCase: <_Static_assert>')

failed=0

# report TOOL NAME MESSAGES: one PASS/FAIL line, messages indented.
report() {
	if [ -z "$3" ]; then
		echo "PASS: $1 $2"
	else
		echo "FAIL: $1 $2"
		sed "s|$top/||; s|^|  |" <<< "$3"
		failed=1
	fi
}

# drop_accepted REL: stdin minus the accepted reports for file REL.
drop_accepted() {
	local rel=$1 file msg
	local -a pats=()

	while IFS=$'\t' read -r file msg; do
		[ "$file" = "$rel" ] && pats+=(-e ": $msg\$")
	done <<< "$accepted"
	if [ ${#pats[@]} -eq 0 ]; then
		cat
	else
		grep -v "${pats[@]}"
	fi
}

for f in "${sources[@]}"; do
	rel=${f#"$top"/}
	ignore=()
	case $rel in
	proto/* | kernel/relief/uapi/*)
		# Compiled into userspace too: uintN_t and no kernel macros.
		ignore=(--ignore PREFER_KERNEL_TYPES,BIT_MACRO) ;;
	esac
	msgs=$(perl "$checkpatch" --strict --no-tree --root="$work/root" \
		--terse --show-types "${ignore[@]}" -f "$f" 2>&1 |
		grep -v '^total: ' | drop_accepted "$rel")
	report checkpatch "$rel" "$msgs"
done

series=$top/kernel/patches/series
while read -r p; do
	case $p in '' | '#'*) continue ;; esac
	if [ ! -f "$top/kernel/patches/$p" ]; then
		report checkpatch "kernel/patches/$p" "not found (listed in series)"
		continue
	fi
	msgs=$(perl "$checkpatch" --strict --no-tree --root="$work/root" \
		--terse --show-types - < "$top/kernel/patches/$p" 2>&1 |
		grep -v '^total: ')
	report checkpatch "kernel/patches/$p" "$msgs"
done < "$series"

for f in "${docs[@]}"; do
	msgs=$(perl "$kerneldoc" -none -Wall "$f" 2>&1)
	report kernel-doc "${f#"$top"/}" "$msgs"
done

exit "$failed"
