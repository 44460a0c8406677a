// SPDX-License-Identifier: GPL-2.0
/*
 * gen_hwdesc_seeds.c - write the committed seed corpus of fuzz_hwdesc:
 * a few valid hwdesc blobs, from the smallest to one at every limit.
 * Not built by default; to regenerate (from the top of the repo):
 *
 *   cc -std=c11 -Iproto -o out/gen_hwdesc_seeds \
 *	tests/fuzz/gen_hwdesc_seeds.c proto/relief_hwdesc.c \
 *	proto/relief_hwdesc_check.c proto/relief_crc32c.c -lfdt
 *   out/gen_hwdesc_seeds tests/fuzz/corpus/hwdesc
 */
#include <stdio.h>
#include <string.h>

#include "relief_hwdesc.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

static struct relief_hwdesc h;
static unsigned char blob[RELIEF_HWDESC_BLOB_MAX] __attribute__((aligned(8)));

static void base(uint32_t arch)
{
	memset(&h, 0, sizeof(h));
	h.arch = arch;
	h.mailbox_base = 5 * GiB;
	h.mailbox_size = 64 * 1024;
	h.relief_base = 4 * GiB;
	h.relief_size = GiB + MiB;
	if (arch == RELIEF_HWDESC_ARCH_X86_64) {
		h.acpi_rsdp = 0xf05b0;
		h.timer.tsc_khz = 2995200;
		h.timer.lapic_timer_hz = 1000000000;
		h.console.io_port = 0x3f8;
		strcpy(h.console.name, "ttyS0");
	} else {
		h.timer.arch_timer_hz = 25000000;
		h.console.mmio_base = 0x9000000;
		strcpy(h.console.name, "ttyAMA0");
	}
	h.timer.hz = 250;
	h.timer.loops_per_jiffy = 5990400;
	h.console.baud = 115200;
	strcpy(h.old_release, "6.12.0-relief");
	h.nr_numa = 1;
	h.distance[0][0] = RELIEF_HWDESC_DIST_LOCAL;
	h.nr_mem = 2;
	h.mem[0] = (struct relief_hwdesc_mem){ 4 * GiB, GiB, 0, RELIEF_ROLE_NEW,
					       RELIEF_HWDESC_MEM_RELIEF, 0 };
	h.mem[1] = (struct relief_hwdesc_mem){ 5 * GiB, MiB, 0, RELIEF_ROLE_OLD,
					       RELIEF_HWDESC_MEM_MAILBOX, 0 };
}

static void cpus(uint32_t n, uint32_t nodes)
{
	uint32_t i;

	h.nr_cpus = n;
	for (i = 0; i < n; i++) {
		h.cpus[i].hw_id = h.arch == RELIEF_HWDESC_ARCH_ARM64 ?
				  (i / 16) << 8 | i % 16 : i;
		h.cpus[i].numa_node = i % nodes;
		h.cpus[i].owner = i < n / 2 ? RELIEF_ROLE_OLD : RELIEF_ROLE_NEW;
	}
	h.cpus[0].boot = 1;
}

static void numa(uint32_t n)
{
	uint32_t i, j;

	h.nr_numa = n;
	for (i = 0; i < n; i++) {
		h.numa_ids[i] = i;
		for (j = 0; j < n; j++)
			h.distance[i][j] = i == j ? 10 : 20 + (i + j) % 10;
	}
}

static void device(const char *name, const char *compat, uint32_t bus,
		   uint32_t flags)
{
	struct relief_hwdesc_device *d = &h.devices[h.nr_devices];

	strcpy(d->name, name);
	strcpy(d->compatible, compat);
	d->bus = bus;
	d->flags = flags;
	if (bus == RELIEF_HWDESC_BUS_PCI) {
		d->pci_bus = (uint8_t)(h.nr_devices + 1);
		d->pci_devfn = 1 << 3;
	} else {
		d->mmio_base = 0xfed00000 + 0x1000ULL * h.nr_devices;
		d->mmio_size = 0x1000;
	}
	h.nr_devices++;
}

/* One IOAPIC (GSIs 0..23) and the ISA IRQs as QEMU's q35 routes them. */
static void ioapic(void)
{
	uint32_t irq;

	h.nr_ioapics = 1;
	h.ioapics[0].address = 0xfec00000;
	h.ioapics[0].nr_pins = 24;
	for (irq = 0; irq < RELIEF_HWDESC_NR_ISA_IRQS; irq++) {
		if (irq == 2)
			continue;	/* the cascade: not routed */
		h.isa_irqs[irq].gsi = irq == 0 ? 2 : irq;
		h.isa_irqs[irq].flags = RELIEF_HWDESC_IRQ_ROUTED;
		if (irq == 5 || (irq >= 9 && irq <= 11))
			h.isa_irqs[irq].flags |= RELIEF_HWDESC_IRQ_LEVEL;
	}
}

static int emit(const char *dir, const char *name)
{
	char path[512];
	size_t len;
	FILE *f;
	int err = relief_hwdesc_build(&h, blob, sizeof(blob), &len);

	if (err) {
		fprintf(stderr, "%s: %s\n", name, relief_hwdesc_err_name(err));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s.dtb", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 1;
	}
	printf("%s: %zu bytes\n", path, len);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	uint32_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	/* Smallest: two CPUs, one node, no devices. */
	base(RELIEF_HWDESC_ARCH_X86_64);
	cpus(2, 1);
	rc |= emit(argv[1], "x86-minimal");

	/*
	 * The usual box: 8 CPUs, 2 nodes, RAM on each side, 3 devices, an
	 * IOAPIC.
	 */
	base(RELIEF_HWDESC_ARCH_X86_64);
	numa(2);
	cpus(8, 2);
	ioapic();
	h.mem[2] = (struct relief_hwdesc_mem){ 0, 2 * GiB, 0, RELIEF_ROLE_OLD,
					       RELIEF_HWDESC_MEM_RAM, 0 };
	h.mem[3] = (struct relief_hwdesc_mem){ 8 * GiB, 2 * GiB, 1,
					       RELIEF_ROLE_NEW,
					       RELIEF_HWDESC_MEM_RAM, 0 };
	h.mem[4] = (struct relief_hwdesc_mem){ 0xfe000000, 0x1000000, 0,
					       RELIEF_ROLE_OLD,
					       RELIEF_HWDESC_MEM_RESERVED, 0 };
	h.nr_mem = 5;
	device("nvme0", "nvme", RELIEF_HWDESC_BUS_PCI,
	       RELIEF_HWDESC_DEV_LIVE | RELIEF_HWDESC_DEV_DMA);
	device("eth0", "virtio-pci", RELIEF_HWDESC_BUS_PCI,
	       RELIEF_HWDESC_DEV_RESET);
	device("uart1", "ns16550a", RELIEF_HWDESC_BUS_PLATFORM, 0);
	rc |= emit(argv[1], "x86-2node");

	/* arm64 CC cluster at the limits: 512 CPUs, 32 nodes, 32 devices. */
	base(RELIEF_HWDESC_ARCH_ARM64);
	numa(RELIEF_HWDESC_MAX_NUMA);
	cpus(RELIEF_HWDESC_MAX_CPUS, RELIEF_HWDESC_MAX_NUMA);
	for (i = 2; i < RELIEF_HWDESC_MAX_MEM; i++)
		h.mem[i] = (struct relief_hwdesc_mem){
			8 * GiB * i, 4 * GiB, i % RELIEF_HWDESC_MAX_NUMA,
			i % 2 ? RELIEF_ROLE_OLD : RELIEF_ROLE_NEW,
			RELIEF_HWDESC_MEM_RAM, 0 };
	h.nr_mem = RELIEF_HWDESC_MAX_MEM;
	for (i = 0; i < RELIEF_HWDESC_MAX_DEVICES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "dev%u", i);
		device(name, i % 2 ? "nvme" : "arm,pl011",
		       i % 2 ? RELIEF_HWDESC_BUS_PCI :
				     RELIEF_HWDESC_BUS_PLATFORM,
		       RELIEF_HWDESC_DEV_DMA);
	}
	rc |= emit(argv[1], "arm64-max");
	return rc;
}
