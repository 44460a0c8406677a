# kernel/ - relief kernel images A and B (kernel/build.sh) and, for each, an
# initramfs with the same guest userspace (tests/vm/mkinitramfs.sh).
IMAGES := $(BUILD)/images

.PHONY: kernel kernel-a kernel-b initrds
kernel:
	@$(TOP)/kernel/build.sh a b n
	@$(MAKE) -s initrds
kernel-a kernel-b kernel-n: kernel-%:
	@$(TOP)/kernel/build.sh $*
	@$(MAKE) -s initrds

# B's initramfs is plain; A's also carries B's kernel and initramfs in
# /boot, so that a guest booted from A can swap to B, and image n (no
# relief) to see that refused.
initrds: reliefctl workloads
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-b.cpio.gz
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-a.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-b \
		--boot $(IMAGES)/initrd-relief-b.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-n
