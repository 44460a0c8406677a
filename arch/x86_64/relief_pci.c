// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: PCI, late
 *
 * A relieving kernel (NEW) boots with pci=off: enumerating at boot would
 * size every BAR (decoding off for a moment) and turn MSI off on devices
 * the old kernel (OLD) is driving. Its configuration accesses go through
 * ECAM (the MCFG table's MMIO windows, one access each), set up from an
 * initcall once ACPI's tables are read: type 1's 0xcf8/0xcfc pair is a
 * latch OLD shares, and reaches neither extended configuration space nor
 * other segments. Once OLD has let go of the devices it hands over
 * (DEVICE_HANDOVER, then TRANSFER_DONE), NEW makes root bus 0 without
 * scanning it and reads only those, one BIND_DEVICE at a time, with the
 * bridges on the way to each: it follows the bridge whose bus range holds
 * the device's bus, and makes the bus behind it with the numbers OLD gave
 * it, scanning nothing else (a bus scan would read, size and reprogram
 * whatever sits there). The bridges get no driver until the rest of the
 * bus is scanned, once OLD stood relieved; that scan finds the buses
 * already made. Interrupts are MSI/MSI-X through this kernel's local
 * APICs: the IOAPIC was OLD's until it stood relieved.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/init.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <asm/pci_x86.h>
#include <asm/topology.h>

#include "relief.h"

static struct pci_bus *relief_root;

/* Bridges from root bus 0 to a device, at most (bus numbers only grow). */
#define RELIEF_PCI_MAX_HOPS	16

/*
 * ECAM as NEW's only configuration access: pci=off left pci_probe 0 and
 * no raw ops; with PCI_PROBE_MMCONF alone, pci_mmcfg_early_init() parses
 * MCFG and sets raw_pci_ext_ops (raw_pci_ops stays NULL, so every access
 * goes there). After pci_subsys_init(), so that nothing scans at boot;
 * the late initcall then puts the windows in iomem.
 */
static int __init relief_pci_new_ecam(void)
{
	if (!relief_is_new)
		return 0;
	pci_probe = PCI_PROBE_MMCONF;
	pci_mmcfg_early_init();
	if (raw_pci_ext_ops)
		pr_info("NEW: PCI configuration space through ECAM\n");
	else
		pr_info("NEW: no ECAM: type 1 configuration accesses\n");
	return 0;
}
subsys_initcall_sync(relief_pci_new_ecam);

/*
 * A bus device (virtio-pci) is up only if what it carries found a driver.
 * A class device under it (nvme's controller, nvme0) has no bus to bind.
 */
static int relief_child_unbound(struct device *dev, void *unused)
{
	return dev->bus && !dev->driver ? -ENODEV : 0;
}

/*
 * Root bus 0, with type-1 config accesses, none of its devices read yet
 * (bus numbers 0-ff until the whole scan sets the end).
 */
static int relief_pci_root(void)
{
	struct pci_sysdata *sd;
	LIST_HEAD(resources);

	if (relief_root)
		return 0;
	if (!raw_pci_ops && !raw_pci_ext_ops)	/* no ECAM (MCFG) */
		raw_pci_ops = &pci_direct_conf1;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->node = x86_pci_root_bus_node(0);
	x86_pci_root_bus_resources(0, &resources);
	relief_root = pci_create_root_bus(NULL, 0, &pci_root_ops, sd,
					  &resources);
	if (!relief_root) {
		pci_free_resource_list(&resources);
		kfree(sd);
		return -ENODEV;
	}
	pci_bus_insert_busn_res(relief_root, 0, 255);
	return 0;
}

/* A bridge on the way to a bus: where it is, and the buses behind it. */
struct relief_pci_hop {
	unsigned int devfn;
	u8 sec, sub;
};

/*
 * Function @devfn on @bus, of header type @hdr: true if it is a bridge
 * from @bus whose bus range holds @target (its registers only), with
 * that range in @hop.
 */
static bool relief_pci_bridge_holds(struct pci_bus *bus, unsigned int devfn,
				    u8 hdr, u8 target,
				    struct relief_pci_hop *hop)
{
	u32 buses;

	if ((hdr & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_BRIDGE ||
	    pci_bus_read_config_dword(bus, devfn, PCI_PRIMARY_BUS, &buses))
		return false;
	hop->devfn = devfn;
	hop->sec = buses >> 8;
	hop->sub = buses >> 16;
	return (u8)buses == bus->number && hop->sec > bus->number &&
	       hop->sec <= target && target <= hop->sub;
}

/*
 * The bridge on @bus towards bus @target, into @hop: present functions
 * only, as a scan finds them (function 0 first, the others of a
 * multi-function device). Return: 0, or -ENODEV.
 */
static int relief_pci_bridge_to(struct pci_bus *bus, u8 target,
				struct relief_pci_hop *hop)
{
	unsigned int slot, fn, devfn;
	u32 id;
	u8 hdr;

	for (slot = 0; slot < 32; slot++) {
		for (fn = 0; fn < 8; fn++) {
			devfn = PCI_DEVFN(slot, fn);
			if (pci_bus_read_config_dword(bus, devfn, PCI_VENDOR_ID,
						      &id) ||
			    PCI_POSSIBLE_ERROR(id) || !id ||
			    pci_bus_read_config_byte(bus, devfn,
						     PCI_HEADER_TYPE, &hdr)) {
				if (!fn)	/* an empty slot */
					break;
				continue;
			}
			if (relief_pci_bridge_holds(bus, devfn, hdr, target,
						    hop))
				return 0;
			if (!fn && !(hdr & PCI_HEADER_TYPE_MFD))
				break;
		}
	}
	return -ENODEV;
}

/*
 * The bus behind the bridge of @hop on @bus, numbered as OLD left it: the
 * bridge is read (it gets no driver yet), the bus made with its windows,
 * nothing on it scanned. Return: the bus, or NULL.
 */
static struct pci_bus *relief_pci_behind(struct pci_bus *bus,
					 const struct relief_pci_hop *hop)
{
	struct pci_dev *bridge = pci_scan_single_device(bus, hop->devfn);
	struct pci_bus *child;

	if (!bridge)
		return NULL;
	if (bridge->subordinate)	/* made for an earlier device */
		return bridge->subordinate;
	if (pci_find_bus(pci_domain_nr(bus), hop->sec))
		return NULL;
	child = pci_add_new_bus(bus, bridge, hop->sec);
	if (!child)
		return NULL;
	child->primary = bus->number;
	pci_bus_insert_busn_res(child, hop->sec, hop->sub);
	pci_read_config_word(bridge, PCI_BRIDGE_CONTROL, &child->bridge_ctl);
	snprintf(child->name, sizeof(child->name), "PCI Bus %04x:%02x",
		 pci_domain_nr(bus), hop->sec);
	pci_read_bridge_bases(child);
	return child;
}

/* The bus numbered @number, made through the bridges towards it, or NULL. */
static struct pci_bus *relief_pci_bus(u8 number)
{
	struct pci_bus *bus = relief_root;
	struct relief_pci_hop hop;
	int hops;

	for (hops = 0; bus && bus->number != number; hops++) {
		if (hops == RELIEF_PCI_MAX_HOPS ||
		    relief_pci_bridge_to(bus, number, &hop))
			return NULL;
		bus = relief_pci_behind(bus, &hop);
	}
	return bus;
}

/*
 * Function @devfn of @bus, read (sizing its BARs) and its resources, and
 * the windows of the bridges above it, claimed as firmware or OLD
 * assigned them; a reference to it, or NULL if there is none.
 */
static struct pci_dev *relief_pci_one(struct pci_bus *bus, unsigned int devfn)
{
	struct pci_dev *pdev = pci_scan_single_device(bus, devfn);

	if (!pdev)
		return NULL;
	pcibios_resource_survey_bus(relief_root);
	return pci_dev_get(pdev);
}

/**
 * relief_arch_new_bind_device() - bring up a device OLD handed over
 * @d: the device, as OLD described it
 *
 * Return: 0 once its driver is bound; -ENODEV if there is no such device
 * or no driver took it; another error from the scan.
 */
int relief_arch_new_bind_device(const struct relief_hwdesc_device *d)
{
	struct pci_bus *bus;
	struct pci_dev *pdev;
	int ret, attached = 0;

	if (d->bus != RELIEF_HWDESC_BUS_PCI)
		return -ENODEV;
	pci_lock_rescan_remove();
	ret = relief_pci_root();
	if (ret)
		goto out;
	/* Segment 0 only: the one root bus this kernel makes. */
	bus = !d->pci_segment ? relief_pci_bus(d->pci_bus) : NULL;
	pdev = bus ? relief_pci_one(bus, d->pci_devfn) : NULL;
	if (!pdev) {
		pr_err("NEW: device %s is not on the bus\n", d->name);
		ret = -ENODEV;
		goto out;
	}
	if (!pdev->dev.driver)
		pci_bus_add_device(pdev);
	/*
	 * A driver that prefers asynchronous probing (nvme) was only queued
	 * by the initial probe: bind it now, as OLD's device list wants it
	 * before anything moves.
	 */
	if (!pdev->dev.driver)
		attached = device_attach(&pdev->dev);
	if (!pdev->dev.driver ||
	    device_for_each_child(&pdev->dev, NULL, relief_child_unbound)) {
		pr_err("NEW: no driver took device %s (was %s; attach %d)\n",
		       d->name, d->compatible, attached);
		ret = -ENODEV;
	} else {
		pr_info("NEW: device %s bound to %s\n", d->name,
			pdev->dev.driver->name);
	}
	pci_dev_put(pdev);
out:
	pci_unlock_rescan_remove();
	return ret;
}

/**
 * relief_arch_new_devices_rest() - OLD stood relieved: the whole bus
 *
 * Devices OLD had no driver for were never handed over; they are this
 * kernel's now like everything else.
 */
void relief_arch_new_devices_rest(void)
{
	unsigned int max;

	pci_lock_rescan_remove();
	if (!relief_pci_root()) {
		/* What BIND_DEVICE read is found, not read again. */
		max = pci_scan_child_bus(relief_root);
		pci_bus_update_busn_res_end(relief_root, max);
		pcibios_resource_survey_bus(relief_root);
		pci_bus_add_devices(relief_root);
		pr_info("NEW: PCI bus 0 scanned\n");
	}
	pci_unlock_rescan_remove();
}
