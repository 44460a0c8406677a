// SPDX-License-Identifier: GPL-2.0
/*
 * topology.c - read CPUs (libcpupower) and NUMA nodes (libnuma) into a
 * struct relief_topology.
 */
#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "cpupower_abi.h"
#include "topology.h"

void relief_topology_free(struct relief_topology *t)
{
	free(t->cpus);
	free(t->nodes);
	free(t->distances);
	memset(t, 0, sizeof(*t));
}

static int cmp_cpu_id(const void *a, const void *b)
{
	const struct relief_topo_cpu *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* CPUs from libcpupower, sorted by id (the library sorts by package/core). */
static int read_cpus(struct relief_topology *t, char *err, size_t errlen)
{
	struct cpupower_topology top = { 0 };
	int n = get_cpu_topology(&top);

	if (n <= 0 || !top.core_info) {
		snprintf(err, errlen, "cannot read the CPU topology "
			 "(libcpupower get_cpu_topology: %s)",
			 n < 0 ? strerror(-n) : "no CPUs");
		if (top.core_info)
			cpu_topology_release(top);
		return -1;
	}
	t->cpus = calloc((size_t)n, sizeof(*t->cpus));
	if (!t->cpus) {
		cpu_topology_release(top);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct cpuid_core_info *ci = &top.core_info[i];
		struct relief_topo_cpu *c = &t->cpus[i];

		c->id = ci->cpu;
		c->pkg = ci->pkg;
		c->core = ci->core;
		c->node = -1;
		/* Not ci->is_online: that bit reads an error as 1 or 0. */
		c->online = ci->cpu >= 0 &&
			    cpupower_is_cpu_online((unsigned int)ci->cpu) == 1;
	}
	cpu_topology_release(top);
	t->ncpus = (unsigned int)n;
	qsort(t->cpus, t->ncpus, sizeof(*t->cpus), cmp_cpu_id);
	for (unsigned int i = 0; i < t->ncpus; i++) {
		int id = t->cpus[i].id;

		if (id < 0 || id >= RELIEF_MAX_CPUS ||
		    (i && id == t->cpus[i - 1].id)) {
			snprintf(err, errlen, "libcpupower reports CPU %d, "
				 "outside 0-%d or twice", id,
				 RELIEF_MAX_CPUS - 1);
			return -1;
		}
	}
	return 0;
}

/* MemTotal from a /proc/meminfo-format file, in bytes; 0 when not found. */
static uint64_t meminfo_total(const char *path)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %" SCNu64 " kB", &kb) == 1)
			break;
	fclose(f);
	return kb <= UINT64_MAX / 1024 ? kb * 1024 : 0;
}

/* No NUMA: the whole machine is node 0. */
static int read_one_node(struct relief_topology *t, const char *meminfo,
			 char *err, size_t errlen)
{
	uint64_t mem = meminfo_total(meminfo);

	if (!mem) {
		snprintf(err, errlen, "no NUMA support and no MemTotal in %s: "
			 "cannot tell how much memory there is", meminfo);
		return -1;
	}
	t->nodes = calloc(1, sizeof(*t->nodes));
	t->distances = calloc(1, sizeof(*t->distances));
	if (!t->nodes || !t->distances) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->nnodes = 1;
	t->nodes[0].mem_bytes = mem;
	t->distances[0] = 10;
	t->nodes[0].distance = t->distances;
	for (unsigned int i = 0; i < t->ncpus; i++)
		t->cpus[i].node = 0;
	return 0;
}

/*
 * Nodes from libnuma. Node ids may have holes, so every id up to
 * numa_max_node() is tried: numa_node_size64() fails only for an id with no
 * node (a CPU-only node reads as size 0). numa_num_configured_nodes() is no
 * help here: it counts nodes with memory.
 */
static int read_numa(struct relief_topology *t, char *err, size_t errlen)
{
	int max = numa_max_node();
	unsigned int n = 0;

	if (max < 0) {
		snprintf(err, errlen, "libnuma reports no NUMA node");
		return -1;
	}
	t->nodes = calloc((size_t)max + 1, sizeof(*t->nodes));
	if (!t->nodes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int id = 0; id <= max; id++) {
		long long free_bytes;
		long long size = numa_node_size64(id, &free_bytes);

		if (size < 0)
			continue;
		t->nodes[n].id = id;
		t->nodes[n].mem_bytes = (uint64_t)size;
		n++;
	}
	if (!n) {
		snprintf(err, errlen, "libnuma reports no NUMA node");
		return -1;
	}
	t->nnodes = n;
	t->distances = calloc((size_t)n * n, sizeof(*t->distances));
	if (!t->distances) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		int *row = &t->distances[(size_t)i * n];

		for (unsigned int j = 0; j < n; j++)
			row[j] = numa_distance(t->nodes[i].id, t->nodes[j].id);
		t->nodes[i].distance = row;
	}
	for (unsigned int i = 0; i < t->ncpus; i++) {
		int node = numa_node_of_cpu(t->cpus[i].id);

		t->cpus[i].node = relief_topology_node(t, node) ? node : -1;
	}
	return 0;
}

int relief_topology_read(struct relief_topology *t, const char *meminfo_path,
			 char *err, size_t errlen)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->boot_cpu = 0;	/* x86 and arm64 both boot on CPU 0 */
	rc = read_cpus(t, err, errlen);
	if (!rc) {
		t->numa = numa_available() >= 0;
		rc = t->numa ? read_numa(t, err, errlen) :
			       read_one_node(t, meminfo_path, err, errlen);
	}
	if (rc)
		relief_topology_free(t);
	return rc;
}
