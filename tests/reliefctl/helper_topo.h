/* SPDX-License-Identifier: GPL-2.0 */
/* helper_topo.h - synthetic machines for the reliefctl tests. */
#ifndef RELIEFCTL_HELPER_TOPO_H
#define RELIEFCTL_HELPER_TOPO_H

#include <stdint.h>

#include "topology.h"

#define RT_MiB (UINT64_C(1) << 20)
#define RT_GiB (UINT64_C(1) << 30)

/* How SMT siblings are numbered. */
enum rt_numbering {
	/* Siblings adjacent, node after node: node 0 is CPUs 0..n-1. */
	RT_NODE_MAJOR,
	/*
	 * Intel-style: first every core's thread 0, then every core's
	 * thread 1, so CPU k and CPU k + (all cores) are siblings, and a
	 * node's CPUs are two ranges.
	 */
	RT_THREAD_MAJOR,
};

/*
 * rt_topo_build() - nodes x cores x threads, all online, boot CPU 0; one
 * package per node, core ids 0.. within it; mem bytes per node; distance 10
 * local, 20 remote. Free with rt_topo_free().
 */
void rt_topo_build(struct relief_topology *t, unsigned int nodes,
		   unsigned int cores, unsigned int threads, uint64_t mem,
		   enum rt_numbering numbering);
void rt_topo_free(struct relief_topology *t);
/* The CPU with this id, to change (offline it, move it...). */
struct relief_topo_cpu *rt_cpu(struct relief_topology *t, int id);

#endif /* RELIEFCTL_HELPER_TOPO_H */
