// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_fsm_pair.c - both machines against each other, in process: every
 * SEND goes into the peer's queue, every local action completes (or is
 * made to fail) later, and the distributed ownership invariant is checked
 * after every single delivery. Faults are injected at every state of
 * either side; then random interleavings with random faults. Rehearsals
 * (RELIEF_PLAN_REHEARSAL) run through the same, and must never commit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fsm.h"

#define QMAX 64

enum inj { INJ_NONE, INJ_ABORT, INJ_PANIC, INJ_DEADLINE, INJ_FAIL,
	   INJ_SILENCE, INJ_COUNT };

struct queue {
	struct relief_event ev[QMAX];
	uint32_t head, tail;
};

struct world {
	struct relief_old_plan op;
	struct relief_new_plan np;
	struct relief_old_fsm o;
	struct relief_new_fsm n;
	struct relief_actions acts;
	struct queue to_old, to_new;	/* messages in flight */
	struct queue local_old, local_new;	/* pending completions */
	bool new_started, dead[2];
	bool rehearsal;		/* neither side may ever commit */
	bool pause_holding;	/* run() stops once NEW holds */
	uint64_t now;
	uint32_t rng;
	/* the fault */
	int side;		/* 0 OLD, 1 NEW */
	uint32_t at;		/* state it fires in */
	enum inj inj;
	bool fired;
	/* outcome */
	uint32_t result[2], reason[2], reports[2];
	uint32_t deliveries;
};

static void push(struct queue *q, const struct relief_event *ev)
{
	assert_true(q->tail - q->head < QMAX);
	q->ev[q->tail++ % QMAX] = *ev;
}

static bool empty(const struct queue *q)
{
	return q->head == q->tail;
}

static struct relief_event pop(struct queue *q)
{
	return q->ev[q->head++ % QMAX];
}

/* The invariant, with every message still in either queue in flight. */
static void check_invariant(struct world *w)
{
	struct relief_msg fly[2 * QMAX];
	struct relief_owner_view ov = { &w->o.owners,
					relief_old_view_status(&w->o), 0 };
	struct relief_owner_view nv = { &w->n.owners,
					relief_new_view_status(&w->n), 0 };
	struct relief_owner_fault f;
	const struct queue *qs[2] = { &w->to_old, &w->to_new };
	uint32_t nr = 0, i, k;
	int err;

	for (k = 0; k < 2; k++)
		for (i = qs[k]->head; i != qs[k]->tail; i++)
			fly[nr++] = qs[k]->ev[i % QMAX].u.msg;
	err = relief_owner_check_global(&ov, &nv, fly, nr, &f);
	if (err)
		fail_msg("ownership %s at entry %u (owners %u): OLD %s, NEW %s",
			 relief_owner_err_name(err), f.index, f.owners,
			 relief_old_state_name(w->o.c.state),
			 relief_new_state_name(w->n.c.state));
}

/* Perform what one side asked for. */
static void perform(struct world *w, int side)
{
	struct relief_event ev;
	uint32_t i;

	for (i = 0; i < w->acts.nr; i++) {
		const struct relief_action *a = &w->acts.a[i];

		switch (a->type) {
		case RELIEF_ACT_SEND:
			ev = fsmt_ev(RELIEF_EV_MSG);
			ev.u.msg = a->u.msg;
			if (!w->dead[side])
				push(side ? &w->to_old : &w->to_new, &ev);
			break;
		case RELIEF_ACT_START_NEW:
		case RELIEF_ACT_FREEZE:
		case RELIEF_ACT_DUMP:
		case RELIEF_ACT_RELEASE_DEVICE:
		case RELIEF_ACT_PARK_CPUS:
		case RELIEF_ACT_OFFLINE_MEM:
		case RELIEF_ACT_BIND_DEVICE:
		case RELIEF_ACT_RESTORE:
			ev = fsmt_done(a->type);
			push(side ? &w->local_new : &w->local_old, &ev);
			break;
		case RELIEF_ACT_REPORT:
			w->result[side] = a->u.report.result;
			w->reason[side] = a->u.report.reason;
			w->reports[side]++;
			break;
		default:	/* STOP_NEW, THAW, ONLINE, HALT, ...: no answer */
			break;
		}
	}
}

static void step_side(struct world *w, int side, struct relief_event ev)
{
	int rc;

	if (side)
		rc = relief_new_step(&w->n, &ev, w->now, &w->n, &w->acts);
	else
		rc = relief_old_step(&w->o, &ev, w->now, &w->o, &w->acts);
	assert_int_not_equal(rc, RELIEF_STEP_EINVAL);
	perform(w, side);
	w->deliveries++;
	check_invariant(w);
	if (w->rehearsal) {
		assert_false(relief_old_committed(&w->o));
		assert_false(relief_new_committed(&w->n));
		assert_int_not_equal(w->o.c.state, RELIEF_OLD_STOOD_RELIEVED);
	}
}

static uint32_t state_of(const struct world *w, int side)
{
	return side ? w->n.c.state : w->o.c.state;
}

static bool terminal(const struct world *w, int side)
{
	return side ? relief_new_terminal(&w->n) : relief_old_terminal(&w->o);
}

/* Fire the fault when its side reaches its state, if it applies there. */
static void maybe_inject(struct world *w)
{
	struct relief_event ev;
	struct queue *lq = w->side ? &w->local_new : &w->local_old;
	uint64_t dl = w->side ? w->n.c.deadline_ns : w->o.c.deadline_ns;

	if (w->fired || w->inj == INJ_NONE || state_of(w, w->side) != w->at)
		return;
	if (w->side && w->at == RELIEF_NEW_BOOTING && !w->new_started)
		return;
	switch (w->inj) {
	case INJ_ABORT:
	case INJ_PANIC:
		ev = fsmt_ev(RELIEF_EV_ABORT);
		ev.reason = w->inj == INJ_PANIC ? RELIEF_REASON_PANIC : 0;
		w->fired = true;
		step_side(w, w->side, ev);
		break;
	case INJ_DEADLINE:
		if (!dl)
			return;
		w->now = dl;
		w->fired = true;
		step_side(w, w->side, fsmt_ev(RELIEF_EV_TICK));
		break;
	case INJ_FAIL:
		if (empty(lq))
			return;
		lq->ev[lq->head % QMAX].type = RELIEF_EV_FAILED;
		w->fired = true;
		break;
	default:	/* INJ_SILENCE */
		w->dead[w->side] = true;
		w->fired = true;
		break;
	}
}

/* Fresh machines, OLD started with plan @flags (RELIEF_PLAN_*). */
static void world_init(struct world *w, uint32_t seed, uint32_t flags)
{
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);

	memset(w, 0, sizeof(*w));
	fsmt_old_plan(&w->op);
	w->op.flags = flags;
	w->rehearsal = flags & RELIEF_PLAN_REHEARSAL;
	w->op.t.hb_period_ns = 100 * FSMT_MS;
	w->op.t.hb_timeout_ns = 1000 * FSMT_MS;
	fsmt_new_plan(&w->np, &w->op);
	relief_old_init(&w->o);
	relief_new_init(&w->n);
	w->now = FSMT_T0;
	w->rng = seed * 2654435761u + 1;
	check_invariant(w);
	ev.u.old_plan = &w->op;
	step_side(w, 0, ev);
}

static uint32_t rnd(struct world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 17;
	w->rng ^= w->rng << 5;
	return w->rng;
}

/*
 * Deliver until nothing is left. @random: pick among the ready sources at
 * random, else OLD's first. NEW boots once OLD has seen START_NEW done (the
 * driver reports it before NEW can run).
 */
static void run(struct world *w, bool random)
{
	struct queue *src[4] = { &w->local_old, &w->to_old, &w->local_new,
				 &w->to_new };
	struct relief_event ev = fsmt_ev(RELIEF_EV_START);
	int ready[5], nr, pick, i, idle = 0;

	while (w->deliveries < 2000) {
		if (w->pause_holding && w->n.c.state == RELIEF_NEW_HOLDING)
			return;
		maybe_inject(w);
		if (!w->new_started && !w->dead[1] &&
		    w->o.c.state != RELIEF_OLD_STARTING &&
		    w->o.c.state != RELIEF_OLD_IDLE) {
			w->new_started = true;
			ev.u.new_plan = &w->np;
			w->now += FSMT_MS;
			step_side(w, 1, ev);
			continue;
		}
		nr = 0;
		for (i = 0; i < 4; i++)
			if (!empty(src[i]) && !w->dead[i / 2])
				ready[nr++] = i;
		if (!nr) {
			/* Only time can move things now: a silent peer. */
			for (i = 0; i < 2; i++)
				if (!w->dead[i] && !terminal(w, i))
					break;
			if (i == 2 || ++idle > 3)
				return;
			w->now += w->op.t.hb_timeout_ns;
			step_side(w, i, fsmt_ev(RELIEF_EV_TICK));
			continue;
		}
		pick = ready[random ? rnd(w) % (uint32_t)nr : 0];
		w->now += FSMT_MS;
		step_side(w, pick / 2, pop(src[pick]));
	}
	fail_msg("no end after %u deliveries", w->deliveries);
}

static bool left(const struct world *w, int side)
{
	return side ? relief_new_view_status(&w->n) == RELIEF_VIEW_LEFT :
		      relief_old_view_status(&w->o) == RELIEF_VIEW_LEFT;
}

/* However it went, it went the same way for both, and once. */
static void check_outcome(const struct world *w)
{
	if (w->o.c.state == RELIEF_OLD_STOOD_RELIEVED) {
		assert_false(w->dead[0]);
		assert_int_equal(w->result[0], RELIEF_RESULT_DONE);
		if (!w->dead[1]) {
			assert_int_equal(w->n.c.state, RELIEF_NEW_RELIEVED);
			assert_int_equal(w->result[1], RELIEF_RESULT_DONE);
		}
	} else if (w->dead[0] && !terminal(w, 0)) {
		/*
		 * OLD died: NEW gives up on its own, except in ACKED, where
		 * it must wait; a NEW never started stays BOOTING.
		 */
		if (!left(w, 1) && w->n.c.state != RELIEF_NEW_ACKED &&
		    w->n.c.state != RELIEF_NEW_BOOTING && !w->dead[1])
			fail_msg("OLD dead in %s, NEW stuck in %s",
				 relief_old_state_name(w->o.c.state),
				 relief_new_state_name(w->n.c.state));
	} else {
		assert_true(left(w, 0));
		assert_int_not_equal(w->result[0], RELIEF_RESULT_DONE);
		assert_true(left(w, 1) || w->dead[1] ||
			    w->n.c.state == RELIEF_NEW_BOOTING);
		assert_int_not_equal(w->n.c.state, RELIEF_NEW_RELIEVED);
	}
	assert_true(w->reports[0] <= 1 && w->reports[1] <= 1);
}

static struct world *W;

static void test_success(void **state)
{
	(void)state;
	world_init(W, 1, 0);
	run(W, false);
	check_outcome(W);
	assert_int_equal(W->o.c.state, RELIEF_OLD_STOOD_RELIEVED);
	assert_int_equal(W->n.c.state, RELIEF_NEW_RELIEVED);
	assert_int_equal(W->reports[0], 1);
	assert_int_equal(W->reports[1], 1);
}

/* The expected end of a fault at a state, when it is not a race. */
static void check_fault(const struct world *w, int side, uint32_t at,
			enum inj inj)
{
	bool pre = side ? at <= RELIEF_NEW_HOLDING :
			  at <= RELIEF_OLD_READY_SENT;

	if (side && at == RELIEF_NEW_ACKED && inj != INJ_SILENCE) {
		/* After TRANSFER_ACK, NEW's own trouble cannot stop it. */
		assert_int_equal(w->o.c.state, RELIEF_OLD_STOOD_RELIEVED);
		assert_int_equal(w->n.c.state, RELIEF_NEW_RELIEVED);
		return;
	}
	if (!w->fired || w->reports[side] == 0) {
		/* Nothing to fail here, or NEW in ACKED ignoring it. */
		if (inj != INJ_SILENCE)
			assert_true(w->o.c.state == RELIEF_OLD_STOOD_RELIEVED ||
				    (side && at == RELIEF_NEW_ACKED) ||
				    !w->fired);
		return;
	}
	assert_int_equal(w->result[side], pre ? RELIEF_RESULT_ABORTED :
			 RELIEF_RESULT_ROLLED_BACK);
	if (inj == INJ_ABORT)
		assert_int_equal(w->reason[side], RELIEF_REASON_OPERATOR);
	if (inj == INJ_PANIC)
		assert_int_equal(w->reason[side], RELIEF_REASON_PANIC);
	if (inj == INJ_DEADLINE)
		assert_int_equal(w->reason[side], RELIEF_REASON_TIMEOUT);
	/* The peer followed, with the same reason. */
	if (!w->dead[!side] && inj != INJ_SILENCE) {
		assert_true(left(w, !side));
		assert_int_equal(w->reason[!side], w->reason[side]);
	}
}

static void test_fault_everywhere(void **state)
{
	uint32_t at, max, flags;
	int side, inj;

	(void)state;
	for (flags = 0; flags <= RELIEF_PLAN_REHEARSAL; flags++) {
		for (side = 0; side < 2; side++) {
			if (flags)	/* a rehearsal gets no further */
				max = side ? RELIEF_NEW_HOLDING :
				      RELIEF_OLD_READY_SENT;
			else
				max = side ? RELIEF_NEW_ACKED :
				      RELIEF_OLD_WAIT_ACK;
			for (at = side ? 0 : 1; at <= max; at++) {
				for (inj = INJ_ABORT; inj < INJ_COUNT; inj++) {
					world_init(W, at, flags);
					W->side = side;
					W->at = at;
					W->inj = (enum inj)inj;
					run(W, false);
					check_outcome(W);
					check_fault(W, side, at,
						    (enum inj)inj);
				}
			}
		}
	}
}

/* Both tables and both reports say: aborted, OLD owns everything. */
static void check_rehearsal_end(const struct world *w, uint32_t reason)
{
	uint32_t i;

	assert_int_equal(w->o.c.state, RELIEF_OLD_ABORTED);
	assert_int_equal(w->n.c.state, RELIEF_NEW_ABORTED);
	assert_int_equal(w->reports[0], 1);
	assert_int_equal(w->reports[1], 1);
	assert_int_equal(w->result[0], RELIEF_RESULT_ABORTED);
	assert_int_equal(w->result[1], RELIEF_RESULT_ABORTED);
	assert_int_equal(w->reason[0], reason);
	assert_int_equal(w->reason[1], reason);
	for (i = 0; i < w->o.owners.nr; i++)
		assert_int_equal(w->o.owners.res[i].owner, RELIEF_OWN_OLD);
	for (i = 0; i < w->n.owners.nr; i++)
		assert_int_equal(w->n.owners.res[i].owner, RELIEF_OWN_OLD);
	assert_true(empty(&w->to_old) && empty(&w->to_new));
}

/*
 * reliefctl swap --stop-after ready: steps 1 and 2, NEW holds, the
 * operator calls it off on OLD; or nobody does and OLD's deadline does.
 */
static void test_rehearsal(void **state)
{
	uint32_t i;

	(void)state;
	world_init(W, 4, RELIEF_PLAN_REHEARSAL);
	W->pause_holding = true;
	run(W, false);
	assert_int_equal(W->n.c.state, RELIEF_NEW_HOLDING);
	assert_int_equal(W->o.c.state, RELIEF_OLD_READY_SENT);
	assert_false(relief_qualify_can_commit(&W->n.c.agreed));
	assert_int_equal(W->n.c.agreed.features,
			 FSMT_FEATS & ~RELIEF_FEAT_PROC_COPY);
	/* NEW holds its partition, and only it. */
	for (i = 0; i < W->n.owners.nr; i++)
		assert_int_equal(W->n.owners.res[i].owner,
				 (W->n.owners.res[i].flags & RELIEF_RES_LENT) ?
				 RELIEF_OWN_NEW : RELIEF_OWN_OLD);
	/* Heartbeats flow while it holds; nothing else does. */
	W->pause_holding = false;
	W->now += 300 * FSMT_MS;
	step_side(W, 0, fsmt_ev(RELIEF_EV_TICK));
	step_side(W, 1, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(W->to_new.tail - W->to_new.head, 1);
	assert_int_equal(W->to_old.tail - W->to_old.head, 1);
	step_side(W, 1, pop(&W->to_new));
	step_side(W, 0, pop(&W->to_old));
	assert_int_equal(W->n.c.state, RELIEF_NEW_HOLDING);
	assert_int_equal(W->o.c.state, RELIEF_OLD_READY_SENT);
	step_side(W, 0, fsmt_ev(RELIEF_EV_ABORT));
	run(W, false);
	check_rehearsal_end(W, RELIEF_REASON_OPERATOR);

	/* Left alone, a rehearsal ends on OLD's answer deadline. */
	world_init(W, 5, RELIEF_PLAN_REHEARSAL);
	run(W, false);
	check_rehearsal_end(W, RELIEF_REASON_TIMEOUT);
	/* Or on NEW's, if NEW holds for less long than OLD waits. */
	world_init(W, 6, RELIEF_PLAN_REHEARSAL);
	W->np.t.answer_ns = W->op.t.answer_ns / 2;
	W->pause_holding = true;
	run(W, false);
	W->pause_holding = false;
	W->now = W->n.c.deadline_ns;
	assert_true(W->now < W->o.c.deadline_ns);
	step_side(W, 1, fsmt_ev(RELIEF_EV_TICK));
	assert_int_equal(W->n.c.state, RELIEF_NEW_ABORTED);
	assert_int_equal(W->to_old.ev[W->to_old.head % QMAX].u.msg.type,
			 RELIEF_MSG_ABORT);
	step_side(W, 0, pop(&W->to_old));
	assert_true(empty(&W->to_new));	/* OLD followed, silently */
	run(W, false);
	check_rehearsal_end(W, RELIEF_REASON_TIMEOUT);
}

/* OLD's ABORT crossing NEW's I_RELIEVE_YOU: aborted on both sides. */
static void test_abort_crosses_commit(void **state)
{
	struct relief_event ev;

	(void)state;
	world_init(W, 3, 0);
	while (W->n.c.state != RELIEF_NEW_COMMITTED) {
		assert_true(W->deliveries < 100);
		if (!W->new_started && W->o.c.state == RELIEF_OLD_WAIT_READY) {
			ev = fsmt_ev(RELIEF_EV_START);
			ev.u.new_plan = &W->np;
			W->new_started = true;
			step_side(W, 1, ev);
		} else if (!empty(&W->local_old)) {
			step_side(W, 0, pop(&W->local_old));
		} else if (!empty(&W->to_new)) {
			step_side(W, 1, pop(&W->to_new));
		} else {
			step_side(W, 0, pop(&W->to_old));
		}
	}
	/* I_RELIEVE_YOU is in flight; OLD's operator aborts first. */
	assert_int_equal(W->o.c.state, RELIEF_OLD_READY_SENT);
	assert_false(empty(&W->to_old));
	step_side(W, 0, fsmt_ev(RELIEF_EV_ABORT));
	run(W, false);
	assert_int_equal(W->o.c.state, RELIEF_OLD_ABORTED);
	assert_int_equal(W->n.c.state, RELIEF_NEW_ABORTED);
	assert_int_equal(W->reason[1], RELIEF_REASON_OPERATOR);
}

static void test_random(void **state)
{
	uint32_t seed, done = 0, left_runs = 0, rehearsals = 0;

	(void)state;
	for (seed = 1; seed <= 600; seed++) {
		/* Every fifth run a rehearsal: it must end aborted. */
		world_init(W, seed, seed % 5 ? 0 : RELIEF_PLAN_REHEARSAL);
		if (seed % 4) {
			W->side = (int)(rnd(W) % 2);
			W->at = rnd(W) % (W->side ? RELIEF_NEW_RELIEVED :
					  RELIEF_OLD_ABORTED);
			W->inj = (enum inj)(1 + rnd(W) % (INJ_COUNT - 1));
		}
		run(W, true);
		check_outcome(W);
		if (W->rehearsal && !W->dead[0]) {
			assert_int_equal(W->o.c.state, RELIEF_OLD_ABORTED);
			rehearsals++;
		}
		if (W->o.c.state == RELIEF_OLD_STOOD_RELIEVED)
			done++;
		else
			left_runs++;
	}
	/* Both endings were exercised, and rehearsals too. */
	assert_true(done > 100);
	assert_true(left_runs > 100);
	assert_true(rehearsals > 60);
}

static int setup(void **state)
{
	(void)state;
	W = calloc(1, sizeof(*W));
	return W ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(W);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_fault_everywhere),
		cmocka_unit_test(test_abort_crosses_commit),
		cmocka_unit_test(test_rehearsal),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
