// SPDX-License-Identifier: GPL-2.0
/*
 * relief on x86_64, OLD role: parking the CPUs lent to the new kernel and
 * starting it on one of them.
 *
 * A lent CPU goes offline through the normal hotplug path; relief's
 * play_dead sends it into the park area instead of the usual hlt/mwait
 * loop. Starting the new kernel then needs no INIT (the old kernel's boot
 * CPU is never sent one) and no real-mode trampoline: the parked CPU is
 * already in long mode and jumps to the 64-bit entry. Taking a CPU back
 * is the ordinary cpu_up(), whose INIT-SIPI-SIPI resets it from wherever
 * the new kernel left it.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/pgtable.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/apic.h>
#include <asm/desc_defs.h>
#include <asm/init.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/smp.h>

#include "relief.h"
#include "relief_park.h"

static_assert(offsetof(struct relief_park_slot, state) == RELIEF_SLOT_STATE);
static_assert(offsetof(struct relief_park_slot, cmd) == RELIEF_SLOT_CMD);
static_assert(offsetof(struct relief_park_slot, entry) == RELIEF_SLOT_ENTRY);
static_assert(offsetof(struct relief_park_slot, rsi) == RELIEF_SLOT_RSI);
static_assert(offsetof(struct relief_park_slot, stack) == RELIEF_SLOT_STACK);
static_assert(offsetof(struct relief_park_slot, hw_id) == RELIEF_SLOT_HW_ID);
static_assert(sizeof(struct relief_park_slot) == RELIEF_PARK_SLOT_SIZE);
static_assert(RELIEF_PARK_STACKS + RELIEF_PARK_MAX_CPUS *
	      RELIEF_PARK_STACK_SIZE <= RELIEF_PARK_SIZE);
static_assert(RELIEF_PARK_SIZE <= RELIEF_AREA_PGT);
static_assert(offsetof(struct relief_park_fault, phase) == RELIEF_FAULT_PHASE);
static_assert(offsetof(struct relief_park_fault, vector) == RELIEF_FAULT_VECTOR);
static_assert(offsetof(struct relief_park_fault, apic) == RELIEF_FAULT_APIC);
static_assert(offsetof(struct relief_park_fault, rip) == RELIEF_FAULT_RIP);
static_assert(offsetof(struct relief_park_fault, error) == RELIEF_FAULT_ERROR);
static_assert(offsetof(struct relief_park_fault, cr2) == RELIEF_FAULT_CR2);
static_assert(sizeof(struct relief_park_fault) == RELIEF_FAULT_SIZE);
static_assert(RELIEF_PARK_IDT + RELIEF_PARK_IDT_VECTORS * 16 <= RELIEF_PARK_FAULT);
static_assert(RELIEF_PARK_FAULT + RELIEF_FAULT_SIZE <= RELIEF_PARK_SLOTS);

/* The park area as this kernel reaches it, and where it physically is. */
static struct {
	void *area;			/* direct-map address of the area */
	phys_addr_t phys;
	phys_addr_t pgd_enter;
	phys_addr_t pgd_park;
	unsigned int pgt_used;		/* pages handed out from the pool */
	unsigned int nr_slots;		/* slots handed out */
	struct cpumask mask;		/* CPUs that park instead of dying */
	int slot_of[NR_CPUS];
} park;

static void (*relief_orig_play_dead)(void);

static struct relief_park_slot *slot_of(unsigned int cpu)
{
	return park.area + RELIEF_PARK_SLOTS +
	       park.slot_of[cpu] * RELIEF_PARK_SLOT_SIZE;
}

static phys_addr_t phys_in_area(const void *p)
{
	return park.phys + (p - park.area);
}

static void *relief_alloc_pgt(void *ctx)
{
	void *page;

	if (park.pgt_used >= RELIEF_AREA_PGT_SIZE / PAGE_SIZE)
		return NULL;
	page = park.area + RELIEF_AREA_PGT + park.pgt_used++ * PAGE_SIZE;
	memset(page, 0, PAGE_SIZE);
	return page;
}

static void relief_set_gate(gate_desc *g, phys_addr_t target)
{
	memset(g, 0, sizeof(*g));
	g->offset_low = target & 0xffff;
	g->offset_middle = (target >> 16) & 0xffff;
	g->offset_high = target >> 32;
	g->segment = RELIEF_GDT_CS;
	g->bits.type = GATE_INTERRUPT;
	g->bits.p = 1;
}

/*
 * Identity map of the low chunk (its 2 MiB) and the region, executable,
 * in pages of the area itself: a speculative walk never touches memory
 * either kernel may reuse. The "enter" copy also holds this kernel's
 * top-level entry for its text, so relief_park_enter survives its own
 * CR3 write.
 */
static int relief_park_tables(const struct relief_region *r)
{
	struct x86_mapping_info info = {
		.alloc_pgt_page = relief_alloc_pgt,
		.page_flag = __PAGE_KERNEL_LARGE_EXEC,
		.kernpg_flag = _KERNPG_TABLE_NOENC,
	};
	unsigned long text = (unsigned long)relief_park_enter;
	pgd_t *park_pgd, *enter_pgd;
	int ret;

	park.pgt_used = 0;
	park_pgd = relief_alloc_pgt(NULL);
	enter_pgd = relief_alloc_pgt(NULL);
	ret = kernel_ident_mapping_init(&info, park_pgd, 0,
					ALIGN(r->low_base + r->low_size, SZ_2M));
	if (!ret)
		ret = kernel_ident_mapping_init(&info, park_pgd, r->base,
						r->base + r->size);
	if (ret)
		return ret;
	memcpy(enter_pgd, park_pgd, PAGE_SIZE);
	if (pgd_index(text) == 0)	/* would alias the identity map */
		return -EINVAL;
	enter_pgd[pgd_index(text)] = *pgd_offset_k(text);
	park.pgd_park = phys_in_area(park_pgd);
	park.pgd_enter = phys_in_area(enter_pgd);
	return 0;
}

static void relief_play_dead(void)
{
	unsigned int cpu = smp_processor_id();

	if (!cpumask_test_cpu(cpu, &park.mask)) {
		relief_orig_play_dead();
		return;
	}
	play_dead_common();	/* reported dead; IRQs off; on init_mm */
	relief_park_enter(park.phys + RELIEF_PARK_CODE, park.pgd_enter,
			  phys_in_area(slot_of(cpu)), park.pgd_park, park.phys);
	for (;;)		/* relief_park_enter does not return */
		native_halt();
}

/**
 * relief_arch_park_prepare() - make @mask's CPUs park in the region
 * @r: the region; its first RELIEF_PARK_SIZE bytes become the park area
 * @mask: CPUs about to be taken offline for the new kernel
 *
 * Return: 0, or -E2BIG for too many CPUs, -ENOMEM if the page tables do
 * not fit in the area.
 */
int relief_arch_park_prepare(const struct relief_region *r,
			     const struct cpumask *mask)
{
	size_t code = relief_park_code_end - relief_park_code;
	struct desc_ptr *gdtr, *idtr;
	gate_desc *idt;
	u64 *gdt;
	int i, ret;

	BUILD_BUG_ON(RELIEF_AREA_PARK != 0);
	if (cpumask_weight(mask) > RELIEF_PARK_MAX_CPUS ||
	    code > RELIEF_PARK_CODE_MAX)
		return -E2BIG;

	park.area = phys_to_virt(r->base);
	park.phys = r->base;
	memset(park.area, 0, RELIEF_PARK_SIZE);
	memcpy(park.area + RELIEF_PARK_CODE, relief_park_code, code);

	gdt = park.area + RELIEF_PARK_GDT;
	gdt[RELIEF_GDT_CS / 8] = 0x00af9b000000ffffULL;	/* 64-bit code */
	gdt[RELIEF_GDT_DS / 8] = 0x00cf93000000ffffULL;	/* flat data */
	gdtr = park.area + RELIEF_PARK_GDTR;
	gdtr->size = 4 * 8 - 1;
	gdtr->address = park.phys + RELIEF_PARK_GDT;

	/* Each vector its stub, which records the fault (relief_park_64.S). */
	idt = park.area + RELIEF_PARK_IDT;
	for (i = 0; i < RELIEF_PARK_IDT_VECTORS; i++)
		relief_set_gate(&idt[i], park.phys + RELIEF_PARK_CODE +
				(relief_park_fault - relief_park_code) +
				i * RELIEF_PARK_STUB_SIZE);
	relief_set_gate(&idt[NMI_VECTOR], park.phys + RELIEF_PARK_CODE +
			(relief_park_nmi - relief_park_code));
	idtr = park.area + RELIEF_PARK_IDTR;
	idtr->size = RELIEF_PARK_IDT_VECTORS * sizeof(gate_desc) - 1;
	idtr->address = park.phys + RELIEF_PARK_IDT;

	ret = relief_park_tables(r);
	if (ret)
		return ret == -EINVAL ? ret : -ENOMEM;

	park.nr_slots = 0;
	cpumask_clear(&park.mask);
	relief_arch_park_add(mask);
	if (!relief_orig_play_dead) {
		relief_orig_play_dead = smp_ops.play_dead;
		smp_ops.play_dead = relief_play_dead;
	}
	return 0;
}

/*
 * Poll @slot for @state for up to a second of real time (udelay is only as
 * good as the calibration, which is poor under emulation).
 */
static bool relief_park_wait(struct relief_park_slot *slot, u32 state)
{
	ktime_t end = ktime_add_ms(ktime_get(), 1000);

	/* Acquire: the parked CPU's stores before its state are seen. */
	while (smp_load_acquire(&slot->state) != state) {
		if (ktime_after(ktime_get(), end))
			return false;
		usleep_range(20, 50);
	}
	return true;
}

/**
 * relief_park_go() - send a parked CPU on to @entry
 * @slot: its slot, which says PARKED
 * @cpu: the CPU's logical number in the calling kernel, for the NMI
 * @entry: physical address to jump to, in 64-bit mode
 * @rsi: what the CPU has in %rsi there
 *
 * Shared by the old kernel starting the new one and by the new kernel
 * starting its other CPUs: both only ever wake a CPU this way.
 *
 * Return: true once the CPU has left the park, false after a second.
 */
bool relief_park_go(struct relief_park_slot *slot, unsigned int cpu,
		    u64 entry, u64 rsi)
{
	slot->entry = entry;
	slot->rsi = rsi;
	/* Release: entry and rsi are visible before GO is. */
	smp_store_release(&slot->cmd, RELIEF_PARK_GO);
	/* Only now: before PARKED its IDT was not loaded yet. */
	__apic_send_IPI(cpu, NMI_VECTOR);
	return relief_park_wait(slot, RELIEF_PARK_TAKEN);
}

/**
 * relief_arch_start() - send a parked CPU to the new kernel's entry
 * @cpu: a CPU of the mask given to relief_arch_park_prepare(), offline
 * @entry: physical address of the 64-bit entry
 * @boot_params: physical address of its boot_params
 *
 * Return: 0 once the CPU has left the park, -ETIMEDOUT if it never parked
 * or never left.
 */
int relief_arch_start(unsigned int cpu, phys_addr_t entry,
		      phys_addr_t boot_params)
{
	if (!relief_park_wait(slot_of(cpu), RELIEF_PARK_PARKED)) {
		pr_err("relief: CPU %u never reached the park\n", cpu);
		return -ETIMEDOUT;
	}
	if (!relief_park_go(slot_of(cpu), cpu, entry, boot_params)) {
		pr_err("relief: CPU %u did not leave the park\n", cpu);
		return -ETIMEDOUT;
	}
	return 0;
}

static const char *const relief_fault_names[RELIEF_PARK_IDT_VECTORS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "vector 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"vector 22", "vector 23", "vector 24", "vector 25", "vector 26",
	"vector 27", "#HV hypervisor injection", "#VC VMM communication",
	"#SX security", "vector 31",
};

static const char *relief_fault_phase(u32 phase)
{
	switch (phase) {
	case RELIEF_FAULT_PHASE_ENTRY:
		return "at its entry, before it had an IDT";
	case RELIEF_FAULT_PHASE_EARLY:
		return "in early boot";
	case RELIEF_FAULT_PHASE_PANIC:
		return "panicked before its mailbox was up";
	case RELIEF_FAULT_PHASE_RESET:
		return "reset or powered off before its mailbox was up";
	default:
		return "somewhere unknown";
	}
}

/**
 * relief_arch_peer_fault() - has the new kernel died where the park saw it?
 * @f: the fault, filled when there is one
 *
 * The first exception on a CPU entering the new kernel (the park's IDT is
 * still loaded there) or an early one the new kernel reported itself
 * (relief_early_fault()) is in the park's fault record.
 *
 * Return: true if the record holds a fault.
 */
bool relief_arch_peer_fault(struct relief_peer_fault *f)
{
	struct relief_park_fault *r;

	if (!park.area)
		return false;
	r = park.area + RELIEF_PARK_FAULT;
	/* Acquire: the fields are written before WRITTEN. */
	if (smp_load_acquire(&r->state) != RELIEF_FAULT_WRITTEN)
		return false;
	f->where = relief_fault_phase(r->phase);
	f->vector = r->vector;
	f->name = r->vector < RELIEF_PARK_IDT_VECTORS ?
		  relief_fault_names[r->vector] : "an interrupt";
	f->hw_id = r->apic;
	f->ip = r->rip;
	f->error = r->error;
	f->addr = r->cr2;
	f->exception = r->phase == RELIEF_FAULT_PHASE_ENTRY ||
		       r->phase == RELIEF_FAULT_PHASE_EARLY;
	return true;
}

/**
 * relief_arch_park_release() - CPUs go back to dying the usual way
 *
 * Called once the lent CPUs are being taken back (they are brought up
 * with INIT-SIPI-SIPI, wherever they are).
 */
void relief_arch_park_release(void)
{
	cpumask_clear(&park.mask);
}

/**
 * relief_arch_park_add() - more CPUs that park when they go offline
 * @mask: CPUs, none parked yet
 *
 * During the transfer OLD gives NEW the CPUs it still runs on; they park
 * like the lent ones and wait there for NEW.
 *
 * Return: 0, or -E2BIG if the park has no slots left.
 */
int relief_arch_park_add(const struct cpumask *mask)
{
	int cpu;

	if (park.nr_slots + cpumask_weight(mask) > RELIEF_PARK_MAX_CPUS)
		return -E2BIG;
	for_each_cpu(cpu, mask) {
		unsigned int i = park.nr_slots++;

		park.slot_of[cpu] = i;
		memset(slot_of(cpu), 0, sizeof(struct relief_park_slot));
		slot_of(cpu)->stack = park.phys + RELIEF_PARK_STACKS +
				      (i + 1) * RELIEF_PARK_STACK_SIZE;
		slot_of(cpu)->hw_id = relief_arch_cpu_hw_id(cpu);
	}
	cpumask_or(&park.mask, &park.mask, mask);
	return 0;
}

/**
 * relief_arch_park_self() - park the calling CPU, OLD's last, for good
 *
 * After I_STAND_RELIEVED, with every other CPU of OLD parked and the
 * machine shut down as for kexec: the boot CPU waits in the park until NEW
 * starts it (an INIT to it could reset the machine). Does not return.
 */
void relief_arch_park_self(void)
{
	unsigned int cpu;
	struct cpumask self;

	local_irq_disable();
	cpu = smp_processor_id();
	cpumask_clear(&self);
	cpumask_set_cpu(cpu, &self);
	if (relief_arch_park_add(&self))
		pr_emerg("relief: no park slot for CPU %u; it halts\n", cpu);
	else
		relief_park_enter(park.phys + RELIEF_PARK_CODE, park.pgd_enter,
				  phys_in_area(slot_of(cpu)), park.pgd_park,
				  park.phys);
	for (;;)
		native_halt();
}

static void relief_read_bsp(void *bsp)
{
	u64 msr;

	rdmsrl(MSR_IA32_APICBASE, msr);
	*(bool *)bsp = msr & MSR_IA32_APICBASE_BSP;
}

/**
 * relief_arch_cpu_never_init() - must this CPU never be sent INIT?
 * @cpu: an online CPU
 *
 * A lent CPU comes back with INIT, and an INIT to the machine's BSP may
 * reset the machine. A relieving kernel that took the machine over runs
 * on it too, under another CPU number: the APIC base MSR says which.
 *
 * Return: true for this kernel's CPU 0, the BSP, or a CPU that cannot be
 * asked.
 */
bool relief_arch_cpu_never_init(unsigned int cpu)
{
	static u32 bsp_apicid = BAD_APICID;	/* once seen online */
	u32 apicid = per_cpu(x86_cpu_to_apicid, cpu);
	bool bsp = false;

	if (cpu == 0 || apicid == READ_ONCE(bsp_apicid))
		return true;
	if (boot_cpu_data.x86 < 6)	/* no APIC base MSR */
		return false;
	/* An offline CPU cannot be asked: only a known BSP is not safe. */
	if (!cpu_online(cpu))
		return READ_ONCE(bsp_apicid) == BAD_APICID;
	if (smp_call_function_single(cpu, relief_read_bsp, &bsp, 1))
		return true;
	if (bsp)
		WRITE_ONCE(bsp_apicid, apicid);
	return bsp;
}

/**
 * relief_arch_park_wake() - start a CPU this kernel parked, as its own
 * @apicid: the CPU's APIC ID
 * @start_ip: where it goes (this kernel's 64-bit trampoline entry)
 *
 * A kernel that relieved another takes CPUs it parked for the next one
 * back this way (abort, rollback) when an INIT is not safe or the CPU
 * never left the park.
 *
 * Return: 0, -ENOENT if it is not waiting in this kernel's park, or
 * -ETIMEDOUT if it did not leave it.
 */
int relief_arch_park_wake(u32 apicid, unsigned long start_ip)
{
	int cpu;

	for_each_cpu(cpu, &park.mask) {
		if (slot_of(cpu)->hw_id != apicid)
			continue;
		/* Acquire: as in relief_park_wait(). */
		if (smp_load_acquire(&slot_of(cpu)->state) != RELIEF_PARK_PARKED)
			return -ENOENT;
		cpumask_clear_cpu(cpu, &park.mask);
		return relief_park_go(slot_of(cpu), cpu, start_ip, 0) ?
		       0 : -ETIMEDOUT;
	}
	return -ENOENT;
}

/**
 * relief_arch_cpu_hw_id() - the hardware id the hwdesc names a CPU by
 * @cpu: logical CPU
 *
 * Return: its APIC ID.
 */
u64 relief_arch_cpu_hw_id(unsigned int cpu)
{
	return per_cpu(x86_cpu_to_apicid, cpu);
}
