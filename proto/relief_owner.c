// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_owner.c - ownership tables and the one-owner invariant.
 *
 * The distributed invariant (relief_owner_check_global) is defined here, in
 * one place, so that the state machines, the tests and the documentation
 * all mean the same thing by "exactly one owner". The universe is OLD's
 * table: OLD is the kernel that knew the whole machine first. For every
 * resource r in it, with
 *
 *   ov_old(r)  OLD's table marks r OLD
 *   ov_new(r)  OLD's table marks r NEW
 *   nv(r)      NEW's table has r and marks it NEW
 *   g(r)       a message OLD -> NEW is in flight that grants r to NEW:
 *              CPU_RELEASE naming r's hw id, MEM_RELEASE naming exactly
 *              r's base and size, or I_STAND_RELIEVED (grants everything)
 *   q          an ABORT or ROLLBACK NEW -> OLD is in flight (NEW has given
 *              everything back and OLD has not yet read it)
 *
 * OLD claims r iff ov_old(r), or OLD is ACTIVE, NEW has LEFT and q.
 * NEW claims r iff
 *   OLD has LEFT:              NEW is DONE and nv(r) (never legal: caught)
 *   NEW is ABSENT, OLD ACTIVE: ov_new(r) (the partition of a NEW that is
 *                              booting but not yet running its machine)
 *   NEW is ACTIVE or DONE:     nv(r) or g(r)
 *   otherwise:                 never.
 *
 * The invariant holds iff every r is claimed by exactly one side, both
 * tables are valid on their own, and neither NEW's table nor any in-flight
 * grant names a resource OLD's table lacks.
 *
 * Why OLD leaving voids NEW's claims: OLD aborts and rolls back with
 * STOP_NEW in the same transition, stopping NEW's CPUs by force, so
 * whatever NEW still believes is moot. Why NEW leaving is covered by q:
 * NEW gives up in the instant it publishes ABORT/ROLLBACK, and OLD takes
 * over in the instant it reads it; the message is the owner in between.
 */
#include "relief_owner.h"

/**
 * relief_owner_init() - empty a table.
 * @t: the table
 */
void relief_owner_init(struct relief_owner_table *t)
{
	t->nr = 0;
	t->pad = 0;
}

static int owner_add(struct relief_owner_table *t, const struct relief_res *r)
{
	if (t->nr >= RELIEF_OWNER_MAX)
		return -1;
	t->res[t->nr] = *r;
	return (int)t->nr++;
}

/**
 * relief_owner_add_cpu() - append a CPU.
 * @t: the table
 * @hw_id: hardware id (APIC ID / MPIDR affinity)
 * @owner: RELIEF_OWN_* bits
 * @flags: RELIEF_RES_* bits
 *
 * Return: the new entry's index, or -1 if the table is full. Validity
 * (duplicates, flags) is left to relief_owner_check().
 */
int relief_owner_add_cpu(struct relief_owner_table *t, uint32_t hw_id,
			 uint8_t owner, uint16_t flags)
{
	struct relief_res r = {
		.kind = RELIEF_RES_CPU, .owner = owner, .flags = flags,
		.hw_id = hw_id,
	};

	return owner_add(t, &r);
}

/**
 * relief_owner_add_mem() - append a memory range.
 * @t: the table
 * @base: physical base
 * @size: length in bytes
 * @owner: RELIEF_OWN_* bits
 * @flags: RELIEF_RES_* bits
 *
 * Return: the new entry's index, or -1 if the table is full.
 */
int relief_owner_add_mem(struct relief_owner_table *t, uint64_t base,
			 uint64_t size, uint8_t owner, uint16_t flags)
{
	struct relief_res r = {
		.kind = RELIEF_RES_MEM, .owner = owner, .flags = flags,
		.base = base, .size = size,
	};

	return owner_add(t, &r);
}

static uint32_t owner_nr(const struct relief_owner_table *t)
{
	return t->nr > RELIEF_OWNER_MAX ? RELIEF_OWNER_MAX : t->nr;
}

/**
 * relief_owner_find_cpu() - look a CPU up by hardware id.
 * @t: the table
 * @hw_id: hardware id
 *
 * Return: index of the first entry for that CPU, or -1.
 */
int relief_owner_find_cpu(const struct relief_owner_table *t, uint32_t hw_id)
{
	uint32_t i;

	for (i = 0; i < owner_nr(t); i++)
		if (t->res[i].kind == RELIEF_RES_CPU && t->res[i].hw_id == hw_id)
			return (int)i;
	return -1;
}

/**
 * relief_owner_find_mem() - look a memory range up.
 * @t: the table
 * @base: physical base
 * @size: length
 *
 * Ranges are released whole, so only an exact match counts.
 *
 * Return: index of the first entry with that base and size, or -1.
 */
int relief_owner_find_mem(const struct relief_owner_table *t, uint64_t base,
			  uint64_t size)
{
	uint32_t i;

	for (i = 0; i < owner_nr(t); i++)
		if (t->res[i].kind == RELIEF_RES_MEM &&
		    t->res[i].base == base && t->res[i].size == size)
			return (int)i;
	return -1;
}

static int owner_find_like(const struct relief_owner_table *t,
			   const struct relief_res *r)
{
	if (r->kind == RELIEF_RES_CPU)
		return relief_owner_find_cpu(t, r->hw_id);
	return relief_owner_find_mem(t, r->base, r->size);
}

/**
 * relief_owner_set_all() - give every resource to one owner.
 * @t: the table
 * @owner: RELIEF_OWN_* bits
 */
void relief_owner_set_all(struct relief_owner_table *t, uint8_t owner)
{
	uint32_t i;

	for (i = 0; i < owner_nr(t); i++)
		t->res[i].owner = owner;
}

/**
 * relief_owner_set_flagged() - give every resource with any of @flags to
 * one owner.
 * @t: the table
 * @flags: RELIEF_RES_* bits to match
 * @owner: RELIEF_OWN_* bits
 */
void relief_owner_set_flagged(struct relief_owner_table *t, uint16_t flags,
			      uint8_t owner)
{
	uint32_t i;

	for (i = 0; i < owner_nr(t); i++)
		if (t->res[i].flags & flags)
			t->res[i].owner = owner;
}

/**
 * relief_owner_count() - count resources of a kind with exactly @flags.
 * @t: the table
 * @kind: enum relief_res_kind
 * @flags: RELIEF_RES_* bits the entry must have exactly (0: transfer-time)
 *
 * Return: the number of matching entries.
 */
uint32_t relief_owner_count(const struct relief_owner_table *t, uint8_t kind,
			    uint16_t flags)
{
	uint32_t i, n = 0;

	for (i = 0; i < owner_nr(t); i++)
		if (t->res[i].kind == kind &&
		    (t->res[i].flags & RELIEF_RES_FLAGS) == flags)
			n++;
	return n;
}

/**
 * relief_owner_mem_bytes() - total size of memory ranges with exactly @flags.
 * @t: the table
 * @flags: RELIEF_RES_* bits the entry must have exactly
 *
 * Return: the sum of their sizes (saturating).
 */
uint64_t relief_owner_mem_bytes(const struct relief_owner_table *t,
				uint16_t flags)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < owner_nr(t); i++) {
		const struct relief_res *r = &t->res[i];

		if (r->kind != RELIEF_RES_MEM ||
		    (r->flags & RELIEF_RES_FLAGS) != flags)
			continue;
		sum = sum + r->size < sum ? UINT64_MAX : sum + r->size;
	}
	return sum;
}

static int owner_fault(struct relief_owner_fault *f, int err, uint32_t index,
		       uint32_t owners)
{
	if (f) {
		f->err = (uint32_t)err;
		f->index = index;
		f->owners = owners;
		f->pad = 0;
	}
	return err;
}

static int owner_bits_err(uint32_t bits)
{
	if (!(bits & RELIEF_OWN_MASK))
		return RELIEF_OWNER_ENONE;
	if ((bits & RELIEF_OWN_MASK) == RELIEF_OWN_MASK)
		return RELIEF_OWNER_EBOTH;
	return RELIEF_OWNER_OK;
}

/* Entry on its own: kind, flags, range, owner bits. */
static int owner_entry_err(const struct relief_res *r)
{
	if (r->kind != RELIEF_RES_CPU && r->kind != RELIEF_RES_MEM)
		return RELIEF_OWNER_EKIND;
	if ((r->flags & ~RELIEF_RES_FLAGS) ||
	    (r->flags & RELIEF_RES_FLAGS) == RELIEF_RES_FLAGS)
		return RELIEF_OWNER_EFLAGS;
	if (r->kind == RELIEF_RES_MEM &&
	    (!r->size || r->base + (r->size - 1) < r->base))
		return RELIEF_OWNER_ERANGE;
	if (r->owner & ~RELIEF_OWN_MASK)
		return RELIEF_OWNER_EBOTH;
	return owner_bits_err(r->owner);
}

/* Two valid entries that name the same or overlapping hardware. */
static int owner_pair_err(const struct relief_res *a,
			  const struct relief_res *b)
{
	if (a->kind != b->kind)
		return RELIEF_OWNER_OK;
	if (a->kind == RELIEF_RES_CPU)
		return a->hw_id == b->hw_id ? RELIEF_OWNER_EDUP : RELIEF_OWNER_OK;
	if (a->base <= b->base + (b->size - 1) &&
	    b->base <= a->base + (a->size - 1))
		return RELIEF_OWNER_EOVERLAP;
	return RELIEF_OWNER_OK;
}

/**
 * relief_owner_check() - validate one side's table.
 * @t: the table
 * @fault: where to store the first violation (may be NULL)
 *
 * Every entry must have a known kind, legal flags, a non-empty memory range
 * that does not wrap, and exactly one owner bit; no CPU may be listed twice
 * and no two memory ranges may overlap. Entries are checked in order and
 * the first bad one is reported (for a pair, the later of the two).
 *
 * Return: RELIEF_OWNER_OK or the enum relief_owner_err of the violation.
 */
int relief_owner_check(const struct relief_owner_table *t,
		       struct relief_owner_fault *fault)
{
	uint32_t i, j;
	int err;

	if (t->nr > RELIEF_OWNER_MAX)
		return owner_fault(fault, RELIEF_OWNER_ETOOMANY, t->nr, 0);
	for (i = 0; i < t->nr; i++) {
		err = owner_entry_err(&t->res[i]);
		if (err)
			return owner_fault(fault, err, i, t->res[i].owner);
		for (j = 0; j < i; j++) {
			err = owner_pair_err(&t->res[j], &t->res[i]);
			if (err)
				return owner_fault(fault, err, i,
						   t->res[i].owner);
		}
	}
	return owner_fault(fault, RELIEF_OWNER_OK, 0, 0);
}

static bool msg_from(const struct relief_msg *m, uint32_t role, uint32_t type)
{
	return m->sender == role && m->type == type;
}

/* Does an in-flight OLD -> NEW message grant @r to NEW? */
static bool owner_granted(const struct relief_res *r,
			  const struct relief_msg *inflight, uint32_t nr)
{
	uint32_t i, k, n;

	for (i = 0; i < nr; i++) {
		const struct relief_msg *m = &inflight[i];

		if (msg_from(m, RELIEF_ROLE_OLD, RELIEF_MSG_I_STAND_RELIEVED))
			return true;
		if (r->kind == RELIEF_RES_MEM &&
		    msg_from(m, RELIEF_ROLE_OLD, RELIEF_MSG_MEM_RELEASE) &&
		    m->u.mem.base == r->base && m->u.mem.size == r->size)
			return true;
		if (r->kind != RELIEF_RES_CPU ||
		    !msg_from(m, RELIEF_ROLE_OLD, RELIEF_MSG_CPU_RELEASE))
			continue;
		n = m->u.cpus.nr > RELIEF_CPU_RELEASE_MAX ?
			RELIEF_CPU_RELEASE_MAX : m->u.cpus.nr;
		for (k = 0; k < n; k++)
			if (m->u.cpus.hw_ids[k] == r->hw_id)
				return true;
	}
	return false;
}

/* Every resource a grant names must exist in OLD's table. */
static int owner_grants_known(const struct relief_owner_table *old,
			      const struct relief_msg *inflight, uint32_t nr,
			      uint32_t *bad)
{
	uint32_t i, k, n;

	for (i = 0; i < nr; i++) {
		const struct relief_msg *m = &inflight[i];

		*bad = i;
		if (msg_from(m, RELIEF_ROLE_OLD, RELIEF_MSG_MEM_RELEASE) &&
		    relief_owner_find_mem(old, m->u.mem.base,
					  m->u.mem.size) < 0)
			return RELIEF_OWNER_EUNKNOWN;
		if (!msg_from(m, RELIEF_ROLE_OLD, RELIEF_MSG_CPU_RELEASE))
			continue;
		n = m->u.cpus.nr > RELIEF_CPU_RELEASE_MAX ?
			RELIEF_CPU_RELEASE_MAX : m->u.cpus.nr;
		for (k = 0; k < n; k++)
			if (relief_owner_find_cpu(old, m->u.cpus.hw_ids[k]) < 0)
				return RELIEF_OWNER_EUNKNOWN;
	}
	return RELIEF_OWNER_OK;
}

/* Has NEW handed everything back with a message OLD has not read yet? */
static bool owner_returned(const struct relief_msg *inflight, uint32_t nr)
{
	uint32_t i;

	for (i = 0; i < nr; i++)
		if (msg_from(&inflight[i], RELIEF_ROLE_NEW, RELIEF_MSG_ABORT) ||
		    msg_from(&inflight[i], RELIEF_ROLE_NEW, RELIEF_MSG_ROLLBACK))
			return true;
	return false;
}

/**
 * relief_owner_check_global() - the distributed one-owner invariant.
 * @old_view: OLD's table and status (the universe of resources)
 * @new_view: NEW's table and status (table may be empty while ABSENT)
 * @inflight: messages published but not yet consumed, either direction
 *            (the sender field tells which)
 * @nr_inflight: number of them
 * @fault: where to store the first violation (may be NULL)
 *
 * See the definition at the top of this file. fault->index is the entry
 * of OLD's table, except for RELIEF_OWNER_EUNKNOWN from NEW's table (index
 * in NEW's table) or from a message (index in @inflight).
 *
 * Return: RELIEF_OWNER_OK or the enum relief_owner_err of the violation.
 */
int relief_owner_check_global(const struct relief_owner_view *old_view,
			      const struct relief_owner_view *new_view,
			      const struct relief_msg *inflight,
			      uint32_t nr_inflight,
			      struct relief_owner_fault *fault)
{
	const struct relief_owner_table *old = old_view->table;
	const struct relief_owner_table *nt = new_view->table;
	uint32_t os = old_view->status, ns = new_view->status;
	bool returned = owner_returned(inflight, nr_inflight);
	uint32_t i, bad = 0;
	int err, j;

	err = relief_owner_check(old, fault);
	if (err)
		return err;
	err = relief_owner_check(nt, fault);
	if (err)
		return err;
	for (i = 0; i < nt->nr; i++)
		if (owner_find_like(old, &nt->res[i]) < 0)
			return owner_fault(fault, RELIEF_OWNER_EUNKNOWN, i, 0);
	err = owner_grants_known(old, inflight, nr_inflight, &bad);
	if (err)
		return owner_fault(fault, err, bad, 0);

	for (i = 0; i < old->nr; i++) {
		const struct relief_res *r = &old->res[i];
		bool by_old, by_new, nv;

		j = owner_find_like(nt, r);
		nv = j >= 0 && (nt->res[j].owner & RELIEF_OWN_NEW);
		by_old = (r->owner & RELIEF_OWN_OLD) ||
			 (os == RELIEF_VIEW_ACTIVE && ns == RELIEF_VIEW_LEFT &&
			  returned);
		if (os == RELIEF_VIEW_LEFT)
			by_new = ns == RELIEF_VIEW_DONE && nv;
		else if (ns == RELIEF_VIEW_ABSENT)
			by_new = os == RELIEF_VIEW_ACTIVE &&
				 (r->owner & RELIEF_OWN_NEW);
		else if (ns == RELIEF_VIEW_ACTIVE || ns == RELIEF_VIEW_DONE)
			by_new = nv || owner_granted(r, inflight, nr_inflight);
		else
			by_new = false;
		err = owner_bits_err((by_old ? RELIEF_OWN_OLD : 0) |
				     (by_new ? RELIEF_OWN_NEW : 0));
		if (err)
			return owner_fault(fault, err, i,
					   (by_old ? RELIEF_OWN_OLD : 0) |
					   (by_new ? RELIEF_OWN_NEW : 0));
	}
	return owner_fault(fault, RELIEF_OWNER_OK, 0, 0);
}

/**
 * relief_owner_err_name() - name of an enum relief_owner_err value.
 * @err: the value
 *
 * Return: a static string, "?" if out of range.
 */
const char *relief_owner_err_name(int err)
{
	static const char *const names[RELIEF_OWNER_ECOUNT] = {
		[RELIEF_OWNER_OK] = "OK",
		[RELIEF_OWNER_ENONE] = "ENONE",
		[RELIEF_OWNER_EBOTH] = "EBOTH",
		[RELIEF_OWNER_EKIND] = "EKIND",
		[RELIEF_OWNER_EFLAGS] = "EFLAGS",
		[RELIEF_OWNER_ERANGE] = "ERANGE",
		[RELIEF_OWNER_EDUP] = "EDUP",
		[RELIEF_OWNER_EOVERLAP] = "EOVERLAP",
		[RELIEF_OWNER_EUNKNOWN] = "EUNKNOWN",
		[RELIEF_OWNER_ETOOMANY] = "ETOOMANY",
	};

	if (err < 0 || err >= RELIEF_OWNER_ECOUNT)
		return "?";
	return names[err];
}
