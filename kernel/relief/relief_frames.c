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
 * old kernel's RAM is added (relief_new_take_machine()) a held block waits
 * until the lists are closed. The others are added at once.
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

/* A held block's value: named by a list; and skipped when RAM was added. */
#define FRAMES_HELD		1
#define FRAMES_DEFERRED		2

static DEFINE_MUTEX(frames_lock);	/* everything below */
static DEFINE_XARRAY(frames_blocks);	/* memory block index -> FRAMES_* */
static bool frames_adding;		/* OLD's RAM is being added */
static void *frames_map[RELIEF_HWDESC_MAX_MEM];
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

/* Under frames_lock: map all of OLD's RAM, once, before any is added. */
static int frames_map_old(const struct relief_hwdesc *h)
{
	u32 i;

	if (frames_mapped)
		return 0;
	for (i = 0; i < h->nr_mem && i < RELIEF_HWDESC_MAX_MEM; i++) {
		if (!frames_old_ram(&h->mem[i]))
			continue;
		frames_map[i] = memremap(h->mem[i].base, h->mem[i].size,
					 MEMREMAP_WB);
		if (!frames_map[i]) {
			pr_err("NEW: cannot map OLD's RAM %#llx+%#llx\n",
			       h->mem[i].base, h->mem[i].size);
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

	if (i < 0 || !frames_map[i])
		return NULL;
	return frames_map[i] + (PFN_PHYS(pfn) - h->mem[i].base);
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

/**
 * relief_frames_add_block() - add a block of OLD's RAM, unless it is held
 * @start: its physical base, block-aligned
 * @size: memory_block_size_bytes()
 *
 * Return: 1 if it is held (relief_frames_release() adds it), else what
 * add_memory() returned (a failure is logged).
 */
int relief_frames_add_block(phys_addr_t start, u64 size)
{
	unsigned long b = frames_block(start);
	int ret;

	mutex_lock(&frames_lock);
	frames_adding = true;
	if (xa_load(&frames_blocks, b)) {
		xa_store(&frames_blocks, b, xa_mk_value(FRAMES_DEFERRED),
			 GFP_KERNEL);
		ret = 1;
	} else {
		ret = frames_add(start, size);
	}
	mutex_unlock(&frames_lock);
	return ret;
}

/**
 * relief_frames_release() - no frame list is read any more
 *
 * The blocks that waited for it are added now; the others are free to be
 * added when OLD's RAM is.
 *
 * Context: may sleep.
 */
void relief_frames_release(void)
{
	u64 bs = memory_block_size_bytes(), added = 0;
	unsigned long b;
	void *v;

	mutex_lock(&frames_lock);
	xa_for_each(&frames_blocks, b, v) {
		if (xa_to_value(v) != FRAMES_DEFERRED)
			continue;
		if (!frames_add(b * bs, bs))
			added += bs;
	}
	xa_destroy(&frames_blocks);
	mutex_unlock(&frames_lock);
	if (added)
		pr_info("NEW: %llu MiB of OLD's RAM added once its pages were read\n",
			added >> 20);
}
