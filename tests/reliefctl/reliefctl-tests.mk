# tests/reliefctl - cmocka tests of reliefctl (plan, cpulist, sizes,
# topology reading, the plan command; swap, status and abort against a fake
# kernel: helper_fake.c). Each tests/reliefctl/test_*.c is one
# binary linking only the reliefctl sources it names below (never
# reliefctl.c: it holds main) plus the helper_*.c, under ASan+UBSan.
# `make check-reliefctl` runs them all with TAP output, then checks what
# reliefctl reads of this machine's topology against sysfs.

RT_DIR := $(TOP)/tests/reliefctl
RT_OUT := $(OUT)/reliefctl-tests
RT_SRC := $(TOP)/userspace/reliefctl
RT_NAMES := $(patsubst $(RT_DIR)/%.c,%,$(sort $(wildcard $(RT_DIR)/test_*.c)))
# Every test can make a kernel image that passes relief's checks
# (helper_fake.c's rt_fake_bzimage(), from tests/unit/helper_image.c), so
# each links those checks (proto/relief_image.c) too.
RT_HELPERS := $(sort $(wildcard $(RT_DIR)/helper_*.c)) \
	$(TOP)/tests/unit/helper_image.c $(TOP)/proto/relief_image.c
RT_BINS := $(addprefix $(RT_OUT)/,$(RT_NAMES))
RT_CFLAGS := $(CSTD) $(WARN) -g -O1 -I$(RT_SRC) -I$(RT_DIR) \
	-I$(TOP)/tests/unit -I$(TOP)/proto $(RELIEFCTL_UAPI)

# The reliefctl sources each test links, and its extra link flags.
RT_USES_test_cpulist := cpulist
RT_USES_test_size := size
RT_USES_test_plan := plan cpulist size
RT_USES_test_cmd_plan := cmd_plan plan cpulist size topology kstate
RT_LIBS_test_cmd_plan := -lnuma -lcpupower
# topology.c against mocks: every libnuma/libcpupower call it makes is
# wrapped, and the real libraries are not linked, so nothing reaches the
# machine.
RT_USES_test_topology := topology plan cpulist size
RT_WRAPPED := numa_available numa_max_node numa_node_size64 numa_node_of_cpu \
	numa_distance get_cpu_topology cpu_topology_release cpupower_is_cpu_online
comma := ,
RT_LIBS_test_topology := $(addprefix -Wl$(comma)--wrap=,$(RT_WRAPPED))

# swap, status, abort: the fake kernel is a directory of files
# (helper_fake.c); the ioctl, the clock, sleeping and geteuid are wrapped,
# so nothing reaches the machine and nothing really waits.
rt_wrap = $(addprefix -Wl$(comma)--wrap=,$(1))
RT_USES_test_json := json
RT_USES_test_imgpack := imgpack
RT_USES_test_criu_run := criu_run criu_rpc
RT_USES_test_criu_rpc := criu_rpc
RT_USES_test_proctree := proctree thaw netlock
RT_USES_test_unixsk := unixsk proctree
RT_USES_test_manifest := manifest
# What lies on the handed-over devices. No test freezes or mounts for real:
# each that links mounts.c wraps those calls (helper_fake.c logs them), and
# the network is a namespace of the test's own (helper_netns.c).
RT_DEV_USES := devices mounts netcfg rtnl
RT_SYS_WRAP := reliefctl_fsfreeze reliefctl_mount reliefctl_umount \
	reliefctl_chroot
RT_USES_test_mounts := $(RT_DEV_USES) manifest kstate cpulist sysio
RT_LIBS_test_mounts := $(call rt_wrap,$(RT_SYS_WRAP) reliefctl_now_ns \
	reliefctl_sleep_ms)
RT_USES_test_netcfg := $(RT_USES_test_mounts)
RT_LIBS_test_netcfg := $(RT_LIBS_test_mounts)
RT_USES_test_agent := agent relief_dev criu_run criu_rpc imgpack proctree thaw unixsk drain \
	netlock manifest sysio kstate cpulist $(RT_DEV_USES)
RT_LIBS_test_agent := $(call rt_wrap,reliefctl_ioctl reliefctl_now_ns \
	reliefctl_sleep_ms $(RT_SYS_WRAP))
RT_USES_test_kstate := kstate cpulist
RT_USES_test_fillroom := fillroom proctree kstate cpulist
RT_USES_test_follow := follow kstate cpulist sysio
RT_LIBS_test_follow := $(call rt_wrap,reliefctl_now_ns reliefctl_sleep_ms)
RT_USES_test_cmd_status := cmd_status kstate cpulist size json
RT_SWAP_USES := cmd_swap cmd_status follow kstate relief_dev image_check plan fillroom \
	cpulist size topology sysio json agent criu_run criu_rpc imgpack proctree thaw unixsk drain \
	netlock manifest moveset swap_move swap_summary $(RT_DEV_USES)
RT_USES_test_cmd_swap := $(RT_SWAP_USES)
RT_USES_test_cmd_swap_move := $(RT_SWAP_USES)
RT_USES_test_cmd_agent := cmd_agent agent relief_dev criu_run criu_rpc imgpack unixsk drain \
	proctree thaw netlock manifest sysio kstate cpulist $(RT_DEV_USES)
RT_LIBS_test_cmd_agent := $(call rt_wrap,reliefctl_ioctl reliefctl_now_ns \
	reliefctl_sleep_ms geteuid $(RT_SYS_WRAP))
RT_LIBS_test_cmd_swap := -lnuma -lcpupower $(call rt_wrap,reliefctl_ioctl \
	reliefctl_now_ns reliefctl_sleep_ms geteuid $(RT_SYS_WRAP))
RT_LIBS_test_cmd_swap_move := $(RT_LIBS_test_cmd_swap)
RT_USES_test_cmd_abort := cmd_abort follow kstate relief_dev cpulist sysio
RT_LIBS_test_cmd_abort := $(call rt_wrap,reliefctl_ioctl reliefctl_now_ns \
	reliefctl_sleep_ms geteuid)

RT_USES_test_sysio := sysio
RT_USES_test_image_check := image_check relief_dev size sysio kstate cpulist
RT_LIBS_test_image_check := $(call rt_wrap,reliefctl_ioctl)

# A stand-in for the libnftables a thaw and B's agent load
# (RELIEF_LIBNFTABLES), next to the tests that load it.
RT_FAKE_NFT := $(RT_OUT)/libfake-nftables.so
$(RT_FAKE_NFT): $(RT_DIR)/fake_nftables.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -shared -fPIC -o $@ $<
$(RT_OUT)/test_proctree $(RT_OUT)/test_agent: $(RT_FAKE_NFT)

# fake-criu.sh's `criu swrk`, for the tests that restore.
RT_FAKE_SWRK := $(RT_OUT)/fake-criu-swrk
$(RT_FAKE_SWRK): $(RT_DIR)/fake_criu_swrk.c
	@mkdir -p $(@D)
	$(CC) $(RT_CFLAGS) $(SAN) -o $@ $<
$(addprefix $(RT_OUT)/,test_criu_run test_agent test_cmd_agent \
	test_cmd_swap_move): $(RT_FAKE_SWRK)

define RT_TEST_RULE
$(RT_OUT)/$(1): $(RT_DIR)/$(1).c $(RT_HELPERS) $(wildcard $(RT_DIR)/*.h) \
		$(TOP)/tests/unit/helper_image.h $(TOP)/proto/relief_image.h \
		$(patsubst %,$(RT_SRC)/%.c,$(RT_USES_$(1))) $(RELIEFCTL_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(RT_CFLAGS) $$(SAN) -o $$@ $$(filter %.c,$$^) \
		$$(RT_LIBS_$(1)) -lcmocka
endef
$(foreach t,$(RT_NAMES),$(eval $(call RT_TEST_RULE,$(t))))

.PHONY: check-reliefctl
check-reliefctl: $(RT_BINS) $(RELIEFCTL)-asan
	@rc=0; for t in $(RT_BINS); do \
		echo "# $$(basename $$t)"; \
		FAKE_CRIU_SWRK=$(RT_FAKE_SWRK) CMOCKA_MESSAGE_OUTPUT=TAP \
			$$t || rc=1; \
	done; \
	echo "# topology-sysfs"; \
	$(RT_DIR)/topology-sysfs.sh $(RELIEFCTL)-asan || rc=1; \
	exit $$rc
