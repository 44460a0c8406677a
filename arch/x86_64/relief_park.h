/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief on x86_64: the park area at the start of the region, shared by
 * the C side (relief_park.c) and the park code (relief_park_64.S). A CPU
 * lent to the new kernel waits here, identity-mapped, on its own GDT, IDT
 * and stack, so that nothing of the old kernel's memory is needed to wake
 * it: an NMI after its slot says GO sends it to the new kernel's entry.
 */
#ifndef _RELIEF_PARK_H
#define _RELIEF_PARK_H

/* Offsets in the park area (region base + RELIEF_AREA_PARK). */
#define RELIEF_PARK_CODE	0x0000	/* copy of relief_park_code */
#define RELIEF_PARK_CODE_MAX	0x0800
#define RELIEF_PARK_GDT		0x0800	/* 4 descriptors */
#define RELIEF_PARK_GDTR	0x0820
#define RELIEF_PARK_IDTR	0x0830
#define RELIEF_PARK_IDT		0x0840	/* RELIEF_PARK_IDT_VECTORS gates */
#define RELIEF_PARK_IDT_VECTORS	32
#define RELIEF_PARK_FAULT	0x0c00	/* the new kernel's first fault */
#define RELIEF_PARK_STUB_SIZE	16	/* a fault stub per vector */
#define RELIEF_PARK_SLOTS	0x1000	/* RELIEF_PARK_MAX_CPUS slots */
#define RELIEF_PARK_SLOT_SIZE	64
#define RELIEF_PARK_MAX_CPUS	64
#define RELIEF_PARK_STACKS	0x2000	/* one small stack per slot */
#define RELIEF_PARK_STACK_SIZE	128
#define RELIEF_PARK_SIZE	0x4000

/* A slot, one per parked CPU. */
#define RELIEF_SLOT_STATE	0x00	/* u32, written by the parked CPU */
#define RELIEF_SLOT_CMD		0x04	/* u32, written by the starter */
#define RELIEF_SLOT_ENTRY	0x08	/* u64, where to go */
#define RELIEF_SLOT_RSI		0x10	/* u64, its argument (boot_params) */
#define RELIEF_SLOT_STACK	0x18	/* u64, stack top while parked */
#define RELIEF_SLOT_HW_ID	0x20	/* u32, the parked CPU's APIC ID */

#define RELIEF_PARK_EMPTY	0
#define RELIEF_PARK_PARKED	1	/* waiting: may be sent an NMI now */
#define RELIEF_PARK_TAKEN	2	/* left for the entry */
#define RELIEF_PARK_GO		0x474f	/* "GO" */

/*
 * The fault record: the first exception a CPU meets on its way into the
 * new kernel (the park's IDT is still loaded at its entry), or that the new
 * kernel reports before its mailbox is up (relief_early_fault()). The
 * old kernel polls it and aborts the run naming the fault.
 */
#define RELIEF_FAULT_STATE	0x00	/* u32: NONE, CLAIMED, WRITTEN */
#define RELIEF_FAULT_PHASE	0x04	/* u32: RELIEF_FAULT_PHASE_* */
#define RELIEF_FAULT_VECTOR	0x08	/* u32 */
#define RELIEF_FAULT_APIC	0x0c	/* u32, the CPU's initial APIC ID */
#define RELIEF_FAULT_RIP	0x10	/* u64 */
#define RELIEF_FAULT_ERROR	0x18	/* u64, the error code or 0 */
#define RELIEF_FAULT_CR2	0x20	/* u64 */
#define RELIEF_FAULT_SIZE	0x28

#define RELIEF_FAULT_NONE	0
#define RELIEF_FAULT_CLAIMED	1	/* being written: the first wins */
#define RELIEF_FAULT_WRITTEN	2

#define RELIEF_FAULT_PHASE_ENTRY 1	/* before the new kernel's own IDT */
#define RELIEF_FAULT_PHASE_EARLY 2	/* its early exception handlers */
#define RELIEF_FAULT_PHASE_PANIC 3	/* a panic before its mailbox */
#define RELIEF_FAULT_PHASE_RESET 4	/* a reboot or power-off, likewise */

/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
#define RELIEF_FAULT_ERRCODE_MASK 0x60227d00

#define RELIEF_GDT_CS		0x10	/* the x86 boot protocol's selectors */
#define RELIEF_GDT_DS		0x18

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct relief_park_slot {
	u32 state;
	u32 cmd;
	u64 entry;
	u64 rsi;
	u64 stack;
	u32 hw_id;
	u8 pad[RELIEF_PARK_SLOT_SIZE - 36];
};

struct relief_park_fault {
	u32 state;
	u32 phase;
	u32 vector;
	u32 apic;
	u64 rip;
	u64 error;
	u64 cr2;
};

/*
 * The park code, copied into the area; labels mark the IDT targets:
 * relief_park_fault is RELIEF_PARK_IDT_VECTORS stubs of
 * RELIEF_PARK_STUB_SIZE bytes, one per vector.
 */
extern const u8 relief_park_code[], relief_park_nmi[], relief_park_fault[],
	relief_park_code_end[];
/* In kernel text, page aligned: switches to the park tables, jumps. */
void relief_park_enter(unsigned long code, unsigned long pgd_enter,
		       unsigned long slot, unsigned long pgd_park,
		       unsigned long area);
/* Wake a parked CPU into @entry (either kernel; relief_park.c). */
bool relief_park_go(struct relief_park_slot *slot, unsigned int cpu,
		    u64 entry, u64 rsi);
#endif

#endif /* _RELIEF_PARK_H */
