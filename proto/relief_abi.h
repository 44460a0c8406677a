/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_abi.h - what two kernel builds must agree on beyond the mailbox.
 *
 * This is a contract. The old kernel and the new one may be built from
 * different sources (6.12.117 and 6.12.118, say); both compile this file,
 * and a change to anything here that an older kernel would read otherwise
 * must bump RELIEF_ABI_VERSION (the image marker's protocol range, in
 * proto/relief_image.h, keeps kernels of different ABIs apart). The
 * mailbox layout and the messages have their own contract
 * (relief_mailbox.h, relief_msg.h), the hardware description its own
 * (relief_hwdesc.h, the FDT is the wire format).
 *
 * What else crosses between the two kernels, all described here:
 *
 * - the boot data (x86): a setup_data entry of RELIEF_SETUP_TYPE whose
 *   payload is the hardware description FDT;
 * - the park area, the region's first MiB, at the offsets below; the
 *   x86 park's own layout (slots, fault record) is in
 *   arch/x86_64/relief_park.h under this same version;
 * - the new kernel's e820 map (x86, written by the old kernel's loader):
 *   the low chunk as RAM, the park area reserved, the rest of the region
 *   as RAM except the transfer area at its top, the one reserved range
 *   above the park area; the new kernel finds the transfer area that way
 *   and holds both reserved ranges (arch/x86_64/relief_new_mem.c);
 * - the new kernel's command line, which starts with
 *   RELIEF_NEW_CMDLINE_BASE and carries the switches below;
 * - the old kernel's memory the new one reads before it owns it: the
 *   frame lists named in the transfer area point into the old kernel's
 *   RAM as the hardware description lists it.
 *
 * Freestanding: macros only.
 */
#ifndef RELIEF_ABI_H
#define RELIEF_ABI_H

#define RELIEF_ABI_VERSION	1

/*
 * The boot data handed to the new kernel: a setup_data entry of this type
 * (x86) whose payload is the hardware description FDT. The number spells
 * "RELF" and is far from the types Linux defines.
 */
#define RELIEF_SETUP_TYPE	0x52454c46

/*
 * Layout of the region's first MiB, the "park area": shared by both
 * kernels, reserved in the new kernel's memory map, never in either's
 * allocator while a run needs it. Offsets from the region base.
 */
#define RELIEF_AREA_SIZE	0x100000
#define RELIEF_AREA_PARK	0x00000	/* park code, GDT, IDT, slots: 16 KiB */
#define RELIEF_AREA_PGT		0x04000	/* park page tables: 112 KiB */
#define RELIEF_AREA_PGT_SIZE	0x1c000
#define RELIEF_AREA_MAILBOX	0x20000	/* RELIEF_MAILBOX_SIZE */
#define RELIEF_AREA_BOOT	0x30000	/* boot_params, 4 KiB */
#define RELIEF_AREA_CMDLINE	0x31000	/* 4 KiB */
#define RELIEF_AREA_SETUP	0x32000	/* setup_data + hwdesc blob */
#define RELIEF_AREA_SETUP_SIZE	(RELIEF_AREA_SIZE - RELIEF_AREA_SETUP)

/*
 * The new kernel's console (x86) by default: the second serial port; a
 * relieving kernel whose console is still the second gives the next one
 * the first. The operator may choose another legacy UART, or none: then
 * the new kernel's console is the mailbox ring alone, named so in the
 * hardware description (no I/O port).
 */
#define RELIEF_NEW_CONSOLE_PORT	0x2f8
#define RELIEF_NEW_CONSOLE_BAUD	115200
#define RELIEF_RING_CONSOLE	"relief"

/*
 * The new kernel's command line starts with its UART, if it has one (the
 * two %s are its name), then the base: its role, and no PCI, ACPI PNP
 * devices, AMD IOMMU or interrupt remapping (their tables are read now
 * that ACPI is on), IPI broadcasts or KASLR, which all belong to (or would
 * reach into) the old kernel's machine. An Intel IOMMU is left to the new
 * kernel's own configuration: relief=new holds its start back until the
 * old kernel stood relieved (arch/x86 relief_iommu.c; before that, the new
 * kernel booted with intel_iommu=off, and was refused where A had an
 * IOMMU on). ACPI is on: relief=new itself makes the new kernel read the
 * tables but defer the interpreter until the old kernel stood relieved.
 * Nothing is assumed of the TSC but the frequency the old kernel measured
 * (in the hardware description). Kernels from before both, ABI version 1
 * too, were booted with acpi=off and tsc=reliable; none was ever
 * released. The old kernel adds the operator's part.
 */
#define RELIEF_NEW_CMDLINE_CONSOLE					\
	"earlyprintk=serial,%s,115200 console=%s,115200 "
#define RELIEF_NEW_CMDLINE_BASE						\
	"relief=new "							\
	"pci=off pnpacpi=off amd_iommu=off intremap=off "		\
	"nokaslr no_ipi_broadcast=1 "					\
	"apic_extnmi=none memhp_default_state=online_movable"

/*
 * A safety net for an image that does not know relief=new (say, a stock
 * kernel): booted on a lent CPU it would otherwise send INIT to every CPU
 * the firmware tables list, the old kernel's included, and reprogram the
 * IOAPIC under the old kernel's devices. A relieving kernel lifts both
 * once it has registered its own CPUs. It comes after the test switches,
 * before the operator's arguments.
 */
#define RELIEF_NEW_CMDLINE_SAFETY	"maxcpus=1 noapic"

/*
 * The old kernel's console, when it is a legacy UART ("ttyS0"): the new
 * kernel moves its own console there once the old one stood relieved.
 */
#define RELIEF_NEW_CMDLINE_OLD_CONSOLE	"relief.old_console="

/* Test switches: an impossible protocol range; the protocol timeouts. */
#define RELIEF_NEW_CMDLINE_BAD_VERSION	"relief.inject=bad-version"
#define RELIEF_NEW_CMDLINE_TIMEOUT	"relief.timeout_ms="

#endif /* RELIEF_ABI_H */
