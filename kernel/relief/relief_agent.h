/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief - the agent: the userspace half of a swap (CRIU dumps and
 * restores), reached through /dev/relief. Either role's kthread posts
 * requests and collects the replies; the agent waits for them with
 * RELIEF_IOC_AGENT_WAIT and answers with RELIEF_IOC_AGENT_REPLY.
 */
#ifndef _KERNEL_RELIEF_AGENT_H
#define _KERNEL_RELIEF_AGENT_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/types.h>

#include "uapi/linux/relief.h"

/* A reply, as the posting kthread sees it. */
struct relief_agent_done {
	u32 op;			/* RELIEF_AGENT_* of the request */
	u32 seq;
	s32 status;		/* 0, or a positive errno */
	u32 nr_procs;
	u64 image_len;
	char why[128];
};

u32 relief_image_crc32c(const void *buf, size_t len);
void relief_agent_open(phys_addr_t area, u64 size);
void relief_agent_close(void);
bool relief_agent_waited(void);
int relief_agent_post(u32 op, const struct relief_agent_req *fields);
void relief_agent_post_area(phys_addr_t area, u64 size);
void relief_agent_withdraw_area(phys_addr_t base, u64 size);
bool relief_agent_collect(struct relief_agent_done *d);
bool relief_agent_await(u32 seq, unsigned int ms, struct relief_agent_done *d);
long relief_agent_ioctl(unsigned int cmd, void __user *arg);
int relief_agent_mmap(struct file *f, struct vm_area_struct *vma);
bool relief_agent_mapped(void);

#endif /* _KERNEL_RELIEF_AGENT_H */
