# tests/bench - benchmarks. They print figures and ratios measured in the
# run; they never assert a timing (a run fails only when something did not
# happen). Documentation/relief/benchmarks.rst says what each measures.

BENCH_CFLAGS := $(CSTD) $(WARN) -O2 -g -I$(TOP)/proto

# Host userspace: two processes ping-pong over the real proto/ mailbox.
$(OUT)/bench/mailbox_rtt: $(TOP)/tests/bench/mailbox_rtt.c $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< $(PROTO_SRCS) $(PROTO_LIBS)

.PHONY: bench bench-build bench-downtime bench-downtime-server
bench-build: $(OUT)/bench/mailbox_rtt

# The initramfs images are repacked (never the kernels): the cold boot
# needs kexec in them. Then the service pause of a moved workload, relief
# against a kexec reboot; it packs initramfs copies of its own.
bench: deps bench-build initrds
	@$(TOP)/tests/bench/relief-boot
	@$(TOP)/tests/bench/downtime

bench-downtime: deps reliefctl workloads
	@$(TOP)/tests/bench/downtime

# The pause a host-side HTTP and redis client see on the Debian server:
# a relief swap moving nginx and redis against `systemctl kexec` into the
# same kernel package B, one fresh boot of the image for each.
bench-downtime-server: deb image
	@$(TOP)/tests/bench/downtime-server
