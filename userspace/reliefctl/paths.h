/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paths.h - where reliefctl finds the kernel's relief; each is overridden
 * by an environment variable so that tests point it at a tree of their own:
 *
 *   RELIEF_SYSFS      /sys/kernel/relief
 *   RELIEF_DEV        /dev/relief
 *   RELIEF_CPU_SYSFS  /sys/devices/system/cpu
 */
#ifndef RELIEFCTL_PATHS_H
#define RELIEFCTL_PATHS_H

#define RELIEF_DEV_DEFAULT	"/dev/relief"
#define RELIEF_CPU_SYSFS_DEFAULT "/sys/devices/system/cpu"

const char *reliefctl_sysfs_dir(void);
const char *reliefctl_dev_path(void);
const char *reliefctl_cpu_dir(void);

#endif /* RELIEFCTL_PATHS_H */
