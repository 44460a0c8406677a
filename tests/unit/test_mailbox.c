// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_mailbox.c - the shared mailbox: documented layout, init/attach and
 * every attach rejection, heartbeats, console, and send/recv in both
 * directions between two handles on one region (as two kernels would have).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "relief_mailbox.h"
#include "relief_crc32c.h"

static _Alignas(4096) uint8_t mb_mem[RELIEF_MAILBOX_SIZE + 4096];
static struct relief_mailbox mb_old, mb_new;

static int mb_setup(void **state)
{
	(void)state;
	memset(mb_mem, 0xa5, sizeof(mb_mem));
	if (relief_mailbox_init(mb_mem, RELIEF_MAILBOX_SIZE) != RELIEF_MB_OK)
		return -1;
	if (relief_mailbox_attach(&mb_old, mb_mem, RELIEF_MAILBOX_SIZE) !=
	    RELIEF_MB_OK)
		return -1;
	return relief_mailbox_attach(&mb_new, mb_mem, RELIEF_MAILBOX_SIZE) ==
	       RELIEF_MB_OK ? 0 : -1;
}

static struct relief_mailbox_hdr *mb_hdr(void)
{
	return (struct relief_mailbox_hdr *)mb_mem;
}

static void mb_reseal(void)
{
	struct relief_mailbox_hdr *h = mb_hdr();

	h->crc = relief_crc32c(0, h, offsetof(struct relief_mailbox_hdr, crc));
}

static uint32_t mb_le32(size_t off)
{
	return mb_mem[off] | mb_mem[off + 1] << 8 | mb_mem[off + 2] << 16 |
	       (uint32_t)mb_mem[off + 3] << 24;
}

static enum relief_mb_err mb_attach_raw(void)
{
	struct relief_mailbox mb;
	enum relief_mb_err err;

	memset(&mb, 0x5a, sizeof(mb));
	err = relief_mailbox_attach(&mb, mb_mem, RELIEF_MAILBOX_SIZE);
	if (err != RELIEF_MB_OK)
		assert_null(mb.l);
	else
		assert_ptr_equal(mb.l, mb_mem);
	return err;
}

static struct relief_msg mb_msg(uint32_t type)
{
	struct relief_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE:
		strcpy(m.u.quals.release, "6.12-b");
		m.u.quals.proto_min = 1;
		m.u.quals.proto_max = 1;
		m.u.quals.nr_cpus_seen = 4;
		m.u.quals.nr_cpus_up = 1;
		break;
	case RELIEF_MSG_READY_TO_BE_RELIEVED:
		m.u.agreed.proto_version = 1;
		break;
	case RELIEF_MSG_HEARTBEAT:
		m.u.heartbeat.count = 7;
		break;
	default:
		break;
	}
	return m;
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct relief_mailbox_layout), 0x10000);
	assert_int_equal(offsetof(struct relief_mailbox_layout, hdr), 0x0000);
	assert_int_equal(offsetof(struct relief_mailbox_layout, hb_old),
			 0x0100);
	assert_int_equal(offsetof(struct relief_mailbox_layout, hb_new),
			 0x0140);
	assert_int_equal(offsetof(struct relief_mailbox_layout, ring_o2n),
			 0x0180);
	assert_int_equal(offsetof(struct relief_mailbox_layout, ring_n2o),
			 0x2200);
	assert_int_equal(offsetof(struct relief_mailbox_layout, console),
			 0x4280);
	assert_int_equal(offsetof(struct relief_mailbox_layout, reserved),
			 0xc300);
	assert_int_equal(sizeof(struct relief_mailbox_hdr), 256);
	assert_int_equal(offsetof(struct relief_mailbox_hdr, crc), 60);
}

/* The formatted header, byte by byte, as another implementation sees it. */
static void test_init_header(void **state)
{
	size_t i;

	(void)state;
	assert_memory_equal(mb_mem, "RLFB", 4);
	assert_int_equal(mb_mem[4], RELIEF_MAILBOX_LAYOUT_VERSION);
	assert_int_equal(mb_mem[6], RELIEF_WIRE_VERSION);
	assert_int_equal(mb_le32(8), 0x10000);		/* total_size */
	assert_int_equal(mb_le32(12), 0x100);		/* hdr_size */
	assert_int_equal(mb_le32(16), 0x100);		/* hb_off */
	assert_int_equal(mb_le32(20), 0x80);		/* hb_size */
	assert_int_equal(mb_le32(24), 0x180);		/* ring_o2n_off */
	assert_int_equal(mb_le32(28), 0x2200);		/* ring_n2o_off */
	assert_int_equal(mb_le32(32), 0x2080);		/* ring_size */
	assert_int_equal(mb_le32(36), 32);		/* ring_slots */
	assert_int_equal(mb_le32(40), 256);		/* slot_size */
	assert_int_equal(mb_le32(44), 0x4280);		/* console_off */
	assert_int_equal(mb_le32(48), 0x8080);		/* console_size */
	assert_int_equal(mb_le32(52), 0x8000);		/* console_data_size */
	assert_int_equal(mb_le32(56), 0);
	assert_int_equal(mb_le32(60), relief_crc32c(0, mb_mem, 60));
	/* Everything else was zeroed, including the bytes past the header. */
	for (i = 64; i < RELIEF_MAILBOX_SIZE; i++)
		if (mb_mem[i])
			fail_msg("byte 0x%zx not zero after init", i);
	/* Only RELIEF_MAILBOX_SIZE bytes are touched. */
	assert_int_equal(mb_mem[RELIEF_MAILBOX_SIZE], 0xa5);
}

static void test_init_rejects(void **state)
{
	(void)state;
	assert_int_equal(relief_mailbox_init(NULL, RELIEF_MAILBOX_SIZE),
			 RELIEF_MB_TOO_SMALL);
	assert_int_equal(relief_mailbox_init(mb_mem, RELIEF_MAILBOX_SIZE - 1),
			 RELIEF_MB_TOO_SMALL);
	assert_int_equal(relief_mailbox_init(mb_mem + 8, RELIEF_MAILBOX_SIZE),
			 RELIEF_MB_MISALIGNED);
	/* Nothing was written by the refused calls. */
	assert_int_equal(mb_attach_raw(), RELIEF_MB_OK);
	/* A larger region is fine; the mailbox uses its first 64 KiB. */
	assert_int_equal(relief_mailbox_init(mb_mem, sizeof(mb_mem)),
			 RELIEF_MB_OK);
	assert_int_equal(relief_mailbox_attach(&mb_old, mb_mem, sizeof(mb_mem)),
			 RELIEF_MB_OK);
}

static void test_attach_rejects(void **state)
{
	struct relief_mailbox_hdr *h = mb_hdr();
	struct relief_mailbox mb;
	size_t off;

	(void)state;
	assert_int_equal(relief_mailbox_attach(&mb, NULL, RELIEF_MAILBOX_SIZE),
			 RELIEF_MB_TOO_SMALL);
	assert_null(mb.l);
	assert_int_equal(relief_mailbox_attach(&mb, mb_mem,
					       RELIEF_MAILBOX_SIZE - 1),
			 RELIEF_MB_TOO_SMALL);
	assert_int_equal(relief_mailbox_attach(&mb, mb_mem + 4,
					       RELIEF_MAILBOX_SIZE),
			 RELIEF_MB_MISALIGNED);

	h->magic ^= 0x100;
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_MAGIC);
	h->magic ^= 0x100;
	assert_int_equal(mb_attach_raw(), RELIEF_MB_OK);

	h->layout_version++;
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_VERSION);
	mb_reseal();
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_VERSION);
	h->layout_version--;
	h->wire_version = 7;
	mb_reseal();
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_VERSION);
	h->wire_version = RELIEF_WIRE_VERSION;
	mb_reseal();

	/* Any flipped bit in the static part (past the checks above). */
	for (off = 8; off < 64; off++) {
		mb_mem[off] ^= 0x10;
		assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_CRC);
		mb_mem[off] ^= 0x10;
	}
	assert_int_equal(mb_attach_raw(), RELIEF_MB_OK);

	h->total_size = 0x20000;
	mb_reseal();
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_SIZE);
	h->total_size = RELIEF_MAILBOX_SIZE;

	/* Every layout word that differs, even with a correct CRC. */
	for (off = 12; off < 60; off += 4) {
		mb_mem[off] ^= 0x40;
		mb_reseal();
		assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_LAYOUT);
		mb_mem[off] ^= 0x40;
	}
	mb_reseal();
	assert_int_equal(mb_attach_raw(), RELIEF_MB_OK);
	/* The reserved tail of the header is not part of the contract. */
	h->reserved[0] = 1;
	assert_int_equal(mb_attach_raw(), RELIEF_MB_OK);

	/* Never formatted. */
	memset(mb_mem, 0, RELIEF_MAILBOX_SIZE);
	assert_int_equal(mb_attach_raw(), RELIEF_MB_BAD_MAGIC);
}

static void test_err_names(void **state)
{
	static const char *const want[] = {
		"OK", "TOO_SMALL", "MISALIGNED", "BAD_MAGIC", "BAD_VERSION",
		"BAD_CRC", "BAD_SIZE", "BAD_LAYOUT",
	};
	uint32_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), RELIEF_MB_ERR_COUNT);
	for (i = 0; i < RELIEF_MB_ERR_COUNT; i++)
		assert_string_equal(relief_mb_err_name(i), want[i]);
	assert_string_equal(relief_mb_err_name(RELIEF_MB_ERR_COUNT), "UNKNOWN");
}

static void test_rings_and_console(void **state)
{
	char buf[8];

	(void)state;
	assert_ptr_equal(relief_mailbox_tx_ring(&mb_old, RELIEF_ROLE_OLD),
			 mb_mem + 0x180);
	assert_ptr_equal(relief_mailbox_rx_ring(&mb_new, RELIEF_ROLE_NEW),
			 mb_mem + 0x180);
	assert_ptr_equal(relief_mailbox_tx_ring(&mb_new, RELIEF_ROLE_NEW),
			 mb_mem + 0x2200);
	assert_ptr_equal(relief_mailbox_rx_ring(&mb_old, RELIEF_ROLE_OLD),
			 mb_mem + 0x2200);
	assert_null(relief_mailbox_tx_ring(&mb_old, 0));
	assert_null(relief_mailbox_rx_ring(&mb_old, 3));
	assert_ptr_equal(relief_mailbox_console(&mb_new), mb_mem + 0x4280);

	/* New kernel prints, old kernel reads it back. */
	assert_int_equal(relief_console_write(relief_mailbox_console(&mb_new),
					      "[ 0.0]", 6), 6);
	assert_memory_equal(mb_mem + 0x4280 + 128, "[ 0.0]", 6);
	assert_int_equal(relief_console_read(relief_mailbox_console(&mb_old),
					     buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "[ 0.0]", 6);
}

static void test_heartbeat(void **state)
{
	uint64_t raw;

	(void)state;
	assert_true(relief_mailbox_heartbeat_read(&mb_new, RELIEF_ROLE_OLD) ==
		    0);
	assert_true(relief_mailbox_heartbeat_bump(&mb_old, RELIEF_ROLE_OLD) ==
		    1);
	assert_true(relief_mailbox_heartbeat_bump(&mb_old, RELIEF_ROLE_OLD) ==
		    2);
	assert_true(relief_mailbox_heartbeat_bump(&mb_new, RELIEF_ROLE_NEW) ==
		    1);
	/* Each side sees the other's counter. */
	assert_true(relief_mailbox_heartbeat_read(&mb_new, RELIEF_ROLE_OLD) ==
		    2);
	assert_true(relief_mailbox_heartbeat_read(&mb_old, RELIEF_ROLE_NEW) ==
		    1);
	/* At the documented offsets, own cache line each. */
	memcpy(&raw, mb_mem + 0x100, 8);
	assert_true(raw == 2);
	memcpy(&raw, mb_mem + 0x140, 8);
	assert_true(raw == 1);
	/* Bad roles touch nothing. */
	assert_true(relief_mailbox_heartbeat_bump(&mb_old, 0) == 0);
	assert_true(relief_mailbox_heartbeat_read(&mb_old, 3) == 0);
	assert_true(relief_mailbox_heartbeat_read(&mb_old, RELIEF_ROLE_OLD) ==
		    2);
}

static void mb_send_ok(struct relief_mailbox *mb, enum relief_role role,
		       uint32_t type)
{
	struct relief_msg m = mb_msg(type);

	/* Caller's sender and seq are overwritten by send. */
	m.sender = 0xdead;
	m.seq = 0xbeef;
	assert_int_equal(relief_mailbox_send(mb, role, &m), 0);
}

static void mb_recv_ok(struct relief_mailbox *mb, enum relief_role role,
		       struct relief_rx *rx, uint32_t type, uint64_t seq)
{
	struct relief_msg out, want = mb_msg(type);

	assert_int_equal(relief_mailbox_recv(mb, role, rx, &out), 0);
	want.sender = role == RELIEF_ROLE_OLD ? RELIEF_ROLE_NEW :
						RELIEF_ROLE_OLD;
	want.seq = seq;
	assert_memory_equal(&out, &want, sizeof(out));
}

/* The four steps and heartbeats, both directions. */
static void test_send_recv_both_ways(void **state)
{
	struct relief_rx rx_old, rx_new;
	struct relief_msg out;

	(void)state;
	relief_rx_init(&rx_old);
	relief_rx_init(&rx_new);
	assert_int_equal(relief_mailbox_recv(&mb_old, RELIEF_ROLE_OLD, &rx_old,
					     &out), -RELIEF_RING_EMPTY);
	assert_int_equal(out.type, 0);

	mb_send_ok(&mb_new, RELIEF_ROLE_NEW, RELIEF_MSG_READY_TO_RELIEVE);
	/* It is in the new->old ring, slot 0, as a wire slot. */
	assert_memory_equal(mb_mem + 0x2200 + 128, "RMSG", 4);
	mb_recv_ok(&mb_old, RELIEF_ROLE_OLD, &rx_old,
		   RELIEF_MSG_READY_TO_RELIEVE, 1);
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_READY_TO_BE_RELIEVED);
	assert_memory_equal(mb_mem + 0x180 + 128, "RMSG", 4);
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT);
	mb_recv_ok(&mb_new, RELIEF_ROLE_NEW, &rx_new,
		   RELIEF_MSG_READY_TO_BE_RELIEVED, 1);
	mb_recv_ok(&mb_new, RELIEF_ROLE_NEW, &rx_new, RELIEF_MSG_HEARTBEAT, 2);
	mb_send_ok(&mb_new, RELIEF_ROLE_NEW, RELIEF_MSG_HEARTBEAT);
	mb_send_ok(&mb_new, RELIEF_ROLE_NEW, RELIEF_MSG_I_RELIEVE_YOU);
	mb_recv_ok(&mb_old, RELIEF_ROLE_OLD, &rx_old, RELIEF_MSG_HEARTBEAT, 2);
	mb_recv_ok(&mb_old, RELIEF_ROLE_OLD, &rx_old,
		   RELIEF_MSG_I_RELIEVE_YOU, 3);
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_I_STAND_RELIEVED);
	mb_recv_ok(&mb_new, RELIEF_ROLE_NEW, &rx_new,
		   RELIEF_MSG_I_STAND_RELIEVED, 3);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx_new,
					     &out), -RELIEF_RING_EMPTY);
}

static void test_send_refuses(void **state)
{
	struct relief_msg m = mb_msg(RELIEF_MSG_READY_TO_RELIEVE);
	struct relief_rx rx;

	(void)state;
	relief_rx_init(&rx);
	/* Old may not send READY_TO_RELIEVE. */
	assert_int_equal(relief_mailbox_send(&mb_old, RELIEF_ROLE_OLD, &m),
			 RELIEF_WIRE_BAD_SENDER);
	assert_int_equal(relief_mailbox_send(&mb_old, 0, &m),
			 RELIEF_WIRE_BAD_SENDER);
	/* An invalid payload is refused and burns no sequence number. */
	m.u.quals.proto_min = 0;
	assert_int_equal(relief_mailbox_send(&mb_new, RELIEF_ROLE_NEW, &m),
			 RELIEF_WIRE_BAD_FIELD);
	assert_int_equal(relief_ring_used(&mb_new.l->ring_n2o), 0);
	mb_send_ok(&mb_new, RELIEF_ROLE_NEW, RELIEF_MSG_READY_TO_RELIEVE);
	mb_recv_ok(&mb_old, RELIEF_ROLE_OLD, &rx, RELIEF_MSG_READY_TO_RELIEVE,
		   1);
}

/* A full ring refuses, keeps the sequence number, and drains in order. */
static void test_send_full(void **state)
{
	struct relief_msg m = mb_msg(RELIEF_MSG_HEARTBEAT), out;
	struct relief_rx rx;
	uint64_t n;

	(void)state;
	relief_rx_init(&rx);
	for (n = 0; n < RELIEF_RING_SLOTS; n++)
		mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT);
	assert_int_equal(relief_mailbox_send(&mb_old, RELIEF_ROLE_OLD, &m),
			 -RELIEF_RING_FULL);
	mb_recv_ok(&mb_new, RELIEF_ROLE_NEW, &rx, RELIEF_MSG_HEARTBEAT, 1);
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT);
	for (n = 2; n <= RELIEF_RING_SLOTS + 1; n++)
		mb_recv_ok(&mb_new, RELIEF_ROLE_NEW, &rx, RELIEF_MSG_HEARTBEAT,
			   n);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), -RELIEF_RING_EMPTY);
}

static void test_recv_rejects(void **state)
{
	struct relief_ring *o2n = relief_mailbox_tx_ring(&mb_old,
							  RELIEF_ROLE_OLD);
	struct relief_msg m = mb_msg(RELIEF_MSG_HEARTBEAT), out;
	struct relief_wire_slot s;
	struct relief_rx rx;

	(void)state;
	relief_rx_init(&rx);
	assert_int_equal(relief_mailbox_recv(&mb_new, 0, &rx, &out),
			 RELIEF_WIRE_BAD_SENDER);

	/* Damaged in the ring: BAD_CRC, out zero, rx unchanged. */
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT);
	o2n->slot[0].payload.bytes[3] ^= 4;
	memset(&out, 0xcc, sizeof(out));
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), RELIEF_WIRE_BAD_CRC);
	assert_int_equal(out.type, 0);
	assert_true(out.seq == 0);
	assert_true(rx.next_seq == 1);
	/* The loss shows: the next good message is out of order. */
	mb_send_ok(&mb_old, RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), RELIEF_WIRE_OUT_OF_ORDER);
	assert_int_equal(out.type, 0);

	/* A slot claiming to come from the receiver itself. */
	relief_rx_init(&rx);
	m.sender = RELIEF_ROLE_NEW;
	m.seq = 1;
	assert_int_equal(relief_wire_encode(&m, &s, sizeof(s)), RELIEF_WIRE_OK);
	assert_int_equal(relief_ring_push(o2n, &s), 0);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), RELIEF_WIRE_BAD_SENDER);

	/* A replayed slot. */
	m.sender = RELIEF_ROLE_OLD;
	assert_int_equal(relief_wire_encode(&m, &s, sizeof(s)), RELIEF_WIRE_OK);
	assert_int_equal(relief_ring_push(o2n, &s), 0);
	assert_int_equal(relief_ring_push(o2n, &s), 0);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), 0);
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), RELIEF_WIRE_OUT_OF_ORDER);

	/* Ring indices broken by the peer. */
	o2n->prod.idx += 1000;
	assert_int_equal(relief_mailbox_recv(&mb_new, RELIEF_ROLE_NEW, &rx,
					     &out), -RELIEF_RING_CORRUPT);
	assert_int_equal(relief_mailbox_send(&mb_old, RELIEF_ROLE_OLD, &m),
			 -RELIEF_RING_CORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test_setup(test_init_header, mb_setup),
		cmocka_unit_test_setup(test_init_rejects, mb_setup),
		cmocka_unit_test_setup(test_attach_rejects, mb_setup),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test_setup(test_rings_and_console, mb_setup),
		cmocka_unit_test_setup(test_heartbeat, mb_setup),
		cmocka_unit_test_setup(test_send_recv_both_ways, mb_setup),
		cmocka_unit_test_setup(test_send_refuses, mb_setup),
		cmocka_unit_test_setup(test_send_full, mb_setup),
		cmocka_unit_test_setup(test_recv_rejects, mb_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
