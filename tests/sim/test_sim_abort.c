// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_sim_abort.c - every way a run ends before the commit point: OLD
 * owns everything at the end, NEW has given back its partition (or was
 * stopped by OLD first), and the invariant held throughout.
 */
#include "sim_test.h"

#define MS	1000000ULL

static struct sim_config cfg;

static int setup(void **state)
{
	(void)state;
	sim_default_config(&cfg);
	return 0;
}

/* OLD ended ABORTED for @why, owning everything again. */
static void expect_old_aborted(const struct sim_result *r, uint32_t why)
{
	const struct sim_side_result *o = &r->side[SIM_OLD];

	SIM_EXPECT(r, o->state == RELIEF_OLD_ABORTED);
	SIM_EXPECT(r, o->reason == why);
	SIM_EXPECT(r, o->result == RELIEF_RESULT_ABORTED);
	SIM_EXPECT(r, o->report_reason == why);
	SIM_EXPECT(r, r->old_all_old);
	SIM_EXPECT(r, !o->quit);
}

/* Operator abort on OLD in each state before the commit point. */
static void old_abort_in(uint32_t st)
{
	struct sim_result r;

	cfg.fault[SIM_OLD].abort_in = st;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_OPERATOR);
	SIM_EXPECT(&r, r.side[SIM_OLD].acts & (1u << RELIEF_ACT_STOP_NEW));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & (1u << RELIEF_MSG_ABORT));
	SIM_EXPECT(&r, !(r.side[SIM_OLD].sent & (1u << RELIEF_MSG_ROLLBACK)));
	SIM_EXPECT_NEW_LEFT(&r, RELIEF_NEW_ABORTED, RELIEF_REASON_OPERATOR);
}

static void test_old_abort_starting(void **state)
{
	(void)state;
	old_abort_in(RELIEF_OLD_STARTING);
}

static void test_old_abort_wait_ready(void **state)
{
	(void)state;
	old_abort_in(RELIEF_OLD_WAIT_READY);
}

static void test_old_abort_ready_sent(void **state)
{
	struct sim_result r;

	(void)state;
	old_abort_in(RELIEF_OLD_READY_SENT);
	/* Here NEW has booted and sent READY_TO_RELIEVE for sure. */
	cfg.fault[SIM_OLD].abort_in = RELIEF_OLD_READY_SENT;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].started);
}

/*
 * STOP_NEW lands late: NEW reads OLD's ABORT first (in WAIT_ANSWER, or in
 * COMMITTED if its I_RELIEVE_YOU crossed the ABORT) and gives back.
 */
static void test_old_abort_read_by_new(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.stop_delay_ms = 2000;
	cfg.fault[SIM_OLD].abort_in = RELIEF_OLD_READY_SENT;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_OPERATOR);
	SIM_EXPECT(&r, !r.side[SIM_NEW].stopped);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ABORTED);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_OPERATOR);
	SIM_EXPECT(&r, r.side[SIM_NEW].result == RELIEF_RESULT_ABORTED);
	SIM_EXPECT(&r, r.elapsed_ms < 2000);
}

/* Operator abort on NEW before it commits. */
static void test_new_abort_wait_answer(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_NEW].abort_in = RELIEF_NEW_WAIT_ANSWER;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ABORTED);
	SIM_EXPECT(&r, r.side[SIM_NEW].result == RELIEF_RESULT_ABORTED);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_OPERATOR);
	/* OLD takes the peer's reason and tells no one. */
	expect_old_aborted(&r, RELIEF_REASON_OPERATOR);
	SIM_EXPECT(&r, !(r.side[SIM_OLD].sent & (1u << RELIEF_MSG_ABORT)));
}

/* NEW refuses OLD's answer: the run cannot give it a feature it needs. */
static void test_new_refuses_features(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.new_plan.quals.features |= RELIEF_FEAT_MEM_HOTPLUG;
	cfg.new_plan.required |= RELIEF_FEAT_MEM_HOTPLUG;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ABORTED);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_FEATURES);
	SIM_EXPECT(&r, !(r.side[SIM_NEW].sent &
			 (1u << RELIEF_MSG_I_RELIEVE_YOU)));
	expect_old_aborted(&r, RELIEF_REASON_FEATURES);
}

/* OLD refuses NEW: no common protocol version. */
static void test_old_refuses_version(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.new_plan.quals.proto_min = RELIEF_PROTO_VERSION_MAX + 1;
	cfg.new_plan.quals.proto_max = RELIEF_PROTO_VERSION_MAX + 1;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_PROTO_VERSION);
	SIM_EXPECT(&r, !(r.side[SIM_OLD].sent &
			 (1u << RELIEF_MSG_READY_TO_BE_RELIEVED)));
	SIM_EXPECT_NEW_LEFT(&r, RELIEF_NEW_ABORTED,
			    RELIEF_REASON_PROTO_VERSION);
}

/* OLD refuses NEW: it parsed another hardware description. */
static void test_old_refuses_hardware(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.new_plan.quals.hwdesc_crc ^= 1;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_HW_MISMATCH);
	SIM_EXPECT_NEW_LEFT(&r, RELIEF_NEW_ABORTED,
			    RELIEF_REASON_HW_MISMATCH);
}

/* The new kernel never answers: OLD's boot deadline fires. */
static void test_new_silent_boot_deadline(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.old_plan.t.boot_ns = 300 * MS;
	cfg.fault[SIM_NEW].silent = true;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_TIMEOUT);
	SIM_EXPECT(&r, !r.side[SIM_NEW].started);
	SIM_EXPECT(&r, r.elapsed_ms >= 300);
}

/* NEW stops (crashes) after READY_TO_RELIEVE: its heartbeat stops. */
static void test_new_dies_before_commit(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_NEW].stop_in = RELIEF_NEW_WAIT_ANSWER;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_PEER_DEAD);
	SIM_EXPECT(&r, r.side[SIM_NEW].crashed);
}

/*
 * OLD stops (crashes) before answering: NEW's answer deadline fires and
 * it gives its partition back with ABORT, which OLD never reads. The
 * message in flight is the owner (relief_owner.c, "q").
 */
static void test_old_silent_answer_deadline(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.new_plan.t.answer_ns = 300 * MS;
	cfg.fault[SIM_OLD].stop_in = RELIEF_OLD_WAIT_READY;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_OLD].crashed);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ABORTED);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_TIMEOUT);
	SIM_EXPECT(&r, r.side[SIM_NEW].sent & (1u << RELIEF_MSG_ABORT));
}

/* A rehearsal: NEW holds, never commits; its operator ends it. */
static void test_rehearsal_held_then_aborted(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.old_plan.flags = RELIEF_PLAN_REHEARSAL;
	cfg.fault[SIM_NEW].abort_in = RELIEF_NEW_HOLDING;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ABORTED);
	SIM_EXPECT(&r, !(r.side[SIM_NEW].sent &
			 (1u << RELIEF_MSG_I_RELIEVE_YOU)));
	expect_old_aborted(&r, RELIEF_REASON_OPERATOR);
}

/* START_NEW fails: nothing ran, everything is OLD's again. */
static void test_start_new_fails(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_OLD].fail_act = RELIEF_ACT_START_NEW;
	sim_go(&cfg, &r);
	expect_old_aborted(&r, RELIEF_REASON_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_old_abort_starting, setup),
		cmocka_unit_test_setup(test_old_abort_wait_ready, setup),
		cmocka_unit_test_setup(test_old_abort_ready_sent, setup),
		cmocka_unit_test_setup(test_old_abort_read_by_new, setup),
		cmocka_unit_test_setup(test_new_abort_wait_answer, setup),
		cmocka_unit_test_setup(test_new_refuses_features, setup),
		cmocka_unit_test_setup(test_old_refuses_version, setup),
		cmocka_unit_test_setup(test_old_refuses_hardware, setup),
		cmocka_unit_test_setup(test_new_silent_boot_deadline, setup),
		cmocka_unit_test_setup(test_new_dies_before_commit, setup),
		cmocka_unit_test_setup(test_old_silent_answer_deadline, setup),
		cmocka_unit_test_setup(test_rehearsal_held_then_aborted, setup),
		cmocka_unit_test_setup(test_start_new_fails, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
