# tests/vm - QEMU scenarios, each a guest script in tests/vm/scenarios/,
# run by tests/vm/scenario.sh against the images from `make kernel`.
# An entry is SCENARIO or SCENARIO@IMAGE (default image: a).
# full-swap, rollback and cycle are stage 2 (issue 5): a whole swap with
# workloads (B runs scenarios/full-swap.after.sh), failures after the
# commit, and A -> B -> A'. `make check-vm-stage2` runs just those.
VM_SCENARIOS_STAGE2 ?= full-swap rollback cycle chain
VM_SCENARIOS ?= smoke smoke@b plan refusals bad-images swap-abort norelief \
	missing-driver swap-cycles locked numa-swap $(VM_SCENARIOS_STAGE2)

# Extra run-vm.sh options a scenario needs, on any image: VM_OPTS_<name>.
VM_OPTS_smoke := --disk new:64M --hostfwd 7
VM_OPTS_plan := --numa 2
# A whole swap on two nodes: B takes A's NUMA layout (hook patch 0007).
# In one clean-clone CI run the VM reset (QEMU exited, nothing logged)
# while B bound the NIC; 31 runs in a row since did not (2026-12-07). QEMU
# logs its resets here, so that the next one shows where the CPU was.
VM_OPTS_numa-swap := --numa 2 --append "relief_region=512M no_ipi_broadcast=1" \
	--timeout 400 --qemu-debug cpu_reset,guest_errors --expect-poweroff
RELIEF_A_ARGS := --append "relief_region=256M no_ipi_broadcast=1"
VM_OPTS_swap-abort := $(RELIEF_A_ARGS)
# (the short form of relief_region=, to keep it tested too)
VM_OPTS_norelief := --append "relief=256M no_ipi_broadcast=1"
VM_OPTS_swap-cycles := $(RELIEF_A_ARGS)
VM_OPTS_missing-driver := $(RELIEF_A_ARGS)
# The foreign kernels on a disk of their own (kernel/kernel.mk fetches
# them); RELIEF_MUTANTS random mutants of B (make check-mutants: more).
FOREIGN_DISK := $(IMAGES)/foreign.ext4
RELIEF_MUTANTS ?= 6
VM_OPTS_bad-images = $(RELIEF_A_ARGS) --disk $(FOREIGN_DISK) \
	--env RELIEF_MUTANTS=$(RELIEF_MUTANTS) --timeout 900
VM_OPTS_locked := --append "relief_region=256M no_ipi_broadcast=1 lockdown=integrity"
# A -> B -> A': A's region holds B, B's own region for A', and the images.
# 1G of the guest's 2G in one piece: a kernel placed at random (KASLR) in
# the middle of the RAM leaves no such piece ("could not reserve the
# region"), so A boots where the kernel is linked to be.
VM_OPTS_cycle := --append "relief_region=1G no_ipi_broadcast=1 nokaslr" \
	--timeout 400
# Eight swaps in a row; every kernel, A too, makes its region at swap
# time (relief_carve.c): A from the movable memory movablecore= gives it.
VM_OPTS_chain := --append "movablecore=1536M relief_region=512M,swap no_ipi_broadcast=1" \
	--timeout 900 --expect-sysrq
# Each injected fault rolls back after the commit: 512M as for full-swap.
VM_OPTS_rollback := --append "relief_region=512M no_ipi_broadcast=1" \
	--disk new:64M --timeout 400
# B's region holds B, the restored processes and the transfer area; the
# data disk carries the ticker's file from A to B. The NIC and the disk
# sit behind PCIe root ports and a switch, as on a server (rollback,
# cycle, chain and numa-swap keep them on root bus 0).
VM_OPTS_full-swap := --append "relief_region=512M no_ipi_broadcast=1" \
	--hostfwd 7 --host-echo --host-type --disk new:64M --timeout 600 --expect-reset \
	--pci-tree

vm_name = $(firstword $(subst @, ,$(1)))
vm_image = $(or $(word 2,$(subst @, ,$(1))),a)

# vm_run LIST: run each scenario of LIST, fail if one did.
vm_run = rc=0; \
	$(foreach s,$(1),$(TOP)/tests/vm/scenario.sh \
		$(call vm_name,$(s)) --image $(call vm_image,$(s)) \
		$(VM_OPTS_$(call vm_name,$(s))) || rc=1;) \
	exit $$rc

# With them, B re-marked as a relief kernel of protocols 2-3 and of 0-0
# (tests/vm/remark-image.py): whole, and too new or too old for A.
$(FOREIGN_DISK): foreign-kernels
	@rm -rf $@.d && mkdir -p $@.d
	@cp $(IMAGES)/vmlinuz-debian-amd64 $(IMAGES)/vmlinuz-debian-arm64 $@.d/
	@$(TOP)/tests/vm/remark-image.py $(IMAGES)/vmlinuz-relief-b \
		$@.d/vmlinuz-relief-proto2 2 3
	@$(TOP)/tests/vm/remark-image.py $(IMAGES)/vmlinuz-relief-b \
		$@.d/vmlinuz-relief-proto0 0 0
	@rm -f $@ && truncate -s 96M $@ && mkfs.ext4 -q -F -L foreign -d $@.d $@
	@rm -rf $@.d

.PHONY: check-vm check-vm-stage2 check-mutants check-parity
check-vm: $(FOREIGN_DISK)
	@$(call vm_run,$(VM_SCENARIOS))
	@$(TOP)/tests/vm/parity.sh
# Kernel B cold-booted against B reached by a swap (tests/vm/parity.sh).
check-parity:
	@$(TOP)/tests/vm/parity.sh
# The mutation run on its own, larger (RELIEF_MUTANTS=N to change it).
check-mutants: RELIEF_MUTANTS = 60
check-mutants: $(FOREIGN_DISK)
	@$(call vm_run,bad-images)
check-vm-stage2:
	@$(call vm_run,$(VM_SCENARIOS_STAGE2))
