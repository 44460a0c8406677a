# cycle (A''s part): the third kernel relieved the second; the ticker has
# moved twice. See cycle.sh.

check "A' runs ($RELIEF_RELEASE_A; saw $(uname -r))" [ "$(uname -r)" = "$RELIEF_RELEASE_A" ]
check "A' has all 4 CPUs (online $(cat /sys/devices/system/cpu/online))" \
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
# The blocks of B's RAM under the ticker's pages join A' once its lazy
# restore has read them, shortly after the run ended.
mem_back() { [ "$(($(mem MemTotal) * 100))" -ge "$((RELIEF_MEMTOTAL * 95))" ]; }
check "MemTotal is at least 95% of A's $RELIEF_MEMTOTAL kB (within 10 s)" \
	wait_until 10 mem_back
echo "MemTotal: $(mem MemTotal) kB"
t=$(tickq @relief-ticker)
echo "ticker: $t"
check "ticker $RELIEF_TICKER moved twice" [ "$(field pid "$t")" = "$RELIEF_TICKER" ]
check "... with its child $RELIEF_CHILD" [ "$(field child "$t")" = "$RELIEF_CHILD" ]
check "... no gap in its sequence" [ "$(field gaps "$t")" = 0 ]
check "... past B's last reading ($RELIEF_SEQ)" [ "$(field seq "$t")" -gt "$RELIEF_SEQ" ]
finish
