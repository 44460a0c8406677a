// SPDX-License-Identifier: GPL-2.0
/*
 * relief on x86_64, OLD role: placing the new kernel in the region and
 * describing this machine to it.
 *
 * kexec_file's bzImage loader is not used to place the image: it builds
 * boot data for a kernel that owns the whole machine (the crash variant
 * even hands over all memory below 1 MiB). The new kernel must see only
 * what it is lent, so relief writes its own boot_params: an e820 of the
 * low chunk, the park area (reserved) and the rest of the region, a
 * command line, and the hardware description as setup_data. The image is
 * still checked by kexec_file's bzImage probe.
 */
#include <linux/acpi.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/apic.h>
#include <asm/bootparam.h>
#include <asm/e820/types.h>
#include <asm/kexec-bzimage64.h>
#include <asm/setup.h>
#include <asm/tsc.h>

#include "relief.h"
#include "relief_ioapic.h"
#include "proto/relief_image.h"
#include "uapi/linux/relief.h"

/**
 * relief_arch_check_image() - may this kernel boot @image beside itself?
 * @image: file contents
 * @len: its size
 * @info: out: what relief's checks read
 * @check: out: the enum relief_image_err of the check that failed, or 0
 *
 * The signature policy kexec_file_load() applies (enforced signatures,
 * lockdown, IMA) comes first: relief must not be a way around it, and an
 * image is not parsed further before the policy accepted it. Then relief's
 * own checks (proto/relief_image.c): a whole 64-bit relocatable bzImage
 * whose CRC matches, carrying the marker of a relief kernel that speaks a
 * protocol version this one does.
 *
 * Return: 0, -EKEYREJECTED if the signature policy refuses it (or the
 * policy's own error, such as -ENOMEM), -ENOEXEC if a relief check does.
 */
int relief_arch_check_image(const void *image, size_t len,
			    struct relief_image_info *info, int *check)
{
	int ret;

	memset(info, 0, sizeof(*info));
	*check = RELIEF_IMAGE_OK;
	ret = kexec_file_verify_kernel(&kexec_bzImage64_ops, (void *)image,
				       len);
	if (ret) {
		pr_err("relief: the kernel's signature policy refuses this image (%d)\n",
		       ret);
		return ret == -ENOMEM ? ret : -EKEYREJECTED;
	}
	*check = relief_image_check(image, len, info);
	if (*check) {
		pr_err("relief: image refused: %s (%zu bytes, %llu in its header, CRC %#x, computed %#x, protocol %u-%u)\n",
		       relief_image_err_name(*check), len, info->image_len,
		       info->crc_stored, info->crc_computed, info->proto_min,
		       info->proto_max);
		return -ENOEXEC;
	}
	/* What proto/ cannot judge: the bzImage loader's own probe. */
	if (kexec_bzImage64_ops.probe(image, len)) {
		*check = RELIEF_IMAGE_ERR_NOT_BZIMAGE;
		return -ENOEXEC;
	}
	pr_info("relief: image %s checked: %zu bytes, CRC %#x, protocol %u-%u\n",
		info->release, len, info->crc_stored, info->proto_min,
		info->proto_max);
	return 0;
}

static void relief_e820_add(struct boot_params *bp, u64 addr, u64 size,
			    u32 type)
{
	struct boot_e820_entry *e = &bp->e820_table[bp->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

/**
 * relief_arch_load() - write the new kernel and its boot data into the region
 * @r: the region (its park area is already prepared)
 * @b: image, initrd, command line, hwdesc and the transfer area's size;
 *	entry, boot_params and the transfer area's base out
 *
 * The transfer area is the top of the region: reserved, not RAM, in NEW's
 * memory map, so that NEW can read the images OLD put there.
 *
 * Return: 0, -ENOSPC if kernel, initrd and transfer area (leaving NEW more
 * than half the region, or RELIEF_NEW_RAM_MIN_MB) do not fit, -E2BIG for a
 * command line or hwdesc too long, -ENOEXEC for a bad image.
 */
int relief_arch_load(const struct relief_region *r, struct relief_boot *b)
{
	const struct setup_header *h = b->image + 0x1f1;
	void *area = phys_to_virt(r->base);
	struct boot_params *bp = area + RELIEF_AREA_BOOT;
	struct setup_data *sd = area + RELIEF_AREA_SETUP;
	struct relief_image_room room = {
		.base = r->base,
		.size = r->size,
		.reserved = RELIEF_AREA_SIZE,
		.initrd_len = b->initrd ? b->initrd_len : 0,
	};
	const struct relief_image_info *info = &b->image_info;
	struct relief_image_place at;
	phys_addr_t load, initrd = 0;
	size_t hdr_len, setup_len, payload, cmd_len = strlen(b->cmdline) + 1;

	/* b->image_info: relief_arch_check_image() passed the image. */
	if (!info->setup_len || info->image_len > b->image_len)
		return -ENOEXEC;
	setup_len = info->setup_len;
	payload = info->payload_len;
	if (cmd_len > PAGE_SIZE || cmd_len > h->cmdline_size)
		return -E2BIG;
	if (sizeof(*sd) + b->hwdesc_len > RELIEF_AREA_SETUP_SIZE)
		return -E2BIG;

	/*
	 * The transfer area on top, then the initrd below it. NEW keeps more
	 * than half the region as RAM, or more than RELIEF_NEW_RAM_MIN_MB of a
	 * large one: enough to boot and restore, while the images (as large
	 * as the processes moved) take the rest.
	 */
	b->transfer_size = ALIGN(b->transfer_size, SZ_2M);
	if (r->size - min_t(u64, r->size, b->transfer_size) <=
	    min_t(u64, r->size / 2, (u64)RELIEF_NEW_RAM_MIN_MB << 20))
		return -ENOSPC;
	room.transfer = b->transfer_size;
	if (relief_image_place(info, &room, &at))
		return -ENOSPC;
	b->transfer_base = r->base + r->size - b->transfer_size;
	load = at.load;
	if (b->initrd)
		initrd = at.initrd;

	memcpy(phys_to_virt(load), b->image + setup_len, payload);
	/*
	 * Test kernels only: an image that passed every check but faults at
	 * its first instruction (ud2), which the park's IDT must report.
	 */
	if (IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT) && b->fault_at_entry)
		memcpy(phys_to_virt(load + 0x200), "\x0f\x0b", 2);
	if (h->init_size > payload)
		memset(phys_to_virt(load + payload), 0, h->init_size - payload);
	if (b->initrd)
		memcpy(phys_to_virt(initrd), b->initrd, b->initrd_len);

	memset(bp, 0, sizeof(*bp));
	hdr_len = min_t(size_t, 0x202 + *(u8 *)(b->image + 0x201) - 0x1f1,
			sizeof(bp->hdr));
	memcpy(&bp->hdr, h, hdr_len);
	bp->hdr.type_of_loader = 0xff;
	bp->hdr.code32_start = load;
	bp->hdr.cmd_line_ptr = lower_32_bits(r->base + RELIEF_AREA_CMDLINE);
	bp->ext_cmd_line_ptr = upper_32_bits(r->base + RELIEF_AREA_CMDLINE);
	memcpy(area + RELIEF_AREA_CMDLINE, b->cmdline, cmd_len);
	if (b->initrd) {
		bp->hdr.ramdisk_image = lower_32_bits(initrd);
		bp->ext_ramdisk_image = upper_32_bits(initrd);
		bp->hdr.ramdisk_size = lower_32_bits(b->initrd_len);
		bp->ext_ramdisk_size = upper_32_bits(b->initrd_len);
	}

	/* At least two entries, or the kernel falls back to BIOS sizes. */
	relief_e820_add(bp, r->low_base, r->low_size, E820_TYPE_RAM);
	relief_e820_add(bp, r->base, RELIEF_AREA_SIZE, E820_TYPE_RESERVED);
	relief_e820_add(bp, r->base + RELIEF_AREA_SIZE,
			b->transfer_base - r->base - RELIEF_AREA_SIZE,
			E820_TYPE_RAM);
	/* NEW reads the images there; they must not become its RAM first. */
	relief_e820_add(bp, b->transfer_base, b->transfer_size,
			E820_TYPE_RESERVED);

	sd->next = 0;
	sd->type = RELIEF_SETUP_TYPE;
	sd->len = b->hwdesc_len;
	memcpy(sd->data, b->hwdesc, b->hwdesc_len);
	bp->hdr.setup_data = r->base + RELIEF_AREA_SETUP;

	b->entry = load + 0x200;	/* the 64-bit entry of a bzImage */
	b->boot_params = r->base + RELIEF_AREA_BOOT;
	return 0;
}

/**
 * relief_arch_clock_stamp() - the counter the new kernel's clocks run on
 *
 * Return: the TSC, which the new kernel reads at the frequency described.
 */
u64 relief_arch_clock_stamp(void)
{
	return rdtsc_ordered();
}

/*
 * How the new kernel powers the machine off once it owns it: ACPI S5
 * through the fixed hardware (it boots without ACPI). \_S5 is evaluated
 * here, by this kernel's interpreter. Left zero (not described) without
 * ACPI, on hardware-reduced ACPI, or for registers in another space.
 */
static void relief_describe_acpi_s5(struct relief_hwdesc_acpi_s5 *p)
{
#ifdef CONFIG_ACPI
	const struct acpi_generic_address *a = &acpi_gbl_FADT.xpm1a_control_block;
	const struct acpi_generic_address *b = &acpi_gbl_FADT.xpm1b_control_block;
	u8 typ_a, typ_b;

	if (acpi_disabled || acpi_gbl_reduced_hardware || !a->address ||
	    (a->space_id != ACPI_ADR_SPACE_SYSTEM_IO &&
	     a->space_id != ACPI_ADR_SPACE_SYSTEM_MEMORY) ||
	    (b->address && b->space_id != a->space_id) ||
	    ACPI_FAILURE(acpi_get_sleep_type_data(ACPI_STATE_S5, &typ_a,
						  &typ_b)))
		return;
	p->pm1a_cnt = a->address;
	p->pm1b_cnt = b->address;
	p->space = a->space_id == ACPI_ADR_SPACE_SYSTEM_IO ?
		   RELIEF_HWDESC_SPACE_IO : RELIEF_HWDESC_SPACE_MEMORY;
	p->slp_typ_a = typ_a & 7;
	p->slp_typ_b = b->address ? typ_b & 7 : 0;
#endif
}

/**
 * relief_arch_describe() - the x86 parts of the hardware description
 * @h: description; its CPUs are filled in by the caller
 *
 * The new kernel must not calibrate against the PIT or HPET, which stay
 * the old kernel's: it takes this kernel's figures.
 *
 * Return: 0, or -ENODEV without a known TSC frequency.
 */
int relief_arch_describe(struct relief_hwdesc *h)
{
	u16 port;

	h->arch = RELIEF_HWDESC_ARCH_X86_64;
	h->timer.tsc_khz = tsc_khz;
	h->timer.lapic_timer_hz = lapic_timer_period * HZ;
	h->timer.hz = HZ;
	h->timer.loops_per_jiffy = loops_per_jiffy;
	h->acpi_rsdp = boot_params.acpi_rsdp_addr;
	relief_describe_acpi_s5(&h->acpi_s5);
	relief_describe_ioapics(h);
	strscpy(h->console.name, relief_arch_next_console(&port),
		sizeof(h->console.name));
	h->console.io_port = port;
	h->console.baud = RELIEF_NEW_CONSOLE_BAUD;
	return tsc_khz ? 0 : -ENODEV;
}
