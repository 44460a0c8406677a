# tests/workloads - programs the guests run across a swap. Each
# tests/workloads/<name>.c becomes out/workloads/<name>, packed into every
# guest initramfs. Headers (*.h) are shared helpers, not workloads.
WORKLOAD_SRCS := $(sort $(wildcard $(TOP)/tests/workloads/*.c))
WORKLOAD_BINS := $(patsubst $(TOP)/tests/workloads/%.c,$(OUT)/workloads/%,$(WORKLOAD_SRCS))

$(OUT)/workloads/%: $(TOP)/tests/workloads/%.c $(wildcard $(TOP)/tests/workloads/*.h) \
		$(TOP)/kernel/relief/uapi/linux/relief.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(RELIEFCTL_UAPI) -o $@ $<

.PHONY: workloads
workloads: $(WORKLOAD_BINS)
userspace: workloads
