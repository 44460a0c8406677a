# tests/vm - QEMU scenarios, each a guest script in tests/vm/scenarios/,
# run by tests/vm/scenario.sh against the images from `make kernel`.
# An entry is SCENARIO or SCENARIO@IMAGE (default image: a).
VM_SCENARIOS ?= smoke smoke@b

.PHONY: check-vm
check-vm:
	@rc=0; for s in $(VM_SCENARIOS); do \
		n=$${s%@*}; i=a; case $$s in *@*) i=$${s#*@} ;; esac; \
		$(TOP)/tests/vm/scenario.sh $$n --image $$i || rc=1; \
	done; exit $$rc
