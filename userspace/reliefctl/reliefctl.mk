# userspace/reliefctl - the operator's tool. out/reliefctl/reliefctl is the
# binary packed into guest initramfs images; out/reliefctl/reliefctl-asan is
# the same under ASan+UBSan for host-side tests.

RELIEFCTL_SRCS := $(sort $(wildcard $(TOP)/userspace/reliefctl/*.c))
RELIEFCTL_HDRS := $(sort $(wildcard $(TOP)/userspace/reliefctl/*.h))
RELIEFCTL_UAPI := -I$(TOP)/kernel/relief/uapi	# <linux/relief.h>
RELIEFCTL_CFLAGS := $(CSTD) $(WARN) -I$(TOP)/proto -I$(TOP)/userspace/reliefctl \
	$(RELIEFCTL_UAPI)
RELIEFCTL_LIBS := $(PROTO_LIBS) -lnuma -lcpupower
RELIEFCTL := $(OUT)/reliefctl/reliefctl

$(RELIEFCTL): $(RELIEFCTL_SRCS) $(RELIEFCTL_HDRS) $(PROTO_SRCS) $(PROTO_HDRS) \
		$(TOP)/kernel/relief/uapi/linux/relief.h
	@mkdir -p $(@D)
	$(CC) $(RELIEFCTL_CFLAGS) $(CFLAGS) -o $@ $(RELIEFCTL_SRCS) $(PROTO_SRCS) $(RELIEFCTL_LIBS)

$(RELIEFCTL)-asan: $(RELIEFCTL_SRCS) $(RELIEFCTL_HDRS) $(PROTO_SRCS) $(PROTO_HDRS) \
		$(TOP)/kernel/relief/uapi/linux/relief.h
	@mkdir -p $(@D)
	$(CC) $(RELIEFCTL_CFLAGS) -g -O1 $(SAN) -o $@ $(RELIEFCTL_SRCS) $(PROTO_SRCS) $(RELIEFCTL_LIBS)

.PHONY: reliefctl
reliefctl: $(RELIEFCTL) $(RELIEFCTL)-asan
userspace: reliefctl
