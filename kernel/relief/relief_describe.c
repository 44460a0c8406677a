// SPDX-License-Identifier: GPL-2.0
/*
 * relief, OLD role: the hardware description handed to the new kernel
 * (proto/relief_hwdesc.h): every present CPU and RAM range with its NUMA
 * node and owner, the region's parts, the distances, this kernel's clocks,
 * and the arch's timer and console data. The new kernel probes nothing;
 * this is all it knows.
 */
#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/irqflags.h>
#include <linux/math64.h>
#include <linux/nodemask.h>
#include <linux/pfn.h>
#include <linux/mmzone.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/utsname.h>

#include "relief.h"
#include "relief_old.h"

static u32 relief_node_of(phys_addr_t addr)
{
	unsigned long pfn = PHYS_PFN(addr);
	int nid;

	for_each_online_node(nid)
		if (pfn >= node_start_pfn(nid) && pfn < node_end_pfn(nid))
			return nid;
	return first_online_node;
}

static int relief_add_mem(struct relief_hwdesc *h, u64 base, u64 size,
			  u8 owner, u8 kind)
{
	struct relief_hwdesc_mem *m;

	if (!size)
		return 0;
	if (h->nr_mem >= RELIEF_HWDESC_MAX_MEM)
		return -E2BIG;
	m = &h->mem[h->nr_mem++];
	m->base = base;
	m->size = size;
	m->numa_node = relief_node_of(base);
	m->owner = owner;
	m->kind = kind;
	return 0;
}

struct relief_ram_walk {
	struct relief_hwdesc *h;
	const struct relief_region *r;
	int err;
};

/* A's RAM: [s, e) less the region and the low chunk, split by node. */
static void relief_add_old_ram(struct relief_ram_walk *w, u64 s, u64 e)
{
	const struct relief_region *r = w->r;
	u64 holes[2][2] = {
		{ r->low_base, r->low_base + r->low_size },
		{ r->base, r->base + r->size },
	};
	int i, nid;

	for (i = 0; i < 2; i++) {
		if (holes[i][0] < e && holes[i][1] > s) {
			if (holes[i][0] > s)
				relief_add_old_ram(w, s, holes[i][0]);
			if (holes[i][1] < e)
				relief_add_old_ram(w, holes[i][1], e);
			return;
		}
	}
	for_each_online_node(nid) {
		u64 ns = PFN_PHYS(node_start_pfn(nid));
		u64 ne = PFN_PHYS(node_end_pfn(nid));

		if (ns < e && ne > s && !w->err)
			w->err = relief_add_mem(w->h, max(s, ns), min(e, ne) - max(s, ns),
						RELIEF_ROLE_OLD,
						RELIEF_HWDESC_MEM_RAM);
	}
}

static int relief_ram_cb(struct resource *res, void *arg)
{
	relief_add_old_ram(arg, res->start, res->end + 1);
	return 0;
}

/*
 * This kernel's clocks, read together with the arch's counter, interrupts
 * off: the new kernel advances them all by that counter's delta and
 * continues them (hwdesc.rst, /clock). Without a wall clock (never set)
 * there is nothing to continue: no /clock then.
 */
static void relief_describe_clocks(struct relief_hwdesc_clock *k)
{
	unsigned long flags;

	local_irq_save(flags);
	k->stamp = relief_arch_clock_stamp();
	k->realtime_ns = ktime_get_real_ns();
	k->monotonic_ns = ktime_get_ns();
	k->boottime_ns = ktime_get_boottime_ns();
	k->tai_offset = div_s64(ktime_get_clocktai_ns() - k->realtime_ns,
				NSEC_PER_SEC);
	local_irq_restore(flags);
	if (!k->realtime_ns)
		memset(k, 0, sizeof(*k));
}

/**
 * relief_describe() - describe this machine to the new kernel
 * @h: filled in
 * @r: the region
 * @lent: the CPUs the new kernel gets
 *
 * Return: 0, -E2BIG if the machine exceeds the description's limits, or
 * the arch's error.
 */
int relief_describe(struct relief_hwdesc *h, const struct relief_region *r,
		    const struct cpumask *lent)
{
	struct relief_ram_walk w = { .h = h, .r = r };
	u64 mb = r->base + RELIEF_AREA_MAILBOX;
	int cpu, i, j, nid, ret;

	memset(h, 0, sizeof(*h));
	ret = relief_arch_describe(h);
	if (ret)
		return ret;
	relief_describe_clocks(&h->clock);

	for_each_present_cpu(cpu) {
		struct relief_hwdesc_cpu *c;

		if (h->nr_cpus >= RELIEF_HWDESC_MAX_CPUS)
			return -E2BIG;
		c = &h->cpus[h->nr_cpus++];
		c->hw_id = relief_arch_cpu_hw_id(cpu);
		c->numa_node = cpu_to_node(cpu);
		c->owner = cpumask_test_cpu(cpu, lent) ? RELIEF_ROLE_NEW :
							  RELIEF_ROLE_OLD;
		c->boot = cpu == 0;
	}

	for_each_online_node(nid) {
		if (h->nr_numa >= RELIEF_HWDESC_MAX_NUMA)
			return -E2BIG;
		h->numa_ids[h->nr_numa++] = nid;
	}
	for (i = 0; i < h->nr_numa; i++)
		for (j = 0; j < h->nr_numa; j++)
			h->distance[i][j] = node_distance(h->numa_ids[i],
							  h->numa_ids[j]);

	walk_system_ram_res(0, U64_MAX, &w, relief_ram_cb);
	ret = w.err;
	ret = ret ?: relief_add_mem(h, r->low_base, r->low_size,
				    RELIEF_ROLE_NEW, RELIEF_HWDESC_MEM_RAM);
	ret = ret ?: relief_add_mem(h, r->base, RELIEF_AREA_MAILBOX,
				    RELIEF_ROLE_OLD, RELIEF_HWDESC_MEM_RESERVED);
	ret = ret ?: relief_add_mem(h, mb, RELIEF_MAILBOX_SIZE,
				    RELIEF_ROLE_OLD, RELIEF_HWDESC_MEM_MAILBOX);
	ret = ret ?: relief_add_mem(h, mb + RELIEF_MAILBOX_SIZE,
				    r->base + RELIEF_AREA_SIZE -
				    (mb + RELIEF_MAILBOX_SIZE),
				    RELIEF_ROLE_OLD, RELIEF_HWDESC_MEM_RESERVED);
	ret = ret ?: relief_add_mem(h, r->base + RELIEF_AREA_SIZE,
				    r->size - RELIEF_AREA_SIZE,
				    RELIEF_ROLE_NEW, RELIEF_HWDESC_MEM_RELIEF);
	if (ret)
		return ret;

	h->mailbox_base = mb;
	h->mailbox_size = RELIEF_MAILBOX_SIZE;
	h->relief_base = r->base;
	h->relief_size = r->size;
	strscpy(h->old_release, init_utsname()->release,
		sizeof(h->old_release));
	return 0;
}
