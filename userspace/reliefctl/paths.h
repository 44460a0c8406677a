/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paths.h - where reliefctl finds the kernel's relief; each is overridden
 * by an environment variable so that tests point it at a tree of their own:
 *
 *   RELIEF_SYSFS      /sys/kernel/relief
 *   RELIEF_DEV        /dev/relief
 *   RELIEF_CPU_SYSFS  /sys/devices/system/cpu
 *   RELIEF_SYS        /sys (where block devices and interfaces lie)
 *   RELIEF_MOUNTINFO  /proc/self/mountinfo
 *   RELIEF_DEVDIR     /dev (the new kernel's block device nodes)
 *   RELIEF_OVERCOMMIT /proc/sys/vm/overcommit_memory
 *   RELIEF_IOMEM      /proc/iomem (the machine's RAM)
 *   RELIEF_KEXEC_DISABLED /proc/sys/kernel/kexec_load_disabled
 *   RELIEF_SYSROOT    /sysroot (where the new kernel mounts the old one's
 *                     root file system: relief-bootstrap's)
 *   RELIEF_BOOTSTRAP  /boot/relief-bootstrap.img (kernel B's initramfs
 *                     when swap is given no --initrd)
 *   RELIEF_IOMMU_CLASS /sys/class/iommu (the IOMMUs this kernel drives)
 */
#ifndef RELIEFCTL_PATHS_H
#define RELIEFCTL_PATHS_H

#define RELIEF_DEV_DEFAULT	"/dev/relief"
#define RELIEF_CPU_SYSFS_DEFAULT "/sys/devices/system/cpu"
#define RELIEF_SYS_DEFAULT	"/sys"
#define RELIEF_MOUNTINFO_DEFAULT "/proc/self/mountinfo"
#define RELIEF_DEVDIR_DEFAULT	"/dev"
#define RELIEF_OVERCOMMIT_DEFAULT "/proc/sys/vm/overcommit_memory"
#define RELIEF_IOMEM_DEFAULT	"/proc/iomem"
#define RELIEF_KEXEC_DISABLED_DEFAULT "/proc/sys/kernel/kexec_load_disabled"
#define RELIEF_SYSROOT_DEFAULT	"/sysroot"
#define RELIEF_BOOTSTRAP_DEFAULT "/boot/relief-bootstrap.img"
#define RELIEF_IOMMU_CLASS_DEFAULT "/sys/class/iommu"

const char *reliefctl_sysfs_dir(void);
const char *reliefctl_dev_path(void);
const char *reliefctl_cpu_dir(void);
const char *reliefctl_sys_dir(void);
const char *reliefctl_mountinfo_path(void);
const char *reliefctl_devnode_dir(void);
const char *reliefctl_overcommit_path(void);
const char *reliefctl_iomem_path(void);
const char *reliefctl_kexec_disabled_path(void);
const char *reliefctl_sysroot_dir(void);
const char *reliefctl_bootstrap_path(void);
const char *reliefctl_iommu_dir(void);

#endif /* RELIEFCTL_PATHS_H */
