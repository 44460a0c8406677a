// SPDX-License-Identifier: GPL-2.0
/* helper_topo.c - synthetic machines for the reliefctl tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_topo.h"

void rt_topo_build(struct relief_topology *t, unsigned int nodes,
		   unsigned int cores, unsigned int threads, uint64_t mem,
		   enum rt_numbering numbering)
{
	unsigned int all_cores = nodes * cores;

	memset(t, 0, sizeof(*t));
	t->ncpus = all_cores * threads;
	t->nnodes = nodes;
	t->numa = true;
	t->cpus = calloc(t->ncpus, sizeof(*t->cpus));
	t->nodes = calloc(nodes, sizeof(*t->nodes));
	t->distances = calloc((size_t)nodes * nodes, sizeof(int));
	assert_non_null(t->cpus);
	assert_non_null(t->nodes);
	assert_non_null(t->distances);
	for (unsigned int n = 0; n < nodes; n++) {
		t->nodes[n].id = (int)n;
		t->nodes[n].mem_bytes = mem;
		t->nodes[n].distance = &t->distances[n * nodes];
		for (unsigned int m = 0; m < nodes; m++)
			t->distances[n * nodes + m] = n == m ? 10 : 20;
		for (unsigned int c = 0; c < cores; c++)
			for (unsigned int th = 0; th < threads; th++) {
				unsigned int g = n * cores + c;
				unsigned int id = numbering == RT_NODE_MAJOR ?
					g * threads + th : th * all_cores + g;
				struct relief_topo_cpu *cpu = &t->cpus[id];

				cpu->id = (int)id;
				cpu->node = (int)n;
				cpu->pkg = (int)n;
				cpu->core = (int)c;
				cpu->online = true;
			}
	}
}

void rt_topo_free(struct relief_topology *t)
{
	free(t->cpus);
	free(t->nodes);
	free(t->distances);
	memset(t, 0, sizeof(*t));
}

struct relief_topo_cpu *rt_cpu(struct relief_topology *t, int id)
{
	assert_true(id >= 0 && (unsigned int)id < t->ncpus);
	assert_int_equal(t->cpus[id].id, id);
	return &t->cpus[id];
}
