# kernel/ - relief kernel images A and B (kernel/build.sh) and, for each, an
# initramfs with the same guest userspace (tests/vm/mkinitramfs.sh).
IMAGES := $(BUILD)/images

.PHONY: kernel kernel-a kernel-b initrds
kernel:
	@$(TOP)/kernel/build.sh a b
	@$(MAKE) -s initrds
kernel-a kernel-b: kernel-%:
	@$(TOP)/kernel/build.sh $*
	@$(MAKE) -s initrds

initrds: reliefctl workloads
	@for v in a b; do \
		[ -e $(IMAGES)/vmlinuz-relief-$$v ] || continue; \
		$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-$$v.cpio.gz; \
	done
