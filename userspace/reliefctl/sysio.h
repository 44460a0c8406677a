/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysio.h - the few calls reliefctl makes to the machine that its tests
 * replace (-Wl,--wrap): the relief ioctl, the clock and sleeping. Each is a
 * function of its own, in its own file, so that callers elsewhere reach it
 * through the linker.
 */
#ifndef RELIEFCTL_SYSIO_H
#define RELIEFCTL_SYSIO_H

#include <stdint.h>

/* ioctl(fd, req, arg): 0 (or the ioctl's result) on success, -errno on error. */
int reliefctl_ioctl(int fd, unsigned long req, void *arg);
/* CLOCK_MONOTONIC in ns. */
uint64_t reliefctl_now_ns(void);
/* Sleep ms milliseconds (the follow loop's poll period). */
void reliefctl_sleep_ms(unsigned int ms);

#endif /* RELIEFCTL_SYSIO_H */
