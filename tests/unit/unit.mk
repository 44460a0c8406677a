# tests/unit - cmocka unit tests. Every tests/unit/test_*.c is one binary,
# linked with all of proto/ and run under ASan+UBSan (out/unit) and again
# instrumented for gcov (out/cov) to measure proto/ line coverage.

UNIT_SRCS := $(sort $(wildcard $(TOP)/tests/unit/test_*.c))
UNIT_HELPERS := $(sort $(wildcard $(TOP)/tests/unit/helper_*.c))
UNIT_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(OUT)/unit/%,$(UNIT_SRCS))
COV_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(OUT)/cov/%,$(UNIT_SRCS))
UNIT_CFLAGS := $(CSTD) $(WARN) -g -O1 -I$(TOP)/proto -I$(TOP)/tests/unit
UNIT_LIBS := -lcmocka $(PROTO_LIBS)
# Proto line coverage below this fails the coverage phase.
COVERAGE_MIN ?= 95

$(OUT)/unit/%: $(TOP)/tests/unit/%.c $(UNIT_HELPERS) $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) $(SAN) -o $@ $< $(UNIT_HELPERS) $(PROTO_SRCS) $(UNIT_LIBS)

# Coverage objects are compiled one by one so each proto file has its own
# .gcda, merged across every test binary that runs it.
COV_PROTO_OBJS := $(patsubst $(TOP)/proto/%.c,$(OUT)/cov/proto/%.o,$(PROTO_SRCS))
$(OUT)/cov/proto/%.o: $(TOP)/proto/%.c $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) --coverage -O0 -c -o $@ $<
$(OUT)/cov/%: $(TOP)/tests/unit/%.c $(UNIT_HELPERS) $(COV_PROTO_OBJS)
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -O0 -o $@ $< $(UNIT_HELPERS) $(COV_PROTO_OBJS) --coverage $(UNIT_LIBS)

.PHONY: unit-build check-unit check-coverage
unit-build: $(UNIT_BINS)

# TAP output: one "ok N - name" / "not ok N - name" line per test.
check-unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do \
		echo "# $$(basename $$t)"; \
		CMOCKA_MESSAGE_OUTPUT=TAP $$t || rc=1; \
	done; exit $$rc

check-coverage: $(COV_BINS)
	@rm -f $(OUT)/cov/proto/*.gcda
	@for t in $(COV_BINS); do CMOCKA_MESSAGE_OUTPUT=TAP $$t >/dev/null || exit 1; done
	@$(TOP)/tests/unit/coverage.sh $(OUT)/cov/proto $(COVERAGE_MIN)
