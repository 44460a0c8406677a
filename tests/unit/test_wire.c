// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_wire.c - relief_wire encode/decode: round trip of every message type,
 * exact byte layout, and every rejection reason of the decoder (and the
 * encoder refusing the same things).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "relief_wire.h"
#include "relief_crc32c.h"

/* The role that legitimately sends @type (OLD for either-way types). */
static uint32_t wire_sender_of(uint32_t type)
{
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE:
	case RELIEF_MSG_I_RELIEVE_YOU:
	case RELIEF_MSG_TRANSFER_ACK:
		return RELIEF_ROLE_NEW;
	default:
		return RELIEF_ROLE_OLD;
	}
}

static bool wire_either_way(uint32_t type)
{
	return type == RELIEF_MSG_ABORT || type == RELIEF_MSG_ROLLBACK ||
	       type == RELIEF_MSG_HEARTBEAT;
}

/* A valid message of @type with every payload field nonzero. */
static struct relief_msg wire_sample(uint32_t type)
{
	struct relief_msg m;
	uint32_t i;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.sender = wire_sender_of(type);
	m.seq = 0x0102030405060700ull + type;
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE:
		strcpy(m.u.quals.release, "6.12.0-relief-b");
		m.u.quals.proto_min = 1;
		m.u.quals.proto_max = 3;
		m.u.quals.features = 0x8000000000000003ull;
		m.u.quals.hwdesc_crc = 0xcafef00d;
		m.u.quals.nr_cpus_seen = 8;
		m.u.quals.nr_cpus_up = 2;
		m.u.quals.mem_bytes = 0x123456789ull;
		break;
	case RELIEF_MSG_READY_TO_BE_RELIEVED:
		m.u.agreed.proto_version = 1;
		m.u.agreed.features = RELIEF_FEAT_HEARTBEAT;
		break;
	case RELIEF_MSG_ABORT:
	case RELIEF_MSG_ROLLBACK:
		m.u.reason.reason = RELIEF_REASON_TIMEOUT;
		strcpy(m.u.reason.text, "I_RELIEVE_YOU not seen in 5 s");
		break;
	case RELIEF_MSG_HEARTBEAT:
		m.u.heartbeat.count = 42;
		m.u.heartbeat.now_ns = 0xfedcba9876543210ull;
		break;
	case RELIEF_MSG_PROC_IMAGE:
		m.u.proc_image.phys = 0x100000000ull;
		m.u.proc_image.len = 0x2000000;
		m.u.proc_image.nr_procs = 3;
		m.u.proc_image.crc = 0x11223344;
		break;
	case RELIEF_MSG_DEVICE_HANDOVER:
		m.u.device.hw_index = 5;
		m.u.device.flags = 0x80000001u;
		break;
	case RELIEF_MSG_CPU_RELEASE:
		m.u.cpus.nr = RELIEF_CPU_RELEASE_MAX;
		for (i = 0; i < RELIEF_CPU_RELEASE_MAX; i++)
			m.u.cpus.hw_ids[i] = 0x100 + i;
		break;
	case RELIEF_MSG_MEM_RELEASE:
		m.u.mem.base = 0x80000000ull;
		m.u.mem.size = 0x40000000ull;
		break;
	case RELIEF_MSG_TRANSFER_DONE:
		m.u.done.nr_procs = 3;
		m.u.done.nr_devices = 2;
		break;
	default:
		break;
	}
	return m;
}

static uint32_t wire_expected_len(uint32_t type)
{
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE: return 104;
	case RELIEF_MSG_READY_TO_BE_RELIEVED: return 16;
	case RELIEF_MSG_ABORT: return 100;
	case RELIEF_MSG_ROLLBACK: return 100;
	case RELIEF_MSG_HEARTBEAT: return 16;
	case RELIEF_MSG_PROC_IMAGE: return 24;
	case RELIEF_MSG_DEVICE_HANDOVER: return 8;
	case RELIEF_MSG_CPU_RELEASE: return 132;
	case RELIEF_MSG_MEM_RELEASE: return 16;
	case RELIEF_MSG_TRANSFER_DONE: return 8;
	default: return 0;
	}
}

/* Recompute the CRC after a test edits a slot, so other checks are reached. */
static void wire_reseal(struct relief_wire_slot *s)
{
	uint32_t len = s->hdr.payload_len;
	uint32_t c;

	if (len > RELIEF_WIRE_PAYLOAD_MAX)
		len = RELIEF_WIRE_PAYLOAD_MAX;
	s->hdr.crc = 0;
	c = relief_crc32c(0, &s->hdr, sizeof(s->hdr));
	s->hdr.crc = relief_crc32c(c, s->payload.bytes, len);
}

static void wire_encode_ok(const struct relief_msg *m,
			   struct relief_wire_slot *s)
{
	memset(s, 0xee, sizeof(*s));
	assert_int_equal(relief_wire_encode(m, s, sizeof(*s)), RELIEF_WIRE_OK);
}

static bool wire_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* Decode, expecting @want; a rejection must leave out all zero. */
static void wire_expect(const struct relief_wire_slot *s,
			enum relief_wire_err want)
{
	struct relief_msg out;

	memset(&out, 0xaa, sizeof(out));
	assert_string_equal(relief_wire_err_name(
				relief_wire_decode(s, sizeof(*s), &out)),
			    relief_wire_err_name(want));
	if (want != RELIEF_WIRE_OK)
		assert_true(wire_all_zero(&out, sizeof(out)));
}

static void test_round_trip_every_type(void **state)
{
	uint32_t type, sender;

	(void)state;
	for (type = 1; type < RELIEF_MSG_TYPE_COUNT; type++) {
		for (sender = RELIEF_ROLE_OLD; sender <= RELIEF_ROLE_NEW;
		     sender++) {
			struct relief_msg m = wire_sample(type), out;
			struct relief_wire_slot s;
			uint32_t len = wire_expected_len(type);

			if (sender != m.sender && !wire_either_way(type))
				continue;
			m.sender = sender;
			wire_encode_ok(&m, &s);
			assert_int_equal(s.hdr.magic, RELIEF_WIRE_MAGIC);
			assert_int_equal(s.hdr.type, type);
			assert_int_equal(s.hdr.version, RELIEF_WIRE_VERSION);
			assert_int_equal(s.hdr.payload_len, len);
			assert_int_equal(relief_wire_payload_len(type), len);
			assert_true(s.hdr.seq == m.seq);
			assert_int_equal(s.hdr.sender, sender);
			assert_int_equal(s.hdr.pad, 0);
			/* Unused tail of the slot is zero, not stale. */
			assert_true(wire_all_zero(s.payload.bytes + len,
						  RELIEF_WIRE_PAYLOAD_MAX - len));
			memset(&out, 0x55, sizeof(out));
			assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
					 RELIEF_WIRE_OK);
			assert_memory_equal(&out, &m, sizeof(m));
		}
	}
}

/* Fields land at the documented offsets, little-endian. */
static void test_byte_layout(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_READY_TO_RELIEVE);
	struct relief_wire_slot s;
	const uint8_t *b = (const uint8_t *)&s;
	uint32_t crc;

	(void)state;
	wire_encode_ok(&m, &s);
	assert_memory_equal(b, "RMSG", 4);
	assert_int_equal(b[4], RELIEF_MSG_READY_TO_RELIEVE);
	assert_int_equal(b[5], 0);
	assert_int_equal(b[6], 1);		/* version */
	assert_int_equal(b[8], 104);		/* payload_len */
	assert_int_equal(b[16], 0x01);		/* seq, low byte first */
	assert_int_equal(b[23], 0x01);
	assert_int_equal(b[22], 0x02);
	assert_int_equal(b[24], RELIEF_ROLE_NEW);
	assert_int_equal(b[32 + 0], 1);		/* proto_min */
	assert_int_equal(b[32 + 2], 3);		/* proto_max */
	assert_int_equal(b[32 + 4], 0x0d);	/* hwdesc_crc */
	assert_int_equal(b[32 + 7], 0xca);
	assert_int_equal(b[32 + 8], 0x03);	/* features */
	assert_int_equal(b[32 + 15], 0x80);
	assert_int_equal(b[32 + 16], 0x89);	/* mem_bytes */
	assert_int_equal(b[32 + 24], 8);	/* nr_cpus_seen */
	assert_int_equal(b[32 + 28], 2);	/* nr_cpus_up */
	assert_memory_equal(b + 32 + 32, "6.12.0-relief-b", 16);

	/* CRC: over the header with crc zeroed, then the payload. */
	crc = b[12] | b[13] << 8 | b[14] << 16 | (uint32_t)b[15] << 24;
	s.hdr.crc = 0;
	assert_int_equal(crc, relief_crc32c(relief_crc32c(0, &s, 32),
					    s.payload.bytes, 104));

	m = wire_sample(RELIEF_MSG_CPU_RELEASE);
	wire_encode_ok(&m, &s);
	assert_int_equal(b[32], 32);		/* nr */
	assert_int_equal(b[32 + 4], 0x00);	/* hw_ids[0] = 0x100 */
	assert_int_equal(b[32 + 5], 0x01);
	assert_int_equal(b[32 + 4 + 31 * 4], 0x1f);

	m = wire_sample(RELIEF_MSG_ABORT);
	wire_encode_ok(&m, &s);
	assert_int_equal(b[32], RELIEF_REASON_TIMEOUT);
	assert_memory_equal(b + 36, "I_RELIEVE_YOU", 13);
}

/* Host strings may carry junk after the NUL; the wire never does. */
static void test_string_canonical(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_ABORT), out;
	struct relief_wire_slot s;

	(void)state;
	memset(m.u.reason.text, 'x', sizeof(m.u.reason.text));
	m.u.reason.text[3] = '\0';
	wire_encode_ok(&m, &s);
	assert_true(wire_all_zero(s.payload.reason.text + 3,
				  RELIEF_TEXT_LEN - 3));
	assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
			 RELIEF_WIRE_OK);
	assert_string_equal(out.u.reason.text, "xxx");
	assert_true(wire_all_zero(out.u.reason.text + 3, RELIEF_TEXT_LEN - 3));

	/* Empty text and a text using the whole field both pass. */
	memset(m.u.reason.text, 0, sizeof(m.u.reason.text));
	wire_encode_ok(&m, &s);
	wire_expect(&s, RELIEF_WIRE_OK);
	memset(m.u.reason.text, 'y', sizeof(m.u.reason.text) - 1);
	wire_encode_ok(&m, &s);
	assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
			 RELIEF_WIRE_OK);
	assert_int_equal(strlen(out.u.reason.text), RELIEF_TEXT_LEN - 1);
}

static void test_decode_unaligned_and_short_buffer(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_HEARTBEAT), out;
	uint8_t buf[RELIEF_WIRE_SLOT_SIZE + 1];

	(void)state;
	assert_int_equal(relief_wire_encode(&m, buf + 1, RELIEF_WIRE_SLOT_SIZE),
			 RELIEF_WIRE_OK);
	assert_int_equal(relief_wire_decode(buf + 1, RELIEF_WIRE_SLOT_SIZE,
					    &out), RELIEF_WIRE_OK);
	assert_memory_equal(&out, &m, sizeof(m));
	/* Exactly header + payload is enough... */
	assert_int_equal(relief_wire_decode(buf + 1, 32 + 16, &out),
			 RELIEF_WIRE_OK);
	/* ...one byte less is not, nor is less than a header. */
	assert_int_equal(relief_wire_decode(buf + 1, 32 + 15, &out),
			 RELIEF_WIRE_TRUNCATED);
	assert_true(wire_all_zero(&out, sizeof(out)));
	assert_int_equal(relief_wire_decode(buf + 1, 31, &out),
			 RELIEF_WIRE_TRUNCATED);
	assert_int_equal(relief_wire_decode(buf + 1, 0, &out),
			 RELIEF_WIRE_TRUNCATED);
}

static void test_reject_bad_magic(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_HEARTBEAT);
	struct relief_wire_slot s;

	(void)state;
	wire_encode_ok(&m, &s);
	s.hdr.magic ^= 1;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_BAD_MAGIC);
	memset(&s, 0, sizeof(s));
	wire_expect(&s, RELIEF_WIRE_BAD_MAGIC);
}

static void test_reject_bad_version(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_HEARTBEAT);
	struct relief_wire_slot s;

	(void)state;
	wire_encode_ok(&m, &s);
	s.hdr.version = RELIEF_WIRE_VERSION + 1;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_BAD_VERSION);
	s.hdr.version = 0;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_BAD_VERSION);
}

/* Any single bit flipped in the CRC-covered bytes is caught. */
static void test_reject_flipped_bit(void **state)
{
	uint32_t type;

	(void)state;
	for (type = 1; type < RELIEF_MSG_TYPE_COUNT; type++) {
		struct relief_msg m = wire_sample(type);
		struct relief_wire_slot s;
		uint8_t *b = (uint8_t *)&s;
		size_t end = 32 + wire_expected_len(type), bit;

		wire_encode_ok(&m, &s);
		for (bit = 0; bit < end * 8; bit++) {
			size_t byte = bit / 8;

			/* magic, version and payload_len fail earlier. */
			if (byte < 4 || (byte >= 6 && byte < 12))
				continue;
			b[byte] ^= (uint8_t)(1u << (bit % 8));
			wire_expect(&s, RELIEF_WIRE_BAD_CRC);
			b[byte] ^= (uint8_t)(1u << (bit % 8));
		}
		wire_expect(&s, RELIEF_WIRE_OK);
	}
}

static void test_reject_payload_len(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_MEM_RELEASE);
	struct relief_wire_slot s;

	(void)state;
	/* Too short for the type, with a valid CRC. */
	wire_encode_ok(&m, &s);
	s.hdr.payload_len = 15;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
	/* Overlong for the type. */
	s.hdr.payload_len = 17;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
	/* Longer than a slot can hold: no CRC can even be computed. */
	s.hdr.payload_len = RELIEF_WIRE_PAYLOAD_MAX + 1;
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
	s.hdr.payload_len = 0xffffffffu;
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
	/* The largest legal length, wrong for this type. */
	s.hdr.payload_len = RELIEF_WIRE_PAYLOAD_MAX;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
	/* A payload where the type has none. */
	m = wire_sample(RELIEF_MSG_I_RELIEVE_YOU);
	wire_encode_ok(&m, &s);
	s.hdr.payload_len = 4;
	wire_reseal(&s);
	wire_expect(&s, RELIEF_WIRE_TRUNCATED);
}

static void test_reject_unknown_type(void **state)
{
	static const uint16_t bad[] = { RELIEF_MSG_NONE, RELIEF_MSG_TYPE_COUNT,
					0x100, 0xffff };
	struct relief_msg m = wire_sample(RELIEF_MSG_I_RELIEVE_YOU);
	struct relief_wire_slot s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wire_encode_ok(&m, &s);
		s.hdr.type = bad[i];
		wire_reseal(&s);
		wire_expect(&s, RELIEF_WIRE_UNKNOWN_TYPE);
		assert_int_equal(relief_wire_payload_len(bad[i]), 0);
	}
}

static void test_reject_wrong_sender(void **state)
{
	uint32_t type, sender;

	(void)state;
	for (type = 1; type < RELIEF_MSG_TYPE_COUNT; type++) {
		for (sender = 0; sender <= 4; sender++) {
			struct relief_msg m = wire_sample(type);
			struct relief_wire_slot s;
			bool ok = (sender == RELIEF_ROLE_OLD ||
				   sender == RELIEF_ROLE_NEW) &&
				  (sender == wire_sender_of(type) ||
				   wire_either_way(type));

			assert_int_equal(relief_wire_sender_ok(type, sender),
					 ok);
			wire_encode_ok(&m, &s);
			s.hdr.sender = sender;
			wire_reseal(&s);
			wire_expect(&s, ok ? RELIEF_WIRE_OK :
					     RELIEF_WIRE_BAD_SENDER);
		}
	}
	/* The classic: the old kernel claiming READY_TO_RELIEVE. */
	assert_false(relief_wire_sender_ok(RELIEF_MSG_READY_TO_RELIEVE,
					   RELIEF_ROLE_OLD));
	assert_false(relief_wire_sender_ok(RELIEF_MSG_TYPE_COUNT,
					   RELIEF_ROLE_OLD));
}

/* Edit one payload of @type through @edit, reseal, expect BAD_FIELD. */
#define WIRE_BAD_FIELD(type, edit)					\
	do {								\
		struct relief_msg m_ = wire_sample(type);		\
		struct relief_wire_slot s_;				\
		struct relief_wire_slot *s = &s_;			\
									\
		wire_encode_ok(&m_, s);					\
		edit;							\
		wire_reseal(s);						\
		wire_expect(s, RELIEF_WIRE_BAD_FIELD);			\
	} while (0)

static void test_reject_bad_field(void **state)
{
	(void)state;
	/* Header pad. */
	WIRE_BAD_FIELD(RELIEF_MSG_HEARTBEAT, s->hdr.pad = 1);
	/* Unterminated strings, and junk after the NUL. */
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       memset(s->payload.quals.release, 'a',
			      RELIEF_RELEASE_LEN));
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       s->payload.quals.release[RELIEF_RELEASE_LEN - 1] = 'z');
	WIRE_BAD_FIELD(RELIEF_MSG_ABORT,
		       memset(s->payload.reason.text, 'a', RELIEF_TEXT_LEN));
	WIRE_BAD_FIELD(RELIEF_MSG_ROLLBACK,
		       s->payload.reason.text[RELIEF_TEXT_LEN - 1] = 'z');
	/* Reason out of range. */
	WIRE_BAD_FIELD(RELIEF_MSG_ABORT,
		       s->payload.reason.reason = RELIEF_REASON_COUNT);
	WIRE_BAD_FIELD(RELIEF_MSG_ROLLBACK,
		       s->payload.reason.reason = 0xffffffffu);
	/* CPU count over the maximum, and stale ids past nr. */
	WIRE_BAD_FIELD(RELIEF_MSG_CPU_RELEASE,
		       s->payload.cpus.nr = RELIEF_CPU_RELEASE_MAX + 1);
	WIRE_BAD_FIELD(RELIEF_MSG_CPU_RELEASE,
		       s->payload.cpus.nr = 0xffffffffu);
	WIRE_BAD_FIELD(RELIEF_MSG_CPU_RELEASE, s->payload.cpus.nr = 31);
	/* Qualifications that cannot be true. */
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       s->payload.quals.proto_min = 0);
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       s->payload.quals.proto_min = 4);
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       s->payload.quals.nr_cpus_up = 9);
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_RELIEVE,
		       s->payload.quals.pad[6] = 1);
	/* Agreed version 0, agreed pad. */
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_BE_RELIEVED,
		       s->payload.agreed.proto_version = 0);
	WIRE_BAD_FIELD(RELIEF_MSG_READY_TO_BE_RELIEVED,
		       s->payload.agreed.pad[0] = 1);
	/* Physical ranges that wrap around. */
	WIRE_BAD_FIELD(RELIEF_MSG_PROC_IMAGE,
		       s->payload.proc_image.phys = 0xfffffffffffff000ull);
	WIRE_BAD_FIELD(RELIEF_MSG_MEM_RELEASE,
		       s->payload.mem.size = 0xffffffffffffffffull);
}

static void test_cpu_release_partial(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_CPU_RELEASE), out;
	struct relief_wire_slot s;

	(void)state;
	/* Host ids past nr are ignored, not sent. */
	m.u.cpus.nr = 3;
	wire_encode_ok(&m, &s);
	assert_int_equal(s.payload.cpus.hw_ids[2], 0x102);
	assert_true(wire_all_zero(&s.payload.cpus.hw_ids[3], 29 * 4));
	assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
			 RELIEF_WIRE_OK);
	assert_int_equal(out.u.cpus.nr, 3);
	assert_int_equal(out.u.cpus.hw_ids[2], 0x102);
	assert_int_equal(out.u.cpus.hw_ids[3], 0);
	/* Zero CPUs is well-formed (if pointless). */
	m.u.cpus.nr = 0;
	wire_encode_ok(&m, &s);
	wire_expect(&s, RELIEF_WIRE_OK);
	/* Ranges ending exactly at 2^64 do not wrap. */
	m = wire_sample(RELIEF_MSG_MEM_RELEASE);
	m.u.mem.base = 0xffffffffffff0000ull;
	m.u.mem.size = 0xffff;
	wire_encode_ok(&m, &s);
	wire_expect(&s, RELIEF_WIRE_OK);
}

/* Encode an invalid message: refused, and the slot is left zero. */
static void wire_encode_refused(const struct relief_msg *m,
				enum relief_wire_err want)
{
	struct relief_wire_slot s;

	memset(&s, 0xee, sizeof(s));
	assert_int_equal(relief_wire_encode(m, &s, sizeof(s)), want);
	assert_true(wire_all_zero(&s, sizeof(s)));
}

static void test_encode_refuses(void **state)
{
	struct relief_msg m;
	uint8_t small[RELIEF_WIRE_SLOT_SIZE - 1];

	(void)state;
	m = wire_sample(RELIEF_MSG_HEARTBEAT);
	memset(small, 0xee, sizeof(small));
	assert_int_equal(relief_wire_encode(&m, small, sizeof(small)),
			 RELIEF_WIRE_TRUNCATED);
	assert_true(wire_all_zero(small, sizeof(small)));

	m.type = RELIEF_MSG_NONE;
	wire_encode_refused(&m, RELIEF_WIRE_UNKNOWN_TYPE);
	m.type = RELIEF_MSG_TYPE_COUNT;
	wire_encode_refused(&m, RELIEF_WIRE_UNKNOWN_TYPE);

	m = wire_sample(RELIEF_MSG_READY_TO_RELIEVE);
	m.sender = RELIEF_ROLE_OLD;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_SENDER);
	m = wire_sample(RELIEF_MSG_HEARTBEAT);
	m.sender = 0;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_SENDER);

	m = wire_sample(RELIEF_MSG_READY_TO_RELIEVE);
	memset(m.u.quals.release, 'r', sizeof(m.u.quals.release));
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_READY_TO_RELIEVE);
	m.u.quals.proto_max = 0;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_READY_TO_BE_RELIEVED);
	m.u.agreed.proto_version = 0;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_ABORT);
	m.u.reason.reason = RELIEF_REASON_COUNT;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_ROLLBACK);
	memset(m.u.reason.text, 't', sizeof(m.u.reason.text));
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_CPU_RELEASE);
	m.u.cpus.nr = RELIEF_CPU_RELEASE_MAX + 1;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_PROC_IMAGE);
	m.u.proc_image.len = 0xffffffffffffffffull;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
	m = wire_sample(RELIEF_MSG_MEM_RELEASE);
	m.u.mem.base = 0xffffffffffffffffull;
	wire_encode_refused(&m, RELIEF_WIRE_BAD_FIELD);
}

static void test_rx_sequence(void **state)
{
	struct relief_rx rx;

	(void)state;
	relief_rx_init(&rx);
	/* 0 is never valid: numbering starts at 1. */
	assert_int_equal(relief_rx_accept(&rx, 0), RELIEF_WIRE_OUT_OF_ORDER);
	assert_int_equal(relief_rx_accept(&rx, 1), RELIEF_WIRE_OK);
	assert_int_equal(relief_rx_accept(&rx, 2), RELIEF_WIRE_OK);
	/* Duplicate / replay. */
	assert_int_equal(relief_rx_accept(&rx, 2), RELIEF_WIRE_OUT_OF_ORDER);
	assert_int_equal(relief_rx_accept(&rx, 1), RELIEF_WIRE_OUT_OF_ORDER);
	/* Gap (a lost message). */
	assert_int_equal(relief_rx_accept(&rx, 4), RELIEF_WIRE_OUT_OF_ORDER);
	/* Rejections did not move the expectation. */
	assert_true(rx.next_seq == 3);
	assert_int_equal(relief_rx_accept(&rx, 3), RELIEF_WIRE_OK);
	assert_true(rx.next_seq == 4);
}

static void test_tx_sequence(void **state)
{
	struct relief_tx tx;

	(void)state;
	relief_tx_init(&tx);
	assert_true(relief_tx_next(&tx) == 1);
	assert_true(relief_tx_next(&tx) == 2);
	assert_true(relief_tx_next(&tx) == 3);
	assert_true(tx.next_seq == 4);
}

/* A decoded message's seq goes through the receiver unchanged. */
static void test_decode_then_rx(void **state)
{
	struct relief_msg m = wire_sample(RELIEF_MSG_HEARTBEAT), out;
	struct relief_wire_slot s;
	struct relief_rx rx;
	struct relief_tx tx;

	(void)state;
	relief_rx_init(&rx);
	relief_tx_init(&tx);
	m.seq = relief_tx_next(&tx);
	wire_encode_ok(&m, &s);
	assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
			 RELIEF_WIRE_OK);
	assert_int_equal(relief_rx_accept(&rx, out.seq), RELIEF_WIRE_OK);
	/* The same slot again is a duplicate. */
	assert_int_equal(relief_wire_decode(&s, sizeof(s), &out),
			 RELIEF_WIRE_OK);
	assert_int_equal(relief_rx_accept(&rx, out.seq),
			 RELIEF_WIRE_OUT_OF_ORDER);
}

static void test_err_names(void **state)
{
	(void)state;
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_OK), "OK");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_BAD_MAGIC),
			    "BAD_MAGIC");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_BAD_VERSION),
			    "BAD_VERSION");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_BAD_CRC),
			    "BAD_CRC");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_TRUNCATED),
			    "TRUNCATED");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_UNKNOWN_TYPE),
			    "UNKNOWN_TYPE");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_BAD_SENDER),
			    "BAD_SENDER");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_BAD_FIELD),
			    "BAD_FIELD");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_OUT_OF_ORDER),
			    "OUT_OF_ORDER");
	assert_string_equal(relief_wire_err_name(RELIEF_WIRE_ERR_COUNT),
			    "UNKNOWN");
	assert_string_equal(relief_wire_err_name(0xffffffffu), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_type),
		cmocka_unit_test(test_byte_layout),
		cmocka_unit_test(test_string_canonical),
		cmocka_unit_test(test_decode_unaligned_and_short_buffer),
		cmocka_unit_test(test_reject_bad_magic),
		cmocka_unit_test(test_reject_bad_version),
		cmocka_unit_test(test_reject_flipped_bit),
		cmocka_unit_test(test_reject_payload_len),
		cmocka_unit_test(test_reject_unknown_type),
		cmocka_unit_test(test_reject_wrong_sender),
		cmocka_unit_test(test_reject_bad_field),
		cmocka_unit_test(test_cpu_release_partial),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_rx_sequence),
		cmocka_unit_test(test_tx_sequence),
		cmocka_unit_test(test_decode_then_rx),
		cmocka_unit_test(test_err_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
