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

# The plain initramfs has no kernels in /boot: what the last kernel of a
# chain boots with (A' in A -> B -> A'). B's carries kernel A and the plain
# one, so that B, having relieved A, can swap on to A'. A's carries B's
# kernel and initramfs, and image n (no relief) to see that refused.
initrds: reliefctl workloads
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-plain.cpio.gz
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-b.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-a \
		--boot $(IMAGES)/initrd-relief-plain.cpio.gz
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-a.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-b \
		--boot $(IMAGES)/initrd-relief-b.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-n
