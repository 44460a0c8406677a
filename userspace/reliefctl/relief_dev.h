/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief_dev.h - /dev/relief, the kernel's relief interface
 * (kernel/relief/uapi/linux/relief.h), in reliefctl's terms. Only
 * relief_dev.c includes the uapi header: its RELIEF_MAX_CPUS (the ioctl's
 * bitmap) is not cpulist.h's (any CPU id Linux can have).
 */
#ifndef RELIEFCTL_RELIEF_DEV_H
#define RELIEFCTL_RELIEF_DEV_H

#include <stdint.h>

#define RELIEF_DEV_MAX_CPUS	512	/* CPU ids the ioctl can name */
#define RELIEF_DEV_REHEARSAL	(1u << 0)	/* stop once B qualified */
#define RELIEF_DEV_BAD_VERSION	(1u << 1)	/* test: B sees a bad protocol */

struct relief_dev_prepare {
	int kernel_fd;
	int initrd_fd;			/* -1: none */
	const char *cmdline;		/* NULL: none */
	uint32_t flags;			/* RELIEF_DEV_* */
	uint32_t timeout_ms;		/* 0: the kernel's default */
	uint64_t cpus[RELIEF_DEV_MAX_CPUS / 64];
};

/* RELIEF_IOC_PREPARE on a fresh open of /dev/relief: 0 or -errno. */
int relief_dev_prepare(const struct relief_dev_prepare *p);
/* RELIEF_IOC_ABORT: 0 or -errno (-ESRCH: nothing to abort). */
int relief_dev_abort(void);

#endif /* RELIEFCTL_RELIEF_DEV_H */
