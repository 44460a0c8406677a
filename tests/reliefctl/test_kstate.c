// SPDX-License-Identifier: GPL-2.0
/*
 * test_kstate.c - parsing what the kernel shows in /sys/kernel/relief (the
 * formats of kernel/relief/relief_old.c's show functions), and reading it
 * from a fake tree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fake.h"
#include "kstate.h"

static void test_state(void **state)
{
	struct kstate_state st;

	(void)state;
	assert_int_equal(kstate_parse_state("WAIT_READY\n", &st), 0);
	assert_string_equal(st.name, "WAIT_READY");
	assert_string_equal(st.reason, "");
	assert_int_equal(kstate_parse_state("ABORTED OPERATOR\n", &st), 0);
	assert_string_equal(st.name, "ABORTED");
	assert_string_equal(st.reason, "OPERATOR");
	assert_int_equal(kstate_parse_state("ROLLED_BACK  BOOT_TIMEOUT", &st), 0);
	assert_string_equal(st.reason, "BOOT_TIMEOUT");
	assert_int_equal(kstate_parse_state("NEW RELIEVED\n", &st), 0);
	assert_string_equal(st.name, "NEW RELIEVED");
	assert_int_equal(kstate_parse_state("NEW ROLLED_BACK PANIC\n", &st), 0);
	assert_string_equal(st.name, "NEW ROLLED_BACK");
	assert_string_equal(st.reason, "PANIC");
	assert_int_equal(kstate_parse_state("NEW\n", &st), -1);
	assert_int_equal(kstate_parse_state("", &st), -1);
	assert_int_equal(kstate_parse_state(" \n", &st), -1);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(kstate_classify("IDLE"), KSTATE_IDLE);
	assert_int_equal(kstate_classify("ABORTED"), KSTATE_ENDED);
	assert_int_equal(kstate_classify("ROLLED_BACK"), KSTATE_ENDED);
	assert_int_equal(kstate_classify("STOOD_RELIEVED"), KSTATE_ENDED);
	assert_int_equal(kstate_classify("STARTING"), KSTATE_RUNNING);
	assert_int_equal(kstate_classify("WAIT_READY"), KSTATE_RUNNING);
	assert_int_equal(kstate_classify("READY_SENT"), KSTATE_RUNNING);
	assert_int_equal(kstate_classify("WAIT_ACK"), KSTATE_RUNNING);
	assert_int_equal(kstate_classify("NEW RELIEVED"), KSTATE_ENDED);
	assert_int_equal(kstate_classify("NEW ACKED"), KSTATE_RUNNING);
}

static void test_region(void **state)
{
	struct kstate_region r;

	(void)state;
	/* %#llx prints 0 as "0". */
	assert_int_equal(kstate_parse_region("0 0 0 0\n", &r), 0);
	assert_true(!r.base && !r.size && !r.low_base && !r.low_size);
	assert_int_equal(kstate_parse_region(
		"0x100000000 0x20000000 0x98000 0x1000\n", &r), 0);
	assert_true(r.base == 0x100000000ull && r.size == 0x20000000ull &&
		    r.low_base == 0x98000 && r.low_size == 0x1000);
	assert_int_equal(kstate_parse_region("0x1000 0x2000 0\n", &r), -1);
	assert_int_equal(kstate_parse_region("0x1000 0x2000 0 0 junk", &r), -1);
	assert_int_equal(kstate_parse_region("-1 0 0 0", &r), -1);
	assert_int_equal(kstate_parse_region("", &r), -1);
}

static void test_timings(void **state)
{
	struct kstate_timing t[3];

	(void)state;
	assert_int_equal(kstate_parse_timings("", t, 3), 0);
	assert_int_equal(kstate_parse_timings(
		"prepare 0\ncpus-parked 1234567\nbad line\nloaded x\n"
		"started 99\nended 5\n", t, 3), 3);
	assert_string_equal(t[0].phase, "prepare");
	assert_true(t[0].ns == 0);
	assert_string_equal(t[1].phase, "cpus-parked");
	assert_true(t[1].ns == 1234567);
	assert_string_equal(t[2].phase, "started");	/* junk skipped */
	assert_true(t[2].ns == 99);
}

static void test_cpus(void **state)
{
	struct relief_cpuset s;
	char why[64];

	(void)state;
	assert_int_equal(kstate_parse_cpus("\n", &s, why, sizeof(why)), 0);
	assert_int_equal(relief_cpuset_count(&s), 0);
	assert_int_equal(kstate_parse_cpus("", &s, why, sizeof(why)), 0);
	assert_int_equal(kstate_parse_cpus("2-3\n", &s, why, sizeof(why)), 0);
	assert_int_equal(relief_cpuset_count(&s), 2);
	assert_true(relief_cpuset_test(&s, 2) && relief_cpuset_test(&s, 3));
	assert_int_equal(kstate_parse_cpus("2-x", &s, why, sizeof(why)), -1);
}

static void test_lines(void **state)
{
	const char *p = "release 6.12.117-relief-b\nprotocol 1-1\n\n  "
			"features   0x3  \nlonely\n";
	char k[16], v[16];

	(void)state;
	assert_int_equal(kstate_next_line(&p, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "release");
	assert_string_equal(v, "6.12.117-relief");	/* cut to the buffer */
	assert_int_equal(kstate_next_line(&p, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "protocol");
	assert_string_equal(v, "1-1");
	assert_int_equal(kstate_next_line(&p, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "features");
	assert_string_equal(v, "0x3");
	assert_int_equal(kstate_next_line(&p, k, sizeof(k), v, sizeof(v)), 1);
	assert_string_equal(k, "lonely");
	assert_string_equal(v, "");
	assert_int_equal(kstate_next_line(&p, k, sizeof(k), v, sizeof(v)), 0);
}

static void test_read_tree(void **state)
{
	struct kstate_state st;
	struct kstate_region r;
	struct relief_cpuset s;
	char buf[8];

	(void)state;
	rt_fake_init();
	assert_string_equal(reliefctl_dev_path(), rt_fake_path("dev"));
	assert_int_equal(kstate_read_state(&st), 0);
	assert_string_equal(st.name, "IDLE");
	assert_int_equal(kstate_read_region(&r), 0);
	assert_true(r.size == 0x20000000);
	assert_int_equal(kstate_read_cpus(reliefctl_cpu_dir(), "online", &s),
			 0);
	assert_int_equal(relief_cpuset_count(&s), 4);
	/* A file longer than the buffer is cut, NUL-terminated. */
	assert_int_equal(kstate_read(reliefctl_sysfs_dir(), "version", buf,
				     sizeof(buf)), 7);
	assert_string_equal(buf, "0.1.0 p");
	rt_fake_write("sys/state", "");
	assert_int_equal(kstate_read_state(&st), -EINVAL);
	rt_fake_write("sys/region", "garbage\n");
	assert_int_equal(kstate_read_region(&r), -EINVAL);
	rt_fake_write("cpu/online", "0-\n");
	assert_int_equal(kstate_read_cpus(reliefctl_cpu_dir(), "online", &s),
			 -EINVAL);
	rt_fake_remove("sys/state");
	assert_int_equal(kstate_read_state(&st), -ENOENT);
	rt_fake_remove("sys/region");
	assert_int_equal(kstate_read_region(&r), -ENOENT);
	assert_int_equal(kstate_read_cpus(reliefctl_sysfs_dir(), "nope", &s),
			 -ENOENT);
	rt_fake_cleanup();
	/* Without the environment: the kernel's own paths. */
	assert_string_equal(reliefctl_sysfs_dir(), "/sys/kernel/relief");
	assert_string_equal(reliefctl_dev_path(), "/dev/relief");
	assert_string_equal(reliefctl_cpu_dir(), "/sys/devices/system/cpu");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_timings),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_read_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
