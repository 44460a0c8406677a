// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_fsm_old.c - the state machine of the kernel being relieved (OLD).
 *
 * OLD is the authority of every run: it lends the partition, judges NEW's
 * qualifications, decides every abort and rollback it sees by stopping NEW
 * outright, and ends the run for good with I_STAND_RELIEVED. Its ownership
 * table changes only here: LENT entries go to NEW with START_NEW,
 * transfer-time entries one batch at a time as their CPU_RELEASE or
 * MEM_RELEASE is sent, everything else with I_STAND_RELIEVED; an abort or
 * a rollback gives everything back to OLD in the same step.
 */
#include "relief_fsm.h"

static const char *const old_names[RELIEF_OLD_STATE_COUNT] = {
	[RELIEF_OLD_IDLE] = "IDLE",
	[RELIEF_OLD_STARTING] = "STARTING",
	[RELIEF_OLD_WAIT_READY] = "WAIT_READY",
	[RELIEF_OLD_READY_SENT] = "READY_SENT",
	[RELIEF_OLD_FREEZING] = "FREEZING",
	[RELIEF_OLD_DUMPING] = "DUMPING",
	[RELIEF_OLD_RELEASING_DEVICE] = "RELEASING_DEVICE",
	[RELIEF_OLD_PARKING_CPUS] = "PARKING_CPUS",
	[RELIEF_OLD_OFFLINING_MEM] = "OFFLINING_MEM",
	[RELIEF_OLD_WAIT_ACK] = "WAIT_ACK",
	[RELIEF_OLD_ABORTED] = "ABORTED",
	[RELIEF_OLD_ROLLED_BACK] = "ROLLED_BACK",
	[RELIEF_OLD_STOOD_RELIEVED] = "STOOD_RELIEVED",
};

/* The local action each waiting-on-self state waits for. */
static const uint8_t old_pending[RELIEF_OLD_STATE_COUNT] = {
	[RELIEF_OLD_STARTING] = RELIEF_ACT_START_NEW,
	[RELIEF_OLD_FREEZING] = RELIEF_ACT_FREEZE,
	[RELIEF_OLD_DUMPING] = RELIEF_ACT_DUMP,
	[RELIEF_OLD_RELEASING_DEVICE] = RELIEF_ACT_RELEASE_DEVICE,
	[RELIEF_OLD_PARKING_CPUS] = RELIEF_ACT_PARK_CPUS,
	[RELIEF_OLD_OFFLINING_MEM] = RELIEF_ACT_OFFLINE_MEM,
};

/* The reason a failed local action rolls back with, if it gave none. */
static const uint8_t old_fail_reason[RELIEF_OLD_STATE_COUNT] = {
	[RELIEF_OLD_STARTING] = RELIEF_REASON_INTERNAL,
	[RELIEF_OLD_FREEZING] = RELIEF_REASON_DUMP_FAILED,
	[RELIEF_OLD_DUMPING] = RELIEF_REASON_DUMP_FAILED,
	[RELIEF_OLD_RELEASING_DEVICE] = RELIEF_REASON_DEVICE_FAILED,
	[RELIEF_OLD_PARKING_CPUS] = RELIEF_REASON_INTERNAL,
	[RELIEF_OLD_OFFLINING_MEM] = RELIEF_REASON_INTERNAL,
};

/**
 * relief_old_state_name() - name of an enum relief_old_state value.
 * @state: the value
 *
 * Return: the enum name without its RELIEF_OLD_ prefix, "?" if unknown.
 */
const char *relief_old_state_name(uint32_t state)
{
	return state < RELIEF_OLD_STATE_COUNT ? old_names[state] : "?";
}

/**
 * relief_old_init() - a machine in IDLE, owning nothing yet.
 * @fsm: the machine
 */
void relief_old_init(struct relief_old_fsm *fsm)
{
	*fsm = (struct relief_old_fsm){ .c.state = RELIEF_OLD_IDLE };
	fsm->offlining = -1;
}

/**
 * relief_old_committed() - has OLD read I_RELIEVE_YOU (and not yet ended)?
 * @fsm: the machine
 *
 * Return: true from FREEZING to WAIT_ACK: failures now roll back.
 */
bool relief_old_committed(const struct relief_old_fsm *fsm)
{
	return fsm->c.state >= RELIEF_OLD_FREEZING &&
	       fsm->c.state <= RELIEF_OLD_WAIT_ACK;
}

/**
 * relief_old_terminal() - has the run ended for OLD?
 * @fsm: the machine
 *
 * Return: true in ABORTED, ROLLED_BACK and STOOD_RELIEVED.
 */
bool relief_old_terminal(const struct relief_old_fsm *fsm)
{
	return fsm->c.state >= RELIEF_OLD_ABORTED;
}

/**
 * relief_old_view_status() - OLD's standing for relief_owner_check_global().
 * @fsm: the machine
 *
 * Return: LEFT after abort or rollback, DONE once stood relieved, else
 * ACTIVE.
 */
uint32_t relief_old_view_status(const struct relief_old_fsm *fsm)
{
	if (fsm->c.state == RELIEF_OLD_STOOD_RELIEVED)
		return RELIEF_VIEW_DONE;
	if (relief_old_terminal(fsm))
		return RELIEF_VIEW_LEFT;
	return RELIEF_VIEW_ACTIVE;
}

/* States in which NEW talks to OLD: heartbeats both ways. */
static bool old_live(uint32_t state)
{
	return state >= RELIEF_OLD_READY_SENT && state <= RELIEF_OLD_WAIT_ACK;
}

/*
 * Leave the run: abort before commit, roll back after. Everything goes back
 * to OLD in this very step; STOP_NEW makes it true for NEW's CPUs. @peer:
 * the peer asked for it, so there is no one to tell.
 */
static void old_leave(struct relief_old_fsm *f, struct relief_actions *acts,
		      uint32_t reason, bool peer)
{
	bool commit = relief_old_committed(f);
	uint32_t state = f->c.state;
	uint32_t devs = f->c.dev_done;

	if (state == RELIEF_OLD_RELEASING_DEVICE)
		devs++;	/* half released: take it back too */
	if (state != RELIEF_OLD_IDLE) {
		if (!peer)
			relief_fsm_send_reason(&f->c, acts, RELIEF_ROLE_OLD,
					       commit ? RELIEF_MSG_ROLLBACK :
					       RELIEF_MSG_ABORT, reason,
					       old_names[state]);
		relief_fsm_push(acts, RELIEF_ACT_STOP_NEW);
	}
	if (devs) {
		struct relief_action *a;

		a = relief_fsm_push(acts, RELIEF_ACT_RETAKE_DEVICES);
		if (a)
			a->u.count = devs;
	}
	if (f->parked)
		relief_fsm_push(acts, RELIEF_ACT_ONLINE);
	if (f->frozen)
		relief_fsm_push(acts, RELIEF_ACT_THAW);
	relief_fsm_report(acts, commit ? RELIEF_RESULT_ROLLED_BACK :
			  RELIEF_RESULT_ABORTED, reason);
	relief_owner_set_all(&f->owners, RELIEF_OWN_OLD);
	f->c.state = commit ? RELIEF_OLD_ROLLED_BACK : RELIEF_OLD_ABORTED;
	f->c.reason = reason;
	f->c.deadline_ns = 0;
	f->frozen = 0;
	f->parked = 0;
	f->offlining = -1;
}

static void old_wait(struct relief_old_fsm *f, uint32_t state, uint64_t now,
		     uint64_t timeout)
{
	f->c.state = state;
	f->c.deadline_ns = relief_fsm_deadline(now, timeout);
}

/* Transfer-time memory, one range at a time; then TRANSFER_DONE. */
static void old_next_mem(struct relief_old_fsm *f, struct relief_actions *acts,
			 uint64_t now)
{
	struct relief_action *a;
	struct relief_msg *m;
	uint32_t i;

	for (i = 0; i < f->owners.nr; i++) {
		const struct relief_res *r = &f->owners.res[i];

		if (r->kind != RELIEF_RES_MEM || r->flags ||
		    r->owner != RELIEF_OWN_OLD)
			continue;
		a = relief_fsm_push(acts, RELIEF_ACT_OFFLINE_MEM);
		if (a) {
			a->u.mem.base = r->base;
			a->u.mem.size = r->size;
		}
		f->offlining = (int32_t)i;
		f->parked = 1;
		old_wait(f, RELIEF_OLD_OFFLINING_MEM, now, f->c.t.step_ns);
		return;
	}
	m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
			    RELIEF_MSG_TRANSFER_DONE);
	if (m) {
		m->u.done.nr_procs = f->c.image.nr_procs;
		m->u.done.nr_devices = f->c.nr_devices;
	}
	old_wait(f, RELIEF_OLD_WAIT_ACK, now, f->c.t.transfer_ns);
}

/* Transfer-time CPUs, up to one CPU_RELEASE worth at a time. */
static void old_next_cpus(struct relief_old_fsm *f,
			  struct relief_actions *acts, uint64_t now)
{
	struct relief_msg_cpu_release *b = &f->parking;
	struct relief_action *a;
	uint32_t i;

	*b = (struct relief_msg_cpu_release){ 0 };
	for (i = 0; i < f->owners.nr && b->nr < RELIEF_CPU_RELEASE_MAX; i++) {
		const struct relief_res *r = &f->owners.res[i];

		if (r->kind == RELIEF_RES_CPU && !r->flags &&
		    r->owner == RELIEF_OWN_OLD)
			b->hw_ids[b->nr++] = r->hw_id;
	}
	if (!b->nr) {
		old_next_mem(f, acts, now);
		return;
	}
	a = relief_fsm_push(acts, RELIEF_ACT_PARK_CPUS);
	if (a)
		a->u.cpus = *b;
	f->parked = 1;
	old_wait(f, RELIEF_OLD_PARKING_CPUS, now, f->c.t.step_ns);
}

/* Devices one at a time, then CPUs. */
static void old_next_device(struct relief_old_fsm *f,
			    struct relief_actions *acts, uint64_t now)
{
	struct relief_action *a;

	if (f->c.dev_done >= f->c.nr_devices) {
		old_next_cpus(f, acts, now);
		return;
	}
	a = relief_fsm_push(acts, RELIEF_ACT_RELEASE_DEVICE);
	if (a)
		a->u.device.hw_index = f->c.devices[f->c.dev_done];
	old_wait(f, RELIEF_OLD_RELEASING_DEVICE, now, f->c.t.step_ns);
}

/* The local action pending in the current state has completed. */
static void old_done(struct relief_old_fsm *f, const struct relief_event *ev,
		     struct relief_actions *acts, uint64_t now)
{
	struct relief_msg *m;
	uint32_t i;
	int idx;

	switch (f->c.state) {
	case RELIEF_OLD_STARTING:
		/* The boot deadline keeps running: it covers the boot. */
		f->c.state = RELIEF_OLD_WAIT_READY;
		break;
	case RELIEF_OLD_FREEZING:
		relief_fsm_push(acts, RELIEF_ACT_DUMP);
		old_wait(f, RELIEF_OLD_DUMPING, now, f->c.t.step_ns);
		break;
	case RELIEF_OLD_DUMPING:
		f->c.image = ev->u.image;
		m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				    RELIEF_MSG_PROC_IMAGE);
		if (m)
			m->u.proc_image = ev->u.image;
		old_next_device(f, acts, now);
		break;
	case RELIEF_OLD_RELEASING_DEVICE:
		m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				    RELIEF_MSG_DEVICE_HANDOVER);
		if (m)
			m->u.device.hw_index = f->c.devices[f->c.dev_done];
		f->c.dev_done++;
		old_next_device(f, acts, now);
		break;
	case RELIEF_OLD_PARKING_CPUS:
		/* NEW's from the instant the release is published. */
		for (i = 0; i < f->parking.nr; i++) {
			idx = relief_owner_find_cpu(&f->owners,
						    f->parking.hw_ids[i]);
			f->owners.res[idx].owner = RELIEF_OWN_NEW;
		}
		m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				    RELIEF_MSG_CPU_RELEASE);
		if (m)
			m->u.cpus = f->parking;
		old_next_cpus(f, acts, now);
		break;
	default: /* RELIEF_OLD_OFFLINING_MEM */
		idx = f->offlining;
		f->owners.res[idx].owner = RELIEF_OWN_NEW;
		m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				    RELIEF_MSG_MEM_RELEASE);
		if (m) {
			m->u.mem.base = f->owners.res[idx].base;
			m->u.mem.size = f->owners.res[idx].size;
		}
		f->offlining = -1;
		old_next_mem(f, acts, now);
		break;
	}
}

/* A message from NEW; anything not listed for the state is UNEXPECTED. */
static void old_msg(struct relief_old_fsm *f, const struct relief_msg *m,
		    struct relief_actions *acts, uint64_t now)
{
	struct relief_msg *out;
	struct relief_msg_agreed agreed = { 0 };
	uint32_t state = f->c.state;
	int reason;

	if (m->type == RELIEF_MSG_HEARTBEAT)
		return;
	if (m->type == RELIEF_MSG_ABORT && !relief_old_committed(f)) {
		old_leave(f, acts, m->u.reason.reason, true);
		return;
	}
	if (m->type == RELIEF_MSG_ROLLBACK && relief_old_committed(f)) {
		old_leave(f, acts, m->u.reason.reason, true);
		return;
	}
	if (state == RELIEF_OLD_WAIT_READY &&
	    m->type == RELIEF_MSG_READY_TO_RELIEVE) {
		reason = relief_qualify_check(&f->expect, &m->u.quals, &agreed);
		if (reason) {
			old_leave(f, acts, (uint32_t)reason, false);
			return;
		}
		/* A rehearsal judges NEW in full, then moves nothing. */
		if (f->rehearsal)
			agreed.features &= ~RELIEF_QUALIFY_TRANSFER;
		f->c.agreed = agreed;
		out = relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				      RELIEF_MSG_READY_TO_BE_RELIEVED);
		if (out)
			out->u.agreed = agreed;
		f->c.next_hb_ns = relief_fsm_deadline(now, f->c.t.hb_period_ns);
		old_wait(f, RELIEF_OLD_READY_SENT, now, f->c.t.answer_ns);
		return;
	}
	/* Nothing agreed to move processes with: the run must not commit. */
	if (state == RELIEF_OLD_READY_SENT &&
	    m->type == RELIEF_MSG_I_RELIEVE_YOU &&
	    relief_qualify_can_commit(&f->c.agreed)) {
		/* The commit point. */
		relief_fsm_push(acts, RELIEF_ACT_FREEZE);
		f->frozen = 1;
		old_wait(f, RELIEF_OLD_FREEZING, now, f->c.t.step_ns);
		return;
	}
	if (state == RELIEF_OLD_WAIT_ACK &&
	    m->type == RELIEF_MSG_TRANSFER_ACK) {
		/* NEW restored everything: the rest is NEW's, for good. */
		relief_owner_set_all(&f->owners, RELIEF_OWN_NEW);
		relief_fsm_report(acts, RELIEF_RESULT_DONE, RELIEF_REASON_NONE);
		relief_fsm_send(&f->c, acts, RELIEF_ROLE_OLD,
				RELIEF_MSG_I_STAND_RELIEVED);
		relief_fsm_push(acts, RELIEF_ACT_PARK_SELF);
		f->c.state = RELIEF_OLD_STOOD_RELIEVED;
		f->c.deadline_ns = 0;
		f->frozen = 0;
		f->parked = 0;
		return;
	}
	old_leave(f, acts, RELIEF_REASON_UNEXPECTED, false);
}

/* The plan must be complete and consistent before anything is lent. */
static bool old_plan_ok(const struct relief_old_plan *p)
{
	const struct relief_owner_table *t = &p->owners;
	uint32_t i;

	if (relief_owner_check(t, NULL) != RELIEF_OWNER_OK)
		return false;
	for (i = 0; i < t->nr; i++)
		if (t->res[i].owner != RELIEF_OWN_OLD)
			return false;
	return relief_owner_count(t, RELIEF_RES_CPU, RELIEF_RES_LENT) &&
	       relief_owner_count(t, RELIEF_RES_CPU, RELIEF_RES_KEEP) &&
	       p->nr_devices <= RELIEF_FSM_DEV_MAX &&
	       !(p->flags & ~RELIEF_PLAN_FLAGS) &&
	       p->expect.proto_min <= p->expect.proto_max &&
	       p->t.boot_ns && p->t.answer_ns && p->t.step_ns &&
	       p->t.transfer_ns;
}

static int old_start(struct relief_old_fsm *f, const struct relief_old_plan *p,
		     struct relief_actions *acts, uint64_t now)
{
	uint32_t i;

	if (!p || !old_plan_ok(p))
		return RELIEF_STEP_EINVAL;
	f->owners = p->owners;
	f->expect = p->expect;
	f->expect.nr_cpus_lent = relief_owner_count(&p->owners, RELIEF_RES_CPU,
						    RELIEF_RES_LENT);
	f->expect.mem_bytes_lent = relief_owner_mem_bytes(&p->owners,
							  RELIEF_RES_LENT);
	f->c.nr_devices = p->nr_devices;
	for (i = 0; i < p->nr_devices; i++)
		f->c.devices[i] = p->devices[i];
	f->c.t = p->t;
	f->c.last_rx_ns = now;
	f->rehearsal = !!(p->flags & RELIEF_PLAN_REHEARSAL);
	/* The partition is NEW's from the instant NEW is started on it. */
	relief_owner_set_flagged(&f->owners, RELIEF_RES_LENT, RELIEF_OWN_NEW);
	relief_fsm_push(acts, RELIEF_ACT_START_NEW);
	old_wait(f, RELIEF_OLD_STARTING, now, p->t.boot_ns);
	return RELIEF_STEP_OK;
}

/* Caller errors: change nothing, ask for nothing. */
static bool old_event_ok(const struct relief_old_fsm *f,
			 const struct relief_event *ev)
{
	switch (ev->type) {
	case RELIEF_EV_START:
		return f->c.state == RELIEF_OLD_IDLE;
	case RELIEF_EV_DONE:
	case RELIEF_EV_FAILED:
		return old_pending[f->c.state] &&
		       ev->act == old_pending[f->c.state];
	case RELIEF_EV_MSG:
	case RELIEF_EV_TICK:
	case RELIEF_EV_ABORT:
		return true;
	default:
		return false;
	}
}

static bool old_msg_valid(const struct relief_msg *m)
{
	return m->sender == RELIEF_ROLE_NEW && m->type > RELIEF_MSG_NONE &&
	       m->type < RELIEF_MSG_TYPE_COUNT;
}

/**
 * relief_old_step() - OLD's transition function.
 * @cur: the current state (not modified; may equal @next)
 * @ev: what happened
 * @now_ns: the caller's clock, monotonic
 * @next: where the next state is written (always, even on error)
 * @acts: where the actions are written, to be performed in order (always)
 *
 * In a terminal state every event is ignored. Otherwise, an event at or
 * after the state's deadline fires the deadline instead (abort or rollback
 * with TIMEOUT) and is not acted upon; likewise a peer silent for
 * hb_timeout_ns in a live state (PEER_DEAD). A HEARTBEAT is appended when
 * one is due.
 *
 * Return: RELIEF_STEP_OK, RELIEF_STEP_IGNORED (nothing changed but maybe
 * the time the peer was last heard), or RELIEF_STEP_EINVAL (an event the
 * caller must not give in this state: nothing changed).
 */
int relief_old_step(const struct relief_old_fsm *cur,
		    const struct relief_event *ev, uint64_t now_ns,
		    struct relief_old_fsm *next, struct relief_actions *acts)
{
	struct relief_old_fsm *f = next;
	uint32_t reason;
	int rc = RELIEF_STEP_OK;

	if (next != cur)
		*next = *cur;
	acts->nr = 0;
	acts->pad = 0;
	if (f->c.state >= RELIEF_OLD_STATE_COUNT || !ev)
		return RELIEF_STEP_EINVAL;
	if (relief_old_terminal(f))
		return RELIEF_STEP_IGNORED;
	if (!old_event_ok(f, ev))
		return RELIEF_STEP_EINVAL;
	if (ev->type == RELIEF_EV_START)
		return old_start(f, ev->u.old_plan, acts, now_ns);
	if (f->c.state == RELIEF_OLD_IDLE) {
		/* Nothing lent yet: only an abort means anything. */
		if (ev->type != RELIEF_EV_ABORT)
			return RELIEF_STEP_IGNORED;
		old_leave(f, acts, ev->reason ? ev->reason :
			  RELIEF_REASON_OPERATOR, true);
		return RELIEF_STEP_OK;
	}

	if (ev->type == RELIEF_EV_MSG)
		f->c.last_rx_ns = now_ns;
	if (f->c.deadline_ns && now_ns >= f->c.deadline_ns) {
		old_leave(f, acts, RELIEF_REASON_TIMEOUT, false);
		return RELIEF_STEP_OK;
	}
	if (old_live(f->c.state) && f->c.t.hb_timeout_ns &&
	    now_ns - f->c.last_rx_ns >= f->c.t.hb_timeout_ns) {
		old_leave(f, acts, RELIEF_REASON_PEER_DEAD, false);
		return RELIEF_STEP_OK;
	}

	switch (ev->type) {
	case RELIEF_EV_TICK:
		rc = RELIEF_STEP_IGNORED;
		break;
	case RELIEF_EV_ABORT:
		old_leave(f, acts, ev->reason ? ev->reason :
			  RELIEF_REASON_OPERATOR, false);
		break;
	case RELIEF_EV_DONE:
		old_done(f, ev, acts, now_ns);
		break;
	case RELIEF_EV_FAILED:
		reason = ev->reason ? ev->reason :
			 old_fail_reason[f->c.state];
		old_leave(f, acts, reason, false);
		break;
	default: /* RELIEF_EV_MSG */
		if (!old_msg_valid(&ev->u.msg))
			old_leave(f, acts, RELIEF_REASON_BAD_MESSAGE, false);
		else
			old_msg(f, &ev->u.msg, acts, now_ns);
		break;
	}
	if (old_live(f->c.state))
		relief_fsm_heartbeat(&f->c, acts, RELIEF_ROLE_OLD, now_ns);
	if (acts->nr)
		rc = RELIEF_STEP_OK;
	return rc;
}
