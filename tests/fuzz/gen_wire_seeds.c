// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gen_wire_seeds.c - writes the committed seed corpus for fuzz_wire: one
 * valid encoded slot per message type, plus the first part of a formatted
 * mailbox with a message queued in each direction. Not built by default;
 * run once by hand when the wire format changes:
 *
 *   cc -std=c11 -Iproto -o out/gen_wire_seeds tests/fuzz/gen_wire_seeds.c \
 *	proto/relief_wire.c proto/relief_crc32c.c proto/relief_ring.c \
 *	proto/relief_console.c proto/relief_mailbox.c proto/relief_msg_names.c
 *   out/gen_wire_seeds tests/fuzz/corpus/wire
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relief_mailbox.h"
#include "relief_names.h"
#include "relief_wire.h"

static _Alignas(4096) unsigned char gen_mem[RELIEF_MAILBOX_SIZE];

static void gen_write(const char *dir, const char *name, const void *p,
		      size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static struct relief_msg gen_msg(uint32_t type)
{
	struct relief_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.seq = 1;
	m.sender = RELIEF_ROLE_OLD;
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE:
	case RELIEF_MSG_I_RELIEVE_YOU:
	case RELIEF_MSG_TRANSFER_ACK:
		m.sender = RELIEF_ROLE_NEW;
		break;
	}
	switch (type) {
	case RELIEF_MSG_READY_TO_RELIEVE:
		strcpy(m.u.quals.release, "6.12.0-relief");
		m.u.quals.proto_min = 1;
		m.u.quals.proto_max = 1;
		m.u.quals.features = RELIEF_FEAT_CONSOLE_RING |
				     RELIEF_FEAT_HEARTBEAT;
		m.u.quals.hwdesc_crc = 0x12345678;
		m.u.quals.nr_cpus_seen = 4;
		m.u.quals.nr_cpus_up = 1;
		m.u.quals.mem_bytes = 256ull << 20;
		break;
	case RELIEF_MSG_READY_TO_BE_RELIEVED:
		m.u.agreed.proto_version = 1;
		m.u.agreed.features = RELIEF_FEAT_HEARTBEAT;
		break;
	case RELIEF_MSG_ABORT:
	case RELIEF_MSG_ROLLBACK:
		m.u.reason.reason = RELIEF_REASON_TIMEOUT;
		strcpy(m.u.reason.text, "deadline passed");
		break;
	case RELIEF_MSG_HEARTBEAT:
		m.u.heartbeat.count = 3;
		m.u.heartbeat.now_ns = 1000000000ull;
		break;
	case RELIEF_MSG_PROC_IMAGE:
		m.u.proc_image.phys = 0x40000000;
		m.u.proc_image.len = 0x100000;
		m.u.proc_image.nr_procs = 2;
		m.u.proc_image.crc = 0xabcdef01;
		break;
	case RELIEF_MSG_DEVICE_HANDOVER:
		m.u.device.hw_index = 1;
		break;
	case RELIEF_MSG_CPU_RELEASE:
		m.u.cpus.nr = 2;
		m.u.cpus.hw_ids[0] = 2;
		m.u.cpus.hw_ids[1] = 3;
		break;
	case RELIEF_MSG_MEM_RELEASE:
		m.u.mem.base = 0x80000000;
		m.u.mem.size = 0x10000000;
		break;
	case RELIEF_MSG_TRANSFER_DONE:
		m.u.done.nr_procs = 2;
		m.u.done.nr_devices = 1;
		break;
	}
	return m;
}

int main(int argc, char **argv)
{
	struct relief_wire_slot s;
	struct relief_mailbox mb;
	struct relief_msg m;
	char name[64];
	uint32_t type;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (type = 1; type < RELIEF_MSG_TYPE_COUNT; type++) {
		m = gen_msg(type);
		if (relief_wire_encode(&m, &s, sizeof(s)) != RELIEF_WIRE_OK) {
			fprintf(stderr, "cannot encode type %u\n", type);
			return 1;
		}
		snprintf(name, sizeof(name), "slot-%02u-%s", type,
			 relief_msg_type_name(type));
		gen_write(argv[1], name, &s, sizeof(s));
	}
	/* A mailbox up to and including slot 0 of the new->old ring. */
	if (relief_mailbox_init(gen_mem, sizeof(gen_mem)) != RELIEF_MB_OK ||
	    relief_mailbox_attach(&mb, gen_mem, sizeof(gen_mem)) !=
	    RELIEF_MB_OK)
		return 1;
	m = gen_msg(RELIEF_MSG_READY_TO_RELIEVE);
	if (relief_mailbox_send(&mb, RELIEF_ROLE_NEW, &m))
		return 1;
	m = gen_msg(RELIEF_MSG_READY_TO_BE_RELIEVED);
	if (relief_mailbox_send(&mb, RELIEF_ROLE_OLD, &m))
		return 1;
	gen_write(argv[1], "mailbox-head", gen_mem,
		  RELIEF_MAILBOX_RING_N2O_OFF + 2 * RELIEF_CACHELINE +
		  RELIEF_WIRE_SLOT_SIZE);
	return 0;
}
