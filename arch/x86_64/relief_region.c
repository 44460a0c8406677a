// SPDX-License-Identifier: GPL-2.0
/*
 * relief on x86_64, OLD role: the region a relieving kernel boots in.
 *
 * relief_region=SIZE[@BASE] reserves it at boot, like crashkernel=; a
 * kernel that relieved another makes it at swap time instead
 * (relief_carve.c), and so does a kernel booted with
 * relief_region=SIZE,swap and movable memory to make it from
 * (movablecore=, kernelcore=), which then keeps no RAM aside until a
 * swap. The new kernel also needs a little RAM below 1 MiB
 * for its real-mode trampoline, and x86 reserves all of the first MiB in
 * reserve_real_mode(); so both are taken in a wrapper around
 * x86_platform.realmode_reserve, the last moment memblock can still hand
 * out low memory, and before the kernel's own trampoline claims the top
 * of it.
 */
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/e820/api.h>
#include <asm/x86_init.h>

#include <asm/relief.h>

#include "relief.h"

/*
 * The region must lie above the default kernel load address (16 MiB):
 * NEW's decompressor moves itself there when loaded lower.
 */
#define RELIEF_REGION_MIN	SZ_16M
#define RELIEF_REGION_ALIGN	SZ_2M
/*
 * A region of whole memory blocks is placed on a block boundary: the new
 * kernel hot-adds the old one's RAM around it block by block, and a block
 * the region cuts into is lost to it.
 */
#define RELIEF_REGION_BLOCK	SZ_128M
#define RELIEF_LOW_SIZE		SZ_64K
#define RELIEF_LOW_MIN		SZ_64K
#define RELIEF_LOW_MAX		0x90000

static struct relief_region relief_reg;
static phys_addr_t relief_want_base, relief_want_size;
static bool relief_want_at_swap;	/* relief_region=SIZE,swap */
static void (*relief_orig_realmode_reserve)(void) __initdata;

static struct resource relief_res = {
	.name = "relief region",
	.flags = IORESOURCE_MEM | IORESOURCE_BUSY,
	.desc = IORES_DESC_RESERVED,
};

static struct resource relief_low_res = {
	.name = "relief low memory",
	.flags = IORESOURCE_MEM | IORESOURCE_BUSY,
	.desc = IORES_DESC_RESERVED,
};

static phys_addr_t __init relief_reserve_main(void)
{
	phys_addr_t base = relief_want_base, size = relief_want_size;

	if (!base) {
		if (IS_ALIGNED(size, RELIEF_REGION_BLOCK))
			base = memblock_phys_alloc_range(size,
							 RELIEF_REGION_BLOCK,
							 RELIEF_REGION_MIN,
							 SZ_4G);
		/* Where KASLR put this kernel may leave no block boundary. */
		if (!base)
			base = memblock_phys_alloc_range(size,
							 RELIEF_REGION_ALIGN,
							 RELIEF_REGION_MIN,
							 SZ_4G);
		return base;
	}
	if (base < RELIEF_REGION_MIN || !IS_ALIGNED(base, RELIEF_REGION_ALIGN)) {
		pr_err("relief: region base %pa must be 2 MiB aligned and >= 16 MiB\n",
		       &base);
		return 0;
	}
	if (!e820__mapped_all(base, base + size, E820_TYPE_RAM) ||
	    memblock_is_region_reserved(base, size)) {
		pr_err("relief: region %pa+%pa is not free RAM\n", &base, &size);
		return 0;
	}
	memblock_reserve(base, size);
	return base;
}

static void __init relief_realmode_reserve(void)
{
	phys_addr_t low;

	/*
	 * A relieving kernel reserves nothing: it makes its region at
	 * PREPARE from the movable memory it hot-added (relief_carve.c), and
	 * once it has relieved the old kernel, the old kernel's low RAM is
	 * its own, and it lends from there.
	 */
	if (relief_early_new()) {
		if (relief_want_base)
			pr_warn("relief: relief_region=...@%pa: a relieving kernel makes its region at swap time; the base is ignored\n",
				&relief_want_base);
		relief_reg.size = relief_want_size;
		relief_reg.at_prepare = true;
		relief_orig_realmode_reserve();
		return;
	}
	low = memblock_phys_alloc_range(RELIEF_LOW_SIZE, PAGE_SIZE,
					RELIEF_LOW_MIN, RELIEF_LOW_MAX);
	if (low && relief_want_at_swap) {
		/* Only the low chunk now; the region at PREPARE. */
		relief_reg.size = relief_want_size;
		relief_reg.at_prepare = true;
		relief_reg.low_base = low;
		relief_reg.low_size = RELIEF_LOW_SIZE;
		relief_orig_realmode_reserve();
		return;
	}
	if (low) {
		relief_reg.base = relief_reserve_main();
		if (relief_reg.base) {
			relief_reg.size = relief_want_size;
			relief_reg.low_base = low;
			relief_reg.low_size = RELIEF_LOW_SIZE;
		} else {
			memblock_phys_free(low, RELIEF_LOW_SIZE);
		}
	}
	if (!relief_reg.base)
		pr_err("relief: could not reserve the region (%pa bytes) and low memory; relief disabled\n",
		       &relief_want_size);
	relief_orig_realmode_reserve();
}

static int __init relief_region_param(char *arg)
{
	char *end;

	if (!arg)
		return -EINVAL;
	relief_want_size = ALIGN(memparse(arg, &end), RELIEF_REGION_ALIGN);
	if (*end == '@') {
		relief_want_base = memparse(end + 1, &end);
	} else if (!strcmp(end, ",swap")) {
		relief_want_at_swap = true;
		end += strlen(end);
	}
	if (*end || relief_want_size < 2 * RELIEF_AREA_SIZE) {
		pr_err("relief: bad relief_region=%s (want SIZE[@BASE] or SIZE,swap; SIZE >= 2M)\n",
		       arg);
		relief_want_size = 0;
		return -EINVAL;
	}
	relief_orig_realmode_reserve = x86_platform.realmode_reserve;
	x86_platform.realmode_reserve = relief_realmode_reserve;
	return 0;
}
early_param("relief_region", relief_region_param);

/*
 * relief=SIZE[@BASE] is short for relief_region=, as crashkernel= is for
 * the crash kernel; relief=new is the relieving kernel's role (its own
 * handler, in relief_new_x86.c).
 */
static int __init relief_param(char *arg)
{
	if (!arg || !isdigit(*arg))
		return 0;
	return relief_region_param(arg);
}
early_param("relief", relief_param);

/* Show the reservations in /proc/iomem, as crashkernel= does. */
static int __init relief_region_resources(void)
{
	if (!relief_reg.base)
		return 0;
	relief_res.start = relief_reg.base;
	relief_res.end = relief_reg.base + relief_reg.size - 1;
	insert_resource(&iomem_resource, &relief_res);
	if (!relief_reg.low_base)
		return 0;
	relief_low_res.start = relief_reg.low_base;
	relief_low_res.end = relief_reg.low_base + relief_reg.low_size - 1;
	insert_resource(&iomem_resource, &relief_low_res);
	pr_info("relief: region %pa+%pa, low memory %pa+%pa\n",
		&relief_reg.base, &relief_reg.size, &relief_reg.low_base,
		&relief_reg.low_size);
	return 0;
}
subsys_initcall(relief_region_resources);

/*
 * A relieving kernel that took the machine over lends from OLD's RAM below
 * 1 MiB: it is its own now, and it never took it into its allocator.
 */
static void relief_low_from_old(struct relief_region *r)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	u32 i;

	if (!h || !relief_new_owns_machine())
		return;
	for (i = 0; i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];
		u64 s = max_t(u64, ALIGN(m->base, SZ_64K), RELIEF_LOW_MIN);
		u64 e = min_t(u64, m->base + m->size, RELIEF_LOW_MAX);

		if (m->owner != RELIEF_ROLE_OLD ||
		    m->kind != RELIEF_HWDESC_MEM_RAM || s + RELIEF_LOW_SIZE > e)
			continue;
		r->low_base = s;
		r->low_size = RELIEF_LOW_SIZE;
		return;
	}
}

/**
 * relief_arch_region() - the region for a relieving kernel
 * @r: filled in: reserved at boot (r->base), or to be made at PREPARE
 *	(r->at_prepare, r->size); r->base and r->size are 0 when there is
 *	none, or no low memory to go with it
 */
void relief_arch_region(struct relief_region *r)
{
	*r = relief_reg;
	if ((r->base || r->at_prepare) && !r->low_base)
		relief_low_from_old(r);
	if (!r->low_base) {
		r->base = 0;
		r->size = 0;
		r->at_prepare = false;
	}
}
