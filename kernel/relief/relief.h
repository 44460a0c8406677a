/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief - internal interface between the arch-independent side
 * (kernel/relief) and the arch side (arch/<arch>/relief), for both roles:
 * OLD (the running kernel lending CPUs and a region) and NEW (the kernel
 * booted in that region with relief=new).
 */
#ifndef _KERNEL_RELIEF_H
#define _KERNEL_RELIEF_H

#include <linux/align.h>
#include <linux/cpumask.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "proto/relief_abi.h"
#include "proto/relief_hwdesc.h"
#include "proto/relief_image.h"
#include "proto/relief_mailbox.h"

/*
 * The contract between the two kernel builds (the setup_data type, the
 * park area's layout, the console and the command line NEW boots with)
 * is proto/relief_abi.h.
 */

/* --- OLD role, arch side ------------------------------------------- */

/* The region reserved at boot with relief_region=SIZE[@BASE]. */
struct relief_region {
	phys_addr_t base;	/* 0: none reserved */
	phys_addr_t size;
	phys_addr_t low_base;	/* below 1 MiB, for NEW's real-mode trampoline */
	phys_addr_t low_size;
	bool at_prepare;	/* base 0: made at PREPARE (relief_carve.c) */
};

int relief_carve_region(struct relief_region *r);
void relief_carve_return(struct relief_region *r);

void relief_arch_region(struct relief_region *r);

/* Everything the arch side needs to boot NEW in the region. */
struct relief_boot {
	const void *image;		/* bzImage / Image as read from the fd */
	size_t image_len;
	struct relief_image_info image_info;	/* as checked */
	const void *initrd;		/* NULL: none */
	size_t initrd_len;
	const char *cmdline;		/* complete command line for NEW */
	const void *hwdesc;		/* FDT blob */
	size_t hwdesc_len;
	phys_addr_t transfer_size;	/* bytes for the transfer area */
	phys_addr_t entry;		/* out: where NEW starts */
	phys_addr_t boot_params;	/* out: its argument */
	phys_addr_t transfer_base;	/* out: the area, kept from NEW's RAM */
	bool fault_at_entry;	/* test: an image that faults at its entry */
};

int relief_arch_check_image(const void *image, size_t len,
			    struct relief_image_info *info, int *check);
int relief_arch_load(const struct relief_region *r, struct relief_boot *b);

/* The UART the new kernel's console is on: given up at PREPARE, back after. */
int relief_arch_lend_console(void);
void relief_arch_return_console(void);

/*
 * The IOMMU, lent to NEW from the last device handed over; OLD's again if
 * the devices come back (rollback); left for good as OLD stands relieved.
 */
void relief_arch_lend_iommu(void);
void relief_arch_reclaim_iommu(void);
void relief_arch_leave_iommu(void);

/* Fill the arch parts of the hardware description (CPU ids, timers). */
int relief_arch_describe(struct relief_hwdesc *h);
/* The counter the clocks are stamped with (x86: the TSC). */
u64 relief_arch_clock_stamp(void);
u64 relief_arch_cpu_hw_id(unsigned int cpu);

/* Park the CPUs in @mask when they go offline; start NEW on one of them. */
int relief_arch_park_prepare(const struct relief_region *r,
			     const struct cpumask *mask);
int relief_arch_start(unsigned int cpu, phys_addr_t entry,
		      phys_addr_t boot_params);
void relief_arch_park_release(void);
/* During the transfer: @mask's CPUs park too when they go offline. */
int relief_arch_park_add(const struct cpumask *mask);
/* The end: park the calling CPU (OLD's last) for good. */
void relief_arch_park_self(void);

/* NEW died where no message could say so: the park recorded it. */
struct relief_peer_fault {
	const char *where;	/* "in early boot", ... */
	bool exception;		/* vector, ip, error and addr are meaningful */
	const char *name;	/* the exception's, "#UD" */
	u32 vector;
	u32 hw_id;		/* the CPU's */
	u64 ip;
	u64 error;
	u64 addr;		/* x86: CR2 */
};

bool relief_arch_peer_fault(struct relief_peer_fault *f);

/* --- NEW role ------------------------------------------------------ */

/* Set by the arch side's early parsing of the boot data (relief=new). */
extern bool relief_is_new;
const void *relief_new_hwdesc_blob(size_t *len);
const struct relief_hwdesc *relief_new_hwdesc(void);
const struct relief_hwdesc_device *
relief_new_missing_driver(const struct relief_hwdesc *h);

/*
 * NEW's command line beyond RELIEF_NEW_CMDLINE_CONSOLE (whose earlyprintk
 * comes before relief=new so that a refused hardware description panics
 * visibly) and RELIEF_NEW_CMDLINE_BASE: relief_arch_new_cmdline() adds
 * what must match OLD (x86: APIC mode, paging depth), the test switches
 * and the operator's arguments. Documentation/relief/x86_64.rst says why
 * each option is there and what must never be added (noapic,
 * nolapic_timer, nosmp, maxcpus=0).
 */
/*
 * NEW dies (panic, reset, halt) before it relieved OLD: tell OLD (the
 * protocol's abort once the mailbox is up, the arch's record before), so
 * that OLD ends the run at once.
 */
void relief_new_died(bool reset);
void relief_new_early(void);
void relief_arch_new_died(bool reset);

int relief_arch_new_cmdline(char *buf, size_t size, const char *extra,
			    bool bad_version, u32 timeout_ms);

/*
 * Stop NEW's CPUs and halt: OLD takes them back with INIT. Never returns,
 * but is not declared __noreturn: objtool only trusts that within one
 * object file.
 */
void relief_arch_new_halt(void);

/*
 * NEW, once OLD stood relieved: every CPU may be started from the park
 * (before, only the lent ones), and one of OLD's is started now.
 */
void relief_arch_new_take_all(void);
int relief_arch_new_online_cpu(u64 hw_id);
/* NEW: bind a device OLD let go of; after RELIEVED, the rest of the bus. */
int relief_arch_new_bind_device(const struct relief_hwdesc_device *d);
void relief_arch_new_devices_rest(void);
/*
 * NEW, once OLD stood relieved and its CPUs are NEW's: the rest of the
 * platform OLD owned (x86: IOAPICs, OLD's console, the RTC).
 */
void relief_arch_new_take_platform(void);
/* NEW, last: the firmware's runtime (x86: ACPI), still with init memory. */
void relief_arch_new_take_firmware(void);

/* NEW took the machine over (RELIEVED): it may lend it on. */
bool relief_new_owns_machine(void);
/* NEW: a user of the transfer area let go of it; maybe it can be freed. */
void relief_new_reclaim_kick(void);
/* NEW, ONLINE (relief_online.c): take what OLD left. */
void relief_new_take_machine(void);
bool relief_new_machine_taken(void);
/* The CPU that must never be sent INIT (the machine's BSP). */
bool relief_arch_cpu_never_init(unsigned int cpu);
/* The UART the next kernel's console goes to: never this kernel's own. */
const char *relief_arch_next_console(u16 *port);
/* PREPARE: the operator's choice of it (RELIEF_CONSOLE_*), checked. */
int relief_arch_choose_console(u32 console);
/* Start a CPU this kernel itself parked (lending on, then taking back). */
int relief_arch_park_wake(u32 apicid, unsigned long start_ip);

/* NEW's protocol state for /sys/kernel/relief ("none" if not NEW). */
const char *relief_new_state_name_now(void);

/*
 * NEW: RAM it knows from boot but keeps reserved until OLD is done with it
 * (relief_held.c). The arch makes each range RAM in its memory map and
 * holds it before memblock allocates; relief_held_free() gives it to the
 * page allocator.
 */
enum relief_held_kind {
	RELIEF_HELD_AREA,	/* the park area: park, mailbox, boot data */
	RELIEF_HELD_TRANSFER,	/* the transfer area */
	RELIEF_HELD_OLD_RAM,	/* OLD's RAM in blocks that are not its whole */
};

/*
 * The whole memory blocks (@bs apart) of a range of OLD's RAM: NEW
 * hot-adds [*start, *end) once OLD stood relieved, and holds the rest of
 * the range from boot. Both sides of that split use this, so that they cut
 * the same blocks. Return: false if the range holds no whole block.
 */
static inline bool relief_mem_whole_blocks(const struct relief_hwdesc_mem *m,
					   u64 bs, u64 *start, u64 *end)
{
	*start = ALIGN(m->base, bs);
	*end = ALIGN_DOWN(m->base + m->size, bs);
	return *start < *end;
}

int relief_held_add(u64 base, u64 size, enum relief_held_kind kind);
bool relief_held_find(enum relief_held_kind kind, u64 *base, u64 *size);
bool relief_held_next(enum relief_held_kind kind, unsigned int *pos,
		      u64 *base, u64 *size);
u64 relief_held_free(enum relief_held_kind kind, u64 start, u64 size);
/* NEW, at the end of a run that relieved OLD: the park is not used again. */
void relief_arch_new_drop_park(void);

#endif /* _KERNEL_RELIEF_H */
