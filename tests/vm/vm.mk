# tests/vm - QEMU scenarios, each a guest script in tests/vm/scenarios/,
# run by tests/vm/scenario.sh against the kernel images from `make kernel`.
VM_SCENARIOS ?= smoke

.PHONY: check-vm
check-vm:
	@rc=0; for s in $(VM_SCENARIOS); do \
		$(TOP)/tests/vm/scenario.sh $$s || rc=1; \
	done; exit $$rc
