// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_console.c - the console byte ring: partial reads, wrap of the buffer
 * and of the counters, drop-and-count when full, a broken writer, and a
 * two-thread stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "relief_console.h"

#define CON_N RELIEF_CONSOLE_DATA_SIZE

static struct relief_console con_c;
static uint8_t con_big[2 * CON_N];
static uint8_t con_out[2 * CON_N];

static void con_pattern(uint8_t *b, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)((i + seed) % 251);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct relief_console), RELIEF_CONSOLE_SIZE);
	assert_int_equal(RELIEF_CONSOLE_SIZE, 128 + 32768);
	assert_int_equal(offsetof(struct relief_console, w.head), 0);
	assert_int_equal(offsetof(struct relief_console, w.dropped), 8);
	assert_int_equal(offsetof(struct relief_console, r.tail), 64);
	assert_int_equal(offsetof(struct relief_console, data), 128);
}

static void test_write_read(void **state)
{
	char buf[16];

	(void)state;
	relief_console_init(&con_c, 0);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 0);
	assert_int_equal(relief_console_write(&con_c, "hello, ", 7), 7);
	assert_int_equal(relief_console_write(&con_c, "world\n", 6), 6);
	assert_int_equal(relief_console_write(&con_c, "", 0), 0);
	/* Reader takes what fits, then the rest. */
	assert_int_equal(relief_console_read(&con_c, buf, 5), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, ", world\n", 8);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 0);
	assert_int_equal(relief_console_dropped(&con_c), 0);
}

/* Data that straddles the end of the buffer, with counters near 2^32. */
static void con_wrap(uint32_t start)
{
	size_t off;

	relief_console_init(&con_c, start);
	con_pattern(con_big, CON_N - 100, 1);
	assert_int_equal(relief_console_write(&con_c, con_big, CON_N - 100),
			 CON_N - 100);
	assert_int_equal(relief_console_read(&con_c, con_out, CON_N),
			 CON_N - 100);
	assert_memory_equal(con_out, con_big, CON_N - 100);
	/* Now 5000 bytes that wrap the physical buffer. */
	con_pattern(con_big, 5000, 2);
	assert_int_equal(relief_console_write(&con_c, con_big, 5000), 5000);
	for (off = 0; off < 5000; off += 333) {
		size_t want = 5000 - off < 333 ? 5000 - off : 333;

		assert_int_equal(relief_console_read(&con_c, con_out + off,
						     333), want);
	}
	assert_memory_equal(con_out, con_big, 5000);
	assert_int_equal(con_c.w.head - con_c.r.tail, 0);
	assert_int_equal(relief_console_dropped(&con_c), 0);
}

static void test_wrap(void **state)
{
	(void)state;
	con_wrap(0);
	con_wrap(UINT32_MAX - 10);
	con_wrap(UINT32_MAX - CON_N);
	assert_true(con_c.w.head < (uint32_t)(2 * CON_N));	/* wrapped */
}

static void test_overflow_drops_and_counts(void **state)
{
	(void)state;
	relief_console_init(&con_c, UINT32_MAX - 50);
	con_pattern(con_big, CON_N + 100, 3);
	/* Only what fits goes in; the tail of the write is dropped. */
	assert_int_equal(relief_console_write(&con_c, con_big, CON_N + 100),
			 CON_N);
	assert_int_equal(relief_console_dropped(&con_c), 100);
	/* Full: everything dropped, the writer still does not block. */
	assert_int_equal(relief_console_write(&con_c, "0123456789", 10), 0);
	assert_int_equal(relief_console_dropped(&con_c), 110);
	/* Reader frees 5 bytes: exactly 5 more fit. */
	assert_int_equal(relief_console_read(&con_c, con_out, 5), 5);
	assert_int_equal(relief_console_write(&con_c, "abcdefghij", 10), 5);
	assert_int_equal(relief_console_dropped(&con_c), 115);
	/* The reader sees the kept bytes, in order, no dropped ones. */
	assert_int_equal(relief_console_read(&con_c, con_out + 5, 2 * CON_N),
			 CON_N);
	assert_memory_equal(con_out, con_big, CON_N);
	assert_memory_equal(con_out + CON_N, "abcde", 5);
	assert_int_equal(relief_console_read(&con_c, con_out, 10), 0);
	/* Re-init resets the count. */
	relief_console_init(&con_c, 0);
	assert_int_equal(relief_console_dropped(&con_c), 0);
}

/* A writer that corrupts its head must not make the reader print junk. */
static void test_corrupt_head(void **state)
{
	uint8_t buf[64];

	(void)state;
	relief_console_init(&con_c, 1000);
	assert_int_equal(relief_console_write(&con_c, "ok", 2), 2);
	con_c.w.head = 1000 + CON_N + 1;
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 0);
	/* Reader resynchronised to head: nothing stale follows. */
	assert_int_equal(con_c.r.tail, 1000 + CON_N + 1);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 0);
	assert_int_equal(relief_console_write(&con_c, "new", 3), 3);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "new", 3);
	/* A reader tail ahead of head: the writer drops instead of writing. */
	con_c.r.tail = con_c.w.head + 1;
	assert_int_equal(relief_console_write(&con_c, "lost", 4), 0);
	assert_int_equal(relief_console_dropped(&con_c), 4);
}

/* One writer thread, one reader thread; the writer retries what it could
 * not place, so the reader must see the exact stream. */
#define CON_STREAM (1u << 20)

static void *con_writer(void *arg)
{
	uint8_t chunk[97];
	size_t sent = 0;

	(void)arg;
	while (sent < CON_STREAM) {
		size_t n = CON_STREAM - sent < sizeof(chunk) ?
			   CON_STREAM - sent : sizeof(chunk), put;

		con_pattern(chunk, n, (unsigned int)(sent % 251));
		put = relief_console_write(&con_c, chunk, n);
		if (!put)
			sched_yield();
		sent += put;
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	static uint8_t buf[4096];
	size_t got = 0, n, i;
	pthread_t t;

	(void)state;
	relief_console_init(&con_c, UINT32_MAX - 4096);
	assert_int_equal(pthread_create(&t, NULL, con_writer, NULL), 0);
	while (got < CON_STREAM) {
		n = relief_console_read(&con_c, buf, sizeof(buf));
		if (!n)
			sched_yield();
		for (i = 0; i < n; i++)
			if (buf[i] != (uint8_t)((got + i) % 251))
				fail_msg("byte %zu wrong", got + i);
		got += n;
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(got, CON_STREAM);
	assert_int_equal(relief_console_read(&con_c, buf, sizeof(buf)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_overflow_drops_and_counts),
		cmocka_unit_test(test_corrupt_head),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
