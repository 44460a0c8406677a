// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: handing devices over (OLD)
 *
 * Every PCI device with a driver bound moves: no device is left behind for
 * a kernel that is about to park. Bridges are the way there, not devices
 * that move (the new kernel reads them on its way to the devices). A
 * device is let go one of two ways:
 *
 * - freeze, where its driver has hibernation callbacks: the way
 *   hibernation lets go of it before the snapshot. For virtio that resets
 *   the device, frees its interrupts and stops bus mastering, while the
 *   driver keeps its software state (block device, network interface). A
 *   rollback thaws it with the restore callback, and everything built on
 *   it (a mounted filesystem, an interface's addresses) carries on;
 * - unbind, where it has none (in 6.12 lpc_ich, ioatdma, mlx5_core,
 *   pvpanic-pci among others): the driver is unbound, as through sysfs,
 *   which quiesces the device and drops what the driver built on it. A
 *   rollback probes the device again: it comes back as after a hotplug,
 *   without what was built on it before.
 *
 * Either way the new kernel starts the device from reset with its own
 * driver. A driver that can neither freeze nor be unbound (it suppresses
 * its bind attributes) makes the swap refused, the device named.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/pm.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "relief.h"
#include "relief_old.h"
#include "proto/relief_fsm.h"

/*
 * The driver's own hibernation callbacks, called directly: the PCI bus's
 * wrappers exist only with CONFIG_HIBERNATE_CALLBACKS, and add nothing a
 * single device needs here (no runtime PM in these kernels).
 */
static const struct dev_pm_ops *relief_pm(struct device *dev)
{
	const struct dev_pm_ops *pm = dev->driver ? dev->driver->pm : NULL;

	return pm && pm->freeze && pm->restore ? pm : NULL;
}

/* How the driver bound to @dev lets go of it. */
enum relief_dev_way { RELIEF_DEV_FIXED, RELIEF_DEV_FREEZE, RELIEF_DEV_UNBIND };

static enum relief_dev_way relief_dev_way(struct device *dev)
{
	if (relief_pm(dev))
		return RELIEF_DEV_FREEZE;
	if (dev->driver && !dev->driver->suppress_bind_attrs)
		return RELIEF_DEV_UNBIND;
	return RELIEF_DEV_FIXED;
}

static const char *const relief_dev_way_name[] = {
	[RELIEF_DEV_FIXED] = "fixed",
	[RELIEF_DEV_FREEZE] = "freeze",
	[RELIEF_DEV_UNBIND] = "unbind",
};

/* A device that moves: bound, and no bridge (see the DOC above). */
static bool relief_dev_moves(struct pci_dev *pdev)
{
	return pdev->dev.driver && !pci_is_bridge(pdev);
}

/**
 * relief_describe_devices() - list the devices that move to NEW
 * @h: hardware description to add them to
 * @idx: where their indices in @h->devices go, in handover order
 * @nr: out: how many
 *
 * Return: 0; -EOPNOTSUPP, with the device named in the log, if a bound
 * driver cannot let go of its device; -E2BIG if there are too many.
 */
int relief_describe_devices(struct relief_hwdesc *h, u32 *idx, u32 *nr)
{
	struct pci_dev *pdev = NULL;
	struct relief_hwdesc_device *d;

	*nr = 0;
	for_each_pci_dev(pdev) {
		if (!relief_dev_moves(pdev))
			continue;
		if (relief_dev_way(&pdev->dev) == RELIEF_DEV_FIXED) {
			pr_err("device %s (driver %s) cannot be handed over: no freeze/restore, and its driver may not be unbound\n",
			       pci_name(pdev), pdev->dev.driver->name);
			pci_dev_put(pdev);
			return -EOPNOTSUPP;
		}
		if (h->nr_devices >= RELIEF_HWDESC_MAX_DEVICES ||
		    *nr >= RELIEF_FSM_DEV_MAX) {
			pci_dev_put(pdev);
			return -E2BIG;
		}
		idx[(*nr)++] = h->nr_devices;
		d = &h->devices[h->nr_devices++];
		memset(d, 0, sizeof(*d));
		strscpy(d->name, pci_name(pdev), sizeof(d->name));
		strscpy(d->compatible, pdev->dev.driver->name,
			sizeof(d->compatible));
		d->bus = RELIEF_HWDESC_BUS_PCI;
		d->flags = RELIEF_HWDESC_DEV_RESET | RELIEF_HWDESC_DEV_DMA;
		d->pci_segment = pci_domain_nr(pdev->bus);
		d->pci_bus = pdev->bus->number;
		d->pci_devfn = pdev->devfn;
	}
	return 0;
}

/* The device @d names, with a reference, or NULL. */
static struct pci_dev *relief_pci_dev(const struct relief_hwdesc_device *d)
{
	if (d->bus != RELIEF_HWDESC_BUS_PCI)
		return NULL;
	return pci_get_domain_bus_and_slot(d->pci_segment, d->pci_bus,
					   d->pci_devfn);
}

/*
 * Freeze @pdev with its driver's callback, or unbind the driver; @way
 * says which it was (or that it was neither). Return: 0 or why not.
 */
static int relief_dev_let_go(struct pci_dev *pdev, enum relief_dev_way *way)
{
	struct device *dev = &pdev->dev;
	int ret = -EOPNOTSUPP;

	device_lock(dev);
	*way = relief_dev_way(dev);
	if (*way == RELIEF_DEV_FREEZE)
		ret = relief_pm(dev)->freeze(dev);
	device_unlock(dev);
	if (*way != RELIEF_DEV_UNBIND)
		return ret;
	device_release_driver(dev);
	if (dev->driver)
		return -EBUSY;
	/*
	 * A driver's remove need not disable its device (many leave that
	 * to the PCI core, which does not): no DMA into this kernel's
	 * memory from a device it let go of.
	 */
	pci_clear_master(pdev);
	return 0;
}

/*
 * Take @dev back: a frozen one kept its driver and is restored; an
 * unbound one is probed again. Return: 0, or why it is not back.
 */
static int relief_dev_take_back(struct device *dev)
{
	int ret;

	device_lock(dev);
	if (dev->driver) {
		ret = relief_pm(dev) ? relief_pm(dev)->restore(dev) : 0;
		device_unlock(dev);
		return ret;
	}
	device_unlock(dev);
	ret = device_attach(dev);
	return ret < 0 ? ret : ret ? 0 : -ENODEV;
}

/**
 * relief_release_device() - quiesce a device and let go of it
 * @d: the device, as described to NEW
 *
 * Its driver's freeze callback, or without one, unbinding the driver.
 *
 * Return: 0, -ENODEV if there is no such device, or why it was not let go.
 */
int relief_release_device(const struct relief_hwdesc_device *d)
{
	struct pci_dev *pdev = relief_pci_dev(d);
	enum relief_dev_way way;
	int ret;

	if (!pdev)
		return -ENODEV;
	ret = relief_dev_let_go(pdev, &way);
	pci_dev_put(pdev);
	if (ret)
		pr_err("device %s: %s failed: %d\n", d->name,
		       relief_dev_way_name[way], ret);
	else
		pr_info("device %s let go (%s)\n", d->name,
			relief_dev_way_name[way]);
	return ret;
}

/**
 * relief_retake_device() - take a released device back (rollback)
 * @d: the device
 *
 * Return: 0, or the restore callback's or the probe's error.
 */
int relief_retake_device(const struct relief_hwdesc_device *d)
{
	struct pci_dev *pdev = relief_pci_dev(d);
	int ret;

	if (!pdev)
		return -ENODEV;
	ret = relief_dev_take_back(&pdev->dev);
	pci_dev_put(pdev);
	if (ret)
		pr_err("device %s: not taken back: %d\n", d->name, ret);
	else
		pr_info("device %s taken back\n", d->name);
	return ret;
}

/**
 * relief_old_show_devices() - the devices a swap would hand over now
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: one "NAME DRIVER freeze|unbind|fixed" line per
 * device that moves, saying how it would be let go ("fixed": it cannot
 * be, so a swap is refused). The agent freezes what lives on them; a dry
 * run lists them.
 */
ssize_t relief_old_show_devices(char *buf)
{
	struct pci_dev *pdev = NULL;
	ssize_t n = 0;

	for_each_pci_dev(pdev) {
		if (!relief_dev_moves(pdev))
			continue;
		n += sysfs_emit_at(buf, n, "%s %s %s\n", pci_name(pdev),
				   pdev->dev.driver->name,
				   relief_dev_way_name[relief_dev_way(&pdev->dev)]);
	}
	return n;
}
