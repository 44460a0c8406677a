/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysio.h - the few calls reliefctl makes to the machine that its tests
 * replace (-Wl,--wrap): the relief ioctl, the clock and sleeping, and
 * freezing and mounting file systems and entering one (no test may freeze
 * the disk it runs on, or chroot: every test that links a caller wraps
 * them). Each is a
 * function of its own, in its own file, so that callers elsewhere reach it
 * through the linker.
 */
#ifndef RELIEFCTL_SYSIO_H
#define RELIEFCTL_SYSIO_H

#include <stdbool.h>
#include <stdint.h>

/* ioctl(fd, req, arg): 0 (or the ioctl's result) on success, -errno on error. */
int reliefctl_ioctl(int fd, unsigned long req, void *arg);
/* CLOCK_MONOTONIC in ns. */
uint64_t reliefctl_now_ns(void);
/* Sleep ms milliseconds (the follow loop's poll period). */
void reliefctl_sleep_ms(unsigned int ms);
/*
 * reliefctl_fsfreeze() - freeze (syncfs, then FIFREEZE) or thaw (FITHAW)
 * the file system mounted on path. 0 or -errno.
 */
int reliefctl_fsfreeze(const char *path, bool freeze);
/* mount(2) and umount2(2): 0 or -errno. */
int reliefctl_mount(const char *src, const char *target, const char *fstype,
		    unsigned long flags, const char *data);
int reliefctl_umount(const char *target, int flags);
/* chroot(2) to dir, then chdir("/"): 0 or -errno. */
int reliefctl_chroot(const char *dir);

#endif /* RELIEFCTL_SYSIO_H */
