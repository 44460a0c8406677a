# tests/fuzz - libFuzzer harnesses (clang). Every tests/fuzz/fuzz_<name>.c is
# one fuzzer, linked with all of proto/, started from the committed seed
# corpus tests/fuzz/corpus/<name>/ and run for FUZZ_SECONDS each. New inputs
# found during a run go to out/fuzz/corpus/<name>/, never into the repo.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 40
FUZZ_SRCS := $(sort $(wildcard $(TOP)/tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst $(TOP)/tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_CFLAGS := $(CSTD) $(WARN) -g -O1 -I$(TOP)/proto \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(OUT)/fuzz/%: $(TOP)/tests/fuzz/%.c $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(PROTO_SRCS) $(PROTO_LIBS)

.PHONY: fuzz-build check-fuzz
fuzz-build: $(FUZZ_BINS)

check-fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); c=$${n#fuzz_}; \
		mkdir -p $(OUT)/fuzz/corpus/$$c $(OUT)/fuzz/log; \
		if $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(OUT)/fuzz/log/$$c- \
			$(OUT)/fuzz/corpus/$$c $(TOP)/tests/fuzz/corpus/$$c \
			> $(OUT)/fuzz/log/$$c.log 2>&1; then \
			runs=$$(awk '/stat::number_of_executed_units/ {print $$2}' $(OUT)/fuzz/log/$$c.log); \
			echo "PASS: fuzz $$c: $$runs inputs in $(FUZZ_SECONDS) s, no crash, no sanitizer report"; \
		else \
			echo "FAIL: fuzz $$c: see $(OUT)/fuzz/log/$$c.log"; \
			grep -m5 -E 'ERROR|runtime error|SUMMARY' $(OUT)/fuzz/log/$$c.log; \
		fi; \
	done
