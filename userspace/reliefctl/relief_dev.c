// SPDX-License-Identifier: GPL-2.0
/* relief_dev.c - the /dev/relief ioctls, from reliefctl's structures. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <linux/relief.h>

#include "paths.h"
#include "relief_dev.h"
#include "sysio.h"

static_assert(RELIEF_DEV_MAX_CPUS == RELIEF_MAX_CPUS, "uapi bitmap size");
static_assert(RELIEF_DEV_REHEARSAL == RELIEF_PREPARE_REHEARSAL, "flag");
static_assert(RELIEF_DEV_BAD_VERSION == RELIEF_PREPARE_BAD_VERSION, "flag");

static int dev_ioctl(unsigned long req, void *arg)
{
	int fd = open(reliefctl_dev_path(), O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = reliefctl_ioctl(fd, req, arg);
	close(fd);
	return ret < 0 ? ret : 0;
}

int relief_dev_prepare(const struct relief_dev_prepare *p)
{
	struct relief_prepare k;

	memset(&k, 0, sizeof(k));
	k.kernel_fd = p->kernel_fd;
	k.initrd_fd = p->initrd_fd;
	if (p->cmdline) {
		k.cmdline = (__u64)(uintptr_t)p->cmdline;
		k.cmdline_len = (__u32)strlen(p->cmdline) + 1;
	}
	k.flags = p->flags;
	k.timeout_ms = p->timeout_ms;
	memcpy(k.cpus, p->cpus, sizeof(k.cpus));
	return dev_ioctl(RELIEF_IOC_PREPARE, &k);
}

int relief_dev_abort(void)
{
	return dev_ioctl(RELIEF_IOC_ABORT, NULL);
}
