// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_plan.c - `reliefctl plan` end to end on synthetic machines:
 * options, exit codes, the human and JSON output, refusals; the CPUs the
 * kernel keeps, read from a fake /sys/kernel/relief (helper_fake.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_fake.h"
#include "helper_topo.h"
#include "reliefctl.h"

static struct relief_topology topo;
static char *out_text, *err_text;

/* Run `reliefctl plan ARGS...` (NULL-terminated) on topo. */
static int run(const char *arg, ...)
{
	char *argv[16] = { "plan" };
	int argc = 1, rc;
	size_t n1, n2;
	FILE *out, *err;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	free(out_text);
	free(err_text);
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_plan_with(argc, argv, &topo, out, err);
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
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	rt_fake_init();		/* an older kernel: no keep file */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rt_topo_free(&topo);
	rt_fake_cleanup();
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	return 0;
}

static void test_json(void **state)
{
	(void)state;
	assert_int_equal(run("--json", NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text, "{\"node\":1,\"cpus\":[2,3],"
			    "\"mem_bytes\":268435456,\"boot_cpu\":0}\n");
	assert_string_equal(err_text, "");
	assert_int_equal(run("--json", "--ncpus", "1", "--mem=1G", NULL), 0);
	assert_string_equal(out_text, "{\"node\":1,\"cpus\":[3],"
			    "\"mem_bytes\":1073741824,\"boot_cpu\":0}\n");
}

static void test_human(void **state)
{
	(void)state;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "kernel B: node 1, CPUs 2-3 (2), 256M of memory\n");
	assert_has(out_text, "  node 1: 1G of memory, distance 20 from node 0 "
		   "(the boot CPU's)\n");
	assert_has(out_text, "  cpu 2: package 1, core 0\n");
	assert_has(out_text, "  cpu 3: package 1, core 1\n");
	assert_has(out_text, "  memory: 256M from node 1\n");
	assert_has(out_text, "  boot CPU: 0 (node 0), stays with kernel A\n");
	assert_has(out_text, "  why: node 1 does not hold the boot CPU");
	topo.numa = false;
	assert_int_equal(run("--cpus", "1", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "node 0: 1G of memory (no NUMA support");
	assert_has(out_text, "why: the operator's choice");
}

static void test_refusals_exit_3(void **state)
{
	(void)state;
	assert_int_equal(run("--cpus", "0-1", NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(out_text, "");
	assert_has(err_text, "reliefctl plan: refused (boot CPU): CPU 0 is the "
		   "boot CPU");
	assert_int_equal(run("--cpus=1-2", NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "refused (spans nodes)");
	assert_int_equal(run("--mem", "64G", NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "refused (not enough memory)");
	assert_int_equal(run("--cpus", "7", "--json", NULL),
			 RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(out_text, "{\"refused\":\"CPU doesn't exist\","
			    "\"reason\":\"CPU 7 does not exist: this "
			    "machine's CPUs are 0-3\"}\n");
}

static void test_usage_exit_2(void **state)
{
	static const char *const bad[][3] = {
		{ "--mem", "1.5G" }, { "--mem", "0" }, { "--ncpus", "0" },
		{ "--ncpus", "x" }, { "--ncpus", "2x" }, { "--ncpus", "-1" },
		{ "--ncpus", "8193" }, { "--cpus", "3-1" }, { "--cpus", "" },
		{ "--cpus" }, { "--mem" }, { "--bogus" }, { "--cpusx" },
		{ "--cpus", "2", "--ncpus" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(run(bad[i][0], bad[i][1], bad[i][2], NULL),
				 RELIEFCTL_EXIT_USAGE);
		assert_true(err_text[0]);
		assert_string_equal(out_text, "");
	}
	assert_int_equal(run("--cpus", "2", "--ncpus", "1", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "exclude each other");
	assert_int_equal(run("--mem", "1.5G", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--mem '1.5G'");
	assert_int_equal(run("--cpus", "3-1", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "backwards");
	assert_int_equal(run("--help", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "usage: reliefctl plan");
}

static void test_show_topology(void **state)
{
	(void)state;
	rt_cpu(&topo, 3)->online = false;
	assert_int_equal(run("--topology", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "numa yes\nboot_cpu 0\n");
	assert_has(out_text, "cpu 0 node 0 package 0 core 0 online 1\n");
	assert_has(out_text, "cpu 3 node 1 package 1 core 1 online 0\n");
	assert_has(out_text, "node 1 mem_bytes 1073741824 distance 20 10\n");
}

/* Kernel B's view: its boot CPU 0, the machine's boot CPU 2. */
static void test_keep(void **state)
{
	(void)state;
	rt_topo_free(&topo);
	rt_topo_build(&topo, 1, 4, 1, RT_GiB, RT_NODE_MAJOR);
	rt_fake_write("sys/keep", "0,2\n");
	assert_int_equal(run("--json", NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text, "{\"node\":0,\"cpus\":[1,3],"
			    "\"mem_bytes\":268435456,\"boot_cpu\":0,"
			    "\"keep\":[0,2]}\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "kernel B: node 0, CPUs 1,3 (2), 256M of "
		   "memory\n");
	assert_has(out_text, "  boot CPU: 0 (node 0), stays with kernel A\n"
		   "  machine's boot CPU: 2 (node 0), never lent: stays with "
		   "kernel A\n");
	assert_has(out_text, "  why: one-node machine: kernel B takes the "
		   "highest-numbered whole cores, half the CPUs; A keeps the "
		   "boot CPU 0 and the machine's boot CPU 2\n");
	assert_int_equal(run("--cpus", "2", NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(out_text, "");
	assert_string_equal(err_text, "reliefctl plan: refused (boot CPU): "
			    "CPU 2 is the machine's boot CPU: a lent CPU comes "
			    "back with INIT, so it is never lent\n");
	assert_int_equal(run("--cpus", "2-3", "--json", NULL),
			 RELIEFCTL_EXIT_REFUSED);
	assert_has(out_text, "{\"refused\":\"boot CPU\",\"reason\":\"CPU 2 "
		   "is the machine's boot CPU");
	assert_int_equal(run("--cpus", "3", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "kernel B: node 0, CPUs 3 (1)");
	assert_int_equal(run("--topology", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "numa yes\nboot_cpu 0\nkeep 0,2\ncpu 0 ");
}

/* A kernel that never relieved another keeps only its boot CPU. */
static void test_keep_boot_cpu_only(void **state)
{
	(void)state;
	rt_fake_write("sys/keep", "0\n");
	assert_int_equal(run("--json", NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text, "{\"node\":1,\"cpus\":[2,3],"
			    "\"mem_bytes\":268435456,\"boot_cpu\":0,"
			    "\"keep\":[0]}\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_null(strstr(out_text, "machine's boot CPU"));
	assert_has(out_text, "why: node 1 does not hold the boot CPU and has "
		   "the most memory (1G) of such nodes; B takes the whole "
		   "node\n");
}

/* No keep file (older kernels): as before, nothing about it shown. */
static void test_keep_absent(void **state)
{
	(void)state;
	rt_topo_free(&topo);
	rt_topo_build(&topo, 1, 4, 1, RT_GiB, RT_NODE_MAJOR);
	assert_int_equal(run("--json", NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(out_text, "{\"node\":0,\"cpus\":[2,3],"
			    "\"mem_bytes\":268435456,\"boot_cpu\":0}\n");
	assert_int_equal(run("--cpus", "2", NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(run("--topology", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "boot_cpu 0\ncpu 0 ");
	/* Nor a relief directory at all (a kernel without relief). */
	setenv("RELIEF_SYSFS", "/nonexistent/relief", 1);
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "kernel B: node 0, CPUs 2-3 (2)");
}

/* A keep file that cannot be read: no plan rather than a wrong one. */
static void test_keep_unreadable(void **state)
{
	(void)state;
	rt_fake_write("sys/keep", "0,x\n");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_string_equal(out_text, "");
	assert_has(err_text, "reliefctl plan: cannot read ");
	assert_has(err_text, "/keep: Invalid argument\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_json),
		T(test_human),
		T(test_refusals_exit_3),
		T(test_usage_exit_2),
		T(test_show_topology),
		T(test_keep),
		T(test_keep_boot_cpu_only),
		T(test_keep_absent),
		T(test_keep_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
