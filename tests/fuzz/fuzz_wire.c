// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fuzz_wire.c - libFuzzer harness for the bytes two kernels exchange.
 *
 * 1. The input as a wire slot. A rejected slot must leave the output all
 *    zero. An accepted one must be canonical: re-encoding gives back the
 *    input's header + payload bytes exactly, and decoding that again gives
 *    the same message.
 * 2. The input as the start of a mailbox region (rest zero): attach as is,
 *    then again with the header CRC fixed up so the layout checks and the
 *    ring/console code behind them are reached with hostile indices.
 *
 * Any property violation calls abort(), which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relief_crc32c.h"
#include "relief_mailbox.h"
#include "relief_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(4096) uint8_t fz_mem[RELIEF_MAILBOX_SIZE];

static int fz_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static void fz_slot(const uint8_t *data, size_t size)
{
	struct relief_wire_slot s1, s2;
	struct relief_msg m1, m2;
	size_t n;

	if (relief_wire_decode(data, size, &m1) != RELIEF_WIRE_OK) {
		if (!fz_all_zero(&m1, sizeof(m1)))
			abort();
		return;
	}
	if (relief_wire_encode(&m1, &s1, sizeof(s1)) != RELIEF_WIRE_OK)
		abort();
	n = RELIEF_WIRE_HDR_SIZE + s1.hdr.payload_len;
	if (n > size || memcmp(&s1, data, n))
		abort();
	if (!fz_all_zero((uint8_t *)&s1 + n, sizeof(s1) - n))
		abort();
	if (relief_wire_decode(&s1, sizeof(s1), &m2) != RELIEF_WIRE_OK)
		abort();
	if (memcmp(&m1, &m2, sizeof(m1)))
		abort();
	if (relief_wire_encode(&m2, &s2, sizeof(s2)) != RELIEF_WIRE_OK ||
	    memcmp(&s1, &s2, sizeof(s1)))
		abort();
}

/* Use an attached mailbox the way both kernels would, on hostile contents. */
static void fz_use(struct relief_mailbox *mb)
{
	static const enum relief_role roles[] = { RELIEF_ROLE_OLD,
						  RELIEF_ROLE_NEW };
	struct relief_msg m;
	struct relief_rx rx;
	uint8_t buf[512];
	size_t r;
	int i, ret;

	for (r = 0; r < 2; r++) {
		relief_rx_init(&rx);
		for (i = 0; i < 4; i++) {
			ret = relief_mailbox_recv(mb, roles[r], &rx, &m);
			if (ret != 0 && !fz_all_zero(&m, sizeof(m)))
				abort();
			if (ret == 0 && (m.sender == roles[r] ||
					 m.seq != rx.next_seq - 1))
				abort();
		}
		relief_mailbox_heartbeat_read(mb, roles[r]);
		relief_mailbox_heartbeat_bump(mb, roles[r]);
		memset(&m, 0, sizeof(m));
		m.type = RELIEF_MSG_HEARTBEAT;
		ret = relief_mailbox_send(mb, roles[r], &m);
		if (ret > 0)
			abort();	/* a valid message is never refused */
	}
	if (relief_console_read(relief_mailbox_console(mb), buf,
				sizeof(buf)) > sizeof(buf))
		abort();
	relief_console_write(relief_mailbox_console(mb), "x", 1);
	relief_console_dropped(relief_mailbox_console(mb));
}

static void fz_mailbox(const uint8_t *data, size_t size)
{
	struct relief_mailbox_hdr *h = (struct relief_mailbox_hdr *)fz_mem;
	struct relief_mailbox mb;
	size_t n = size < sizeof(fz_mem) ? size : sizeof(fz_mem);

	memset(fz_mem, 0, sizeof(fz_mem));
	memcpy(fz_mem, data, n);
	if (relief_mailbox_attach(&mb, fz_mem, sizeof(fz_mem)) ==
	    RELIEF_MB_OK)
		fz_use(&mb);
	else if (mb.l)
		abort();

	memset(fz_mem, 0, sizeof(fz_mem));
	memcpy(fz_mem, data, n);
	h->crc = relief_crc32c(0, h, __builtin_offsetof(
				       struct relief_mailbox_hdr, crc));
	if (relief_mailbox_attach(&mb, fz_mem, sizeof(fz_mem)) ==
	    RELIEF_MB_OK)
		fz_use(&mb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_slot(data, size);
	fz_mailbox(data, size);
	return 0;
}
