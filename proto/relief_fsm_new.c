// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_fsm_new.c - the state machine of the relieving kernel (NEW).
 *
 * NEW proposes (READY_TO_RELIEVE), commits (I_RELIEVE_YOU), takes what OLD
 * hands over and acknowledges it (TRANSFER_ACK). If the agreed features
 * hold no way to move processes, the run is a rehearsal: NEW holds its
 * partition, uncommitted, until OLD aborts or the answer deadline passes.
 * From TRANSFER_ACK on it never ends the run by itself: OLD may already
 * have stood relieved, and a NEW that gave up then would leave the machine
 * with no owner. Its table
 * starts as NEW's partition, grows with every CPU_RELEASE and MEM_RELEASE,
 * becomes everything with I_STAND_RELIEVED and nothing on abort or
 * rollback.
 */
#include "relief_fsm.h"

static const char *const new_names[RELIEF_NEW_STATE_COUNT] = {
	[RELIEF_NEW_BOOTING] = "BOOTING",
	[RELIEF_NEW_WAIT_ANSWER] = "WAIT_ANSWER",
	[RELIEF_NEW_HOLDING] = "HOLDING",
	[RELIEF_NEW_COMMITTED] = "COMMITTED",
	[RELIEF_NEW_RECEIVING] = "RECEIVING",
	[RELIEF_NEW_BINDING] = "BINDING",
	[RELIEF_NEW_RESTORING] = "RESTORING",
	[RELIEF_NEW_ACKED] = "ACKED",
	[RELIEF_NEW_ABORTED] = "ABORTED",
	[RELIEF_NEW_ROLLED_BACK] = "ROLLED_BACK",
	[RELIEF_NEW_RELIEVED] = "RELIEVED",
};

/**
 * relief_new_state_name() - name of an enum relief_new_state value.
 * @state: the value
 *
 * Return: the enum name without its RELIEF_NEW_ prefix, "?" if unknown.
 */
const char *relief_new_state_name(uint32_t state)
{
	return state < RELIEF_NEW_STATE_COUNT ? new_names[state] : "?";
}

/**
 * relief_new_init() - a machine in BOOTING, owning nothing yet.
 * @fsm: the machine
 */
void relief_new_init(struct relief_new_fsm *fsm)
{
	*fsm = (struct relief_new_fsm){ .c.state = RELIEF_NEW_BOOTING };
}

/**
 * relief_new_committed() - has NEW sent I_RELIEVE_YOU (and not yet ended)?
 * @fsm: the machine
 *
 * Return: true from COMMITTED to ACKED.
 */
bool relief_new_committed(const struct relief_new_fsm *fsm)
{
	return fsm->c.state >= RELIEF_NEW_COMMITTED &&
	       fsm->c.state <= RELIEF_NEW_ACKED;
}

/**
 * relief_new_terminal() - has the run ended for NEW?
 * @fsm: the machine
 *
 * Return: true in ABORTED, ROLLED_BACK and RELIEVED.
 */
bool relief_new_terminal(const struct relief_new_fsm *fsm)
{
	return fsm->c.state >= RELIEF_NEW_ABORTED;
}

/**
 * relief_new_view_status() - NEW's standing for relief_owner_check_global().
 * @fsm: the machine
 *
 * Return: ABSENT while BOOTING, LEFT after abort or rollback, DONE once
 * relieved, else ACTIVE.
 */
uint32_t relief_new_view_status(const struct relief_new_fsm *fsm)
{
	switch (fsm->c.state) {
	case RELIEF_NEW_BOOTING:
		return RELIEF_VIEW_ABSENT;
	case RELIEF_NEW_ABORTED:
	case RELIEF_NEW_ROLLED_BACK:
		return RELIEF_VIEW_LEFT;
	case RELIEF_NEW_RELIEVED:
		return RELIEF_VIEW_DONE;
	default:
		return RELIEF_VIEW_ACTIVE;
	}
}

/*
 * NEW watches OLD's heartbeat while it depends on OLD to go on, and OLD
 * beats from READY_TO_BE_RELIEVED on: not in WAIT_ANSWER, not in ACKED.
 */
static bool new_watch(uint32_t state)
{
	return state >= RELIEF_NEW_HOLDING && state <= RELIEF_NEW_RESTORING;
}

/* NEW sends heartbeats while OLD waits on it. */
static bool new_beat(uint32_t state)
{
	return state >= RELIEF_NEW_WAIT_ANSWER && state <= RELIEF_NEW_ACKED;
}

/*
 * Leave the run: abort (@commit false) or roll back. NEW gives everything
 * back in the instant it publishes the message, or, if OLD asked (@peer),
 * in the instant it reads OLD's.
 */
static void new_end_why(struct relief_new_fsm *f, struct relief_actions *acts,
			uint32_t reason, bool peer, bool commit,
			const char *text)
{
	if (!peer)
		relief_fsm_send_reason(&f->c, acts, RELIEF_ROLE_NEW,
				       commit ? RELIEF_MSG_ROLLBACK :
				       RELIEF_MSG_ABORT, reason,
				       text ? text : new_names[f->c.state]);
	relief_fsm_push(acts, RELIEF_ACT_HALT);
	relief_fsm_report(acts, commit ? RELIEF_RESULT_ROLLED_BACK :
			  RELIEF_RESULT_ABORTED, reason);
	relief_owner_set_all(&f->owners, RELIEF_OWN_OLD);
	f->c.state = commit ? RELIEF_NEW_ROLLED_BACK : RELIEF_NEW_ABORTED;
	f->c.reason = reason;
	f->c.deadline_ns = 0;
}

/* As new_end_why(), the message saying the state NEW left. */
static void new_end(struct relief_new_fsm *f, struct relief_actions *acts,
		    uint32_t reason, bool peer, bool commit)
{
	new_end_why(f, acts, reason, peer, commit, NULL);
}

/* Abort before commit, roll back after; never called in ACKED. */
static void new_leave(struct relief_new_fsm *f, struct relief_actions *acts,
		      uint32_t reason, bool peer)
{
	new_end(f, acts, reason, peer, relief_new_committed(f));
}

/*
 * Answer a message NEW must not act on. In ACKED, OLD may already have
 * stood relieved, so NEW says so but stays: only OLD can end the run.
 */
static void new_reject(struct relief_new_fsm *f, struct relief_actions *acts,
		       uint32_t reason)
{
	if (f->c.state != RELIEF_NEW_ACKED) {
		new_leave(f, acts, reason, false);
		return;
	}
	relief_fsm_send_reason(&f->c, acts, RELIEF_ROLE_NEW,
			       RELIEF_MSG_ROLLBACK, reason,
			       new_names[f->c.state]);
}

static void new_wait(struct relief_new_fsm *f, uint32_t state, uint64_t now,
		     uint64_t timeout)
{
	f->c.state = state;
	f->c.deadline_ns = relief_fsm_deadline(now, timeout);
}

/* Bind the handed-over devices one by one, then restore the processes. */
static void new_next_bind(struct relief_new_fsm *f,
			  struct relief_actions *acts, uint64_t now)
{
	struct relief_action *a;

	if (f->c.dev_done < f->c.nr_devices) {
		a = relief_fsm_push(acts, RELIEF_ACT_BIND_DEVICE);
		if (a)
			a->u.device.hw_index = f->c.devices[f->c.dev_done];
		new_wait(f, RELIEF_NEW_BINDING, now, f->c.t.step_ns);
		return;
	}
	a = relief_fsm_push(acts, RELIEF_ACT_RESTORE);
	if (a)
		a->u.image = f->c.image;
	new_wait(f, RELIEF_NEW_RESTORING, now, f->c.t.step_ns);
}

/*
 * OLD's CPUs named by a CPU_RELEASE: all known, OLD's, not in the
 * partition, none twice. All or nothing.
 */
static bool new_take_cpus(struct relief_new_fsm *f,
			  const struct relief_msg_cpu_release *c)
{
	uint32_t i, j;
	int idx;

	if (!c->nr || c->nr > RELIEF_CPU_RELEASE_MAX)
		return false;
	for (i = 0; i < c->nr; i++) {
		idx = relief_owner_find_cpu(&f->owners, c->hw_ids[i]);
		if (idx < 0 || f->owners.res[idx].owner != RELIEF_OWN_OLD ||
		    (f->owners.res[idx].flags & RELIEF_RES_LENT))
			return false;
		for (j = 0; j < i; j++)
			if (c->hw_ids[j] == c->hw_ids[i])
				return false;
	}
	for (i = 0; i < c->nr; i++) {
		idx = relief_owner_find_cpu(&f->owners, c->hw_ids[i]);
		f->owners.res[idx].owner = RELIEF_OWN_NEW;
	}
	return true;
}

static bool new_take_mem(struct relief_new_fsm *f,
			 const struct relief_msg_mem_release *m)
{
	int idx = relief_owner_find_mem(&f->owners, m->base, m->size);

	if (idx < 0 || f->owners.res[idx].owner != RELIEF_OWN_OLD ||
	    (f->owners.res[idx].flags & RELIEF_RES_LENT))
		return false;
	f->owners.res[idx].owner = RELIEF_OWN_NEW;
	return true;
}

static bool new_take_device(struct relief_new_fsm *f, uint32_t hw_index)
{
	uint32_t i;

	if (f->c.nr_devices >= RELIEF_FSM_DEV_MAX)
		return false;
	for (i = 0; i < f->c.nr_devices; i++)
		if (f->c.devices[i] == hw_index)
			return false;
	f->c.devices[f->c.nr_devices++] = hw_index;
	return true;
}

/* The transfer: anything but these is UNEXPECTED, malformed BAD_MESSAGE. */
static void new_receive(struct relief_new_fsm *f, const struct relief_msg *m,
			struct relief_actions *acts, uint64_t now)
{
	bool ok = false;

	switch (m->type) {
	case RELIEF_MSG_DEVICE_HANDOVER:
		ok = new_take_device(f, m->u.device.hw_index);
		break;
	case RELIEF_MSG_CPU_RELEASE:
		ok = new_take_cpus(f, &m->u.cpus);
		break;
	case RELIEF_MSG_MEM_RELEASE:
		ok = new_take_mem(f, &m->u.mem);
		break;
	case RELIEF_MSG_TRANSFER_DONE:
		if (m->u.done.nr_procs != f->c.image.nr_procs ||
		    m->u.done.nr_devices != f->c.nr_devices)
			break;
		new_next_bind(f, acts, now);
		return;
	default:
		new_reject(f, acts, RELIEF_REASON_UNEXPECTED);
		return;
	}
	if (!ok) {
		new_leave(f, acts, RELIEF_REASON_BAD_MESSAGE, false);
		return;
	}
	new_wait(f, RELIEF_NEW_RECEIVING, now, f->c.t.transfer_ns);
}

static void new_msg(struct relief_new_fsm *f, const struct relief_msg *m,
		    struct relief_actions *acts, uint64_t now)
{
	uint32_t state = f->c.state;
	int reason;

	if (m->type == RELIEF_MSG_HEARTBEAT)
		return;
	/*
	 * ABORT is legal until OLD has read I_RELIEVE_YOU; in COMMITTED it
	 * crossed ours, and OLD, which never committed, decides: aborted.
	 */
	if (m->type == RELIEF_MSG_ABORT && state <= RELIEF_NEW_COMMITTED) {
		new_end(f, acts, m->u.reason.reason, true, false);
		return;
	}
	if (m->type == RELIEF_MSG_ROLLBACK && relief_new_committed(f)) {
		new_leave(f, acts, m->u.reason.reason, true);
		return;
	}
	if (state == RELIEF_NEW_WAIT_ANSWER &&
	    m->type == RELIEF_MSG_READY_TO_BE_RELIEVED) {
		reason = relief_qualify_check_answer(&f->quals, f->required,
						     &m->u.agreed);
		if (reason) {
			new_leave(f, acts, (uint32_t)reason, false);
			return;
		}
		f->c.agreed = m->u.agreed;
		if (!relief_qualify_can_commit(&f->c.agreed)) {
			/* A rehearsal: wait for OLD to call it off. */
			new_wait(f, RELIEF_NEW_HOLDING, now, f->c.t.answer_ns);
			return;
		}
		relief_fsm_send(&f->c, acts, RELIEF_ROLE_NEW,
				RELIEF_MSG_I_RELIEVE_YOU);
		new_wait(f, RELIEF_NEW_COMMITTED, now, f->c.t.transfer_ns);
		return;
	}
	if (state == RELIEF_NEW_COMMITTED &&
	    m->type == RELIEF_MSG_PROC_IMAGE) {
		f->c.image = m->u.proc_image;
		new_wait(f, RELIEF_NEW_RECEIVING, now, f->c.t.transfer_ns);
		return;
	}
	if (state == RELIEF_NEW_RECEIVING) {
		new_receive(f, m, acts, now);
		return;
	}
	if (state == RELIEF_NEW_ACKED &&
	    m->type == RELIEF_MSG_I_STAND_RELIEVED) {
		relief_owner_set_all(&f->owners, RELIEF_OWN_NEW);
		relief_fsm_push(acts, RELIEF_ACT_ONLINE);
		relief_fsm_report(acts, RELIEF_RESULT_DONE, RELIEF_REASON_NONE);
		f->c.state = RELIEF_NEW_RELIEVED;
		f->c.deadline_ns = 0;
		return;
	}
	new_reject(f, acts, RELIEF_REASON_UNEXPECTED);
}

/* LENT entries NEW's, every other OLD's; a complete, usable plan. */
static bool new_plan_ok(const struct relief_new_plan *p)
{
	const struct relief_owner_table *t = &p->owners;
	uint32_t i;
	uint8_t want;

	if (relief_owner_check(t, NULL) != RELIEF_OWNER_OK)
		return false;
	for (i = 0; i < t->nr; i++) {
		want = (t->res[i].flags & RELIEF_RES_LENT) ? RELIEF_OWN_NEW :
			RELIEF_OWN_OLD;
		if (t->res[i].owner != want)
			return false;
	}
	return relief_owner_count(t, RELIEF_RES_CPU, RELIEF_RES_LENT) &&
	       p->quals.proto_min <= p->quals.proto_max &&
	       p->t.answer_ns && p->t.step_ns && p->t.transfer_ns;
}

static int new_start(struct relief_new_fsm *f, const struct relief_new_plan *p,
		     struct relief_actions *acts, uint64_t now)
{
	struct relief_msg *m;

	if (!p || !new_plan_ok(p))
		return RELIEF_STEP_EINVAL;
	f->owners = p->owners;
	f->quals = p->quals;
	f->required = p->required;
	f->c.t = p->t;
	f->c.last_rx_ns = now;
	f->c.next_hb_ns = relief_fsm_deadline(now, p->t.hb_period_ns);
	m = relief_fsm_send(&f->c, acts, RELIEF_ROLE_NEW,
			    RELIEF_MSG_READY_TO_RELIEVE);
	if (m)
		m->u.quals = p->quals;
	new_wait(f, RELIEF_NEW_WAIT_ANSWER, now, p->t.answer_ns);
	return RELIEF_STEP_OK;
}

static bool new_event_ok(const struct relief_new_fsm *f,
			 const struct relief_event *ev)
{
	switch (ev->type) {
	case RELIEF_EV_START:
		return f->c.state == RELIEF_NEW_BOOTING;
	case RELIEF_EV_DONE:
	case RELIEF_EV_FAILED:
		return (f->c.state == RELIEF_NEW_BINDING &&
			ev->act == RELIEF_ACT_BIND_DEVICE) ||
		       (f->c.state == RELIEF_NEW_RESTORING &&
			ev->act == RELIEF_ACT_RESTORE);
	case RELIEF_EV_MSG:
	case RELIEF_EV_TICK:
	case RELIEF_EV_ABORT:
		return true;
	default:
		return false;
	}
}

static bool new_msg_valid(const struct relief_msg *m)
{
	return m->sender == RELIEF_ROLE_OLD && m->type > RELIEF_MSG_NONE &&
	       m->type < RELIEF_MSG_TYPE_COUNT;
}

/**
 * relief_new_step() - NEW's transition function.
 * @cur: the current state (not modified; may equal @next)
 * @ev: what happened
 * @now_ns: the caller's clock, monotonic
 * @next: where the next state is written (always, even on error)
 * @acts: where the actions are written, to be performed in order (always)
 *
 * As relief_old_step(). In ACKED, NEW has no deadline, does not watch the
 * heartbeat and ignores a local abort: only OLD can end the run there.
 *
 * Return: RELIEF_STEP_OK, RELIEF_STEP_IGNORED or RELIEF_STEP_EINVAL.
 */
int relief_new_step(const struct relief_new_fsm *cur,
		    const struct relief_event *ev, uint64_t now_ns,
		    struct relief_new_fsm *next, struct relief_actions *acts)
{
	struct relief_new_fsm *f = next;
	uint32_t reason;
	int rc = RELIEF_STEP_OK;

	if (next != cur)
		*next = *cur;
	acts->nr = 0;
	acts->pad = 0;
	if (f->c.state >= RELIEF_NEW_STATE_COUNT || !ev)
		return RELIEF_STEP_EINVAL;
	if (relief_new_terminal(f))
		return RELIEF_STEP_IGNORED;
	if (!new_event_ok(f, ev))
		return RELIEF_STEP_EINVAL;
	if (ev->type == RELIEF_EV_START)
		return new_start(f, ev->u.new_plan, acts, now_ns);

	if (ev->type == RELIEF_EV_MSG)
		f->c.last_rx_ns = now_ns;
	if (f->c.deadline_ns && now_ns >= f->c.deadline_ns) {
		new_leave(f, acts, RELIEF_REASON_TIMEOUT, false);
		return RELIEF_STEP_OK;
	}
	if (new_watch(f->c.state) && f->c.t.hb_timeout_ns &&
	    now_ns - f->c.last_rx_ns >= f->c.t.hb_timeout_ns) {
		new_leave(f, acts, RELIEF_REASON_PEER_DEAD, false);
		return RELIEF_STEP_OK;
	}

	switch (ev->type) {
	case RELIEF_EV_TICK:
		rc = RELIEF_STEP_IGNORED;
		break;
	case RELIEF_EV_ABORT:
		if (f->c.state == RELIEF_NEW_ACKED) {
			rc = RELIEF_STEP_IGNORED;
			break;
		}
		new_end_why(f, acts, ev->reason ? ev->reason :
			    RELIEF_REASON_OPERATOR, false,
			    relief_new_committed(f), ev->u.text);
		break;
	case RELIEF_EV_DONE:
		if (f->c.state == RELIEF_NEW_BINDING) {
			f->c.dev_done++;
			new_next_bind(f, acts, now_ns);
			break;
		}
		relief_fsm_send(&f->c, acts, RELIEF_ROLE_NEW,
				RELIEF_MSG_TRANSFER_ACK);
		f->c.state = RELIEF_NEW_ACKED;
		f->c.deadline_ns = 0;
		break;
	case RELIEF_EV_FAILED:
		reason = ev->reason ? ev->reason :
			 f->c.state == RELIEF_NEW_BINDING ?
			 RELIEF_REASON_DEVICE_FAILED :
			 RELIEF_REASON_RESTORE_FAILED;
		new_leave(f, acts, reason, false);
		break;
	default: /* RELIEF_EV_MSG */
		if (!new_msg_valid(&ev->u.msg))
			new_reject(f, acts, RELIEF_REASON_BAD_MESSAGE);
		else
			new_msg(f, &ev->u.msg, acts, now_ns);
		break;
	}
	if (new_beat(f->c.state))
		relief_fsm_heartbeat(&f->c, acts, RELIEF_ROLE_NEW, now_ns);
	if (acts->nr)
		rc = RELIEF_STEP_OK;
	return rc;
}
