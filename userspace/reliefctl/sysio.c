// SPDX-License-Identifier: GPL-2.0
/*
 * sysio.c - ioctl, clock, sleep, freezing, mounting and chroot, each replaceable
 * by the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "sysio.h"

int reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

uint64_t reliefctl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void reliefctl_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int reliefctl_fsfreeze(const char *path, bool freeze)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	/* FIFREEZE syncs too; this says earlier which file system is slow. */
	if ((freeze && syncfs(fd)) ||
	    ioctl(fd, freeze ? FIFREEZE : FITHAW, 0))
		ret = -errno;
	close(fd);
	return ret;
}

int reliefctl_mount(const char *src, const char *target, const char *fstype,
		    unsigned long flags, const char *data)
{
	return mount(src, target, fstype, flags, data) ? -errno : 0;
}

int reliefctl_umount(const char *target, int flags)
{
	return umount2(target, flags) ? -errno : 0;
}

int reliefctl_chroot(const char *dir)
{
	return chroot(dir) || chdir("/") ? -errno : 0;
}
