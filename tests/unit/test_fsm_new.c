// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fsm_new.c - NEW's state machine: every transition, every abort and
 * rollback path, deadlines, unexpected and malformed messages, the
 * rehearsal's HOLDING and every way out of it; ownership after each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fsm.h"

struct nfx {
	struct relief_old_plan op;
	struct relief_new_plan plan;
	struct relief_new_fsm f;
	struct relief_actions acts;
	uint64_t now;
};

/* Steps of the successful path, START .. I_STAND_RELIEVED. */
#define NEW_PATH 15

static bool new_pre_commit(uint32_t s)
{
	return s <= RELIEF_NEW_HOLDING;
}

static void check_owners(const struct relief_new_fsm *f)
{
	uint32_t s = f->c.state, i;

	assert_int_equal(relief_owner_check(&f->owners, NULL), RELIEF_OWNER_OK);
	if (s == RELIEF_NEW_BOOTING)
		assert_int_equal(f->owners.nr, 0);
	for (i = 0; i < f->owners.nr; i++) {
		const struct relief_res *r = &f->owners.res[i];
		uint8_t o = r->owner;

		if (s == RELIEF_NEW_ABORTED || s == RELIEF_NEW_ROLLED_BACK)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (s == RELIEF_NEW_RELIEVED)
			assert_int_equal(o, RELIEF_OWN_NEW);
		else if (r->flags & RELIEF_RES_LENT)
			assert_int_equal(o, RELIEF_OWN_NEW);
		else if (r->flags & RELIEF_RES_KEEP)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (s < RELIEF_NEW_RECEIVING)
			assert_int_equal(o, RELIEF_OWN_OLD);
	}
}

static int step(struct nfx *x, struct relief_event ev)
{
	int rc = relief_new_step(&x->f, &ev, x->now, &x->f, &x->acts);

	check_owners(&x->f);
	return rc;
}

static void drive(struct nfx *x, int n)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);

	relief_new_init(&x->f);
	x->now = FSMT_T0;
	ev.u.new_plan = &x->plan;
	if (n-- > 0)
		assert_int_equal(step(x, ev), RELIEF_STEP_OK);
	while (n-- > 0) {
		x->now += FSMT_MS;
		assert_int_equal(step(x, fsmt_new_happy(&x->f, &x->op)),
				 RELIEF_STEP_OK);
	}
}

static int setup(void **state)
{
	struct nfx *x = calloc(1, sizeof(*x));

	fsmt_old_plan(&x->op);
	fsmt_new_plan(&x->plan, &x->op);
	relief_new_init(&x->f);
	x->now = FSMT_T0;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void expect_einval(struct nfx *x, const struct relief_event *ev);

static const struct relief_msg *sent(const struct nfx *x, uint32_t type)
{
	const struct relief_action *a = fsmt_find(&x->acts, RELIEF_ACT_SEND,
						  type);

	return a ? &a->u.msg : NULL;
}

static void test_names(void **state)
{
	uint32_t i, j;

	(void)state;
	for (i = 0; i < RELIEF_NEW_STATE_COUNT; i++) {
		assert_string_not_equal(relief_new_state_name(i), "?");
		for (j = 0; j < i; j++)
			assert_string_not_equal(relief_new_state_name(i),
						relief_new_state_name(j));
	}
	assert_string_equal(relief_new_state_name(RELIEF_NEW_ACKED), "ACKED");
	assert_string_equal(relief_new_state_name(99), "?");
}

static void test_happy_path(void **state)
{
	struct nfx *x = *state;
	const struct relief_msg *m;
	int i;

	drive(x, 0);
	assert_int_equal(relief_new_view_status(&x->f), RELIEF_VIEW_ABSENT);
	drive(x, 1);
	assert_int_equal(x->f.c.state, RELIEF_NEW_WAIT_ANSWER);
	assert_int_equal(relief_new_view_status(&x->f), RELIEF_VIEW_ACTIVE);
	m = sent(x, RELIEF_MSG_READY_TO_RELIEVE);
	assert_non_null(m);
	assert_int_equal(m->sender, RELIEF_ROLE_NEW);
	assert_int_equal(m->seq, 1);
	assert_string_equal(m->u.quals.release, "6.12.0-relief-b");
	assert_int_equal(m->u.quals.nr_cpus_up, 4);
	assert_int_equal(x->f.c.deadline_ns, FSMT_T0 + x->plan.t.answer_ns);

	x->now += FSMT_MS;
	step(x, fsmt_new_happy(&x->f, &x->op));
	assert_int_equal(x->f.c.state, RELIEF_NEW_COMMITTED);
	assert_true(relief_new_committed(&x->f));
	m = sent(x, RELIEF_MSG_I_RELIEVE_YOU);
	assert_non_null(m);
	assert_int_equal(m->seq, 2);
	assert_int_equal(x->f.c.agreed.features, FSMT_FEATS);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.transfer_ns);

	x->now += FSMT_MS;
	step(x, fsmt_new_happy(&x->f, &x->op));
	assert_int_equal(x->f.c.state, RELIEF_NEW_RECEIVING);
	assert_int_equal(x->acts.nr, 0);
	assert_int_equal(x->f.c.image.nr_procs, FSMT_NR_PROCS);

	/* Devices, CPUs, memory: each renews the transfer deadline. */
	for (i = 0; i < 7; i++) {
		x->now += FSMT_MS;
		step(x, fsmt_new_happy(&x->f, &x->op));
		assert_int_equal(x->f.c.state, RELIEF_NEW_RECEIVING);
		assert_int_equal(x->acts.nr, 0);
		assert_int_equal(x->f.c.deadline_ns,
				 x->now + x->plan.t.transfer_ns);
	}
	assert_int_equal(x->f.c.nr_devices, 2);
	for (i = 1; i < 4; i++)
		assert_int_equal(x->f.owners.res[i].owner, RELIEF_OWN_NEW);
	assert_int_equal(x->f.owners.res[9].owner, RELIEF_OWN_NEW);
	assert_int_equal(x->f.owners.res[8].owner, RELIEF_OWN_OLD);

	x->now += FSMT_MS;
	step(x, fsmt_new_happy(&x->f, &x->op));	/* TRANSFER_DONE */
	assert_int_equal(x->f.c.state, RELIEF_NEW_BINDING);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_BIND_DEVICE);
	assert_int_equal(x->acts.a[0].u.device.hw_index, 3);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.step_ns);
	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_BIND_DEVICE));
	assert_int_equal(x->acts.a[0].u.device.hw_index, 7);
	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_BIND_DEVICE));
	assert_int_equal(x->f.c.state, RELIEF_NEW_RESTORING);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_RESTORE);
	assert_int_equal(x->acts.a[0].u.image.phys, fsmt_image().phys);

	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_RESTORE));
	assert_int_equal(x->f.c.state, RELIEF_NEW_ACKED);
	m = sent(x, RELIEF_MSG_TRANSFER_ACK);
	assert_non_null(m);
	assert_int_equal(m->seq, 3);
	assert_int_equal(x->f.c.deadline_ns, 0);

	x->now += FSMT_MS;
	step(x, fsmt_new_happy(&x->f, &x->op));
	assert_int_equal(x->f.c.state, RELIEF_NEW_RELIEVED);
	assert_true(relief_new_terminal(&x->f));
	assert_int_equal(relief_new_view_status(&x->f), RELIEF_VIEW_DONE);
	assert_int_equal(x->acts.nr, 2);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_ONLINE);
	assert_int_equal(x->acts.a[1].type, RELIEF_ACT_REPORT);
	assert_int_equal(x->acts.a[1].u.report.result, RELIEF_RESULT_DONE);
	for (i = RELIEF_EV_START; i < RELIEF_EV_COUNT; i++) {
		assert_int_equal(step(x, fsmt_ev((uint32_t)i)),
				 RELIEF_STEP_IGNORED);
		assert_int_equal(x->acts.nr, 0);
	}
}

enum end_kind { END_OPERATOR, END_PANIC, END_PEER_ABORT, END_PEER_ROLLBACK,
		END_DEADLINE, END_FAILED, END_UNEXPECTED, END_BAD_SENDER,
		END_BAD_TYPE };

/* NEW left the run from @before with @reason; @told: it sent the news. */
static void check_left(struct nfx *x, uint32_t before, uint32_t reason,
		       bool told, bool commit)
{
	const struct relief_action *a;
	const struct relief_msg *m;

	assert_int_equal(x->f.c.state, commit ? RELIEF_NEW_ROLLED_BACK :
			 RELIEF_NEW_ABORTED);
	assert_int_equal(relief_new_view_status(&x->f), RELIEF_VIEW_LEFT);
	assert_int_equal(x->f.c.reason, reason);
	m = sent(x, commit ? RELIEF_MSG_ROLLBACK : RELIEF_MSG_ABORT);
	assert_null(sent(x, commit ? RELIEF_MSG_ABORT : RELIEF_MSG_ROLLBACK));
	if (told) {
		assert_non_null(m);
		assert_int_equal(m->u.reason.reason, reason);
		assert_string_equal(m->u.reason.text,
				    relief_new_state_name(before));
	} else {
		assert_null(m);
	}
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_HALT), 1);
	a = &x->acts.a[x->acts.nr - 1];
	assert_int_equal(a->type, RELIEF_ACT_REPORT);
	assert_int_equal(a->u.report.result, commit ? RELIEF_RESULT_ROLLED_BACK :
			 RELIEF_RESULT_ABORTED);
	assert_int_equal(a->u.report.reason, reason);
}

/* In ACKED NEW may say something is wrong, but it stays. */
static void check_stays_acked(struct nfx *x, uint32_t reason)
{
	const struct relief_msg *m = sent(x, RELIEF_MSG_ROLLBACK);

	assert_int_equal(x->f.c.state, RELIEF_NEW_ACKED);
	if (reason) {
		assert_non_null(m);
		assert_int_equal(m->u.reason.reason, reason);
	} else {
		assert_int_equal(x->acts.nr, 0);
	}
}

static void end_at(struct nfx *x, int n, enum end_kind k)
{
	uint32_t before, reason = 0;
	bool told = true, commit;
	struct relief_event ev;
	int rc;

	drive(x, n);
	before = x->f.c.state;
	commit = !new_pre_commit(before);
	switch (k) {
	case END_OPERATOR:
		ev = fsmt_ev(RELIEF_EV_ABORT);
		reason = RELIEF_REASON_OPERATOR;
		break;
	case END_PANIC:
		ev = fsmt_ev(RELIEF_EV_ABORT);
		ev.reason = reason = RELIEF_REASON_PANIC;
		break;
	case END_PEER_ABORT:
	case END_PEER_ROLLBACK:
		ev = fsmt_msg(RELIEF_ROLE_OLD, k == END_PEER_ABORT ?
			      RELIEF_MSG_ABORT : RELIEF_MSG_ROLLBACK);
		ev.u.msg.u.reason.reason = reason = RELIEF_REASON_DUMP_FAILED;
		/* OLD's ABORT can cross our I_RELIEVE_YOU: still an abort. */
		if (k == END_PEER_ABORT && before <= RELIEF_NEW_COMMITTED) {
			told = false;
			commit = false;
		} else if (k == END_PEER_ROLLBACK && commit) {
			told = false;
		} else {
			reason = RELIEF_REASON_UNEXPECTED;
		}
		break;
	case END_DEADLINE:
		if (!x->f.c.deadline_ns) {
			/* BOOTING and ACKED wait on nobody's clock. */
			x->now = UINT64_MAX - 1;
			assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)),
					 RELIEF_STEP_IGNORED);
			assert_int_equal(x->f.c.state, before);
			return;
		}
		x->now = x->f.c.deadline_ns - 1;
		assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)),
				 RELIEF_STEP_IGNORED);
		assert_int_equal(x->f.c.state, before);
		x->now++;
		ev = fsmt_new_happy(&x->f, &x->op);
		reason = RELIEF_REASON_TIMEOUT;
		break;
	case END_FAILED:
		ev = fsmt_new_happy(&x->f, &x->op);
		if (ev.type != RELIEF_EV_DONE)
			return;
		ev.type = RELIEF_EV_FAILED;
		reason = before == RELIEF_NEW_BINDING ?
			 RELIEF_REASON_DEVICE_FAILED :
			 RELIEF_REASON_RESTORE_FAILED;
		break;
	case END_UNEXPECTED:
		ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_TRANSFER_ACK);
		reason = RELIEF_REASON_UNEXPECTED;
		break;
	case END_BAD_SENDER:
		ev = fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_HEARTBEAT);
		reason = RELIEF_REASON_BAD_MESSAGE;
		break;
	default:
		ev = fsmt_msg(RELIEF_ROLE_OLD, n & 1 ? RELIEF_MSG_TYPE_COUNT :
			      RELIEF_MSG_NONE);
		reason = RELIEF_REASON_BAD_MESSAGE;
		break;
	}
	x->now += k == END_DEADLINE ? 0 : FSMT_MS;
	rc = step(x, ev);
	if (before == RELIEF_NEW_ACKED && k != END_PEER_ROLLBACK) {
		/* After TRANSFER_ACK only OLD ends the run. */
		assert_int_equal(rc, k == END_OPERATOR || k == END_PANIC ?
				 RELIEF_STEP_IGNORED : RELIEF_STEP_OK);
		check_stays_acked(x, k == END_OPERATOR || k == END_PANIC ?
				  0 : reason);
		return;
	}
	assert_int_equal(rc, RELIEF_STEP_OK);
	check_left(x, before, reason, told, commit);
}

static void test_abort_and_rollback_everywhere(void **state)
{
	struct nfx *x = *state;
	int n, k;

	for (n = 0; n < NEW_PATH; n++)
		for (k = END_OPERATOR; k <= END_BAD_TYPE; k++)
			end_at(x, n, (enum end_kind)k);
	drive(x, 13);
	assert_int_equal(x->f.c.state, RELIEF_NEW_RESTORING);
	step(x, fsmt_failed(RELIEF_ACT_RESTORE, RELIEF_REASON_INTERNAL));
	check_left(x, RELIEF_NEW_RESTORING, RELIEF_REASON_INTERNAL, true, true);
}

/* Which message types NEW accepts in state @s. */
static bool new_legal(uint32_t s, uint32_t t)
{
	switch (t) {
	case RELIEF_MSG_HEARTBEAT:
		return true;
	case RELIEF_MSG_ABORT:
		return s <= RELIEF_NEW_COMMITTED;
	case RELIEF_MSG_ROLLBACK:
		return !new_pre_commit(s);
	case RELIEF_MSG_READY_TO_BE_RELIEVED:
		return s == RELIEF_NEW_WAIT_ANSWER;
	case RELIEF_MSG_PROC_IMAGE:
		return s == RELIEF_NEW_COMMITTED;
	case RELIEF_MSG_DEVICE_HANDOVER:
	case RELIEF_MSG_CPU_RELEASE:
	case RELIEF_MSG_MEM_RELEASE:
	case RELIEF_MSG_TRANSFER_DONE:
		return s == RELIEF_NEW_RECEIVING;
	case RELIEF_MSG_I_STAND_RELIEVED:
		return s == RELIEF_NEW_ACKED;
	default:
		return false;
	}
}

/* An early (transfer-time) resource of @kind NEW does not hold yet. */
static const struct relief_res *early_left(const struct nfx *x, uint8_t kind)
{
	uint32_t i;

	for (i = 0; i < x->f.owners.nr; i++)
		if (x->f.owners.res[i].kind == kind &&
		    !x->f.owners.res[i].flags &&
		    x->f.owners.res[i].owner == RELIEF_OWN_OLD)
			return &x->f.owners.res[i];
	return NULL;
}

/*
 * A well-formed message of @t, valid in RECEIVING; an event of type NONE
 * if there is nothing left to release.
 */
static struct relief_event good_msg(struct nfx *x, uint32_t t)
{
	struct relief_event ev = fsmt_new_happy(&x->f, &x->op);
	const struct relief_res *r;

	if (ev.type == RELIEF_EV_MSG && ev.u.msg.type == t)
		return ev;
	ev = fsmt_msg(RELIEF_ROLE_OLD, t);
	switch (t) {
	case RELIEF_MSG_CPU_RELEASE:
		r = early_left(x, RELIEF_RES_CPU);
		if (!r)
			return fsmt_ev(RELIEF_EV_NONE);
		ev.u.msg.u.cpus.nr = 1;
		ev.u.msg.u.cpus.hw_ids[0] = r->hw_id;
		break;
	case RELIEF_MSG_MEM_RELEASE:
		r = early_left(x, RELIEF_RES_MEM);
		if (!r)
			return fsmt_ev(RELIEF_EV_NONE);
		ev.u.msg.u.mem.base = r->base;
		ev.u.msg.u.mem.size = r->size;
		break;
	case RELIEF_MSG_DEVICE_HANDOVER:
		ev.u.msg.u.device.hw_index = 40;
		break;
	case RELIEF_MSG_TRANSFER_DONE:
		ev.u.msg.u.done.nr_procs = FSMT_NR_PROCS;
		ev.u.msg.u.done.nr_devices = x->f.c.nr_devices;
		break;
	default:
		break;
	}
	return ev;
}

static void test_unexpected_messages(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;
	uint32_t t, before;
	int n;

	for (n = 0; n < NEW_PATH; n++) {
		for (t = RELIEF_MSG_READY_TO_RELIEVE; t < RELIEF_MSG_TYPE_COUNT;
		     t++) {
			drive(x, n);
			before = x->f.c.state;
			ev = good_msg(x, t);
			if (ev.type == RELIEF_EV_NONE)
				continue;
			x->now += FSMT_MS;
			assert_int_equal(step(x, ev), RELIEF_STEP_OK);
			if (new_legal(before, t)) {
				assert_int_not_equal(x->f.c.reason,
						     RELIEF_REASON_UNEXPECTED);
				assert_int_not_equal(x->f.c.reason,
						     RELIEF_REASON_BAD_MESSAGE);
				assert_null(sent(x, RELIEF_MSG_ROLLBACK));
				continue;
			}
			if (before == RELIEF_NEW_ACKED) {
				check_stays_acked(x, RELIEF_REASON_UNEXPECTED);
				continue;
			}
			check_left(x, before, RELIEF_REASON_UNEXPECTED, true,
				   !new_pre_commit(before));
		}
	}
}

/* Transfer messages that are well typed but wrong: BAD_MESSAGE. */
static void test_bad_transfer(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;
	int i, k;

	for (k = 0; k < 11; k++) {
		drive(x, 3);
		assert_int_equal(x->f.c.state, RELIEF_NEW_RECEIVING);
		ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_CPU_RELEASE);
		ev.u.msg.u.cpus.nr = 1;
		switch (k) {
		case 0: ev.u.msg.u.cpus.nr = 0; break;
		case 1: ev.u.msg.u.cpus.nr = RELIEF_CPU_RELEASE_MAX + 1; break;
		case 2: ev.u.msg.u.cpus.hw_ids[0] = 77; break;	/* unknown */
		case 3: ev.u.msg.u.cpus.hw_ids[0] = 5; break;	/* lent */
		case 4: /* released twice, in one message */
			ev.u.msg.u.cpus.nr = 2;
			ev.u.msg.u.cpus.hw_ids[0] = 1;
			ev.u.msg.u.cpus.hw_ids[1] = 1;
			break;
		case 5:
			ev.u.msg.type = RELIEF_MSG_MEM_RELEASE;
			ev.u.msg.u.mem.base = 1ULL << 30;
			ev.u.msg.u.mem.size = 1ULL << 29;	/* not whole */
			break;
		case 6:
			ev.u.msg.type = RELIEF_MSG_MEM_RELEASE;
			ev.u.msg.u.mem.base = 4ULL << 30;	/* lent */
			ev.u.msg.u.mem.size = 2ULL << 30;
			break;
		case 7: /* the same device twice */
			ev = fsmt_new_happy(&x->f, &x->op);
			step(x, ev);
			break;
		case 8: /* more devices than NEW can hold */
			for (i = 0; i < RELIEF_FSM_DEV_MAX; i++) {
				ev = fsmt_msg(RELIEF_ROLE_OLD,
					      RELIEF_MSG_DEVICE_HANDOVER);
				ev.u.msg.u.device.hw_index = 100 + i;
				step(x, ev);
				assert_int_equal(x->f.c.state,
						 RELIEF_NEW_RECEIVING);
			}
			ev.u.msg.u.device.hw_index = 99;
			break;
		default:
			ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_TRANSFER_DONE);
			ev.u.msg.u.done.nr_procs = FSMT_NR_PROCS + (k == 9);
			ev.u.msg.u.done.nr_devices = k == 10;
			break;
		}
		x->now += FSMT_MS;
		assert_int_equal(step(x, ev), RELIEF_STEP_OK);
		check_left(x, RELIEF_NEW_RECEIVING, RELIEF_REASON_BAD_MESSAGE,
			   true, true);
	}
}

static void test_answer_check(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;

	drive(x, 1);
	ev = fsmt_new_happy(&x->f, &x->op);
	ev.u.msg.u.agreed.proto_version = RELIEF_PROTO_VERSION_MAX + 1;
	step(x, ev);
	check_left(x, RELIEF_NEW_WAIT_ANSWER, RELIEF_REASON_PROTO_VERSION, true,
		   false);
	drive(x, 1);
	ev = fsmt_new_happy(&x->f, &x->op);
	ev.u.msg.u.agreed.features |= RELIEF_FEAT_MEM_HOTPLUG;
	step(x, ev);
	check_left(x, RELIEF_NEW_WAIT_ANSWER, RELIEF_REASON_FEATURES, true,
		   false);
}

/* OLD's answer in WAIT_ANSWER, with the agreed @features. */
static int answer(struct nfx *x, uint64_t features)
{
	struct relief_event ev;

	drive(x, 1);
	ev = fsmt_new_happy(&x->f, &x->op);
	ev.u.msg.u.agreed.features = features;
	x->now += FSMT_MS;
	return step(x, ev);
}

/* A rehearsal's answer: what a real run would agree on, minus transfer. */
#define REHEARSAL_FEATS	(FSMT_FEATS & ~RELIEF_QUALIFY_TRANSFER)

/* Into HOLDING, checked: uncommitted, silent, the answer deadline. */
static void hold(struct nfx *x)
{
	assert_int_equal(answer(x, REHEARSAL_FEATS), RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
	assert_false(relief_new_committed(&x->f));
	assert_false(relief_new_terminal(&x->f));
	assert_int_equal(relief_new_view_status(&x->f), RELIEF_VIEW_ACTIVE);
	assert_null(sent(x, RELIEF_MSG_I_RELIEVE_YOU));
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_SEND),
			 fsmt_find(&x->acts, RELIEF_ACT_SEND,
				   RELIEF_MSG_HEARTBEAT) != NULL);
	assert_int_equal(x->f.c.agreed.features, REHEARSAL_FEATS);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.answer_ns);
}

/* NEW commits only if the agreed features can move processes. */
static void test_holding_entered(void **state)
{
	struct nfx *x = *state;

	/* Agreed on a transfer method: commits (NEW requires PROC_COPY). */
	assert_int_equal(answer(x, FSMT_FEATS), RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_NEW_COMMITTED);
	assert_non_null(sent(x, RELIEF_MSG_I_RELIEVE_YOU));
	/* PROC_IN_PLACE alone is a transfer method too. */
	x->plan.quals.features |= RELIEF_FEAT_PROC_IN_PLACE;
	x->plan.required = 0;
	assert_int_equal(answer(x, RELIEF_FEAT_PROC_IN_PLACE), RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_NEW_COMMITTED);
	assert_non_null(sent(x, RELIEF_MSG_I_RELIEVE_YOU));
	/* Neither: a rehearsal, even though NEW requires PROC_COPY... */
	x->plan.required = RELIEF_FEAT_PROC_COPY | RELIEF_FEAT_HEARTBEAT;
	hold(x);
	assert_int_equal(x->acts.nr, 0);
	/* ...or when NEW cannot move processes at all. */
	x->plan.quals.features = RELIEF_FEAT_HEARTBEAT;
	x->plan.required = RELIEF_FEAT_HEARTBEAT;
	assert_int_equal(answer(x, RELIEF_FEAT_HEARTBEAT), RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
	assert_int_equal(answer(x, 0), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_WAIT_ANSWER, RELIEF_REASON_FEATURES, true,
		   false);
	/* The wrong transfer method still misses what NEW requires. */
	x->plan.quals.features = FSMT_FEATS | RELIEF_FEAT_PROC_IN_PLACE;
	x->plan.required = RELIEF_FEAT_PROC_COPY;
	assert_int_equal(answer(x, RELIEF_FEAT_PROC_IN_PLACE), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_WAIT_ANSWER, RELIEF_REASON_FEATURES, true,
		   false);
	/* A version outside NEW's range is refused before any holding. */
	drive(x, 1);
	{
		struct relief_event ev = fsmt_new_happy(&x->f, &x->op);

		ev.u.msg.u.agreed.features = REHEARSAL_FEATS;
		ev.u.msg.u.agreed.proto_version = 0;
		step(x, ev);
	}
	check_left(x, RELIEF_NEW_WAIT_ANSWER, RELIEF_REASON_PROTO_VERSION,
		   true, false);
}

/* OLD calls the rehearsal off: aborted with OLD's reason, nothing sent. */
static void test_holding_peer_abort(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;
	uint32_t r;

	for (r = RELIEF_REASON_OPERATOR; r < RELIEF_REASON_COUNT; r++) {
		hold(x);
		ev = fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_ABORT);
		ev.u.msg.u.reason.reason = r;
		x->now += FSMT_MS;
		assert_int_equal(step(x, ev), RELIEF_STEP_OK);
		check_left(x, RELIEF_NEW_HOLDING, r, false, false);
		assert_int_equal(x->acts.nr, 2);	/* HALT, REPORT */
		assert_int_equal(x->f.c.deadline_ns, 0);
		assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)),
				 RELIEF_STEP_IGNORED);
	}
}

static void test_holding_deadline(void **state)
{
	struct nfx *x = *state;

	hold(x);
	/* HEARTBEATs do not extend a rehearsal. */
	x->now = x->f.c.deadline_ns - 1;
	assert_int_equal(step(x, fsmt_msg(RELIEF_ROLE_OLD,
					  RELIEF_MSG_HEARTBEAT)),
			 RELIEF_STEP_OK);
	assert_int_equal(x->acts.nr, 0);
	assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
	x->now++;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_TIMEOUT, true, false);
	/* A message at the deadline is not acted upon: OLD's ABORT too. */
	hold(x);
	x->now = x->f.c.deadline_ns;
	step(x, fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_ABORT));
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_TIMEOUT, true, false);
}

static void test_holding_local_abort(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;

	hold(x);
	x->now += FSMT_MS;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_ABORT)), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_OPERATOR, true, false);
	hold(x);
	ev = fsmt_ev(RELIEF_EV_ABORT);
	ev.reason = RELIEF_REASON_PANIC;
	x->now += FSMT_MS;
	assert_int_equal(step(x, ev), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_PANIC, true, false);
}

/* Only HEARTBEAT and ABORT are legal in HOLDING; no local action is. */
static void test_holding_unexpected(void **state)
{
	struct nfx *x = *state;
	struct relief_event ev;
	uint32_t t;

	for (t = RELIEF_MSG_NONE; t <= RELIEF_MSG_TYPE_COUNT; t++) {
		if (t == RELIEF_MSG_ABORT)
			continue;
		hold(x);
		ev = fsmt_msg(RELIEF_ROLE_OLD, t);
		if (t == RELIEF_MSG_READY_TO_BE_RELIEVED) {
			ev.u.msg.u.agreed.proto_version =
				RELIEF_PROTO_VERSION_MAX;
			ev.u.msg.u.agreed.features = FSMT_FEATS;
		}
		x->now += FSMT_MS;
		if (t == RELIEF_MSG_HEARTBEAT) {
			assert_int_equal(step(x, ev), RELIEF_STEP_OK);
			assert_int_equal(x->acts.nr, 0);
			assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
			assert_int_equal(x->f.c.last_rx_ns, x->now);
			continue;
		}
		assert_int_equal(step(x, ev), RELIEF_STEP_OK);
		check_left(x, RELIEF_NEW_HOLDING,
			   t == RELIEF_MSG_NONE || t == RELIEF_MSG_TYPE_COUNT ?
			   RELIEF_REASON_BAD_MESSAGE : RELIEF_REASON_UNEXPECTED,
			   true, false);
		assert_null(sent(x, RELIEF_MSG_I_RELIEVE_YOU));
	}
	hold(x);
	step(x, fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_ABORT));	/* own role */
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_BAD_MESSAGE, true,
		   false);
	hold(x);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_RESTORE });
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_START });
}

/* HOLDING beats and watches OLD, which beats from READY_SENT on. */
static void test_holding_heartbeat(void **state)
{
	struct nfx *x = *state;
	const struct relief_msg *m;
	uint64_t held;

	x->plan.t.hb_period_ns = 100 * FSMT_MS;
	x->plan.t.hb_timeout_ns = 500 * FSMT_MS;
	hold(x);
	held = x->now;
	x->now = FSMT_T0 + 100 * FSMT_MS;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	m = sent(x, RELIEF_MSG_HEARTBEAT);
	assert_non_null(m);
	assert_int_equal(m->u.heartbeat.count, 1);
	assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
	/* OLD heard just before the timeout: still holding. */
	x->now = held + 400 * FSMT_MS;
	step(x, fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT));
	x->now += 500 * FSMT_MS - 1;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(x->f.c.state, RELIEF_NEW_HOLDING);
	/* Silent for hb_timeout: PEER_DEAD, an abort (never committed). */
	x->now++;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_OK);
	check_left(x, RELIEF_NEW_HOLDING, RELIEF_REASON_PEER_DEAD, true, false);
	assert_true(x->now < held + x->plan.t.answer_ns);
}

static void test_heartbeat(void **state)
{
	struct nfx *x = *state;
	const struct relief_msg *m;

	x->plan.t.hb_period_ns = 100 * FSMT_MS;
	x->plan.t.hb_timeout_ns = 500 * FSMT_MS;
	drive(x, 1);
	/* NEW beats from READY_TO_RELIEVE on... */
	x->now = FSMT_T0 + 100 * FSMT_MS - 1;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_IGNORED);
	x->now++;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	m = sent(x, RELIEF_MSG_HEARTBEAT);
	assert_non_null(m);
	assert_int_equal(m->u.heartbeat.count, 1);
	/* ...but does not watch OLD before it has committed. */
	x->now = FSMT_T0 + 999 * FSMT_MS;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(x->f.c.state, RELIEF_NEW_WAIT_ANSWER);
	/* Committed: OLD silent for hb_timeout means rollback. */
	drive(x, 3);
	x->now += 300 * FSMT_MS;
	step(x, fsmt_msg(RELIEF_ROLE_OLD, RELIEF_MSG_HEARTBEAT));
	assert_int_equal(x->f.c.state, RELIEF_NEW_RECEIVING);
	x->now += 500 * FSMT_MS - 1;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(x->f.c.state, RELIEF_NEW_RECEIVING);
	x->now++;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	check_left(x, RELIEF_NEW_RECEIVING, RELIEF_REASON_PEER_DEAD, true, true);
	/* ACKED: keeps beating, never gives up by itself. */
	drive(x, 14);
	assert_int_equal(x->f.c.state, RELIEF_NEW_ACKED);
	x->now += 10000 * FSMT_MS;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(x->f.c.state, RELIEF_NEW_ACKED);
	assert_non_null(sent(x, RELIEF_MSG_HEARTBEAT));
}

static void expect_einval(struct nfx *x, const struct relief_event *ev)
{
	struct relief_new_fsm *next = malloc(sizeof(*next));
	uint32_t s = x->f.c.state;

	assert_int_equal(relief_new_step(&x->f, ev, x->now, next, &x->acts),
			 RELIEF_STEP_EINVAL);
	assert_int_equal(x->acts.nr, 0);
	assert_int_equal(next->c.state, s);
	assert_int_equal(next->owners.nr, x->f.owners.nr);
	free(next);
}

static void test_einval(void **state)
{
	struct nfx *x = *state;
	struct relief_new_plan good = x->plan;
	struct relief_new_plan *p = &x->plan;
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);
	int k;

	drive(x, 0);
	expect_einval(x, NULL);
	ev.u.new_plan = NULL;
	expect_einval(x, &ev);
	ev.u.new_plan = p;
	for (k = 0; k < 7; k++) {
		*p = good;
		switch (k) {
		case 0: p->owners.res[0].owner = RELIEF_OWN_NEW; break;
		case 1: p->owners.res[4].owner = RELIEF_OWN_OLD; break;
		case 2: p->owners.res[4].owner = RELIEF_OWN_MASK; break;
		case 3: for (int j = 4; j < 8; j++) {
				p->owners.res[j].flags = 0;
				p->owners.res[j].owner = RELIEF_OWN_OLD;
			}
			break;
		case 4: p->quals.proto_min = 9; break;
		case 5: p->t.step_ns = 0; break;
		default: p->t.transfer_ns = 0; break;
		}
		expect_einval(x, &ev);
	}
	*p = good;
	expect_einval(x, &(struct relief_event){ .type = 42 });
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_RESTORE });
	drive(x, 1);
	expect_einval(x, &ev);
	drive(x, 4);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_BIND_DEVICE });
	drive(x, 12);
	assert_int_equal(x->f.c.state, RELIEF_NEW_BINDING);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_RESTORE });
	drive(x, 13);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_FAILED,
						 .act = RELIEF_ACT_BIND_DEVICE });
	x->f.c.state = 200;
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_TICK });
}

static void test_no_devices(void **state)
{
	struct nfx *x = *state;

	x->op.nr_devices = 0;
	drive(x, 9);
	assert_int_equal(x->f.c.state, RELIEF_NEW_RESTORING);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_RESTORE);
}

static void test_cur_untouched(void **state)
{
	struct nfx *x = *state;
	struct relief_new_fsm *next = malloc(sizeof(*next));
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);

	drive(x, 0);
	ev.u.new_plan = &x->plan;
	assert_int_equal(relief_new_step(&x->f, &ev, x->now, next, &x->acts),
			 RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_NEW_BOOTING);
	assert_int_equal(next->c.state, RELIEF_NEW_WAIT_ANSWER);
	free(next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_happy_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_and_rollback_everywhere,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_messages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_transfer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_answer_check, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_entered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_peer_abort, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_local_abort, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_unexpected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holding_heartbeat, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_heartbeat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cur_untouched, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
