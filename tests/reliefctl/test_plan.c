// SPDX-License-Identifier: GPL-2.0
/*
 * test_plan.c - the planner against synthetic machines: one node of 4 CPUs,
 * the QEMU guest (2 nodes x 2 CPUs), SMT (2 nodes x 4 cores x 2 threads,
 * both ways of numbering siblings), the CC cluster (32 nodes x 16 CPUs),
 * every refusal, and the CPUs the kernel keeps (/sys/kernel/relief/keep:
 * the machine's boot CPU, in a kernel that relieved another).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "helper_topo.h"
#include "plan.h"

static struct relief_topology topo;
static struct relief_plan plan;
static const char *keep;	/* the kernel's keep list; NULL: it says none */

/* Plan with --cpus LIST (NULL: none), --ncpus N (0: none), --mem (0: none). */
static enum relief_plan_verdict make(const char *cpus, unsigned int ncpus,
				     uint64_t mem)
{
	struct relief_plan_req req = { .ncpus = ncpus, .mem_bytes = mem };
	char err[128];

	if (cpus) {
		assert_int_equal(relief_cpulist_parse(cpus, &req.cpus, err,
						      sizeof(err)), 0);
		req.have_cpus = true;
	}
	if (keep)
		assert_int_equal(relief_cpulist_parse(keep, &req.keep, err,
						      sizeof(err)), 0);
	return relief_plan_make(&topo, &req, &plan);
}

static void assert_plan(int node, const char *cpus)
{
	char buf[1024];

	if (plan.verdict != RELIEF_PLAN_OK)
		fail_msg("refused (%s): %s", relief_plan_rule(plan.verdict),
			 plan.reason);
	relief_cpulist_format(&plan.cpus, buf, sizeof(buf));
	assert_string_equal(buf, cpus);
	assert_int_equal(plan.node, node);
	assert_int_equal(plan.ncpus, relief_cpuset_count(&plan.cpus));
	assert_int_equal(plan.boot_cpu, 0);
	assert_true(plan.reason[0]);
}

static void assert_refused(enum relief_plan_verdict v, const char *words)
{
	if (plan.verdict != v)
		fail_msg("want '%s', got '%s': %s", relief_plan_rule(v),
			 relief_plan_rule(plan.verdict), plan.reason);
	if (!strstr(plan.reason, words))
		fail_msg("reason '%s' lacks '%s'", plan.reason, words);
}

static int teardown(void **state)
{
	(void)state;
	rt_topo_free(&topo);
	keep = NULL;
	return 0;
}

/* --- one node, 4 CPUs, no SMT */

static void test_one_node_default_half_highest(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	assert_int_equal(make(NULL, 0, 0), RELIEF_PLAN_OK);
	assert_plan(0, "2-3");
	assert_int_equal(plan.why, RELIEF_WHY_SINGLE_NODE);
	assert_int_equal(plan.mem_bytes, RELIEF_PLAN_MEM_DEFAULT);
	assert_non_null(strstr(plan.reason, "one-node"));
}

static void test_one_node_ncpus(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 1, 0);
	assert_plan(0, "3");
	make(NULL, 3, 0);
	assert_plan(0, "1-3");
	make(NULL, 4, 0);	/* CPU 0 stays: only 3 to give */
	assert_refused(RELIEF_PLAN_NCPUS, "no node can give 4 CPUs");
	assert_non_null(strstr(plan.reason, "node 0, 3 CPUs"));
}

static void test_one_node_operator_cpus(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	make("1,3", 0, 512 * RT_MiB);
	assert_plan(0, "1,3");
	assert_int_equal(plan.why, RELIEF_WHY_OPERATOR);
	assert_int_equal(plan.mem_bytes, 512 * RT_MiB);
	make("1-3", 0, 0);
	assert_plan(0, "1-3");
	make("0-1", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 0 is the boot CPU");
	make("4", 0, 0);
	assert_refused(RELIEF_PLAN_NO_SUCH_CPU, "CPU 4 does not exist");
	make("2-3,9", 0, 0);
	assert_refused(RELIEF_PLAN_NO_SUCH_CPU, "CPU 9 does not exist");
}

static void test_one_node_offline(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 3)->online = false;
	make(NULL, 0, 0);	/* half of the 3 online, rounded down */
	assert_plan(0, "2");
	make("2-3", 0, 0);
	assert_refused(RELIEF_PLAN_OFFLINE_CPU, "CPU 3 is offline");
	make(NULL, 3, 0);
	assert_refused(RELIEF_PLAN_NCPUS, "no node can give 3 CPUs");
}

static void test_one_node_memory(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 4 * RT_GiB);	/* exactly the node: allowed */
	assert_plan(0, "2-3");
	make(NULL, 0, 8 * RT_GiB);
	assert_refused(RELIEF_PLAN_MEMORY, "no node with CPUs to give has "
		       "8G of memory (the most: node 0 with 4G)");
	make("2", 0, 8 * RT_GiB);
	assert_refused(RELIEF_PLAN_MEMORY, "node 0 has 4G of memory, less "
		       "than the 8G asked");
}

static void test_one_cpu_machine_refused(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 1, 1, RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_NO_CPUS, "no CPU can be given");
	rt_topo_free(&topo);
	/* One core, two threads: the second is the boot CPU's sibling. */
	rt_topo_build(&topo, 1, 1, 2, RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_NO_CPUS, "boot CPU 0 or its SMT sibling");
}

/* --- the QEMU guest: 2 nodes x 2 CPUs */

static void test_guest_default_whole_other_node(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "2-3");
	assert_int_equal(plan.why, RELIEF_WHY_OTHER_NODE);
	assert_non_null(strstr(plan.reason, "node 1 does not hold the boot "
			       "CPU"));
	assert_non_null(strstr(plan.reason, "whole node"));
	make(NULL, 1, 0);
	assert_plan(1, "3");
	make(NULL, 2, RT_GiB);
	assert_plan(1, "2-3");
}

static void test_guest_refusals(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	make("0-1", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "boot CPU");
	make("1-2", 0, 0);
	assert_refused(RELIEF_PLAN_SPANS_NODES, "CPU 1 is on node 0, CPU 2 "
		       "on node 1");
	make(NULL, 0, 64 * RT_GiB);
	assert_refused(RELIEF_PLAN_MEMORY, "64G");
	make(NULL, 3, 0);
	assert_refused(RELIEF_PLAN_NCPUS, "(the most: node 1, 2 CPUs)");
	make("1", 0, 0);	/* allowed: node 0 minus the boot CPU */
	assert_plan(0, "1");
}

static void test_guest_falls_back_to_boot_node(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	topo.nodes[1].mem_bytes = 128 * RT_MiB;	/* < 256M default */
	make(NULL, 0, 0);
	assert_plan(0, "1");
	assert_int_equal(plan.why, RELIEF_WHY_BOOT_NODE);
	topo.nodes[1].mem_bytes = 0;		/* memoryless node */
	make(NULL, 0, 0);
	assert_plan(0, "1");
	topo.nodes[1].mem_bytes = RT_GiB;
	rt_cpu(&topo, 2)->online = false;
	rt_cpu(&topo, 3)->online = false;
	make(NULL, 0, 0);
	assert_plan(0, "1");
	rt_cpu(&topo, 3)->online = true;	/* what is online of node 1 */
	make(NULL, 0, 0);
	assert_plan(1, "3");
}

static void test_prefers_most_memory_then_cpus_then_low_id(void **state)
{
	(void)state;
	rt_topo_build(&topo, 4, 2, 1, RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "2-3");		/* tie: the lowest id */
	topo.nodes[2].mem_bytes = 2 * RT_GiB;
	make(NULL, 0, 0);
	assert_plan(2, "4-5");
	/* The boot CPU's node loses even with the most memory. */
	topo.nodes[0].mem_bytes = 64 * RT_GiB;
	make(NULL, 0, 0);
	assert_plan(2, "4-5");
	topo.nodes[2].mem_bytes = RT_GiB;
	rt_cpu(&topo, 2)->online = false;	/* node 1 gives less */
	make(NULL, 0, 0);
	assert_plan(2, "4-5");
	/* --ncpus 2 rules out node 1 (1 CPU left) for node 2. */
	make(NULL, 2, 0);
	assert_plan(2, "4-5");
}

/* --- SMT: 2 nodes x 4 cores x 2 threads */

static void test_smt_siblings_adjacent(void **state)
{
	(void)state;
	/* Node 0: CPUs 0-7, core c = 2c,2c+1; node 1: CPUs 8-15. */
	rt_topo_build(&topo, 2, 4, 2, 8 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "8-15");
	make(NULL, 4, 0);
	assert_plan(1, "12-15");
	make(NULL, 3, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "--ncpus 3 would split an "
		       "SMT core");
	make(NULL, 16, 0);
	assert_refused(RELIEF_PLAN_NCPUS, "no node can give 16 CPUs");
	make("1", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 1 is an SMT sibling of the "
		       "boot CPU 0");
	make("2", 0, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "its sibling CPU 3 (package "
		       "0, core 1)");
	make("2-3,6-7", 0, 0);
	assert_plan(0, "2-3,6-7");
	make("8-11,13", 0, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "CPU 13 would split");
}

static void test_smt_siblings_split(void **state)
{
	(void)state;
	/*
	 * Node 0: CPUs 0-3 and their siblings 8-11; node 1: 4-7 and
	 * 12-15. The boot CPU 0's sibling is 8.
	 */
	rt_topo_build(&topo, 2, 4, 2, 8 * RT_GiB, RT_THREAD_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "4-7,12-15");
	make(NULL, 2, 0);
	assert_plan(1, "7,15");
	make("8", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 8 is an SMT sibling");
	make("4-7", 0, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "CPU 4 would split an SMT "
		       "core: its sibling CPU 12");
	make("4-7,12-15", 0, 0);
	assert_plan(1, "4-7,12-15");
	make("3,11-12", 0, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "sibling CPU 4");
	make("3-4,11-12", 0, 0);
	assert_refused(RELIEF_PLAN_SPANS_NODES, "spans nodes");
}

static void test_smt_one_node(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 2, 8 * RT_GiB, RT_THREAD_MAJOR);
	make(NULL, 0, 0);	/* half of 8 = cores 3 and 2 */
	assert_plan(0, "2-3,6-7");
	make(NULL, 6, 0);
	assert_plan(0, "1-3,5-7");
	make(NULL, 8, 0);	/* core 0 (CPUs 0, 4) stays with A */
	assert_refused(RELIEF_PLAN_NCPUS, "6 CPUs");
	rt_topo_free(&topo);
	/* 3 cores of 2: half (3) rounds down to one core. */
	rt_topo_build(&topo, 1, 3, 2, 8 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_plan(0, "4-5");
	rt_topo_free(&topo);
	/*
	 * 2 cores of 2, the boot CPU's sibling offline: half of the 3
	 * online CPUs is 1, less than a core; B still gets one whole core.
	 */
	rt_topo_build(&topo, 1, 2, 2, 8 * RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 1)->online = false;
	make(NULL, 0, 0);
	assert_plan(0, "2-3");
}

static void test_smt_half_offline_core_not_taken(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 4, 2, 8 * RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 15)->online = false;	/* core 3 of node 1 */
	make(NULL, 0, 0);
	assert_plan(1, "8-13");
	make("14", 0, 0);
	assert_refused(RELIEF_PLAN_SPLIT_CORE, "sibling CPU 15");
	make("14-15", 0, 0);
	assert_refused(RELIEF_PLAN_OFFLINE_CPU, "CPU 15 is offline");
}

/* --- the CC cluster: 32 nodes x 16 CPUs */

static void test_cluster_512(void **state)
{
	(void)state;
	rt_topo_build(&topo, 32, 16, 1, 64 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "16-31");
	assert_int_equal(plan.ncpus, 16);
	topo.nodes[17].mem_bytes = 96 * RT_GiB;
	make(NULL, 0, 0);
	assert_plan(17, "272-287");
	make(NULL, 8, 0);
	assert_plan(17, "280-287");
	make("496-511", 0, 0);
	assert_plan(31, "496-511");
	make("0-15", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 0 is the boot CPU");
	make("16-32", 0, 0);
	assert_refused(RELIEF_PLAN_SPANS_NODES, "CPU 16 is on node 1, CPU 32 "
		       "on node 2");
	make("511-512", 0, 0);
	assert_refused(RELIEF_PLAN_NO_SUCH_CPU, "CPU 512 does not exist: this "
		       "machine's CPUs are 0-511");
	make(NULL, 17, 0);
	assert_refused(RELIEF_PLAN_NCPUS, "16 CPUs");
	make(NULL, 0, 128 * RT_GiB);
	assert_refused(RELIEF_PLAN_MEMORY, "the most: node 17 with 96G");
}

static void test_cluster_512_smt(void **state)
{
	(void)state;
	/* 32 nodes x 8 cores x 2 threads, siblings k and k + 256. */
	rt_topo_build(&topo, 32, 8, 2, 64 * RT_GiB, RT_THREAD_MAJOR);
	make(NULL, 0, 0);
	assert_plan(1, "8-15,264-271");
	make("256", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "SMT sibling of the boot CPU");
}

/* --- refusals that need odd machines */

static void test_a_keeps_a_cpu(void **state)
{
	(void)state;
	/* The boot CPU offline (only a synthetic machine can): B may not
	 * take every online CPU. */
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 0)->online = false;
	make("1-3", 0, 0);
	assert_refused(RELIEF_PLAN_A_NO_CPU, "kernel A would keep no online "
		       "CPU");
	make(NULL, 3, 0);
	assert_refused(RELIEF_PLAN_A_NO_CPU, "no online CPU");
	make("2-3", 0, 0);
	assert_plan(0, "2-3");
}

static void test_cpu_without_node(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 3)->node = -1;
	make("3", 0, 0);
	assert_refused(RELIEF_PLAN_SPANS_NODES, "CPU 3 belongs to no known "
		       "NUMA node");
	make(NULL, 0, 0);	/* node 1 now gives CPU 2 only */
	assert_plan(1, "2");
}

static void test_unknown_core_is_its_own(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	rt_cpu(&topo, 2)->pkg = -1;
	rt_cpu(&topo, 2)->core = -1;
	rt_cpu(&topo, 3)->pkg = -1;
	rt_cpu(&topo, 3)->core = -1;
	make(NULL, 0, 0);	/* not siblings of each other */
	assert_plan(0, "2-3");
	make("3", 0, 0);
	assert_plan(0, "3");
}

static void test_empty_list(void **state)
{
	struct relief_plan_req req = { .have_cpus = true };

	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	assert_int_equal(relief_plan_make(&topo, &req, &plan),
			 RELIEF_PLAN_NO_SUCH_CPU);
	assert_refused(RELIEF_PLAN_NO_SUCH_CPU, "empty");
}

static void test_bad_topology(void **state)
{
	(void)state;
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	topo.boot_cpu = 7;
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_BAD_TOPOLOGY, "no boot CPU 7");
	topo.boot_cpu = 0;
	topo.cpus[2].id = 1;			/* duplicate id */
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_BAD_TOPOLOGY, "inconsistent");
	topo.cpus[2].id = 2;
	topo.nodes[1].id = 0;			/* duplicate node */
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_BAD_TOPOLOGY, "inconsistent");
	topo.nodes[1].id = 1;
	topo.ncpus = 0;
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_BAD_TOPOLOGY, "inconsistent");
	topo.ncpus = 4;
	make(NULL, 0, 0);
	assert_plan(1, "2-3");
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_BOOT_CPU), "boot CPU");
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_OFFLINE_CPU),
			    "offline CPU");
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_SPLIT_CORE),
			    "split SMT core");
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_SPANS_NODES),
			    "spans nodes");
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_A_NO_CPU),
			    "leaves A no CPU");
	assert_string_equal(relief_plan_rule(RELIEF_PLAN_NO_SUCH_CPU),
			    "CPU doesn't exist");
	for (int v = RELIEF_PLAN_OK; v <= RELIEF_PLAN_BAD_TOPOLOGY; v++)
		assert_string_not_equal(relief_plan_rule(v), "?");
	assert_string_equal(relief_plan_rule((enum relief_plan_verdict)99), "?");
}

/* --- the CPUs the kernel keeps: here the machine's boot CPU is CPU 2 */

static void test_keep_one_node(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	keep = "0,2";
	make(NULL, 0, 0);	/* half of 4, highest first, but not 2 */
	assert_plan(0, "1,3");
	assert_int_equal(plan.why, RELIEF_WHY_SINGLE_NODE);
	assert_string_equal(plan.reason, "one-node machine: kernel B takes "
			    "the highest-numbered whole cores, half the CPUs; "
			    "A keeps the boot CPU 0 and the machine's boot "
			    "CPU 2");
	assert_true(relief_cpuset_test(&plan.keep, 2));
	make(NULL, 1, 0);
	assert_plan(0, "3");
	make(NULL, 3, 0);	/* 0 and 2 stay: only 2 to give */
	assert_refused(RELIEF_PLAN_NCPUS, "(the most: node 0, 2 CPUs)");
	make("2", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 2 is the machine's boot "
		       "CPU: a lent CPU comes back with INIT, so it is never "
		       "lent");
	make("1-3", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 2 is the machine's boot");
	make("0,2", 0, 0);	/* the boot CPU is named first */
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 0 is the boot CPU");
	make("1,3", 0, 0);
	assert_plan(0, "1,3");
	assert_string_equal(plan.reason, "the operator's choice: whole cores "
			    "of node 0, clear of the cores of the boot CPU 0 "
			    "and the machine's boot CPU 2");
}

static void test_keep_smt_sibling(void **state)
{
	(void)state;
	/* One node, 4 cores x 2 threads, CPU k and k + 4 siblings. */
	rt_topo_build(&topo, 1, 4, 2, 8 * RT_GiB, RT_THREAD_MAJOR);
	make(NULL, 0, 0);
	assert_plan(0, "2-3,6-7");	/* without keep: cores 3 and 2 */
	keep = "0,2";
	make(NULL, 0, 0);		/* core 2 (CPUs 2, 6) stays with A */
	assert_plan(0, "1,3,5,7");
	make("6", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 6 is an SMT sibling of the "
		       "machine's boot CPU 2: kernel A keeps that CPU's whole "
		       "core");
	make("2,6", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 2 is the machine's boot CPU");
	make("4", 0, 0);		/* the boot CPU's sibling, as before */
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 4 is an SMT sibling of the "
		       "boot CPU 0");
	make("3,7", 0, 0);
	assert_plan(0, "3,7");
}

static void test_keep_other_node(void **state)
{
	(void)state;
	/* The guest with the machine's boot CPU on node 1. */
	rt_topo_build(&topo, 2, 2, 1, RT_GiB, RT_NODE_MAJOR);
	keep = "0,2";
	make(NULL, 0, 0);
	assert_plan(1, "3");
	assert_int_equal(plan.why, RELIEF_WHY_OTHER_NODE);
	assert_string_equal(plan.reason, "node 1 does not hold the boot CPU "
			    "and has the most memory (1G) of such nodes; B "
			    "takes the whole node but the cores A keeps; A "
			    "keeps the boot CPU 0 and the machine's boot CPU "
			    "2");
	make(NULL, 2, 0);
	assert_refused(RELIEF_PLAN_NCPUS, "no node can give 2 CPUs");
	make("2-3", 0, 0);
	assert_refused(RELIEF_PLAN_BOOT_CPU, "CPU 2 is the machine's boot");
	/* Too little memory on node 1: B shares node 0, and says so. */
	topo.nodes[1].mem_bytes = 128 * RT_MiB;
	make(NULL, 0, 0);
	assert_plan(0, "1");
	assert_int_equal(plan.why, RELIEF_WHY_BOOT_NODE);
	assert_non_null(strstr(plan.reason, "; A keeps the boot CPU 0 and the "
			       "machine's boot CPU 2"));
	rt_topo_free(&topo);
	/* Kept on a node B does not take: that node is not mentioned. */
	rt_topo_build(&topo, 3, 2, 1, RT_GiB, RT_NODE_MAJOR);
	topo.nodes[2].mem_bytes = 2 * RT_GiB;
	make(NULL, 0, 0);
	assert_plan(2, "4-5");
	assert_non_null(strstr(plan.reason, "B takes the whole node; A keeps "
			       "the boot CPU 0 and the machine's boot CPU 2"));
}

static void test_keep_leaves_nothing(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 2, 1, RT_GiB, RT_NODE_MAJOR);
	keep = "0-1";
	make(NULL, 0, 0);
	assert_refused(RELIEF_PLAN_NO_CPUS, "every online CPU is the boot CPU "
		       "0 and the machine's boot CPU 1 or an SMT sibling of "
		       "one");
}

static void test_keep_boot_cpu_only_as_before(void **state)
{
	char before[sizeof(plan.reason)];

	(void)state;
	/* A kernel that never relieved another keeps its boot CPU only. */
	rt_topo_build(&topo, 1, 4, 1, 4 * RT_GiB, RT_NODE_MAJOR);
	make(NULL, 0, 0);
	snprintf(before, sizeof(before), "%s", plan.reason);
	keep = "0";
	make(NULL, 0, 0);
	assert_plan(0, "2-3");
	assert_string_equal(plan.reason, before);
	assert_string_equal(plan.reason, "one-node machine: kernel B takes "
			    "the highest-numbered whole cores, half the CPUs; "
			    "A keeps the boot CPU 0");
	make("2-3", 0, 0);
	assert_plan(0, "2-3");
	assert_non_null(strstr(plan.reason, "clear of the boot CPU's core"));
	/* A keep CPU that is not there changes nothing but --cpus naming it. */
	keep = "0,9";
	make(NULL, 0, 0);
	assert_plan(0, "2-3");
	make("9", 0, 0);
	assert_refused(RELIEF_PLAN_NO_SUCH_CPU, "CPU 9 does not exist");
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_one_node_default_half_highest),
		T(test_one_node_ncpus),
		T(test_one_node_operator_cpus),
		T(test_one_node_offline),
		T(test_one_node_memory),
		T(test_one_cpu_machine_refused),
		T(test_guest_default_whole_other_node),
		T(test_guest_refusals),
		T(test_guest_falls_back_to_boot_node),
		T(test_prefers_most_memory_then_cpus_then_low_id),
		T(test_smt_siblings_adjacent),
		T(test_smt_siblings_split),
		T(test_smt_one_node),
		T(test_smt_half_offline_core_not_taken),
		T(test_cluster_512),
		T(test_cluster_512_smt),
		T(test_a_keeps_a_cpu),
		T(test_cpu_without_node),
		T(test_unknown_core_is_its_own),
		T(test_empty_list),
		T(test_bad_topology),
		T(test_rule_names),
		T(test_keep_one_node),
		T(test_keep_smt_sibling),
		T(test_keep_other_node),
		T(test_keep_leaves_nothing),
		T(test_keep_boot_cpu_only_as_before),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
