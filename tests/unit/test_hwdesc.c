// SPDX-License-Identifier: GPL-2.0
/*
 * test_hwdesc.c - the hardware description FDT: round trips (typical and
 * at every limit), every rejection, totality on damaged blobs, and that
 * dtc reads what we write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <libfdt.h>

#include "relief_hwdesc.h"
#include "relief_crc32c.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

/* Descriptions are 16 KiB: keep them off the stack. */
static struct relief_hwdesc hw_a, hw_b;
static uint8_t blob[RELIEF_HWDESC_BLOB_MAX] __attribute__((aligned(8)));
static uint8_t work[RELIEF_HWDESC_BLOB_MAX + 4096] __attribute__((aligned(8)));

static void set_str(char *dst, size_t cap, const char *s)
{
	memset(dst, 0, cap);
	strncpy(dst, s, cap - 1);
}

/*
 * ISA IRQs as QEMU's q35 routes them: IRQ 0 (the PIT) to GSI 2, IRQ 2 (the
 * cascade) nowhere, every other to the GSI of its number; 5 and 9..11
 * level-triggered, all active high.
 */
static void isa_routes_q35(struct relief_hwdesc *h)
{
	uint32_t irq;

	for (irq = 0; irq < RELIEF_HWDESC_NR_ISA_IRQS; irq++) {
		struct relief_hwdesc_isa_irq *q = &h->isa_irqs[irq];

		q->gsi = irq == 0 ? 2 : irq;
		q->flags = RELIEF_HWDESC_IRQ_ROUTED;
		if (irq == 5 || (irq >= 9 && irq <= 11))
			q->flags |= RELIEF_HWDESC_IRQ_LEVEL;
	}
	h->isa_irqs[2].gsi = 0;
	h->isa_irqs[2].flags = 0;
}

/*
 * x86 box: 8 CPUs over 2 nodes, old keeps node 0, new gets node 1; the
 * relief region holds new's first memory and the mailbox; one IOAPIC
 * (id 0, GSIs 0..23) with the ISA IRQs routed as on q35.
 */
static void hwdesc_full(struct relief_hwdesc *h)
{
	static const struct relief_hwdesc_mem mem[] = {
		{ 0x0, 0x9f000, 0, RELIEF_ROLE_OLD, RELIEF_HWDESC_MEM_RESERVED, 0 },
		{ 0x100000, 2 * GiB - MiB, 0, RELIEF_ROLE_OLD,
		  RELIEF_HWDESC_MEM_RAM, 0 },
		{ 4 * GiB, GiB, 1, RELIEF_ROLE_NEW, RELIEF_HWDESC_MEM_RELIEF, 0 },
		{ 5 * GiB, MiB, 1, RELIEF_ROLE_OLD, RELIEF_HWDESC_MEM_MAILBOX, 0 },
		{ 8 * GiB, 2 * GiB, 1, RELIEF_ROLE_NEW, RELIEF_HWDESC_MEM_RAM, 0 },
	};
	uint32_t i;

	memset(h, 0, sizeof(*h));
	h->arch = RELIEF_HWDESC_ARCH_X86_64;
	h->acpi_rsdp = 0xf05b0;
	h->mailbox_base = 5 * GiB;
	h->mailbox_size = 64 * 1024;
	h->relief_base = 4 * GiB;
	h->relief_size = GiB + MiB;
	h->timer.tsc_khz = 2995200;
	h->timer.lapic_timer_hz = 1000000000;
	h->timer.hz = 250;
	h->timer.loops_per_jiffy = 5990400;
	h->clock.stamp = 123456789012345ULL;
	h->clock.realtime_ns = 1796000000123456789ULL;
	h->clock.monotonic_ns = 9876543210ULL;
	h->clock.boottime_ns = 9876543210ULL + 5000;
	h->clock.tai_offset = 37;
	h->acpi_s5.pm1a_cnt = 0x604;
	h->acpi_s5.space = RELIEF_HWDESC_SPACE_IO;
	h->acpi_s5.slp_typ_a = 5;
	h->nr_ioapics = 1;
	h->ioapics[0].address = 0xfec00000;
	h->ioapics[0].id = 0;
	h->ioapics[0].gsi_base = 0;
	h->ioapics[0].nr_pins = 24;
	isa_routes_q35(h);
	set_str(h->console.name, sizeof(h->console.name), "ttyS1");
	h->console.baud = 115200;
	h->console.io_port = 0x2f8;
	set_str(h->old_release, sizeof(h->old_release), "6.12.0-relief-old");

	h->nr_numa = 2;
	h->numa_ids[0] = 0;
	h->numa_ids[1] = 1;
	h->distance[0][0] = h->distance[1][1] = 10;
	h->distance[0][1] = h->distance[1][0] = 21;

	h->nr_cpus = 8;
	for (i = 0; i < 8; i++) {
		h->cpus[i].hw_id = 2 * i;	/* APIC IDs 0, 2, .. 14 */
		h->cpus[i].numa_node = i / 4;
		h->cpus[i].owner = i < 4 ? RELIEF_ROLE_OLD : RELIEF_ROLE_NEW;
	}
	h->cpus[0].boot = 1;

	h->nr_mem = sizeof(mem) / sizeof(mem[0]);
	memcpy(h->mem, mem, sizeof(mem));

	h->nr_devices = 3;
	set_str(h->devices[0].name, RELIEF_HWDESC_NAME_LEN, "nvme0");
	set_str(h->devices[0].compatible, RELIEF_HWDESC_COMPAT_LEN, "nvme");
	h->devices[0].bus = RELIEF_HWDESC_BUS_PCI;
	h->devices[0].pci_bus = 3;
	h->devices[0].flags = RELIEF_HWDESC_DEV_LIVE | RELIEF_HWDESC_DEV_DMA;
	set_str(h->devices[1].name, RELIEF_HWDESC_NAME_LEN, "eth1");
	h->devices[1].bus = RELIEF_HWDESC_BUS_PCI;
	h->devices[1].pci_segment = 1;
	h->devices[1].pci_bus = 0x81;
	h->devices[1].pci_devfn = 0x1f << 3 | 7;
	h->devices[1].flags = RELIEF_HWDESC_DEV_RESET;
	set_str(h->devices[2].name, RELIEF_HWDESC_NAME_LEN, "hpet");
	set_str(h->devices[2].compatible, RELIEF_HWDESC_COMPAT_LEN,
		"intel,hpet");
	h->devices[2].bus = RELIEF_HWDESC_BUS_PLATFORM;
	h->devices[2].mmio_base = 0xfed00000;
	h->devices[2].mmio_size = 0x400;
}

static void fill_str(char *dst, size_t cap, unsigned int tag)
{
	size_t i;

	for (i = 0; i < cap - 1; i++)
		dst[i] = (char)('a' + (i + tag) % 26);
	dst[cap - 1] = 0;
	dst[0] = (char)('A' + tag % 26);	/* unique per tag below 26*26 */
	dst[1] = (char)('A' + tag / 26);
}

/*
 * arm64 CC-cluster at every limit: 512 CPUs, 32 nodes, 64 ranges, 32
 * devices, every string at its longest, every optional property present.
 */
static void hwdesc_max(struct relief_hwdesc *h)
{
	uint32_t i, j;

	memset(h, 0, sizeof(*h));
	h->arch = RELIEF_HWDESC_ARCH_ARM64;
	h->acpi_rsdp = 0xffffffffffff0000ULL;
	h->mailbox_base = GiB - MiB;
	h->mailbox_size = MiB;
	h->relief_base = 0;
	h->relief_size = GiB;
	h->timer.tsc_khz = UINT32_MAX;
	h->timer.lapic_timer_hz = UINT32_MAX;
	h->timer.arch_timer_hz = UINT32_MAX;
	h->timer.hz = UINT32_MAX;
	h->timer.loops_per_jiffy = UINT64_MAX;
	h->clock.stamp = UINT64_MAX;
	h->clock.realtime_ns = UINT64_MAX;
	h->clock.monotonic_ns = UINT64_MAX;
	h->clock.boottime_ns = UINT64_MAX;
	h->clock.tai_offset = INT32_MIN;
	h->acpi_s5.pm1a_cnt = UINT64_MAX;
	h->acpi_s5.pm1b_cnt = UINT64_MAX;
	h->acpi_s5.space = RELIEF_HWDESC_SPACE_MEMORY;
	h->acpi_s5.slp_typ_a = 7;
	h->acpi_s5.slp_typ_b = 7;
	fill_str(h->console.name, sizeof(h->console.name), 0);
	h->console.baud = UINT32_MAX;
	h->console.mmio_base = UINT64_MAX;
	fill_str(h->old_release, sizeof(h->old_release), 1);

	h->nr_numa = RELIEF_HWDESC_MAX_NUMA;
	for (i = 0; i < RELIEF_HWDESC_MAX_NUMA; i++) {
		h->numa_ids[i] = UINT32_MAX - i;
		for (j = 0; j < RELIEF_HWDESC_MAX_NUMA; j++)
			h->distance[i][j] = i == j ? 10 : 255 - (i + j) % 100;
	}
	h->nr_cpus = RELIEF_HWDESC_MAX_CPUS;
	for (i = 0; i < RELIEF_HWDESC_MAX_CPUS; i++) {
		/* Aff3 and Aff2 high, so every cell is non-trivial. */
		h->cpus[i].hw_id = 0xff00000000ULL | 0xff0000 |
				   (i / 16) << 8 | (i % 16);
		h->cpus[i].numa_node = UINT32_MAX - i % RELIEF_HWDESC_MAX_NUMA;
		h->cpus[i].owner = i % 2 ? RELIEF_ROLE_NEW : RELIEF_ROLE_OLD;
	}
	h->cpus[RELIEF_HWDESC_MAX_CPUS - 1].boot = 1;
	h->nr_mem = RELIEF_HWDESC_MAX_MEM;
	for (i = 0; i < RELIEF_HWDESC_MAX_MEM; i++) {
		struct relief_hwdesc_mem *m = &h->mem[i];

		m->base = (uint64_t)i * (1ULL << 57);
		m->size = i == 0 ? GiB - MiB : (1ULL << 57) - 4096;
		m->numa_node = UINT32_MAX - i % RELIEF_HWDESC_MAX_NUMA;
		m->owner = i % 3 ? RELIEF_ROLE_OLD : RELIEF_ROLE_NEW;
		m->kind = i == 0 ? RELIEF_HWDESC_MEM_RELIEF :
			  (i % 2 ? RELIEF_HWDESC_MEM_RESERVED :
				   RELIEF_HWDESC_MEM_RAM);
	}
	/* The mailbox sits between the two: base GiB - MiB. */
	h->mem[1].base = GiB - MiB;
	h->mem[1].size = MiB;
	h->mem[1].kind = RELIEF_HWDESC_MEM_MAILBOX;
	h->nr_devices = RELIEF_HWDESC_MAX_DEVICES;
	for (i = 0; i < RELIEF_HWDESC_MAX_DEVICES; i++) {
		struct relief_hwdesc_device *d = &h->devices[i];

		fill_str(d->name, sizeof(d->name), i);
		fill_str(d->compatible, sizeof(d->compatible), i);
		d->flags = RELIEF_HWDESC_DEV_RESET | RELIEF_HWDESC_DEV_DMA;
		if (i % 2) {
			d->bus = RELIEF_HWDESC_BUS_PCI;
			d->pci_segment = 0xffff;
			d->pci_bus = 0xff;
			d->pci_devfn = (uint8_t)(0xff - i);
		} else {
			d->bus = RELIEF_HWDESC_BUS_PLATFORM;
			d->mmio_base = UINT64_MAX - 0xffff - i * 0x10000ULL;
			d->mmio_size = 0x10000;
		}
	}
}

/*
 * hwdesc_max as an x86 box, whose limits also hold 32 IOAPICs and 16 routed
 * ISA IRQs (an arm64 one describes none): 32-bit APIC IDs, whose cpu@
 * names take as much room as the MPIDR ones, and the GSIs at the top.
 */
static void hwdesc_max_x86(struct relief_hwdesc *h)
{
	uint32_t i;

	hwdesc_max(h);
	h->arch = RELIEF_HWDESC_ARCH_X86_64;
	for (i = 0; i < RELIEF_HWDESC_MAX_CPUS; i++)
		h->cpus[i].hw_id = UINT32_MAX - i;
	h->nr_ioapics = RELIEF_HWDESC_MAX_IOAPICS;
	for (i = 0; i < RELIEF_HWDESC_MAX_IOAPICS; i++) {
		struct relief_hwdesc_ioapic *a = &h->ioapics[i];

		a->address = 0xfffff000 - 0x1000ULL * i;
		a->id = 255 - i;
		a->nr_pins = 256;
		/* The first ends at GSI 0xffffffff, the others below it. */
		a->gsi_base = (uint32_t)((1ULL << 32) - 256ULL * (i + 1));
	}
	for (i = 0; i < RELIEF_HWDESC_NR_ISA_IRQS; i++) {
		h->isa_irqs[i].gsi = UINT32_MAX - i;
		h->isa_irqs[i].flags = RELIEF_HWDESC_IRQ_FLAGS;
	}
}

/* The two descriptions at every limit: arm64's and x86's. */
static void (*const hwdesc_maxes[])(struct relief_hwdesc *) = {
	hwdesc_max, hwdesc_max_x86,
};

#define NR_MAXES (sizeof(hwdesc_maxes) / sizeof(hwdesc_maxes[0]))

static size_t build_ok(const struct relief_hwdesc *h)
{
	size_t len = 1;

	assert_int_equal(relief_hwdesc_build(h, blob, sizeof(blob), &len),
			 RELIEF_HWDESC_OK);
	assert_int_equal(fdt_check_header(blob), 0);
	assert_int_equal(len, fdt_totalsize(blob));
	return len;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* Parse, and check the contract: error means an all-zero result. */
static int parse(const void *p, size_t len, struct relief_hwdesc *out)
{
	int err;

	memset(out, 0xa5, sizeof(*out));
	err = relief_hwdesc_parse(p, len, out);
	if (err)
		assert_true(all_zero(out, sizeof(*out)));
	return err;
}

static void test_roundtrip_full(void **state)
{
	size_t len;

	(void)state;
	hwdesc_full(&hw_a);
	assert_int_equal(relief_hwdesc_check(&hw_a), RELIEF_HWDESC_OK);
	len = build_ok(&hw_a);
	assert_int_equal(parse(blob, len, &hw_b), RELIEF_HWDESC_OK);
	assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
	/* A bigger readable area than the blob is fine. */
	assert_int_equal(parse(blob, sizeof(blob), &hw_b), RELIEF_HWDESC_OK);
	assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
}

static void test_roundtrip_max(void **state)
{
	size_t len, k;

	(void)state;
	for (k = 0; k < NR_MAXES; k++) {
		hwdesc_maxes[k](&hw_a);
		assert_int_equal(relief_hwdesc_check(&hw_a), RELIEF_HWDESC_OK);
		len = build_ok(&hw_a);
		assert_true(len <= RELIEF_HWDESC_BLOB_MAX);
		assert_int_equal(parse(blob, len, &hw_b), RELIEF_HWDESC_OK);
		assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
		assert_int_equal(relief_hwdesc_count_cpus(&hw_b, 0), 512);
	}
	assert_int_equal(hw_b.nr_ioapics, RELIEF_HWDESC_MAX_IOAPICS);
}

/*
 * All-platform devices with registers: the largest device list there is;
 * on x86 also 32 IOAPICs and every ISA IRQ routed, the largest of all.
 */
static void test_max_fits_blob_max(void **state)
{
	size_t len, k;
	uint32_t i;

	(void)state;
	for (k = 0; k < NR_MAXES; k++) {
		hwdesc_maxes[k](&hw_a);
		for (i = 0; i < RELIEF_HWDESC_MAX_DEVICES; i++) {
			struct relief_hwdesc_device *d = &hw_a.devices[i];

			d->bus = RELIEF_HWDESC_BUS_PLATFORM;
			d->pci_segment = d->pci_bus = d->pci_devfn = 0;
			d->mmio_base = i * 0x10000ULL;
			d->mmio_size = 0x10000;
		}
		len = build_ok(&hw_a);
		assert_true(len <= RELIEF_HWDESC_BLOB_MAX);
		assert_int_equal(parse(blob, len, &hw_b), RELIEF_HWDESC_OK);
		assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
	}
}

static void test_helpers(void **state)
{
	const struct relief_hwdesc_cpu *c;

	(void)state;
	hwdesc_full(&hw_a);
	assert_int_equal(relief_hwdesc_count_cpus(&hw_a, RELIEF_ROLE_OLD), 4);
	assert_int_equal(relief_hwdesc_count_cpus(&hw_a, RELIEF_ROLE_NEW), 4);
	assert_int_equal(relief_hwdesc_count_cpus(&hw_a, 0), 8);
	assert_int_equal(relief_hwdesc_count_cpus(NULL, 0), 0);
	c = relief_hwdesc_find_cpu(&hw_a, 10);
	assert_non_null(c);
	assert_ptr_equal(c, &hw_a.cpus[5]);
	assert_int_equal(c->numa_node, 1);
	assert_null(relief_hwdesc_find_cpu(&hw_a, 3));
	assert_null(relief_hwdesc_find_cpu(NULL, 0));
	assert_int_equal(relief_hwdesc_mem_bytes(&hw_a, RELIEF_ROLE_NEW, 0),
			 3 * GiB);
	assert_int_equal(relief_hwdesc_mem_bytes(&hw_a, RELIEF_ROLE_NEW,
						 RELIEF_HWDESC_MEM_RAM),
			 2 * GiB);
	assert_int_equal(relief_hwdesc_mem_bytes(&hw_a, RELIEF_ROLE_OLD, 0),
			 0x9f000 + 2 * GiB - MiB + MiB);
	assert_int_equal(relief_hwdesc_mem_bytes(&hw_a, 0,
						 RELIEF_HWDESC_MEM_MAILBOX),
			 MiB);
	assert_int_equal(relief_hwdesc_mem_bytes(NULL, 0, 0), 0);
	/* Sums saturate rather than wrap (unchecked host input). */
	hw_a.mem[0].size = UINT64_MAX;
	assert_int_equal(relief_hwdesc_mem_bytes(&hw_a, 0, 0), UINT64_MAX);
}

static void test_err_names(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < RELIEF_HWDESC_ERR_COUNT; i++) {
		const char *n = relief_hwdesc_err_name(i);

		assert_non_null(n);
		assert_true(n[0] != 0);
		assert_string_not_equal(n, "unknown");
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, relief_hwdesc_err_name(j));
	}
	assert_string_equal(relief_hwdesc_err_name(-1), "unknown");
	assert_string_equal(relief_hwdesc_err_name(RELIEF_HWDESC_ERR_COUNT),
			    "unknown");
	assert_string_equal(relief_hwdesc_err_name(RELIEF_HWDESC_ERR_BAD_BLOB),
			    "bad blob");
}

static void test_crc(void **state)
{
	size_t len;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	assert_int_equal(relief_hwdesc_crc(blob, len),
			 relief_crc32c(0, blob, len));
	/* The new side passes its whole area: same CRC. */
	memset(blob + len, 0x5a, 64);
	assert_int_equal(relief_hwdesc_crc(blob, len + 64),
			 relief_crc32c(0, blob, len));
	/* Not a sound blob: the CRC covers what was given. */
	assert_int_equal(relief_hwdesc_crc(blob, len - 1),
			 relief_crc32c(0, blob, len - 1));
	assert_int_equal(relief_hwdesc_crc(blob, 8), relief_crc32c(0, blob, 8));
	assert_int_equal(relief_hwdesc_crc(NULL, 8), 0);
	blob[0] ^= 1;
	assert_int_equal(relief_hwdesc_crc(blob, len + 64),
			 relief_crc32c(0, blob, len + 64));
}

static void test_build_args(void **state)
{
	size_t len = 7;

	(void)state;
	hwdesc_full(&hw_a);
	assert_int_equal(relief_hwdesc_build(NULL, blob, sizeof(blob), &len),
			 RELIEF_HWDESC_ERR_INVAL);
	assert_int_equal(relief_hwdesc_build(&hw_a, NULL, sizeof(blob), &len),
			 RELIEF_HWDESC_ERR_INVAL);
	assert_int_equal(relief_hwdesc_build(&hw_a, blob, sizeof(blob), NULL),
			 RELIEF_HWDESC_ERR_INVAL);
	assert_int_equal(relief_hwdesc_check(NULL), RELIEF_HWDESC_ERR_INVAL);
	/* An invalid description is refused before anything is written. */
	hw_a.nr_cpus = 0;
	assert_int_equal(relief_hwdesc_build(&hw_a, blob, sizeof(blob), &len),
			 RELIEF_HWDESC_ERR_BOOT_CPU);
	assert_int_equal(len, 0);
}

/*
 * Every size short of the blob fails with NO_SPACE and writes nothing past
 * the end: each buffer is a heap block of exactly that size, under ASan.
 */
static void test_build_no_space(void **state)
{
	size_t len, n, got;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	for (n = 0; n < len; n++) {
		void *b = malloc(n ? n : 1);

		assert_non_null(b);
		got = 99;
		assert_int_equal(relief_hwdesc_build(&hw_a, b, n, &got),
				 RELIEF_HWDESC_ERR_NO_SPACE);
		assert_int_equal(got, 0);
		free(b);
	}
	assert_int_equal(relief_hwdesc_build(&hw_a, work, len, &got),
			 RELIEF_HWDESC_OK);
	assert_int_equal(got, len);
}

static void test_parse_args(void **state)
{
	size_t len;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	assert_int_equal(relief_hwdesc_parse(blob, len, NULL),
			 RELIEF_HWDESC_ERR_INVAL);
	assert_int_equal(parse(NULL, len, &hw_b), RELIEF_HWDESC_ERR_BAD_BLOB);
	assert_int_equal(parse(blob, 0, &hw_b), RELIEF_HWDESC_ERR_BAD_BLOB);
	assert_int_equal(parse(blob, 39, &hw_b), RELIEF_HWDESC_ERR_BAD_BLOB);
	/* Header fine, but the blob claims more than we may read. */
	assert_int_equal(parse(blob, len - 1, &hw_b),
			 RELIEF_HWDESC_ERR_BAD_BLOB);
	/* libfdt wants 8-byte alignment; misaligned is refused, not read. */
	memcpy(work + 4, blob, len);
	assert_int_equal(parse(work + 4, len, &hw_b),
			 RELIEF_HWDESC_ERR_BAD_BLOB);
	blob[0] ^= 0xff;	/* magic */
	assert_int_equal(parse(blob, len, &hw_b), RELIEF_HWDESC_ERR_BAD_BLOB);
}

/* Truncate at every length: all refused, nothing read past the end. */
static void test_parse_truncated(void **state)
{
	size_t len, n;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	for (n = 0; n < len; n++) {
		uint8_t *b = malloc(n ? n : 1);

		assert_non_null(b);
		memcpy(b, blob, n);
		assert_int_equal(parse(b, n, &hw_b),
				 RELIEF_HWDESC_ERR_BAD_BLOB);
		free(b);
	}
}

/*
 * Damage every byte (each in three ways) of a valid blob held in an exact
 * heap block: parse must return, never read outside, and a success must be
 * a description that rebuilds and reparses to itself.
 */
static void test_parse_damaged(void **state)
{
	static const uint8_t xors[] = { 0x01, 0x80, 0xff };
	size_t len, i, k, again;
	unsigned int ok = 0, refused = 0;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(xors); k++) {
			uint8_t *b = malloc(len);

			assert_non_null(b);
			memcpy(b, blob, len);
			b[i] ^= xors[k];
			if (parse(b, len, &hw_b) == RELIEF_HWDESC_OK) {
				ok++;
				assert_int_equal(relief_hwdesc_build(&hw_b,
						 work, sizeof(work), &again),
						 RELIEF_HWDESC_OK);
				assert_int_equal(parse(work, again, &hw_a),
						 RELIEF_HWDESC_OK);
				assert_memory_equal(&hw_a, &hw_b,
						    sizeof(hw_a));
				hwdesc_full(&hw_a);
			} else {
				refused++;
			}
			free(b);
		}
	}
	/* Damage to padding or unread names passes; most is caught. */
	assert_true(refused > ok);
}

/* ---- Edits of a built blob through libfdt's read-write calls. ---- */

enum edit_op { END, SET, SET_U32, DEL_PROP, DEL_NODE };

struct edit {
	enum edit_op op;
	const char *path;
	const char *prop;
	const char *bytes;	/* SET */
	int len;		/* SET */
	uint32_t u;		/* SET_U32 */
};

/* The edit tables below name only the fields each edit uses. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define S(s) s, sizeof(s)	/* a string property, with its NUL */
#define B(s) s, sizeof(s) - 1	/* raw bytes */

struct edit_case {
	const char *what;
	struct edit e[4];
	int expect;
};

static void apply(void *fdt, const struct edit *e)
{
	int node = fdt_path_offset(fdt, e->path);
	int rc = 0;

	if (node < 0)
		fail_msg("no node %s: %s", e->path, fdt_strerror(node));
	switch (e->op) {
	case SET:
		rc = fdt_setprop(fdt, node, e->prop, e->bytes, e->len);
		break;
	case SET_U32:
		rc = fdt_setprop_u32(fdt, node, e->prop, e->u);
		break;
	case DEL_PROP:
		rc = fdt_delprop(fdt, node, e->prop);
		break;
	case DEL_NODE:
		rc = fdt_del_node(fdt, node);
		break;
	case END:
		break;
	}
	if (rc)
		fail_msg("edit %s %s: %s", e->path, e->prop ? e->prop : "",
			 fdt_strerror(rc));
}

/* Build @h, apply the edits, parse; returns the parse result. */
static int parse_edited(const struct relief_hwdesc *h, const struct edit *e,
			size_t ne)
{
	size_t len, i;

	len = build_ok(h);
	assert_int_equal(fdt_open_into(blob, work, sizeof(work)), 0);
	for (i = 0; i < ne && e[i].op != END; i++)
		apply(work, &e[i]);
	assert_true(fdt_totalsize(work) <= sizeof(work));
	(void)len;
	return parse(work, fdt_totalsize(work), &hw_b);
}

static const struct edit_case edit_cases[] = {
	{ "compatible list holding ours", { { SET, "/", "compatible",
	  B("vendor,x\0relief,hwdesc-v1\0") } }, RELIEF_HWDESC_OK },
	{ "unknown property ignored", { { SET_U32, "/cpus/cpu@0", "x-new",
	  .u = 1 } }, RELIEF_HWDESC_OK },
	{ "no rsdp", { { DEL_PROP, "/", "acpi-rsdp" } }, RELIEF_HWDESC_OK },
	{ "no devices", { { DEL_NODE, "/devices" } }, RELIEF_HWDESC_OK },
	{ "no compatible", { { DEL_PROP, "/", "compatible" } },
	  RELIEF_HWDESC_ERR_COMPATIBLE },
	{ "other compatible", { { SET, "/", "compatible",
	  S("relief,hwdesc-v2") } }, RELIEF_HWDESC_ERR_COMPATIBLE },
	{ "version 2", { { SET_U32, "/", "schema-version", .u = 2 } },
	  RELIEF_HWDESC_ERR_VERSION },
	{ "version 0", { { SET_U32, "/", "schema-version", .u = 0 } },
	  RELIEF_HWDESC_ERR_VERSION },
	{ "no version", { { DEL_PROP, "/", "schema-version" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "short version", { { SET, "/", "schema-version", B("\0\0\1") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "no arch", { { DEL_PROP, "/", "arch" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "arch sparc", { { SET, "/", "arch", S("sparc") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "arch prefix", { { SET, "/", "arch", S("x86") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "arch long", { { SET, "/", "arch", S("x86_64x86_64x86_64") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "arch unterminated", { { SET, "/", "arch", B("x86_64") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "arm64 without arch timer", { { SET, "/", "arch", S("arm64") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no release", { { DEL_PROP, "/", "old-release" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "release unterminated", { { SET, "/", "old-release", B("6.12") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "release empty property", { { SET, "/", "old-release", B("") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "release inner NUL", { { SET, "/", "old-release", S("6.1\0002") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "release empty string", { { SET, "/", "old-release", S("") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "release too long", { { SET, "/", "old-release",
	  S("0123456789012345678901234567890123456789"
	    "0123456789012345678901234") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "rsdp short", { { SET_U32, "/", "acpi-rsdp", .u = 1 } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "no mailbox", { { DEL_PROP, "/", "mailbox" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "mailbox short", { { SET, "/", "mailbox", B("\0\0\0\1\0\0\0\0") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "mailbox empty", { { SET, "/", "mailbox",
	  B("\0\0\0\1\100\0\0\0\0\0\0\0\0\0\0\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "mailbox in RAM", { { SET, "/", "mailbox",
	  B("\0\0\0\2\0\0\0\0\0\0\0\0\0\0\020\0") } },
	  RELIEF_HWDESC_ERR_REGION },
	{ "mailbox over its range end", { { SET, "/", "mailbox",
	  B("\0\0\0\1\100\017\377\0\0\0\0\0\0\0\020\0") } },
	  RELIEF_HWDESC_ERR_REGION },
	{ "no relief region", { { DEL_PROP, "/", "relief-region" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "relief region too small", { { SET, "/", "relief-region",
	  B("\0\0\0\1\0\0\0\0\0\0\0\0\0\0\020\0") } },
	  RELIEF_HWDESC_ERR_REGION },
	{ "relief region wraps", { { SET, "/", "relief-region",
	  B("\377\377\377\377\377\377\360\0\0\0\0\0\0\0\040\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },

	{ "no timer", { { DEL_NODE, "/timer" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "x86 without tsc", { { DEL_PROP, "/timer", "tsc-khz" } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "tsc long", { { SET, "/timer", "tsc-khz", B("\0\0\0\0\0\0\0\1") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "lapic long", { { SET, "/timer", "lapic-timer-hz",
	  B("\0\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "arch timer short", { { SET, "/timer", "arch-timer-hz", B("\1") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "no hz", { { DEL_PROP, "/timer", "hz" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "hz 0", { { SET_U32, "/timer", "hz", .u = 0 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no lpj", { { DEL_PROP, "/timer", "loops-per-jiffy" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "lpj short", { { SET_U32, "/timer", "loops-per-jiffy", .u = 1 } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "lpj 0", { { SET, "/timer", "loops-per-jiffy",
	  B("\0\0\0\0\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_VALUE },

	{ "no console", { { DEL_NODE, "/console" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "no console name", { { DEL_PROP, "/console", "tty" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "console name long", { { SET, "/console", "tty",
	  S("ttyS1234567890123") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "no baud", { { DEL_PROP, "/console", "baud" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "baud 0", { { SET_U32, "/console", "baud", .u = 0 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "io-port short", { { SET, "/console", "io-port", B("\2\370") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "io-port too big", { { SET_U32, "/console", "io-port",
	  .u = 0x10000 } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "mmio-base short", { { SET_U32, "/console", "mmio-base", .u = 1 } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "io-port and mmio-base", { { SET, "/console", "mmio-base",
	  B("\0\0\0\0\376\330\0\0") } }, RELIEF_HWDESC_ERR_BAD_VALUE },

	{ "no ioapic address", { { DEL_PROP, "/ioapic-0", "address" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "ioapic address short", { { SET_U32, "/ioapic-0", "address",
	  .u = 0xfec00000 } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "ioapic address 0", { { SET, "/ioapic-0", "address",
	  B("\0\0\0\0\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "ioapic above 4 GiB", { { SET, "/ioapic-0", "address",
	  B("\0\0\0\1\376\300\0\0") } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no ioapic id", { { DEL_PROP, "/ioapic-0", "id" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "ioapic id long", { { SET, "/ioapic-0", "id",
	  B("\0\0\0\0\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "ioapic id 256", { { SET_U32, "/ioapic-0", "id", .u = 256 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no gsi-base", { { DEL_PROP, "/ioapic-0", "gsi-base" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "gsi-base short", { { SET, "/ioapic-0", "gsi-base", B("\0\0") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "no nr-pins", { { DEL_PROP, "/ioapic-0", "nr-pins" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "nr-pins 0", { { SET_U32, "/ioapic-0", "nr-pins", .u = 0 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "nr-pins 257", { { SET_U32, "/ioapic-0", "nr-pins", .u = 257 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "ISA IRQ past the pins", { { SET_U32, "/ioapic-0", "nr-pins",
	  .u = 15 } }, RELIEF_HWDESC_ERR_IOAPIC },
	{ "ISA IRQs below gsi-base", { { SET_U32, "/ioapic-0", "gsi-base",
	  .u = 3 } }, RELIEF_HWDESC_ERR_IOAPIC },
	{ "no ioapic but ISA IRQs", { { DEL_NODE, "/ioapic-0" } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no ioapic, no ISA IRQs", { { DEL_NODE, "/ioapic-0" },
	  { DEL_NODE, "/isa-irqs" } }, RELIEF_HWDESC_OK },
	{ "arm64 with an ioapic", { { SET, "/", "arch", S("arm64") },
	  { SET_U32, "/timer", "arch-timer-hz", .u = 25000000 } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "arm64 without ioapics", { { SET, "/", "arch", S("arm64") },
	  { SET_U32, "/timer", "arch-timer-hz", .u = 25000000 },
	  { DEL_NODE, "/ioapic-0" }, { DEL_NODE, "/isa-irqs" } },
	  RELIEF_HWDESC_OK },
	{ "no isa-irqs", { { DEL_NODE, "/isa-irqs" } }, RELIEF_HWDESC_OK },
	{ "no routes", { { DEL_PROP, "/isa-irqs", "routes" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "routes short", { { SET, "/isa-irqs", "routes",
	  B("\0\0\0\2\0\0\0\1") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "routes empty", { { SET, "/isa-irqs", "routes", B("") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },

	{ "no numa", { { DEL_NODE, "/numa" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "no node-ids", { { DEL_PROP, "/numa", "node-ids" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "node-ids ragged", { { SET, "/numa", "node-ids",
	  B("\0\0\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "node-ids repeated", { { SET, "/numa", "node-ids",
	  B("\0\0\0\1\0\0\0\1") } }, RELIEF_HWDESC_ERR_NUMA_IDS },
	{ "no numa nodes", { { SET, "/numa", "node-ids", B("") },
	  { SET, "/numa", "distances", B("") } }, RELIEF_HWDESC_ERR_NUMA_IDS },
	{ "no distances", { { DEL_PROP, "/numa", "distances" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "distances 1x1", { { SET_U32, "/numa", "distances", .u = 10 } },
	  RELIEF_HWDESC_ERR_DISTANCE },
	{ "distance over 255", { { SET, "/numa", "distances",
	  B("\0\0\0\12\0\0\1\0\0\0\0\25\0\0\0\12") } },
	  RELIEF_HWDESC_ERR_DISTANCE },
	{ "remote distance 10", { { SET, "/numa", "distances",
	  B("\0\0\0\12\0\0\0\12\0\0\0\25\0\0\0\12") } },
	  RELIEF_HWDESC_ERR_DISTANCE },
	{ "local distance 11", { { SET, "/numa", "distances",
	  B("\0\0\0\13\0\0\0\25\0\0\0\25\0\0\0\12") } },
	  RELIEF_HWDESC_ERR_DISTANCE },
	{ "distance below 10", { { SET, "/numa", "distances",
	  B("\0\0\0\12\0\0\0\11\0\0\0\25\0\0\0\12") } },
	  RELIEF_HWDESC_ERR_DISTANCE },
	{ "cpu on unlisted node", { { SET, "/numa", "node-ids",
	  B("\0\0\0\0\0\0\0\2") } }, RELIEF_HWDESC_ERR_NUMA_REF },

	{ "no cpus", { { DEL_NODE, "/cpus" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "no hw-id", { { DEL_PROP, "/cpus/cpu@2", "reg" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "hw-id short", { { SET_U32, "/cpus/cpu@2", "reg", .u = 2 } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "hw-id over 32 bits on x86", { { SET, "/cpus/cpu@2", "reg",
	  B("\0\0\0\1\0\0\0\2") } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "hw-id twice", { { SET, "/cpus/cpu@2", "reg",
	  B("\0\0\0\0\0\0\0\16") } }, RELIEF_HWDESC_ERR_DUP_CPU },
	{ "no numa-node", { { DEL_PROP, "/cpus/cpu@2", "numa-node" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "cpu numa-node 9", { { SET_U32, "/cpus/cpu@2", "numa-node",
	  .u = 9 } }, RELIEF_HWDESC_ERR_NUMA_REF },
	{ "no owner", { { DEL_PROP, "/cpus/cpu@2", "owner" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "owner both", { { SET, "/cpus/cpu@2", "owner", S("both") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "boot-cpu with a value", { { SET_U32, "/cpus/cpu@0", "boot-cpu",
	  .u = 1 } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "two boot CPUs", { { SET, "/cpus/cpu@2", "boot-cpu", NULL, 0 } },
	  RELIEF_HWDESC_ERR_BOOT_CPU },
	{ "no boot CPU", { { DEL_PROP, "/cpus/cpu@0", "boot-cpu" } },
	  RELIEF_HWDESC_ERR_BOOT_CPU },
	{ "new owns no CPU", { { DEL_NODE, "/cpus/cpu@8" },
	  { DEL_NODE, "/cpus/cpu@a" }, { DEL_NODE, "/cpus/cpu@c" },
	  { DEL_NODE, "/cpus/cpu@e" } }, RELIEF_HWDESC_ERR_NO_CPU },
	{ "old owns no CPU", { { SET, "/cpus/cpu@0", "owner", S("new") },
	  { SET, "/cpus/cpu@2", "owner", S("new") },
	  { SET, "/cpus/cpu@4", "owner", S("new") },
	  { SET, "/cpus/cpu@6", "owner", S("new") } },
	  RELIEF_HWDESC_ERR_NO_CPU },

	{ "no memory", { { DEL_NODE, "/memory" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "no reg", { { DEL_PROP, "/memory/range@200000000", "reg" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "reg short", { { SET, "/memory/range@200000000", "reg",
	  B("\0\0\0\2\0\0\0\0") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "range empty", { { SET, "/memory/range@200000000", "reg",
	  B("\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "range wraps", { { SET, "/memory/range@200000000", "reg",
	  B("\377\377\377\377\377\377\360\0\0\0\0\0\0\0\040\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "range up to 2^64", { { SET, "/memory/range@200000000", "reg",
	  B("\377\377\377\377\377\377\360\0\0\0\0\0\0\0\020\0") } },
	  RELIEF_HWDESC_OK },
	{ "ranges overlap", { { SET, "/memory/range@100000", "reg",
	  B("\0\0\0\0\0\0\0\0\0\0\0\0\0\020\0\0") } },
	  RELIEF_HWDESC_ERR_MEM_OVERLAP },
	{ "ranges touch", { { SET, "/memory/range@100000", "reg",
	  B("\0\0\0\0\0\11\360\0\0\0\0\0\0\020\0\0") } }, RELIEF_HWDESC_OK },
	{ "no kind", { { DEL_PROP, "/memory/range@200000000", "kind" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "kind rom", { { SET, "/memory/range@200000000", "kind", S("rom") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "mem owner", { { SET, "/memory/range@200000000", "owner",
	  S("nobody") } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "mem numa-node 3", { { SET_U32, "/memory/range@200000000",
	  "numa-node", .u = 3 } }, RELIEF_HWDESC_ERR_NUMA_REF },
	{ "relief range outside region", { { SET, "/memory/range@200000000",
	  "kind", S("relief") } }, RELIEF_HWDESC_ERR_REGION },
	{ "new owns no memory", { { SET, "/memory/range@100000000", "owner",
	  S("old") }, { SET, "/memory/range@200000000", "owner", S("old") } },
	  RELIEF_HWDESC_ERR_NO_MEM },
	{ "new owns only reserved", { { SET, "/memory/range@100000000",
	  "owner", S("old") }, { SET, "/memory/range@200000000", "kind",
	  S("reserved") } }, RELIEF_HWDESC_ERR_NO_MEM },

	{ "no device name", { { DEL_PROP, "/devices/device-1", "device-name" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "device name long", { { SET, "/devices/device-1", "device-name",
	  S("0123456789012345678901234567890123") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "device name empty", { { SET, "/devices/device-1", "device-name", S("") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "device name twice", { { SET, "/devices/device-1", "device-name",
	  S("hpet") } }, RELIEF_HWDESC_ERR_DUP_DEVICE },
	{ "no bus", { { DEL_PROP, "/devices/device-1", "bus" } },
	  RELIEF_HWDESC_ERR_MISSING },
	{ "bus usb", { { SET, "/devices/device-1", "bus", S("usb") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "no pci-address", { { DEL_PROP, "/devices/device-1",
	  "pci-address" } }, RELIEF_HWDESC_ERR_MISSING },
	{ "pci-address short", { { SET, "/devices/device-1", "pci-address",
	  B("\0\0\0\1\0\0\0\201\0\0\0\37") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "pci segment 65536", { { SET, "/devices/device-1", "pci-address",
	  B("\0\1\0\0\0\0\0\201\0\0\0\37\0\0\0\7") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "pci bus 256", { { SET, "/devices/device-1", "pci-address",
	  B("\0\0\0\1\0\0\1\0\0\0\0\37\0\0\0\7") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "pci device 32", { { SET, "/devices/device-1", "pci-address",
	  B("\0\0\0\1\0\0\0\201\0\0\0\40\0\0\0\7") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "pci function 8", { { SET, "/devices/device-1", "pci-address",
	  B("\0\0\0\1\0\0\0\201\0\0\0\37\0\0\0\10") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "pci address twice", { { SET, "/devices/device-1", "pci-address",
	  B("\0\0\0\0\0\0\0\3\0\0\0\0\0\0\0\0") } },
	  RELIEF_HWDESC_ERR_DUP_DEVICE },
	{ "compatible long", { { SET, "/devices/device-0", "compatible",
	  S("0123456789012345678901234567890123456789"
	    "012345678901234567890123") } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "flags short", { { SET, "/devices/device-0", "flags", B("\0\1") } },
	  RELIEF_HWDESC_ERR_BAD_LEN },
	{ "flags unknown", { { SET_U32, "/devices/device-0", "flags",
	  .u = 0x80 } }, RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "flags live and reset", { { SET_U32, "/devices/device-0", "flags",
	  .u = RELIEF_HWDESC_DEV_LIVE | RELIEF_HWDESC_DEV_RESET } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "platform mmio short", { { SET_U32, "/devices/device-2", "mmio",
	  .u = 1 } }, RELIEF_HWDESC_ERR_BAD_LEN },
	{ "platform mmio empty", { { SET, "/devices/device-2", "mmio",
	  B("\0\0\0\0\376\320\0\0\0\0\0\0\0\0\0\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "platform mmio wraps", { { SET, "/devices/device-2", "mmio",
	  B("\377\377\377\377\377\377\360\0\0\0\0\0\0\0\040\0") } },
	  RELIEF_HWDESC_ERR_BAD_VALUE },
	{ "platform without mmio", { { DEL_PROP, "/devices/device-2", "mmio" } },
	  RELIEF_HWDESC_OK },
	{ "pci-address on platform ignored", { { SET, "/devices/device-2",
	  "pci-address", B("\0\0\0\1\0\0\0\1\0\0\0\1\0\0\0\1") } },
	  RELIEF_HWDESC_OK },
};

static void test_parse_edits(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(edit_cases) / sizeof(edit_cases[0]); i++) {
		const struct edit_case *c = &edit_cases[i];
		int err;

		hwdesc_full(&hw_a);
		err = parse_edited(&hw_a, c->e, 4);
		if (err != c->expect)
			fail_msg("%s: got %s, want %s", c->what,
				 relief_hwdesc_err_name(err),
				 relief_hwdesc_err_name(c->expect));
	}
}

/*
 * Add a well-formed element to a list (libfdt puts it first), so that the
 * list holds one more than its limit.
 */
static void add_element(void *fdt, int list)
{
	static const char *const parents[] = { "/cpus", "/memory", "/devices" };
	static const uint8_t zero16[16];
	int p = fdt_path_offset(fdt, parents[list]);
	int n;

	assert_true(p >= 0);
	n = fdt_add_subnode(fdt, p, "extra");
	assert_true(n >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, n, "numa-node", UINT32_MAX), 0);
	assert_int_equal(fdt_setprop_string(fdt, n, "owner", "new"), 0);
	switch (list) {
	case 0:
		assert_int_equal(fdt_setprop_u64(fdt, n, "reg", 1), 0);
		break;
	case 1:
		assert_int_equal(fdt_setprop(fdt, n, "reg", zero16, 16), 0);
		assert_int_equal(fdt_setprop_string(fdt, n, "kind", "ram"), 0);
		break;
	default:
		assert_int_equal(fdt_setprop_string(fdt, n, "device-name",
						    "extra"), 0);
		assert_int_equal(fdt_setprop_string(fdt, n, "bus", "platform"),
				 0);
		break;
	}
}

/* One more than the limit of each list, at the maximal description. */
static void test_parse_too_many(void **state)
{
	uint8_t ids[4 * (RELIEF_HWDESC_MAX_NUMA + 1)] = { 0 };
	char name[16];
	int i, n;

	(void)state;
	hwdesc_max(&hw_a);
	for (i = 0; i < 3; i++) {
		build_ok(&hw_a);
		assert_int_equal(fdt_open_into(blob, work, sizeof(work)), 0);
		add_element(work, i);
		assert_int_equal(parse(work, fdt_totalsize(work), &hw_b),
				 RELIEF_HWDESC_ERR_TOO_MANY);
	}
	build_ok(&hw_a);
	assert_int_equal(fdt_open_into(blob, work, sizeof(work)), 0);
	assert_int_equal(fdt_setprop(work, fdt_path_offset(work, "/numa"),
				     "node-ids", ids, sizeof(ids)), 0);
	assert_int_equal(parse(work, fdt_totalsize(work), &hw_b),
			 RELIEF_HWDESC_ERR_TOO_MANY);
	/* One IOAPIC more, well-formed, after all those x86 may have. */
	hwdesc_max_x86(&hw_a);
	build_ok(&hw_a);
	assert_int_equal(fdt_open_into(blob, work, sizeof(work)), 0);
	snprintf(name, sizeof(name), "ioapic-%d", RELIEF_HWDESC_MAX_IOAPICS);
	n = fdt_add_subnode(work, 0, name);
	assert_true(n >= 0);
	assert_int_equal(fdt_setprop_u64(work, n, "address", 0xfec00000), 0);
	assert_int_equal(fdt_setprop_u32(work, n, "id", 0), 0);
	assert_int_equal(fdt_setprop_u32(work, n, "gsi-base", 0), 0);
	assert_int_equal(fdt_setprop_u32(work, n, "nr-pins", 24), 0);
	assert_int_equal(parse(work, fdt_totalsize(work), &hw_b),
			 RELIEF_HWDESC_ERR_TOO_MANY);
	/* Counted before it is read: a broken one more is too many, too. */
	assert_int_equal(fdt_delprop(work, n, "id"), 0);
	assert_int_equal(parse(work, fdt_totalsize(work), &hw_b),
			 RELIEF_HWDESC_ERR_TOO_MANY);
}

/* A second IOAPIC of 24 pins. */
static void second_ioapic(struct relief_hwdesc *h, uint64_t address,
			  uint32_t id, uint32_t gsi_base)
{
	h->nr_ioapics = 2;
	h->ioapics[1].address = address;
	h->ioapics[1].id = id;
	h->ioapics[1].gsi_base = gsi_base;
	h->ioapics[1].nr_pins = 24;
}

/* None at all: what a machine without IOAPICs (or arm64) describes. */
static void no_ioapics(struct relief_hwdesc *h)
{
	h->nr_ioapics = 0;
	memset(h->ioapics, 0, sizeof(h->ioapics));
	memset(h->isa_irqs, 0, sizeof(h->isa_irqs));
}

/*
 * IOAPIC nodes are found by their number: one missing before a later one
 * is refused, not skipped; the last one missing is one IOAPIC fewer.
 */
static void test_parse_ioapic_gap(void **state)
{
	static const struct edit first[] = { { DEL_NODE, "/ioapic-0" } };
	static const struct edit middle[] = { { DEL_NODE, "/ioapic-1" } };
	static const struct edit last[] = { { DEL_NODE, "/ioapic-2" } };

	(void)state;
	hwdesc_full(&hw_a);
	hw_a.nr_ioapics = 3;
	hw_a.ioapics[1] = (struct relief_hwdesc_ioapic){ 0xfec01000, 1, 24,
							 24, 0 };
	hw_a.ioapics[2] = (struct relief_hwdesc_ioapic){ 0xfec02000, 2, 48,
							 24, 0 };
	assert_int_equal(parse_edited(&hw_a, first, 1),
			 RELIEF_HWDESC_ERR_MISSING);
	assert_int_equal(parse_edited(&hw_a, middle, 1),
			 RELIEF_HWDESC_ERR_MISSING);
	assert_int_equal(parse_edited(&hw_a, last, 1), RELIEF_HWDESC_OK);
	hw_a.nr_ioapics = 2;
	memset(&hw_a.ioapics[2], 0, sizeof(hw_a.ioapics[2]));
	assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
}

/* Without IOAPICs neither /ioapic-0 nor /isa-irqs is written. */
static void test_roundtrip_no_ioapics(void **state)
{
	size_t len;

	(void)state;
	hwdesc_full(&hw_a);
	no_ioapics(&hw_a);
	len = build_ok(&hw_a);
	assert_int_equal(fdt_path_offset(blob, "/ioapic-0"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(blob, "/isa-irqs"), -FDT_ERR_NOTFOUND);
	assert_int_equal(parse(blob, len, &hw_b), RELIEF_HWDESC_OK);
	assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
	assert_int_equal(hw_b.nr_ioapics, 0);
}

/*
 * Rules that no FDT edit reaches (the parser never produces such a
 * struct) but a careless old-side caller could: check() and build() both
 * refuse them. Returns the expected error, or -1 past the last case.
 */
static int host_edit(struct relief_hwdesc *h, int i)
{
	struct relief_hwdesc_device *pci = &h->devices[0];
	struct relief_hwdesc_device *plat = &h->devices[2];
	uint32_t k;

	switch (i) {
	case 0: h->nr_cpus = RELIEF_HWDESC_MAX_CPUS + 1;
		return RELIEF_HWDESC_ERR_TOO_MANY;
	case 1: h->nr_mem = RELIEF_HWDESC_MAX_MEM + 1;
		return RELIEF_HWDESC_ERR_TOO_MANY;
	case 2: h->nr_numa = RELIEF_HWDESC_MAX_NUMA + 1;
		return RELIEF_HWDESC_ERR_TOO_MANY;
	case 3: h->nr_devices = RELIEF_HWDESC_MAX_DEVICES + 1;
		return RELIEF_HWDESC_ERR_TOO_MANY;
	case 4: h->pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 5: h->arch = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 6: h->arch = 3; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 7: h->arch = RELIEF_HWDESC_ARCH_ARM64;
		h->timer.arch_timer_hz = 25000000;
		no_ioapics(h);
		return RELIEF_HWDESC_OK;
	case 8: h->arch = RELIEF_HWDESC_ARCH_ARM64;
		h->timer.arch_timer_hz = 25000000;
		no_ioapics(h);
		h->cpus[3].hw_id = 1 << 24;	/* not an affinity bit */
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 9: memset(h->old_release, 'a', sizeof(h->old_release));
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 10: memset(h->console.name, 'a', sizeof(h->console.name));
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 11: h->console.name[0] = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 12: h->mailbox_size = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 13: h->relief_size = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 14: h->timer.loops_per_jiffy = 0;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 15: h->numa_ids[1] = 0; return RELIEF_HWDESC_ERR_NUMA_IDS;
	case 16: h->nr_numa = 0; return RELIEF_HWDESC_ERR_NUMA_IDS;
	case 17: h->distance[1][0] = 10; return RELIEF_HWDESC_ERR_DISTANCE;
	case 18: h->cpus[5].owner = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 19: h->cpus[5].owner = 3; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 20: h->cpus[0].boot = 2; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 21: h->cpus[5].pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 22: h->nr_cpus = 0; return RELIEF_HWDESC_ERR_BOOT_CPU;
	case 23: h->mem[2].pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 24: h->mem[2].kind = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 25: h->mem[2].kind = 5; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 26: h->mem[2].owner = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 27: h->mem[4] = h->mem[1]; return RELIEF_HWDESC_ERR_MEM_OVERLAP;
	case 28: pci->bus = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 29: pci->bus = 3; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 30: pci->pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 31: memset(pci->name, 'n', sizeof(pci->name));
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 32: memset(pci->compatible, 'c', sizeof(pci->compatible));
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 33: pci->mmio_base = 0x1000; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 34: pci->mmio_size = 0x1000; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 35: plat->pci_segment = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 36: plat->pci_bus = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 37: plat->pci_devfn = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 38: plat->mmio_size = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 39: plat->mmio_size = 0; plat->mmio_base = 0;
		return RELIEF_HWDESC_OK;
	case 40: h->devices[1].pci_devfn = 0; h->devices[1].pci_bus = 3;
		h->devices[1].pci_segment = 0;
		return RELIEF_HWDESC_ERR_DUP_DEVICE;
	case 41: h->nr_devices = 0;
		memset(h->devices, 0, sizeof(h->devices));
		return RELIEF_HWDESC_OK;
	/* The mailbox may end exactly where its range ends. */
	case 42: h->mailbox_base = 5 * GiB + MiB - 4096;
		h->mailbox_size = 4096;
		return RELIEF_HWDESC_OK;
	case 43: h->mailbox_base = 5 * GiB - 4096;
		return RELIEF_HWDESC_ERR_REGION;
	/* Clocks: none at all, or a stamp, a wall clock, boot >= mono. */
	case 44: memset(&h->clock, 0, sizeof(h->clock));
		return RELIEF_HWDESC_OK;
	case 45: h->clock.stamp = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 46: h->clock.realtime_ns = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 47: h->clock.boottime_ns = h->clock.monotonic_ns - 1;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 48: h->clock.pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 49: memset(&h->clock, 0, sizeof(h->clock));
		h->clock.tai_offset = 37;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 50: h->clock.tai_offset = -5; h->clock.monotonic_ns = 0;
		return RELIEF_HWDESC_OK;
	/* Power off: none at all, or PM1a, a space, 3-bit types, ports. */
	case 51: memset(&h->acpi_s5, 0, sizeof(h->acpi_s5));
		return RELIEF_HWDESC_OK;
	case 52: h->acpi_s5.pm1a_cnt = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 53: h->acpi_s5.slp_typ_a = 8; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 54: h->acpi_s5.slp_typ_b = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 55: h->acpi_s5.pm1b_cnt = 0x10000;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 56: h->acpi_s5.space = 2; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 57: h->acpi_s5.pad[4] = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 58: h->acpi_s5.pm1b_cnt = 0x605; h->acpi_s5.slp_typ_b = 7;
		return RELIEF_HWDESC_OK;
	case 59: h->acpi_s5.space = RELIEF_HWDESC_SPACE_MEMORY;
		h->acpi_s5.pm1a_cnt = 0xfed00000ULL;
		return RELIEF_HWDESC_OK;
	/* IOAPICs: none, or up to 8 well-formed ones, unused slots zero. */
	case 60: h->nr_ioapics = RELIEF_HWDESC_MAX_IOAPICS + 1;
		return RELIEF_HWDESC_ERR_TOO_MANY;
	case 61: no_ioapics(h); return RELIEF_HWDESC_OK;
	case 62: h->nr_ioapics = 0;	/* the ISA IRQs still routed */
		memset(h->ioapics, 0, sizeof(h->ioapics));
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 63: h->ioapics[0].address = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 64: h->ioapics[0].address = 1ULL << 32;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 65: h->ioapics[0].address = 0xfffff000; return RELIEF_HWDESC_OK;
	case 66: h->ioapics[0].id = 256; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 67: h->ioapics[0].id = 255; return RELIEF_HWDESC_OK;
	case 68: h->ioapics[0].nr_pins = 0; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 69: h->ioapics[0].nr_pins = 257;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 70: h->ioapics[0].nr_pins = 256; return RELIEF_HWDESC_OK;
	case 71: h->ioapics[0].pad = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 72: h->pad_ioapics = 1; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 73: h->ioapics[1].id = 1;	/* past nr_ioapics */
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 74: h->ioapics[RELIEF_HWDESC_MAX_IOAPICS - 1].pad = 1;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	/* Its last pin's GSI past 0xffffffff; then just at it. */
	case 75: h->ioapics[0].gsi_base = UINT32_MAX - 22;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 76: h->ioapics[0].gsi_base = UINT32_MAX - 23;
		memset(h->isa_irqs, 0, sizeof(h->isa_irqs));
		return RELIEF_HWDESC_OK;
	/* Two IOAPICs share no address, no id, no GSI. */
	case 77: second_ioapic(h, 0xfec00000, 1, 24);
		return RELIEF_HWDESC_ERR_IOAPIC;
	case 78: second_ioapic(h, 0xfec01000, 0, 24);
		return RELIEF_HWDESC_ERR_IOAPIC;
	case 79: second_ioapic(h, 0xfec01000, 1, 23);
		return RELIEF_HWDESC_ERR_IOAPIC;
	case 80: second_ioapic(h, 0xfec01000, 1, 24); return RELIEF_HWDESC_OK;
	case 81: second_ioapic(h, 0xfec01000, 1, 0);
		h->ioapics[0].gsi_base = 24;	/* the first above the second */
		return RELIEF_HWDESC_OK;
	case 82: second_ioapic(h, 0xfec01000, 1, 0);
		h->ioapics[0].gsi_base = 23;
		return RELIEF_HWDESC_ERR_IOAPIC;
	/* ISA IRQs: known flags with ROUTED, else all zero; to a pin. */
	case 83: h->isa_irqs[1].gsi = 24; return RELIEF_HWDESC_ERR_IOAPIC;
	case 84: second_ioapic(h, 0xfec01000, 1, 24);
		h->isa_irqs[1].gsi = 47;
		return RELIEF_HWDESC_OK;
	case 85: h->isa_irqs[4].flags |= 0x8;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 86: h->isa_irqs[4].flags = RELIEF_HWDESC_IRQ_LEVEL;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 87: h->isa_irqs[2].gsi = 2; return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 88: h->isa_irqs[2].gsi = 2;
		h->isa_irqs[2].flags = RELIEF_HWDESC_IRQ_FLAGS;
		return RELIEF_HWDESC_OK;
	case 89: memset(h->isa_irqs, 0, sizeof(h->isa_irqs));
		return RELIEF_HWDESC_OK;
	case 90: no_ioapics(h);
		h->isa_irqs[0].flags = RELIEF_HWDESC_IRQ_ROUTED;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	/* arm64 describes no IOAPIC (without one: case 7). */
	case 91: h->arch = RELIEF_HWDESC_ARCH_ARM64;
		h->timer.arch_timer_hz = 25000000;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	case 92: h->arch = RELIEF_HWDESC_ARCH_ARM64;
		h->timer.arch_timer_hz = 25000000;
		no_ioapics(h);
		h->ioapics[0].id = 1;
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	/* All of them, each on its own 24 GSIs. */
	case 93: h->nr_ioapics = RELIEF_HWDESC_MAX_IOAPICS;
		for (k = 1; k < RELIEF_HWDESC_MAX_IOAPICS; k++)
			h->ioapics[k] = (struct relief_hwdesc_ioapic){
				0xfec00000 + 0x1000ULL * k, k, 24 * k, 24, 0 };
		return RELIEF_HWDESC_OK;
	default: return -1;
	}
}

static void test_check_host(void **state)
{
	size_t len;
	int i, expect;

	(void)state;
	for (i = 0;; i++) {
		hwdesc_full(&hw_a);
		expect = host_edit(&hw_a, i);
		if (expect < 0)
			break;
		if (relief_hwdesc_check(&hw_a) != expect)
			fail_msg("host case %d: got %s, want %s", i,
				 relief_hwdesc_err_name(
					 relief_hwdesc_check(&hw_a)),
				 relief_hwdesc_err_name(expect));
		assert_int_equal(relief_hwdesc_build(&hw_a, blob, sizeof(blob),
						     &len), expect);
		if (expect == RELIEF_HWDESC_OK) {
			assert_int_equal(parse(blob, len, &hw_b),
					 RELIEF_HWDESC_OK);
			assert_memory_equal(&hw_a, &hw_b, sizeof(hw_a));
		}
	}
	assert_true(i > 93);
}

/* dtc, the reference reader, accepts the blob and shows our schema. */
static void test_dtc_reads_blob(void **state)
{
	char path[] = "/tmp/relief-hwdesc-XXXXXX";
	char cmd[128], out[65536];
	size_t len, n = 0, r;
	FILE *f;
	int fd, status;

	(void)state;
	hwdesc_full(&hw_a);
	len = build_ok(&hw_a);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, blob, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o - %s 2>&1", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	while ((r = fread(out + n, 1, sizeof(out) - 1 - n, f)) > 0)
		n += r;
	out[n] = 0;
	status = pclose(f);
	unlink(path);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Not even a warning: the schema follows dtc's conventions. */
	if (strstr(out, "Warning") || strstr(out, "ERROR"))
		fail_msg("dtc complains:\n%s", out);
	assert_non_null(strstr(out, "compatible = \"relief,hwdesc-v1\";"));
	assert_non_null(strstr(out, "schema-version = <0x01>;"));
	assert_non_null(strstr(out, "tsc-khz = <0x2db400>;"));
	assert_non_null(strstr(out, "cpu@e {"));
	assert_non_null(strstr(out, "tty = \"ttyS1\";"));
	assert_non_null(strstr(out, "ioapic-0 {"));
	assert_non_null(strstr(out, "address = <0x00 0xfec00000>;"));
	assert_non_null(strstr(out, "routes = <0x02 0x01 0x01 0x01 0x00 0x00 "
				    "0x03 0x01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_full),
		cmocka_unit_test(test_roundtrip_max),
		cmocka_unit_test(test_max_fits_blob_max),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_crc),
		cmocka_unit_test(test_build_args),
		cmocka_unit_test(test_build_no_space),
		cmocka_unit_test(test_parse_args),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_damaged),
		cmocka_unit_test(test_parse_edits),
		cmocka_unit_test(test_parse_too_many),
		cmocka_unit_test(test_parse_ioapic_gap),
		cmocka_unit_test(test_roundtrip_no_ioapics),
		cmocka_unit_test(test_check_host),
		cmocka_unit_test(test_dtc_reads_blob),
	};

	return cmocka_run_group_tests_name("hwdesc", tests, NULL, NULL);
}
