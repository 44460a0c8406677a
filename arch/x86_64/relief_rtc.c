// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: the CMOS RTC
 *
 * The CMOS RTC is one per machine, and its index port is shared state: an
 * access of the relieving kernel (NEW) between an index write and a data
 * read of the old one (OLD) would corrupt OLD's, and the RTC driver's
 * probe writes the control register. So while OLD runs, NEW's wall clock
 * starts from OLD's clocks (the hardware description's ``/clock``), its
 * writes to the RTC are refused and it registers no RTC device. Once OLD
 * stood relieved, NEW registers the "rtc_cmos" platform device x86 itself
 * registers where no PNP device describes the RTC, with ISA IRQ 8 through
 * the IOAPICs it took (hook patch 0009 keeps rtc-cmos's platform driver
 * for it): /dev/rtc0 and hwclock work, and wall clock writes (NTP's sync
 * to the RTC) go to the CMOS again. The RTC does not set NEW's clock when
 * it registers (hook patch 0010): that continues OLD's, finer than the
 * RTC's whole seconds, and processes that moved over are reading it.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/mc146818rtc.h>
#include <linux/platform_device.h>
#include <linux/printk.h>
#include <linux/rtc.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/mc146818rtc.h>

#include "relief.h"
#include "relief_ioapic.h"
#include "relief_rtc.h"

/* ISA IRQ of the CMOS RTC. */
#define RELIEF_RTC_ISA_IRQ	8

static bool relief_rtc_mine;	/* OLD stood relieved */

/**
 * relief_rtc_get_wallclock() - x86_platform.get_wallclock of NEW
 * @now: the RTC's time once the RTC is this kernel's, else zero
 */
void relief_rtc_get_wallclock(struct timespec64 *now)
{
	if (READ_ONCE(relief_rtc_mine)) {
		mach_get_cmos_time(now);
		return;
	}
	memset(now, 0, sizeof(*now));
}

/**
 * relief_rtc_set_wallclock() - x86_platform.set_wallclock of NEW
 * @now: time to write to the RTC
 *
 * Return: 0, or -ENODEV while the RTC is OLD's.
 */
int relief_rtc_set_wallclock(const struct timespec64 *now)
{
	if (!READ_ONCE(relief_rtc_mine))
		return -ENODEV;
	return mach_set_cmos_time(now);
}

/**
 * relief_rtc_take() - the CMOS RTC becomes this kernel's
 *
 * Once OLD stood relieved and after the IOAPICs: without its interrupt
 * the driver still reads and sets the time, with no alarms.
 */
void relief_rtc_take(void)
{
	struct resource res[2] = {
		DEFINE_RES_IO(RTC_PORT(0), 2),
	};
	struct platform_device *pdev;
	int irq = relief_arch_isa_irq(RELIEF_RTC_ISA_IRQ);

	if (irq > 0)
		res[1] = DEFINE_RES_IRQ(irq);
#ifdef CONFIG_RTC_HCTOSYS_DEVICE
	/* Without OLD's clocks (no /clock) the RTC is the better source. */
	rtc_hctosys_inherited = relief_new_hwdesc()->clock.stamp != 0;
#endif
	WRITE_ONCE(relief_rtc_mine, true);
	pdev = platform_device_register_simple("rtc_cmos", PLATFORM_DEVID_NONE,
					       res, irq > 0 ? 2 : 1);
	if (IS_ERR(pdev))
		pr_err("NEW: CMOS RTC not registered: %ld\n", PTR_ERR(pdev));
	else
		pr_info("NEW: CMOS RTC registered (irq %d)\n", irq);
}
