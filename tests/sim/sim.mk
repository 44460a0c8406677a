# tests/sim - two-process simulator: an "old" and a "new" process run the
# real proto/ state machines over a real shared mailbox (tests/sim/sim.c).
# Every tests/sim/test_sim_*.c is one cmocka binary linked with sim.c and
# all of proto/, under ASan+UBSan; check-sim runs them with TAP output.

SIM_SRCS := $(sort $(wildcard $(TOP)/tests/sim/test_sim_*.c))
SIM_BINS := $(patsubst $(TOP)/tests/sim/%.c,$(OUT)/sim/%,$(SIM_SRCS))
SIM_DRIVER := $(TOP)/tests/sim/sim.c
SIM_HDRS := $(TOP)/tests/sim/sim.h $(TOP)/tests/sim/sim_test.h
SIM_CFLAGS := $(CSTD) $(WARN) -g -O1 -I$(TOP)/proto -I$(TOP)/tests/sim

$(OUT)/sim/%: $(TOP)/tests/sim/%.c $(SIM_DRIVER) $(SIM_HDRS) $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(SAN) -o $@ $< $(SIM_DRIVER) $(PROTO_SRCS) -lcmocka -lpthread $(PROTO_LIBS)

.PHONY: sim-build check-sim
sim-build: $(SIM_BINS)

# TAP output: one "ok N - name" / "not ok N - name" line per test.
check-sim: $(SIM_BINS)
	@rc=0; for t in $(SIM_BINS); do \
		echo "# $$(basename $$t)"; \
		CMOCKA_MESSAGE_OUTPUT=TAP $$t || rc=1; \
	done; exit $$rc
