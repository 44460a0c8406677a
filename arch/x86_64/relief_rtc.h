/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64, NEW role: the CMOS RTC (relief_rtc.c).
 */
#ifndef _ARCH_X86_RELIEF_RTC_H
#define _ARCH_X86_RELIEF_RTC_H

#include <linux/time64.h>

void relief_rtc_get_wallclock(struct timespec64 *now);
int relief_rtc_set_wallclock(const struct timespec64 *now);
void relief_rtc_take(void);

#endif /* _ARCH_X86_RELIEF_RTC_H */
