/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief hooks called from existing x86 code (laid into the kernel tree as
 * arch/x86/include/asm/relief.h). Each caller is a one-line hook patch in
 * kernel/patches/ saying why.
 */
#ifndef _ASM_X86_RELIEF_H
#define _ASM_X86_RELIEF_H

#include <linux/errno.h>
#include <linux/types.h>

struct pt_regs;

#ifdef CONFIG_RELIEF
bool relief_early_new(void);
void relief_early_fault(struct pt_regs *regs, int trapnr);
int relief_numa_init(void);
#else
static inline bool relief_early_new(void)
{
	return false;
}

static inline void relief_early_fault(struct pt_regs *regs, int trapnr)
{
}

static inline int relief_numa_init(void)
{
	return -ENODEV;
}
#endif

#endif /* _ASM_X86_RELIEF_H */
