// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: the relieving kernel's memory map
 *
 * The old kernel writes the e820 map this kernel boots with: the low
 * chunk and the region as RAM, the park area and the transfer area
 * reserved, nothing else. A kernel that does not know relief=new keeps off
 * all the old kernel's memory with it. This kernel knows more: the park
 * area, the transfer area and the old kernel's RAM in memory blocks that
 * are not the old kernel's whole become its own RAM later
 * (kernel/relief/relief_held.c), so it turns them into RAM here and holds
 * them reserved, from an early parameter: after the map is read, before
 * e820__memblock_setup() gives memblock its memory.
 *
 * The memory block size is fixed at the smallest, 128 MiB, before anything
 * asks for it: which of the old kernel's blocks are whole is decided here,
 * and memory hotplug must cut the same blocks later (a kernel deciding
 * for itself would pick 2 GiB on a large machine, from a max_pfn this
 * map does not have yet).
 *
 * The old kernel's RAM below 1 MiB stays out: x86 reserves the first MiB
 * in any kernel (reserve_real_mode()), and this kernel lends a chunk of it
 * to the kernel after it (relief_region.c).
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/init.h>
#include <linux/log2.h>
#include <linux/memory.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <asm/e820/api.h>

#include "relief.h"
#include "relief_new_mem.h"

#define RELIEF_NEW_BLOCK	SZ_128M
#define RELIEF_NEW_LOW_END	SZ_1M

/* A reserved range of the map becomes RAM, held. */
static int __init relief_mem_take_reserved(u64 base, u64 size,
					   enum relief_held_kind kind)
{
	e820__range_update(base, size, E820_TYPE_RESERVED, E820_TYPE_RAM);
	return relief_held_add(base, size, kind);
}

/*
 * The transfer area: the one range the old kernel reserved in the region
 * above the park area (relief_load.c, an ABI between the two kernels).
 */
static int __init relief_mem_take_transfer(const struct relief_hwdesc *h)
{
	u64 lo = h->relief_base + RELIEF_AREA_SIZE;
	u64 hi = h->relief_base + h->relief_size;
	u32 i;

	for (i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		if (e->type != E820_TYPE_RESERVED || e->addr < lo ||
		    e->addr + e->size > hi)
			continue;
		return relief_mem_take_reserved(e->addr, e->size,
						RELIEF_HELD_TRANSFER);
	}
	pr_warn("NEW: no transfer area in the memory map\n");
	return 0;
}

/* A piece of OLD's RAM, above the first MiB: RAM in the map, held. */
static int __init relief_mem_take_piece(u64 start, u64 end)
{
	start = max_t(u64, start, RELIEF_NEW_LOW_END);
	if (start >= end)
		return 0;
	e820__range_add(start, end - start, E820_TYPE_RAM);
	return relief_held_add(start, end - start, RELIEF_HELD_OLD_RAM);
}

/*
 * OLD's RAM outside the whole blocks one of its ranges holds: the head and
 * the tail of a range, or all of it, each piece cut at block boundaries.
 */
static int __init relief_mem_take_old_pieces(const struct relief_hwdesc_mem *m)
{
	u64 end = m->base + m->size;
	u64 head, tail, s, e;
	int err = 0;

	if (!relief_mem_whole_blocks(m, RELIEF_NEW_BLOCK, &head, &tail)) {
		head = end;
		tail = end;
	}
	for (s = m->base; s < head && !err; s = e) {
		e = min(ALIGN(s + 1, RELIEF_NEW_BLOCK), head);
		err = relief_mem_take_piece(s, e);
	}
	for (s = tail; s < end && !err; s = e) {
		e = min(ALIGN(s + 1, RELIEF_NEW_BLOCK), end);
		err = relief_mem_take_piece(s, e);
	}
	return err;
}

/**
 * relief_new_hold_memory() - make the memory NEW gets later RAM, held
 * @h: the hardware description this kernel booted with
 *
 * From relief=new, early in setup_arch().
 *
 * Return: 0, or an error: the memory map is then the one OLD wrote, and
 * none of it is given to this kernel later.
 */
int __init relief_new_hold_memory(const struct relief_hwdesc *h)
{
	u32 i;
	int err;

	err = set_memory_block_size_order(ilog2(RELIEF_NEW_BLOCK));
	if (err)
		return err;
	err = relief_mem_take_reserved(h->relief_base, RELIEF_AREA_SIZE,
				       RELIEF_HELD_AREA);
	err = err ?: relief_mem_take_transfer(h);
	for (i = 0; i < h->nr_mem && !err; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if (m->owner == RELIEF_ROLE_OLD &&
		    m->kind == RELIEF_HWDESC_MEM_RAM)
			err = relief_mem_take_old_pieces(m);
	}
	e820__update_table(e820_table);
	return err;
}
