/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief, x86_64, NEW role: the memory map it boots with (relief_new_mem.c).
 */
#ifndef _ARCH_X86_RELIEF_NEW_MEM_H
#define _ARCH_X86_RELIEF_NEW_MEM_H

struct relief_hwdesc;

int relief_new_hold_memory(const struct relief_hwdesc *h);

#endif /* _ARCH_X86_RELIEF_NEW_MEM_H */
