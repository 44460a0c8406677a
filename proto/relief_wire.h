/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_wire.h - how one struct relief_msg looks as bytes in a mailbox slot.
 *
 * Every message occupies one fixed 256-byte slot: a 32-byte header and up to
 * 224 bytes of payload whose layout is fixed per message type. All fields are
 * little-endian fixed-width integers at the offsets asserted below; every
 * hole is an explicit pad field that must be zero. The encoding is
 * canonical: a slot that decodes re-encodes to the same bytes (the fuzzer
 * checks this), so a decoder that accepts a slot has checked every byte of
 * it. Bytes past header + payload_len are not part of the message; the
 * encoder writes them as zero and the decoder ignores them.
 *
 * Layout tables: Documentation/relief/mailbox.rst.
 */
#ifndef RELIEF_WIRE_H
#define RELIEF_WIRE_H

#include "relief_compat.h"
#include "relief_msg.h"

/* Layout checks: every wire field's offset and every wire struct's size. */
#define RELIEF_WIRE_ASSERT_OFF(type, field, off)			\
	RELIEF_STATIC_ASSERT(__builtin_offsetof(struct type, field) ==	\
			     (off), #type "." #field " offset")
#define RELIEF_WIRE_ASSERT_SIZE(type, size)				\
	RELIEF_STATIC_ASSERT(sizeof(struct type) == (size), #type " size")

#define RELIEF_WIRE_MAGIC	0x47534d52u	/* "RMSG" in memory order */
/*
 * Version of the slot format (header and payload layouts), not of the
 * protocol: READY_TO_RELIEVE must stay decodable by every peer so that
 * protocol versions can be negotiated, so this changes only if the layouts
 * change incompatibly.
 */
#define RELIEF_WIRE_VERSION	1
#define RELIEF_WIRE_SLOT_SIZE	256
#define RELIEF_WIRE_HDR_SIZE	32
#define RELIEF_WIRE_PAYLOAD_MAX	(RELIEF_WIRE_SLOT_SIZE - RELIEF_WIRE_HDR_SIZE)

enum relief_wire_err {
	RELIEF_WIRE_OK = 0,
	RELIEF_WIRE_BAD_MAGIC,		/* not a relief slot at all */
	RELIEF_WIRE_BAD_VERSION,	/* slot format we do not speak */
	RELIEF_WIRE_BAD_CRC,		/* damaged in flight */
	RELIEF_WIRE_TRUNCATED,		/* payload_len wrong for type/buffer */
	RELIEF_WIRE_UNKNOWN_TYPE,	/* type 0 or >= RELIEF_MSG_TYPE_COUNT */
	RELIEF_WIRE_BAD_SENDER,		/* sender may not send this type */
	RELIEF_WIRE_BAD_FIELD,		/* field out of range, or nonzero pad */
	RELIEF_WIRE_OUT_OF_ORDER,	/* sequence number not the next one */
	RELIEF_WIRE_ERR_COUNT
};

/* Header: the first 32 bytes of every slot. */
struct relief_wire_hdr {
	uint32_t magic;		/* RELIEF_WIRE_MAGIC */
	uint16_t type;		/* enum relief_msg_type */
	uint16_t version;	/* RELIEF_WIRE_VERSION */
	uint32_t payload_len;	/* exactly the size of the type's payload */
	uint32_t crc;		/* CRC32C of header (crc = 0) + payload */
	uint64_t seq;		/* per direction, starts at 1 */
	uint32_t sender;	/* enum relief_role */
	uint32_t pad;		/* zero */
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, magic, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, type, 4);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, version, 6);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, payload_len, 8);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, crc, 12);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, seq, 16);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, sender, 24);
RELIEF_WIRE_ASSERT_OFF(relief_wire_hdr, pad, 28);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_hdr, RELIEF_WIRE_HDR_SIZE);

/*
 * Payloads. I_RELIEVE_YOU, I_STAND_RELIEVED and TRANSFER_ACK have none
 * (payload_len 0). Strings are NUL-terminated and zero-filled after the NUL.
 */

/* READY_TO_RELIEVE: the new kernel's qualifications. */
struct relief_wire_quals {
	uint16_t proto_min;		/* >= 1, <= proto_max */
	uint16_t proto_max;
	uint32_t hwdesc_crc;
	uint64_t features;
	uint64_t mem_bytes;
	uint32_t nr_cpus_seen;
	uint32_t nr_cpus_up;		/* <= nr_cpus_seen */
	char release[RELIEF_RELEASE_LEN];
	uint8_t pad[7];
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, proto_min, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, proto_max, 2);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, hwdesc_crc, 4);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, features, 8);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, mem_bytes, 16);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, nr_cpus_seen, 24);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, nr_cpus_up, 28);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, release, 32);
RELIEF_WIRE_ASSERT_OFF(relief_wire_quals, pad, 97);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_quals, 104);

/* READY_TO_BE_RELIEVED: what the old kernel agreed to. */
struct relief_wire_agreed {
	uint16_t proto_version;		/* >= 1 */
	uint8_t pad[6];
	uint64_t features;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_agreed, proto_version, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_agreed, pad, 2);
RELIEF_WIRE_ASSERT_OFF(relief_wire_agreed, features, 8);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_agreed, 16);

/* ABORT, ROLLBACK. */
struct relief_wire_reason {
	uint32_t reason;		/* < RELIEF_REASON_COUNT */
	char text[RELIEF_TEXT_LEN];
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_reason, reason, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_reason, text, 4);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_reason, 100);

/* HEARTBEAT. */
struct relief_wire_heartbeat {
	uint64_t count;
	uint64_t now_ns;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_heartbeat, count, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_heartbeat, now_ns, 8);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_heartbeat, 16);

/* PROC_IMAGE. */
struct relief_wire_proc_image {
	uint64_t phys;			/* phys + len must not wrap */
	uint64_t len;
	uint32_t nr_procs;
	uint32_t crc;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_proc_image, phys, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_proc_image, len, 8);
RELIEF_WIRE_ASSERT_OFF(relief_wire_proc_image, nr_procs, 16);
RELIEF_WIRE_ASSERT_OFF(relief_wire_proc_image, crc, 20);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_proc_image, 24);

/* DEVICE_HANDOVER. */
struct relief_wire_device {
	uint32_t hw_index;
	uint32_t flags;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_device, hw_index, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_device, flags, 4);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_device, 8);

/* CPU_RELEASE. */
struct relief_wire_cpu_release {
	uint32_t nr;			/* <= RELIEF_CPU_RELEASE_MAX */
	uint32_t hw_ids[RELIEF_CPU_RELEASE_MAX];	/* [nr, MAX) zero */
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_cpu_release, nr, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_cpu_release, hw_ids, 4);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_cpu_release, 132);

/* MEM_RELEASE. */
struct relief_wire_mem_release {
	uint64_t base;			/* base + size must not wrap */
	uint64_t size;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_mem_release, base, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_mem_release, size, 8);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_mem_release, 16);

/* TRANSFER_DONE. */
struct relief_wire_transfer_done {
	uint32_t nr_procs;
	uint32_t nr_devices;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_transfer_done, nr_procs, 0);
RELIEF_WIRE_ASSERT_OFF(relief_wire_transfer_done, nr_devices, 4);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_transfer_done, 8);

/* cpu_release is the largest payload. */
RELIEF_STATIC_ASSERT(sizeof(struct relief_wire_cpu_release) <=
		     RELIEF_WIRE_PAYLOAD_MAX, "payloads fit a slot");

/* One slot as it sits in a ring. */
struct relief_wire_slot {
	struct relief_wire_hdr hdr;
	union {
		uint8_t bytes[RELIEF_WIRE_PAYLOAD_MAX];
		struct relief_wire_quals quals;
		struct relief_wire_agreed agreed;
		struct relief_wire_reason reason;
		struct relief_wire_heartbeat heartbeat;
		struct relief_wire_proc_image proc_image;
		struct relief_wire_device device;
		struct relief_wire_cpu_release cpus;
		struct relief_wire_mem_release mem;
		struct relief_wire_transfer_done done;
	} payload;
};

RELIEF_WIRE_ASSERT_OFF(relief_wire_slot, payload, RELIEF_WIRE_HDR_SIZE);
RELIEF_WIRE_ASSERT_SIZE(relief_wire_slot, RELIEF_WIRE_SLOT_SIZE);

/* Receiver: accepts exactly one sequence number next, starting at 1. */
struct relief_rx {
	uint64_t next_seq;
};

/* Sender: hands out 1, 2, 3, ... */
struct relief_tx {
	uint64_t next_seq;
};

uint32_t relief_wire_payload_len(uint32_t type);
bool relief_wire_sender_ok(uint32_t type, uint32_t sender);
enum relief_wire_err relief_wire_encode(const struct relief_msg *msg,
					void *slot, size_t size);
enum relief_wire_err relief_wire_decode(const void *slot, size_t size,
					struct relief_msg *out);
void relief_rx_init(struct relief_rx *rx);
enum relief_wire_err relief_rx_accept(struct relief_rx *rx, uint64_t seq);
void relief_tx_init(struct relief_tx *tx);
uint64_t relief_tx_next(struct relief_tx *tx);
const char *relief_wire_err_name(uint32_t err);

#endif /* RELIEF_WIRE_H */
