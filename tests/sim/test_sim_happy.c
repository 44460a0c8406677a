// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_sim_happy.c - whole runs that end with NEW owning everything, and
 * a check that the simulator's invariant checker can fail at all.
 */
#include "sim_test.h"

#define MSG_BIT(t)	(1u << RELIEF_MSG_##t)

static void expect_relieved(const struct sim_result *r)
{
	const struct sim_side_result *o = &r->side[SIM_OLD];
	const struct sim_side_result *n = &r->side[SIM_NEW];

	SIM_EXPECT(r, o->state == RELIEF_OLD_STOOD_RELIEVED);
	SIM_EXPECT(r, o->result == RELIEF_RESULT_DONE);
	SIM_EXPECT(r, n->state == RELIEF_NEW_RELIEVED);
	SIM_EXPECT(r, n->result == RELIEF_RESULT_DONE);
	SIM_EXPECT(r, !n->stopped && !n->quit && !o->quit);
	SIM_EXPECT(r, r->old_all_new && r->new_all_new);
	SIM_EXPECT(r, n->acts & (1u << RELIEF_ACT_ONLINE));
	SIM_EXPECT(r, o->acts & (1u << RELIEF_ACT_PARK_SELF));
	SIM_EXPECT(r, !(o->acts & (1u << RELIEF_ACT_STOP_NEW)));
	SIM_EXPECT(r, n->sent == (MSG_BIT(READY_TO_RELIEVE) |
				  MSG_BIT(I_RELIEVE_YOU) |
				  MSG_BIT(TRANSFER_ACK) |
				  (n->sent & MSG_BIT(HEARTBEAT))));
}

/* The four steps and the whole transfer, over the real mailbox. */
static void test_relieved(void **state)
{
	static struct sim_config cfg;
	struct sim_result r;

	(void)state;
	sim_default_config(&cfg);
	sim_go(&cfg, &r);
	expect_relieved(&r);
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(PROC_IMAGE));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(DEVICE_HANDOVER));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(CPU_RELEASE));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(MEM_RELEASE));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(TRANSFER_DONE));
	SIM_EXPECT(&r, r.side[SIM_OLD].sent & MSG_BIT(I_STAND_RELIEVED));
	SIM_EXPECT(&r, r.side[SIM_NEW].rejected == 0);
	SIM_EXPECT(&r, r.side[SIM_OLD].rejected == 0);
}

/* No heartbeats, no devices, no transfer-time resources: still done. */
static void test_relieved_minimal(void **state)
{
	static struct sim_config cfg;
	struct relief_owner_table *t;
	struct sim_result r;
	uint32_t i, j;

	(void)state;
	sim_default_config(&cfg);
	cfg.old_plan.t.hb_period_ns = 0;
	cfg.old_plan.t.hb_timeout_ns = 0;
	cfg.new_plan.t = cfg.old_plan.t;
	cfg.old_plan.nr_devices = 0;
	/* Keep only KEEP and LENT entries, in both plans. */
	t = &cfg.old_plan.owners;
	for (i = j = 0; i < t->nr; i++)
		if (t->res[i].flags)
			t->res[j++] = t->res[i];
	t->nr = j;
	t = &cfg.new_plan.owners;
	for (i = j = 0; i < t->nr; i++)
		if (t->res[i].flags)
			t->res[j++] = t->res[i];
	t->nr = j;
	sim_go(&cfg, &r);
	expect_relieved(&r);
	SIM_EXPECT(&r, !(r.side[SIM_OLD].sent & (MSG_BIT(CPU_RELEASE) |
						  MSG_BIT(MEM_RELEASE) |
						  MSG_BIT(DEVICE_HANDOVER) |
						  MSG_BIT(HEARTBEAT))));
}

/* An operator abort in ACKED is ignored: only OLD ends the run there. */
static void test_new_abort_in_acked_ignored(void **state)
{
	static struct sim_config cfg;
	struct sim_result r;

	(void)state;
	sim_default_config(&cfg);
	cfg.fault[SIM_NEW].abort_in = RELIEF_NEW_ACKED;
	sim_go(&cfg, &r);
	expect_relieved(&r);
}

/*
 * The checker itself: NEW's plan wrongly claims OLD's KEEP CPU as part of
 * its partition. The run must report the double owner (EBOTH).
 */
static void test_checker_catches_double_owner(void **state)
{
	static struct sim_config cfg;
	struct relief_owner_table *t;
	struct sim_result r;
	int i;

	(void)state;
	sim_default_config(&cfg);
	t = &cfg.new_plan.owners;
	i = relief_owner_find_cpu(t, 0);
	assert_true(i >= 0);
	t->res[i].flags = RELIEF_RES_LENT;
	t->res[i].owner = RELIEF_OWN_NEW;
	assert_int_equal(sim_run(&cfg, &r), 0);
	SIM_EXPECT(&r, r.violations > 0);
	SIM_EXPECT(&r, strstr(r.violation, "EBOTH") != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relieved),
		cmocka_unit_test(test_relieved_minimal),
		cmocka_unit_test(test_new_abort_in_acked_ignored),
		cmocka_unit_test(test_checker_catches_double_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
