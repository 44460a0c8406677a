// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_status.c - `reliefctl status [--json]` against a fake kernel:
 * idle, mid-run, after a run, an older relief that shows only its version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fake.h"
#include "reliefctl.h"

static char *out_text, *err_text;

static int run(const char *arg)
{
	char *argv[3] = { "status", (char *)arg, NULL };
	size_t n1, n2;
	FILE *out, *err;
	int rc;

	free(out_text);
	free(err_text);
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_status_with(arg ? 2 : 1, argv, out, err);
	fclose(out);
	fclose(err);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	rt_fake_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rt_fake_cleanup();
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	return 0;
}

static void test_idle(void **state)
{
	(void)state;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text,
		"kernel relief: 0.1.0 protocol 1-1\n"
		"state: IDLE\n"
		"lent CPUs: none\n"
		"region: 512M at 0x100000000, low chunk 4K at 0x98000\n");
	assert_int_equal(run("--json"), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text,
		"{\"kernel\":\"0.1.0 protocol 1-1\",\"state\":\"IDLE\","
		"\"reason\":null,\"cpus\":[],\"region\":{\"base\":4294967296,"
		"\"size\":536870912,\"low_base\":622592,\"low_size\":4096},"
		"\"peer\":null,\"timings\":{}}\n");
}

static void test_no_region(void **state)
{
	(void)state;
	rt_fake_write("sys/region", "0 0 0 0\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_non_null(strstr(out_text, "region: none (boot with "
			       "relief_region=SIZE)\n"));
}

static void test_running(void **state)
{
	(void)state;
	rt_fake_write("sys/state", "READY_SENT\n");
	rt_fake_write("sys/cpus", "2-3\n");
	rt_fake_write("sys/peer", "release 6.12.117-relief-b\nprotocol 1-1\n"
		      "features 0x3\ncpus_seen 2\ncpus_up 2\n"
		      "mem_bytes 534773760\n");
	rt_fake_write("sys/timings", "prepare 0\nloaded 25000000\n"
		      "ready-to-relieve 3456789012\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text,
		"kernel relief: 0.1.0 protocol 1-1\n"
		"state: READY_SENT\n"
		"lent CPUs: 2-3\n"
		"region: 512M at 0x100000000, low chunk 4K at 0x98000\n"
		"kernel B: release 6.12.117-relief-b, protocol 1-1, features "
		"0x3, cpus_seen 2, cpus_up 2, mem_bytes 534773760\n"
		"timings (since prepare):\n"
		"  prepare                       0.000 ms\n"
		"  loaded                       25.000 ms\n"
		"  ready-to-relieve           3456.789 ms\n");
	assert_int_equal(run("--json"), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text,
		"{\"kernel\":\"0.1.0 protocol 1-1\",\"state\":\"READY_SENT\","
		"\"reason\":null,\"cpus\":[2,3],\"region\":{\"base\":4294967296,"
		"\"size\":536870912,\"low_base\":622592,\"low_size\":4096},"
		"\"peer\":{\"release\":\"6.12.117-relief-b\",\"protocol\":"
		"\"1-1\",\"features\":\"0x3\",\"cpus_seen\":2,\"cpus_up\":2,"
		"\"mem_bytes\":534773760},\"timings\":{\"prepare\":0,"
		"\"loaded\":25000000,\"ready-to-relieve\":3456789012}}\n");
}

static void test_ended(void **state)
{
	(void)state;
	rt_fake_write("sys/state", "ABORTED OPERATOR\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_non_null(strstr(out_text, "state: ABORTED (OPERATOR)\n"));
	assert_int_equal(run("--json"), RELIEFCTL_EXIT_OK);
	assert_non_null(strstr(out_text, "\"state\":\"ABORTED\","
			       "\"reason\":\"OPERATOR\","));
}

static void test_escaping(void **state)
{
	(void)state;
	/* Whatever the kernel says goes out as valid JSON. */
	rt_fake_write("sys/version", "0.1 \"beta\"\\x\t\n");
	rt_fake_write("sys/peer", "release 6.12 \"odd\"\x01\n"
		      "cpus_up 007\nmem_bytes 123456789012345678901234\n");
	assert_int_equal(run("--json"), RELIEFCTL_EXIT_OK);
	assert_non_null(strstr(out_text, "{\"kernel\":\"0.1 \\\"beta\\\"\\\\x"
			       "\\t\","));
	assert_non_null(strstr(out_text, "\"peer\":{\"release\":\"6.12 "
			       "\\\"odd\\\"\\u0001\",\"cpus_up\":\"007\","
			       "\"mem_bytes\":\"123456789012345678901234\"}"));
}

static void test_version_only(void **state)
{
	(void)state;
	/* An older relief: a version and nothing else. */
	rt_fake_remove("sys/state");
	rt_fake_remove("sys/cpus");
	rt_fake_remove("sys/region");
	rt_fake_remove("sys/peer");
	rt_fake_remove("sys/timings");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text, "kernel relief: 0.1.0 protocol 1-1\n");
	assert_int_equal(run("--json"), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text,
		"{\"kernel\":\"0.1.0 protocol 1-1\",\"state\":null,"
		"\"reason\":null,\"cpus\":null,\"region\":null,\"peer\":null,"
		"\"timings\":{}}\n");
}

static void test_refusals(void **state)
{
	(void)state;
	assert_int_equal(run("--yaml"), RELIEFCTL_EXIT_USAGE);
	assert_non_null(strstr(err_text, "unknown option '--yaml'"));
	rt_fake_remove("sys/version");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_non_null(strstr(err_text, "this kernel has no relief support"));
	assert_string_equal(out_text, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_idle),
		T(test_no_region),
		T(test_running),
		T(test_ended),
		T(test_escaping),
		T(test_version_only),
		T(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
