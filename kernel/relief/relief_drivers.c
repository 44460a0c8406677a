// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: a driver for every device handed over (NEW)
 *
 * Kernel A hands over every PCI device it has a driver bound to, and
 * names that driver in the hardware description (the device's
 * compatible). Kernel B binds the devices only once A stood relieved:
 * a kernel built without one of those drivers would find out there,
 * after the commit, and roll back with A's services already frozen. So
 * before it says it is ready to relieve, B looks up each of those
 * drivers among its own PCI drivers; when one is missing it aborts,
 * before the commit, with the driver and the device named, and A keeps
 * everything it had.
 *
 * The lookup is by the driver's name, which a driver keeps from one
 * kernel version to the next. A driver built as a module that B has not
 * loaded yet is not registered either: B's bootstrap loads nothing
 * before it qualifies, so relief kernels build their drivers in.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/pci.h>

#include "relief.h"

/**
 * relief_new_missing_driver() - a handed-over device with no driver here
 * @h: the hardware description kernel A handed over
 *
 * Return: the first PCI device of @h whose driver in kernel A (its
 * compatible) this kernel has not registered, or NULL when it has them
 * all.
 */
const struct relief_hwdesc_device *
relief_new_missing_driver(const struct relief_hwdesc *h)
{
	u32 i;

	for (i = 0; i < h->nr_devices; i++) {
		const struct relief_hwdesc_device *d = &h->devices[i];

		if (d->bus != RELIEF_HWDESC_BUS_PCI || !d->compatible[0])
			continue;
		if (!driver_find(d->compatible, &pci_bus_type))
			return d;
	}
	return NULL;
}
