// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fsm_old.c - OLD's state machine: every transition, every abort and
 * rollback path, deadlines, unexpected messages, rehearsals; ownership
 * after each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fsm.h"

struct ofx {
	struct relief_old_plan plan;
	struct relief_new_plan np;
	struct relief_old_fsm f;
	struct relief_actions acts;
	uint64_t now;
};

static bool old_pre_commit(uint32_t s)
{
	return s <= RELIEF_OLD_READY_SENT;
}

/* Ownership in OLD's own table, as each state must have it. */
static void check_owners(const struct relief_old_fsm *f)
{
	uint32_t s = f->c.state, i;

	assert_int_equal(relief_owner_check(&f->owners, NULL), RELIEF_OWNER_OK);
	for (i = 0; i < f->owners.nr; i++) {
		const struct relief_res *r = &f->owners.res[i];
		uint8_t o = r->owner;

		if (s == RELIEF_OLD_IDLE || s == RELIEF_OLD_ABORTED ||
		    s == RELIEF_OLD_ROLLED_BACK)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (s == RELIEF_OLD_STOOD_RELIEVED)
			assert_int_equal(o, RELIEF_OWN_NEW);
		else if (r->flags & RELIEF_RES_LENT)
			assert_int_equal(o, RELIEF_OWN_NEW);
		else if (r->flags & RELIEF_RES_KEEP)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (r->kind == RELIEF_RES_CPU && s < RELIEF_OLD_PARKING_CPUS)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (r->kind == RELIEF_RES_CPU && s > RELIEF_OLD_PARKING_CPUS)
			assert_int_equal(o, RELIEF_OWN_NEW);
		else if (r->kind == RELIEF_RES_MEM && s < RELIEF_OLD_OFFLINING_MEM)
			assert_int_equal(o, RELIEF_OWN_OLD);
		else if (r->kind == RELIEF_RES_MEM && s == RELIEF_OLD_WAIT_ACK)
			assert_int_equal(o, RELIEF_OWN_NEW);
	}
}

static int step(struct ofx *x, struct relief_event ev)
{
	int rc = relief_old_step(&x->f, &ev, x->now, &x->f, &x->acts);

	check_owners(&x->f);
	return rc;
}

static void start(struct ofx *x)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);

	ev.u.old_plan = &x->plan;
	assert_int_equal(step(x, ev), RELIEF_STEP_OK);
}

/* Reset and take @n steps along the successful path (START is the first). */
static void drive(struct ofx *x, int n)
{
	relief_old_init(&x->f);
	x->now = FSMT_T0;
	if (n-- > 0)
		start(x);
	while (n-- > 0) {
		x->now += FSMT_MS;
		assert_int_equal(step(x, fsmt_old_happy(&x->f, &x->np)),
				 RELIEF_STEP_OK);
	}
}

/* Steps of the successful path: START .. TRANSFER_ACK. */
#define OLD_PATH 12

static int setup(void **state)
{
	struct ofx *x = calloc(1, sizeof(*x));

	fsmt_old_plan(&x->plan);
	fsmt_new_plan(&x->np, &x->plan);
	relief_old_init(&x->f);
	x->now = FSMT_T0;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static const struct relief_msg *sent(const struct ofx *x, uint32_t type)
{
	const struct relief_action *a = fsmt_find(&x->acts, RELIEF_ACT_SEND,
						  type);

	return a ? &a->u.msg : NULL;
}

static void test_names(void **state)
{
	uint32_t i, j;

	(void)state;
	for (i = 0; i < RELIEF_OLD_STATE_COUNT; i++) {
		assert_string_not_equal(relief_old_state_name(i), "?");
		for (j = 0; j < i; j++)
			assert_string_not_equal(relief_old_state_name(i),
						relief_old_state_name(j));
	}
	assert_string_equal(relief_old_state_name(RELIEF_OLD_STATE_COUNT), "?");
	assert_string_equal(relief_old_state_name(RELIEF_OLD_WAIT_READY),
			    "WAIT_READY");
	for (i = 0; i < RELIEF_ACT_COUNT; i++)
		assert_string_not_equal(relief_action_name(i), "?");
	assert_string_equal(relief_action_name(RELIEF_ACT_STOP_NEW), "STOP_NEW");
	assert_string_equal(relief_action_name(RELIEF_ACT_COUNT), "?");
	for (i = 0; i < RELIEF_EV_COUNT; i++)
		assert_string_not_equal(relief_event_name(i), "?");
	assert_string_equal(relief_event_name(RELIEF_EV_COUNT), "?");
}

static void test_happy_path(void **state)
{
	struct ofx *x = *state;
	const struct relief_msg *m;
	struct relief_event ev;
	uint64_t seq = 0;
	int rc, i;

	drive(x, 1);
	assert_int_equal(x->f.c.state, RELIEF_OLD_STARTING);
	assert_int_equal(x->acts.nr, 1);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_START_NEW);
	assert_int_equal(x->f.c.deadline_ns, FSMT_T0 + x->plan.t.boot_ns);
	assert_int_equal(x->f.expect.nr_cpus_lent, 4);
	assert_int_equal(x->f.expect.mem_bytes_lent, 2ULL << 30);

	/* START_NEW done: the boot deadline keeps running. */
	x->now += FSMT_MS;
	assert_int_equal(step(x, fsmt_done(RELIEF_ACT_START_NEW)), 0);
	assert_int_equal(x->f.c.state, RELIEF_OLD_WAIT_READY);
	assert_int_equal(x->acts.nr, 0);
	assert_int_equal(x->f.c.deadline_ns, FSMT_T0 + x->plan.t.boot_ns);

	x->now += FSMT_MS;
	assert_int_equal(step(x, fsmt_old_happy(&x->f, &x->np)), 0);
	assert_int_equal(x->f.c.state, RELIEF_OLD_READY_SENT);
	m = sent(x, RELIEF_MSG_READY_TO_BE_RELIEVED);
	assert_non_null(m);
	assert_int_equal(m->sender, RELIEF_ROLE_OLD);
	assert_int_equal(m->seq, ++seq);
	assert_int_equal(m->u.agreed.proto_version, RELIEF_PROTO_VERSION_MAX);
	assert_int_equal(m->u.agreed.features, FSMT_FEATS);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.answer_ns);

	x->now += FSMT_MS;
	assert_int_equal(step(x, fsmt_old_happy(&x->f, &x->np)), 0);
	assert_int_equal(x->f.c.state, RELIEF_OLD_FREEZING);
	assert_true(relief_old_committed(&x->f));
	assert_int_equal(x->acts.nr, 1);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_FREEZE);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.step_ns);

	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_FREEZE));
	assert_int_equal(x->f.c.state, RELIEF_OLD_DUMPING);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_DUMP);

	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_DUMP));
	assert_int_equal(x->f.c.state, RELIEF_OLD_RELEASING_DEVICE);
	m = sent(x, RELIEF_MSG_PROC_IMAGE);
	assert_non_null(m);
	assert_int_equal(m->seq, ++seq);
	assert_int_equal(m->u.proc_image.nr_procs, FSMT_NR_PROCS);
	assert_int_equal(x->acts.a[1].type, RELIEF_ACT_RELEASE_DEVICE);
	assert_int_equal(x->acts.a[1].u.device.hw_index, 3);

	for (i = 0; i < 2; i++) {
		x->now += FSMT_MS;
		step(x, fsmt_done(RELIEF_ACT_RELEASE_DEVICE));
		m = sent(x, RELIEF_MSG_DEVICE_HANDOVER);
		assert_non_null(m);
		assert_int_equal(m->seq, ++seq);
		assert_int_equal(m->u.device.hw_index, i ? 7 : 3);
	}
	assert_int_equal(x->f.c.state, RELIEF_OLD_PARKING_CPUS);
	assert_int_equal(x->acts.a[1].type, RELIEF_ACT_PARK_CPUS);
	assert_int_equal(x->acts.a[1].u.cpus.nr, 3);
	assert_int_equal(x->acts.a[1].u.cpus.hw_ids[0], 1);
	assert_int_equal(x->acts.a[1].u.cpus.hw_ids[2], 3);

	x->now += FSMT_MS;
	step(x, fsmt_done(RELIEF_ACT_PARK_CPUS));
	m = sent(x, RELIEF_MSG_CPU_RELEASE);
	assert_non_null(m);
	assert_int_equal(m->u.cpus.nr, 3);
	assert_int_equal(m->seq, ++seq);
	assert_int_equal(x->f.c.state, RELIEF_OLD_OFFLINING_MEM);
	assert_int_equal(x->acts.a[1].type, RELIEF_ACT_OFFLINE_MEM);
	assert_int_equal(x->acts.a[1].u.mem.base, 1ULL << 30);

	for (i = 0; i < 2; i++) {
		x->now += FSMT_MS;
		step(x, fsmt_done(RELIEF_ACT_OFFLINE_MEM));
		m = sent(x, RELIEF_MSG_MEM_RELEASE);
		assert_non_null(m);
		assert_int_equal(m->seq, ++seq);
		assert_int_equal(m->u.mem.base, (uint64_t)(i + 1) << 30);
		assert_int_equal(m->u.mem.size, 1ULL << 30);
	}
	assert_int_equal(x->f.c.state, RELIEF_OLD_WAIT_ACK);
	m = sent(x, RELIEF_MSG_TRANSFER_DONE);
	assert_non_null(m);
	assert_int_equal(m->seq, ++seq);
	assert_int_equal(m->u.done.nr_procs, FSMT_NR_PROCS);
	assert_int_equal(m->u.done.nr_devices, 2);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.transfer_ns);

	x->now += FSMT_MS;
	step(x, fsmt_old_happy(&x->f, &x->np));
	assert_int_equal(x->f.c.state, RELIEF_OLD_STOOD_RELIEVED);
	assert_int_equal(relief_old_view_status(&x->f), RELIEF_VIEW_DONE);
	assert_int_equal(x->acts.nr, 3);
	assert_int_equal(x->acts.a[0].type, RELIEF_ACT_REPORT);
	assert_int_equal(x->acts.a[0].u.report.result, RELIEF_RESULT_DONE);
	assert_int_equal(x->acts.a[1].u.msg.type, RELIEF_MSG_I_STAND_RELIEVED);
	assert_int_equal(x->acts.a[1].u.msg.seq, ++seq);
	assert_int_equal(x->acts.a[2].type, RELIEF_ACT_PARK_SELF);

	/* Terminal: everything is ignored. */
	for (i = RELIEF_EV_START; i < RELIEF_EV_COUNT; i++) {
		ev = fsmt_ev((uint32_t)i);
		ev.act = RELIEF_ACT_FREEZE;
		rc = step(x, ev);
		assert_int_equal(rc, RELIEF_STEP_IGNORED);
		assert_int_equal(x->acts.nr, 0);
		assert_int_equal(x->f.c.state, RELIEF_OLD_STOOD_RELIEVED);
	}
}

/* The events that end a run, applied at every reachable state. */
enum end_kind { END_OPERATOR, END_PANIC, END_PEER, END_DEADLINE,
		END_FAILED, END_UNEXPECTED, END_BAD_SENDER, END_BAD_TYPE };

/* Devices OLD must take back, parked resources it must re-online. */
static uint32_t expect_devs(const struct relief_old_fsm *f)
{
	return f->c.dev_done + (f->c.state == RELIEF_OLD_RELEASING_DEVICE);
}

static bool expect_parked(uint32_t s)
{
	return s == RELIEF_OLD_PARKING_CPUS || s == RELIEF_OLD_OFFLINING_MEM ||
	       s == RELIEF_OLD_WAIT_ACK;
}

static void check_left(struct ofx *x, uint32_t before, uint32_t reason,
		       bool told, uint32_t devs, bool parked)
{
	bool commit = !old_pre_commit(before);
	const struct relief_action *a;
	const struct relief_msg *m;

	assert_int_equal(x->f.c.state, commit ? RELIEF_OLD_ROLLED_BACK :
			 RELIEF_OLD_ABORTED);
	assert_int_equal(relief_old_view_status(&x->f), RELIEF_VIEW_LEFT);
	assert_int_equal(x->f.c.reason, reason);
	assert_int_equal(x->f.c.deadline_ns, 0);
	m = sent(x, commit ? RELIEF_MSG_ROLLBACK : RELIEF_MSG_ABORT);
	assert_null(sent(x, commit ? RELIEF_MSG_ABORT : RELIEF_MSG_ROLLBACK));
	if (told && before != RELIEF_OLD_IDLE) {
		assert_non_null(m);
		assert_int_equal(m->u.reason.reason, reason);
		assert_string_equal(m->u.reason.text,
				    relief_old_state_name(before));
		assert_int_equal(x->acts.a[0].type, RELIEF_ACT_SEND);
	} else {
		assert_null(m);
	}
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_STOP_NEW),
			 before != RELIEF_OLD_IDLE);
	a = fsmt_find(&x->acts, RELIEF_ACT_RETAKE_DEVICES, 0);
	if (devs) {
		assert_non_null(a);
		assert_int_equal(a->u.count, devs);
	} else {
		assert_null(a);
	}
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_ONLINE), parked);
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_THAW), commit);
	a = &x->acts.a[x->acts.nr - 1];
	assert_int_equal(a->type, RELIEF_ACT_REPORT);
	assert_int_equal(a->u.report.result, commit ? RELIEF_RESULT_ROLLED_BACK :
			 RELIEF_RESULT_ABORTED);
	assert_int_equal(a->u.report.reason, reason);
	assert_int_equal(fsmt_count(&x->acts, RELIEF_ACT_FREEZE) +
			 fsmt_count(&x->acts, RELIEF_ACT_DUMP) +
			 fsmt_count(&x->acts, RELIEF_ACT_PARK_SELF), 0);
}

static void end_at(struct ofx *x, int n, enum end_kind k)
{
	uint32_t before, devs, reason = 0;
	bool told = true, parked;
	struct relief_event ev;

	drive(x, n);
	before = x->f.c.state;
	devs = expect_devs(&x->f);
	parked = expect_parked(before);
	switch (k) {
	case END_OPERATOR:
		ev = fsmt_ev(RELIEF_EV_ABORT);
		reason = RELIEF_REASON_OPERATOR;
		break;
	case END_PANIC:
		ev = fsmt_ev(RELIEF_EV_ABORT);
		ev.reason = reason = RELIEF_REASON_PANIC;
		break;
	case END_PEER:
		ev = fsmt_msg(RELIEF_ROLE_NEW, old_pre_commit(before) ?
			      RELIEF_MSG_ABORT : RELIEF_MSG_ROLLBACK);
		ev.u.msg.u.reason.reason = reason = RELIEF_REASON_RESTORE_FAILED;
		told = false;
		break;
	case END_DEADLINE:
		/* Not a nanosecond before... */
		x->now = x->f.c.deadline_ns - 1;
		assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)),
				 RELIEF_STEP_IGNORED);
		assert_int_equal(x->f.c.state, before);
		assert_int_equal(x->acts.nr, 0);
		/* ...but at it, even with the awaited event in hand. */
		x->now++;
		ev = fsmt_old_happy(&x->f, &x->np);
		reason = RELIEF_REASON_TIMEOUT;
		break;
	case END_FAILED:
		ev = fsmt_old_happy(&x->f, &x->np);
		if (ev.type != RELIEF_EV_DONE)
			return;	/* no local step pending here */
		ev.type = RELIEF_EV_FAILED;
		reason = before == RELIEF_OLD_FREEZING ||
			 before == RELIEF_OLD_DUMPING ?
			 RELIEF_REASON_DUMP_FAILED :
			 before == RELIEF_OLD_RELEASING_DEVICE ?
			 RELIEF_REASON_DEVICE_FAILED : RELIEF_REASON_INTERNAL;
		break;
	case END_UNEXPECTED:
		ev = fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_PROC_IMAGE);
		reason = RELIEF_REASON_UNEXPECTED;
		break;
	case END_BAD_SENDER:
		ev = fsmt_old_happy(&x->f, &x->np);
		ev.type = RELIEF_EV_MSG;
		ev.u.msg.type = RELIEF_MSG_HEARTBEAT;
		ev.u.msg.sender = RELIEF_ROLE_OLD;
		reason = RELIEF_REASON_BAD_MESSAGE;
		break;
	default:
		ev = fsmt_msg(RELIEF_ROLE_NEW, n & 1 ? RELIEF_MSG_TYPE_COUNT :
			      RELIEF_MSG_NONE);
		reason = RELIEF_REASON_BAD_MESSAGE;
		break;
	}
	x->now += k == END_DEADLINE ? 0 : FSMT_MS;
	assert_int_equal(step(x, ev), RELIEF_STEP_OK);
	check_left(x, before, reason, told, devs, parked);
}

static void test_abort_and_rollback_everywhere(void **state)
{
	struct ofx *x = *state;
	int n, k;

	for (n = 1; n < OLD_PATH; n++)
		for (k = END_OPERATOR; k <= END_BAD_TYPE; k++)
			end_at(x, n, (enum end_kind)k);
	/* A failure to start NEW is an abort, with INTERNAL. */
	drive(x, 1);
	step(x, fsmt_failed(RELIEF_ACT_START_NEW, 0));
	check_left(x, RELIEF_OLD_STARTING, RELIEF_REASON_INTERNAL, true, 0,
		   false);
	/* A failure gives its own reason if it has one. */
	drive(x, 5);
	step(x, fsmt_failed(RELIEF_ACT_DUMP, RELIEF_REASON_PANIC));
	check_left(x, RELIEF_OLD_DUMPING, RELIEF_REASON_PANIC, true, 0, false);
}

static void test_idle(void **state)
{
	struct ofx *x = *state;

	drive(x, 0);
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_IGNORED);
	assert_int_equal(step(x, fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_ABORT)),
			 RELIEF_STEP_IGNORED);
	assert_int_equal(x->f.c.state, RELIEF_OLD_IDLE);
	assert_false(relief_old_committed(&x->f));
	assert_int_equal(relief_old_view_status(&x->f), RELIEF_VIEW_ACTIVE);
	/* An operator abort before anything was lent just reports. */
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_ABORT)), RELIEF_STEP_OK);
	check_left(x, RELIEF_OLD_IDLE, RELIEF_REASON_OPERATOR, true, 0, false);
	assert_int_equal(x->acts.nr, 1);
}

/* Which message types OLD accepts in state @s. */
static bool old_legal(uint32_t s, uint32_t t)
{
	switch (t) {
	case RELIEF_MSG_HEARTBEAT:
		return true;
	case RELIEF_MSG_ABORT:
		return old_pre_commit(s);
	case RELIEF_MSG_ROLLBACK:
		return !old_pre_commit(s);
	case RELIEF_MSG_READY_TO_RELIEVE:
		return s == RELIEF_OLD_WAIT_READY;
	case RELIEF_MSG_I_RELIEVE_YOU:
		return s == RELIEF_OLD_READY_SENT;
	case RELIEF_MSG_TRANSFER_ACK:
		return s == RELIEF_OLD_WAIT_ACK;
	default:
		return false;
	}
}

static void test_unexpected_messages(void **state)
{
	struct ofx *x = *state;
	struct relief_event ev;
	uint32_t t, before, devs;
	int n;

	for (n = 1; n < OLD_PATH; n++) {
		for (t = RELIEF_MSG_READY_TO_RELIEVE; t < RELIEF_MSG_TYPE_COUNT;
		     t++) {
			drive(x, n);
			before = x->f.c.state;
			devs = expect_devs(&x->f);
			ev = fsmt_old_happy(&x->f, &x->np);
			if (ev.type != RELIEF_EV_MSG || ev.u.msg.type != t)
				ev = fsmt_msg(RELIEF_ROLE_NEW, t);
			x->now += FSMT_MS;
			assert_int_equal(step(x, ev), RELIEF_STEP_OK);
			if (old_legal(before, t)) {
				assert_null(sent(x, RELIEF_MSG_ABORT));
				assert_null(sent(x, RELIEF_MSG_ROLLBACK));
				continue;
			}
			check_left(x, before, RELIEF_REASON_UNEXPECTED, true,
				   devs, expect_parked(before));
		}
	}
}

static void test_heartbeat(void **state)
{
	struct ofx *x = *state;
	const struct relief_msg *m;
	struct relief_event ev;
	uint64_t t0;

	x->plan.t.hb_period_ns = 100 * FSMT_MS;
	x->plan.t.hb_timeout_ns = 500 * FSMT_MS;
	drive(x, 3);
	assert_int_equal(x->f.c.state, RELIEF_OLD_READY_SENT);
	t0 = x->now;
	x->now = t0 + 100 * FSMT_MS - 1;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_IGNORED);
	x->now++;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_OK);
	m = sent(x, RELIEF_MSG_HEARTBEAT);
	assert_non_null(m);
	assert_int_equal(m->u.heartbeat.count, 1);
	assert_int_equal(m->u.heartbeat.now_ns, x->now);
	/* The peer's heartbeat keeps it alive... */
	x->now = t0 + 400 * FSMT_MS;
	ev = fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_HEARTBEAT);
	assert_int_equal(step(x, ev), RELIEF_STEP_OK);
	assert_int_equal(x->f.c.last_rx_ns, x->now);
	assert_int_equal(x->f.c.state, RELIEF_OLD_READY_SENT);
	/* ...until it stops: exactly hb_timeout after the last word. */
	x->now = t0 + 900 * FSMT_MS - 1;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(x->f.c.state, RELIEF_OLD_READY_SENT);
	x->now++;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	check_left(x, RELIEF_OLD_READY_SENT, RELIEF_REASON_PEER_DEAD, true, 0,
		   false);
	/* After commit, a silent peer means rollback. */
	drive(x, 6);
	x->now += 500 * FSMT_MS;
	step(x, fsmt_ev(RELIEF_EV_TICK));
	check_left(x, RELIEF_OLD_RELEASING_DEVICE, RELIEF_REASON_PEER_DEAD,
		   true, 1, false);
	/* Before READY_TO_RELIEVE, only the boot deadline counts. */
	drive(x, 2);
	x->now += 600 * FSMT_MS;
	assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)), RELIEF_STEP_IGNORED);
	assert_int_equal(x->f.c.state, RELIEF_OLD_WAIT_READY);
}

static void test_qualify_failure(void **state)
{
	struct ofx *x = *state;

	x->np.quals.proto_min = RELIEF_PROTO_VERSION_MAX + 1;
	x->np.quals.proto_max = RELIEF_PROTO_VERSION_MAX + 3;
	drive(x, 3);
	check_left(x, RELIEF_OLD_WAIT_READY, RELIEF_REASON_PROTO_VERSION, true,
		   0, false);
	fsmt_new_plan(&x->np, &x->plan);
	x->np.quals.nr_cpus_up = 3;
	drive(x, 3);
	check_left(x, RELIEF_OLD_WAIT_READY, RELIEF_REASON_HW_MISMATCH, true,
		   0, false);
}

/* What READY_TO_BE_RELIEVED carried, sent on the third step. */
static const struct relief_msg *rehearse(struct ofx *x)
{
	const struct relief_msg *m;

	drive(x, 3);
	assert_int_equal(x->f.c.state, RELIEF_OLD_READY_SENT);
	m = sent(x, RELIEF_MSG_READY_TO_BE_RELIEVED);
	assert_non_null(m);
	assert_int_equal(m->u.agreed.features, x->f.c.agreed.features);
	assert_int_equal(x->f.c.deadline_ns, x->now + x->plan.t.answer_ns);
	return m;
}

/* A rehearsal agrees on everything a real run would, but transfer. */
static void test_rehearsal_plan(void **state)
{
	struct ofx *x = *state;
	const struct relief_msg *m;

	x->np.quals.features |= RELIEF_FEAT_PROC_IN_PLACE;
	x->plan.expect.features |= RELIEF_FEAT_PROC_IN_PLACE;
	m = rehearse(x);
	assert_int_equal(m->u.agreed.features,
			 FSMT_FEATS | RELIEF_FEAT_PROC_IN_PLACE);
	assert_true(relief_qualify_can_commit(&m->u.agreed));
	x->plan.flags = RELIEF_PLAN_REHEARSAL;
	m = rehearse(x);
	assert_int_equal(m->u.agreed.features,
			 FSMT_FEATS & ~RELIEF_FEAT_PROC_COPY);
	assert_false(relief_qualify_can_commit(&m->u.agreed));
	assert_int_equal(m->u.agreed.proto_version, RELIEF_PROTO_VERSION_MAX);
	/* Still judged as a real run: PROC_COPY is required, NEW lacks it. */
	x->np.quals.features &= ~RELIEF_FEAT_PROC_COPY;
	drive(x, 3);
	check_left(x, RELIEF_OLD_WAIT_READY, RELIEF_REASON_FEATURES, true, 0,
		   false);
}

/* Every way a rehearsal ends: an abort, OLD owning everything. */
static void test_rehearsal_ends(void **state)
{
	struct ofx *x = *state;
	struct relief_event ev;
	int k;

	x->plan.flags = RELIEF_PLAN_REHEARSAL;
	for (k = 0; k < 5; k++) {
		rehearse(x);
		x->now += FSMT_MS;
		switch (k) {
		case 0:	/* reliefctl swap --stop-after ready */
			step(x, fsmt_ev(RELIEF_EV_ABORT));
			check_left(x, RELIEF_OLD_READY_SENT,
				   RELIEF_REASON_OPERATOR, true, 0, false);
			break;
		case 1:	/* NEW holds past its own deadline */
			ev = fsmt_msg(RELIEF_ROLE_NEW, RELIEF_MSG_ABORT);
			ev.u.msg.u.reason.reason = RELIEF_REASON_TIMEOUT;
			step(x, ev);
			check_left(x, RELIEF_OLD_READY_SENT,
				   RELIEF_REASON_TIMEOUT, false, 0, false);
			break;
		case 2:
			x->now = x->f.c.deadline_ns - 1;
			assert_int_equal(step(x, fsmt_ev(RELIEF_EV_TICK)),
					 RELIEF_STEP_IGNORED);
			x->now++;
			step(x, fsmt_ev(RELIEF_EV_TICK));
			check_left(x, RELIEF_OLD_READY_SENT,
				   RELIEF_REASON_TIMEOUT, true, 0, false);
			break;
		default: /* a NEW that commits anyway is refused */
			if (k == 4) {
				/* Not a rehearsal, but nothing to move with. */
				x->plan.flags = 0;
				x->plan.expect.required = 0;
				x->np.quals.features &= ~RELIEF_FEAT_PROC_COPY;
				rehearse(x);
				assert_false(relief_qualify_can_commit(
						     &x->f.c.agreed));
			}
			step(x, fsmt_msg(RELIEF_ROLE_NEW,
					 RELIEF_MSG_I_RELIEVE_YOU));
			check_left(x, RELIEF_OLD_READY_SENT,
				   RELIEF_REASON_UNEXPECTED, true, 0, false);
			assert_false(x->f.frozen);
			break;
		}
	}
}

static void expect_einval(struct ofx *x, const struct relief_event *ev)
{
	struct relief_old_fsm *next = malloc(sizeof(*next));
	uint32_t s = x->f.c.state;
	uint64_t seq = x->f.c.tx_seq, dl = x->f.c.deadline_ns;

	assert_int_equal(relief_old_step(&x->f, ev, x->now, next, &x->acts),
			 RELIEF_STEP_EINVAL);
	assert_int_equal(x->acts.nr, 0);
	assert_int_equal(next->c.state, s);
	assert_int_equal(next->c.tx_seq, seq);
	assert_int_equal(next->c.deadline_ns, dl);
	assert_memory_equal(&next->owners, &x->f.owners, sizeof(next->owners));
	free(next);
}

static void test_einval(void **state)
{
	struct ofx *x = *state;
	struct relief_old_plan *p = &x->plan;
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);
	struct relief_old_plan good = *p;
	int i;

	drive(x, 0);
	expect_einval(x, NULL);
	ev.u.old_plan = NULL;
	expect_einval(x, &ev);
	ev.u.old_plan = p;
	for (i = 0; i < 12; i++) {
		*p = good;
		switch (i) {
		case 0: p->owners.res[0].owner = RELIEF_OWN_NEW; break;
		case 1: p->owners.res[1].hw_id = 0; break;
		case 2: p->owners.res[0].flags = 0; break;
		case 3: for (int j = 0; j < 8; j++)
				p->owners.res[j].flags &= ~RELIEF_RES_LENT;
			break;
		case 4: p->nr_devices = RELIEF_FSM_DEV_MAX + 1; break;
		case 5: p->expect.proto_min = 3; p->expect.proto_max = 2; break;
		case 6: p->t.boot_ns = 0; break;
		case 7: p->t.answer_ns = 0; break;
		case 8: p->t.step_ns = 0; break;
		case 9: p->t.transfer_ns = 0; break;
		case 10: p->flags = RELIEF_PLAN_REHEARSAL << 1; break;
		default: p->owners.res[8].size = 0; break;
		}
		expect_einval(x, &ev);
	}
	*p = good;
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_COUNT });
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_NONE });
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_START_NEW });
	drive(x, 1);
	expect_einval(x, &ev);	/* START twice */
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_FREEZE });
	drive(x, 2);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_DONE,
						 .act = RELIEF_ACT_START_NEW });
	drive(x, 5);
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_FAILED,
						 .act = RELIEF_ACT_FREEZE });
	x->f.c.state = RELIEF_OLD_STATE_COUNT;
	expect_einval(x, &(struct relief_event){ .type = RELIEF_EV_TICK });
}

static void test_cur_untouched(void **state)
{
	struct ofx *x = *state;
	struct relief_old_fsm *next = malloc(sizeof(*next));
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);

	drive(x, 0);
	ev.u.old_plan = &x->plan;
	assert_int_equal(relief_old_step(&x->f, &ev, x->now, next, &x->acts),
			 RELIEF_STEP_OK);
	assert_int_equal(x->f.c.state, RELIEF_OLD_IDLE);
	assert_int_equal(x->f.owners.nr, 0);
	assert_int_equal(next->c.state, RELIEF_OLD_STARTING);
	free(next);
}

/* More transfer CPUs than one CPU_RELEASE holds: batches of 32. */
static void test_cpu_batches(void **state)
{
	struct ofx *x = *state;
	uint32_t i, total = 0, batches = 0;

	for (i = 100; i < 170; i++)
		assert_true(relief_owner_add_cpu(&x->plan.owners, i,
						 RELIEF_OWN_OLD, 0) >= 0);
	x->plan.nr_devices = 0;
	fsmt_new_plan(&x->np, &x->plan);
	drive(x, 6);
	assert_int_equal(x->f.c.state, RELIEF_OLD_PARKING_CPUS);
	while (x->f.c.state == RELIEF_OLD_PARKING_CPUS) {
		assert_int_equal(x->acts.a[x->acts.nr - 1].type,
				 RELIEF_ACT_PARK_CPUS);
		x->now += FSMT_MS;
		step(x, fsmt_done(RELIEF_ACT_PARK_CPUS));
		assert_non_null(sent(x, RELIEF_MSG_CPU_RELEASE));
		total += sent(x, RELIEF_MSG_CPU_RELEASE)->u.cpus.nr;
		batches++;
	}
	assert_int_equal(total, 73);
	assert_int_equal(batches, 3);
	assert_int_equal(x->f.c.state, RELIEF_OLD_OFFLINING_MEM);
}

/* No transfer-time resources and no devices: straight to TRANSFER_DONE. */
static void test_minimal_plan(void **state)
{
	struct ofx *x = *state;
	struct relief_owner_table *t = &x->plan.owners;

	relief_owner_init(t);
	relief_owner_add_cpu(t, 0, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	relief_owner_add_cpu(t, 1, RELIEF_OWN_OLD, RELIEF_RES_LENT);
	x->plan.nr_devices = 0;
	x->plan.expect.nr_cpus_described = 2;
	fsmt_new_plan(&x->np, &x->plan);
	x->np.quals.nr_cpus_seen = 2;
	drive(x, 6);
	assert_int_equal(x->f.c.state, RELIEF_OLD_WAIT_ACK);
	assert_non_null(sent(x, RELIEF_MSG_PROC_IMAGE));
	assert_non_null(sent(x, RELIEF_MSG_TRANSFER_DONE));
	x->now += FSMT_MS;
	step(x, fsmt_ev(RELIEF_EV_ABORT));
	check_left(x, RELIEF_OLD_WAIT_ACK, RELIEF_REASON_OPERATOR, true, 0,
		   false);
}

/* A full action list drops, never overflows; deadlines saturate. */
static void test_common_limits(void **state)
{
	struct relief_fsm_common c = { .t.hb_period_ns = 1 };
	struct relief_actions acts = { 0 };
	uint32_t i;

	(void)state;
	for (i = 0; i < RELIEF_ACTIONS_MAX; i++)
		assert_non_null(relief_fsm_push(&acts, RELIEF_ACT_THAW));
	assert_null(relief_fsm_push(&acts, RELIEF_ACT_THAW));
	assert_null(relief_fsm_send(&c, &acts, RELIEF_ROLE_OLD,
				    RELIEF_MSG_ABORT));
	relief_fsm_send_reason(&c, &acts, RELIEF_ROLE_OLD, RELIEF_MSG_ABORT,
			       RELIEF_REASON_OPERATOR, "x");
	relief_fsm_report(&acts, RELIEF_RESULT_DONE, 0);
	relief_fsm_heartbeat(&c, &acts, RELIEF_ROLE_OLD, 5);
	assert_int_equal(acts.nr, RELIEF_ACTIONS_MAX);
	assert_int_equal(c.hb_count, 0);
	assert_int_equal(fsmt_count(&acts, RELIEF_ACT_THAW), RELIEF_ACTIONS_MAX);
	assert_int_equal(relief_fsm_deadline(UINT64_MAX - 5, 10), UINT64_MAX);
	assert_int_equal(relief_fsm_deadline(5, 10), 15);
	/* Abort text is truncated to fit, and terminated. */
	acts.nr = 0;
	{
		char big[RELIEF_TEXT_LEN + 20];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		relief_fsm_send_reason(&c, &acts, RELIEF_ROLE_NEW,
				       RELIEF_MSG_ROLLBACK, 1, big);
		assert_int_equal(strlen(acts.a[0].u.msg.u.reason.text),
				 RELIEF_TEXT_LEN - 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_common_limits),
		cmocka_unit_test_setup_teardown(test_happy_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_and_rollback_everywhere,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_messages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_heartbeat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qualify_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rehearsal_plan, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rehearsal_ends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_einval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cur_untouched, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cpu_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minimal_plan, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
