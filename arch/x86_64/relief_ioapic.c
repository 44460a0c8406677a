// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: IOAPICs and legacy interrupts
 *
 * The IOAPICs are one per machine: while the old kernel (OLD) runs, its
 * devices' interrupts arrive through them, and a relieving kernel (NEW)
 * booted beside it must not read or program one (noapic, no MADT). OLD
 * describes each IOAPIC it registered, and where every ISA IRQ arrives
 * (its interrupt source overrides applied), in the hardware description.
 * Once OLD stood relieved, its machine_shutdown() has masked every pin and
 * NEW registers the IOAPICs the way IOAPIC hotplug does, masks their pins
 * again and from then on maps an ISA IRQ, the legacy UARTs' for one, to
 * an interrupt of its own through them. A kernel that relieved another one
 * describes the IOAPICs to the next as it was given them.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/hw_irq.h>
#include <asm/io_apic.h>
#include <asm/irqdomain.h>
#include <asm/mpspec.h>

#include "relief.h"
#include "relief_ioapic.h"

#ifdef CONFIG_X86_IO_APIC
/* NEW: OLD stood relieved and its IOAPICs are this kernel's. */
static bool relief_ioapics_taken;

/* IRQ 2 is the 8259s' cascade: no device is ever behind it. */
#define RELIEF_ISA_CASCADE	2

/* OLD, from its own registration: id, window and GSI range of each. */
static void relief_describe_ioapic_list(struct relief_hwdesc *h)
{
	int i, idx;
	u32 gsi;

	if (nr_ioapics > RELIEF_HWDESC_MAX_IOAPICS) {
		pr_warn("%d IOAPICs, %d can be described: the next kernel gets none\n",
			nr_ioapics, RELIEF_HWDESC_MAX_IOAPICS);
		return;
	}
	for (gsi = 0; gsi < gsi_top; gsi++) {
		idx = mp_find_ioapic(gsi);
		if (idx < 0 || idx >= nr_ioapics)
			continue;
		if (!h->ioapics[idx].nr_pins)
			h->ioapics[idx].gsi_base =
				gsi - mp_find_ioapic_pin(idx, gsi);
		h->ioapics[idx].nr_pins++;
	}
	for (i = 0; i < nr_ioapics; i++) {
		/* Not one of them (a gap in the GSIs): describe none. */
		if (!h->ioapics[i].nr_pins) {
			pr_warn("IOAPIC %d has no GSI: the next kernel gets none\n",
				i);
			memset(h->ioapics, 0, sizeof(h->ioapics));
			return;
		}
		h->ioapics[i].address = mpc_ioapic_addr(i);
		h->ioapics[i].id = mpc_ioapic_id(i);
	}
	h->nr_ioapics = nr_ioapics;
}

/* OLD booted with ACPI: each ISA IRQ's GSI, trigger and polarity. */
static void relief_describe_isa_irqs(struct relief_hwdesc *h)
{
#ifdef CONFIG_ACPI
	int level, low;
	u32 isa, gsi;

	for (isa = 0; isa < RELIEF_HWDESC_NR_ISA_IRQS; isa++) {
		struct relief_hwdesc_isa_irq *r = &h->isa_irqs[isa];

		if (isa == RELIEF_ISA_CASCADE ||
		    acpi_isa_irq_to_gsi(isa, &gsi) ||
		    acpi_get_override_irq(gsi, &level, &low) ||
		    mp_find_ioapic(gsi) < 0)
			continue;
		r->gsi = gsi;
		r->flags = RELIEF_HWDESC_IRQ_ROUTED |
			   (level ? RELIEF_HWDESC_IRQ_LEVEL : 0) |
			   (low ? RELIEF_HWDESC_IRQ_ACTIVE_LOW : 0);
	}
#endif
}

/**
 * relief_describe_ioapics() - the IOAPICs and ISA IRQs, for the next kernel
 * @h: description to fill in
 *
 * A relieving kernel passes on what it was given, once it took the
 * IOAPICs (before, it describes none: they are not its own to lend).
 */
void relief_describe_ioapics(struct relief_hwdesc *h)
{
	const struct relief_hwdesc *mine = relief_new_hwdesc();

	if (mine) {
		if (!relief_ioapics_taken)
			return;
		h->nr_ioapics = mine->nr_ioapics;
		memcpy(h->ioapics, mine->ioapics, sizeof(h->ioapics));
		memcpy(h->isa_irqs, mine->isa_irqs, sizeof(h->isa_irqs));
		return;
	}
	if (ioapic_is_disabled || !nr_ioapics)
		return;
	relief_describe_ioapic_list(h);
	if (h->nr_ioapics)
		relief_describe_isa_irqs(h);
}

/**
 * relief_ioapic_new_keep_gsis() - NEW, at boot: keep GSI numbers free
 * @h: the hardware description OLD gave
 *
 * Dynamic interrupts (MSIs bound during the swap) are numbered from
 * gsi_top up, as after a cold boot's MADT; so the GSIs OLD described keep
 * their own numbers free for when this kernel takes the IOAPICs
 * (IOAPIC_DOMAIN_STRICT: ttyS0 is IRQ 4, the RTC 8, the SCI 9).
 */
void __init relief_ioapic_new_keep_gsis(const struct relief_hwdesc *h)
{
	u32 i, end;

	for (i = 0; i < h->nr_ioapics; i++) {
		end = h->ioapics[i].gsi_base + h->ioapics[i].nr_pins;
		gsi_top = max(gsi_top, end);
	}
}

/* NEW: register one IOAPIC OLD described, each GSI its own IRQ number. */
static int relief_take_ioapic(const struct relief_hwdesc_ioapic *io)
{
	struct ioapic_domain_cfg cfg = {
		.type = IOAPIC_DOMAIN_STRICT,
		.ops = &mp_ioapic_irqdomain_ops,
	};
	int err;

	err = mp_register_ioapic(io->id, io->address, io->gsi_base, &cfg);
	if (err)
		pr_err("NEW: IOAPIC %u at %#llx not taken: %d\n", io->id,
		       io->address, err);
	return err;
}

/*
 * NEW: note each routed ISA IRQ as the MADT's interrupt source override
 * would have (this kernel skipped the MADT): so acpi_get_override_irq()
 * and ACPI's GSI registration, the SCI's for one, know their trigger and
 * polarity. Bus 0 is the ISA bus, as ACPI's own overrides name it.
 */
static void relief_note_isa_routes(const struct relief_hwdesc *h)
{
	struct mpc_intsrc m = {
		.type = MP_INTSRC, .irqtype = mp_INT, .srcbus = 0,
	};
	const struct relief_hwdesc_isa_irq *r;
	int isa, ioapic;

	for (isa = 0; isa < RELIEF_HWDESC_NR_ISA_IRQS; isa++) {
		r = &h->isa_irqs[isa];
		if (!(r->flags & RELIEF_HWDESC_IRQ_ROUTED))
			continue;
		ioapic = mp_find_ioapic(r->gsi);
		if (ioapic < 0)
			continue;
		m.irqflag = (r->flags & RELIEF_HWDESC_IRQ_LEVEL ?
			     MP_IRQTRIG_LEVEL : MP_IRQTRIG_EDGE) |
			    (r->flags & RELIEF_HWDESC_IRQ_ACTIVE_LOW ?
			     MP_IRQPOL_ACTIVE_LOW : MP_IRQPOL_ACTIVE_HIGH);
		m.srcbusirq = isa;
		m.dstapic = mpc_ioapic_id(ioapic);
		m.dstirq = mp_find_ioapic_pin(ioapic, r->gsi);
		mp_save_irq(&m);
	}
}

/**
 * relief_ioapic_take() - take the IOAPICs, OLD having stood relieved
 *
 * Registers every IOAPIC OLD described and masks all their pins: OLD's
 * redirection entries name vectors of its own. Devices map their
 * interrupts afterwards (relief_arch_isa_irq()).
 */
void relief_ioapic_take(void)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	u32 i, taken = 0;

	if (!h || !h->nr_ioapics) {
		pr_info("NEW: no IOAPIC described: MSIs only\n");
		return;
	}
	ioapic_setup_late();
	for (i = 0; i < h->nr_ioapics; i++)
		if (!relief_take_ioapic(&h->ioapics[i]))
			taken++;
	clear_IO_APIC();
	relief_ioapics_taken = taken > 0;
	if (relief_ioapics_taken)
		relief_note_isa_routes(h);
	pr_info("NEW: %u of %u IOAPICs taken\n", taken, h->nr_ioapics);
}

/**
 * relief_arch_isa_irq() - this kernel's interrupt for an ISA IRQ
 * @isa: ISA IRQ, 0..15
 *
 * Only once this kernel owns the IOAPICs, through the route OLD described
 * (noted when they were taken).
 *
 * Return: the Linux IRQ number, or a negative errno (-ENODEV: not routed,
 * or the IOAPICs are not this kernel's).
 */
int relief_arch_isa_irq(unsigned int isa)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	const struct relief_hwdesc_isa_irq *r;

	if (!h || !relief_ioapics_taken || isa >= RELIEF_HWDESC_NR_ISA_IRQS)
		return -ENODEV;
	r = &h->isa_irqs[isa];
	if (!(r->flags & RELIEF_HWDESC_IRQ_ROUTED))
		return -ENODEV;
	/*
	 * Trigger and polarity come from the route noted in mp_irqs
	 * (relief_note_isa_routes()), as for any GSI; CHECK: never without.
	 */
	return mp_map_gsi_to_irq(r->gsi, IOAPIC_MAP_ALLOC | IOAPIC_MAP_CHECK,
				 NULL);
}

#else /* !CONFIG_X86_IO_APIC */
void relief_describe_ioapics(struct relief_hwdesc *h)
{
}

void __init relief_ioapic_new_keep_gsis(const struct relief_hwdesc *h)
{
}

void relief_ioapic_take(void)
{
}

int relief_arch_isa_irq(unsigned int isa)
{
	return -ENODEV;
}
#endif
