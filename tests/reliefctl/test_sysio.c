// SPDX-License-Identifier: GPL-2.0
/*
 * test_sysio.c - the real ioctl, clock and sleep that every other test
 * replaces: an ioctl error comes back as -errno, the clock never goes
 * back, a sleep of nothing returns. Freezing and mounting only where
 * they cannot succeed: /proc cannot be frozen or thawed (no file system
 * is ever frozen here), nothing mounts on a missing directory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sysio.h"

static void test_sysio(void **state)
{
	uint64_t t0, t1;

	(void)state;
	assert_int_equal(reliefctl_ioctl(-1, 0, NULL), -EBADF);
	t0 = reliefctl_now_ns();
	reliefctl_sleep_ms(0);
	t1 = reliefctl_now_ns();
	assert_true(t0 > 0);
	assert_true(t1 >= t0);
	assert_int_equal(reliefctl_fsfreeze("/nonexistent", true), -ENOENT);
	assert_true(reliefctl_fsfreeze("/proc", true) < 0);
	assert_true(reliefctl_fsfreeze("/proc", false) < 0);
	assert_true(reliefctl_mount("none", "/nonexistent/x", "tmpfs", 0,
				    NULL) < 0);
	assert_true(reliefctl_umount("/nonexistent/x", 0) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
