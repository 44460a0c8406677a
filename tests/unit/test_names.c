// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* test_names.c - message type, reason and role names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "relief_msg.h"
#include "relief_names.h"

static void test_msg_type_names(void **state)
{
	static const char *const want[RELIEF_MSG_TYPE_COUNT] = {
		"NONE", "READY_TO_RELIEVE", "READY_TO_BE_RELIEVED",
		"I_RELIEVE_YOU", "I_STAND_RELIEVED", "ABORT", "ROLLBACK",
		"HEARTBEAT", "PROC_IMAGE", "DEVICE_HANDOVER", "CPU_RELEASE",
		"MEM_RELEASE", "TRANSFER_DONE", "TRANSFER_ACK",
	};
	uint32_t i;

	(void)state;
	for (i = 0; i < RELIEF_MSG_TYPE_COUNT; i++)
		assert_string_equal(relief_msg_type_name(i), want[i]);
	assert_string_equal(relief_msg_type_name(RELIEF_MSG_I_RELIEVE_YOU),
			    "I_RELIEVE_YOU");
	assert_string_equal(relief_msg_type_name(RELIEF_MSG_TYPE_COUNT),
			    "UNKNOWN");
	assert_string_equal(relief_msg_type_name(0xffffffffu), "UNKNOWN");
}

static void test_reason_names(void **state)
{
	static const char *const want[RELIEF_REASON_COUNT] = {
		"NONE", "OPERATOR", "TIMEOUT", "PROTO_VERSION", "FEATURES",
		"HW_MISMATCH", "BAD_MESSAGE", "UNEXPECTED", "DUMP_FAILED",
		"RESTORE_FAILED", "DEVICE_FAILED", "PEER_DEAD", "PANIC",
		"INTERNAL",
	};
	uint32_t i;

	(void)state;
	for (i = 0; i < RELIEF_REASON_COUNT; i++)
		assert_string_equal(relief_reason_name(i), want[i]);
	assert_string_equal(relief_reason_name(RELIEF_REASON_PEER_DEAD),
			    "PEER_DEAD");
	assert_string_equal(relief_reason_name(RELIEF_REASON_COUNT),
			    "UNKNOWN");
	assert_string_equal(relief_reason_name(0x80000000u), "UNKNOWN");
}

static void test_role_names(void **state)
{
	(void)state;
	assert_string_equal(relief_role_name(RELIEF_ROLE_OLD), "OLD");
	assert_string_equal(relief_role_name(RELIEF_ROLE_NEW), "NEW");
	assert_string_equal(relief_role_name(0), "UNKNOWN");
	assert_string_equal(relief_role_name(3), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_type_names),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_role_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
