// SPDX-License-Identifier: GPL-2.0
/*
 * test_follow.c - following a run: state changes as phase lines, the
 * console streamed (grown, rotated, restarted), the ends, a stuck state,
 * a lost state file. The fake kernel changes its files between polls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "follow.h"
#include "helper_fake.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char *out_text;
static size_t out_len;
static FILE *out;

static int setup(void **state)
{
	(void)state;
	rt_fake_init();
	out = open_memstream(&out_text, &out_len);
	assert_non_null(out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (out)
		fclose(out);
	out = NULL;
	free(out_text);
	out_text = NULL;
	rt_fake_cleanup();
	return 0;
}

static const char *output(void)
{
	fflush(out);
	return out_text;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

/* --- the console alone ------------------------------------------------ */

static size_t resume(struct follow_console *c, const char *log)
{
	return follow_console_resume(c, log, strlen(log));
}

static void test_console_grows(void **state)
{
	struct follow_console c = { 0 };

	(void)state;
	assert_int_equal(resume(&c, ""), 0);
	assert_int_equal(resume(&c, "abc"), 0);
	follow_console_mark(&c, "abc", 3);
	assert_int_equal(resume(&c, "abc"), 3);
	assert_int_equal(resume(&c, "abcdef"), 3);
}

static void test_console_rotates(void **state)
{
	struct follow_console c = { 0 };
	char log[FOLLOW_ANCHOR * 3], later[FOLLOW_ANCHOR * 3];

	(void)state;
	/* A full log, printed; then it drops 10 bytes and takes 10 new. */
	for (size_t i = 0; i < sizeof(log); i++)
		log[i] = (char)('a' + i % 23);
	follow_console_mark(&c, log, sizeof(log));
	memcpy(later, log + 10, sizeof(log) - 10);
	memset(later + sizeof(log) - 10, 'Z', 10);
	assert_int_equal(follow_console_resume(&c, later, sizeof(later)),
			 sizeof(later) - 10);
	/* Rotated past everything printed: all of it is new. */
	memset(later, 'Y', sizeof(later));
	assert_int_equal(follow_console_resume(&c, later, sizeof(later)), 0);
}

static void test_console_restarts(void **state)
{
	struct follow_console c = { 0 };

	(void)state;
	follow_console_mark(&c, "old run's log\n", 14);
	/* Shorter, different: a new log from 0. */
	assert_int_equal(resume(&c, "new\n"), 0);
	/* Same length, different text: new too. */
	assert_int_equal(resume(&c, "another run!!\n"), 0);
}

static void test_console_prefix(void **state)
{
	struct follow_console c = { 0 };

	(void)state;
	follow_console_print(&c, "one\ntw", 6, out);
	assert_true(c.mid_line);
	follow_console_print(&c, "o\nthree\n", 8, out);
	assert_false(c.mid_line);
	assert_string_equal(output(), "new| one\nnew| two\nnew| three\n");
}

/* --- follow_run against the fake kernel ------------------------------- */

static struct follow run_follow(const char *target, int quiet,
				enum follow_result want)
{
	struct follow f = {
		.target = target,
		.stuck_ns = 5000000000ull,
		.quiet = quiet,
		.out = out,
		.t0 = 1000000000u,
	};

	assert_int_equal(follow_run(&f), want);
	return f;
}

static void test_to_ready(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/console", "Linux version 6.12-b\n", 0 },
		{ 3, "sys/state", "WAIT_READY\n", 0 },
		{ 50, "sys/console", "relief: ready", 1 },
		{ 51, "sys/console", " to relieve\n", 1 },
		{ 60, "sys/state", "READY_SENT\n", 0 },
	};
	struct follow f;

	(void)state;
	rt_fake_write("sys/state", "STARTING\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	f = run_follow("READY_SENT", 0, FOLLOW_TARGET);
	assert_string_equal(f.st.name, "READY_SENT");
	assert_int_equal(rt_fake_sleeps, 60);
	assert_string_equal(output(),
		"[   0.000 s] STARTING\n"
		"new| Linux version 6.12-b\n"
		"[   0.060 s] WAIT_READY\n"
		"new| relief: ready to relieve\n"
		"[   1.200 s] READY_SENT\n");
}

static void test_quiet(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/console", "noise\n", 0 },
		{ 2, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	rt_fake_write("sys/state", "WAIT_READY\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	run_follow("READY_SENT", 1, FOLLOW_TARGET);
	assert_null(strstr(output(), "noise"));
	assert_has(output(), "READY_SENT");
}

static void test_mid_line_then_state(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/console", "half a line", 0 },
		{ 2, "sys/state", "ABORTED BAD_VERSION\n", 0 },
	};
	struct follow f;

	(void)state;
	rt_fake_write("sys/state", "WAIT_READY\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	f = run_follow("READY_SENT", 0, FOLLOW_ENDED);
	assert_string_equal(f.st.reason, "BAD_VERSION");
	assert_string_equal(output(),
		"[   0.000 s] WAIT_READY\n"
		"new| half a line\n"
		"[   0.040 s] ABORTED BAD_VERSION\n");
}

static void test_ended_before_target(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
		{ 2, "sys/state", "ROLLED_BACK INTERNAL\n", 0 },
	};
	struct follow f;

	(void)state;
	rt_fake_write("sys/state", "WAIT_READY\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	/* No target: READY_SENT is passed through. */
	f = run_follow(NULL, 1, FOLLOW_ENDED);
	assert_string_equal(f.st.name, "ROLLED_BACK");
	assert_has(output(), "READY_SENT\n");
	assert_has(output(), "ROLLED_BACK INTERNAL\n");
}

static void test_stuck(void **state)
{
	static const struct rt_step s[] = {
		{ 10, "sys/state", "WAIT_READY\n", 0 },
	};
	struct follow f;

	(void)state;
	rt_fake_write("sys/state", "STARTING\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	/* The bound is per state: 0.2 s in STARTING, then over 5 s in
	 * WAIT_READY. */
	f = run_follow(NULL, 1, FOLLOW_STUCK);
	assert_string_equal(f.st.name, "WAIT_READY");
	assert_int_equal(rt_fake_sleeps, 10 + 251);
}

static void test_lost(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "", 0 },
	};
	struct follow f;

	(void)state;
	rt_fake_write("sys/state", "WAIT_READY\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	f = run_follow(NULL, 1, FOLLOW_LOST);
	assert_int_not_equal(f.err, 0);
}

static void test_console_big(void **state)
{
	static char big[70000];
	static const struct rt_step s[] = {
		{ 1, "sys/console", big, 0 },
		{ 2, "sys/state", "STOOD_RELIEVED\n", 0 },
	};
	const char *o;

	(void)state;
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	rt_fake_write("sys/state", "WAIT_READY\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	run_follow(NULL, 0, FOLLOW_ENDED);
	o = output();
	/* Every byte once, one prefix. */
	assert_int_equal(strlen(o), strlen("[   0.000 s] WAIT_READY\n") +
			 strlen("new| ") + sizeof(big) - 1 +
			 strlen("[   0.040 s] STOOD_RELIEVED\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_grows),
		cmocka_unit_test(test_console_rotates),
		cmocka_unit_test(test_console_restarts),
		cmocka_unit_test_setup_teardown(test_console_prefix, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_to_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mid_line_then_state, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ended_before_target, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stuck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_big, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
