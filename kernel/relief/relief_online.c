// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: taking the machine (NEW, ONLINE)
 *
 * Once OLD stood relieved, NEW takes what it left, in this order: OLD's
 * CPUs from the park (every one of them must have reached it, or nothing
 * else is touched: one that did not may still run OLD's code), the rest
 * of the platform (x86: the IOAPICs, OLD's console, the RTC, the HPET),
 * the rest of the PCI bus, OLD's RAM, and last the firmware's runtime
 * (x86: ACPI, whose PCI root adopts the bus and whose SCI goes through
 * the IOAPICs).
 * Then it frees its init memory, held until now for the firmware's
 * __init code, and says so: "NEW: the machine is this kernel's". The
 * transfer area follows once the agent let go of it (the reclaim work).
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/start_kernel.h>
#include <linux/workqueue.h>

#include "relief.h"
#include "relief_agent.h"
#include "relief_frames.h"
#include "relief_window.h"

/* Every CPU of OLD left the park: it and the park area are not used. */
static bool relief_new_parked_all;

/**
 * relief_new_machine_taken() - did every CPU of OLD reach the park?
 *
 * Return: true once relief_new_take_machine() took them all: the park
 * area and OLD's RAM are this kernel's.
 */
bool relief_new_machine_taken(void)
{
	return relief_new_parked_all;
}

/*
 * ONLINE, first: OLD's CPUs, from the park. Return: true if every one of
 * them reached it (one that did not may still be running OLD).
 */
static bool relief_new_take_cpus(const struct relief_hwdesc *h)
{
	unsigned int cpus = 0;
	bool parked = true;
	u32 i;
	int err;

	relief_arch_new_take_all();
	for (i = 0; i < h->nr_cpus; i++) {
		if (h->cpus[i].owner == RELIEF_ROLE_NEW)
			continue;
		err = relief_arch_new_online_cpu(h->cpus[i].hw_id);
		if (err == -ETIMEDOUT)
			parked = false;
		if (err)
			pr_err("NEW: CPU %#llx of OLD did not come online: %d\n",
			       h->cpus[i].hw_id, err);
		else
			cpus++;
	}
	pr_info("NEW: %u CPUs of OLD online (%u in all)\n", cpus,
		num_online_cpus());
	return parked;
}

/* Tally of OLD's RAM taken: now, or once the frames in it are read. */
struct relief_new_ram {
	u64 added;	/* whole blocks hot-added */
	u64 freed;	/* pieces held from boot, freed */
	u64 waiting;	/* blocks frame lists still hold */
};

/*
 * ONLINE, last: OLD's RAM. Its whole blocks are hot-added, online movable
 * (memhp_default_state= on this kernel's command line), so a later swap
 * can give them away again; the pieces of other blocks this kernel held
 * from boot (relief_held.c) are freed into its zones. A block holding
 * pages still to be read in place waits for them (relief_frames.c).
 */
static void relief_new_take_ram(const struct relief_hwdesc *h)
{
	u64 bs = memory_block_size_bytes(), a, end, base, size;
	struct relief_new_ram t = { 0 };
	unsigned int pos = 0;
	u32 i;
	int err;

	for (i = 0; i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if (m->owner == RELIEF_ROLE_NEW ||
		    m->kind != RELIEF_HWDESC_MEM_RAM)
			continue;
		if (!relief_mem_whole_blocks(m, bs, &a, &end))
			continue;
		for (; a < end; a += bs) {
			err = relief_frames_take_block(a, false);
			if (err > 0)
				t.waiting += bs;
			else if (!err)
				t.added += bs;
		}
	}
	while (relief_held_next(RELIEF_HELD_OLD_RAM, &pos, &base, &size)) {
		err = relief_frames_take_block(ALIGN_DOWN(base, bs), true);
		if (err > 0)
			t.waiting += size;
		else if (!err)
			t.freed += size;
	}
	pr_info("NEW owns the machine: %llu MiB of OLD's RAM added, %llu MiB freed, %llu MiB after its pages are read\n",
		t.added >> 20, t.freed >> 20, t.waiting >> 20);
}

/**
 * relief_new_take_machine() - ONLINE: take what OLD left, in order
 *
 * OLD stood relieved. Its CPUs wait in the park; its RAM, the rest of the
 * bus, the platform and the firmware are this kernel's.
 *
 * Context: NEW's protocol thread.
 */
void relief_new_take_machine(void)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();

	if (!relief_new_take_cpus(h)) {
		pr_emerg("NEW: OLD did not park all its CPUs; its RAM and the rest of the bus stay untouched\n");
		goto release_init;
	}
	relief_new_parked_all = true;
	relief_arch_new_take_platform();
	relief_arch_new_devices_rest();
	relief_new_take_ram(h);
	relief_arch_new_take_firmware();
release_init:
	/* Held until now for the firmware's start (its __init code). */
	if (initmem_held) {
		initmem_held = false;
		release_initmem();
	}
	if (relief_new_parked_all)
		pr_info("NEW: the machine is this kernel's\n");
}

/*
 * The transfer area joins this kernel's RAM once OLD stood relieved and the
 * agent let go of it: no window open, no mapping left. New windows and
 * mappings are refused from the first try on (the area is withdrawn from
 * the agent), so the last user to go finds it idle. From a work item:
 * the kicks come from a mapping's close and from the window ioctl.
 */
static void relief_new_reclaim(struct work_struct *w)
{
	static DEFINE_MUTEX(lock);
	u64 base, size;

	if (!relief_new_owns_machine() || !relief_new_parked_all)
		return;
	mutex_lock(&lock);
	if (relief_held_find(RELIEF_HELD_TRANSFER, &base, &size)) {
		relief_agent_withdraw_area(base, size);
		if (relief_window_let_go() && !relief_agent_mapped())
			relief_held_free(RELIEF_HELD_TRANSFER, base, size);
	}
	mutex_unlock(&lock);
}

static DECLARE_WORK(relief_new_reclaim_work, relief_new_reclaim);

/**
 * relief_new_reclaim_kick() - a user of the transfer area let go of it
 *
 * Frees the area (in a work item) if it was the last one and OLD is gone.
 */
void relief_new_reclaim_kick(void)
{
	if (relief_new_owns_machine())
		schedule_work(&relief_new_reclaim_work);
}
