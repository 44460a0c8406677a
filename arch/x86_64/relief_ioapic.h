/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64: the IOAPICs between the kernels (relief_ioapic.c).
 */
#ifndef _ARCH_X86_RELIEF_IOAPIC_H
#define _ARCH_X86_RELIEF_IOAPIC_H

struct relief_hwdesc;

void relief_describe_ioapics(struct relief_hwdesc *h);
int relief_arch_isa_irq(unsigned int isa);
void relief_ioapic_new_keep_gsis(const struct relief_hwdesc *h);
void relief_ioapic_take(void);

#endif /* _ARCH_X86_RELIEF_IOAPIC_H */
