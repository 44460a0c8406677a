// SPDX-License-Identifier: GPL-2.0
/*
 * test_topology.c - topology.c against a fake machine: every libnuma and
 * libcpupower function it calls is replaced by -Wl,--wrap (see
 * reliefctl-tests.mk), the real libraries are not linked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cpupower_abi.h"
#include "helper_topo.h"
#include "plan.h"
#include "topology.h"

struct fake_cpu {
	int cpu, pkg, core;
	int online;	/* what cpupower_is_cpu_online() returns */
	int node;	/* what numa_node_of_cpu() returns */
};

/* The fake machine; numa_available() and numa_max_node() use mock(). */
static struct {
	const struct fake_cpu *cpus;	/* in libcpupower's (pkg, core) order */
	int ncpus;
	int topology_rc;		/* get_cpu_topology() failure, or 0 */
	long long node_size[4];		/* -1: no such node */
	int distance[4][4];
	int released;			/* cpu_topology_release() calls */
	int numa_calls;			/* libnuma calls after numa_available */
} fake;

int __wrap_numa_available(void)
{
	return mock_type(int);
}

int __wrap_numa_max_node(void)
{
	fake.numa_calls++;
	return mock_type(int);
}

long long __wrap_numa_node_size64(int node, long long *freep)
{
	fake.numa_calls++;
	assert_true(node >= 0 && node < 4);
	if (freep)
		*freep = fake.node_size[node] / 2;
	return fake.node_size[node];
}

int __wrap_numa_distance(int a, int b)
{
	fake.numa_calls++;
	return fake.distance[a][b];
}

int __wrap_numa_node_of_cpu(int cpu)
{
	fake.numa_calls++;
	for (int i = 0; i < fake.ncpus; i++)
		if (fake.cpus[i].cpu == cpu)
			return fake.cpus[i].node;
	fail_msg("numa_node_of_cpu(%d): no such fake CPU", cpu);
	return -1;
}

int __wrap_cpupower_is_cpu_online(unsigned int cpu)
{
	for (int i = 0; i < fake.ncpus; i++)
		if (fake.cpus[i].cpu == (int)cpu)
			return fake.cpus[i].online;
	fail_msg("cpupower_is_cpu_online(%u): no such fake CPU", cpu);
	return -ENOENT;
}

/* As the 6.1 library does: an array, in its order, is_online one bit. */
int __wrap_get_cpu_topology(struct cpupower_topology *top)
{
	if (fake.topology_rc)
		return fake.topology_rc;
	top->core_info = calloc((size_t)fake.ncpus, sizeof(*top->core_info));
	assert_non_null(top->core_info);
	for (int i = 0; i < fake.ncpus; i++) {
		top->core_info[i].pkg = fake.cpus[i].pkg;
		top->core_info[i].core = fake.cpus[i].core;
		top->core_info[i].cpu = fake.cpus[i].cpu;
		top->core_info[i].is_online = (unsigned int)fake.cpus[i].online & 1;
	}
	return fake.ncpus;
}

void __wrap_cpu_topology_release(struct cpupower_topology top)
{
	free(top.core_info);
	fake.released++;
}

/*
 * 2 packages/nodes x 2 cores x 2 threads, siblings k and k + 4, in the
 * library's (pkg, core, cpu) order.
 */
static const struct fake_cpu smt_2x2x2[] = {
	{ 0, 0, 0, 1, 0 }, { 4, 0, 0, 1, 0 }, { 1, 0, 1, 1, 0 },
	{ 5, 0, 1, 1, 0 }, { 2, 1, 0, 1, 1 }, { 6, 1, 0, 1, 1 },
	{ 3, 1, 1, 1, 1 }, { 7, 1, 1, 1, 1 },
};

static struct relief_topology topo;
static char err[256];

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	memset(&topo, 0, sizeof(topo));
	err[0] = '\0';
	for (int i = 0; i < 4; i++) {
		fake.node_size[i] = -1;
		for (int j = 0; j < 4; j++)
			fake.distance[i][j] = i == j ? 10 : 21;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	relief_topology_free(&topo);
	return 0;
}

static void use(const struct fake_cpu *cpus, int n)
{
	fake.cpus = cpus;
	fake.ncpus = n;
}

static void test_two_nodes_smt(void **state)
{
	struct relief_plan_req req = { 0 };
	struct relief_plan plan;
	char list[64];

	(void)state;
	use(smt_2x2x2, 8);
	fake.node_size[0] = 2LL << 30;
	fake.node_size[1] = 3LL << 30;
	will_return(__wrap_numa_available, 0);
	will_return(__wrap_numa_max_node, 1);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), 0);
	assert_int_equal(fake.released, 1);
	assert_true(topo.numa);
	assert_int_equal(topo.boot_cpu, 0);
	assert_int_equal(topo.ncpus, 8);
	for (int id = 0; id < 8; id++) {	/* sorted by id now */
		const struct relief_topo_cpu *c = &topo.cpus[id];

		assert_int_equal(c->id, id);
		assert_int_equal(c->pkg, id % 4 / 2);
		assert_int_equal(c->core, id % 2);
		assert_int_equal(c->node, id % 4 / 2);
		assert_true(c->online);
	}
	assert_int_equal(topo.nnodes, 2);
	assert_int_equal(topo.nodes[0].id, 0);
	assert_int_equal(topo.nodes[1].id, 1);
	assert_int_equal(topo.nodes[0].mem_bytes, 2ULL << 30);
	assert_int_equal(topo.nodes[1].mem_bytes, 3ULL << 30);
	assert_int_equal(topo.nodes[0].distance[0], 10);
	assert_int_equal(topo.nodes[0].distance[1], 21);
	assert_int_equal(topo.nodes[1].distance[0], 21);
	assert_int_equal(topo.nodes[1].distance[1], 10);
	assert_ptr_equal(relief_topology_cpu(&topo, 6), &topo.cpus[6]);
	assert_null(relief_topology_cpu(&topo, 8));
	assert_null(relief_topology_cpu(&topo, -1));
	assert_ptr_equal(relief_topology_node(&topo, 1), &topo.nodes[1]);
	assert_null(relief_topology_node(&topo, 2));

	/* What was read plans like the synthetic machines do. */
	assert_int_equal(relief_plan_make(&topo, &req, &plan), RELIEF_PLAN_OK);
	relief_cpulist_format(&plan.cpus, list, sizeof(list));
	assert_string_equal(list, "2-3,6-7");
	assert_int_equal(plan.node, 1);
}

static void test_offline_and_online_errors(void **state)
{
	/* CPU 3 offline (no topology files: -1), CPU 1's state unreadable. */
	static const struct fake_cpu cpus[] = {
		{ 3, -1, -1, 0, -1 }, { 0, 0, 0, 1, 0 },
		{ 1, 0, 1, -EIO, 0 }, { 2, 0, 2, 1, 0 },
	};

	(void)state;
	use(cpus, 4);
	fake.node_size[0] = 1LL << 30;
	will_return(__wrap_numa_available, 0);
	will_return(__wrap_numa_max_node, 0);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), 0);
	assert_int_equal(topo.ncpus, 4);
	assert_true(topo.cpus[0].online);
	assert_false(topo.cpus[1].online);	/* -EIO's low bit is 1 */
	assert_true(topo.cpus[2].online);
	assert_false(topo.cpus[3].online);
	assert_int_equal(topo.cpus[3].node, -1);
	assert_int_equal(topo.cpus[3].pkg, -1);
	assert_int_equal(topo.cpus[3].core, -1);
}

static void test_sparse_node_ids(void **state)
{
	/* Nodes 0 and 2 (no node 1); CPU 1 claims a node libnuma lacks. */
	static const struct fake_cpu cpus[] = {
		{ 0, 0, 0, 1, 0 }, { 1, 0, 1, 1, 3 }, { 2, 1, 0, 1, 2 },
	};

	(void)state;
	use(cpus, 3);
	fake.node_size[0] = 1LL << 30;
	fake.node_size[2] = 0;		/* CPU-only node: exists */
	fake.distance[0][2] = fake.distance[2][0] = 31;
	will_return(__wrap_numa_available, 0);
	will_return(__wrap_numa_max_node, 2);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), 0);
	assert_int_equal(topo.nnodes, 2);
	assert_int_equal(topo.nodes[1].id, 2);
	assert_int_equal(topo.nodes[1].mem_bytes, 0);
	assert_int_equal(topo.nodes[0].distance[1], 31);
	assert_int_equal(topo.nodes[1].distance[1], 10);
	assert_int_equal(topo.cpus[1].node, -1);
	assert_int_equal(topo.cpus[2].node, 2);
}

static void test_no_numa_uses_meminfo(void **state)
{
	char path[] = "/tmp/relief-meminfo-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("MemFree:         1000 kB\nMemTotal:        2048000 kB\n", f);
	fclose(f);
	use(smt_2x2x2, 8);
	will_return(__wrap_numa_available, -1);
	assert_int_equal(relief_topology_read(&topo, path, err, sizeof(err)),
			 0);
	unlink(path);
	assert_false(topo.numa);
	assert_int_equal(fake.numa_calls, 0);	/* libnuma left alone */
	assert_int_equal(topo.nnodes, 1);
	assert_int_equal(topo.nodes[0].id, 0);
	assert_int_equal(topo.nodes[0].mem_bytes, 2048000ULL * 1024);
	assert_int_equal(topo.nodes[0].distance[0], 10);
	for (unsigned int i = 0; i < topo.ncpus; i++)
		assert_int_equal(topo.cpus[i].node, 0);
	assert_int_equal(topo.cpus[5].pkg, 0);
	assert_int_equal(topo.cpus[5].core, 1);
}

static void test_no_numa_no_meminfo(void **state)
{
	char path[] = "/tmp/relief-meminfo-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "MemFree: 1 kB\n", 14), 14);
	close(fd);
	use(smt_2x2x2, 8);
	will_return(__wrap_numa_available, -1);
	assert_int_equal(relief_topology_read(&topo, path, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "no NUMA support and no MemTotal"));
	will_return(__wrap_numa_available, -1);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent/meminfo",
					      err, sizeof(err)), -1);
	unlink(path);
	assert_non_null(strstr(err, "/nonexistent/meminfo"));
	assert_null(topo.cpus);		/* freed on failure */
	assert_int_equal(topo.ncpus, 0);
}

static void test_cpupower_fails(void **state)
{
	(void)state;
	fake.topology_rc = -ENOMEM;
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "get_cpu_topology"));
	assert_non_null(strstr(err, strerror(ENOMEM)));
	assert_int_equal(fake.released, 0);
}

static void test_bad_cpu_ids(void **state)
{
	static const struct fake_cpu big[] = {
		{ 0, 0, 0, 1, 0 }, { RELIEF_MAX_CPUS, 0, 1, 1, 0 },
	};
	static const struct fake_cpu twice[] = {
		{ 0, 0, 0, 1, 0 }, { 1, 0, 1, 1, 0 }, { 1, 0, 2, 1, 0 },
	};

	(void)state;
	use(big, 2);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "CPU 8192"));
	assert_int_equal(fake.released, 1);
	use(twice, 3);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
}

static void test_no_nodes(void **state)
{
	(void)state;
	use(smt_2x2x2, 8);
	will_return(__wrap_numa_available, 0);
	will_return(__wrap_numa_max_node, -1);
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "no NUMA node"));
	will_return(__wrap_numa_available, 0);
	will_return(__wrap_numa_max_node, 3);	/* ids, but no node */
	assert_int_equal(relief_topology_read(&topo, "/nonexistent", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "no NUMA node"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_two_nodes_smt),
		T(test_offline_and_online_errors),
		T(test_sparse_node_ids),
		T(test_no_numa_uses_meminfo),
		T(test_no_numa_no_meminfo),
		T(test_cpupower_fails),
		T(test_bad_cpu_ids),
		T(test_no_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
