// SPDX-License-Identifier: GPL-2.0
/*
 * relief - the new kernel's side of pages handed over in place.
 *
 * The old kernel's agent can leave a process's pages where they are: the
 * page image criu writes is then a list of the frames that hold them
 * (relief_window.c), and the old kernel keeps a reference on each until it
 * parks. This kernel reads those frames through a mapping of the old
 * kernel's RAM, and must not use that RAM for itself while a frame list
 * still names it: the memory blocks a list names are held, and when the
 * old kernel's RAM is taken (relief_new_take_machine()) a held block waits
 * until the lists are closed. The others are taken at once: a block that
 * is the old kernel's whole is hot-added, the pieces of one this kernel
 * held from boot (relief_held.c) are freed.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/io.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/pfn.h>
#include <linux/xarray.h>

#include "relief.h"
#include "relief_frames.h"

/*
 * A held block's value: named by a list; skipped when RAM was taken, to be
 * hot-added or (its pieces held from boot) freed.
 */
#define FRAMES_HELD		1
#define FRAMES_DEFERRED		2
#define FRAMES_DEFERRED_PIECES	3

static DEFINE_MUTEX(frames_lock);	/* everything below */
static DEFINE_XARRAY(frames_blocks);	/* memory block index -> FRAMES_* */
static bool frames_adding;		/* OLD's RAM is being added */
/* Per range of OLD's RAM: a mapping of its whole blocks, where and how long. */
static void *frames_map[RELIEF_HWDESC_MAX_MEM];
static phys_addr_t frames_map_base[RELIEF_HWDESC_MAX_MEM];
static u64 frames_map_size[RELIEF_HWDESC_MAX_MEM];
static bool frames_mapped;

static unsigned long frames_block(phys_addr_t pa)
{
	return pa / memory_block_size_bytes();
}

/* OLD's RAM: the described RAM NEW did not boot on. */
static bool frames_old_ram(const struct relief_hwdesc_mem *m)
{
	return m->owner != RELIEF_ROLE_NEW && m->kind == RELIEF_HWDESC_MEM_RAM;
}

/*
 * Under frames_lock: map the whole blocks of OLD's RAM, once, before any is
 * added. The rest of it (pieces of blocks this kernel's RAM touches) is
 * RAM this kernel holds from boot (relief_held.c), in its direct map.
 */
static int frames_map_old(const struct relief_hwdesc *h)
{
	u64 bs = memory_block_size_bytes(), s, e;
	u32 i;

	if (frames_mapped)
		return 0;
	for (i = 0; i < h->nr_mem && i < RELIEF_HWDESC_MAX_MEM; i++) {
		if (!frames_old_ram(&h->mem[i]))
			continue;
		if (!relief_mem_whole_blocks(&h->mem[i], bs, &s, &e))
			continue;
		frames_map[i] = memremap(s, e - s, MEMREMAP_WB);
		frames_map_base[i] = s;
		frames_map_size[i] = e - s;
		if (!frames_map[i]) {
			pr_err("NEW: cannot map OLD's RAM %#llx+%#llx\n",
			       s, e - s);
			while (i--)
				if (frames_map[i])
					memunmap(frames_map[i]);
			memset(frames_map, 0, sizeof(frames_map));
			return -ENOMEM;
		}
	}
	frames_mapped = true;
	return 0;
}

/* The index of OLD's RAM range holding the whole page @pfn, or -1. */
static int frames_range(const struct relief_hwdesc *h, u64 pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	u32 i;

	if (pfn > PHYS_PFN(U64_MAX))
		return -1;
	for (i = 0; i < h->nr_mem && i < RELIEF_HWDESC_MAX_MEM; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if (frames_old_ram(m) && pa >= m->base &&
		    pa - m->base <= m->size - PAGE_SIZE && m->size >= PAGE_SIZE)
			return i;
	}
	return -1;
}

/**
 * relief_frames_hold() - a frame list names a page of OLD's RAM
 * @pfn: the page's frame number
 *
 * Its memory block is not added to this kernel's RAM until
 * relief_frames_release(). Called for every frame of a list before any is
 * read.
 *
 * Context: may sleep.
 * Return: 0; -EINVAL if @pfn is not OLD's RAM (or this kernel did not
 * relieve one); -EBUSY if its block is this kernel's RAM already; -ENOMEM.
 */
int relief_frames_hold(u64 pfn)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	unsigned long b;
	void *v;
	int ret = 0;

	if (!h || frames_range(h, pfn) < 0)
		return -EINVAL;
	b = frames_block(PFN_PHYS(pfn));
	mutex_lock(&frames_lock);
	ret = frames_map_old(h);
	if (ret)
		goto out;
	v = xa_load(&frames_blocks, b);
	if (v)
		goto out;
	/* Added already: it may hold this kernel's pages by now. */
	if (frames_adding) {
		ret = -EBUSY;
		goto out;
	}
	ret = xa_err(xa_store(&frames_blocks, b, xa_mk_value(FRAMES_HELD),
			      GFP_KERNEL));
out:
	mutex_unlock(&frames_lock);
	return ret;
}

/**
 * relief_frames_map() - where a held page of OLD's RAM can be read
 * @pfn: a frame relief_frames_hold() accepted
 *
 * Return: its address in this kernel's mapping of OLD's RAM, or NULL.
 */
void *relief_frames_map(u64 pfn)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	int i = h ? frames_range(h, pfn) : -1;
	phys_addr_t pa = PFN_PHYS(pfn);

	if (i < 0)
		return NULL;
	/* Whole blocks: mapped from their base, the first block boundary. */
	if (frames_map[i] && pa >= frames_map_base[i] &&
	    pa - frames_map_base[i] < frames_map_size[i])
		return frames_map[i] + (pa - frames_map_base[i]);
	/* A piece held from boot: this kernel's RAM, direct-mapped. */
	return pfn_valid(pfn) ? phys_to_virt(pa) : NULL;
}

/*
 * The node OLD's RAM at @start is on. The arch registered OLD's ranges,
 * which this kernel does not hold at boot, as reserved NUMA ranges (x86:
 * relief_numa_init()): phys_to_target_node() finds them there, where
 * memory_add_physaddr_to_nid() alone would fall back to the first node.
 */
static int frames_nid(phys_addr_t start)
{
	int nid = phys_to_target_node(start);

	return nid != NUMA_NO_NODE ? nid : memory_add_physaddr_to_nid(start);
}

/* One block of OLD's RAM into this kernel's, or why not, logged. */
static int frames_add(phys_addr_t start, u64 size)
{
	int err = add_memory(frames_nid(start), start, size, MHP_NONE);

	if (err)
		pr_err("NEW: cannot add OLD's RAM %#llx+%#llx: %d\n",
		       (u64)start, size, err);
	return err;
}

/*
 * A block of OLD's RAM into this kernel's: hot-added, or its pieces freed.
 * Return: the bytes taken, or add_memory()'s error.
 */
static s64 frames_take(phys_addr_t start, bool pieces)
{
	u64 bs = memory_block_size_bytes();
	int err;

	if (pieces)
		return relief_held_free(RELIEF_HELD_OLD_RAM, start, bs);
	err = frames_add(start, bs);
	return err ?: bs;
}

/**
 * relief_frames_take_block() - take a block of OLD's RAM, unless it is held
 * @start: its physical base, block-aligned
 * @pieces: it is not OLD's whole: free the pieces of it this kernel held
 *	from boot (relief_held.c) instead of hot-adding it
 *
 * Return: 1 if a frame list holds it (relief_frames_release() takes it),
 * else 0 or what add_memory() returned (a failure is logged).
 */
int relief_frames_take_block(phys_addr_t start, bool pieces)
{
	unsigned long b = frames_block(start);
	int ret;

	mutex_lock(&frames_lock);
	frames_adding = true;
	if (xa_load(&frames_blocks, b)) {
		xa_store(&frames_blocks, b,
			 xa_mk_value(pieces ? FRAMES_DEFERRED_PIECES :
				     FRAMES_DEFERRED), GFP_KERNEL);
		ret = 1;
	} else {
		ret = min_t(s64, frames_take(start, pieces), 0);
	}
	mutex_unlock(&frames_lock);
	return ret;
}

/**
 * relief_frames_release() - no frame list is read any more
 *
 * The blocks that waited for it are taken now; the others are free to be
 * taken when OLD's RAM is.
 *
 * Context: may sleep.
 */
void relief_frames_release(void)
{
	u64 bs = memory_block_size_bytes(), added = 0;
	unsigned long b;
	s64 taken;
	void *v;

	mutex_lock(&frames_lock);
	xa_for_each(&frames_blocks, b, v) {
		if (xa_to_value(v) == FRAMES_HELD)
			continue;
		taken = frames_take(b * bs,
				    xa_to_value(v) == FRAMES_DEFERRED_PIECES);
		if (taken > 0)
			added += taken;
	}
	xa_destroy(&frames_blocks);
	mutex_unlock(&frames_lock);
	if (added)
		pr_info("NEW: %llu MiB of OLD's RAM taken once its pages were read\n",
			added >> 20);
}
