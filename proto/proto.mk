# proto/ - the protocol library, shared verbatim by kernel and userspace.
# Userspace links every proto/*.c; the kernel build lists them in proto/Kbuild.

PROTO_SRCS := $(sort $(wildcard $(TOP)/proto/*.c))
PROTO_HDRS := $(sort $(wildcard $(TOP)/proto/*.h))
PROTO_LIBS := -lfdt

.PHONY: check-freestanding
# proto/ must not depend on a hosted C library: compile each file as the
# kernel would see it, freestanding, with no libc to link against.
check-freestanding: $(PROTO_SRCS) $(PROTO_HDRS)
	@mkdir -p $(OUT)/freestanding
	@for f in $(PROTO_SRCS); do \
		n=$$(basename $$f .c); \
		if $(CC) $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -fno-builtin \
			-c $$f -o $(OUT)/freestanding/$$n.o; then \
			echo "PASS: freestanding $$n.c"; \
		else echo "FAIL: freestanding $$n.c"; fi; \
	done
