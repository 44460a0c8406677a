# tests/bench - benchmarks. They print figures and ratios measured in the
# run; they never assert a timing (a run fails only when something did not
# happen). Documentation/relief/benchmarks.rst says what each measures.

BENCH_CFLAGS := $(CSTD) $(WARN) -O2 -g -I$(TOP)/proto

# Host userspace: two processes ping-pong over the real proto/ mailbox.
$(OUT)/bench/mailbox_rtt: $(TOP)/tests/bench/mailbox_rtt.c $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(PROTO_SRCS) $(PROTO_LIBS)

.PHONY: bench bench-build
bench-build: $(OUT)/bench/mailbox_rtt

# The initramfs images are repacked (never the kernels): the cold boot
# needs kexec in them.
bench: deps bench-build initrds
	@$(TOP)/tests/bench/relief-boot
