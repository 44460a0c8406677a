// SPDX-License-Identifier: GPL-2.0
/* test_size.c - --mem sizes: parsing and printing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "size.h"

static uint64_t parsed(const char *s)
{
	uint64_t v = 0;

	assert_int_equal(relief_size_parse(s, &v), 0);
	return v;
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(parsed("256M"), UINT64_C(256) << 20);
	assert_int_equal(parsed("256m"), UINT64_C(256) << 20);
	assert_int_equal(parsed("4096K"), UINT64_C(4) << 20);
	assert_int_equal(parsed("1G"), UINT64_C(1) << 30);
	assert_int_equal(parsed("64g"), UINT64_C(64) << 30);
	assert_int_equal(parsed("2T"), UINT64_C(2) << 40);
	assert_int_equal(parsed("12345"), 12345);
	assert_int_equal(parsed("18446744073709551615"), UINT64_MAX);
	assert_int_equal(parsed("16777215T"), UINT64_C(16777215) << 40);
}

static void test_parse_refuses(void **state)
{
	const char *bad[] = { "", "M", "0", "0G", "-1G", "1.5G", "1GB", "1 G",
		"1X", " 1G", "18446744073709551616", "16777216T",
		"99999999999999999999999" };
	uint64_t v = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(relief_size_parse(bad[i], &v), -1);
		assert_int_equal(v, 42);	/* untouched on error */
	}
}

static void assert_formats(uint64_t bytes, const char *want)
{
	char buf[32];

	relief_size_format(bytes, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	(void)state;
	assert_formats(0, "0");
	assert_formats(1023, "1023");
	assert_formats(1024, "1K");
	assert_formats(UINT64_C(256) << 20, "256M");
	assert_formats(UINT64_C(1) << 30, "1G");
	assert_formats(UINT64_C(1) << 40, "1T");
	assert_formats(UINT64_C(1536) << 20, "1.5G");
	assert_formats((UINT64_C(2) << 30) - 1, "1.9G");  /* rounded down */
	assert_formats(UINT64_C(1023) << 20, "1023M");
	assert_formats(UINT64_MAX, "16777215.9T");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
