// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_hwdesc_check.c - the rules a hardware description must obey, and
 * queries on one. No FDT here: this is the host form only, shared by the
 * builder (old side, refuses to emit) and the parser (new side, refuses to
 * accept), so both apply exactly the same rules.
 */
#include "relief_hwdesc.h"

RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_cpu) == 16,
		     "relief_hwdesc_cpu has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_mem) == 24,
		     "relief_hwdesc_mem has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_device) ==
		     RELIEF_HWDESC_NAME_LEN + RELIEF_HWDESC_COMPAT_LEN + 32,
		     "relief_hwdesc_device has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_timer) == 24,
		     "relief_hwdesc_timer has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_clock) == 40,
		     "relief_hwdesc_clock has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_acpi_s5) == 24,
		     "relief_hwdesc_acpi_s5 has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_ioapic) == 24,
		     "relief_hwdesc_ioapic has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_isa_irq) == 8,
		     "relief_hwdesc_isa_irq has implicit padding");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc_console) ==
		     RELIEF_HWDESC_CONSOLE_LEN + 16,
		     "relief_hwdesc_console has implicit padding");
RELIEF_STATIC_ASSERT(RELIEF_RELEASE_LEN <= 72,
		     "old_release no longer fits its padded slot");
RELIEF_STATIC_ASSERT(sizeof(struct relief_hwdesc) ==
		     64 + 24 + 40 + 24 + RELIEF_HWDESC_CONSOLE_LEN + 16 +
		     8 + 24 * RELIEF_HWDESC_MAX_IOAPICS +
		     8 * RELIEF_HWDESC_NR_ISA_IRQS + 72 +
		     16 * RELIEF_HWDESC_MAX_CPUS + 24 * RELIEF_HWDESC_MAX_MEM +
		     4 * RELIEF_HWDESC_MAX_NUMA +
		     RELIEF_HWDESC_MAX_NUMA * RELIEF_HWDESC_MAX_NUMA +
		     sizeof(struct relief_hwdesc_device) *
		     RELIEF_HWDESC_MAX_DEVICES,
		     "relief_hwdesc has implicit padding");

static const char *const relief_hwdesc_err_names[RELIEF_HWDESC_ERR_COUNT] = {
	[RELIEF_HWDESC_OK] = "ok",
	[RELIEF_HWDESC_ERR_INVAL] = "invalid argument",
	[RELIEF_HWDESC_ERR_NO_SPACE] = "buffer too small",
	[RELIEF_HWDESC_ERR_BAD_BLOB] = "bad blob",
	[RELIEF_HWDESC_ERR_COMPATIBLE] = "wrong compatible",
	[RELIEF_HWDESC_ERR_VERSION] = "wrong schema version",
	[RELIEF_HWDESC_ERR_MISSING] = "missing required node or property",
	[RELIEF_HWDESC_ERR_BAD_LEN] = "bad property length",
	[RELIEF_HWDESC_ERR_BAD_VALUE] = "bad property value",
	[RELIEF_HWDESC_ERR_TOO_MANY] = "count over a limit",
	[RELIEF_HWDESC_ERR_NUMA_IDS] = "no NUMA node or a NUMA id twice",
	[RELIEF_HWDESC_ERR_NUMA_REF] = "CPU or memory on an unlisted NUMA node",
	[RELIEF_HWDESC_ERR_DISTANCE] = "bad NUMA distance matrix",
	[RELIEF_HWDESC_ERR_DUP_CPU] = "CPU hardware id twice",
	[RELIEF_HWDESC_ERR_BOOT_CPU] = "not exactly one boot CPU",
	[RELIEF_HWDESC_ERR_NO_CPU] = "old or new kernel owns no CPU",
	[RELIEF_HWDESC_ERR_NO_MEM] = "new kernel owns no memory",
	[RELIEF_HWDESC_ERR_MEM_OVERLAP] = "memory ranges overlap",
	[RELIEF_HWDESC_ERR_REGION] = "mailbox or relief region misplaced",
	[RELIEF_HWDESC_ERR_DUP_DEVICE] = "device name or address twice",
	[RELIEF_HWDESC_ERR_IOAPIC] = "IOAPICs overlap or an ISA IRQ goes to none",
};

/**
 * relief_hwdesc_err_name() - a short name for an enum relief_hwdesc_err.
 * @err: the error code.
 *
 * Return: a static string; "unknown" for values outside the enum.
 */
const char *relief_hwdesc_err_name(int err)
{
	if (err < 0 || err >= RELIEF_HWDESC_ERR_COUNT)
		return "unknown";
	return relief_hwdesc_err_names[err];
}

/* Length of @s without its NUL, or @cap if it has none within @cap. */
static size_t hw_strnlen(const char *s, size_t cap)
{
	size_t n = 0;

	while (n < cap && s[n])
		n++;
	return n;
}

static bool hw_streq(const char *a, const char *b, size_t cap)
{
	size_t i = 0;

	while (i < cap && a[i] == b[i] && a[i])
		i++;
	return i == cap || a[i] == b[i];
}

/* A string field must be terminated within its array, and maybe non-empty. */
static bool hw_str_ok(const char *s, size_t cap, bool nonempty)
{
	size_t n = hw_strnlen(s, cap);

	return n < cap && (n > 0 || !nonempty);
}

/* [base, base + size) is non-empty and does not wrap past 2^64. */
static bool hw_range_ok(uint64_t base, uint64_t size)
{
	return size && size - 1 <= UINT64_MAX - base;
}

/* [ib, ib + is) lies inside [ob, ob + os); both already range_ok. */
static bool hw_range_within(uint64_t ib, uint64_t is, uint64_t ob,
			    uint64_t os)
{
	return ib >= ob && ib - ob <= os && is <= os - (ib - ob);
}

static bool hw_owner_ok(uint32_t owner)
{
	return owner == RELIEF_ROLE_OLD || owner == RELIEF_ROLE_NEW;
}

static bool hw_numa_listed(const struct relief_hwdesc *h, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < h->nr_numa; i++)
		if (h->numa_ids[i] == id)
			return true;
	return false;
}

/* No clocks at all, or a stamp and a wall clock, boot time >= monotonic. */
static int hw_check_clock(const struct relief_hwdesc_clock *k)
{
	if (k->pad)
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (!k->stamp)
		return k->realtime_ns || k->monotonic_ns || k->boottime_ns ||
		       k->tai_offset ? RELIEF_HWDESC_ERR_BAD_VALUE :
		       RELIEF_HWDESC_OK;
	if (!k->realtime_ns || k->boottime_ns < k->monotonic_ns)
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	return RELIEF_HWDESC_OK;
}

/*
 * No power-off description at all, or a PM1a register, an address space
 * and 3-bit sleep types; a PM1b type only with a PM1b register; an I/O
 * register within the 16-bit port space.
 */
static int hw_check_acpi_s5(const struct relief_hwdesc_acpi_s5 *p)
{
	if (!relief_all_zero(p->pad, sizeof(p->pad)))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (!p->pm1a_cnt)
		return p->pm1b_cnt || p->space || p->slp_typ_a ||
		       p->slp_typ_b ? RELIEF_HWDESC_ERR_BAD_VALUE :
		       RELIEF_HWDESC_OK;
	if (p->space > RELIEF_HWDESC_SPACE_IO || p->slp_typ_a > 7 ||
	    p->slp_typ_b > 7 || (!p->pm1b_cnt && p->slp_typ_b))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (p->space == RELIEF_HWDESC_SPACE_IO &&
	    (p->pm1a_cnt > 0xffff || p->pm1b_cnt > 0xffff))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	return RELIEF_HWDESC_OK;
}

static int hw_check_global(const struct relief_hwdesc *h)
{
	const struct relief_hwdesc_timer *t = &h->timer;
	const struct relief_hwdesc_console *c = &h->console;

	if (h->pad || t->loops_per_jiffy == 0 || t->hz == 0)
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (h->arch == RELIEF_HWDESC_ARCH_X86_64) {
		if (t->tsc_khz == 0)
			return RELIEF_HWDESC_ERR_BAD_VALUE;
	} else if (h->arch == RELIEF_HWDESC_ARCH_ARM64) {
		if (t->arch_timer_hz == 0 || h->nr_ioapics)
			return RELIEF_HWDESC_ERR_BAD_VALUE;
	} else {
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	}
	if (!hw_str_ok(h->old_release, RELIEF_RELEASE_LEN, true) ||
	    !hw_range_ok(h->mailbox_base, h->mailbox_size) ||
	    !hw_range_ok(h->relief_base, h->relief_size))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (!hw_str_ok(c->name, RELIEF_HWDESC_CONSOLE_LEN, true) ||
	    c->baud == 0 || c->io_port > 0xffff ||
	    (c->io_port && c->mmio_base))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	if (hw_check_acpi_s5(&h->acpi_s5))
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	return hw_check_clock(&h->clock);
}

/* SLIT: exactly the diagonal is local, and nothing is nearer than local. */
static bool hw_distance_ok(bool diagonal, uint8_t d)
{
	bool local = d == RELIEF_HWDESC_DIST_LOCAL;

	return local == diagonal && d >= RELIEF_HWDESC_DIST_LOCAL;
}

static int hw_check_numa(const struct relief_hwdesc *h)
{
	uint32_t i, j;

	if (h->nr_numa == 0)
		return RELIEF_HWDESC_ERR_NUMA_IDS;
	for (i = 0; i < h->nr_numa; i++)
		for (j = i + 1; j < h->nr_numa; j++)
			if (h->numa_ids[i] == h->numa_ids[j])
				return RELIEF_HWDESC_ERR_NUMA_IDS;
	for (i = 0; i < h->nr_numa; i++)
		for (j = 0; j < h->nr_numa; j++)
			if (!hw_distance_ok(i == j, h->distance[i][j]))
				return RELIEF_HWDESC_ERR_DISTANCE;
	return RELIEF_HWDESC_OK;
}

static bool hw_cpu_id_ok(const struct relief_hwdesc *h, uint64_t hw_id)
{
	if (h->arch == RELIEF_HWDESC_ARCH_X86_64)
		return hw_id <= UINT32_MAX;
	return (hw_id & ~RELIEF_HWDESC_MPIDR_MASK) == 0;
}

static int hw_check_cpus(const struct relief_hwdesc *h)
{
	uint32_t i, j, boot = 0;

	for (i = 0; i < h->nr_cpus; i++) {
		const struct relief_hwdesc_cpu *c = &h->cpus[i];

		if (!hw_owner_ok(c->owner) || c->boot > 1 || c->pad ||
		    !hw_cpu_id_ok(h, c->hw_id))
			return RELIEF_HWDESC_ERR_BAD_VALUE;
		if (!hw_numa_listed(h, c->numa_node))
			return RELIEF_HWDESC_ERR_NUMA_REF;
		boot += c->boot;
	}
	/* 512^2 / 2 compares: cheap next to bringing a CPU up. */
	for (i = 0; i < h->nr_cpus; i++)
		for (j = i + 1; j < h->nr_cpus; j++)
			if (h->cpus[i].hw_id == h->cpus[j].hw_id)
				return RELIEF_HWDESC_ERR_DUP_CPU;
	if (boot != 1)
		return RELIEF_HWDESC_ERR_BOOT_CPU;
	if (!relief_hwdesc_count_cpus(h, RELIEF_ROLE_OLD) ||
	    !relief_hwdesc_count_cpus(h, RELIEF_ROLE_NEW))
		return RELIEF_HWDESC_ERR_NO_CPU;
	return RELIEF_HWDESC_OK;
}

static bool hw_mem_overlap(const struct relief_hwdesc_mem *a,
			   const struct relief_hwdesc_mem *b)
{
	/* Both ranges are range_ok, so base + size - 1 cannot wrap. */
	return a->base <= b->base + (b->size - 1) &&
	       b->base <= a->base + (a->size - 1);
}

static int hw_check_mem(const struct relief_hwdesc *h)
{
	uint32_t i, j;
	bool mailbox_found = false;

	for (i = 0; i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if (!hw_range_ok(m->base, m->size) || !hw_owner_ok(m->owner) ||
		    m->kind < RELIEF_HWDESC_MEM_RAM ||
		    m->kind > RELIEF_HWDESC_MEM_RESERVED || m->pad)
			return RELIEF_HWDESC_ERR_BAD_VALUE;
		if (!hw_numa_listed(h, m->numa_node))
			return RELIEF_HWDESC_ERR_NUMA_REF;
	}
	for (i = 0; i < h->nr_mem; i++)
		for (j = i + 1; j < h->nr_mem; j++)
			if (hw_mem_overlap(&h->mem[i], &h->mem[j]))
				return RELIEF_HWDESC_ERR_MEM_OVERLAP;
	if (!relief_hwdesc_mem_bytes(h, RELIEF_ROLE_NEW,
				     RELIEF_HWDESC_MEM_RAM) &&
	    !relief_hwdesc_mem_bytes(h, RELIEF_ROLE_NEW,
				     RELIEF_HWDESC_MEM_RELIEF))
		return RELIEF_HWDESC_ERR_NO_MEM;
	/*
	 * The mailbox lies in a mailbox range; relief ranges lie in the relief
	 * region. The mailbox may or may not be inside the relief region.
	 */
	for (i = 0; i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if (m->kind == RELIEF_HWDESC_MEM_MAILBOX &&
		    hw_range_within(h->mailbox_base, h->mailbox_size,
				    m->base, m->size))
			mailbox_found = true;
		if (m->kind == RELIEF_HWDESC_MEM_RELIEF &&
		    !hw_range_within(m->base, m->size, h->relief_base,
				     h->relief_size))
			return RELIEF_HWDESC_ERR_REGION;
	}
	return mailbox_found ? RELIEF_HWDESC_OK : RELIEF_HWDESC_ERR_REGION;
}

static bool hw_device_ok(const struct relief_hwdesc_device *d)
{
	if (!hw_str_ok(d->name, RELIEF_HWDESC_NAME_LEN, true) ||
	    !hw_str_ok(d->compatible, RELIEF_HWDESC_COMPAT_LEN, false) ||
	    (d->flags & ~RELIEF_HWDESC_DEV_FLAGS) || d->pad)
		return false;
	/* Running on and being reset are contradictory instructions. */
	if ((d->flags & RELIEF_HWDESC_DEV_LIVE) &&
	    (d->flags & RELIEF_HWDESC_DEV_RESET))
		return false;
	if (d->bus == RELIEF_HWDESC_BUS_PCI)
		return d->mmio_base == 0 && d->mmio_size == 0;
	if (d->bus != RELIEF_HWDESC_BUS_PLATFORM ||
	    d->pci_segment || d->pci_bus || d->pci_devfn)
		return false;
	if (d->mmio_size == 0)
		return d->mmio_base == 0;
	return hw_range_ok(d->mmio_base, d->mmio_size);
}

static bool hw_same_device(const struct relief_hwdesc_device *a,
			   const struct relief_hwdesc_device *b)
{
	if (hw_streq(a->name, b->name, RELIEF_HWDESC_NAME_LEN))
		return true;
	return a->bus == RELIEF_HWDESC_BUS_PCI &&
	       b->bus == RELIEF_HWDESC_BUS_PCI &&
	       a->pci_segment == b->pci_segment && a->pci_bus == b->pci_bus &&
	       a->pci_devfn == b->pci_devfn;
}

static int hw_check_devices(const struct relief_hwdesc *h)
{
	uint32_t i, j;

	for (i = 0; i < h->nr_devices; i++)
		if (!hw_device_ok(&h->devices[i]))
			return RELIEF_HWDESC_ERR_BAD_VALUE;
	for (i = 0; i < h->nr_devices; i++)
		for (j = i + 1; j < h->nr_devices; j++)
			if (hw_same_device(&h->devices[i], &h->devices[j]))
				return RELIEF_HWDESC_ERR_DUP_DEVICE;
	return RELIEF_HWDESC_OK;
}

/*
 * Registers below 4 GiB, an 8-bit id, 1..256 pins whose GSIs stay within
 * 32 bits.
 */
static bool hw_ioapic_ok(const struct relief_hwdesc_ioapic *a)
{
	return a->address && a->address <= UINT32_MAX && a->id <= 0xff &&
	       a->nr_pins >= 1 && a->nr_pins <= 256 && !a->pad &&
	       a->nr_pins - 1 <= UINT32_MAX - a->gsi_base;
}

/* Two IOAPICs at one address, with one id, or sharing a GSI. */
static bool hw_ioapic_clash(const struct relief_hwdesc_ioapic *a,
			    const struct relief_hwdesc_ioapic *b)
{
	/* Both ioapic_ok: base + nr_pins fits in 64 bits. */
	uint64_t a_end = (uint64_t)a->gsi_base + a->nr_pins;
	uint64_t b_end = (uint64_t)b->gsi_base + b->nr_pins;

	return a->address == b->address || a->id == b->id ||
	       (a->gsi_base < b_end && b->gsi_base < a_end);
}

/* Is @gsi one of the pins of a described IOAPIC? */
static bool hw_gsi_listed(const struct relief_hwdesc *h, uint32_t gsi)
{
	uint32_t i;

	for (i = 0; i < h->nr_ioapics && i < RELIEF_HWDESC_MAX_IOAPICS; i++) {
		const struct relief_hwdesc_ioapic *a = &h->ioapics[i];

		if (gsi >= a->gsi_base && gsi - a->gsi_base < a->nr_pins)
			return true;
	}
	return false;
}

/*
 * Unrouted: all zero. Routed: ROUTED and known flags only, and only when
 * there are IOAPICs (without, every entry is zero).
 */
static bool hw_isa_irq_ok(const struct relief_hwdesc *h,
			  const struct relief_hwdesc_isa_irq *q)
{
	if (!q->flags)
		return q->gsi == 0;
	return h->nr_ioapics && (q->flags & RELIEF_HWDESC_IRQ_ROUTED) &&
	       !(q->flags & ~RELIEF_HWDESC_IRQ_FLAGS);
}

/*
 * IOAPICs and the ISA IRQs routed to them: each well-formed, the unused
 * slots zero; then no two IOAPICs share an address, an id or a GSI, and
 * every routed ISA IRQ arrives at a pin of one.
 */
static int hw_check_ioapics(const struct relief_hwdesc *h)
{
	uint32_t i, j;

	if (h->pad_ioapics)
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	for (i = 0; i < RELIEF_HWDESC_MAX_IOAPICS; i++) {
		const struct relief_hwdesc_ioapic *a = &h->ioapics[i];

		if (i < h->nr_ioapics ? !hw_ioapic_ok(a) :
					!relief_all_zero(a, sizeof(*a)))
			return RELIEF_HWDESC_ERR_BAD_VALUE;
	}
	for (i = 0; i < RELIEF_HWDESC_NR_ISA_IRQS; i++)
		if (!hw_isa_irq_ok(h, &h->isa_irqs[i]))
			return RELIEF_HWDESC_ERR_BAD_VALUE;
	for (i = 0; i < h->nr_ioapics; i++)
		for (j = i + 1; j < h->nr_ioapics; j++)
			if (hw_ioapic_clash(&h->ioapics[i], &h->ioapics[j]))
				return RELIEF_HWDESC_ERR_IOAPIC;
	for (i = 0; i < RELIEF_HWDESC_NR_ISA_IRQS; i++)
		if (h->isa_irqs[i].flags &&
		    !hw_gsi_listed(h, h->isa_irqs[i].gsi))
			return RELIEF_HWDESC_ERR_IOAPIC;
	return RELIEF_HWDESC_OK;
}

/**
 * relief_hwdesc_check() - does a description obey every rule of the schema?
 * @h: the description.
 *
 * Called by relief_hwdesc_build() before emitting and by
 * relief_hwdesc_parse() after decoding; the rules are listed in
 * Documentation/relief/hwdesc.rst.
 *
 * Return: RELIEF_HWDESC_OK or the first enum relief_hwdesc_err found.
 */
int relief_hwdesc_check(const struct relief_hwdesc *h)
{
	int err;

	if (!h)
		return RELIEF_HWDESC_ERR_INVAL;
	if (h->nr_cpus > RELIEF_HWDESC_MAX_CPUS ||
	    h->nr_mem > RELIEF_HWDESC_MAX_MEM ||
	    h->nr_numa > RELIEF_HWDESC_MAX_NUMA ||
	    h->nr_devices > RELIEF_HWDESC_MAX_DEVICES ||
	    h->nr_ioapics > RELIEF_HWDESC_MAX_IOAPICS)
		return RELIEF_HWDESC_ERR_TOO_MANY;
	err = hw_check_global(h);
	if (!err)
		err = hw_check_numa(h);
	if (!err)
		err = hw_check_cpus(h);
	if (!err)
		err = hw_check_mem(h);
	if (!err)
		err = hw_check_devices(h);
	if (!err)
		err = hw_check_ioapics(h);
	return err;
}

/**
 * relief_hwdesc_count_cpus() - how many CPUs an owner has.
 * @h: the description.
 * @owner: RELIEF_ROLE_OLD, RELIEF_ROLE_NEW, or 0 for all CPUs.
 *
 * Return: the number of CPUs, 0 if @h is NULL.
 */
uint32_t relief_hwdesc_count_cpus(const struct relief_hwdesc *h,
				  uint32_t owner)
{
	uint32_t i, n = 0;

	if (!h)
		return 0;
	for (i = 0; i < h->nr_cpus && i < RELIEF_HWDESC_MAX_CPUS; i++)
		if (!owner || h->cpus[i].owner == owner)
			n++;
	return n;
}

/**
 * relief_hwdesc_find_cpu() - look a CPU up by its hardware id.
 * @h: the description.
 * @hw_id: APIC ID (x86) or MPIDR affinity (arm64).
 *
 * Return: the CPU, or NULL if @h is NULL or has no such CPU.
 */
const struct relief_hwdesc_cpu *
relief_hwdesc_find_cpu(const struct relief_hwdesc *h, uint64_t hw_id)
{
	uint32_t i;

	if (!h)
		return NULL;
	for (i = 0; i < h->nr_cpus && i < RELIEF_HWDESC_MAX_CPUS; i++)
		if (h->cpus[i].hw_id == hw_id)
			return &h->cpus[i];
	return NULL;
}

/**
 * relief_hwdesc_mem_bytes() - total size of an owner's memory ranges.
 * @h: the description.
 * @owner: RELIEF_ROLE_OLD, RELIEF_ROLE_NEW, or 0 for any owner.
 * @kind: an enum relief_hwdesc_mem_kind, or 0 for any kind.
 *
 * Return: the sum of the sizes, saturated at UINT64_MAX; 0 if @h is NULL.
 */
uint64_t relief_hwdesc_mem_bytes(const struct relief_hwdesc *h,
				 uint32_t owner, uint32_t kind)
{
	uint64_t sum = 0;
	uint32_t i;

	if (!h)
		return 0;
	for (i = 0; i < h->nr_mem && i < RELIEF_HWDESC_MAX_MEM; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		if ((owner && m->owner != owner) || (kind && m->kind != kind))
			continue;
		sum = m->size > UINT64_MAX - sum ? UINT64_MAX : sum + m->size;
	}
	return sum;
}
