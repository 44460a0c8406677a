/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_owner.h - who owns each CPU and memory range, and the checks that
 * prove it is always exactly one kernel.
 *
 * Each side keeps a table: its own belief about every resource of the
 * machine. The owner field is a bitmask, not an enum, so that the two
 * states the protocol must never reach -- nobody owns it, both own it --
 * are representable and therefore detectable.
 *
 * relief_owner_check() validates one table. relief_owner_check_global()
 * defines the distributed invariant over both views plus the messages in
 * flight; the definition is in relief_owner.c and
 * Documentation/relief/protocol.rst ("Ownership invariant").
 */
#ifndef RELIEF_OWNER_H
#define RELIEF_OWNER_H

#include "relief_compat.h"
#include "relief_msg.h"

#define RELIEF_OWNER_MAX	1024	/* resources in one table */

enum relief_res_kind {
	RELIEF_RES_CPU = 1,	/* one CPU, by hardware id */
	RELIEF_RES_MEM = 2,	/* one physical range [base, base + size) */
};

/* Owner bits. Exactly one must be set in every entry of a valid table. */
#define RELIEF_OWN_OLD		0x1
#define RELIEF_OWN_NEW		0x2
#define RELIEF_OWN_MASK		(RELIEF_OWN_OLD | RELIEF_OWN_NEW)

/*
 * Role of a resource in the plan. LENT: NEW's partition, given to NEW when
 * OLD starts it. KEEP: OLD runs on it to the end and gives it up only with
 * I_STAND_RELIEVED. Neither: OLD gives it up during the transfer, with
 * CPU_RELEASE or MEM_RELEASE.
 */
#define RELIEF_RES_LENT		0x1
#define RELIEF_RES_KEEP		0x2
#define RELIEF_RES_FLAGS	(RELIEF_RES_LENT | RELIEF_RES_KEEP)

struct relief_res {
	uint8_t kind;		/* enum relief_res_kind */
	uint8_t owner;		/* RELIEF_OWN_* bits */
	uint16_t flags;		/* RELIEF_RES_* */
	uint32_t hw_id;		/* CPU: APIC ID / MPIDR affinity */
	uint64_t base;		/* MEM */
	uint64_t size;		/* MEM, > 0 and base + size does not wrap */
};

struct relief_owner_table {
	uint32_t nr;
	uint32_t pad;
	struct relief_res res[RELIEF_OWNER_MAX];
};

/* Result of a check. */
enum relief_owner_err {
	RELIEF_OWNER_OK = 0,
	RELIEF_OWNER_ENONE,	/* a resource has no owner */
	RELIEF_OWNER_EBOTH,	/* a resource has two owners */
	RELIEF_OWNER_EKIND,	/* unknown kind */
	RELIEF_OWNER_EFLAGS,	/* unknown flags, or LENT and KEEP */
	RELIEF_OWNER_ERANGE,	/* empty or wrapping memory range */
	RELIEF_OWNER_EDUP,	/* CPU listed twice */
	RELIEF_OWNER_EOVERLAP,	/* memory ranges overlap */
	RELIEF_OWNER_EUNKNOWN,	/* names a resource OLD's table lacks */
	RELIEF_OWNER_ETOOMANY,	/* nr > RELIEF_OWNER_MAX */
	RELIEF_OWNER_ECOUNT
};

struct relief_owner_fault {
	uint32_t err;		/* enum relief_owner_err */
	uint32_t index;		/* offending entry (OLD's table if global) */
	uint32_t owners;	/* global: effective RELIEF_OWN_* bits found */
	uint32_t pad;
};

/*
 * Where a side stands in the run, for the global check. An OLD that has not
 * started yet is ACTIVE (it owns what its table says).
 */
enum relief_view_status {
	RELIEF_VIEW_ABSENT = 0,	/* NEW not booted yet: claims nothing */
	RELIEF_VIEW_ACTIVE = 1,	/* in the run: owns what its table says */
	RELIEF_VIEW_LEFT = 2,	/* aborted or rolled back (terminal) */
	RELIEF_VIEW_DONE = 3,	/* OLD stood relieved / NEW relieved */
};

struct relief_owner_view {
	const struct relief_owner_table *table;
	uint32_t status;	/* enum relief_view_status */
	uint32_t pad;
};

void relief_owner_init(struct relief_owner_table *t);
int relief_owner_add_cpu(struct relief_owner_table *t, uint32_t hw_id,
			 uint8_t owner, uint16_t flags);
int relief_owner_add_mem(struct relief_owner_table *t, uint64_t base,
			 uint64_t size, uint8_t owner, uint16_t flags);
int relief_owner_find_cpu(const struct relief_owner_table *t, uint32_t hw_id);
int relief_owner_find_mem(const struct relief_owner_table *t, uint64_t base,
			  uint64_t size);
void relief_owner_set_all(struct relief_owner_table *t, uint8_t owner);
void relief_owner_set_flagged(struct relief_owner_table *t, uint16_t flags,
			      uint8_t owner);
uint32_t relief_owner_count(const struct relief_owner_table *t, uint8_t kind,
			    uint16_t flags);
uint64_t relief_owner_mem_bytes(const struct relief_owner_table *t,
				uint16_t flags);
int relief_owner_check(const struct relief_owner_table *t,
		       struct relief_owner_fault *fault);
int relief_owner_check_global(const struct relief_owner_view *old_view,
			      const struct relief_owner_view *new_view,
			      const struct relief_msg *inflight,
			      uint32_t nr_inflight,
			      struct relief_owner_fault *fault);
const char *relief_owner_err_name(int err);

#endif /* RELIEF_OWNER_H */
