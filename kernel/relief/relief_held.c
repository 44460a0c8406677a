// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: memory the new kernel holds from boot
 *
 * Memory a relieving kernel knows as RAM from boot but keeps out of its
 * allocator until the old kernel no longer needs it. Three kinds of memory
 * become the new kernel's only once the old kernel stood relieved, yet
 * cannot be hot-added then as whole memory blocks:
 *
 * - the park area (the region's first MiB: the park, the mailbox, the boot
 *   data), which the old kernel's CPUs run in until this kernel starts
 *   them, and this kernel's console ring writes into until the run ends;
 * - the transfer area (the region's top), which the images come through
 *   and which the agent reads until its windows are closed;
 * - the old kernel's RAM in memory blocks that are not the old kernel's
 *   whole: the first block, which this kernel's low chunk cuts into, the
 *   blocks the region cuts into, and the ends of RAM ranges (below a PCI
 *   hole, at a node boundary inside a block).
 *
 * A memory block this kernel's own RAM touches is present from boot, so
 * memory hotplug can never add the rest of it. So the arch makes all of
 * these ranges RAM in this kernel's memory map at boot (the park area and
 * the transfer area are reserved ranges in the map the old kernel wrote,
 * the old kernel's RAM is not in it at all) and reserves them in memblock
 * at once, before anything can be allocated: they get a memmap and a
 * place in the direct map but no page goes to the page allocator. They are
 * freed into it, as an initrd is, when the last user is gone
 * (relief_held_free()). From then on they are ordinary RAM of this kernel,
 * shown as System RAM and so described as RAM to a kernel it hands the
 * machine on to: nothing is lost from one swap to the next.
 *
 * Only a kernel booted with relief=new does this. Any other kernel (a
 * stock one, booted by mistake) sees the park area and the transfer area
 * reserved and the old kernel's RAM absent, and keeps off all of it.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>

#include "relief.h"

/* The park area, the transfer area, and OLD's RAM by range and block. */
#define RELIEF_HELD_MAX		(2 * RELIEF_HWDESC_MAX_MEM + 2)

struct relief_held_range {
	u64 base;
	u64 size;
	enum relief_held_kind kind;
	bool freed;
};

static DEFINE_MUTEX(held_lock);
static struct relief_held_range held[RELIEF_HELD_MAX];
static unsigned int nr_held;

static const char *const held_names[] = {
	[RELIEF_HELD_AREA] = "park area",
	[RELIEF_HELD_TRANSFER] = "transfer area",
	[RELIEF_HELD_OLD_RAM] = "old kernel's RAM",
};

/**
 * relief_held_add() - keep a range of this kernel's RAM reserved for now
 * @base: physical base, page-aligned
 * @size: bytes, a multiple of the page size
 * @kind: what it is, for relief_held_free()
 *
 * For the arch's boot code, once the range is RAM in its memory map and
 * before memblock can allocate from it.
 *
 * Return: 0, -E2BIG when the list is full, or memblock_reserve()'s error.
 */
int __init relief_held_add(u64 base, u64 size, enum relief_held_kind kind)
{
	int err;

	if (!size)
		return 0;
	if (nr_held >= RELIEF_HELD_MAX)
		return -E2BIG;
	err = memblock_reserve(base, size);
	if (err)
		return err;
	held[nr_held++] = (struct relief_held_range){
		.base = base, .size = size, .kind = kind,
	};
	return 0;
}

/* Under held_lock: give one whole range to the page allocator. */
static u64 held_free_one(struct relief_held_range *r)
{
	unsigned long pages;

	pages = free_reserved_area(phys_to_virt(r->base),
				   phys_to_virt(r->base + r->size), -1, NULL);
	r->freed = true;
	return (u64)pages << PAGE_SHIFT;
}

/**
 * relief_held_free() - the ranges of a kind in a span are no longer needed
 * @kind: the kind
 * @start: the span's base
 * @size: its size (U64_MAX - @start: all of them)
 *
 * Every held range of @kind that starts in [@start, @start + @size) is
 * freed into the page allocator, whole, once; callers pass spans that
 * hold whole ranges (a memory block: ranges never cross one).
 *
 * Context: may sleep.
 * Return: the bytes freed now.
 */
u64 relief_held_free(enum relief_held_kind kind, u64 start, u64 size)
{
	u64 bytes = 0;
	unsigned int i;

	mutex_lock(&held_lock);
	for (i = 0; i < nr_held; i++) {
		struct relief_held_range *r = &held[i];

		if (r->kind != kind || r->freed || r->base < start ||
		    r->base - start >= size)
			continue;
		bytes += held_free_one(r);
	}
	mutex_unlock(&held_lock);
	if (bytes && kind != RELIEF_HELD_OLD_RAM)
		pr_info("NEW: the %s is RAM of this kernel now: %llu KiB freed\n",
			held_names[kind], bytes >> 10);
	return bytes;
}

/**
 * relief_held_next() - walk the held ranges of a kind not freed yet
 * @kind: the kind
 * @pos: 0 to start; advanced
 * @base: the range's base, out
 * @size: its size, out
 *
 * Return: false at the end.
 */
bool relief_held_next(enum relief_held_kind kind, unsigned int *pos,
		      u64 *base, u64 *size)
{
	bool found = false;

	mutex_lock(&held_lock);
	for (; *pos < nr_held && !found; (*pos)++) {
		if (held[*pos].kind != kind || held[*pos].freed)
			continue;
		*base = held[*pos].base;
		*size = held[*pos].size;
		found = true;
	}
	mutex_unlock(&held_lock);
	return found;
}

/**
 * relief_held_find() - where the first range of a kind is
 * @kind: the kind
 * @base: its base, out
 * @size: its size, out
 *
 * Return: true if one is held and not freed yet.
 */
bool relief_held_find(enum relief_held_kind kind, u64 *base, u64 *size)
{
	unsigned int pos = 0;

	return relief_held_next(kind, &pos, base, size);
}
