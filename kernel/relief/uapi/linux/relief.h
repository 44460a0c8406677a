/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * relief uapi: the interface between reliefctl and the running kernel.
 *
 * Laid into the kernel tree as include/uapi/linux/relief.h. A swap is
 * prepared with one ioctl on /dev/relief (the image and initrd go in as
 * file descriptors, so the kernel reads and checks them itself, as
 * kexec_file_load does); its progress is read from /sys/kernel/relief/.
 */
#ifndef _UAPI_LINUX_RELIEF_H
#define _UAPI_LINUX_RELIEF_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RELIEF_DEVICE		"/dev/relief"
#define RELIEF_SYSFS		"/sys/kernel/relief"
#define RELIEF_MAX_CPUS		512

/* Stop once the new kernel has qualified: nothing is handed over. */
#define RELIEF_PREPARE_REHEARSAL	(1U << 0)
/* Test only: make the new kernel see a protocol it cannot accept. */
#define RELIEF_PREPARE_BAD_VERSION	(1U << 1)
#define RELIEF_PREPARE_FLAGS	(RELIEF_PREPARE_REHEARSAL | \
				 RELIEF_PREPARE_BAD_VERSION)

struct relief_prepare {
	__s32 kernel_fd;	/* bzImage */
	__s32 initrd_fd;	/* -1: none */
	__u64 cmdline;		/* user pointer: extra args for the new kernel */
	__u32 cmdline_len;	/* bytes, including the NUL; 0: none */
	__u32 flags;		/* RELIEF_PREPARE_* */
	__u32 timeout_ms;	/* each protocol deadline; 0: default */
	__u32 pad;		/* zero */
	__u64 cpus[RELIEF_MAX_CPUS / 64];	/* logical CPUs to lend */
};

/* Load the image, take the CPUs, start the new kernel; returns at once. */
#define RELIEF_IOC_PREPARE	_IOW('R', 1, struct relief_prepare)
/* Abort the swap in progress (before commit). */
#define RELIEF_IOC_ABORT	_IO('R', 2)

#endif /* _UAPI_LINUX_RELIEF_H */
