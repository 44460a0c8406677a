/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_hwdesc.h - the hardware description the old kernel hands the new.
 *
 * The new kernel boots without probing hardware, so everything it must know
 * about the machine (its CPUs, memory, NUMA layout, the devices it will take
 * over, timer calibration, console) comes from the old kernel as a flattened
 * device tree, compatible "relief,hwdesc-v1". This is its host form; the
 * schema is in Documentation/relief/hwdesc.rst.
 *
 * relief_hwdesc_build() (old side) and relief_hwdesc_parse() (new side) both
 * run relief_hwdesc_check(), so the old kernel can never hand over a
 * description the new one would refuse.
 *
 * struct relief_hwdesc is about 16 KiB: keep it in static or allocated
 * memory, never on a kernel stack.
 */
#ifndef RELIEF_HWDESC_H
#define RELIEF_HWDESC_H

#include "relief_compat.h"
#include "relief_msg.h"

#define RELIEF_HWDESC_COMPATIBLE	"relief,hwdesc-v1"
#define RELIEF_HWDESC_SCHEMA_VERSION	1

/* Limits of the host form; a blob over any of them is refused. */
#define RELIEF_HWDESC_MAX_CPUS		512
#define RELIEF_HWDESC_MAX_MEM		64
#define RELIEF_HWDESC_MAX_NUMA		32
#define RELIEF_HWDESC_MAX_DEVICES	32
#define RELIEF_HWDESC_MAX_IOAPICS	32
#define RELIEF_HWDESC_NR_ISA_IRQS	16	/* ISA IRQs 0..15, x86 */
/* String sizes, each including the terminating NUL. */
#define RELIEF_HWDESC_NAME_LEN		32	/* device name */
#define RELIEF_HWDESC_COMPAT_LEN	64	/* device compatible/driver */
#define RELIEF_HWDESC_CONSOLE_LEN	16	/* console name, "ttyS1" */
/*
 * A buffer this big always holds the blob of any description that passes
 * relief_hwdesc_check(), at every limit and with every string at its
 * longest (tests/unit/test_hwdesc.c proves it).
 */
#define RELIEF_HWDESC_BLOB_MAX		(96 * 1024)

/* NUMA distances follow ACPI SLIT: 10 is local, 11..255 remote. */
#define RELIEF_HWDESC_DIST_LOCAL	10

enum relief_hwdesc_arch {
	RELIEF_HWDESC_ARCH_X86_64 = 1,	/* hw_id is the (x2)APIC ID */
	RELIEF_HWDESC_ARCH_ARM64 = 2,	/* hw_id is MPIDR_EL1 affinity */
};

/* arm64: the MPIDR_EL1 bits that name a CPU (Aff3, Aff2..Aff0). */
#define RELIEF_HWDESC_MPIDR_MASK	0xff00ffffffULL

/* Owners are enum relief_role: RELIEF_ROLE_OLD or RELIEF_ROLE_NEW. */

enum relief_hwdesc_mem_kind {
	RELIEF_HWDESC_MEM_RAM = 1,	/* ordinary RAM */
	RELIEF_HWDESC_MEM_RELIEF = 2,	/* part of the relief region */
	RELIEF_HWDESC_MEM_MAILBOX = 3,	/* the shared mailbox */
	RELIEF_HWDESC_MEM_RESERVED = 4,	/* firmware/reserved, not RAM */
};

enum relief_hwdesc_bus {
	RELIEF_HWDESC_BUS_PCI = 1,
	RELIEF_HWDESC_BUS_PLATFORM = 2,
};

/* Device flags. */
#define RELIEF_HWDESC_DEV_LIVE	(1U << 0)	/* handed over running, no reset */
#define RELIEF_HWDESC_DEV_RESET	(1U << 1)	/* new kernel resets it first */
#define RELIEF_HWDESC_DEV_DMA	(1U << 2)	/* does DMA: keep IOMMU state */
#define RELIEF_HWDESC_DEV_FLAGS	(RELIEF_HWDESC_DEV_LIVE | \
				 RELIEF_HWDESC_DEV_RESET | \
				 RELIEF_HWDESC_DEV_DMA)

/*
 * The element structs have no implicit padding (sizes asserted in
 * relief_hwdesc_check.c), so two descriptions built field by field from
 * zeroed memory compare equal with a plain byte compare.
 */
struct relief_hwdesc_cpu {
	uint64_t hw_id;
	uint32_t numa_node;		/* a NUMA node id, not an index */
	uint8_t owner;			/* enum relief_role */
	uint8_t boot;			/* 1: the old kernel's boot CPU */
	uint16_t pad;
};

struct relief_hwdesc_mem {
	uint64_t base;
	uint64_t size;			/* bytes, > 0 */
	uint32_t numa_node;
	uint8_t owner;			/* enum relief_role */
	uint8_t kind;			/* enum relief_hwdesc_mem_kind */
	uint16_t pad;
};

struct relief_hwdesc_device {
	char name[RELIEF_HWDESC_NAME_LEN];		/* non-empty, unique */
	char compatible[RELIEF_HWDESC_COMPAT_LEN];	/* may be empty */
	uint32_t bus;			/* enum relief_hwdesc_bus */
	uint32_t flags;			/* RELIEF_HWDESC_DEV_* */
	/* bus == PCI: segment:bus:dev.fn; all zero otherwise */
	uint16_t pci_segment;
	uint8_t pci_bus;
	uint8_t pci_devfn;		/* dev << 3 | fn, as in Linux */
	uint32_t pad;
	/* bus == PLATFORM: register window, both zero if none */
	uint64_t mmio_base;
	uint64_t mmio_size;
};

struct relief_hwdesc_timer {
	uint32_t tsc_khz;		/* x86: required; arm64: 0 */
	uint32_t lapic_timer_hz;	/* x86 LAPIC timer input clock, 0 unknown */
	uint32_t arch_timer_hz;		/* arm64 CNTFRQ_EL0: required; x86: 0 */
	uint32_t hz;			/* old kernel's HZ, lpj is per its jiffy */
	uint64_t loops_per_jiffy;	/* > 0 */
};

/*
 * The old kernel's clocks, read together with its counter (x86: the TSC)
 * when it described the machine, so the new kernel's clocks continue them:
 * its wall clock is realtime_ns plus the counter's advance since, and its
 * CLOCK_MONOTONIC starts where the old one is then. All zero: no clocks
 * (the new kernel's start at zero, as a cold boot without an RTC's).
 */
struct relief_hwdesc_clock {
	uint64_t stamp;			/* counter value; 0: no clocks */
	uint64_t realtime_ns;		/* CLOCK_REALTIME, since the epoch */
	uint64_t monotonic_ns;		/* CLOCK_MONOTONIC */
	uint64_t boottime_ns;		/* CLOCK_BOOTTIME, >= monotonic */
	int32_t tai_offset;		/* CLOCK_TAI - CLOCK_REALTIME, s */
	uint32_t pad;
};

/*
 * How the machine powers off, as the old kernel's ACPI found it (x86: S5
 * by the fixed hardware, without the interpreter): the PM1 control
 * registers and the sleep types \_S5 gives. All zero: not described (no
 * ACPI, or hardware-reduced ACPI).
 */
enum relief_hwdesc_space {
	RELIEF_HWDESC_SPACE_MEMORY = 0,	/* ACPI system memory */
	RELIEF_HWDESC_SPACE_IO = 1,	/* ACPI system I/O */
};

struct relief_hwdesc_acpi_s5 {
	uint64_t pm1a_cnt;		/* PM1a control register; 0: none */
	uint64_t pm1b_cnt;		/* PM1b, 0 if the machine has none */
	uint8_t space;			/* enum relief_hwdesc_space, both */
	uint8_t slp_typ_a;		/* \_S5's SLP_TYP for PM1a, 0..7 */
	uint8_t slp_typ_b;		/* and for PM1b */
	uint8_t pad[5];
};

/*
 * An x86 IOAPIC as the old kernel registered it (from the MADT or the MP
 * table). The new kernel leaves it alone while the old one runs and takes
 * it over once the old one stood relieved.
 */
struct relief_hwdesc_ioapic {
	uint64_t address;		/* register window; != 0, below 4 GiB */
	uint32_t id;			/* IOAPIC id, 0..255 */
	uint32_t gsi_base;		/* GSI of its pin 0 */
	uint32_t nr_pins;		/* redirection entries, 1..256 */
	uint32_t pad;
};

/*
 * Where an ISA IRQ arrives (x86), the MADT's interrupt source overrides
 * applied: GSI, trigger and polarity. flags 0: the IRQ is not routed.
 */
#define RELIEF_HWDESC_IRQ_ROUTED	0x1
#define RELIEF_HWDESC_IRQ_LEVEL		0x2	/* else edge */
#define RELIEF_HWDESC_IRQ_ACTIVE_LOW	0x4	/* else active high */
#define RELIEF_HWDESC_IRQ_FLAGS		0x7

struct relief_hwdesc_isa_irq {
	uint32_t gsi;			/* 0 unless routed */
	uint32_t flags;			/* RELIEF_HWDESC_IRQ_* */
};

struct relief_hwdesc_console {
	char name[RELIEF_HWDESC_CONSOLE_LEN];	/* "ttyS1", non-empty */
	uint32_t baud;			/* > 0 */
	uint32_t io_port;		/* x86 port I/O UART, 0 if none */
	uint64_t mmio_base;		/* MMIO UART, 0 if none */
};

struct relief_hwdesc {
	uint32_t arch;			/* enum relief_hwdesc_arch */
	uint32_t nr_cpus;
	uint32_t nr_mem;
	uint32_t nr_numa;
	uint32_t nr_devices;
	uint32_t pad;
	uint64_t acpi_rsdp;		/* physical address, 0 if none */
	uint64_t mailbox_base;
	uint64_t mailbox_size;		/* > 0 */
	uint64_t relief_base;
	uint64_t relief_size;		/* > 0 */
	struct relief_hwdesc_timer timer;
	struct relief_hwdesc_clock clock;
	struct relief_hwdesc_acpi_s5 acpi_s5;
	struct relief_hwdesc_console console;
	uint32_t nr_ioapics;		/* x86; 0: none described */
	uint32_t pad_ioapics;
	struct relief_hwdesc_ioapic ioapics[RELIEF_HWDESC_MAX_IOAPICS];
	/* x86, meaningful only with nr_ioapics > 0; all zero otherwise */
	struct relief_hwdesc_isa_irq isa_irqs[RELIEF_HWDESC_NR_ISA_IRQS];
	char old_release[RELIEF_RELEASE_LEN];	/* non-empty */
	char pad_release[72 - RELIEF_RELEASE_LEN];
	struct relief_hwdesc_cpu cpus[RELIEF_HWDESC_MAX_CPUS];
	struct relief_hwdesc_mem mem[RELIEF_HWDESC_MAX_MEM];
	uint32_t numa_ids[RELIEF_HWDESC_MAX_NUMA];	/* unique */
	/* distance[i][j]: from numa_ids[i] to numa_ids[j] */
	uint8_t distance[RELIEF_HWDESC_MAX_NUMA][RELIEF_HWDESC_MAX_NUMA];
	struct relief_hwdesc_device devices[RELIEF_HWDESC_MAX_DEVICES];
};

/* Stable numbers; relief_hwdesc_err_name() gives each one a name. */
enum relief_hwdesc_err {
	RELIEF_HWDESC_OK = 0,
	RELIEF_HWDESC_ERR_INVAL = 1,		/* NULL argument */
	RELIEF_HWDESC_ERR_NO_SPACE = 2,		/* build: buffer too small */
	RELIEF_HWDESC_ERR_BAD_BLOB = 3,		/* not a sound FDT of that size */
	RELIEF_HWDESC_ERR_COMPATIBLE = 4,	/* root not relief,hwdesc-v1 */
	RELIEF_HWDESC_ERR_VERSION = 5,		/* schema-version not ours */
	RELIEF_HWDESC_ERR_MISSING = 6,		/* required node/property */
	RELIEF_HWDESC_ERR_BAD_LEN = 7,		/* property of the wrong size */
	RELIEF_HWDESC_ERR_BAD_VALUE = 8,	/* value out of its domain */
	RELIEF_HWDESC_ERR_TOO_MANY = 9,		/* over a RELIEF_HWDESC_MAX_* */
	/* Inconsistencies between otherwise well-formed parts. */
	RELIEF_HWDESC_ERR_NUMA_IDS = 10,	/* none, or an id twice */
	RELIEF_HWDESC_ERR_NUMA_REF = 11,	/* CPU/memory on unlisted node */
	RELIEF_HWDESC_ERR_DISTANCE = 12,	/* matrix not n*n or not SLIT */
	RELIEF_HWDESC_ERR_DUP_CPU = 13,		/* a hardware id twice */
	RELIEF_HWDESC_ERR_BOOT_CPU = 14,	/* not exactly one boot CPU */
	RELIEF_HWDESC_ERR_NO_CPU = 15,		/* old or new owns no CPU */
	RELIEF_HWDESC_ERR_NO_MEM = 16,		/* new owns no RAM/relief memory */
	RELIEF_HWDESC_ERR_MEM_OVERLAP = 17,	/* two memory ranges overlap */
	RELIEF_HWDESC_ERR_REGION = 18,		/* mailbox/relief region misplaced */
	RELIEF_HWDESC_ERR_DUP_DEVICE = 19,	/* a device name/address twice */
	/*
	 * two IOAPICs share an address, id or GSI, or an ISA IRQ goes to
	 * none
	 */
	RELIEF_HWDESC_ERR_IOAPIC = 20,
	RELIEF_HWDESC_ERR_COUNT
};

const char *relief_hwdesc_err_name(int err);

int relief_hwdesc_check(const struct relief_hwdesc *h);
int relief_hwdesc_build(const struct relief_hwdesc *h, void *buf,
			size_t bufsize, size_t *out_len);
int relief_hwdesc_parse(const void *blob, size_t len,
			struct relief_hwdesc *out);

uint32_t relief_hwdesc_count_cpus(const struct relief_hwdesc *h,
				  uint32_t owner);
const struct relief_hwdesc_cpu *
relief_hwdesc_find_cpu(const struct relief_hwdesc *h, uint64_t hw_id);
uint64_t relief_hwdesc_mem_bytes(const struct relief_hwdesc *h,
				 uint32_t owner, uint32_t kind);
uint32_t relief_hwdesc_crc(const void *blob, size_t len);

#endif /* RELIEF_HWDESC_H */
