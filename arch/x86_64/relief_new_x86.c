// SPDX-License-Identifier: GPL-2.0
/*
 * relief, x86_64, NEW role: boot as the relieving kernel (relief=new).
 *
 * This kernel starts on CPUs the running kernel (OLD) lent it, inside a
 * region OLD reserved, while OLD keeps running on the rest of the machine.
 * Everything that is one per machine -- IOAPIC, 8259 PIC, PIT, HPET, CMOS
 * RTC, port 0x61, PCI config space, OLD's UART, the MP table -- stays
 * OLD's. So instead of probing, this kernel takes what it needs from the
 * hardware description (proto/relief_hwdesc.h) that OLD put in a
 * setup_data entry, and replaces every platform hook that would touch
 * shared hardware, the way a Jailhouse non-root cell does.
 *
 * The hooks are installed from an early_param, which runs before every
 * consumer of them in setup_arch() (see Documentation/relief/x86_64.rst).
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/cache.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/numa_memblks.h>
#include <linux/ctype.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/serial_8250.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <asm/apic.h>
#include <asm/cmdline.h>
#include <asm/cpufeature.h>
#include <asm/i8259.h>
#include <asm/io_apic.h>
#include <asm/irqflags.h>
#include <asm/mpspec.h>
#include <asm/numa.h>
#include <asm/realmode.h>
#include <asm/reboot.h>
#include <asm/relief.h>
#include <asm/setup.h>
#include <asm/x86_init.h>

#include "relief.h"
#include "relief_new_mem.h"
#include "relief_acpi.h"
#include "relief_clock.h"
#include "relief_ioapic.h"
#include "relief_iommu.h"
#include "relief_park.h"
#include "relief_rtc.h"
#include "relief_uart.h"

/*
 * The blob is only needed whole while booting (parse, CRC); afterwards a
 * copy of its exact size is kept (relief_new_keep_blob()).
 */
static u8 relief_blob_boot[RELIEF_HWDESC_BLOB_MAX] __initdata;
static const void *relief_blob;
static size_t relief_blob_len;
/* About 16 KiB: static, never on a stack. */
static struct relief_hwdesc relief_hw;
/* How long OLD's last CPU may take to reach the park after it stood relieved. */
#define RELIEF_NEW_PARK_WAIT_S	10

/**
 * relief_new_hwdesc() - the hardware description this kernel booted with
 *
 * Return: the parsed description, or NULL if not booted with relief=new.
 */
const struct relief_hwdesc *relief_new_hwdesc(void)
{
	return relief_is_new ? &relief_hw : NULL;
}

/**
 * relief_new_hwdesc_blob() - the hardware description as OLD handed it over
 * @len: where its length in bytes is stored (0 if none)
 *
 * Return: the FDT blob, or NULL if not booted with relief=new.
 */
const void *relief_new_hwdesc_blob(size_t *len)
{
	*len = relief_is_new ? relief_blob_len : 0;
	return relief_is_new ? relief_blob : NULL;
}

/*
 * Copy the payload of the RELIEF_SETUP_TYPE setup_data entry into
 * relief_blob_boot. setup_data is a physical linked list; each node is
 * mapped only as long as it is read.
 */
static int __init relief_new_fetch_blob(void)
{
	u64 pa = boot_params.hdr.setup_data;
	struct setup_data *sd;
	u32 type, len;
	u64 next;
	int hops = 0;
	void *p;

	while (pa && hops++ < 64) {
		sd = early_memremap(pa, sizeof(*sd));
		if (!sd)
			return -ENOMEM;
		next = sd->next;
		type = sd->type;
		len = sd->len;
		early_memunmap(sd, sizeof(*sd));
		if (type != RELIEF_SETUP_TYPE) {
			pa = next;
			continue;
		}
		if (!len || len > sizeof(relief_blob_boot)) {
			pr_err("hardware description of %u bytes (limit %zu)\n",
			       len, sizeof(relief_blob_boot));
			return -E2BIG;
		}
		p = early_memremap(pa + sizeof(*sd), len);
		if (!p)
			return -ENOMEM;
		memcpy(relief_blob_boot, p, len);
		early_memunmap(p, len);
		relief_blob = relief_blob_boot;
		relief_blob_len = len;
		return 0;
	}
	pr_err("no setup_data entry of type %#x\n", RELIEF_SETUP_TYPE);
	return -ENOENT;
}

/* --- the platform hooks ------------------------------------------- */

/**
 * relief_numa_init() - the NUMA layout OLD described, instead of SRAT's
 *
 * x86_numa_init() tries it first in a relieving kernel (hook patch 0007),
 * which reads no ACPI: every described node, the memory ranges of each
 * (OLD's RAM and park area too: what memblock does not hold stays among
 * the reserved NUMA ranges, where relief_frames.c finds its node when it
 * adds it once OLD stood relieved), the distances between nodes and each CPU's
 * node.
 *
 * Return: 0, or -ENOENT when there is no description to take (the next
 * method is tried), -EINVAL for a node number this kernel cannot have.
 */
int __init relief_numa_init(void)
{
	const struct relief_hwdesc *h = &relief_hw;
	u32 i, j;
	int err;

	if (!relief_is_new || !h->nr_numa)
		return -ENOENT;
	for (i = 0; i < h->nr_numa; i++) {
		if (h->numa_ids[i] >= MAX_NUMNODES)
			return -EINVAL;
		node_set(h->numa_ids[i], numa_nodes_parsed);
	}
	for (i = 0; i < h->nr_mem; i++) {
		const struct relief_hwdesc_mem *m = &h->mem[i];

		/* All of it: the park area is this kernel's RAM too. */
		err = numa_add_memblk(m->numa_node, m->base, m->base + m->size);
		if (err)
			return err;
	}
	for (i = 0; i < h->nr_numa; i++)
		for (j = 0; j < h->nr_numa; j++)
			numa_set_distance(h->numa_ids[i], h->numa_ids[j],
					  h->distance[i][j]);
	for (i = 0; i < h->nr_cpus; i++)
		set_apicid_to_node(h->cpus[i].hw_id, h->cpus[i].numa_node);
	pr_info("NUMA: %u nodes as OLD described them\n", h->nr_numa);
	return 0;
}

/* setup_max_cpus before the safety net's maxcpus=1, which comes later. */
static unsigned int relief_max_cpus __initdata;

/*
 * Every CPU of the machine, ours (the lent ones) first, then OLD's, which
 * become ours when OLD stands relieved. All are present, but only ours
 * are started at boot: setup_max_cpus stops the bringup after them (CPU
 * numbers follow this order). None is ever sent INIT (relief owns
 * apic->wakeup_secondary_cpu_64, relief_new_wakeup_cpu() below), which is
 * why check_for_real_bsp() lets a relieving kernel register the machine's
 * BSP (kernel/patches/0004).
 */
static void __init relief_parse_smp_cfg(void)
{
	const struct relief_hwdesc_cpu *c;
	unsigned int lent = 0;
	bool found_self = false;
	u32 i;

	register_lapic_address(APIC_DEFAULT_PHYS_BASE);

	for (i = 0; i < relief_hw.nr_cpus; i++) {
		c = &relief_hw.cpus[i];
		if (c->owner != RELIEF_ROLE_NEW)
			continue;
		if (c->hw_id == boot_cpu_physical_apicid)
			found_self = true;
		topology_register_apic(c->hw_id, CPU_ACPIID_INVALID, true);
		lent++;
	}
	for (i = 0; i < relief_hw.nr_cpus; i++) {
		c = &relief_hw.cpus[i];
		if (c->owner != RELIEF_ROLE_NEW)
			topology_register_apic(c->hw_id, CPU_ACPIID_INVALID,
					       true);
	}
	if (!found_self)
		pr_warn("boot APIC %#x is not one of the lent CPUs\n",
			boot_cpu_physical_apicid);
	/*
	 * OLD's command line ends with RELIEF_NEW_CMDLINE_SAFETY for kernels
	 * that do not know relief=new. This one registered its CPUs and no
	 * IOAPIC above, so it lifts the IOAPIC limit, and bounds the bringup
	 * at its lent CPUs (or fewer, if the operator said so).
	 */
	if (setup_max_cpus == 1)	/* the net; an operator's maxcpus= stays */
		setup_max_cpus = relief_max_cpus;
	setup_max_cpus = min(setup_max_cpus, lent);
	ioapic_is_disabled = false;
	/* APIC_SYMMETRIC_IO with no IOAPIC: only the local APICs are used. */
	smp_found_config = 1;
}

/* Port 0x61 (NMI status and control) is one per machine. */
static unsigned char relief_get_nmi_reason(void)
{
	return 0;
}

/* --- dying where OLD can see it ------------------------------------ */

/* OLD's park fault record (relief_park.h), 0 until relief=new is parsed. */
static phys_addr_t relief_fault_pa;

/*
 * Claim OLD's fault record and fill it, unless a CPU already did; it stays
 * mapped (the caller halts for good). Only while booting: early_memremap()
 * is init code.
 */
static void __init relief_fault_record(u32 phase, u32 vector, u64 ip,
				       u64 error, u64 addr)
{
	struct relief_park_fault *r;

	if (!relief_fault_pa)
		return;
	r = early_memremap(relief_fault_pa, sizeof(*r));
	if (!r)
		return;
	if (cmpxchg(&r->state, RELIEF_FAULT_NONE, RELIEF_FAULT_CLAIMED) !=
	    RELIEF_FAULT_NONE)
		return;
	r->phase = phase;
	r->vector = vector;
	/* CPUID, not the APIC: early on its registers are not mapped yet. */
	r->apic = cpuid_ebx(1) >> 24;
	r->rip = ip;
	r->error = error;
	r->cr2 = addr;
	/* Release: OLD reads the fields once it sees WRITTEN. */
	smp_store_release(&r->state, RELIEF_FAULT_WRITTEN);
}

/**
 * relief_early_fault() - an exception no early handler could fix
 * @regs: where it happened
 * @trapnr: its vector
 *
 * Called from early_fixup_exception() on its way to halting for good
 * (kernel/patches/0006). A relieving kernel records the fault where OLD
 * looks for it, so that OLD ends the run at once, naming it; any other
 * kernel returns at once.
 */
void __init relief_early_fault(struct pt_regs *regs, int trapnr)
{
	if (!relief_is_new)
		return;
	relief_fault_record(RELIEF_FAULT_PHASE_EARLY, trapnr, regs->ip,
			    regs->orig_ax, native_read_cr2());
}

/**
 * relief_arch_new_died() - tell OLD this kernel dies before its mailbox
 * @reset: a reboot or power-off, not a panic
 *
 * For the panic and reboot paths of a relieving kernel whose mailbox is not
 * up yet (afterwards they send the protocol's abort instead). Only while
 * booting: later the mailbox is always up.
 */
void __ref relief_arch_new_died(bool reset)
{
	if (system_state != SYSTEM_BOOTING)
		return;
	relief_fault_record(reset ? RELIEF_FAULT_PHASE_RESET :
			    RELIEF_FAULT_PHASE_PANIC, 0, 0, 0, 0);
}

/**
 * relief_arch_new_halt() - stop this kernel's CPUs and halt this one forever
 *
 * For NEW only. The CPUs stay halted with interrupts off and their local
 * APICs soft-disabled until OLD takes them back with INIT. Nothing shared
 * is touched: no reset, no ACPI, no keyboard controller.
 */
void relief_arch_new_halt(void)
{
	local_irq_disable();
	/* Targets only our online CPUs: no_ipi_broadcast=1 is required. */
	smp_send_stop();
	for (;;)
		native_halt();
}

/* The kernel's own machine_ops, for once this kernel owns the machine. */
static struct machine_ops relief_native_ops __ro_after_init;

/*
 * While OLD owns the machine, every reset and power-off path of a
 * relieving kernel ends here, never at the reset hardware (the keyboard
 * controller, port 0xcf9, ACPI), which would take OLD down with it: it
 * tells OLD and halts this kernel's CPUs. Once OLD stood relieved the
 * machine is this kernel's, and they are the kernel's own again: a reboot
 * resets the machine, a power off goes through ACPI S5 as OLD described it
 * (relief_power_off_s5()).
 */
static void relief_machine_stop(const char *what)
{
	pr_emerg("%s: halting this kernel only\n", what);
	relief_new_died(true);
	relief_arch_new_halt();
}

static void relief_machine_restart(char *cmd)
{
	if (relief_new_owns_machine())
		relief_native_ops.restart(cmd);
	relief_machine_stop("restart");
}

static void relief_machine_halt(void)
{
	if (relief_new_owns_machine())
		relief_native_ops.halt();
	relief_machine_stop("halt");
}

static void relief_machine_power_off(void)
{
	if (!relief_new_owns_machine())
		relief_machine_stop("power off");
	relief_native_ops.power_off();
	/* Back only if nothing could power the machine off. */
	pr_emerg("power off: OLD described no way to power the machine off; halting\n");
	relief_arch_new_halt();
}

/* PM1 control: SLP_TYP (bits 10-12) and SLP_EN (bit 13), as ACPI has them. */
#define RELIEF_PM1_SLP_TYP_SHIFT	10
#define RELIEF_PM1_SLP_TYP		(7 << RELIEF_PM1_SLP_TYP_SHIFT)
#define RELIEF_PM1_SLP_EN		BIT(13)

/* Write @typ into a PM1 control register, with SLP_EN if @enable. */
static void relief_pm1_sleep(u64 port, u8 typ, bool enable)
{
	u16 v;

	if (!port)
		return;
	v = inw(port) & ~(RELIEF_PM1_SLP_TYP | RELIEF_PM1_SLP_EN);
	v |= typ << RELIEF_PM1_SLP_TYP_SHIFT;
	if (enable)
		v |= RELIEF_PM1_SLP_EN;
	outw(v, port);
}

/*
 * Power off once this kernel owns the machine: ACPI S5 through the PM1
 * control registers OLD described (/acpi-s5), as the end of ACPI's legacy
 * sleep does it: the sleep type in both registers first, then with
 * SLP_EN. Reached only when ACPI's S5 did not power off (ACPI not
 * started): no _PTS runs first, and firmware that needs one for S5 does
 * not power off (the caller halts).
 * Before RELIEVED a power off never gets here (relief_machine_power_off()).
 */
static int relief_power_off_s5(struct sys_off_data *data)
{
	const struct relief_hwdesc_acpi_s5 *p = &relief_hw.acpi_s5;

	if (!relief_new_owns_machine())
		return NOTIFY_DONE;
	if (p->space != RELIEF_HWDESC_SPACE_IO) {
		pr_emerg("power off: PM1 registers in memory space are not supported\n");
		return NOTIFY_DONE;
	}
	pr_emerg("power off: ACPI S5 through PM1a %#llx\n", p->pm1a_cnt);
	relief_pm1_sleep(p->pm1a_cnt, p->slp_typ_a, false);
	relief_pm1_sleep(p->pm1b_cnt, p->slp_typ_b, false);
	relief_pm1_sleep(p->pm1a_cnt, p->slp_typ_a, true);
	relief_pm1_sleep(p->pm1b_cnt, p->slp_typ_b, true);
	mdelay(100);
	return NOTIFY_DONE;
}

/*
 * Below ACPI's own S5 (SYS_OFF_PRIO_FIRMWARE, registered when this kernel
 * starts ACPI once it owns the machine): that one runs _PTS first and
 * does not return; this one is left for when it could not power off.
 */
static int __init relief_new_power_off_init(void)
{
	if (!relief_is_new || !relief_hw.acpi_s5.pm1a_cnt)
		return 0;
	return PTR_ERR_OR_ZERO(register_sys_off_handler(SYS_OFF_MODE_POWER_OFF,
							SYS_OFF_PRIO_LOW,
							relief_power_off_s5,
							NULL));
}
device_initcall(relief_new_power_off_init);

static void relief_machine_emergency_restart(void)
{
	if (relief_new_owns_machine())
		relief_native_ops.emergency_restart();
	relief_machine_stop("emergency restart");
}

static void __init relief_new_platform(void)
{
	/* SMP configuration from the hwdesc, not from the MP table/MADT. */
	x86_init.mpparse.find_mptable = x86_init_noop;
	x86_init.mpparse.early_parse_smp_cfg = x86_init_noop;
	x86_init.mpparse.parse_smp_cfg = relief_parse_smp_cfg;

	/* OLD's calibration: the PIT and HPET are OLD's. */
	relief_clock_new_setup(&relief_hw);

	/* No 8259 and no IOAPIC: interrupts are the local APIC's. */
	x86_init.irqs.pre_vector_init = x86_init_noop;
	legacy_pic = &null_legacy_pic;

	/* CMOS (warm reset vector, RTC) and the i8042 are OLD's. */
	x86_platform.legacy.warm_reset = 0;
	x86_platform.legacy.rtc = 0;
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.get_wallclock = relief_rtc_get_wallclock;
	x86_platform.set_wallclock = relief_rtc_set_wallclock;
	x86_platform.get_nmi_reason = relief_get_nmi_reason;

	/* A reset or power-off would take OLD down with us. */
	relief_native_ops = machine_ops;
	machine_ops.restart = relief_machine_restart;
	machine_ops.halt = relief_machine_halt;
	machine_ops.power_off = relief_machine_power_off;
	machine_ops.emergency_restart = relief_machine_emergency_restart;

	relief_uart_new_setup(relief_hw.console.io_port);
}

/*
 * relief=new: this kernel is the relieving one. Anything short of a sound
 * hardware description is fatal: booting on as an ordinary kernel would
 * program the machine's shared hardware under OLD's feet. OLD sees no
 * READY_TO_RELIEVE, times out and takes its CPUs back.
 */
static int __init relief_new_param(char *arg)
{
	int err;

	if (arg && isdigit(*arg))	/* relief=SIZE: OLD's region */
		return 0;
	if (!arg || strcmp(arg, "new")) {
		pr_err("unknown relief=%s\n", arg ? arg : "");
		return -EINVAL;
	}
	if (relief_new_fetch_blob())
		panic("relief=new: no hardware description from the old kernel");
	err = relief_hwdesc_parse(relief_blob, relief_blob_len, &relief_hw);
	if (err != RELIEF_HWDESC_OK)
		panic("relief=new: hardware description refused: %s",
		      relief_hwdesc_err_name(err));
	if (relief_hw.arch != RELIEF_HWDESC_ARCH_X86_64)
		panic("relief=new: hardware description is not for x86_64");

	relief_fault_pa = relief_hw.relief_base + RELIEF_AREA_PARK +
			  RELIEF_PARK_FAULT;
	relief_max_cpus = setup_max_cpus;
	relief_new_platform();
	relief_acpi_new_defer();
	relief_ioapic_new_keep_gsis(&relief_hw);
	relief_is_new = true;
	relief_new_early();
	if (relief_new_hold_memory(&relief_hw))
		panic("relief=new: cannot hold the memory OLD gives later");
	pr_info("NEW role: %u CPUs described, %u lent, tsc %u kHz, lapic %u Hz\n",
		relief_hw.nr_cpus,
		relief_hwdesc_count_cpus(&relief_hw, RELIEF_ROLE_NEW),
		relief_hw.timer.tsc_khz, relief_hw.timer.lapic_timer_hz);
	return 0;
}
early_param("relief", relief_new_param);

/*
 * Keep an exact-size copy of the blob once the initcalls run. Until then
 * relief_blob points into __initdata, which is still there: the console
 * initcalls (relief_new.c maps the mailbox there) run earlier.
 */
static int __init relief_new_keep_blob(void)
{
	void *copy;

	if (!relief_is_new)
		return 0;
	copy = kmemdup(relief_blob_boot, relief_blob_len, GFP_KERNEL);
	if (!copy) {
		pr_err("no memory for the hardware description blob\n");
		relief_blob_len = 0;
		relief_blob = NULL;
		return -ENOMEM;
	}
	relief_blob = copy;
	return 0;
}
pure_initcall(relief_new_keep_blob);

/**
 * relief_arch_new_take_platform() - what else of OLD's becomes this kernel's
 *
 * In this order: the IOAPICs (their pins masked), the IOMMU (before the
 * rest of the bus is scanned), then what interrupts through the IOAPICs,
 * OLD's console and the CMOS RTC, then the HPET.
 */
void relief_arch_new_take_platform(void)
{
	relief_ioapic_take();
	relief_iommu_take();
	relief_uart_take_console();
	relief_rtc_take();
	relief_clock_take();
}

/**
 * relief_arch_new_take_firmware() - ACPI becomes this kernel's
 *
 * Last: after the IOAPICs (the SCI) and the whole PCI bus, which ACPI's
 * PCI root adopts.
 */
void relief_arch_new_take_firmware(void)
{
	relief_acpi_take();
}

/* --- for OLD: the command line NEW is booted with ------------------ */

/**
 * relief_arch_new_cmdline() - build NEW's command line (x86_64)
 * @buf: destination
 * @size: its size in bytes
 * @extra: operator's extra arguments, appended last; NULL or "" for none
 * @bad_version: test only: make NEW offer an impossible protocol range
 * @timeout_ms: NEW's protocol timeouts; 0 for NEW's defaults
 *
 * RELIEF_NEW_CMDLINE_BASE, plus what must match this (OLD) kernel: the
 * APIC mode (both kernels share every CPU's IA32_APIC_BASE mode, and an
 * INIT keeps it) and the paging depth (a NEW that wanted another one would
 * switch it through a trampoline in low memory that is not its own).
 *
 * Return: the length written (without the NUL), or -E2BIG.
 */
int relief_arch_new_cmdline(char *buf, size_t size, const char *extra,
			    bool bad_version, u32 timeout_ms)
{
	char tmo[32] = "", mine[32] = "", uart[80] = "";
	const char *con;
	u16 port;
	int n, line;

	if (timeout_ms)
		snprintf(tmo, sizeof(tmo), " %s%u", RELIEF_NEW_CMDLINE_TIMEOUT,
			 timeout_ms);
	/* This kernel's console, NEW's once this one stood relieved. */
	line = relief_uart_console_line();
	if (line >= 0)
		snprintf(mine, sizeof(mine), " %sttyS%d",
			 RELIEF_NEW_CMDLINE_OLD_CONSOLE, line);
	/* The UART relief_arch_describe() gives NEW, if any. */
	con = relief_arch_next_console(&port);
	if (port)
		snprintf(uart, sizeof(uart), RELIEF_NEW_CMDLINE_CONSOLE, con,
			 con);
	n = snprintf(buf, size, "%s" RELIEF_NEW_CMDLINE_BASE "%s%s%s%s%s %s%s%s",
		     uart, x2apic_mode ? "" : " nox2apic",
		     pgtable_l5_enabled() ? "" : " no5lvl", mine,
		     bad_version ? " " RELIEF_NEW_CMDLINE_BAD_VERSION : "",
		     tmo, RELIEF_NEW_CMDLINE_SAFETY, extra && *extra ? " " : "",
		     extra ? extra : "");
	if (n < 0 || (size_t)n >= size)
		return -E2BIG;
	return n;
}

/**
 * relief_early_new() - is this kernel booting as a relieving kernel?
 *
 * For code that runs before early parameters are parsed (and so before
 * relief=new has installed anything) and must already keep off hardware
 * the running kernel owns.
 *
 * Return: true if the command line has relief=new.
 */
bool __init relief_early_new(void)
{
	char arg[4];

	return cmdline_find_option(boot_command_line, "relief", arg,
				   sizeof(arg)) == 3 && !memcmp(arg, "new", 3);
}

/*
 * Bring up a lent CPU that OLD parked (relief_park_64.S) without INIT: an
 * INIT needs nothing of the CPU's cooperation, but the same path must
 * later start OLD's own CPUs, boot CPU included, which must never see one.
 * The park sends the CPU to @start_ip, our trampoline's 64-bit entry,
 * still on the park's identity map, which covers our low memory.
 */
static bool relief_new_all_cpus;	/* OLD stood relieved */

/*
 * INIT, then STARTUP twice, to the real-mode trampoline: how a CPU this
 * kernel lent on to the next one comes back, as in the old kernel's own
 * relief_return_cpus(). The park start above cannot: the CPU ran the
 * other kernel. The delays are the MP specification's, shortened as
 * Linux does for CPUs with an integrated APIC.
 */
static int relief_new_wakeup_init(u32 apicid)
{
	unsigned long start = real_mode_header->trampoline_start;
	int i;

	apic_icr_write(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT,
		       apicid);
	safe_apic_wait_icr_idle();
	usleep_range(10, 20);
	apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT, apicid);
	safe_apic_wait_icr_idle();
	for (i = 0; i < 2; i++) {
		apic_icr_write(APIC_DM_STARTUP | (start >> 12), apicid);
		usleep_range(200, 300);
		if (safe_apic_wait_icr_idle())
			return -EIO;
	}
	return 0;
}

static bool relief_new_may_start(u32 apicid)
{
	const struct relief_hwdesc_cpu *c;

	if (READ_ONCE(relief_new_all_cpus))
		return true;
	c = relief_hwdesc_find_cpu(&relief_hw, apicid);
	return c && c->owner == RELIEF_ROLE_NEW;
}

/* OLD's park area, mapped once (relief_new_wakeup_setup()) and kept. */
static void *relief_new_park;

/*
 * The slot in OLD's park where the CPU with APIC ID @apicid waits, or NULL
 * if it is not (or not yet) parked there.
 */
static struct relief_park_slot *relief_new_parked_slot(u32 apicid)
{
	struct relief_park_slot *s;
	int i;

	if (!relief_new_park)
		return NULL;
	for (i = 0; i < RELIEF_PARK_MAX_CPUS; i++) {
		s = relief_new_park + RELIEF_PARK_SLOTS +
		    i * RELIEF_PARK_SLOT_SIZE;
		if (s->hw_id != apicid)
			continue;
		/* Acquire: the CPU's PARKED comes after its park is set up. */
		if (smp_load_acquire(&s->state) == RELIEF_PARK_PARKED)
			return s;
	}
	return NULL;
}

static int relief_new_wakeup_cpu(u32 apicid, unsigned long start_ip)
{
	struct relief_park_slot *slot;
	int cpu;

	if (!relief_new_may_start(apicid)) {
		pr_err("APIC %#x is OLD's until it stands relieved\n", apicid);
		return -EPERM;
	}
	/* Lent on and parked by this kernel, never gone: from its own park. */
	if (relief_new_owns_machine() &&
	    !relief_arch_park_wake(apicid, start_ip))
		return 0;

	slot = relief_new_parked_slot(apicid);
	for_each_possible_cpu(cpu)
		if (per_cpu(x86_cpu_to_apicid, cpu) == apicid)
			break;
	/* One this kernel lent on, coming back (abort, rollback). */
	if (!slot && cpu < nr_cpu_ids && relief_new_owns_machine() &&
	    !relief_arch_cpu_never_init(cpu))
		return relief_new_wakeup_init(apicid);
	if (!slot || cpu >= nr_cpu_ids) {
		pr_err("APIC %#x is not parked for this kernel\n", apicid);
		return -ENODEV;
	}
	if (!relief_park_go(slot, cpu, start_ip, 0)) {
		pr_err("APIC %#x did not leave the park\n", apicid);
		return -ETIMEDOUT;
	}
	return 0;
}

/* After the APIC driver is installed, before the other CPUs are started. */
static int __init relief_new_wakeup_setup(void)
{
	if (!relief_is_new)
		return 0;
	relief_new_park = memremap(relief_hw.relief_base + RELIEF_AREA_PARK,
				   RELIEF_PARK_SIZE, MEMREMAP_WB);
	if (!relief_new_park)
		pr_err("cannot map OLD's park: no CPU can be started from it\n");
	apic_update_callback(wakeup_secondary_cpu_64, relief_new_wakeup_cpu);
	return 0;
}
early_initcall(relief_new_wakeup_setup);

/**
 * relief_arch_new_take_all() - OLD stood relieved: all CPUs are ours
 *
 * From now on any CPU parked for this kernel may be started, OLD's boot
 * CPU included.
 */
void relief_arch_new_take_all(void)
{
	WRITE_ONCE(relief_new_all_cpus, true);
}

/**
 * relief_arch_new_drop_park() - OLD's park is not used again
 *
 * Once every CPU of OLD left it: a CPU offlined later comes back with
 * INIT (relief_new_wakeup_cpu()), and the park area goes to the page
 * allocator. CPU hotplug is held off while the mapping goes.
 */
void relief_arch_new_drop_park(void)
{
	void *park;

	cpus_read_lock();
	park = relief_new_park;
	relief_new_park = NULL;
	cpus_read_unlock();
	if (park)
		memunmap(park);
}

/**
 * relief_arch_new_online_cpu() - start one of OLD's CPUs as ours
 * @hw_id: its APIC ID
 *
 * OLD's boot CPU parks last, after it sent I_STAND_RELIEVED and shut the
 * machine down, so it may take a moment to arrive.
 *
 * Return: 0, -ENODEV for a CPU this kernel does not know, -ETIMEDOUT if it
 * never reached the park, or add_cpu()'s error.
 */
int relief_arch_new_online_cpu(u64 hw_id)
{
	unsigned long end = jiffies + RELIEF_NEW_PARK_WAIT_S * HZ;
	int cpu;

	for_each_present_cpu(cpu)
		if (per_cpu(x86_cpu_to_apicid, cpu) == hw_id)
			break;
	if (cpu >= nr_cpu_ids)
		return -ENODEV;
	if (cpu_online(cpu))
		return 0;
	while (!relief_new_parked_slot(hw_id)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(20);
	}
	return add_cpu(cpu);
}
