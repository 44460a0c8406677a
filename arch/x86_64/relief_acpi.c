// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: ACPI after the swap
 *
 * ACPI is one per machine: its GPE and fixed-event registers, the SCI,
 * the AML that pokes chipset registers, and the devices it enumerates
 * (serial ports, the RTC, PCI roots) all belong to the old kernel (OLD)
 * while it runs. The relieving kernel (NEW) therefore boots with ACPI on
 * but its interpreter deferred (hook patch 0013): it reads the tables at
 * boot, which are memory only (FADT: reset register, PM timer, sleep
 * registers; HPET, MCFG, SRAT), skips the MADT (hook patch 0012: its CPUs
 * and IOAPICs are described by OLD), and registers ACPI's bus so drivers
 * can register. No AML runs and no ACPI register is written.
 *
 * Once OLD stood relieved and NEW took the IOAPICs, NEW routes the SCI as
 * OLD described ISA IRQ (the FADT's SCI) and switches ACPI to the IOAPIC
 * interrupt model, then starts the interpreter as a cold boot would have
 * at subsys_initcall: the namespace loads, _INI and _PIC run, GPEs and
 * fixed events are set up with the SCI handler, the tables appear in
 * /sys/firmware/acpi/tables, devices are enumerated (the power button),
 * and S5 and the reset register are ACPI's. Its __init code is still there
 * because NEW held its init memory (hook patch 0011) until now; it frees
 * it and makes its text read-only right after (relief_new.c).
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/start_kernel.h>
#include <asm/acpi.h>

#include "relief.h"
#include "relief_acpi.h"

/**
 * relief_acpi_new_defer() - NEW: read ACPI's tables at boot, run nothing
 *
 * From relief=new's early parameter, before the tables are read.
 */
void __init relief_acpi_new_defer(void)
{
	initmem_held = true;
#ifdef CONFIG_ACPI
	acpi_madt_ignored = true;
	acpi_interpreter_deferred = true;
#endif
}

#ifdef CONFIG_ACPI
/*
 * The FADT names the SCI as an ISA IRQ; the MADT's override (which this
 * kernel did not read) said which GSI it is and how it triggers. OLD's
 * description of the ISA IRQs carries both, registered by
 * relief_ioapic_take() as the MADT's overrides would have been.
 */
static int relief_acpi_route_sci(void)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	u32 sci = acpi_gbl_FADT.sci_interrupt;
	const struct relief_hwdesc_isa_irq *r;

	if (sci >= RELIEF_HWDESC_NR_ISA_IRQS)
		return 0;			/* a GSI of its own */
	r = &h->isa_irqs[sci];
	if (!(r->flags & RELIEF_HWDESC_IRQ_ROUTED)) {
		pr_err("NEW: the SCI, ISA IRQ %u, was not described\n", sci);
		return -ENODEV;
	}
	acpi_gbl_FADT.sci_interrupt = r->gsi;
	return 0;
}

/* The interpreter, as acpi_init() would have started it at boot. */
static int __ref relief_acpi_start(void)
{
	int err;

	if (acpi_disabled)
		return -ENODEV;
	err = relief_acpi_route_sci();
	if (err)
		return err;
	acpi_set_irq_model_ioapic();
	return acpi_start_interpreter();
}
#else
static int relief_acpi_start(void)
{
	return -ENODEV;
}
#endif

/**
 * relief_acpi_take() - NEW: start ACPI, OLD having stood relieved
 *
 * After the IOAPICs (the SCI goes through them) and the rest of the PCI
 * bus (ACPI's PCI root adopts the bus this kernel scanned). The caller
 * frees init memory afterwards.
 */
void relief_acpi_take(void)
{
	int err = relief_acpi_start();

	if (err)
		pr_warn("NEW: ACPI not started (%d): no SCI, power button or ACPI devices\n",
			err);
	else
		pr_info("NEW: ACPI started: SCI at GSI %u\n",
			acpi_gbl_FADT.sci_interrupt);
}
