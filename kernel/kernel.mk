# kernel/ - relief kernel images A and B (kernel/build.sh) and, for each, an
# initramfs with the same guest userspace (tests/vm/mkinitramfs.sh).
IMAGES := $(BUILD)/images

.PHONY: kernel kernel-a kernel-b initrds
kernel:
	@$(TOP)/kernel/build.sh a b n d
	@$(MAKE) -s initrds
kernel-a kernel-b kernel-n kernel-d: kernel-%:
	@$(TOP)/kernel/build.sh $*
	@$(MAKE) -s initrds

# B's initramfs is plain; A's also carries, in /boot, B's kernel (also
# signed with the test key, for the locked scenario) and initramfs (so
# that a guest booted from A can swap to B), image n (no
# relief, to see that refused), image d (B without a driver, to see it
# abort at qualification) and A's own kernel: for A -> B -> A' the
# cycle scenario packs that kernel and the plain initramfs into B's
# initramfs at run time, which keeps every other swap's copy small.
initrds: reliefctl workloads
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-b.cpio.gz
	@$(TOP)/tests/vm/mkinitramfs.sh $(IMAGES)/initrd-relief-a.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-b \
		--boot $(IMAGES)/vmlinuz-relief-b.signed \
		--boot $(IMAGES)/initrd-relief-b.cpio.gz \
		--boot $(IMAGES)/vmlinuz-relief-n \
		--boot $(IMAGES)/vmlinuz-relief-d \
		--boot $(IMAGES)/vmlinuz-relief-a

# The image checks (proto/relief_image.c) on the real images: A and B pass,
# n (no relief) and two of Debian's stock kernels (an x86_64 one, signed,
# and an arm64 one: tests/vm/foreign-kernels.sh fetches and caches them)
# are refused, and mutated copies of B too. tests/unit/test_image.c runs
# these only when RELIEF_TEST_IMAGES names the directory.
.PHONY: foreign-kernels check-images
foreign-kernels:
	@$(TOP)/tests/vm/foreign-kernels.sh $(IMAGES) >/dev/null
check-images: foreign-kernels $(OUT)/unit/test_image
	@$(TOP)/tests/unit/kernel-source.sh
	@echo "# test_image on $(IMAGES)"
	@RELIEF_TEST_IMAGES=$(IMAGES) CMOCKA_MESSAGE_OUTPUT=TAP \
		$(OUT)/unit/test_image

# The Debian server's packages, in build/debs/: relief kernels A and B from
# the two Debian sources kernel/source-version pins (deb-a, deb-b), and
# reliefctl (userspace/reliefctl/deb.sh).
.PHONY: deb
deb: reliefctl
	@$(TOP)/kernel/build.sh deb-a deb-b
	@$(TOP)/userspace/reliefctl/deb.sh $(BUILD)/debs >/dev/null
