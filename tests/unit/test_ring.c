// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_ring.c - the SPSC slot ring: fill, full, empty, FIFO order, counter
 * wrap past 2^32, corrupt indices from a misbehaving peer, and a real
 * two-thread producer/consumer run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "relief_ring.h"

static struct relief_ring ring_r;

/* A slot whose every byte derives from @n, so mix-ups are visible. */
static void ring_mark(struct relief_wire_slot *s, uint64_t n)
{
	size_t i;

	for (i = 0; i < sizeof(s->payload.bytes); i++)
		s->payload.bytes[i] = (uint8_t)(n * 7 + i);
	memset(&s->hdr, 0, sizeof(s->hdr));
	s->hdr.seq = n;
}

static void ring_check(const struct relief_wire_slot *s, uint64_t n)
{
	struct relief_wire_slot want;

	ring_mark(&want, n);
	assert_memory_equal(s, &want, sizeof(want));
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct relief_ring), RELIEF_RING_SIZE);
	assert_int_equal(RELIEF_RING_SIZE, 128 + 32 * 256);
	assert_int_equal(offsetof(struct relief_ring, prod), 0);
	assert_int_equal(offsetof(struct relief_ring, cons), 64);
	assert_int_equal(offsetof(struct relief_ring, slot), 128);
	assert_int_equal(_Alignof(struct relief_ring), RELIEF_CACHELINE);
	assert_int_equal((uintptr_t)&ring_r % RELIEF_CACHELINE, 0);
}

static void test_empty(void **state)
{
	struct relief_wire_slot s;

	(void)state;
	relief_ring_init(&ring_r, 0);
	assert_int_equal(relief_ring_used(&ring_r), 0);
	memset(&s, 0x77, sizeof(s));
	assert_int_equal(relief_ring_pop(&ring_r, &s), -RELIEF_RING_EMPTY);
	/* An empty pop leaves the caller's buffer alone. */
	assert_int_equal(s.payload.bytes[0], 0x77);
	assert_int_equal(ring_r.cons.idx, 0);
}

static void ring_fill_drain(uint32_t start)
{
	struct relief_wire_slot s, before;
	uint64_t n;

	relief_ring_init(&ring_r, start);
	for (n = 0; n < RELIEF_RING_SLOTS; n++) {
		ring_mark(&s, n);
		assert_int_equal(relief_ring_push(&ring_r, &s), 0);
		assert_int_equal(relief_ring_used(&ring_r), n + 1);
	}
	/* Full: refused, and nothing overwritten. */
	before = ring_r.slot[start % RELIEF_RING_SLOTS];
	ring_mark(&s, 999);
	assert_int_equal(relief_ring_push(&ring_r, &s), -RELIEF_RING_FULL);
	assert_int_equal(relief_ring_used(&ring_r), RELIEF_RING_SLOTS);
	assert_memory_equal(&ring_r.slot[start % RELIEF_RING_SLOTS], &before,
			    sizeof(before));
	assert_int_equal(ring_r.prod.idx, start + RELIEF_RING_SLOTS);
	/* Drain in FIFO order. */
	for (n = 0; n < RELIEF_RING_SLOTS; n++) {
		assert_int_equal(relief_ring_pop(&ring_r, &s), 0);
		ring_check(&s, n);
	}
	assert_int_equal(relief_ring_pop(&ring_r, &s), -RELIEF_RING_EMPTY);
	assert_int_equal(relief_ring_used(&ring_r), 0);
	/* Space is reusable after a drain. */
	ring_mark(&s, 1000);
	assert_int_equal(relief_ring_push(&ring_r, &s), 0);
	assert_int_equal(relief_ring_pop(&ring_r, &s), 0);
	ring_check(&s, 1000);
}

static void test_fill_full_drain(void **state)
{
	(void)state;
	ring_fill_drain(0);
	ring_fill_drain(12345);
}

/* Counters that wrap through 2^32 in the middle of a full ring. */
static void test_full_across_wrap(void **state)
{
	(void)state;
	ring_fill_drain(UINT32_MAX - 3);
	ring_fill_drain(UINT32_MAX);
	ring_fill_drain(UINT32_MAX - RELIEF_RING_SLOTS + 1);
	assert_int_equal(ring_r.prod.idx, 1);	/* 2^32 - 32 + 33 pushes */
}

/* Many rounds of uneven push/pop bursts straddling the wrap. */
static void test_wrap_streaming(void **state)
{
	struct relief_wire_slot s;
	uint64_t pushed = 0, popped = 0;
	int round;

	(void)state;
	relief_ring_init(&ring_r, UINT32_MAX - 100);
	for (round = 0; round < 200; round++) {
		int burst = (round * 7) % (RELIEF_RING_SLOTS + 5), i;

		for (i = 0; i < burst; i++) {
			int ret;

			ring_mark(&s, pushed);
			ret = relief_ring_push(&ring_r, &s);
			if (pushed - popped == RELIEF_RING_SLOTS) {
				assert_int_equal(ret, -RELIEF_RING_FULL);
				break;
			}
			assert_int_equal(ret, 0);
			pushed++;
		}
		burst = (round * 5) % (RELIEF_RING_SLOTS + 3);
		for (i = 0; i < burst; i++) {
			int ret = relief_ring_pop(&ring_r, &s);

			if (popped == pushed) {
				assert_int_equal(ret, -RELIEF_RING_EMPTY);
				break;
			}
			assert_int_equal(ret, 0);
			ring_check(&s, popped);
			popped++;
		}
		assert_int_equal(relief_ring_used(&ring_r), pushed - popped);
	}
	/* We really went past 2^32. */
	assert_true(ring_r.prod.idx < 0x10000);
	assert_true(popped > 101);
}

/* A peer that scribbles on its index must not make us read or write junk. */
static void test_corrupt_indices(void **state)
{
	struct relief_wire_slot s;

	(void)state;
	ring_mark(&s, 1);
	/* Consumer index ahead of producer index. */
	relief_ring_init(&ring_r, 100);
	ring_r.cons.idx = 101;
	assert_int_equal(relief_ring_push(&ring_r, &s), -RELIEF_RING_CORRUPT);
	assert_int_equal(relief_ring_pop(&ring_r, &s), -RELIEF_RING_CORRUPT);
	assert_int_equal(ring_r.prod.idx, 100);
	/* Producer claims more than the ring holds. */
	relief_ring_init(&ring_r, 0);
	ring_r.prod.idx = RELIEF_RING_SLOTS + 1;
	assert_int_equal(relief_ring_pop(&ring_r, &s), -RELIEF_RING_CORRUPT);
	assert_int_equal(relief_ring_push(&ring_r, &s), -RELIEF_RING_CORRUPT);
	assert_int_equal(ring_r.cons.idx, 0);
	assert_true(relief_ring_used(&ring_r) > RELIEF_RING_SLOTS);
}

static void test_err_names(void **state)
{
	(void)state;
	assert_string_equal(relief_ring_err_name(0), "OK");
	assert_string_equal(relief_ring_err_name(-RELIEF_RING_FULL), "FULL");
	assert_string_equal(relief_ring_err_name(RELIEF_RING_FULL), "FULL");
	assert_string_equal(relief_ring_err_name(-RELIEF_RING_EMPTY), "EMPTY");
	assert_string_equal(relief_ring_err_name(-RELIEF_RING_CORRUPT),
			    "CORRUPT");
	assert_string_equal(relief_ring_err_name(-RELIEF_RING_ERR_COUNT),
			    "UNKNOWN");
	assert_string_equal(relief_ring_err_name(RELIEF_RING_ERR_COUNT),
			    "UNKNOWN");
	assert_string_equal(relief_ring_err_name(INT32_MIN), "UNKNOWN");
}

/* Real concurrency: one producer thread, one consumer thread. */
#define RING_THREAD_MSGS 100000

static void *ring_producer(void *arg)
{
	struct relief_wire_slot s;
	uint64_t n;

	(void)arg;
	for (n = 0; n < RING_THREAD_MSGS; n++) {
		ring_mark(&s, n);
		while (relief_ring_push(&ring_r, &s) == -RELIEF_RING_FULL)
			sched_yield();
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct relief_wire_slot s, want;
	pthread_t t;
	uint64_t n;
	int ret;

	(void)state;
	relief_ring_init(&ring_r, UINT32_MAX - 1000);
	assert_int_equal(pthread_create(&t, NULL, ring_producer, NULL), 0);
	for (n = 0; n < RING_THREAD_MSGS; n++) {
		while ((ret = relief_ring_pop(&ring_r, &s)) ==
		       -RELIEF_RING_EMPTY)
			sched_yield();
		assert_int_equal(ret, 0);
		ring_mark(&want, n);
		/* memcmp, not assert_memory_equal: keep the loop cheap. */
		if (memcmp(&s, &want, sizeof(s)))
			fail_msg("slot %llu arrived damaged or out of order",
				 (unsigned long long)n);
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(relief_ring_pop(&ring_r, &s), -RELIEF_RING_EMPTY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_fill_full_drain),
		cmocka_unit_test(test_full_across_wrap),
		cmocka_unit_test(test_wrap_streaming),
		cmocka_unit_test(test_corrupt_indices),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
