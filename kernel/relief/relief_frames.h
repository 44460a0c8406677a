/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief - pages handed over in place, the new kernel's side
 * (relief_frames.c): reading the old kernel's frames, and holding their
 * memory blocks out of this kernel's RAM until that is done.
 */
#ifndef _KERNEL_RELIEF_FRAMES_H
#define _KERNEL_RELIEF_FRAMES_H

#include <linux/types.h>

int relief_frames_hold(u64 pfn);
void *relief_frames_map(u64 pfn);
int relief_frames_take_block(phys_addr_t start, bool pieces);
void relief_frames_release(void);

#endif /* _KERNEL_RELIEF_FRAMES_H */
