// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: clocks
 *
 * The PIT and the HPET are one per machine and the old kernel's (OLD)
 * while the relieving kernel (NEW) boots beside it: calibrating against
 * either would program them under OLD. So NEW skips the timer set-up
 * (no PIT, no HPET, no 8259 tick) and takes the TSC and local APIC timer
 * frequencies OLD measured on the same machine, the TSC's as a known
 * frequency. Nothing else about the TSC is assumed: NEW's clocksource
 * watchdog checks it against the ACPI PM timer from boot (reading that
 * disturbs nobody), as a cold boot checks it against the HPET.
 *
 * NEW's clocks continue OLD's rather than start again: CLOCK_REALTIME
 * and CLOCK_MONOTONIC (and CLOCK_BOOTTIME, /proc/uptime) start from OLD's
 * readings advanced by the TSC since OLD's stamp, so a process moved from
 * OLD sees them run on (read_persistent_wall_and_boot_offset()).
 *
 * Once OLD stood relieved, the HPET is NEW's: it is enabled as a cold
 * boot enables it, except for the legacy replacement route (hook patch
 * 0014), as by then the RTC has IRQ 8 and the local APIC timers tick. It
 * becomes a clocksource and, being rated above the PM timer, the TSC's
 * watchdog.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/init.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/hpet.h>
#include <asm/tsc.h>
#include <asm/x86_init.h>

#include "relief.h"
#include "relief_clock.h"

static u32 relief_tsc_khz;			/* as OLD measured it */
static struct relief_hwdesc_clock relief_old_clock __initdata;

static unsigned long relief_calibrate_tsc(void)
{
	return relief_tsc_khz;
}

/**
 * relief_clock_new_setup() - NEW: no timer of OLD's is probed or calibrated
 * @h: the hardware description OLD handed over
 *
 * From relief=new's early parameter, before tsc_early_init() and the
 * timer set-up.
 */
void __init relief_clock_new_setup(const struct relief_hwdesc *h)
{
	relief_tsc_khz = h->timer.tsc_khz;
	relief_old_clock = h->clock;
	x86_platform.calibrate_cpu = relief_calibrate_tsc;
	x86_platform.calibrate_tsc = relief_calibrate_tsc;
	setup_force_cpu_cap(X86_FEATURE_TSC_KNOWN_FREQ);
	/* 0: calibrate_APIC_clock() measures against the TSC instead. */
	lapic_timer_period = h->timer.lapic_timer_hz / HZ;
	/* No PIT, no HPET, no 8259 tick: the local APIC timer ticks. */
	x86_init.timers.timer_init = x86_init_noop;
#ifdef CONFIG_HPET_TIMER
	hpet_clocksource_only = true;
#endif
}

/* Nanoseconds of TSC since OLD's stamp; 0 if the TSC is behind it. */
static u64 __init relief_clock_since(const struct relief_hwdesc_clock *k)
{
	u64 now = rdtsc_ordered();

	if (now < k->stamp) {
		pr_warn("TSC %llu is behind OLD's stamp %llu: the clocks continue from the stamp\n",
			now, k->stamp);
		return 0;
	}
	return mul_u64_u32_div(now - k->stamp, NSEC_PER_MSEC, relief_tsc_khz);
}

/**
 * read_persistent_wall_and_boot_offset() - where this kernel's clocks start
 * @wall_time: CLOCK_REALTIME at timekeeping_init()
 * @boot_offset: CLOCK_MONOTONIC (and CLOCK_BOOTTIME) then
 *
 * x86 has no version of its own: this one does what the kernel's weak one
 * does, except in a relieving kernel whose OLD described its clocks. Then
 * the wall clock is OLD's, and CLOCK_MONOTONIC starts where OLD's is now
 * (OLD's readings advanced by the TSC since its stamp): the machine has
 * not rebooted, so its clocks do not start again, and a process moved
 * from OLD sees them run on. The CMOS RTC stays OLD's (relief_rtc.c).
 */
void __init read_persistent_wall_and_boot_offset(struct timespec64 *wall_time,
						 struct timespec64 *boot_offset)
{
	const struct relief_hwdesc_clock *k = &relief_old_clock;
	u64 since;

	if (!relief_is_new || !k->stamp) {
		read_persistent_clock64(wall_time);
		*boot_offset = ns_to_timespec64(local_clock());
		return;
	}
	since = relief_clock_since(k);
	*wall_time = ns_to_timespec64(k->realtime_ns + since);
	*boot_offset = ns_to_timespec64(k->monotonic_ns + since);
	pr_info("clocks continue OLD's: realtime %lld.%09ld, monotonic %lld.%09ld (%llu ns since its stamp)\n",
		(s64)wall_time->tv_sec, wall_time->tv_nsec,
		(s64)boot_offset->tv_sec, boot_offset->tv_nsec, since);
}

#ifdef CONFIG_HPET_TIMER
/*
 * hpet_enable() is __init: this kernel's init memory is held until the
 * machine is its own (hook patch 0011). It clears hpet_address when the
 * HPET fails its checks.
 */
static bool __ref relief_hpet_enable(void)
{
	hpet_enable();
	return hpet_address;
}

/**
 * relief_clock_take() - NEW: the HPET is this kernel's, OLD having stood
 * relieved
 *
 * After the RTC took IRQ 8. Without an HPET the PM timer stays the TSC's
 * watchdog.
 */
void relief_clock_take(void)
{
	unsigned long base = hpet_address;

	if (!base)
		return;
	if (relief_hpet_enable())
		pr_info("NEW: HPET at %#lx is a clocksource\n", base);
	else
		pr_warn("NEW: the HPET at %#lx failed its checks: no HPET\n",
			base);
}
#else
void relief_clock_take(void)
{
}
#endif
