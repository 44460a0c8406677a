/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_ring.h - one direction of the message channel: a single-producer,
 * single-consumer ring of wire slots in the shared mailbox.
 *
 * The two kernels share nothing but memory, so the ring is plain data at a
 * fixed place in the mailbox: a producer index line, a consumer index line
 * and RELIEF_RING_SLOTS slots. Indices are free-running u32 counters (slot =
 * index mod RELIEF_RING_SLOTS, entries in use = head - tail, both mod 2^32),
 * each written by exactly one side with release and read by the other with
 * acquire. Neither side ever waits: push on a full ring and pop on an empty
 * one return at once.
 */
#ifndef RELIEF_RING_H
#define RELIEF_RING_H

#include "relief_compat.h"
#include "relief_wire.h"

#define RELIEF_RING_SLOTS	32	/* power of two, divides 2^32 */
#define RELIEF_RING_SIZE	(2 * RELIEF_CACHELINE + \
				 RELIEF_RING_SLOTS * RELIEF_WIRE_SLOT_SIZE)

RELIEF_STATIC_ASSERT((RELIEF_RING_SLOTS & (RELIEF_RING_SLOTS - 1)) == 0,
		     "ring slot count must be a power of two");

/* Ring results; functions return 0 or the negated value. */
enum relief_ring_err {
	RELIEF_RING_OK = 0,
	RELIEF_RING_FULL = 1,		/* push: no free slot, try later */
	RELIEF_RING_EMPTY = 2,		/* pop: nothing to read */
	RELIEF_RING_CORRUPT = 3,	/* indices impossible: peer broke it */
	RELIEF_RING_ERR_COUNT
};

/* One index on its own cache line, so the two sides never false-share. */
struct relief_ring_index {
	RELIEF_ALIGNED(RELIEF_CACHELINE) uint32_t idx;
	uint8_t pad[RELIEF_CACHELINE - sizeof(uint32_t)];
};

RELIEF_WIRE_ASSERT_OFF(relief_ring_index, idx, 0);
RELIEF_WIRE_ASSERT_SIZE(relief_ring_index, RELIEF_CACHELINE);

struct relief_ring {
	struct relief_ring_index prod;	/* head: written by the producer */
	struct relief_ring_index cons;	/* tail: written by the consumer */
	struct relief_wire_slot slot[RELIEF_RING_SLOTS];
};

RELIEF_WIRE_ASSERT_OFF(relief_ring, prod, 0);
RELIEF_WIRE_ASSERT_OFF(relief_ring, cons, RELIEF_CACHELINE);
RELIEF_WIRE_ASSERT_OFF(relief_ring, slot, 2 * RELIEF_CACHELINE);
RELIEF_WIRE_ASSERT_SIZE(relief_ring, RELIEF_RING_SIZE);

void relief_ring_init(struct relief_ring *r, uint32_t start);
int relief_ring_push(struct relief_ring *r, const struct relief_wire_slot *s);
int relief_ring_pop(struct relief_ring *r, struct relief_wire_slot *s);
uint32_t relief_ring_used(const struct relief_ring *r);
const char *relief_ring_err_name(int err);

#endif /* RELIEF_RING_H */
