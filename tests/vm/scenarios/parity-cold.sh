# parity-cold: kernel B cold-booted (run on image b, --numa 2): the facts
# tests/vm/parity.sh compares with a B reached by a swap (parity).
parity_facts
check "this is a cold boot (no relief=new)" sh -c '! grep -qw relief=new /proc/cmdline'
finish
