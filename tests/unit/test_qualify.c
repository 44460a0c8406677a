// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_qualify.c - OLD's check of NEW's qualifications, NEW's check of the
 * answer, and version negotiation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "relief_qualify.h"

static void fixture(struct relief_expect *e, struct relief_quals *q)
{
	memset(e, 0, sizeof(*e));
	memset(q, 0, sizeof(*q));
	e->proto_min = 1;
	e->proto_max = 3;
	e->hwdesc_crc = 0xABCD1234;
	e->features = RELIEF_FEAT_HEARTBEAT | RELIEF_FEAT_PROC_COPY |
		      RELIEF_FEAT_CONSOLE_RING;
	e->required = RELIEF_FEAT_PROC_COPY;
	e->nr_cpus_described = 16;
	e->nr_cpus_lent = 4;
	e->mem_bytes_lent = 1ULL << 30;
	strcpy(q->release, "6.12.1");
	q->proto_min = 2;
	q->proto_max = 5;
	q->features = RELIEF_FEAT_PROC_COPY | RELIEF_FEAT_HEARTBEAT |
		      RELIEF_FEAT_MEM_HOTPLUG;
	q->hwdesc_crc = 0xABCD1234;
	q->nr_cpus_seen = 16;
	q->nr_cpus_up = 4;
	q->mem_bytes = 1ULL << 30;
}

static void test_version(void **state)
{
	uint16_t v = 0;

	(void)state;
	assert_int_equal(relief_qualify_version(1, 3, 2, 5, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(relief_qualify_version(2, 5, 1, 3, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(relief_qualify_version(1, 1, 1, 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(relief_qualify_version(4, 9, 1, 6, &v), 0);
	assert_int_equal(v, 6);
	v = 77;
	assert_int_equal(relief_qualify_version(1, 2, 3, 4, &v),
			 RELIEF_REASON_PROTO_VERSION);
	assert_int_equal(relief_qualify_version(3, 4, 1, 2, &v),
			 RELIEF_REASON_PROTO_VERSION);
	assert_int_equal(relief_qualify_version(3, 1, 1, 5, &v),
			 RELIEF_REASON_PROTO_VERSION);
	assert_int_equal(relief_qualify_version(1, 5, 4, 2, &v),
			 RELIEF_REASON_PROTO_VERSION);
	assert_int_equal(v, 77);
}

static void test_check_ok(void **state)
{
	struct relief_expect e;
	struct relief_quals q;
	struct relief_msg_agreed a = { 0 };

	(void)state;
	fixture(&e, &q);
	assert_int_equal(relief_qualify_check(&e, &q, &a), RELIEF_REASON_NONE);
	assert_int_equal(a.proto_version, 3);
	assert_int_equal(a.features, RELIEF_FEAT_PROC_COPY |
			 RELIEF_FEAT_HEARTBEAT);
	/* Less memory than lent is fine; a release filling the buffer too. */
	q.mem_bytes = 1;
	memset(q.release, 'x', RELIEF_RELEASE_LEN - 1);
	q.release[RELIEF_RELEASE_LEN - 1] = '\0';
	assert_int_equal(relief_qualify_check(&e, &q, &a), RELIEF_REASON_NONE);
}

static void expect_reason(void (*spoil)(struct relief_expect *,
					struct relief_quals *), int reason)
{
	struct relief_expect e;
	struct relief_quals q;
	struct relief_msg_agreed a = { .proto_version = 99, .features = 7 };

	fixture(&e, &q);
	spoil(&e, &q);
	assert_int_equal(relief_qualify_check(&e, &q, &a), reason);
	/* A refusal agrees to nothing. */
	assert_int_equal(a.proto_version, 99);
	assert_int_equal(a.features, 7);
}

static void empty_release(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->release[0] = '\0';
}

static void unterminated(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	memset(q->release, 'x', RELIEF_RELEASE_LEN);
}

static void disjoint(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->proto_min = 4;
}

static void backwards(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->proto_min = 3;
	q->proto_max = 2;
}

static void new_lacks(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->features = RELIEF_FEAT_HEARTBEAT;
}

static void old_lacks(struct relief_expect *e, struct relief_quals *q)
{
	(void)q;
	e->required |= RELIEF_FEAT_MEM_HOTPLUG;
}

static void other_desc(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->hwdesc_crc ^= 1;
}

static void saw_fewer(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->nr_cpus_seen = 15;
}

static void up_more(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->nr_cpus_up = 5;
}

static void uses_more(struct relief_expect *e, struct relief_quals *q)
{
	(void)e;
	q->mem_bytes = (1ULL << 30) + 1;
}

/* Several faults at once: the earlier check names the reason. */
static void all_wrong(struct relief_expect *e, struct relief_quals *q)
{
	disjoint(e, q);
	new_lacks(e, q);
	up_more(e, q);
}

static void hw_and_features(struct relief_expect *e, struct relief_quals *q)
{
	new_lacks(e, q);
	up_more(e, q);
}

static void test_check_refusals(void **state)
{
	(void)state;
	expect_reason(empty_release, RELIEF_REASON_BAD_MESSAGE);
	expect_reason(unterminated, RELIEF_REASON_BAD_MESSAGE);
	expect_reason(disjoint, RELIEF_REASON_PROTO_VERSION);
	expect_reason(backwards, RELIEF_REASON_PROTO_VERSION);
	expect_reason(new_lacks, RELIEF_REASON_FEATURES);
	expect_reason(old_lacks, RELIEF_REASON_FEATURES);
	expect_reason(other_desc, RELIEF_REASON_HW_MISMATCH);
	expect_reason(saw_fewer, RELIEF_REASON_HW_MISMATCH);
	expect_reason(up_more, RELIEF_REASON_HW_MISMATCH);
	expect_reason(uses_more, RELIEF_REASON_HW_MISMATCH);
	expect_reason(all_wrong, RELIEF_REASON_PROTO_VERSION);
	expect_reason(hw_and_features, RELIEF_REASON_FEATURES);
}

static void test_answer(void **state)
{
	struct relief_expect e;
	struct relief_quals q;
	struct relief_msg_agreed a = { 0 };

	(void)state;
	fixture(&e, &q);
	assert_int_equal(relief_qualify_check(&e, &q, &a), 0);
	/* What OLD chose passes NEW's own check. */
	assert_int_equal(relief_qualify_check_answer(&q, RELIEF_FEAT_PROC_COPY,
						     &a), RELIEF_REASON_NONE);
	a.proto_version = 1;	/* below NEW's range */
	assert_int_equal(relief_qualify_check_answer(&q, 0, &a),
			 RELIEF_REASON_PROTO_VERSION);
	a.proto_version = 6;	/* above it */
	assert_int_equal(relief_qualify_check_answer(&q, 0, &a),
			 RELIEF_REASON_PROTO_VERSION);
	a.proto_version = 5;
	assert_int_equal(relief_qualify_check_answer(&q, 0, &a), 0);
	a.features |= RELIEF_FEAT_CONSOLE_RING;	/* NEW never offered it */
	assert_int_equal(relief_qualify_check_answer(&q, 0, &a),
			 RELIEF_REASON_FEATURES);
	a.features = RELIEF_FEAT_PROC_COPY;	/* NEW's requirement dropped */
	assert_int_equal(relief_qualify_check_answer(&q, RELIEF_FEAT_HEARTBEAT,
						     &a),
			 RELIEF_REASON_FEATURES);
	/* Another transfer method than the one NEW requires. */
	q.features |= RELIEF_FEAT_PROC_IN_PLACE;
	a.features = RELIEF_FEAT_PROC_IN_PLACE;
	assert_true(relief_qualify_can_commit(&a));
	assert_int_equal(relief_qualify_check_answer(&q, RELIEF_FEAT_PROC_COPY,
						     &a),
			 RELIEF_REASON_FEATURES);
	/*
	 * No transfer method: a rehearsal, which moves nothing, so a required
	 * transfer method is not missed; anything else required still is.
	 */
	a.features = RELIEF_FEAT_HEARTBEAT;
	assert_false(relief_qualify_can_commit(&a));
	assert_int_equal(relief_qualify_check_answer(&q,
						     RELIEF_QUALIFY_TRANSFER,
						     &a), RELIEF_REASON_NONE);
	assert_int_equal(relief_qualify_check_answer(&q,
						     RELIEF_FEAT_PROC_COPY |
						     RELIEF_FEAT_MEM_HOTPLUG,
						     &a),
			 RELIEF_REASON_FEATURES);
	a.features = 0;
	assert_false(relief_qualify_can_commit(&a));
	assert_int_equal(relief_qualify_check_answer(&q, 0, &a),
			 RELIEF_REASON_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_check_ok),
		cmocka_unit_test(test_check_refusals),
		cmocka_unit_test(test_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
