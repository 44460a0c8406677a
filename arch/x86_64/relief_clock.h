/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64, NEW role: the clocks (relief_clock.c).
 */
#ifndef _ARCH_X86_RELIEF_CLOCK_H
#define _ARCH_X86_RELIEF_CLOCK_H

struct relief_hwdesc;

void relief_clock_new_setup(const struct relief_hwdesc *h);
void relief_clock_take(void);

#endif /* _ARCH_X86_RELIEF_CLOCK_H */
