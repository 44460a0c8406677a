// SPDX-License-Identifier: GPL-2.0
/* test_cpulist.c - CPU sets and cpulist parsing/formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cpulist.h"

static struct relief_cpuset set;
static char err[128];

static void assert_round_trip(const char *in, const char *out)
{
	char buf[256];

	assert_int_equal(relief_cpulist_parse(in, &set, err, sizeof(err)), 0);
	assert_int_equal(relief_cpulist_format(&set, buf, sizeof(buf)),
			 strlen(out));
	assert_string_equal(buf, out);
}

static void test_parse_forms(void **state)
{
	(void)state;
	assert_round_trip("2-3,6", "2-3,6");
	assert_int_equal(relief_cpuset_count(&set), 3);
	assert_true(relief_cpuset_test(&set, 2));
	assert_false(relief_cpuset_test(&set, 4));
	assert_round_trip("0", "0");
	assert_round_trip("5,4,3", "3-5");		/* merged, sorted */
	assert_round_trip("1-1", "1");
	assert_round_trip("0-3,2-5\n", "0-5");		/* sysfs newline */
	assert_round_trip("007", "7");
	assert_round_trip("63,64,127,128", "63-64,127-128");
	assert_round_trip("8191", "8191");
	assert_round_trip("0-8191", "0-8191");
	assert_int_equal(relief_cpuset_count(&set), RELIEF_MAX_CPUS);
}

static void assert_bad(const char *in, const char *why)
{
	assert_int_equal(relief_cpulist_parse(in, &set, err, sizeof(err)), -1);
	assert_non_null(strstr(err, why));
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_bad("", "empty");
	assert_bad("\n", "empty");
	assert_bad("3-1", "backwards");
	assert_bad("1,", "expected a CPU number");
	assert_bad(",1", "expected a CPU number");
	assert_bad("1-", "expected a CPU number");
	assert_bad("-1", "expected a CPU number");
	assert_bad("1 2", "unexpected ' '");
	assert_bad("1\n2", "unexpected");
	assert_bad("a", "expected a CPU number");
	assert_bad("8192", "too large");
	assert_bad("99999999999999999999", "too large");
	assert_bad("0-8192", "too large");
}

static void test_iterate(void **state)
{
	int seen[8], n = 0;

	(void)state;
	relief_cpuset_zero(&set);
	assert_int_equal(relief_cpuset_first(&set), -1);
	assert_int_equal(relief_cpuset_last(&set), -1);
	relief_cpuset_set(&set, 0);
	relief_cpuset_set(&set, 64);
	relief_cpuset_set(&set, 4000);
	relief_cpuset_set(&set, 8191);
	for (int c = relief_cpuset_first(&set); c >= 0 && n < 8;
	     c = relief_cpuset_next(&set, c))
		seen[n++] = c;
	assert_int_equal(n, 4);
	assert_int_equal(seen[0], 0);
	assert_int_equal(seen[1], 64);
	assert_int_equal(seen[2], 4000);
	assert_int_equal(seen[3], 8191);
	assert_int_equal(relief_cpuset_last(&set), 8191);
	assert_int_equal(relief_cpuset_next(&set, 8191), -1);
	assert_false(relief_cpuset_test(&set, RELIEF_MAX_CPUS));
}

static void test_format_truncates_like_snprintf(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(relief_cpulist_parse("1-3,10,20-29", &set, err,
					      sizeof(err)), 0);
	assert_int_equal(relief_cpulist_format(&set, buf, sizeof(buf)),
			 strlen("1-3,10,20-29"));
	assert_string_equal(buf, "1-3,1");
	assert_int_equal(relief_cpulist_format(&set, NULL, 0), 12);
	relief_cpuset_zero(&set);
	assert_int_equal(relief_cpulist_format(&set, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_format_truncates_like_snprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
