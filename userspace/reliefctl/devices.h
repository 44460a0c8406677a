/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devices.h - the PCI devices the old kernel hands over at a swap, and
 * what lies on them. The kernel lists them in /sys/kernel/relief/devices,
 * one "0000:00:02.0 virtio-pci movable" line each (every PCI device with
 * a driver). A block device, a partition or a network interface lies on
 * one when that device is on the way from the sysfs root to it: its
 * sysfs path (/sys/dev/block/254:1, /sys/class/net/eth0/device) resolves
 * to /sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1.
 */
#ifndef RELIEFCTL_DEVICES_H
#define RELIEFCTL_DEVICES_H

#include <stddef.h>

#define DEVICES_MAX	64
#define DEVICES_NAME	32

struct devlist {
	unsigned int nr;
	char name[DEVICES_MAX][DEVICES_NAME];	/* "0000:00:02.0" */
};

/*
 * devices_read() - the devices this kernel hands over, from the relief
 * sysfs directory (RELIEF_SYSFS). A kernel that shows none (no devices
 * file) hands none over. 0, or -errno with why.
 */
int devices_read(struct devlist *dl, char *why, size_t whylen);

/*
 * devices_owner() - the handed-over device that rel (a path under the
 * sysfs root, RELIEF_SYS) lies on: its index in dl, or -1 (no such path,
 * or on none). With base, the last component of the resolved path goes
 * there ("vda1" for a partition).
 */
int devices_owner(const struct devlist *dl, const char *rel, char *base,
		  size_t baselen);

#endif /* RELIEFCTL_DEVICES_H */
