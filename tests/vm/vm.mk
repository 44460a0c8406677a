# tests/vm - QEMU scenarios, each a guest script in tests/vm/scenarios/,
# run by tests/vm/scenario.sh against the images from `make kernel`.
# An entry is SCENARIO or SCENARIO@IMAGE (default image: a).
VM_SCENARIOS ?= smoke smoke@b plan refusals swap-abort norelief swap-cycles locked

# Extra run-vm.sh options a scenario needs, on any image: VM_OPTS_<name>.
VM_OPTS_smoke := --disk new:64M --hostfwd 7
VM_OPTS_plan := --numa 2
RELIEF_A_ARGS := --append "relief_region=256M no_ipi_broadcast=1"
VM_OPTS_swap-abort := $(RELIEF_A_ARGS)
# (the short form of relief_region=, to keep it tested too)
VM_OPTS_norelief := --append "relief=256M no_ipi_broadcast=1"
VM_OPTS_swap-cycles := $(RELIEF_A_ARGS)
VM_OPTS_locked := --append "relief_region=256M no_ipi_broadcast=1 lockdown=integrity"

vm_name = $(firstword $(subst @, ,$(1)))
vm_image = $(or $(word 2,$(subst @, ,$(1))),a)

.PHONY: check-vm
check-vm:
	@rc=0; \
	$(foreach s,$(VM_SCENARIOS),$(TOP)/tests/vm/scenario.sh \
		$(call vm_name,$(s)) --image $(call vm_image,$(s)) \
		$(VM_OPTS_$(call vm_name,$(s))) || rc=1;) \
	exit $$rc
