// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_ring.c - SPSC slot ring between two kernels.
 *
 * Ordering (see Documentation/relief/mailbox.rst for the full argument):
 * the producer fills slot[head] and then store-releases head + 1; the
 * consumer load-acquires head, so the slot contents are visible before it
 * reads them. Symmetrically the consumer copies slot[tail] out and then
 * store-releases tail + 1; the producer load-acquires tail, so it never
 * overwrites a slot the consumer is still reading. Each side reads its own
 * index without ordering: nobody else writes it.
 *
 * The peer is not trusted to keep its index sane: a distance head - tail
 * larger than the ring is reported as RELIEF_RING_CORRUPT, never used to
 * index memory (indices are masked anyway, so no access leaves the ring).
 */
#include "relief_ring.h"

#define RELIEF_RING_MASK	(RELIEF_RING_SLOTS - 1)

/**
 * relief_ring_init() - empty a ring, placing both indices at @start
 * @r: the ring, in the mailbox
 * @start: initial value of head and tail; the mailbox uses 0, tests use
 *	   values near UINT32_MAX to exercise counter wrap-around
 *
 * Only for the side that formats the mailbox, before the peer runs.
 */
void relief_ring_init(struct relief_ring *r, uint32_t start)
{
	uint32_t i;
	uint8_t *b = (uint8_t *)r->slot;

	for (i = 0; i < sizeof(r->slot); i++)
		b[i] = 0;
	for (i = 0; i < sizeof(r->prod.pad); i++) {
		r->prod.pad[i] = 0;
		r->cons.pad[i] = 0;
	}
	r->cons.idx = start;
	relief_store_release(&r->prod.idx, start);
}

/**
 * relief_ring_push() - producer: append one slot, never waiting
 * @r: the ring
 * @s: the encoded slot to copy in
 *
 * Return: 0; -RELIEF_RING_FULL if all RELIEF_RING_SLOTS are in use (nothing
 * is written); -RELIEF_RING_CORRUPT if the consumer index is impossible.
 */
int relief_ring_push(struct relief_ring *r, const struct relief_wire_slot *s)
{
	uint32_t head = r->prod.idx;
	uint32_t tail = relief_load_acquire(&r->cons.idx);
	uint32_t used = head - tail;

	if (used > RELIEF_RING_SLOTS)
		return -RELIEF_RING_CORRUPT;
	if (used == RELIEF_RING_SLOTS)
		return -RELIEF_RING_FULL;
	r->slot[head & RELIEF_RING_MASK] = *s;
	relief_store_release(&r->prod.idx, head + 1);
	return 0;
}

/**
 * relief_ring_pop() - consumer: take the oldest slot, never waiting
 * @r: the ring
 * @s: private buffer the slot is copied into; decode from it, not from @r
 *
 * Return: 0; -RELIEF_RING_EMPTY if nothing is pending; -RELIEF_RING_CORRUPT
 * if the producer index is impossible. @s is untouched unless 0 is returned.
 */
int relief_ring_pop(struct relief_ring *r, struct relief_wire_slot *s)
{
	uint32_t tail = r->cons.idx;
	uint32_t head = relief_load_acquire(&r->prod.idx);
	uint32_t used = head - tail;

	if (used > RELIEF_RING_SLOTS)
		return -RELIEF_RING_CORRUPT;
	if (used == 0)
		return -RELIEF_RING_EMPTY;
	*s = r->slot[tail & RELIEF_RING_MASK];
	relief_store_release(&r->cons.idx, tail + 1);
	return 0;
}

/**
 * relief_ring_used() - how many slots are pending, as either side sees it
 * @r: the ring
 *
 * Return: head - tail (mod 2^32). A value above RELIEF_RING_SLOTS means the
 * indices are corrupt. Only a snapshot: the other side may move meanwhile.
 */
uint32_t relief_ring_used(const struct relief_ring *r)
{
	uint32_t tail = relief_load_acquire(&r->cons.idx);
	uint32_t head = relief_load_acquire(&r->prod.idx);

	return head - tail;
}

/**
 * relief_ring_err_name() - name of a ring result
 * @err: 0, an enum relief_ring_err value or its negation
 *
 * Return: e.g. "FULL"; "UNKNOWN" if out of range.
 */
const char *relief_ring_err_name(int err)
{
	static const char *const names[RELIEF_RING_ERR_COUNT] = {
		[RELIEF_RING_OK] = "OK",
		[RELIEF_RING_FULL] = "FULL",
		[RELIEF_RING_EMPTY] = "EMPTY",
		[RELIEF_RING_CORRUPT] = "CORRUPT",
	};

	if (err <= -RELIEF_RING_ERR_COUNT || err >= RELIEF_RING_ERR_COUNT)
		return "UNKNOWN";
	return names[err < 0 ? -err : err];
}
