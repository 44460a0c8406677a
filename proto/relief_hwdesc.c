// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_hwdesc.c - the hardware description as a flattened device tree.
 *
 * The old kernel builds the blob with libfdt's sequential-write calls; the
 * new kernel reads it with libfdt's read-only calls after fdt_check_header()
 * and a size check, which is what makes those calls bounds-safe on arbitrary
 * bytes. Only functions that Linux 6.12 builds into lib/ (fdt.c, fdt_ro.c,
 * fdt_sw.c) are used: notably not fdt_check_full(), which lives in
 * fdt_check.c, a file the kernel does not carry.
 *
 * Cells are big-endian as in every FDT; a 64-bit value is two cells, most
 * significant first (dtc's "/bits/ 64"). Values are decoded byte by byte,
 * so property alignment never matters.
 */
#include "relief_hwdesc.h"
#include "relief_crc32c.h"

#ifdef __KERNEL__
#include <linux/libfdt.h>
#else
#include <libfdt.h>
#endif

/* Property and node names; the schema is Documentation/relief/hwdesc.rst. */
#define P_COMPATIBLE	"compatible"
#define P_VERSION	"schema-version"
#define P_ARCH		"arch"
#define P_RELEASE	"old-release"
#define P_RSDP		"acpi-rsdp"
#define P_MAILBOX	"mailbox"
#define P_RELIEF	"relief-region"
#define P_NUMA_NODE	"numa-node"
#define P_OWNER		"owner"
#define P_REG		"reg"

static const char *const hw_arch_names[] = {
	[RELIEF_HWDESC_ARCH_X86_64] = "x86_64",
	[RELIEF_HWDESC_ARCH_ARM64] = "arm64",
};

static const char *const hw_owner_names[] = {
	[RELIEF_ROLE_OLD] = "old",
	[RELIEF_ROLE_NEW] = "new",
};

static const char *const hw_kind_names[] = {
	[RELIEF_HWDESC_MEM_RAM] = "ram",
	[RELIEF_HWDESC_MEM_RELIEF] = "relief",
	[RELIEF_HWDESC_MEM_MAILBOX] = "mailbox",
	[RELIEF_HWDESC_MEM_RESERVED] = "reserved",
};

static const char *const hw_bus_names[] = {
	[RELIEF_HWDESC_BUS_PCI] = "pci",
	[RELIEF_HWDESC_BUS_PLATFORM] = "platform",
};

#define HW_NR(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static size_t hw_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void hw_zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

static void hw_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void hw_put_be64(uint8_t *p, uint64_t v)
{
	hw_put_be32(p, v >> 32);
	hw_put_be32(p + 4, (uint32_t)v);
}

static uint32_t hw_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t hw_get_be64(const uint8_t *p)
{
	return (uint64_t)hw_get_be32(p) << 32 | hw_get_be32(p + 4);
}

/* ------------------------------------------------------------------ */
/* Build (old side).                                                   */

/* fdt_* errors while building: only NOSPACE is the caller's doing. */
static int hw_build_err(int fdt_err)
{
	return fdt_err == -FDT_ERR_NOSPACE ? RELIEF_HWDESC_ERR_NO_SPACE :
					     RELIEF_HWDESC_ERR_INVAL;
}

/* Room for the longest node name: a prefix, '@' and 16 hex digits. */
#define HW_NAME_LEN	32

/*
 * Node names: "<prefix>@<hex>" for nodes with a reg (a unit address), or
 * "<prefix>-<decimal>" for an index. List elements' names are not
 * interpreted by the parser; they only make dtc output readable and
 * warning-free. The root's ioapic-<index> nodes are found by name.
 */
static void hw_node_name(char *name, const char *prefix, bool index,
			 uint64_t unit)
{
	char digits[20];
	uint32_t base = index ? 10 : 16;
	size_t n = 0, i;
	int nd = 0;

	for (i = 0; prefix[i]; i++)
		name[n++] = prefix[i];
	name[n++] = index ? '-' : '@';
	do {
		digits[nd++] = "0123456789abcdef"[unit % base];
		unit /= base;
	} while (unit);
	while (nd)
		name[n++] = digits[--nd];
	name[n] = 0;
}

static int hw_begin_node(void *fdt, const char *prefix, bool index,
			 uint64_t unit)
{
	char name[HW_NAME_LEN];

	hw_node_name(name, prefix, index, unit);
	return fdt_begin_node(fdt, name);
}

static int hw_put_str(void *fdt, const char *name, const char *s)
{
	return fdt_property(fdt, name, s, (int)hw_len(s) + 1);
}

static int hw_put_u32(void *fdt, const char *name, uint32_t v)
{
	uint8_t b[4];

	hw_put_be32(b, v);
	return fdt_property(fdt, name, b, sizeof(b));
}

static int hw_put_u64(void *fdt, const char *name, uint64_t v)
{
	uint8_t b[8];

	hw_put_be64(b, v);
	return fdt_property(fdt, name, b, sizeof(b));
}

/* <base size>, each 64-bit. */
static int hw_put_range(void *fdt, const char *name, uint64_t base,
			uint64_t size)
{
	uint8_t b[16];

	hw_put_be64(b, base);
	hw_put_be64(b + 8, size);
	return fdt_property(fdt, name, b, sizeof(b));
}

static int hw_build_root_props(void *fdt, const struct relief_hwdesc *h)
{
	int err;

	err = hw_put_str(fdt, P_COMPATIBLE, RELIEF_HWDESC_COMPATIBLE);
	if (!err)
		err = hw_put_u32(fdt, P_VERSION, RELIEF_HWDESC_SCHEMA_VERSION);
	if (!err)
		err = hw_put_str(fdt, P_ARCH, hw_arch_names[h->arch]);
	if (!err)
		err = hw_put_str(fdt, P_RELEASE, h->old_release);
	if (!err && h->acpi_rsdp)
		err = hw_put_u64(fdt, P_RSDP, h->acpi_rsdp);
	if (!err)
		err = hw_put_range(fdt, P_MAILBOX, h->mailbox_base,
				   h->mailbox_size);
	if (!err)
		err = hw_put_range(fdt, P_RELIEF, h->relief_base,
				   h->relief_size);
	return err;
}

static int hw_build_timer(void *fdt, const struct relief_hwdesc_timer *t)
{
	int err;

	err = fdt_begin_node(fdt, "timer");
	if (!err && t->tsc_khz)
		err = hw_put_u32(fdt, "tsc-khz", t->tsc_khz);
	if (!err && t->lapic_timer_hz)
		err = hw_put_u32(fdt, "lapic-timer-hz", t->lapic_timer_hz);
	if (!err && t->arch_timer_hz)
		err = hw_put_u32(fdt, "arch-timer-hz", t->arch_timer_hz);
	if (!err)
		err = hw_put_u32(fdt, "hz", t->hz);
	if (!err)
		err = hw_put_u64(fdt, "loops-per-jiffy", t->loops_per_jiffy);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

/* Only when there are clocks: an absent /clock means none. */
static int hw_build_clock(void *fdt, const struct relief_hwdesc_clock *k)
{
	int err;

	if (!k->stamp)
		return 0;
	err = fdt_begin_node(fdt, "clock");
	if (!err)
		err = hw_put_u64(fdt, "stamp", k->stamp);
	if (!err)
		err = hw_put_u64(fdt, "realtime-ns", k->realtime_ns);
	if (!err)
		err = hw_put_u64(fdt, "monotonic-ns", k->monotonic_ns);
	if (!err)
		err = hw_put_u64(fdt, "boottime-ns", k->boottime_ns);
	if (!err)
		err = hw_put_u32(fdt, "tai-offset", (uint32_t)k->tai_offset);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

/* Only when described: an absent /acpi-s5 means no way to power off. */
static int hw_build_acpi_s5(void *fdt, const struct relief_hwdesc_acpi_s5 *p)
{
	int err;

	if (!p->pm1a_cnt)
		return 0;
	err = fdt_begin_node(fdt, "acpi-s5");
	if (!err)
		err = hw_put_u64(fdt, "pm1a-cnt", p->pm1a_cnt);
	if (!err && p->pm1b_cnt)
		err = hw_put_u64(fdt, "pm1b-cnt", p->pm1b_cnt);
	if (!err)
		err = hw_put_u32(fdt, "space", p->space);
	if (!err)
		err = hw_put_u32(fdt, "slp-typ-a", p->slp_typ_a);
	if (!err && p->pm1b_cnt)
		err = hw_put_u32(fdt, "slp-typ-b", p->slp_typ_b);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

/* One root node per IOAPIC, ioapic-<index>: none without IOAPICs. */
static int hw_build_ioapic(void *fdt, uint32_t index,
			   const struct relief_hwdesc_ioapic *a)
{
	int err;

	err = hw_begin_node(fdt, "ioapic", true, index);
	if (!err)
		err = hw_put_u64(fdt, "address", a->address);
	if (!err)
		err = hw_put_u32(fdt, "id", a->id);
	if (!err)
		err = hw_put_u32(fdt, "gsi-base", a->gsi_base);
	if (!err)
		err = hw_put_u32(fdt, "nr-pins", a->nr_pins);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int hw_build_ioapics(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t i;
	int err = 0;

	for (i = 0; !err && i < h->nr_ioapics; i++)
		err = hw_build_ioapic(fdt, i, &h->ioapics[i]);
	return err;
}

/* Only with IOAPICs: an absent /isa-irqs means no ISA IRQ is routed. */
static int hw_build_isa_irqs(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t i;
	void *v;
	int err;

	if (!h->nr_ioapics)
		return 0;
	err = fdt_begin_node(fdt, "isa-irqs");
	if (!err)
		err = fdt_property_placeholder(fdt, "routes",
					       8 * RELIEF_HWDESC_NR_ISA_IRQS,
					       &v);
	for (i = 0; !err && i < RELIEF_HWDESC_NR_ISA_IRQS; i++) {
		hw_put_be32((uint8_t *)v + 8 * i, h->isa_irqs[i].gsi);
		hw_put_be32((uint8_t *)v + 8 * i + 4, h->isa_irqs[i].flags);
	}
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int hw_build_console(void *fdt, const struct relief_hwdesc_console *c)
{
	int err;

	err = fdt_begin_node(fdt, "console");
	if (!err)
		err = hw_put_str(fdt, "tty", c->name);
	if (!err)
		err = hw_put_u32(fdt, "baud", c->baud);
	if (!err && c->io_port)
		err = hw_put_u32(fdt, "io-port", c->io_port);
	if (!err && c->mmio_base)
		err = hw_put_u64(fdt, "mmio-base", c->mmio_base);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int hw_build_cpus(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t i;
	int err;

	err = fdt_begin_node(fdt, "cpus");
	if (!err)
		err = hw_put_u32(fdt, "#address-cells", 2);
	if (!err)
		err = hw_put_u32(fdt, "#size-cells", 0);
	for (i = 0; !err && i < h->nr_cpus; i++) {
		const struct relief_hwdesc_cpu *c = &h->cpus[i];

		err = hw_begin_node(fdt, "cpu", false, c->hw_id);
		if (!err)
			err = hw_put_u64(fdt, P_REG, c->hw_id);
		if (!err)
			err = hw_put_u32(fdt, P_NUMA_NODE, c->numa_node);
		if (!err)
			err = hw_put_str(fdt, P_OWNER,
					 hw_owner_names[c->owner]);
		if (!err && c->boot)
			err = fdt_property(fdt, "boot-cpu", NULL, 0);
		if (!err)
			err = fdt_end_node(fdt);
	}
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int hw_build_mem(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t i;
	int err;

	err = fdt_begin_node(fdt, "memory");
	if (!err)
		err = hw_put_u32(fdt, "#address-cells", 2);
	if (!err)
		err = hw_put_u32(fdt, "#size-cells", 2);
	for (i = 0; !err && i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		err = hw_begin_node(fdt, "range", false, m->base);
		if (!err)
			err = hw_put_range(fdt, P_REG, m->base, m->size);
		if (!err)
			err = hw_put_u32(fdt, P_NUMA_NODE, m->numa_node);
		if (!err)
			err = hw_put_str(fdt, P_OWNER,
					 hw_owner_names[m->owner]);
		if (!err)
			err = hw_put_str(fdt, "kind", hw_kind_names[m->kind]);
		if (!err)
			err = fdt_end_node(fdt);
	}
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

/* Arrays are written in place: a 32x32 matrix is too big for a stack. */
static int hw_build_numa(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t n = h->nr_numa, i, j;
	void *v;
	int err;

	err = fdt_begin_node(fdt, "numa");
	if (!err)
		err = fdt_property_placeholder(fdt, "node-ids", (int)(4 * n),
					       &v);
	for (i = 0; !err && i < n; i++)
		hw_put_be32((uint8_t *)v + 4 * i, h->numa_ids[i]);
	if (!err)
		err = fdt_property_placeholder(fdt, "distances",
					       (int)(4 * n * n), &v);
	for (i = 0; !err && i < n; i++)
		for (j = 0; j < n; j++)
			hw_put_be32((uint8_t *)v + 4 * (i * n + j),
				    h->distance[i][j]);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int hw_build_devices(void *fdt, const struct relief_hwdesc *h)
{
	uint32_t i;
	int err;

	err = fdt_begin_node(fdt, "devices");
	for (i = 0; !err && i < h->nr_devices; i++) {
		const struct relief_hwdesc_device *d = &h->devices[i];
		uint8_t pci[16];

		hw_put_be32(pci, d->pci_segment);
		hw_put_be32(pci + 4, d->pci_bus);
		hw_put_be32(pci + 8, d->pci_devfn >> 3);
		hw_put_be32(pci + 12, d->pci_devfn & 7);
		err = hw_begin_node(fdt, "device", true, i);
		if (!err)
			err = hw_put_str(fdt, "device-name", d->name);
		if (!err)
			err = hw_put_str(fdt, "bus", hw_bus_names[d->bus]);
		if (!err && d->bus == RELIEF_HWDESC_BUS_PCI)
			err = fdt_property(fdt, "pci-address", pci,
					   sizeof(pci));
		if (!err && d->mmio_size)
			err = hw_put_range(fdt, "mmio", d->mmio_base,
					   d->mmio_size);
		if (!err && d->compatible[0])
			err = hw_put_str(fdt, P_COMPATIBLE, d->compatible);
		if (!err && d->flags)
			err = hw_put_u32(fdt, "flags", d->flags);
		if (!err)
			err = fdt_end_node(fdt);
	}
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

/**
 * relief_hwdesc_build() - write a description as an FDT blob (old side).
 * @h: the description; must pass relief_hwdesc_check().
 * @buf: where to write the blob; 8-byte aligned.
 * @bufsize: size of @buf; RELIEF_HWDESC_BLOB_MAX always suffices.
 * @out_len: set to the blob's length (its fdt totalsize) on success.
 *
 * Nothing beyond @bufsize is written. On failure @buf holds no valid blob.
 *
 * Return: RELIEF_HWDESC_OK, RELIEF_HWDESC_ERR_NO_SPACE if @buf is too small,
 * or the error relief_hwdesc_check() found in @h.
 */
int relief_hwdesc_build(const struct relief_hwdesc *h, void *buf,
			size_t bufsize, size_t *out_len)
{
	int err;

	if (!h || !buf || !out_len)
		return RELIEF_HWDESC_ERR_INVAL;
	*out_len = 0;
	err = relief_hwdesc_check(h);
	if (err)
		return err;
	/* libfdt sizes are int; it never needs anywhere near that much. */
	bufsize = bufsize > INT32_MAX ? INT32_MAX : bufsize;
	err = fdt_create(buf, (int)bufsize);
	if (!err)
		err = fdt_finish_reservemap(buf);
	if (!err)
		err = fdt_begin_node(buf, "");
	if (!err)
		err = hw_build_root_props(buf, h);
	if (!err)
		err = hw_build_timer(buf, &h->timer);
	if (!err)
		err = hw_build_clock(buf, &h->clock);
	if (!err)
		err = hw_build_acpi_s5(buf, &h->acpi_s5);
	if (!err)
		err = hw_build_ioapics(buf, h);
	if (!err)
		err = hw_build_isa_irqs(buf, h);
	if (!err)
		err = hw_build_console(buf, &h->console);
	if (!err)
		err = hw_build_numa(buf, h);
	if (!err)
		err = hw_build_cpus(buf, h);
	if (!err)
		err = hw_build_mem(buf, h);
	if (!err)
		err = hw_build_devices(buf, h);
	if (!err)
		err = fdt_end_node(buf);
	if (!err)
		err = fdt_finish(buf);
	if (err) {
		/* Leave no half-built blob that a reader might trust. */
		hw_zero(buf, bufsize < 64 ? bufsize : 64);
		return hw_build_err(err);
	}
	*out_len = fdt_totalsize(buf);
	return RELIEF_HWDESC_OK;
}

/* ------------------------------------------------------------------ */
/* Parse (new side). Every read goes through libfdt's bounds checks.   */

/* libfdt errors other than "not found" mean the tree itself is broken. */
static int hw_lookup_err(int fdt_err)
{
	return fdt_err == -FDT_ERR_NOTFOUND ? RELIEF_HWDESC_ERR_MISSING :
					      RELIEF_HWDESC_ERR_BAD_BLOB;
}

/* Fetch a property that must exist with exactly @len bytes. */
static int hw_get_fixed(const void *fdt, int node, const char *name,
			int len, const uint8_t **val)
{
	int plen;

	*val = fdt_getprop(fdt, node, name, &plen);
	if (!*val)
		return hw_lookup_err(plen);
	return plen == len ? RELIEF_HWDESC_OK : RELIEF_HWDESC_ERR_BAD_LEN;
}

static int hw_get_u32(const void *fdt, int node, const char *name,
		      uint32_t *v)
{
	const uint8_t *p;
	int err = hw_get_fixed(fdt, node, name, 4, &p);

	if (!err)
		*v = hw_get_be32(p);
	return err;
}

static int hw_get_u64(const void *fdt, int node, const char *name,
		      uint64_t *v)
{
	const uint8_t *p;
	int err = hw_get_fixed(fdt, node, name, 8, &p);

	if (!err)
		*v = hw_get_be64(p);
	return err;
}

static int hw_get_range(const void *fdt, int node, const char *name,
			uint64_t *base, uint64_t *size)
{
	const uint8_t *p;
	int err = hw_get_fixed(fdt, node, name, 16, &p);

	if (!err) {
		*base = hw_get_be64(p);
		*size = hw_get_be64(p + 8);
	}
	return err;
}

/* Optional properties: absent leaves *v (zero) alone. */
static int hw_opt(int err)
{
	return err == RELIEF_HWDESC_ERR_MISSING ? RELIEF_HWDESC_OK : err;
}

/*
 * A string property: one NUL, at the end, fitting @cap bytes with it.
 * Copied into @dst, which is zeroed and @cap long.
 */
static int hw_get_str(const void *fdt, int node, const char *name, char *dst,
		      size_t cap)
{
	const char *p;
	int plen, i;

	p = fdt_getprop(fdt, node, name, &plen);
	if (!p)
		return hw_lookup_err(plen);
	if (plen < 1 || (size_t)plen > cap || p[plen - 1])
		return RELIEF_HWDESC_ERR_BAD_LEN;
	for (i = 0; i < plen - 1; i++) {
		if (!p[i])
			return RELIEF_HWDESC_ERR_BAD_LEN;
		dst[i] = p[i];
	}
	return RELIEF_HWDESC_OK;
}

/* A string property naming one of @names (indexed by value, [0] unused). */
static int hw_get_enum(const void *fdt, int node, const char *name,
		       const char *const *names, uint32_t nr, uint32_t *v)
{
	char s[16] = { 0 };
	uint32_t i;
	int err;

	err = hw_get_str(fdt, node, name, s, sizeof(s));
	if (err)
		return err == RELIEF_HWDESC_ERR_BAD_LEN ?
		       RELIEF_HWDESC_ERR_BAD_VALUE : err;
	for (i = 1; i < nr; i++) {
		const char *a = names[i], *b = s;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*a == *b) {
			*v = i;
			return RELIEF_HWDESC_OK;
		}
	}
	return RELIEF_HWDESC_ERR_BAD_VALUE;
}

static int hw_get_enum8(const void *fdt, int node, const char *name,
			const char *const *names, uint32_t nr, uint8_t *v)
{
	uint32_t v32 = 0;
	int err = hw_get_enum(fdt, node, name, names, nr, &v32);

	*v = (uint8_t)v32;
	return err;
}

static int hw_subnode(const void *fdt, const char *name, bool required,
		      int *node)
{
	*node = fdt_subnode_offset(fdt, 0, name);
	if (*node >= 0)
		return RELIEF_HWDESC_OK;
	if (*node == -FDT_ERR_NOTFOUND && !required)
		return RELIEF_HWDESC_OK;
	return hw_lookup_err(*node);
}

static int hw_parse_root(const void *fdt, struct relief_hwdesc *h)
{
	uint32_t version;
	int err;

	err = fdt_node_check_compatible(fdt, 0, RELIEF_HWDESC_COMPATIBLE);
	if (err == 1 || err == -FDT_ERR_NOTFOUND)
		return RELIEF_HWDESC_ERR_COMPATIBLE;
	if (err)
		return RELIEF_HWDESC_ERR_BAD_BLOB;
	err = hw_get_u32(fdt, 0, P_VERSION, &version);
	if (err)
		return err;
	if (version != RELIEF_HWDESC_SCHEMA_VERSION)
		return RELIEF_HWDESC_ERR_VERSION;
	err = hw_get_enum(fdt, 0, P_ARCH, hw_arch_names, HW_NR(hw_arch_names),
			  &h->arch);
	if (!err)
		err = hw_get_str(fdt, 0, P_RELEASE, h->old_release,
				 sizeof(h->old_release));
	if (!err)
		err = hw_opt(hw_get_u64(fdt, 0, P_RSDP, &h->acpi_rsdp));
	if (!err)
		err = hw_get_range(fdt, 0, P_MAILBOX, &h->mailbox_base,
				   &h->mailbox_size);
	if (!err)
		err = hw_get_range(fdt, 0, P_RELIEF, &h->relief_base,
				   &h->relief_size);
	return err;
}

static int hw_parse_timer(const void *fdt, struct relief_hwdesc_timer *t)
{
	int node, err;

	err = hw_subnode(fdt, "timer", true, &node);
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "tsc-khz", &t->tsc_khz));
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "lapic-timer-hz",
					&t->lapic_timer_hz));
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "arch-timer-hz",
					&t->arch_timer_hz));
	if (!err)
		err = hw_get_u32(fdt, node, "hz", &t->hz);
	if (!err)
		err = hw_get_u64(fdt, node, "loops-per-jiffy",
				 &t->loops_per_jiffy);
	return err;
}

static int hw_parse_clock(const void *fdt, struct relief_hwdesc_clock *k)
{
	uint32_t tai = 0;
	int node, err;

	err = hw_subnode(fdt, "clock", false, &node);
	if (err || node < 0)
		return err;
	err = hw_get_u64(fdt, node, "stamp", &k->stamp);
	if (!err)
		err = hw_get_u64(fdt, node, "realtime-ns", &k->realtime_ns);
	if (!err)
		err = hw_get_u64(fdt, node, "monotonic-ns", &k->monotonic_ns);
	if (!err)
		err = hw_get_u64(fdt, node, "boottime-ns", &k->boottime_ns);
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "tai-offset", &tai));
	k->tai_offset = (int32_t)tai;
	return err;
}

/* A u32 property that must fit in a byte (a larger value is refused). */
static int hw_get_u8(const void *fdt, int node, const char *name, uint8_t *v)
{
	uint32_t x = 0;
	int err = hw_get_u32(fdt, node, name, &x);

	if (!err && x > 0xff)
		err = RELIEF_HWDESC_ERR_BAD_VALUE;
	*v = (uint8_t)x;
	return err;
}

static int hw_parse_acpi_s5(const void *fdt, struct relief_hwdesc_acpi_s5 *p)
{
	int node, err;

	err = hw_subnode(fdt, "acpi-s5", false, &node);
	if (err || node < 0)
		return err;
	err = hw_get_u64(fdt, node, "pm1a-cnt", &p->pm1a_cnt);
	if (!err)
		err = hw_opt(hw_get_u64(fdt, node, "pm1b-cnt", &p->pm1b_cnt));
	if (!err)
		err = hw_get_u8(fdt, node, "space", &p->space);
	if (!err)
		err = hw_get_u8(fdt, node, "slp-typ-a", &p->slp_typ_a);
	if (!err)
		err = hw_opt(hw_get_u8(fdt, node, "slp-typ-b", &p->slp_typ_b));
	return err;
}

static int hw_parse_ioapic(const void *fdt, int node,
			   struct relief_hwdesc_ioapic *a)
{
	int err;

	err = hw_get_u64(fdt, node, "address", &a->address);
	if (!err)
		err = hw_get_u32(fdt, node, "id", &a->id);
	if (!err)
		err = hw_get_u32(fdt, node, "gsi-base", &a->gsi_base);
	if (!err)
		err = hw_get_u32(fdt, node, "nr-pins", &a->nr_pins);
	return err;
}

/*
 * ioapic-0, ioapic-1, .. in the root, found by name: numbered from 0
 * without a gap (a later one after a missing one is MISSING), at most
 * RELIEF_HWDESC_MAX_IOAPICS of them. None: no IOAPIC described.
 */
static int hw_parse_ioapics(const void *fdt, struct relief_hwdesc *h)
{
	char name[HW_NAME_LEN];
	bool gap = false;
	uint32_t i;
	int node, err;

	for (i = 0; i <= RELIEF_HWDESC_MAX_IOAPICS; i++) {
		hw_node_name(name, "ioapic", true, i);
		err = hw_subnode(fdt, name, false, &node);
		if (err)
			return err;
		if (node < 0) {
			gap = true;
			continue;
		}
		if (gap)
			return RELIEF_HWDESC_ERR_MISSING;
		if (i == RELIEF_HWDESC_MAX_IOAPICS)
			return RELIEF_HWDESC_ERR_TOO_MANY;
		err = hw_parse_ioapic(fdt, node, &h->ioapics[i]);
		if (err)
			return err;
		h->nr_ioapics = i + 1;
	}
	return RELIEF_HWDESC_OK;
}

/* Absent: no ISA IRQ routed (all zero). Index into routes = ISA IRQ. */
static int hw_parse_isa_irqs(const void *fdt, struct relief_hwdesc_isa_irq *q)
{
	const uint8_t *p;
	uint32_t i;
	int node, err;

	err = hw_subnode(fdt, "isa-irqs", false, &node);
	if (err || node < 0)
		return err;
	err = hw_get_fixed(fdt, node, "routes", 8 * RELIEF_HWDESC_NR_ISA_IRQS,
			   &p);
	for (i = 0; !err && i < RELIEF_HWDESC_NR_ISA_IRQS; i++) {
		q[i].gsi = hw_get_be32(p + 8 * i);
		q[i].flags = hw_get_be32(p + 8 * i + 4);
	}
	return err;
}

static int hw_parse_console(const void *fdt, struct relief_hwdesc_console *c)
{
	int node, err;

	err = hw_subnode(fdt, "console", true, &node);
	if (!err)
		err = hw_get_str(fdt, node, "tty", c->name, sizeof(c->name));
	if (!err)
		err = hw_get_u32(fdt, node, "baud", &c->baud);
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "io-port", &c->io_port));
	if (!err)
		err = hw_opt(hw_get_u64(fdt, node, "mmio-base",
					&c->mmio_base));
	return err;
}

static int hw_parse_numa(const void *fdt, struct relief_hwdesc *h)
{
	const uint8_t *p;
	uint32_t n, i, j, d;
	int node, plen, err;

	err = hw_subnode(fdt, "numa", true, &node);
	if (err)
		return err;
	p = fdt_getprop(fdt, node, "node-ids", &plen);
	if (!p)
		return hw_lookup_err(plen);
	if (plen % 4)
		return RELIEF_HWDESC_ERR_BAD_LEN;
	if (plen / 4 > RELIEF_HWDESC_MAX_NUMA)
		return RELIEF_HWDESC_ERR_TOO_MANY;
	n = (uint32_t)plen / 4;
	for (i = 0; i < n; i++)
		h->numa_ids[i] = hw_get_be32(p + 4 * i);
	h->nr_numa = n;

	p = fdt_getprop(fdt, node, "distances", &plen);
	if (!p)
		return hw_lookup_err(plen);
	if ((uint32_t)plen != 4 * n * n)
		return RELIEF_HWDESC_ERR_DISTANCE;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			d = hw_get_be32(p + 4 * (i * n + j));
			if (d > 0xff)
				return RELIEF_HWDESC_ERR_DISTANCE;
			h->distance[i][j] = (uint8_t)d;
		}
	}
	return RELIEF_HWDESC_OK;
}

static int hw_parse_cpu(const void *fdt, int node, struct relief_hwdesc_cpu *c)
{
	int err, plen;

	err = hw_get_u64(fdt, node, P_REG, &c->hw_id);
	if (!err)
		err = hw_get_u32(fdt, node, P_NUMA_NODE, &c->numa_node);
	if (!err)
		err = hw_get_enum8(fdt, node, P_OWNER, hw_owner_names,
				   HW_NR(hw_owner_names), &c->owner);
	if (err)
		return err;
	if (fdt_getprop(fdt, node, "boot-cpu", &plen)) {
		if (plen != 0)
			return RELIEF_HWDESC_ERR_BAD_LEN;
		c->boot = 1;
	} else if (plen != -FDT_ERR_NOTFOUND) {
		return RELIEF_HWDESC_ERR_BAD_BLOB;
	}
	return RELIEF_HWDESC_OK;
}

static int hw_parse_mem(const void *fdt, int node, struct relief_hwdesc_mem *m)
{
	int err;

	err = hw_get_range(fdt, node, P_REG, &m->base, &m->size);
	if (!err)
		err = hw_get_u32(fdt, node, P_NUMA_NODE, &m->numa_node);
	if (!err)
		err = hw_get_enum8(fdt, node, P_OWNER, hw_owner_names,
				   HW_NR(hw_owner_names), &m->owner);
	if (!err)
		err = hw_get_enum8(fdt, node, "kind", hw_kind_names,
				   HW_NR(hw_kind_names), &m->kind);
	return err;
}

static int hw_parse_device(const void *fdt, int node,
			   struct relief_hwdesc_device *d)
{
	const uint8_t *p;
	uint32_t seg, bus, dev, fn;
	int err;

	err = hw_get_str(fdt, node, "device-name", d->name, sizeof(d->name));
	if (!err)
		err = hw_get_enum(fdt, node, "bus", hw_bus_names,
				  HW_NR(hw_bus_names), &d->bus);
	if (!err)
		err = hw_opt(hw_get_str(fdt, node, P_COMPATIBLE,
					d->compatible,
					sizeof(d->compatible)));
	if (!err)
		err = hw_opt(hw_get_u32(fdt, node, "flags", &d->flags));
	if (!err && d->bus == RELIEF_HWDESC_BUS_PLATFORM)
		err = hw_opt(hw_get_range(fdt, node, "mmio", &d->mmio_base,
					  &d->mmio_size));
	if (err || d->bus != RELIEF_HWDESC_BUS_PCI)
		return err;
	err = hw_get_fixed(fdt, node, "pci-address", 16, &p);
	if (err)
		return err;
	seg = hw_get_be32(p);
	bus = hw_get_be32(p + 4);
	dev = hw_get_be32(p + 8);
	fn = hw_get_be32(p + 12);
	if (seg > 0xffff || bus > 0xff || dev > 31 || fn > 7)
		return RELIEF_HWDESC_ERR_BAD_VALUE;
	d->pci_segment = (uint16_t)seg;
	d->pci_bus = (uint8_t)bus;
	d->pci_devfn = (uint8_t)(dev << 3 | fn);
	return RELIEF_HWDESC_OK;
}

/* The three lists: every subnode of their node is one element. */
enum hw_list { HW_LIST_CPUS, HW_LIST_MEM, HW_LIST_DEVICES };

/*
 * Elements are taken in tree order; node names are for people reading dtc
 * output and are not interpreted.
 */
static int hw_parse_list(const void *fdt, enum hw_list which,
			 struct relief_hwdesc *h)
{
	static const char *const names[] = { "cpus", "memory", "devices" };
	static const uint32_t max[] = { RELIEF_HWDESC_MAX_CPUS,
					RELIEF_HWDESC_MAX_MEM,
					RELIEF_HWDESC_MAX_DEVICES };
	uint32_t *nr = which == HW_LIST_CPUS ? &h->nr_cpus :
		       which == HW_LIST_MEM ? &h->nr_mem : &h->nr_devices;
	int parent, node, err;

	/* A machine may hand over no device; the other lists are required. */
	err = hw_subnode(fdt, names[which], which != HW_LIST_DEVICES, &parent);
	if (err || parent < 0)
		return err;
	fdt_for_each_subnode(node, fdt, parent) {
		if (*nr == max[which])
			return RELIEF_HWDESC_ERR_TOO_MANY;
		if (which == HW_LIST_CPUS)
			err = hw_parse_cpu(fdt, node, &h->cpus[*nr]);
		else if (which == HW_LIST_MEM)
			err = hw_parse_mem(fdt, node, &h->mem[*nr]);
		else
			err = hw_parse_device(fdt, node, &h->devices[*nr]);
		if (err)
			return err;
		(*nr)++;
	}
	return node == -FDT_ERR_NOTFOUND ? RELIEF_HWDESC_OK :
					   RELIEF_HWDESC_ERR_BAD_BLOB;
}

static int hw_parse_tree(const void *blob, size_t len, struct relief_hwdesc *h)
{
	int err;

	/* fdt_check_header() reads the whole v17 header, so check first. */
	if (!blob || len < sizeof(struct fdt_header))
		return RELIEF_HWDESC_ERR_BAD_BLOB;
	if (fdt_check_header(blob) || fdt_totalsize(blob) > len)
		return RELIEF_HWDESC_ERR_BAD_BLOB;
	err = hw_parse_root(blob, h);
	if (!err)
		err = hw_parse_timer(blob, &h->timer);
	if (!err)
		err = hw_parse_clock(blob, &h->clock);
	if (!err)
		err = hw_parse_acpi_s5(blob, &h->acpi_s5);
	if (!err)
		err = hw_parse_ioapics(blob, h);
	if (!err)
		err = hw_parse_isa_irqs(blob, h->isa_irqs);
	if (!err)
		err = hw_parse_console(blob, &h->console);
	if (!err)
		err = hw_parse_numa(blob, h);
	if (!err)
		err = hw_parse_list(blob, HW_LIST_CPUS, h);
	if (!err)
		err = hw_parse_list(blob, HW_LIST_MEM, h);
	if (!err)
		err = hw_parse_list(blob, HW_LIST_DEVICES, h);
	if (!err)
		err = relief_hwdesc_check(h);
	return err;
}

/**
 * relief_hwdesc_parse() - read and validate an FDT blob (new side).
 * @blob: the blob, 8-byte aligned (libfdt refuses others as bad blobs).
 * @len: bytes readable at @blob; may exceed the blob's own totalsize.
 * @out: filled on success, all zero on any error.
 *
 * Total: any @len bytes may be passed; nothing outside them is read.
 * Unknown properties and nodes are ignored, so later v1 writers may add
 * optional ones.
 *
 * Return: RELIEF_HWDESC_OK or an enum relief_hwdesc_err.
 */
int relief_hwdesc_parse(const void *blob, size_t len,
			struct relief_hwdesc *out)
{
	int err;

	if (!out)
		return RELIEF_HWDESC_ERR_INVAL;
	hw_zero(out, sizeof(*out));
	err = hw_parse_tree(blob, len, out);
	if (err)
		hw_zero(out, sizeof(*out));
	return err;
}

/**
 * relief_hwdesc_crc() - CRC32C of a hwdesc blob, as reported in quals.
 * @blob: the blob.
 * @len: bytes readable at @blob.
 *
 * Covers the blob's own fdt totalsize when its header is sound and fits in
 * @len, so the old side (passing the built length) and the new side
 * (passing the size of the area it read) agree; otherwise all @len bytes.
 *
 * Return: relief_crc32c(0, blob, n) for that n; 0 if @blob is NULL.
 */
uint32_t relief_hwdesc_crc(const void *blob, size_t len)
{
	if (!blob)
		return 0;
	if (len >= sizeof(struct fdt_header) && !fdt_check_header(blob) &&
	    fdt_totalsize(blob) <= len)
		len = fdt_totalsize(blob);
	return relief_crc32c(0, blob, len);
}
