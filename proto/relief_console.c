// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_console.c - the console byte ring.
 *
 * Same ordering scheme as relief_ring.c with byte counts instead of slots:
 * the writer copies bytes, then store-releases head; the reader
 * load-acquires head, copies, then store-releases tail; the writer
 * load-acquires tail before reusing space.
 *
 * The reader cannot trust the writer (the new kernel may be the one going
 * wrong), so an impossible head - tail makes it skip to head rather than
 * print stale or garbage bytes. The writer treats an impossible distance as
 * a full ring and drops, so printk never stalls on a broken reader either.
 */
#include "relief_console.h"

#define RELIEF_CONSOLE_MASK	(RELIEF_CONSOLE_DATA_SIZE - 1)

/**
 * relief_console_init() - empty the console ring
 * @c: the console ring, in the mailbox
 * @start: initial byte counter; 0 in the mailbox, near UINT32_MAX in tests
 *
 * Only for the side that formats the mailbox, before the peer runs.
 */
void relief_console_init(struct relief_console *c, uint32_t start)
{
	uint32_t i;

	for (i = 0; i < sizeof(c->w.pad); i++)
		c->w.pad[i] = 0;
	for (i = 0; i < sizeof(c->r.pad); i++)
		c->r.pad[i] = 0;
	for (i = 0; i < sizeof(c->data); i++)
		c->data[i] = 0;
	c->w.pad0 = 0;
	c->r.tail = start;
	relief_store_release(&c->w.dropped, 0);
	relief_store_release(&c->w.head, start);
}

/**
 * relief_console_write() - writer: append bytes, never waiting
 * @c: the console ring
 * @buf: bytes to append
 * @len: number of bytes
 *
 * Appends as much of @buf as fits; the rest is dropped and counted.
 *
 * Return: number of bytes appended (the first ones of @buf).
 */
size_t relief_console_write(struct relief_console *c, const void *buf,
			    size_t len)
{
	const uint8_t *src = buf;
	uint32_t head = c->w.head;
	uint32_t tail = relief_load_acquire(&c->r.tail);
	uint32_t used = head - tail;
	size_t room = used > RELIEF_CONSOLE_DATA_SIZE ?
		      0 : RELIEF_CONSOLE_DATA_SIZE - used;
	size_t n = len < room ? len : room;
	size_t i;

	for (i = 0; i < n; i++)
		c->data[(head + i) & RELIEF_CONSOLE_MASK] = src[i];
	relief_store_release(&c->w.head, head + (uint32_t)n);
	if (n < len)
		relief_store_release(&c->w.dropped,
				     c->w.dropped + (uint64_t)(len - n));
	return n;
}

/**
 * relief_console_read() - reader: take whatever bytes are available
 * @c: the console ring
 * @buf: destination
 * @len: room in @buf
 *
 * Return: number of bytes copied to @buf, 0 if none are pending.
 */
size_t relief_console_read(struct relief_console *c, void *buf, size_t len)
{
	uint8_t *dst = buf;
	uint32_t tail = c->r.tail;
	uint32_t head = relief_load_acquire(&c->w.head);
	uint32_t avail = head - tail;
	size_t n, i;

	if (avail > RELIEF_CONSOLE_DATA_SIZE) {
		/* Writer broke the ring: resynchronise, print nothing stale. */
		relief_store_release(&c->r.tail, head);
		return 0;
	}
	n = len < avail ? len : avail;
	for (i = 0; i < n; i++)
		dst[i] = c->data[(tail + i) & RELIEF_CONSOLE_MASK];
	relief_store_release(&c->r.tail, tail + (uint32_t)n);
	return n;
}

/**
 * relief_console_dropped() - bytes the writer has dropped so far
 * @c: the console ring
 *
 * The reader compares this with the value it last reported and, if it
 * grew, prints a "N bytes dropped" note where the gap is.
 *
 * Return: total dropped bytes since relief_console_init().
 */
uint64_t relief_console_dropped(const struct relief_console *c)
{
	return relief_load_acquire(&c->w.dropped);
}
