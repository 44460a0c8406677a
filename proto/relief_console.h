/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_console.h - byte ring carrying the relieving (new) kernel's printk
 * output to the old kernel, which prints it on the real console while the
 * new kernel has none of its own yet.
 *
 * One writer (new), one reader (old). The writer must never wait: printk can
 * be called from anywhere, and the reader may be slow or gone. So when the
 * ring is full the writer drops the bytes that do not fit and adds their
 * number to `dropped`; the reader reports growth of `dropped` in its output
 * so a gap is visible, never silent.
 */
#ifndef RELIEF_CONSOLE_H
#define RELIEF_CONSOLE_H

#include "relief_compat.h"
#include "relief_wire.h"

#define RELIEF_CONSOLE_DATA_SIZE	(32 * 1024)	/* power of two */
#define RELIEF_CONSOLE_SIZE	(2 * RELIEF_CACHELINE + \
				 RELIEF_CONSOLE_DATA_SIZE)

RELIEF_STATIC_ASSERT((RELIEF_CONSOLE_DATA_SIZE &
		      (RELIEF_CONSOLE_DATA_SIZE - 1)) == 0,
		     "console size must be a power of two");

/* Writer's line: written only by the new kernel. */
struct relief_console_wline {
	RELIEF_ALIGNED(RELIEF_CACHELINE) uint32_t head;	/* bytes ever written */
	uint32_t pad0;
	uint64_t dropped;				/* bytes ever dropped */
	uint8_t pad[RELIEF_CACHELINE - 16];
};

RELIEF_WIRE_ASSERT_OFF(relief_console_wline, head, 0);
RELIEF_WIRE_ASSERT_OFF(relief_console_wline, pad0, 4);
RELIEF_WIRE_ASSERT_OFF(relief_console_wline, dropped, 8);
RELIEF_WIRE_ASSERT_OFF(relief_console_wline, pad, 16);
RELIEF_WIRE_ASSERT_SIZE(relief_console_wline, RELIEF_CACHELINE);

/* Reader's line: written only by the old kernel. */
struct relief_console_rline {
	RELIEF_ALIGNED(RELIEF_CACHELINE) uint32_t tail;	/* bytes ever read */
	uint8_t pad[RELIEF_CACHELINE - 4];
};

RELIEF_WIRE_ASSERT_OFF(relief_console_rline, tail, 0);
RELIEF_WIRE_ASSERT_SIZE(relief_console_rline, RELIEF_CACHELINE);

struct relief_console {
	struct relief_console_wline w;
	struct relief_console_rline r;
	uint8_t data[RELIEF_CONSOLE_DATA_SIZE];
};

RELIEF_WIRE_ASSERT_OFF(relief_console, w, 0);
RELIEF_WIRE_ASSERT_OFF(relief_console, r, RELIEF_CACHELINE);
RELIEF_WIRE_ASSERT_OFF(relief_console, data, 2 * RELIEF_CACHELINE);
RELIEF_WIRE_ASSERT_SIZE(relief_console, RELIEF_CONSOLE_SIZE);

void relief_console_init(struct relief_console *c, uint32_t start);
size_t relief_console_write(struct relief_console *c, const void *buf,
			    size_t len);
size_t relief_console_read(struct relief_console *c, void *buf, size_t len);
uint64_t relief_console_dropped(const struct relief_console *c);

#endif /* RELIEF_CONSOLE_H */
