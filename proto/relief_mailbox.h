/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_mailbox.h - the whole shared region between the two kernels.
 *
 * One physically contiguous, cache-line aligned region of RELIEF_MAILBOX_SIZE
 * bytes, mapped write-back cacheable by both kernels. The old kernel formats
 * it (relief_mailbox_init) before the new kernel starts; each side then
 * attaches (relief_mailbox_attach), which validates the header and gives a
 * private handle. Layout (offsets fixed, asserted below, and recorded in the
 * header so a peer built from other sources can check them):
 *
 *   0x0000  header          256  magic, versions, sizes, offsets, CRC32C
 *   0x0100  heartbeats      128  u64 per side, own cache line each
 *   0x0180  ring old->new  8320  RELIEF_RING_SLOTS x 256-byte slots
 *   0x2200  ring new->old  8320
 *   0x4280  console       32896  32 KiB byte ring, new -> old
 *   0xc300  reserved      15616  zero, for later layouts
 *
 * Documentation/relief/mailbox.rst has the details.
 */
#ifndef RELIEF_MAILBOX_H
#define RELIEF_MAILBOX_H

#include "relief_compat.h"
#include "relief_msg.h"
#include "relief_wire.h"
#include "relief_ring.h"
#include "relief_console.h"

#define RELIEF_MAILBOX_SIZE	(64 * 1024)
#define RELIEF_MAILBOX_MAGIC	0x42464c52u	/* "RLFB" in memory order */
#define RELIEF_MAILBOX_LAYOUT_VERSION	1
#define RELIEF_MAILBOX_ALIGN	RELIEF_CACHELINE

#define RELIEF_MAILBOX_HDR_OFF		0x0000
#define RELIEF_MAILBOX_HDR_SIZE		0x0100
#define RELIEF_MAILBOX_HB_OFF		0x0100
#define RELIEF_MAILBOX_HB_SIZE		(2 * RELIEF_CACHELINE)
#define RELIEF_MAILBOX_RING_O2N_OFF	0x0180
#define RELIEF_MAILBOX_RING_N2O_OFF	0x2200
#define RELIEF_MAILBOX_CONSOLE_OFF	0x4280
#define RELIEF_MAILBOX_RESERVED_OFF	0xc300

enum relief_mb_err {
	RELIEF_MB_OK = 0,
	RELIEF_MB_TOO_SMALL,		/* NULL or < RELIEF_MAILBOX_SIZE */
	RELIEF_MB_MISALIGNED,		/* not RELIEF_MAILBOX_ALIGN aligned */
	RELIEF_MB_BAD_MAGIC,		/* never formatted, or not a mailbox */
	RELIEF_MB_BAD_VERSION,		/* layout version we do not know */
	RELIEF_MB_BAD_CRC,		/* header damaged */
	RELIEF_MB_BAD_SIZE,		/* formatted for another total size */
	RELIEF_MB_BAD_LAYOUT,		/* offsets or sizes differ from ours */
	RELIEF_MB_ERR_COUNT
};

/*
 * The static header: written once by init, never changed, covered by crc.
 * Every size and offset is recorded so that attach can insist they match
 * what this copy of proto/ was compiled with.
 */
struct relief_mailbox_hdr {
	uint32_t magic;			/* RELIEF_MAILBOX_MAGIC */
	uint16_t layout_version;	/* RELIEF_MAILBOX_LAYOUT_VERSION */
	uint16_t wire_version;		/* RELIEF_WIRE_VERSION */
	uint32_t total_size;		/* RELIEF_MAILBOX_SIZE */
	uint32_t hdr_size;		/* RELIEF_MAILBOX_HDR_SIZE */
	uint32_t hb_off;
	uint32_t hb_size;
	uint32_t ring_o2n_off;
	uint32_t ring_n2o_off;
	uint32_t ring_size;		/* RELIEF_RING_SIZE */
	uint32_t ring_slots;		/* RELIEF_RING_SLOTS */
	uint32_t slot_size;		/* RELIEF_WIRE_SLOT_SIZE */
	uint32_t console_off;
	uint32_t console_size;		/* RELIEF_CONSOLE_SIZE */
	uint32_t console_data_size;	/* RELIEF_CONSOLE_DATA_SIZE */
	uint32_t reserved0;		/* zero */
	uint32_t crc;			/* CRC32C of bytes [0, crc) */
	uint8_t reserved[RELIEF_MAILBOX_HDR_SIZE - 64];	/* zero */
};

RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, magic, 0);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, layout_version, 4);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, wire_version, 6);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, total_size, 8);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, hdr_size, 12);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, hb_off, 16);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, hb_size, 20);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, ring_o2n_off, 24);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, ring_n2o_off, 28);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, ring_size, 32);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, ring_slots, 36);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, slot_size, 40);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, console_off, 44);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, console_size, 48);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, console_data_size, 52);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, reserved0, 56);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, crc, 60);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_hdr, reserved, 64);
RELIEF_WIRE_ASSERT_SIZE(relief_mailbox_hdr, RELIEF_MAILBOX_HDR_SIZE);

/* One side's liveness counter, written only by that side. */
struct relief_mailbox_heartbeat {
	RELIEF_ALIGNED(RELIEF_CACHELINE) uint64_t count;
	uint8_t pad[RELIEF_CACHELINE - 8];
};

RELIEF_WIRE_ASSERT_OFF(relief_mailbox_heartbeat, count, 0);
RELIEF_WIRE_ASSERT_SIZE(relief_mailbox_heartbeat, RELIEF_CACHELINE);

/* The region itself. */
struct relief_mailbox_layout {
	struct relief_mailbox_hdr hdr;
	struct relief_mailbox_heartbeat hb_old;
	struct relief_mailbox_heartbeat hb_new;
	struct relief_ring ring_o2n;		/* old -> new */
	struct relief_ring ring_n2o;		/* new -> old */
	struct relief_console console;		/* new -> old, bytes */
	uint8_t reserved[RELIEF_MAILBOX_SIZE - RELIEF_MAILBOX_RESERVED_OFF];
};

RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, hdr, RELIEF_MAILBOX_HDR_OFF);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, hb_old, RELIEF_MAILBOX_HB_OFF);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, hb_new,
		       RELIEF_MAILBOX_HB_OFF + RELIEF_CACHELINE);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, ring_o2n,
		       RELIEF_MAILBOX_RING_O2N_OFF);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, ring_n2o,
		       RELIEF_MAILBOX_RING_N2O_OFF);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, console,
		       RELIEF_MAILBOX_CONSOLE_OFF);
RELIEF_WIRE_ASSERT_OFF(relief_mailbox_layout, reserved,
		       RELIEF_MAILBOX_RESERVED_OFF);
RELIEF_WIRE_ASSERT_SIZE(relief_mailbox_layout, RELIEF_MAILBOX_SIZE);
RELIEF_STATIC_ASSERT(RELIEF_MAILBOX_RING_O2N_OFF ==
		     RELIEF_MAILBOX_HB_OFF + RELIEF_MAILBOX_HB_SIZE &&
		     RELIEF_MAILBOX_RING_N2O_OFF ==
		     RELIEF_MAILBOX_RING_O2N_OFF + RELIEF_RING_SIZE &&
		     RELIEF_MAILBOX_CONSOLE_OFF ==
		     RELIEF_MAILBOX_RING_N2O_OFF + RELIEF_RING_SIZE &&
		     RELIEF_MAILBOX_RESERVED_OFF ==
		     RELIEF_MAILBOX_CONSOLE_OFF + RELIEF_CONSOLE_SIZE,
		     "mailbox parts are contiguous");

/*
 * A kernel's private handle on the shared region. The send sequence
 * counters live here, not in shared memory, so the peer cannot move them.
 */
struct relief_mailbox {
	struct relief_mailbox_layout *l;
	struct relief_tx tx_old;	/* sending as RELIEF_ROLE_OLD */
	struct relief_tx tx_new;	/* sending as RELIEF_ROLE_NEW */
};

enum relief_mb_err relief_mailbox_init(void *mem, size_t size);
enum relief_mb_err relief_mailbox_attach(struct relief_mailbox *mb,
					 void *mem, size_t size);
const char *relief_mb_err_name(uint32_t err);
struct relief_ring *relief_mailbox_tx_ring(struct relief_mailbox *mb,
					   enum relief_role role);
struct relief_ring *relief_mailbox_rx_ring(struct relief_mailbox *mb,
					   enum relief_role role);
struct relief_console *relief_mailbox_console(struct relief_mailbox *mb);
uint64_t relief_mailbox_heartbeat_bump(struct relief_mailbox *mb,
				       enum relief_role role);
uint64_t relief_mailbox_heartbeat_read(const struct relief_mailbox *mb,
				       enum relief_role role);
int relief_mailbox_send(struct relief_mailbox *mb, enum relief_role role,
			const struct relief_msg *msg);
int relief_mailbox_recv(struct relief_mailbox *mb, enum relief_role role,
			struct relief_rx *rx, struct relief_msg *out);

#endif /* RELIEF_MAILBOX_H */
