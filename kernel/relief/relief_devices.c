// SPDX-License-Identifier: GPL-2.0
/*
 * relief - handing devices over, OLD's side.
 *
 * Every PCI device with a driver bound moves: no device is left behind for
 * a kernel that is about to park. Bridges are the way there, not devices
 * that move (the new kernel reads them on its way to the devices). A
 * device is let go the way hibernation lets go of it before the snapshot:
 * its bus's freeze callback, which for virtio resets the device, frees
 * its interrupts and stops bus mastering, while the driver keeps its
 * software state (block device, network interface). The new kernel then
 * starts the device from reset with its own driver. A rollback thaws it
 * with the restore callback, and everything built on it (a mounted
 * filesystem, an interface's addresses) carries on in this kernel.
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

static bool relief_pm_ok(struct device *dev)
{
	return relief_pm(dev);
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
		/*
		 * Bridges (a port driver's) are the way to the devices, not
		 * devices that move: NEW reads them on the way and binds
		 * them with the rest of the bus, once this kernel is gone.
		 */
		if (!pdev->dev.driver || pci_is_bridge(pdev))
			continue;
		if (!relief_pm_ok(&pdev->dev)) {
			pr_err("device %s (driver %s) cannot be handed over: no freeze/restore\n",
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

static int relief_device_pm(const struct relief_hwdesc_device *d, bool freeze)
{
	struct pci_dev *pdev = relief_pci_dev(d);
	const struct dev_pm_ops *pm;
	int ret = -ENODEV;

	if (!pdev)
		return ret;
	device_lock(&pdev->dev);
	pm = relief_pm(&pdev->dev);
	if (pm)
		ret = freeze ? pm->freeze(&pdev->dev) : pm->restore(&pdev->dev);
	device_unlock(&pdev->dev);
	pci_dev_put(pdev);
	if (ret)
		pr_err("device %s: %s failed: %d\n", d->name,
		       freeze ? "freeze" : "restore", ret);
	else
		pr_info("device %s %s\n", d->name,
			freeze ? "let go (frozen, reset)" : "taken back");
	return ret;
}

/**
 * relief_release_device() - quiesce a device and let go of it
 * @d: the device, as described to NEW
 *
 * Return: 0 or the freeze callback's error.
 */
int relief_release_device(const struct relief_hwdesc_device *d)
{
	return relief_device_pm(d, true);
}

/**
 * relief_retake_device() - take a released device back (rollback)
 * @d: the device
 *
 * Return: 0 or the restore callback's error.
 */
int relief_retake_device(const struct relief_hwdesc_device *d)
{
	return relief_device_pm(d, false);
}

/**
 * relief_old_show_devices() - the devices a swap would hand over now
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: one "NAME DRIVER movable|fixed" line per PCI
 * device with a driver bound ("fixed": its driver cannot let go of it, so
 * a swap is refused). The agent freezes what lives on them; a dry run
 * lists them.
 */
ssize_t relief_old_show_devices(char *buf)
{
	struct pci_dev *pdev = NULL;
	ssize_t n = 0;

	for_each_pci_dev(pdev) {
		if (!pdev->dev.driver)
			continue;
		n += sysfs_emit_at(buf, n, "%s %s %s\n", pci_name(pdev),
				   pdev->dev.driver->name,
				   relief_pm_ok(&pdev->dev) ? "movable" : "fixed");
	}
	return n;
}
