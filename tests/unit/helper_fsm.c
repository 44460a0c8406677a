// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * helper_fsm.c - fixtures shared by test_fsm_old, test_fsm_new and
 * test_fsm_pair (see helper_fsm.h).
 */
#include <string.h>

#include "helper_fsm.h"

void fsmt_timeouts(struct relief_timeouts *t)
{
	memset(t, 0, sizeof(*t));
	t->boot_ns = 10000 * FSMT_MS;
	t->answer_ns = 1000 * FSMT_MS;
	t->step_ns = 2000 * FSMT_MS;
	t->transfer_ns = 5000 * FSMT_MS;
}

void fsmt_old_plan(struct relief_old_plan *p)
{
	struct relief_owner_table *t = &p->owners;
	uint32_t i;

	memset(p, 0, sizeof(*p));
	relief_owner_init(t);
	relief_owner_add_cpu(t, 0, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	for (i = 1; i < 4; i++)
		relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, 0);
	for (i = 4; i < 8; i++)
		relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, RELIEF_RES_LENT);
	relief_owner_add_mem(t, 0, 1ULL << 30, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	relief_owner_add_mem(t, 1ULL << 30, 1ULL << 30, RELIEF_OWN_OLD, 0);
	relief_owner_add_mem(t, 2ULL << 30, 1ULL << 30, RELIEF_OWN_OLD, 0);
	relief_owner_add_mem(t, 4ULL << 30, 2ULL << 30, RELIEF_OWN_OLD,
			     RELIEF_RES_LENT);
	p->expect.proto_min = RELIEF_PROTO_VERSION_MIN;
	p->expect.proto_max = RELIEF_PROTO_VERSION_MAX;
	p->expect.features = FSMT_FEATS | RELIEF_FEAT_CONSOLE_RING;
	p->expect.required = RELIEF_FEAT_PROC_COPY;
	p->expect.hwdesc_crc = FSMT_CRC;
	p->expect.nr_cpus_described = FSMT_NR_CPUS;
	p->nr_devices = 2;
	p->devices[0] = 3;
	p->devices[1] = 7;
	fsmt_timeouts(&p->t);
}

void fsmt_new_plan(struct relief_new_plan *p, const struct relief_old_plan *op)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->owners = op->owners;
	for (i = 0; i < p->owners.nr; i++)
		p->owners.res[i].owner =
			(p->owners.res[i].flags & RELIEF_RES_LENT) ?
			RELIEF_OWN_NEW : RELIEF_OWN_OLD;
	strcpy(p->quals.release, "6.12.0-relief-b");
	p->quals.proto_min = RELIEF_PROTO_VERSION_MIN;
	p->quals.proto_max = RELIEF_PROTO_VERSION_MAX;
	p->quals.features = FSMT_FEATS;
	p->quals.hwdesc_crc = FSMT_CRC;
	p->quals.nr_cpus_seen = FSMT_NR_CPUS;
	p->quals.nr_cpus_up = relief_owner_count(&op->owners, RELIEF_RES_CPU,
						 RELIEF_RES_LENT);
	p->quals.mem_bytes = relief_owner_mem_bytes(&op->owners,
						    RELIEF_RES_LENT);
	p->required = RELIEF_FEAT_PROC_COPY;
	p->t = op->t;
}

struct relief_event fsmt_ev(uint32_t type)
{
	struct relief_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	return ev;
}

struct relief_event fsmt_done(uint32_t act)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_DONE);

	ev.act = act;
	if (act == RELIEF_ACT_DUMP)
		ev.u.image = fsmt_image();
	return ev;
}

struct relief_event fsmt_failed(uint32_t act, uint32_t reason)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_FAILED);

	ev.act = act;
	ev.reason = reason;
	return ev;
}

struct relief_event fsmt_msg(uint32_t sender, uint32_t type)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_MSG);

	ev.u.msg.type = type;
	ev.u.msg.sender = sender;
	ev.u.msg.seq = 1;
	return ev;
}

struct relief_msg_proc_image fsmt_image(void)
{
	struct relief_msg_proc_image img = {
		.phys = 8ULL << 30, .len = 1 << 20, .nr_procs = FSMT_NR_PROCS,
		.crc = 0x1234,
	};

	return img;
}

const struct relief_action *fsmt_find(const struct relief_actions *a,
				      uint32_t type, uint32_t msg_type)
{
	uint32_t i;

	for (i = 0; i < a->nr; i++)
		if (a->a[i].type == type &&
		    (type != RELIEF_ACT_SEND || a->a[i].u.msg.type == msg_type))
			return &a->a[i];
	return NULL;
}

int fsmt_count(const struct relief_actions *a, uint32_t type)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < a->nr; i++)
		n += a->a[i].type == type;
	return n;
}

/* The event that moves OLD one step along the successful path. */
struct relief_event fsmt_old_happy(const struct relief_old_fsm *f,
				   const struct relief_new_plan *np)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_TICK);

	switch (f->c.state) {
	case RELIEF_OLD_STARTING:
		return fsmt_done(RELIEF_ACT_START_NEW);
	case RELIEF_OLD_WAIT_READY:
		ev = fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_READY_TO_RELIEVE);
		ev.u.msg.u.quals = np->quals;
		return ev;
	case RELIEF_OLD_READY_SENT:
		return fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_I_RELIEVE_YOU);
	case RELIEF_OLD_FREEZING:
		return fsmt_done(RELIEF_ACT_FREEZE);
	case RELIEF_OLD_DUMPING:
		return fsmt_done(RELIEF_ACT_DUMP);
	case RELIEF_OLD_RELEASING_DEVICE:
		return fsmt_done(RELIEF_ACT_RELEASE_DEVICE);
	case RELIEF_OLD_PARKING_CPUS:
		return fsmt_done(RELIEF_ACT_PARK_CPUS);
	case RELIEF_OLD_OFFLINING_MEM:
		return fsmt_done(RELIEF_ACT_OFFLINE_MEM);
	case RELIEF_OLD_WAIT_ACK:
		return fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_TRANSFER_ACK);
	default:
		return ev;
	}
}

/*
 * The event that moves NEW one step along the successful path; in
 * RECEIVING, the transfer OLD's plan implies, in OLD's order, chosen by
 * what NEW already holds.
 */
struct relief_event fsmt_new_happy(const struct relief_new_fsm *f,
				   const struct relief_old_plan *op)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_TICK);
	uint32_t i;

	switch (f->c.state) {
	case RELIEF_NEW_WAIT_ANSWER:
		ev = fsmt_msg(RELIEF_ROLE_OLD,
			      RELIEF_MSG_READY_TO_BE_RELIEVED);
		ev.u.msg.u.agreed.proto_version = RELIEF_PROTO_VERSION_MAX;
		ev.u.msg.u.agreed.features = FSMT_FEATS;
		return ev;
	case RELIEF_NEW_COMMITTED:
		ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_PROC_IMAGE);
		ev.u.msg.u.proc_image = fsmt_image();
		return ev;
	case RELIEF_NEW_RECEIVING:
		if (f->c.nr_devices < op->nr_devices) {
			ev = fsmt_msg(RELIEF_ROLE_OLD,
				      RELIEF_MSG_DEVICE_HANDOVER);
			ev.u.msg.u.device.hw_index =
				op->devices[f->c.nr_devices];
			return ev;
		}
		for (i = 0; i < f->owners.nr; i++) {
			const struct relief_res *r = &f->owners.res[i];

			if (r->flags || r->owner != RELIEF_OWN_OLD)
				continue;
			if (r->kind == RELIEF_RES_CPU) {
				ev = fsmt_msg(RELIEF_ROLE_OLD,
					      RELIEF_MSG_CPU_RELEASE);
				ev.u.msg.u.cpus.nr = 1;
				ev.u.msg.u.cpus.hw_ids[0] = r->hw_id;
			} else {
				ev = fsmt_msg(RELIEF_ROLE_OLD,
					      RELIEF_MSG_MEM_RELEASE);
				ev.u.msg.u.mem.base = r->base;
				ev.u.msg.u.mem.size = r->size;
			}
			return ev;
		}
		ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_TRANSFER_DONE);
		ev.u.msg.u.done.nr_procs = FSMT_NR_PROCS;
		ev.u.msg.u.done.nr_devices = op->nr_devices;
		return ev;
	case RELIEF_NEW_BINDING:
		return fsmt_done(RELIEF_ACT_BIND_DEVICE);
	case RELIEF_NEW_RESTORING:
		return fsmt_done(RELIEF_ACT_RESTORE);
	case RELIEF_NEW_ACKED:
		return fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_I_STAND_RELIEVED);
	default:
		return ev;
	}
}
