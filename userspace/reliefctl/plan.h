/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plan.h - which CPUs and memory kernel A gives to kernel B. A pure
 * function of the topology and the operator's request: no I/O, so every
 * rule is tested against machines built in the tests.
 *
 * The rules (Documentation/relief/reliefctl.rst, "plan"):
 *  - B's CPUs and memory come from ONE NUMA node;
 *  - never the boot CPU, nor any CPU of the boot CPU's core; the same for
 *    every CPU the kernel never lends (req->keep: /sys/kernel/relief/keep,
 *    the machine's boot CPU in a kernel that relieved another);
 *  - SMT siblings go together: whole cores only;
 *  - only online CPUs, and A keeps at least one online CPU;
 *  - the node needs at least the memory asked for;
 *  - chosen: a node without the boot CPU, the one with the most memory
 *    (ties: more CPUs to give, then the lower id), the whole node by
 *    default; else the boot CPU's node, its highest-numbered whole cores,
 *    half its CPUs by default (at least one core).
 */
#ifndef RELIEFCTL_PLAN_H
#define RELIEFCTL_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "cpulist.h"
#include "topology.h"

#define RELIEF_PLAN_MEM_DEFAULT (UINT64_C(256) << 20)

struct relief_plan_req {
	bool have_cpus;			/* --cpus: the operator's own list */
	struct relief_cpuset cpus;
	unsigned int ncpus;		/* --ncpus; 0: the default */
	uint64_t mem_bytes;		/* --mem; 0: RELIEF_PLAN_MEM_DEFAULT */
	/*
	 * The CPUs the kernel never lends (/sys/kernel/relief/keep: its boot
	 * CPU and the machine's, which an INIT would reset): each is kept
	 * with its whole core, as the boot CPU is. Empty when the kernel
	 * does not say (older kernels): the boot CPU alone.
	 */
	struct relief_cpuset keep;
};

/* OK, or the rule a refused plan would break. */
enum relief_plan_verdict {
	RELIEF_PLAN_OK = 0,
	RELIEF_PLAN_NO_SUCH_CPU,	/* --cpus names a CPU that does not exist */
	RELIEF_PLAN_BOOT_CPU,		/* a kept CPU (boot, keep) or sibling */
	RELIEF_PLAN_OFFLINE_CPU,
	RELIEF_PLAN_SPLIT_CORE,		/* part of an SMT core only */
	RELIEF_PLAN_SPANS_NODES,
	RELIEF_PLAN_A_NO_CPU,		/* A would keep no online CPU */
	RELIEF_PLAN_MEMORY,		/* the node has less memory than asked */
	RELIEF_PLAN_NO_CPUS,		/* no node has a CPU B may take */
	RELIEF_PLAN_NCPUS,		/* no node has --ncpus CPUs to give */
	RELIEF_PLAN_BAD_TOPOLOGY,	/* input breaks topology.h invariants */
};

/* Why this node and these CPUs (for the one-line explanation). */
enum relief_plan_why {
	RELIEF_WHY_OPERATOR,	/* --cpus */
	RELIEF_WHY_OTHER_NODE,	/* a node without the boot CPU */
	RELIEF_WHY_BOOT_NODE,	/* multi-node, but no other node qualified */
	RELIEF_WHY_SINGLE_NODE,
};

struct relief_plan {
	enum relief_plan_verdict verdict;
	enum relief_plan_why why;
	int node;
	struct relief_cpuset cpus;
	unsigned int ncpus;
	uint64_t mem_bytes;
	int boot_cpu;
	struct relief_cpuset keep;	/* req->keep, for the output */
	/* One line: why this plan, or which rule refused it and how. */
	char reason[256];
};

/*
 * relief_plan_make() - fill plan from topology t and request req; returns
 * plan->verdict. On refusal plan->reason names the rule broken and the
 * CPUs or node involved.
 */
enum relief_plan_verdict relief_plan_make(const struct relief_topology *t,
					  const struct relief_plan_req *req,
					  struct relief_plan *plan);

/* Short name of the rule behind a verdict ("boot CPU", "spans nodes"...). */
const char *relief_plan_rule(enum relief_plan_verdict v);

#endif /* RELIEFCTL_PLAN_H */
