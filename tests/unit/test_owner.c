// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_owner.c - ownership tables: the local check, and the distributed
 * one-owner invariant over both views and the messages in flight.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "relief_owner.h"

struct gfx {
	struct relief_owner_table old, new;
	struct relief_msg fly[4];
	uint32_t nr_fly;
	struct relief_owner_view ov, nv;
	struct relief_owner_fault fault;
};

/* CPUs 0 (KEEP), 1 (transfer), 2 (LENT); mem 0..1M KEEP, 1M..2M transfer,
 * 2M..3M LENT; OLD has lent the partition. NEW's view to match. */
static void fill(struct gfx *g)
{
	struct relief_owner_table *t = &g->old;

	memset(g, 0, sizeof(*g));
	relief_owner_init(t);
	relief_owner_add_cpu(t, 0, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	relief_owner_add_cpu(t, 1, RELIEF_OWN_OLD, 0);
	relief_owner_add_cpu(t, 2, RELIEF_OWN_NEW, RELIEF_RES_LENT);
	relief_owner_add_mem(t, 0, 1 << 20, RELIEF_OWN_OLD, RELIEF_RES_KEEP);
	relief_owner_add_mem(t, 1 << 20, 1 << 20, RELIEF_OWN_OLD, 0);
	relief_owner_add_mem(t, 2 << 20, 1 << 20, RELIEF_OWN_NEW,
			     RELIEF_RES_LENT);
	g->new = g->old;
	g->ov = (struct relief_owner_view){ &g->old, RELIEF_VIEW_ACTIVE, 0 };
	g->nv = (struct relief_owner_view){ &g->new, RELIEF_VIEW_ACTIVE, 0 };
}

static int setup(void **state)
{
	struct gfx *g = malloc(sizeof(*g));

	fill(g);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int global(struct gfx *g)
{
	return relief_owner_check_global(&g->ov, &g->nv, g->fly, g->nr_fly,
					 &g->fault);
}

static struct relief_msg *fly(struct gfx *g, uint32_t sender, uint32_t type)
{
	struct relief_msg *m = &g->fly[g->nr_fly++];

	memset(m, 0, sizeof(*m));
	m->sender = sender;
	m->type = type;
	return m;
}

static void test_table_basics(void **state)
{
	struct relief_owner_table *t = malloc(sizeof(*t));
	uint32_t i;

	(void)state;
	relief_owner_init(t);
	assert_int_equal(relief_owner_check(t, NULL), RELIEF_OWNER_OK);
	assert_int_equal(relief_owner_add_cpu(t, 7, RELIEF_OWN_OLD,
					      RELIEF_RES_LENT), 0);
	assert_int_equal(relief_owner_add_mem(t, 4096, 4096, RELIEF_OWN_OLD,
					      RELIEF_RES_LENT), 1);
	assert_int_equal(relief_owner_add_mem(t, 8192, 100, RELIEF_OWN_OLD,
					      0), 2);
	assert_int_equal(relief_owner_find_cpu(t, 7), 0);
	assert_int_equal(relief_owner_find_cpu(t, 8), -1);
	assert_int_equal(relief_owner_find_mem(t, 4096, 4096), 1);
	assert_int_equal(relief_owner_find_mem(t, 4096, 4095), -1);
	assert_int_equal(relief_owner_count(t, RELIEF_RES_CPU,
					    RELIEF_RES_LENT), 1);
	assert_int_equal(relief_owner_count(t, RELIEF_RES_MEM, 0), 1);
	assert_int_equal(relief_owner_mem_bytes(t, RELIEF_RES_LENT), 4096);
	assert_int_equal(relief_owner_mem_bytes(t, 0), 100);
	relief_owner_set_flagged(t, RELIEF_RES_LENT, RELIEF_OWN_NEW);
	assert_int_equal(t->res[0].owner, RELIEF_OWN_NEW);
	assert_int_equal(t->res[1].owner, RELIEF_OWN_NEW);
	assert_int_equal(t->res[2].owner, RELIEF_OWN_OLD);
	relief_owner_set_all(t, RELIEF_OWN_OLD);
	assert_int_equal(t->res[0].owner, RELIEF_OWN_OLD);
	/* Memory sizes saturate rather than wrap. */
	relief_owner_add_mem(t, 1ULL << 40, UINT64_MAX - (1ULL << 41), 1, 0);
	relief_owner_add_mem(t, 1ULL << 50, 1ULL << 42, 1, 0);
	assert_int_equal(relief_owner_mem_bytes(t, 0), UINT64_MAX);
	/* Bounded. */
	relief_owner_init(t);
	for (i = 0; i < RELIEF_OWNER_MAX; i++)
		assert_int_equal(relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, 0),
				 (int)i);
	assert_int_equal(relief_owner_add_cpu(t, i, RELIEF_OWN_OLD, 0), -1);
	assert_int_equal(relief_owner_add_mem(t, 0, 1, RELIEF_OWN_OLD, 0), -1);
	assert_int_equal(relief_owner_check(t, NULL), RELIEF_OWNER_OK);
	t->nr = RELIEF_OWNER_MAX + 1;
	assert_int_equal(relief_owner_check(t, NULL), RELIEF_OWNER_ETOOMANY);
	/* An over-long count is never read past the array. */
	assert_int_equal(relief_owner_find_cpu(t, 5000), -1);
	free(t);
}

static void expect_local(struct relief_owner_table *t, int err,
			 uint32_t index)
{
	struct relief_owner_fault f = { .err = 99 };

	assert_int_equal(relief_owner_check(t, &f), err);
	assert_int_equal(f.err, (uint32_t)err);
	assert_int_equal(f.index, index);
	assert_int_equal(relief_owner_check(t, NULL), err);
}

static void test_local_check(void **state)
{
	struct gfx *g = *state;
	struct relief_owner_table *t = &g->old;
	struct relief_owner_table good = *t;

	expect_local(t, RELIEF_OWNER_OK, 0);
	t->res[4].owner = 0;
	expect_local(t, RELIEF_OWNER_ENONE, 4);
	*t = good;
	t->res[1].owner = RELIEF_OWN_MASK;
	expect_local(t, RELIEF_OWNER_EBOTH, 1);
	*t = good;
	t->res[1].owner = RELIEF_OWN_OLD | 0x4;
	expect_local(t, RELIEF_OWNER_EBOTH, 1);
	*t = good;
	t->res[2].kind = 3;
	expect_local(t, RELIEF_OWNER_EKIND, 2);
	*t = good;
	t->res[3].flags = RELIEF_RES_LENT | RELIEF_RES_KEEP;
	expect_local(t, RELIEF_OWNER_EFLAGS, 3);
	*t = good;
	t->res[3].flags = 0x10;
	expect_local(t, RELIEF_OWNER_EFLAGS, 3);
	*t = good;
	t->res[5].size = 0;
	expect_local(t, RELIEF_OWNER_ERANGE, 5);
	*t = good;
	t->res[5].base = UINT64_MAX - 1;
	t->res[5].size = 3;
	expect_local(t, RELIEF_OWNER_ERANGE, 5);
	t->res[5].size = 2;	/* ends exactly at the top: fine */
	expect_local(t, RELIEF_OWNER_OK, 0);
	*t = good;
	t->res[2].hw_id = 0;
	expect_local(t, RELIEF_OWNER_EDUP, 2);
	*t = good;
	t->res[5].base = (2 << 20) - 1;	/* one byte over the previous */
	expect_local(t, RELIEF_OWNER_EOVERLAP, 5);
	t->res[5].base = 2 << 20;
	relief_owner_add_mem(t, 0, 1, RELIEF_OWN_OLD, 0);
	expect_local(t, RELIEF_OWNER_EOVERLAP, 6);
	assert_string_equal(relief_owner_err_name(RELIEF_OWNER_EOVERLAP),
			    "EOVERLAP");
	assert_string_equal(relief_owner_err_name(RELIEF_OWNER_ECOUNT), "?");
	assert_string_equal(relief_owner_err_name(-1), "?");
	for (int i = 0; i < RELIEF_OWNER_ECOUNT; i++)
		assert_string_not_equal(relief_owner_err_name(i), "?");
}

static void expect_global(struct gfx *g, int err, uint32_t index,
			  uint32_t owners)
{
	assert_int_equal(global(g), err);
	assert_int_equal(g->fault.err, (uint32_t)err);
	if (err) {
		assert_int_equal(g->fault.index, index);
		assert_int_equal(g->fault.owners, owners);
	}
}

/* Before and just after START_NEW. */
static void test_global_start(void **state)
{
	struct gfx *g = *state;

	/* NEW booting: OLD's word is enough. */
	g->nv.status = RELIEF_VIEW_ABSENT;
	relief_owner_init(&g->new);
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	relief_owner_set_all(&g->old, RELIEF_OWN_OLD);
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	/* NEW up: its own view must claim its partition. */
	fill(g);
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	g->new.res[2].owner = RELIEF_OWN_OLD;
	expect_global(g, RELIEF_OWNER_ENONE, 2, 0);
	g->new.res[2].owner = RELIEF_OWN_NEW;
	g->new.res[0].owner = RELIEF_OWN_NEW;
	expect_global(g, RELIEF_OWNER_EBOTH, 0, RELIEF_OWN_MASK);
}

/* A release is NEW's from the instant it is published. */
static void test_global_release(void **state)
{
	struct gfx *g = *state;
	struct relief_msg *m;

	g->old.res[1].owner = RELIEF_OWN_NEW;		/* OLD published... */
	expect_global(g, RELIEF_OWNER_ENONE, 1, 0);	/* ...lost? */
	m = fly(g, RELIEF_ROLE_OLD, RELIEF_MSG_CPU_RELEASE);
	m->u.cpus.nr = 1;
	m->u.cpus.hw_ids[0] = 1;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);	/* in flight */
	g->old.res[1].owner = RELIEF_OWN_OLD;		/* kept it too? */
	expect_global(g, RELIEF_OWNER_EBOTH, 1, RELIEF_OWN_MASK);
	g->old.res[1].owner = RELIEF_OWN_NEW;
	g->nr_fly = 0;					/* NEW read it */
	g->new.res[1].owner = RELIEF_OWN_NEW;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);

	g->old.res[4].owner = RELIEF_OWN_NEW;
	m = fly(g, RELIEF_ROLE_OLD, RELIEF_MSG_MEM_RELEASE);
	m->u.mem.base = 1 << 20;
	m->u.mem.size = 1 << 20;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	m->u.mem.size = 1 << 19;		/* not that range */
	expect_global(g, RELIEF_OWNER_EUNKNOWN, 0, 0);
	m->u.mem.size = 1 << 20;
	m->sender = RELIEF_ROLE_NEW;		/* not a grant */
	expect_global(g, RELIEF_OWNER_ENONE, 4, 0);
	/* A CPU_RELEASE with a silly count is read only up to its array. */
	m->sender = RELIEF_ROLE_OLD;
	m = fly(g, RELIEF_ROLE_OLD, RELIEF_MSG_CPU_RELEASE);
	m->u.cpus.nr = 1000;
	for (int i = 0; i < RELIEF_CPU_RELEASE_MAX; i++)
		m->u.cpus.hw_ids[i] = 1;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	m->u.cpus.hw_ids[3] = 42;
	expect_global(g, RELIEF_OWNER_EUNKNOWN, 1, 0);
}

/* I_STAND_RELIEVED hands over everything at once. */
static void test_global_stand_relieved(void **state)
{
	struct gfx *g = *state;

	relief_owner_set_all(&g->old, RELIEF_OWN_NEW);
	g->ov.status = RELIEF_VIEW_DONE;
	expect_global(g, RELIEF_OWNER_ENONE, 0, 0);
	fly(g, RELIEF_ROLE_OLD, RELIEF_MSG_I_STAND_RELIEVED);
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	g->nr_fly = 0;
	relief_owner_set_all(&g->new, RELIEF_OWN_NEW);
	g->nv.status = RELIEF_VIEW_DONE;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	/* A NEW that rolled back beside a relieved OLD: nobody. */
	g->nv.status = RELIEF_VIEW_LEFT;
	relief_owner_set_all(&g->new, RELIEF_OWN_OLD);
	fly(g, RELIEF_ROLE_NEW, RELIEF_MSG_ROLLBACK);
	expect_global(g, RELIEF_OWNER_ENONE, 0, 0);
	/* A relieved OLD with no NEW at all: nobody. */
	g->nv.status = RELIEF_VIEW_ABSENT;
	expect_global(g, RELIEF_OWNER_ENONE, 0, 0);
}

/* Leaving the run: OLD's stop is final; NEW's message owns the gap. */
static void test_global_leave(void **state)
{
	struct gfx *g = *state;

	/* OLD aborted: whatever NEW still believes is void... */
	relief_owner_set_all(&g->old, RELIEF_OWN_OLD);
	g->ov.status = RELIEF_VIEW_LEFT;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	/* ...unless NEW thinks it was relieved. */
	g->nv.status = RELIEF_VIEW_DONE;
	expect_global(g, RELIEF_OWNER_EBOTH, 2, RELIEF_OWN_MASK);

	/* NEW aborted, OLD has not read it yet. */
	fill(g);
	relief_owner_set_all(&g->new, RELIEF_OWN_OLD);
	g->nv.status = RELIEF_VIEW_LEFT;
	expect_global(g, RELIEF_OWNER_ENONE, 2, 0);
	fly(g, RELIEF_ROLE_OLD, RELIEF_MSG_ABORT);	/* OLD's: no help */
	expect_global(g, RELIEF_OWNER_ENONE, 2, 0);
	fly(g, RELIEF_ROLE_NEW, RELIEF_MSG_ABORT);
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	g->fly[1].type = RELIEF_MSG_ROLLBACK;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	/* A grant to a NEW that has left goes nowhere. */
	g->nr_fly = 0;
	g->nv.status = RELIEF_VIEW_ACTIVE;
	g->new.res[2].owner = RELIEF_OWN_NEW;
	g->new.res[5].owner = RELIEF_OWN_NEW;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
}

static void test_global_bad_tables(void **state)
{
	struct gfx *g = *state;

	g->old.res[0].owner = 0;
	expect_global(g, RELIEF_OWNER_ENONE, 0, 0);
	g->old.res[0].owner = RELIEF_OWN_OLD;
	g->new.res[3].kind = 0;
	expect_global(g, RELIEF_OWNER_EKIND, 3, RELIEF_OWN_OLD);
	g->new.res[3].kind = RELIEF_RES_MEM;
	relief_owner_add_cpu(&g->new, 99, RELIEF_OWN_OLD, 0);
	expect_global(g, RELIEF_OWNER_EUNKNOWN, 6, 0);
	g->new.nr--;
	relief_owner_add_mem(&g->new, 1 << 30, 1, RELIEF_OWN_OLD, 0);
	expect_global(g, RELIEF_OWNER_EUNKNOWN, 6, 0);
	g->new.nr--;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	/* NEW need not list what it never heard of. */
	g->new.nr = 3;
	relief_owner_set_all(&g->new, RELIEF_OWN_OLD);
	g->new.res[2].owner = RELIEF_OWN_NEW;
	g->old.res[5].owner = RELIEF_OWN_OLD;
	g->old.res[2].owner = RELIEF_OWN_NEW;
	expect_global(g, RELIEF_OWNER_OK, 0, 0);
	assert_int_equal(relief_owner_check_global(&g->ov, &g->nv, NULL, 0,
						   NULL), RELIEF_OWNER_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_basics),
		cmocka_unit_test_setup_teardown(test_local_check, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_global_start, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_global_release, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_global_stand_relieved,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_leave, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_global_bad_tables, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
