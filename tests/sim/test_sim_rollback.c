// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_sim_rollback.c - every way a committed run fails: OLD rolls back
 * and owns everything again, or -- once it has read TRANSFER_ACK -- NEW
 * owns everything; the invariant holds throughout, crashes included.
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

static void expect_old_rolled_back(const struct sim_result *r, uint32_t why)
{
	const struct sim_side_result *o = &r->side[SIM_OLD];

	SIM_EXPECT(r, o->state == RELIEF_OLD_ROLLED_BACK);
	SIM_EXPECT(r, o->reason == why);
	SIM_EXPECT(r, o->result == RELIEF_RESULT_ROLLED_BACK);
	SIM_EXPECT(r, r->old_all_old);
	SIM_EXPECT(r, o->acts & (1u << RELIEF_ACT_STOP_NEW));
	SIM_EXPECT(r, o->acts & (1u << RELIEF_ACT_THAW));
	SIM_EXPECT(r, !o->quit);
}

/* A local step of OLD fails after the commit point. */
static void old_fails(uint32_t act, uint32_t why)
{
	struct sim_result r;

	cfg.fault[SIM_OLD].fail_act = act;
	sim_go(&cfg, &r);
	expect_old_rolled_back(&r, why);
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & (1u << RELIEF_MSG_ROLLBACK));
	SIM_EXPECT_NEW_LEFT(&r, RELIEF_NEW_ROLLED_BACK, why);
}

static void test_freeze_fails(void **state)
{
	(void)state;
	old_fails(RELIEF_ACT_FREEZE, RELIEF_REASON_DUMP_FAILED);
}

static void test_dump_fails(void **state)
{
	(void)state;
	old_fails(RELIEF_ACT_DUMP, RELIEF_REASON_DUMP_FAILED);
}

static void test_release_device_fails(void **state)
{
	struct sim_result r;

	(void)state;
	old_fails(RELIEF_ACT_RELEASE_DEVICE, RELIEF_REASON_DEVICE_FAILED);
	/* The half-released device is taken back too. */
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_OLD].acts &
		   (1u << RELIEF_ACT_RETAKE_DEVICES));
}

static void test_park_cpus_fails(void **state)
{
	(void)state;
	old_fails(RELIEF_ACT_PARK_CPUS, RELIEF_REASON_INTERNAL);
}

static void test_offline_mem_fails(void **state)
{
	struct sim_result r;

	(void)state;
	old_fails(RELIEF_ACT_OFFLINE_MEM, RELIEF_REASON_INTERNAL);
	/* CPUs were released already: ONLINE brings them back. */
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_OLD].acts & (1u << RELIEF_ACT_ONLINE));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & (1u << RELIEF_MSG_CPU_RELEASE));
}

/* STOP_NEW lands late: NEW reads the ROLLBACK and gives everything back. */
static void test_rollback_read_by_new(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.stop_delay_ms = 2000;
	cfg.fault[SIM_OLD].fail_act = RELIEF_ACT_OFFLINE_MEM;
	sim_go(&cfg, &r);
	expect_old_rolled_back(&r, RELIEF_REASON_INTERNAL);
	SIM_EXPECT(&r, !r.side[SIM_NEW].stopped);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ROLLED_BACK);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_INTERNAL);
	SIM_EXPECT(&r, r.side[SIM_NEW].acts & (1u << RELIEF_ACT_HALT));
	SIM_EXPECT(&r, r.elapsed_ms < 2000);
}

/* NEW cannot restore the processes: it rolls back, OLD follows. */
static void new_fails(uint32_t act, uint32_t why)
{
	struct sim_result r;

	cfg.fault[SIM_NEW].fail_act = act;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ROLLED_BACK);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == why);
	SIM_EXPECT(&r, r.side[SIM_NEW].result == RELIEF_RESULT_ROLLED_BACK);
	SIM_EXPECT(&r, r.side[SIM_NEW].sent & (1u << RELIEF_MSG_ROLLBACK));
	expect_old_rolled_back(&r, why);
	SIM_EXPECT(&r, !(r.side[SIM_OLD].sent & (1u << RELIEF_MSG_ROLLBACK)));
}

static void test_restore_fails(void **state)
{
	(void)state;
	new_fails(RELIEF_ACT_RESTORE, RELIEF_REASON_RESTORE_FAILED);
}

static void test_bind_device_fails(void **state)
{
	(void)state;
	new_fails(RELIEF_ACT_BIND_DEVICE, RELIEF_REASON_DEVICE_FAILED);
}

/* Operator aborts after the commit point roll back. */
static void test_old_abort_freezing(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_OLD].abort_in = RELIEF_OLD_FREEZING;
	sim_go(&cfg, &r);
	expect_old_rolled_back(&r, RELIEF_REASON_OPERATOR);
}

static void test_old_abort_wait_ack(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_OLD].abort_in = RELIEF_OLD_WAIT_ACK;
	sim_go(&cfg, &r);
	expect_old_rolled_back(&r, RELIEF_REASON_OPERATOR);
	SIM_EXPECT(&r, r.side[SIM_OLD].sent &
		   (1u << RELIEF_MSG_TRANSFER_DONE));
}

static void test_new_abort_committed(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_NEW].abort_in = RELIEF_NEW_COMMITTED;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ROLLED_BACK);
	expect_old_rolled_back(&r, RELIEF_REASON_OPERATOR);
}

/* NEW dies mid-transfer: its heartbeat stops, OLD rolls back. */
static void test_new_dies_receiving(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_NEW].stop_in = RELIEF_NEW_RECEIVING;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].crashed);
	expect_old_rolled_back(&r, RELIEF_REASON_PEER_DEAD);
}

/* The same with heartbeats off: the TRANSFER_ACK deadline catches it. */
static void test_new_dies_no_heartbeat(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.old_plan.t.hb_period_ns = 0;
	cfg.old_plan.t.hb_timeout_ns = 0;
	cfg.old_plan.t.transfer_ns = 300 * MS;
	cfg.new_plan.t.hb_period_ns = 0;
	cfg.new_plan.t.hb_timeout_ns = 0;
	cfg.fault[SIM_NEW].stop_in = RELIEF_NEW_RESTORING;
	sim_go(&cfg, &r);
	expect_old_rolled_back(&r, RELIEF_REASON_TIMEOUT);
}

/*
 * OLD dies mid-transfer, CPUs already released: NEW sees the heartbeat
 * stop, rolls back and hands everything back with a ROLLBACK nobody reads.
 */
static void test_old_dies_mid_transfer(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_OLD].stop_in = RELIEF_OLD_OFFLINING_MEM;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_OLD].crashed);
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & (1u << RELIEF_MSG_CPU_RELEASE));
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ROLLED_BACK);
	SIM_EXPECT(&r, r.side[SIM_NEW].reason == RELIEF_REASON_PEER_DEAD);
}

/* NEW dies right after TRANSFER_ACK: the commit stands, NEW owns all. */
static void test_new_dies_acked(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.fault[SIM_NEW].stop_in = RELIEF_NEW_ACKED;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_NEW].crashed);
	SIM_EXPECT(&r, r.side[SIM_OLD].state == RELIEF_OLD_STOOD_RELIEVED);
	SIM_EXPECT(&r, r.old_all_new);
}

/*
 * OLD dies before reading TRANSFER_ACK: NEW waits in ACKED until the run
 * limit (it must not end the run itself, OLD may have stood relieved).
 * Documented gap: Documentation/relief/model.rst.
 */
static void test_old_dies_wait_ack(void **state)
{
	struct sim_result r;

	(void)state;
	cfg.limit_ms = 1000;
	cfg.fault[SIM_OLD].stop_in = RELIEF_OLD_WAIT_ACK;
	sim_go(&cfg, &r);
	SIM_EXPECT(&r, r.side[SIM_OLD].crashed);
	SIM_EXPECT(&r, r.side[SIM_NEW].state == RELIEF_NEW_ACKED);
	SIM_EXPECT(&r, r.side[SIM_NEW].quit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_freeze_fails, setup),
		cmocka_unit_test_setup(test_dump_fails, setup),
		cmocka_unit_test_setup(test_release_device_fails, setup),
		cmocka_unit_test_setup(test_park_cpus_fails, setup),
		cmocka_unit_test_setup(test_offline_mem_fails, setup),
		cmocka_unit_test_setup(test_rollback_read_by_new, setup),
		cmocka_unit_test_setup(test_restore_fails, setup),
		cmocka_unit_test_setup(test_bind_device_fails, setup),
		cmocka_unit_test_setup(test_old_abort_freezing, setup),
		cmocka_unit_test_setup(test_old_abort_wait_ack, setup),
		cmocka_unit_test_setup(test_new_abort_committed, setup),
		cmocka_unit_test_setup(test_new_dies_receiving, setup),
		cmocka_unit_test_setup(test_new_dies_no_heartbeat, setup),
		cmocka_unit_test_setup(test_old_dies_mid_transfer, setup),
		cmocka_unit_test_setup(test_new_dies_acked, setup),
		cmocka_unit_test_setup(test_old_dies_wait_ack, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
