/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_msg.h - the officer-of-the-deck messages, decoded.
 *
 * This is the host representation that the state machines consume and
 * produce. The wire encoding (header, sequence number, CRC32C, padding) is
 * in relief_wire.h; only relief_wire.c converts between the two, and it
 * rejects anything it cannot prove well-formed.
 */
#ifndef RELIEF_MSG_H
#define RELIEF_MSG_H

#include "relief_compat.h"
#include "relief_version.h"	/* RELIEF_PROTO_VERSION_MIN/MAX */

/* Which side sent a message. */
enum relief_role {
	RELIEF_ROLE_OLD = 1,	/* the kernel being relieved (A) */
	RELIEF_ROLE_NEW = 2,	/* the relieving kernel (B) */
};

enum relief_msg_type {
	RELIEF_MSG_NONE = 0,
	/* The four steps. */
	RELIEF_MSG_READY_TO_RELIEVE = 1,	/* new -> old, with qualifications */
	RELIEF_MSG_READY_TO_BE_RELIEVED = 2,	/* old -> new */
	RELIEF_MSG_I_RELIEVE_YOU = 3,		/* new -> old: the commit point */
	RELIEF_MSG_I_STAND_RELIEVED = 4,	/* old -> new: old parks */
	/* Leaving the protocol. */
	RELIEF_MSG_ABORT = 5,			/* either, before commit */
	RELIEF_MSG_ROLLBACK = 6,		/* either, after commit */
	RELIEF_MSG_HEARTBEAT = 7,		/* either, any time */
	/* Transfer, between I_RELIEVE_YOU and I_STAND_RELIEVED (stage 2). */
	RELIEF_MSG_PROC_IMAGE = 8,		/* old -> new: where images are */
	RELIEF_MSG_DEVICE_HANDOVER = 9,		/* old -> new: device quiesced */
	RELIEF_MSG_CPU_RELEASE = 10,		/* old -> new: CPUs parked */
	RELIEF_MSG_MEM_RELEASE = 11,		/* old -> new: range released */
	RELIEF_MSG_TRANSFER_DONE = 12,		/* old -> new: nothing more */
	RELIEF_MSG_TRANSFER_ACK = 13,		/* new -> old: all restored */
	RELIEF_MSG_TYPE_COUNT
};

/* Why a swap was aborted or rolled back. Stable numbers: they are on the wire. */
enum relief_reason {
	RELIEF_REASON_NONE = 0,
	RELIEF_REASON_OPERATOR = 1,		/* reliefctl abort */
	RELIEF_REASON_TIMEOUT = 2,		/* a deadline passed */
	RELIEF_REASON_PROTO_VERSION = 3,	/* no common protocol version */
	RELIEF_REASON_FEATURES = 4,		/* required feature missing */
	RELIEF_REASON_HW_MISMATCH = 5,		/* peer saw other hardware */
	RELIEF_REASON_BAD_MESSAGE = 6,		/* peer sent garbage */
	RELIEF_REASON_UNEXPECTED = 7,		/* message illegal in this state */
	RELIEF_REASON_DUMP_FAILED = 8,		/* a process cannot be dumped */
	RELIEF_REASON_RESTORE_FAILED = 9,	/* a process cannot be restored */
	RELIEF_REASON_DEVICE_FAILED = 10,	/* a device did not come up */
	RELIEF_REASON_PEER_DEAD = 11,		/* heartbeat stopped */
	RELIEF_REASON_PANIC = 12,		/* peer panicked */
	RELIEF_REASON_INTERNAL = 13,		/* local failure, see text */
	RELIEF_REASON_COUNT
};

/* Feature bits a kernel advertises in its qualifications. */
#define RELIEF_FEAT_CONSOLE_RING	(1ULL << 0)
#define RELIEF_FEAT_HEARTBEAT		(1ULL << 1)
#define RELIEF_FEAT_PROC_COPY		(1ULL << 2)	/* CRIU images by copy */
#define RELIEF_FEAT_PROC_IN_PLACE	(1ULL << 3)	/* pages adopted in place */
#define RELIEF_FEAT_DEVICE_HANDOVER	(1ULL << 4)
#define RELIEF_FEAT_MEM_HOTPLUG		(1ULL << 5)

#define RELIEF_RELEASE_LEN	65	/* utsname release incl. NUL */
#define RELIEF_TEXT_LEN		96	/* abort/rollback text incl. NUL */
#define RELIEF_CPU_RELEASE_MAX	32	/* CPUs named in one CPU_RELEASE */

struct relief_quals {
	char release[RELIEF_RELEASE_LEN];	/* NUL-terminated */
	uint16_t proto_min;
	uint16_t proto_max;
	uint64_t features;
	uint32_t hwdesc_crc;	/* CRC32C of the hwdesc blob the new kernel parsed */
	uint32_t nr_cpus_seen;	/* CPUs it found in the hwdesc */
	uint32_t nr_cpus_up;	/* CPUs it brought up (its own partition) */
	uint64_t mem_bytes;	/* memory it was given and uses */
};

struct relief_msg_agreed {		/* READY_TO_BE_RELIEVED */
	uint16_t proto_version;
	uint64_t features;
};

struct relief_msg_reason {		/* ABORT, ROLLBACK */
	uint32_t reason;		/* enum relief_reason */
	char text[RELIEF_TEXT_LEN];	/* NUL-terminated, may be empty */
};

struct relief_msg_heartbeat {
	uint64_t count;
	uint64_t now_ns;		/* sender's clock, for diagnostics only */
};

struct relief_msg_proc_image {
	uint64_t phys;			/* transfer area holding the images */
	uint64_t len;
	uint32_t nr_procs;
	uint32_t crc;			/* CRC32C of [phys, phys + len) */
};

struct relief_msg_device {
	uint32_t hw_index;		/* index into the hwdesc device list */
	uint32_t flags;
};

struct relief_msg_cpu_release {
	uint32_t nr;
	uint32_t hw_ids[RELIEF_CPU_RELEASE_MAX];	/* APIC IDs / MPIDR aff */
};

struct relief_msg_mem_release {
	uint64_t base;
	uint64_t size;
};

struct relief_msg_transfer_done {
	uint32_t nr_procs;
	uint32_t nr_devices;
};

struct relief_msg {
	uint32_t type;			/* enum relief_msg_type */
	uint32_t sender;		/* enum relief_role */
	uint64_t seq;			/* per direction, starts at 1, +1 each */
	union {
		struct relief_quals quals;
		struct relief_msg_agreed agreed;
		struct relief_msg_reason reason;
		struct relief_msg_heartbeat heartbeat;
		struct relief_msg_proc_image proc_image;
		struct relief_msg_device device;
		struct relief_msg_cpu_release cpus;
		struct relief_msg_mem_release mem;
		struct relief_msg_transfer_done done;
	} u;
};

#endif /* RELIEF_MSG_H */
