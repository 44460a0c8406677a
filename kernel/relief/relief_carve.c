// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: a region made at swap time
 *
 * A cold-booted kernel reserves its region at boot (relief_region=): its
 * RAM is all in kernel zones, none of which it could give up later. A
 * kernel that relieved another does not: it added the old kernel's RAM in
 * whole memory blocks online movable, which it can give up whenever it
 * likes. So its relief_region=SIZE only says how large, and PREPARE makes
 * the region then: it takes SIZE, rounded up to whole memory blocks, of
 * consecutive movable blocks on one node out of its page allocator by
 * offlining them (their pages migrate elsewhere), the highest such run
 * below 4 GiB first. Blocks with pages kept at boot are passed over (a
 * kernel booted normally with movablecore= may have its image, placed at
 * random, in the movable zone). The blocks stay in the memory map and the
 * direct map, through which the region is written as one reserved at boot
 * is. A run whose pages cannot all move is onlined again, the block that
 * stuck is struck out, and the search starts over.
 *
 * A run that does not hand the machine over gives the region back
 * (online movable again); a completed one leaves it to the new kernel,
 * which boots in it. Regions so alternate between memory the
 * two kernels hot-added, instead of each kernel's region lying inside the
 * one it booted in: after any number of swaps the machine has all its
 * memory, and every region is as large as the first.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "relief.h"

/* Below 4 GiB and above the lowest 16 MiB: as a boot-time region. */
#define CARVE_LOW	SZ_16M
#define CARVE_HIGH	SZ_4G

/* Shown in /proc/iomem while made, as a region reserved at boot is. */
static struct resource carve_res = {
	.name = "relief region",
	.flags = IORESOURCE_MEM | IORESOURCE_BUSY,
	.desc = IORES_DESC_RESERVED,
};

struct carve_scan {
	unsigned long bs;		/* memory block size */
	unsigned long nr;		/* blocks below CARVE_HIGH */
	unsigned long *movable;		/* online in ZONE_MOVABLE */
	int *nid;			/* each one's node */
};

/*
 * No page of the block was kept at boot: the kernel image (placed at
 * random, movable memory included), memblock allocations, the holes of a
 * partly present block. Any one of them keeps the block online, so a run
 * through it is not worth offlining the blocks before it.
 */
static bool carve_block_all_free_ram(struct memory_block *mem)
{
	unsigned long pfn = section_nr_to_pfn(mem->start_section_nr);
	unsigned long end = pfn + memory_block_size_bytes() / PAGE_SIZE;

	for (; pfn < end; pfn++)
		if (!pfn_valid(pfn) || PageReserved(pfn_to_page(pfn)))
			return false;
	return true;
}

/* Note an online block of ZONE_MOVABLE that could go offline, and its node. */
static int carve_note_block(struct memory_block *mem, void *arg)
{
	struct carve_scan *s = arg;
	u64 i = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr)) / s->bs;

	if (mem->state == MEM_ONLINE && mem->zone &&
	    zone_idx(mem->zone) == ZONE_MOVABLE && i < s->nr &&
	    carve_block_all_free_ram(mem)) {
		__set_bit(i, s->movable);
		s->nid[i] = mem->nid;
	}
	return 0;
}

/* Blocks [@start, @start + @n) are all movable and on one node. */
static bool carve_run_ok(const struct carve_scan *s, unsigned long start,
			 unsigned long n)
{
	unsigned long i;

	if (find_next_zero_bit(s->movable, start + n, start) < start + n)
		return false;
	for (i = start + 1; i < start + n; i++)
		if (s->nid[i] != s->nid[start])
			return false;
	return true;
}

/* The highest run of @n good blocks ending at or below block @top, or -1. */
static long carve_find_run(const struct carve_scan *s, long top,
			   unsigned long n)
{
	long first = max_t(long, CARVE_LOW / s->bs, 1);
	long i;

	for (i = top; i - (long)n + 1 >= first; i--)
		if (carve_run_ok(s, i - n + 1, n))
			return i - n + 1;
	return -1;
}

/* Offline one block; @arg: where the first that would not goes. */
static int carve_offline_block(struct memory_block *mem, void *arg)
{
	if (device_offline(&mem->dev) >= 0)
		return 0;
	*(u64 *)arg = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
	return -EBUSY;
}

static int carve_online_block(struct memory_block *mem, void *arg)
{
	device_online(&mem->dev);
	return 0;
}

/*
 * Offline the blocks of [@start, @start + @size), or none of them. They
 * stay in the memory map and the direct map: the region is written
 * through it, as one reserved at boot is. On failure *@stuck is the
 * start of the block that would not go offline.
 */
static int carve_offline(u64 start, u64 size, u64 *stuck)
{
	int err;

	lock_device_hotplug();
	err = walk_memory_blocks(start, size, stuck, carve_offline_block);
	if (err)
		walk_memory_blocks(start, size, NULL, carve_online_block);
	unlock_device_hotplug();
	return err;
}

/*
 * Take the first run that gives up its memory, from the top down. A block
 * that will not go offline (pages pinned) is struck out and the search
 * starts again from the top: every pass strikes one block, so it ends.
 */
static int carve_take(struct carve_scan *s, struct relief_region *r)
{
	unsigned long n = DIV_ROUND_UP(r->size, s->bs);
	long top = min_t(u64, CARVE_HIGH, PFN_PHYS(max_pfn)) / s->bs - 1;
	long start;
	u64 base, stuck;
	int err;

	while ((start = carve_find_run(s, top, n)) >= 0) {
		base = (u64)start * s->bs;
		stuck = base;
		err = carve_offline(base, n * s->bs, &stuck);
		if (!err) {
			r->base = base;
			r->size = n * s->bs;
			carve_res.start = r->base;
			carve_res.end = r->base + r->size - 1;
			insert_resource(&iomem_resource, &carve_res);
			pr_info("region %pa+%pa made from movable memory of node %d\n",
				&r->base, &r->size, s->nid[start]);
			return 0;
		}
		pr_info("movable memory at %#llx+%#lx could not be taken (%d, block at %#llx); trying the runs without that block\n",
			base, n * s->bs, err, stuck);
		__clear_bit(stuck / s->bs, s->movable);
	}
	pr_err("no %lu MiB of movable memory on one node below 4 GiB could be taken for the region\n",
	       (n * s->bs) >> 20);
	return -ENOMEM;
}

/**
 * relief_carve_region() - make the region for the next kernel now
 * @r: r->size is the size wanted (rounded up to whole memory blocks
 *	here); r->base out
 *
 * Context: may sleep; memory migrates.
 * Return: 0, or -ENOMEM when no run of movable memory could be taken
 * (nothing changed then).
 */
int relief_carve_region(struct relief_region *r)
{
	struct carve_scan s = { .bs = memory_block_size_bytes() };
	int err = -ENOMEM;

	s.nr = CARVE_HIGH / s.bs;
	s.movable = bitmap_zalloc(s.nr, GFP_KERNEL);
	s.nid = kcalloc(s.nr, sizeof(*s.nid), GFP_KERNEL);
	if (s.movable && s.nid) {
		walk_memory_blocks(CARVE_LOW, CARVE_HIGH - CARVE_LOW, &s,
				   carve_note_block);
		err = carve_take(&s, r);
	}
	kfree(s.nid);
	bitmap_free(s.movable);
	return err;
}

/**
 * relief_carve_return() - give a region made at swap time back
 * @r: as relief_carve_region() made it; zeroed
 *
 * For a run that did not hand the machine over. The memory comes back
 * online movable, as it was.
 */
void relief_carve_return(struct relief_region *r)
{
	if (carve_res.parent)
		release_resource(&carve_res);
	lock_device_hotplug();
	walk_memory_blocks(r->base, r->size, NULL, carve_online_block);
	unlock_device_hotplug();
	pr_info("region %pa+%pa given back\n", &r->base, &r->size);
	r->base = 0;
}
