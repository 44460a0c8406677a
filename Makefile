# SPDX-License-Identifier: GPL-2.0
#
# relief - top-level build. Userspace parts build into out/, the kernel into
# build/ (a Debian linux-source-6.12 tree with relief laid in). Each part
# keeps its rules in a fragment next to its sources, included below.
#
#   make demo      install what is missing, build, boot the Debian server,
#                  swap its kernel from A to B under a client's eyes
#   make check     install what is missing, build, run every test
#   make kernel    build kernel images A and B (+ their initramfs)
#   make deb       build the Debian packages: kernels A and B, reliefctl
#   make image     build the Debian 12 server image the packages run on
#   make clean     remove userspace objects and test output
#   make distclean also remove the kernel tree and its objects

SHELL := /bin/bash
TOP := $(CURDIR)
OUT := $(TOP)/out
BUILD := $(TOP)/build

CC ?= cc
CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all userspace check demo deps clean distclean
all: userspace

include proto/proto.mk
include userspace/reliefctl/reliefctl.mk
include tests/unit/unit.mk
include tests/sim/sim.mk
include tests/reliefctl/reliefctl-tests.mk
include tests/model/model.mk
include tests/fuzz/fuzz.mk
include kernel/kernel.mk
include tests/workloads/workloads.mk
include tests/image/image.mk
include tests/vm/vm.mk
include tests/bench/bench.mk
include tests/style.mk

# Targets under out/ may also be named relative to the top, as in
# `make out/unit/test_wire`: the rules themselves use absolute paths.
out/%: $(OUT)/% ;

deps:
	@tests/deps.sh

check: deps
	@tests/check.sh

demo: deps
	@tests/image/demo.sh

clean:
	rm -rf $(OUT)

distclean: clean
	rm -rf $(BUILD)
