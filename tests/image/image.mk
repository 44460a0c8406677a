# tests/image/ - the Debian 12 server relief is tested on: build/image/disk.img
# (tests/image/build.sh), rebuilt when the packages or the image's own
# inputs change.
# One build at a time: two (make demo beside a benchmark) would boot the
# same disk.img.tmp for its first boot, and QEMU refuses the second. A
# machine running meanwhile keeps the disk it booted: the new one is
# renamed into place.
.PHONY: image
image: deb
	@mkdir -p $(BUILD)/image
	@flock $(BUILD)/image/.lock $(TOP)/tests/image/build.sh

# make check's "server" phase: the Debian machine boots by itself as the
# server the tests need, with relief's packages (check-boot.sh), swaps
# from kernel package A to B moving nginx and redis-server
# (check-swap.sh), and with an IOMMU translating refuses to swap
# (check-iommu.sh).
.PHONY: check-server
check-server: image foreign-kernels
	@$(TOP)/tests/image/check-boot.sh; b=$$?; \
		$(TOP)/tests/image/check-swap.sh; s=$$?; \
		$(TOP)/tests/image/check-iommu.sh && exit $$((b | s))
