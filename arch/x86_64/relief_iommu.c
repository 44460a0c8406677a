// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: the IOMMU across a swap
 *
 * An Intel IOMMU (VT-d) is one per machine, like the IOAPICs: its root
 * table, its invalidation queue and its interrupt remapping table are in
 * the old kernel's (OLD's) memory, and a relieving kernel (NEW) booted
 * beside it must not program it. NEW binds the handed-over devices before
 * OLD stands relieved, with DMA to its own physical addresses and MSIs in
 * the compatibility format, which OLD's translation and interrupt
 * remapping would send to OLD's pages or block. So:
 *
 * - OLD, once it has quiesced the last device it hands over, lends the
 *   IOMMU (intel_iommu_lend(), hook patch 0016): DMA remapping goes off,
 *   its tables stay as they were, and interrupt remapping, still on for
 *   OLD's own interrupts, lets NEW's compatibility-format MSIs through.
 *   In x2APIC mode the hardware blocks those whatever it is told, so
 *   there interrupt remapping goes off too and the IOAPIC pins that went
 *   through it are masked. A rollback undoes it all before the devices
 *   are taken back. Standing relieved, OLD turns interrupt remapping off
 *   for good.
 * - NEW boots with DMA remapping on as its own configuration says, but
 *   its start (intel_iommu_init(), which would take the hardware from
 *   OLD) is held back from the boot's rootfs initcall until OLD stood
 *   relieved. Then NEW starts it as a boot would, before it scans the
 *   rest of the bus, with identity domains: the devices it bound map
 *   their DMA to physical addresses through the DMA API's direct path,
 *   and their drivers cannot be moved to a translating domain under
 *   them. Devices found later get identity domains too (as with
 *   iommu=pt); an operator may give one a translating domain through its
 *   group's sysfs type while it has no driver. Interrupt remapping stays
 *   off in NEW (intremap=off): the interrupt domains are set up at boot.
 *
 * Only Intel's IOMMU is lent: NEW boots with amd_iommu=off, and reliefctl
 * refuses a swap while another IOMMU is on.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/dmar.h>
#include <linux/init.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/irq_remapping.h>
#include <asm/x86_init.h>

#include "relief.h"
#include "relief_iommu.h"

/* --- OLD: the IOMMU lent to NEW while the devices are handed over ---- */

static bool relief_iommu_lent;	/* OLD: NEW's DMA and MSIs get through */
static bool relief_dma_lent;	/* OLD: DMA remapping was on */
static bool relief_ir_off;	/* OLD: interrupt remapping off, pins masked */

#ifdef CONFIG_INTEL_IOMMU
static bool relief_dma_lend(void)
{
	return intel_iommu_lend();
}

static void relief_dma_reclaim(bool dma)
{
	intel_iommu_reclaim(dma);
}
#else
static bool relief_dma_lend(void)
{
	return false;
}

static void relief_dma_reclaim(bool dma)
{
}
#endif

/*
 * In x2APIC mode interrupt remapping blocks NEW's compatibility-format
 * MSIs whatever it is told: it goes off, and the IOAPIC pins that went
 * through it are masked (their entries are remappable-format, which
 * would now reach any CPU with any vector). OLD's own devices are
 * handed over; what stops is its console's interrupt, so its output
 * through the UART waits until it parks.
 */
static void relief_ir_lend(void)
{
	if (!x2apic_mode)
		return;
	save_ioapic_entries();
	mask_ioapic_entries();
	irq_remapping_disable();
	relief_ir_off = true;
}

static void relief_ir_reclaim(void)
{
	int ret;

	if (!relief_ir_off)
		return;
	ret = irq_remapping_reenable(x2apic_mode);
	if (ret)
		pr_err("interrupt remapping is not back on: %d\n", ret);
	restore_ioapic_entries();
	relief_ir_off = false;
}

/**
 * relief_arch_lend_iommu() - OLD: NEW's DMA and MSIs get through
 *
 * Called once every device to hand over is quiesced, before NEW binds
 * the first one. Context: OLD's protocol thread.
 */
void relief_arch_lend_iommu(void)
{
	if (relief_iommu_lent)
		return;
	relief_dma_lent = relief_dma_lend();
	relief_ir_lend();
	relief_iommu_lent = true;
	if (relief_dma_lent || relief_ir_off)
		pr_info("the IOMMU is lent to the new kernel: DMA remapping %s, interrupt remapping %s\n",
			relief_dma_lent ? "off" : "was off",
			relief_ir_off ? "off (x2APIC), IOAPIC pins masked" :
					"lets its MSIs through");
}

/**
 * relief_arch_reclaim_iommu() - OLD: rollback: the IOMMU is OLD's again
 *
 * Before the devices are taken back: their drivers map DMA through
 * OLD's domains again. Context: OLD's protocol thread.
 */
void relief_arch_reclaim_iommu(void)
{
	if (!relief_iommu_lent)
		return;
	relief_ir_reclaim();
	relief_dma_reclaim(relief_dma_lent);
	relief_iommu_lent = false;
	if (relief_dma_lent)
		pr_info("the IOMMU is this kernel's again: DMA remapping on\n");
}

/**
 * relief_arch_leave_iommu() - OLD stands relieved: remapping off for good
 *
 * After machine_shutdown() (no interrupt of OLD's is left), before OLD's
 * last CPU parks: interrupt remapping would otherwise stay on with its
 * table in memory NEW is about to reuse, until NEW starts the IOMMU.
 */
void relief_arch_leave_iommu(void)
{
	irq_remapping_disable();
}

/* --- NEW: the IOMMU started once OLD stood relieved ------------------ */

#ifdef CONFIG_INTEL_IOMMU
static bool relief_iommu_held;	/* NEW: intel_iommu_init() not run yet */

/* What pci_iommu_init() calls at the boot's rootfs initcall, for now. */
static int __init relief_iommu_init_later(void)
{
	pr_info("NEW: the IOMMU starts once the old kernel stood relieved\n");
	return 0;
}

static int __init relief_iommu_new_hold(void)
{
	if (!relief_is_new || x86_init.iommu.iommu_init != intel_iommu_init)
		return 0;
	x86_init.iommu.iommu_init = relief_iommu_init_later;
	relief_iommu_held = true;
	return 0;
}
arch_initcall(relief_iommu_new_hold);

/*
 * A device bound before its IOMMU started never had its driver counted
 * as a user of its group's default domain, as the probe does: count it,
 * so that unbinding it later balances.
 */
static int relief_iommu_adopt(struct device *dev, void *nr)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);
	int ret;

	if (!dev->driver || !dev->iommu_group ||
	    to_pci_driver(dev->driver)->driver_managed_dma)
		return 0;
	ret = iommu_device_use_default_domain(dev);
	if (ret || !dom || dom->type != IOMMU_DOMAIN_IDENTITY) {
		pr_err("NEW: device %s: not in an identity domain (%d): its DMA may fault\n",
		       pci_name(pdev), ret);
		return 0;
	}
	pr_info("NEW: device %s (%s): IOMMU group %d, identity domain\n",
		pci_name(pdev), dev->driver->name,
		iommu_group_id(dev->iommu_group));
	(*(unsigned int *)nr)++;
	return 0;
}

/**
 * relief_iommu_take() - NEW: OLD stood relieved: start the IOMMU
 *
 * Before the rest of the bus is scanned. Its start is __init code, still
 * there: NEW holds its init memory until it took the firmware.
 */
void __ref relief_iommu_take(void)
{
	unsigned int nr = 0;
	int ret;

	if (!relief_iommu_held)
		return;
	relief_iommu_held = false;
	iommu_set_default_passthrough(false);
	ret = intel_iommu_init();
	if (ret) {
		pr_info("NEW: DMA remapping stays off (%d)\n", ret);
		return;
	}
	bus_for_each_dev(&pci_bus_type, NULL, &nr, relief_iommu_adopt);
	pr_info("NEW: the IOMMU is this kernel's: DMA remapping on, %u bound devices in identity domains, interrupt remapping off\n",
		nr);
}
#else
void relief_iommu_take(void)
{
}
#endif
