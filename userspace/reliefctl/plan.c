// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - choose, or check, the CPUs and memory kernel B gets. Pure: reads
 * the topology and the request, writes the plan, nothing else. The rules
 * are listed in plan.h.
 *
 * Cores are found by scanning (CPUs with the same known pkg and core), so a
 * plan costs O(CPUs^2) at worst: about 0.3M steps for 512 CPUs, and no
 * allocation.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "size.h"

const char *relief_plan_rule(enum relief_plan_verdict v)
{
	switch (v) {
	case RELIEF_PLAN_OK:		return "ok";
	case RELIEF_PLAN_NO_SUCH_CPU:	return "CPU doesn't exist";
	case RELIEF_PLAN_BOOT_CPU:	return "boot CPU";
	case RELIEF_PLAN_OFFLINE_CPU:	return "offline CPU";
	case RELIEF_PLAN_SPLIT_CORE:	return "split SMT core";
	case RELIEF_PLAN_SPANS_NODES:	return "spans nodes";
	case RELIEF_PLAN_A_NO_CPU:	return "leaves A no CPU";
	case RELIEF_PLAN_MEMORY:	return "not enough memory";
	case RELIEF_PLAN_NO_CPUS:	return "no CPU to give";
	case RELIEF_PLAN_NCPUS:		return "not enough CPUs";
	case RELIEF_PLAN_BAD_TOPOLOGY:	return "bad topology";
	}
	return "?";
}

static bool core_known(const struct relief_topo_cpu *c)
{
	return c->pkg >= 0 && c->core >= 0;
}

/* SMT siblings (or the same CPU). A CPU of unknown core is alone. */
static bool same_core(const struct relief_topo_cpu *a,
		      const struct relief_topo_cpu *b)
{
	return a == b || (core_known(a) && a->pkg == b->pkg &&
			  a->core == b->core);
}

/*
 * What kernel A keeps whatever the plan: the boot CPU, the CPUs the kernel
 * never lends (req->keep), and the whole core of each.
 */
struct kept {
	const struct relief_topo_cpu *boot;
	const struct relief_cpuset *keep;
	struct relief_cpuset cores;	/* every CPU of those cores */
	bool others;			/* keep names more than the boot CPU */
	char text[128];	/* "the boot CPU 0[ and the machine's boot CPU 2]" */
};

/* What the planner knows of one core, found from any of its CPUs. */
struct core {
	unsigned int leader;	/* index of its highest-numbered CPU */
	unsigned int size;	/* CPUs (threads) */
	bool takeable;		/* all online, not a kept core, one node */
};

static void add_core(const struct relief_topology *t, unsigned int i,
		     struct relief_cpuset *set)
{
	for (unsigned int j = 0; j < t->ncpus; j++)
		if (same_core(&t->cpus[i], &t->cpus[j]))
			relief_cpuset_set(set, (unsigned int)t->cpus[j].id);
}

static void kept_make(const struct relief_topology *t,
		      const struct relief_plan_req *req,
		      const struct relief_topo_cpu *boot, struct kept *k)
{
	struct relief_cpuset others;
	char list[64];

	memset(k, 0, sizeof(*k));
	relief_cpuset_zero(&others);
	k->boot = boot;
	k->keep = &req->keep;
	for (int id = relief_cpuset_first(&req->keep); id >= 0;
	     id = relief_cpuset_next(&req->keep, id))
		if (id != boot->id)
			relief_cpuset_set(&others, (unsigned int)id);
	for (unsigned int i = 0; i < t->ncpus; i++)
		if (t->cpus[i].id == boot->id ||
		    relief_cpuset_test(&req->keep, (unsigned int)t->cpus[i].id))
			add_core(t, i, &k->cores);
	k->others = relief_cpuset_count(&others) > 0;
	relief_cpulist_format(&others, list, sizeof(list));
	snprintf(k->text, sizeof(k->text), "the boot CPU %d%s%s", boot->id,
		 k->others ? " and the machine's boot CPU " : "", list);
}

/* The kept CPU whose core c is of (the boot CPU first); NULL: none. */
static const struct relief_topo_cpu *kept_owner(const struct relief_topology *t,
						const struct kept *k,
						const struct relief_topo_cpu *c)
{
	if (same_core(c, k->boot))
		return k->boot;
	for (int id = relief_cpuset_first(k->keep); id >= 0;
	     id = relief_cpuset_next(k->keep, id)) {
		const struct relief_topo_cpu *s = relief_topology_cpu(t, id);

		if (s && same_core(c, s))
			return s;
	}
	return NULL;
}

static void core_of(const struct relief_topology *t, unsigned int i,
		    const struct kept *k, struct core *core)
{
	const struct relief_topo_cpu *c = &t->cpus[i];

	core->leader = i;
	core->size = 0;
	core->takeable = c->node >= 0;
	for (unsigned int j = 0; j < t->ncpus; j++) {
		const struct relief_topo_cpu *s = &t->cpus[j];

		if (!same_core(c, s))
			continue;
		core->leader = j;	/* ascending ids: the last is highest */
		core->size++;
		if (!s->online || s->node != c->node ||
		    relief_cpuset_test(&k->cores, (unsigned int)s->id))
			core->takeable = false;
	}
}

/*
 * Whole takeable cores of node, highest-numbered first, while they fit in
 * want CPUs; with min_one, at least the first core even if it does not fit.
 * Adds them to set (if set) and returns how many CPUs that is.
 */
static unsigned int take_cores(const struct relief_topology *t, int node,
			       const struct kept *k,
			       unsigned int want, bool min_one,
			       struct relief_cpuset *set)
{
	unsigned int count = 0, first = UINT_MAX, first_size = 0;

	for (unsigned int i = t->ncpus; i-- > 0 && count < want;) {
		struct core core;

		if (t->cpus[i].node != node)
			continue;
		core_of(t, i, k, &core);
		if (core.leader != i || !core.takeable)
			continue;	/* met already, or not B's to take */
		if (first == UINT_MAX) {
			first = i;
			first_size = core.size;
		}
		if (count + core.size > want)
			continue;
		count += core.size;
		if (set)
			add_core(t, i, set);
	}
	if (!count && min_one && first != UINT_MAX) {
		count = first_size;
		if (set)
			add_core(t, first, set);
	}
	return count;
}

static unsigned int online_on_node(const struct relief_topology *t, int node)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < t->ncpus; i++)
		n += t->cpus[i].online && t->cpus[i].node == node;
	return n;
}

static bool topology_sane(const struct relief_topology *t)
{
	if (!t->ncpus || !t->cpus || !t->nnodes || !t->nodes)
		return false;
	for (unsigned int i = 0; i < t->ncpus; i++)
		if (t->cpus[i].id < 0 || t->cpus[i].id >= RELIEF_MAX_CPUS ||
		    (i && t->cpus[i].id <= t->cpus[i - 1].id))
			return false;
	for (unsigned int i = 1; i < t->nnodes; i++)
		if (t->nodes[i].id <= t->nodes[i - 1].id)
			return false;
	return relief_topology_cpu(t, t->boot_cpu) != NULL;
}

static enum relief_plan_verdict refuse(struct relief_plan *plan,
				       enum relief_plan_verdict v,
				       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum relief_plan_verdict refuse(struct relief_plan *plan,
				       enum relief_plan_verdict v,
				       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(plan->reason, sizeof(plan->reason), fmt, ap);
	va_end(ap);
	plan->verdict = v;
	return v;
}

/* The operator's --cpus, checked rule by rule in the order of plan.h. */
static enum relief_plan_verdict check_cpus(const struct relief_topology *t,
					   const struct relief_plan_req *req,
					   const struct kept *k,
					   struct relief_plan *plan)
{
	const struct relief_topo_cpu *boot = k->boot;
	const struct relief_cpuset *set = &req->cpus;
	const struct relief_topo_cpu *first = NULL;
	int id;

	if (!relief_cpuset_count(set))
		return refuse(plan, RELIEF_PLAN_NO_SUCH_CPU,
			      "the CPU list is empty");
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id))
		if (!relief_topology_cpu(t, id))
			return refuse(plan, RELIEF_PLAN_NO_SUCH_CPU,
				      "CPU %d does not exist: this machine's "
				      "CPUs are %d-%d", id, t->cpus[0].id,
				      t->cpus[t->ncpus - 1].id);
	if (relief_cpuset_test(set, (unsigned int)boot->id))
		return refuse(plan, RELIEF_PLAN_BOOT_CPU,
			      "CPU %d is the boot CPU: kernel A keeps it",
			      boot->id);
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id))
		if (relief_cpuset_test(k->keep, (unsigned int)id))
			return refuse(plan, RELIEF_PLAN_BOOT_CPU,
				      "CPU %d is the machine's boot CPU: a "
				      "lent CPU comes back with INIT, so it is "
				      "never lent", id);
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id)) {
		const struct relief_topo_cpu *owner =
			kept_owner(t, k, relief_topology_cpu(t, id));

		if (owner == boot)
			return refuse(plan, RELIEF_PLAN_BOOT_CPU,
				      "CPU %d is an SMT sibling of the boot "
				      "CPU %d: kernel A keeps the boot CPU's "
				      "whole core", id, boot->id);
		if (owner)
			return refuse(plan, RELIEF_PLAN_BOOT_CPU,
				      "CPU %d is an SMT sibling of the "
				      "machine's boot CPU %d: kernel A keeps "
				      "that CPU's whole core", id, owner->id);
	}
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id))
		if (!relief_topology_cpu(t, id)->online)
			return refuse(plan, RELIEF_PLAN_OFFLINE_CPU,
				      "CPU %d is offline: only online CPUs "
				      "can be given to kernel B", id);
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id)) {
		const struct relief_topo_cpu *c = relief_topology_cpu(t, id);

		for (unsigned int j = 0; j < t->ncpus; j++) {
			const struct relief_topo_cpu *s = &t->cpus[j];

			if (same_core(c, s) &&
			    !relief_cpuset_test(set, (unsigned int)s->id))
				return refuse(plan, RELIEF_PLAN_SPLIT_CORE,
					      "CPU %d would split an SMT core: "
					      "its sibling CPU %d (package %d, "
					      "core %d) is not in the list; "
					      "give whole cores", id, s->id,
					      c->pkg, c->core);
		}
	}
	for (id = relief_cpuset_first(set); id >= 0;
	     id = relief_cpuset_next(set, id)) {
		const struct relief_topo_cpu *c = relief_topology_cpu(t, id);

		if (c->node < 0)
			return refuse(plan, RELIEF_PLAN_SPANS_NODES,
				      "CPU %d belongs to no known NUMA node",
				      id);
		if (!first)
			first = c;
		else if (c->node != first->node)
			return refuse(plan, RELIEF_PLAN_SPANS_NODES,
				      "the list spans nodes: CPU %d is on "
				      "node %d, CPU %d on node %d; kernel B "
				      "takes CPUs of one node", first->id,
				      first->node, id, c->node);
	}
	plan->node = first->node;
	plan->cpus = *set;
	plan->why = RELIEF_WHY_OPERATOR;
	if (k->others)
		snprintf(plan->reason, sizeof(plan->reason), "the operator's "
			 "choice: whole cores of node %d, clear of the cores "
			 "of %s", plan->node, k->text);
	else
		snprintf(plan->reason, sizeof(plan->reason), "the operator's "
			 "choice: whole cores of node %d, clear of the boot "
			 "CPU's core", plan->node);
	return RELIEF_PLAN_OK;
}

/* Refusal when no node can give what was asked: say what is closest. */
static enum relief_plan_verdict refuse_auto(const struct relief_topology *t,
					    const struct relief_plan_req *req,
					    const struct kept *k,
					    struct relief_plan *plan)
{
	char want[32], best_mem[32];
	int mem_node = -1, cpu_node = -1, split_node = -1;
	unsigned int best_avail = 0;
	uint64_t most = 0;

	for (unsigned int i = 0; i < t->nnodes; i++) {
		const struct relief_topo_node *n = &t->nodes[i];
		unsigned int avail = take_cores(t, n->id, k, UINT_MAX,
						false, NULL);

		if (!avail)
			continue;
		if (mem_node < 0 || n->mem_bytes > most) {
			mem_node = n->id;
			most = n->mem_bytes;
		}
		if (n->mem_bytes < plan->mem_bytes)
			continue;
		if (cpu_node < 0 || avail > best_avail) {
			cpu_node = n->id;
			best_avail = avail;
		}
		if (req->ncpus && req->ncpus <= avail && split_node < 0)
			split_node = n->id;
	}
	if (mem_node < 0 && k->others)
		return refuse(plan, RELIEF_PLAN_NO_CPUS,
			      "no CPU can be given to kernel B: every online "
			      "CPU is %s or an SMT sibling of one", k->text);
	if (mem_node < 0)
		return refuse(plan, RELIEF_PLAN_NO_CPUS,
			      "no CPU can be given to kernel B: every online "
			      "CPU is the boot CPU %d or its SMT sibling",
			      k->boot->id);
	relief_size_format(plan->mem_bytes, want, sizeof(want));
	relief_size_format(most, best_mem, sizeof(best_mem));
	if (cpu_node < 0)
		return refuse(plan, RELIEF_PLAN_MEMORY,
			      "no node with CPUs to give has %s of memory "
			      "(the most: node %d with %s)", want, mem_node,
			      best_mem);
	if (split_node >= 0)
		return refuse(plan, RELIEF_PLAN_SPLIT_CORE,
			      "--ncpus %u would split an SMT core on node %d: "
			      "ask for a count of whole cores", req->ncpus,
			      split_node);
	return refuse(plan, RELIEF_PLAN_NCPUS,
		      "no node can give %u CPUs as whole cores with %s of "
		      "memory (the most: node %d, %u CPUs)", req->ncpus, want,
		      cpu_node, best_avail);
}

/* CPUs this node gives under the request; 0 when it cannot. */
static unsigned int node_offer(const struct relief_topology *t,
			       const struct relief_plan_req *req,
			       const struct kept *k, int node,
			       struct relief_cpuset *set)
{
	unsigned int avail = take_cores(t, node, k, UINT_MAX, false, NULL);

	if (!avail)
		return 0;
	if (req->ncpus)
		return take_cores(t, node, k, req->ncpus, false, set) ==
		       req->ncpus ? req->ncpus : 0;
	if (node != k->boot->node)
		return take_cores(t, node, k, UINT_MAX, false, set);
	/* Sharing A's node: half of it, rounded down to whole cores. */
	return take_cores(t, node, k, online_on_node(t, node) / 2, true, set);
}

/* Does A keep a CPU of this node besides the boot CPU's core? */
static bool keeps_other_on(const struct relief_topology *t,
			   const struct kept *k, int node)
{
	for (unsigned int i = 0; i < t->ncpus; i++) {
		const struct relief_topo_cpu *c = &t->cpus[i];

		if (c->node == node && !same_core(c, k->boot) &&
		    relief_cpuset_test(&k->cores, (unsigned int)c->id))
			return true;
	}
	return false;
}

/* "; A keeps ..." after the reason, when A keeps more than the boot CPU. */
static void append_kept(struct relief_plan *plan, const struct kept *k)
{
	size_t n = strlen(plan->reason);

	if (k->others)
		snprintf(plan->reason + n, sizeof(plan->reason) - n,
			 "; A keeps %s", k->text);
}

static enum relief_plan_verdict choose(const struct relief_topology *t,
				       const struct relief_plan_req *req,
				       const struct kept *k,
				       struct relief_plan *plan)
{
	const struct relief_topo_cpu *boot = k->boot;
	const struct relief_topo_node *best = NULL;
	unsigned int best_n = 0;
	char mem[32];

	for (unsigned int i = 0; i < t->nnodes; i++) {
		const struct relief_topo_node *n = &t->nodes[i];
		unsigned int got;
		bool other, best_other;

		if (n->mem_bytes < plan->mem_bytes)
			continue;
		got = node_offer(t, req, k, n->id, NULL);
		if (!got)
			continue;
		other = n->id != boot->node;
		best_other = best && best->id != boot->node;
		if (!best || other > best_other ||
		    (other == best_other &&
		     (n->mem_bytes > best->mem_bytes ||
		      (n->mem_bytes == best->mem_bytes && got > best_n)))) {
			best = n;
			best_n = got;
		}
	}
	if (!best)
		return refuse_auto(t, req, k, plan);
	plan->node = best->id;
	node_offer(t, req, k, best->id, &plan->cpus);
	relief_size_format(best->mem_bytes, mem, sizeof(mem));
	if (t->nnodes == 1) {
		plan->why = RELIEF_WHY_SINGLE_NODE;
		snprintf(plan->reason, sizeof(plan->reason), "one-node "
			 "machine: kernel B takes the highest-numbered whole "
			 "cores%s; A keeps %s",
			 req->ncpus ? "" : ", half the CPUs", k->text);
	} else if (best->id != boot->node) {
		plan->why = RELIEF_WHY_OTHER_NODE;
		snprintf(plan->reason, sizeof(plan->reason), "node %d does "
			 "not hold the boot CPU and has the most memory (%s) "
			 "of such nodes; %s", best->id, mem, req->ncpus ?
			 "B takes its highest-numbered whole cores" :
			 keeps_other_on(t, k, best->id) ?
			 "B takes the whole node but the cores A keeps" :
			 "B takes the whole node");
		append_kept(plan, k);
	} else {
		plan->why = RELIEF_WHY_BOOT_NODE;
		snprintf(plan->reason, sizeof(plan->reason), "no node without "
			 "the boot CPU can give what was asked: B shares node "
			 "%d with A, taking its highest-numbered whole cores",
			 best->id);
		append_kept(plan, k);
	}
	return RELIEF_PLAN_OK;
}

enum relief_plan_verdict relief_plan_make(const struct relief_topology *t,
					  const struct relief_plan_req *req,
					  struct relief_plan *plan)
{
	const struct relief_topo_node *node;
	enum relief_plan_verdict v;
	unsigned int a_keeps = 0;
	struct kept k;

	memset(plan, 0, sizeof(*plan));
	plan->node = -1;
	plan->boot_cpu = t->boot_cpu;
	plan->keep = req->keep;
	plan->mem_bytes = req->mem_bytes ? req->mem_bytes :
			  RELIEF_PLAN_MEM_DEFAULT;
	if (!topology_sane(t))
		return refuse(plan, RELIEF_PLAN_BAD_TOPOLOGY, "the topology "
			      "read is inconsistent (no CPUs, no nodes, "
			      "unsorted ids, or no boot CPU %d)", t->boot_cpu);
	kept_make(t, req, relief_topology_cpu(t, t->boot_cpu), &k);
	v = req->have_cpus ? check_cpus(t, req, &k, plan) :
			     choose(t, req, &k, plan);
	if (v != RELIEF_PLAN_OK)
		return v;
	for (unsigned int i = 0; i < t->ncpus; i++)
		a_keeps += t->cpus[i].online &&
			   !relief_cpuset_test(&plan->cpus,
					       (unsigned int)t->cpus[i].id);
	if (!a_keeps)
		return refuse(plan, RELIEF_PLAN_A_NO_CPU, "kernel A would "
			      "keep no online CPU");
	node = relief_topology_node(t, plan->node);
	if (!node || node->mem_bytes < plan->mem_bytes) {
		char want[32], has[32];

		relief_size_format(plan->mem_bytes, want, sizeof(want));
		relief_size_format(node ? node->mem_bytes : 0, has,
				   sizeof(has));
		return refuse(plan, RELIEF_PLAN_MEMORY, "node %d has %s of "
			      "memory, less than the %s asked (--mem)",
			      plan->node, has, want);
	}
	plan->ncpus = relief_cpuset_count(&plan->cpus);
	plan->verdict = RELIEF_PLAN_OK;
	return RELIEF_PLAN_OK;
}
