/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief - windows on the transfer area (relief_window.c): the page
 * images, read in place by criu in the new kernel.
 */
#ifndef _KERNEL_RELIEF_WINDOW_H
#define _KERNEL_RELIEF_WINDOW_H

#include <linux/types.h>

#include "uapi/linux/relief.h"

long relief_window_ioctl(phys_addr_t area, u64 size,
			 struct relief_agent_window __user *uw);

#endif /* _KERNEL_RELIEF_WINDOW_H */
