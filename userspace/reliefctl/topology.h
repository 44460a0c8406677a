/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topology.h - the machine's CPUs and NUMA nodes as plain data, read from
 * libnuma and libcpupower once, so the planner (plan.c) never touches the
 * system and tests can build any machine they like.
 */
#ifndef RELIEFCTL_TOPOLOGY_H
#define RELIEFCTL_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct relief_topo_cpu {
	int id;
	int node;	/* -1: unknown (an offline CPU may have none) */
	int pkg;	/* physical package; -1: unknown */
	int core;	/* core id within the package; -1: unknown */
	bool online;
};

struct relief_topo_node {
	int id;
	uint64_t mem_bytes;	/* total memory of the node */
	/*
	 * distance[j]: ACPI SLIT distance to nodes[j] (10 = local), 0 when
	 * unknown; NULL when no distances are known at all.
	 */
	const int *distance;
};

/*
 * Invariants the planner relies on (relief_topology_read() ensures them,
 * synthetic topologies in tests must too): cpus[] in ascending id order,
 * ids unique and below RELIEF_MAX_CPUS; nodes[] in ascending id order.
 * Two CPUs are SMT siblings when both pkg and core are known and equal.
 */
struct relief_topology {
	unsigned int ncpus;
	struct relief_topo_cpu *cpus;
	unsigned int nnodes;
	struct relief_topo_node *nodes;
	int boot_cpu;
	bool numa;	/* false: libnuma unavailable, one node assumed */
	int *distances;	/* storage behind nodes[].distance */
};

/*
 * relief_topology_read() - read this machine. Without NUMA support
 * (numa_available() < 0) the machine is one node 0 holding every CPU, its
 * memory the MemTotal line of meminfo_path (normally /proc/meminfo).
 * Returns 0, or -1 with the reason in err. Free with relief_topology_free().
 */
int relief_topology_read(struct relief_topology *t, const char *meminfo_path,
			 char *err, size_t errlen);
void relief_topology_free(struct relief_topology *t);

/*
 * Lookups by id; NULL when there is no such CPU / node. Inline so the pure
 * planner needs nothing of topology.c (which links libnuma, libcpupower).
 */
static inline const struct relief_topo_cpu *
relief_topology_cpu(const struct relief_topology *t, int id)
{
	unsigned int lo = 0, hi = t->ncpus;

	while (lo < hi) {	/* cpus[] is sorted by id */
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->cpus[mid].id == id)
			return &t->cpus[mid];
		if (t->cpus[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static inline const struct relief_topo_node *
relief_topology_node(const struct relief_topology *t, int id)
{
	for (unsigned int i = 0; i < t->nnodes; i++)
		if (t->nodes[i].id == id)
			return &t->nodes[i];
	return NULL;
}

#endif /* RELIEFCTL_TOPOLOGY_H */
