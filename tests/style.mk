# tests/style.mk - kernel style of every file that goes into the kernel:
# checkpatch --strict (sources and kernel/patches/series) and kernel-doc
# -Wall, from the tree `make kernel` unpacks (tests/style.sh).

.PHONY: check-style
check-style:
	@$(TOP)/tests/style.sh
