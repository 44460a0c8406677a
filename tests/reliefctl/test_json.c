// SPDX-License-Identifier: GPL-2.0
/* test_json.c - JSON string escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "json.h"

static void expect(const char *in, const char *want)
{
	char *text = NULL;
	size_t n;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	reliefctl_json_string(f, in);
	fclose(f);
	assert_string_equal(text, want);
	free(text);
}

static void test_plain(void **state)
{
	(void)state;
	expect("", "\"\"");
	expect("6.12.117-relief-b", "\"6.12.117-relief-b\"");
}

static void test_escapes(void **state)
{
	(void)state;
	expect("a\"b", "\"a\\\"b\"");
	expect("back\\slash", "\"back\\\\slash\"");
	expect("l1\nl2\r\t", "\"l1\\nl2\\r\\t\"");
	expect("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	expect("\x1b[0m", "\"\\u001b[0m\"");
}

static void test_utf8_passes(void **state)
{
	(void)state;
	expect("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8_passes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
