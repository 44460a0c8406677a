/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief - windows on the transfer area (relief_window.c): the page
 * images, written and read in place by criu, or left where they are.
 */
#ifndef _KERNEL_RELIEF_WINDOW_H
#define _KERNEL_RELIEF_WINDOW_H

#include <linux/types.h>

#include "uapi/linux/relief.h"

long relief_window_ioctl(phys_addr_t area, u64 size,
			 struct relief_agent_window __user *uw);
void relief_window_in_place(bool on);
bool relief_window_let_go(void);
void relief_window_frames_drop(void);

#endif /* _KERNEL_RELIEF_WINDOW_H */
