// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_abort.c - `reliefctl abort` against a fake kernel: refusals,
 * the kernel's answers, waiting until the run ended and every CPU is back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "helper_fake.h"
#include "reliefctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char *out_text, *err_text;
static uid_t euid;
static int ioctl_calls, ioctl_ret;

uid_t __wrap_geteuid(void);
int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

uid_t __wrap_geteuid(void)
{
	return euid;
}

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(fd >= 0);
	assert_int_equal(req, RELIEF_IOC_ABORT);
	assert_null(arg);
	ioctl_calls++;
	return ioctl_ret;
}

static int run(const char *arg)
{
	char *argv[3] = { "abort", (char *)arg, NULL };
	size_t n1, n2;
	FILE *out, *err;
	int rc;

	free(out_text);
	free(err_text);
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_abort_with(arg ? 2 : 1, argv, out, err);
	fclose(out);
	fclose(err);
	return rc;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

static int setup(void **state)
{
	(void)state;
	rt_fake_init();
	/* Mid-run: CPUs 2-3 lent, so neither online nor present here. */
	rt_fake_write("sys/state", "READY_SENT\n");
	rt_fake_write("sys/cpus", "2-3\n");
	rt_fake_write("cpu/online", "0-1\n");
	rt_fake_write("cpu/present", "0-1\n");
	rt_fake_script(NULL, 0);
	euid = 0;
	ioctl_calls = 0;
	ioctl_ret = 0;
	out_text = err_text = NULL;
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

static void test_refusals(void **state)
{
	(void)state;
	euid = 1000;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(err_text, "reliefctl abort: must be root "
			    "(CAP_SYS_BOOT)\n");
	euid = 0;
	assert_int_equal(run("--now"), RELIEFCTL_EXIT_USAGE);
	rt_fake_remove("dev");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "this kernel has no relief support (");
	rt_fake_write("dev", "");
	rt_fake_write("sys/state", "IDLE\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(err_text, "reliefctl abort: no swap in progress "
			    "(state IDLE)\n");
	rt_fake_write("sys/state", "ABORTED OPERATOR\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(err_text, "reliefctl abort: no swap in progress "
			    "(state ABORTED OPERATOR)\n");
	rt_fake_remove("sys/state");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "cannot read");
	assert_int_equal(ioctl_calls, 0);
}

static void test_kernel_refuses(void **state)
{
	(void)state;
	ioctl_ret = -ESRCH;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "no swap in progress (it ended meanwhile)");
	ioctl_ret = -EPERM;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "the kernel refused: must be root");
	ioctl_ret = -EIO;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "the kernel refused: Input/output error");
	assert_int_equal(ioctl_calls, 3);
}

static void test_waits_for_everything(void **state)
{
	static const struct rt_step s[] = {
		{ 2, "sys/state", "ABORTED OPERATOR\n", 0 },
		/* The CPUs are present again before they are online. */
		{ 4, "sys/cpus", "\n", 0 },
		{ 4, "cpu/present", "0-3\n", 0 },
		{ 6, "cpu/online", "0-2\n", 0 },
		{ 8, "cpu/online", "0-3\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 1);
	assert_int_equal(rt_fake_sleeps, 8);
	assert_string_equal(out_text,
		"[   0.000 s] abort accepted\n"
		"[   0.160 s] ABORTED OPERATOR: every CPU back online\n");
	assert_string_equal(err_text, "");
}

static void test_gives_up(void **state)
{
	static const struct rt_step s[] = {
		{ 2, "sys/state", "ABORTED OPERATOR\n", 0 },
		{ 2, "cpu/present", "0-3\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_string_equal(err_text, "reliefctl abort: after 30 s: state "
			    "ABORTED, CPUs lent: 2-3, present but offline: 2-3; "
			    "see reliefctl status and dmesg\n");
	assert_int_equal(rt_fake_sleeps, 1500);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_refusals),
		T(test_kernel_refuses),
		T(test_waits_for_everything),
		T(test_gives_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
