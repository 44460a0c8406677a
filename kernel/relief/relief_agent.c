// SPDX-License-Identifier: GPL-2.0
/*
 * relief - the agent: what a swap needs from userspace.
 *
 * Processes move as CRIU images, and CRIU is a userspace program. So the
 * kthread that drives a role's state machine does not dump or restore
 * itself: it posts a request here, goes on polling the mailbox, and picks
 * the agent's reply up on a later poll. The state machine's deadlines
 * bound how long an agent may take, or whether one comes at all.
 *
 * The images travel through the transfer area, a part of the region both
 * kernels address; the agent maps it with mmap() on /dev/relief.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/crc32.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "relief.h"
#include "relief_agent.h"
#include "relief_window.h"
#include "proto/relief_crc32c.h"
#include "proto/relief_fsm.h"

static_assert(RELIEF_AGENT_RESULT_DONE == RELIEF_RESULT_DONE);
static_assert(RELIEF_AGENT_RESULT_ABORTED == RELIEF_RESULT_ABORTED);
static_assert(RELIEF_AGENT_RESULT_ROLLED_BACK == RELIEF_RESULT_ROLLED_BACK);

/* Requests in flight at once: a dump or restore, a thaw, the end. */
#define RELIEF_AGENT_QUEUE	4

static DEFINE_SPINLOCK(agent_lock);	/* everything below */
static DECLARE_WAIT_QUEUE_HEAD(agent_wq);
static bool agent_running;
static bool agent_waited;	/* an agent asked for work in this run */
static phys_addr_t agent_area;
static u64 agent_area_size;
static u32 agent_seq;

/* Posted, not yet taken by the agent. */
static struct relief_agent_req agent_posted[RELIEF_AGENT_QUEUE];
static unsigned int agent_nr_posted;
/* Taken, not yet answered: their seq and op. */
static struct {
	u32 seq;
	u32 op;
} agent_taken[RELIEF_AGENT_QUEUE];
static unsigned int agent_nr_taken;
/* Answered, not yet collected by the kthread. */
static struct relief_agent_done agent_done[RELIEF_AGENT_QUEUE];
static unsigned int agent_nr_done;

/* Images this large are summed on every online CPU at once. */
#define RELIEF_CRC_SPLIT	SZ_16M
#define RELIEF_CRC_PARTS	8

struct relief_crc_part {
	struct work_struct work;
	const u8 *buf;
	size_t len;
	u32 crc;		/* seeded with 0: combined by shifting */
};

static void relief_crc_part_fn(struct work_struct *w)
{
	struct relief_crc_part *p = container_of(w, struct relief_crc_part,
						 work);

	p->crc = __crc32c_le(0, p->buf, p->len);
}

/*
 * CRC32C is linear: the register after A then B is A's shifted over B's
 * length, xored with B's own (seed 0). So @n parts, each on a CPU of its
 * own, give the value one pass would.
 */
static u32 relief_crc32c_parts(const void *buf, size_t len, unsigned int n)
{
	struct relief_crc_part parts[RELIEF_CRC_PARTS];
	size_t chunk = DIV_ROUND_UP(len, n), off = 0;
	unsigned int i, cpu = 0;
	u32 reg = ~0U;

	cpus_read_lock();
	for (i = 0; i < n; i++) {
		parts[i].buf = (const u8 *)buf + off;
		parts[i].len = min(chunk, len - off);
		off += parts[i].len;
		INIT_WORK_ONSTACK(&parts[i].work, relief_crc_part_fn);
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		queue_work_on(cpu, system_highpri_wq, &parts[i].work);
	}
	for (i = 0; i < n; i++) {
		flush_work(&parts[i].work);
		destroy_work_on_stack(&parts[i].work);
		reg = __crc32c_le_shift(reg, parts[i].len) ^ parts[i].crc;
	}
	cpus_read_unlock();
	return ~reg;
}

/**
 * relief_image_crc32c() - the CRC32C of the images in a transfer area
 * @buf: the images
 * @len: their length in bytes
 *
 * The value relief_crc32c(0, @buf, @len) gives, from the kernel's
 * slice-by-8 CRC32C, and on every online CPU for a large image: the images
 * are hundreds of MiB, and both kernels sum them while the processes are
 * frozen; proto's byte-at-a-time table is for slots and headers.
 *
 * Context: may sleep.
 * Return: the CRC32C.
 */
u32 relief_image_crc32c(const void *buf, size_t len)
{
	unsigned int n = min(num_online_cpus(), RELIEF_CRC_PARTS);

	if (len < RELIEF_CRC_SPLIT || n < 2)
		return ~__crc32c_le(~0U, buf, len);
	return relief_crc32c_parts(buf, len, n);
}

/* Both kernels must agree with proto's CRC32C, or every swap rolls back. */
static int __init relief_image_crc32c_check(void)
{
	static const char check[] = "123456789";
	static u8 buf[3000];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 131 + (i >> 3);
	WARN(relief_image_crc32c(check, 9) != RELIEF_CRC32C_CHECK ||
	     relief_image_crc32c(check, 9) != relief_crc32c(0, check, 9) ||
	     relief_crc32c_parts(buf, sizeof(buf), 3) !=
	     relief_crc32c(0, buf, sizeof(buf)),
	     "relief: the kernel's CRC32C differs from proto's\n");
	return 0;
}
late_initcall(relief_image_crc32c_check);

/**
 * relief_agent_open() - a run begins: requests may be posted
 * @area: physical base of the transfer area (0: none yet)
 * @size: its size in bytes
 *
 * Whatever an earlier run left queued is dropped.
 */
void relief_agent_open(phys_addr_t area, u64 size)
{
	spin_lock(&agent_lock);
	agent_running = true;
	agent_waited = false;
	agent_area = area;
	agent_area_size = area ? size : 0;
	agent_nr_posted = 0;
	agent_nr_taken = 0;
	agent_nr_done = 0;
	spin_unlock(&agent_lock);
	wake_up_all(&agent_wq);
}

/**
 * relief_agent_waited() - has an agent asked for work in this run?
 *
 * Return: true once an agent has called RELIEF_IOC_AGENT_WAIT since
 * relief_agent_open().
 */
bool relief_agent_waited(void)
{
	bool w;

	spin_lock(&agent_lock);
	w = agent_waited;
	spin_unlock(&agent_lock);
	return w;
}

/**
 * relief_agent_close() - the run is over
 *
 * Requests already posted (the END) are still handed out; after them an
 * agent's wait fails with -ESRCH.
 */
void relief_agent_close(void)
{
	spin_lock(&agent_lock);
	agent_running = false;
	spin_unlock(&agent_lock);
	wake_up_all(&agent_wq);
}

static void agent_set_area(phys_addr_t area, u64 size)
{
	if (!area)
		return;
	agent_area = area;
	agent_area_size = size;
}

/**
 * relief_agent_post() - queue a request for the agent
 * @op: RELIEF_AGENT_*
 * @fields: the request's other fields (NULL: none); its area_size is
 *	filled in when the agent takes it
 *
 * Return: the request's seq (never 0), or -EBUSY if the queue is full.
 */
int relief_agent_post(u32 op, const struct relief_agent_req *fields)
{
	struct relief_agent_req *r;
	int seq;

	spin_lock(&agent_lock);
	if (agent_nr_posted + agent_nr_taken >= RELIEF_AGENT_QUEUE) {
		spin_unlock(&agent_lock);
		return -EBUSY;
	}
	r = &agent_posted[agent_nr_posted++];
	if (fields)
		*r = *fields;
	else
		memset(r, 0, sizeof(*r));
	if (!++agent_seq)
		agent_seq = 1;
	seq = agent_seq;
	r->op = op;
	r->seq = seq;
	r->timeout_ms = 0;
	spin_unlock(&agent_lock);
	wake_up_all(&agent_wq);
	return seq;
}

/**
 * relief_agent_post_area() - set the transfer area a request refers to
 * @area: physical base
 * @size: bytes
 *
 * NEW learns the area only from PROC_IMAGE; it sets it before posting
 * RESTORE.
 */
void relief_agent_post_area(phys_addr_t area, u64 size)
{
	spin_lock(&agent_lock);
	agent_set_area(area, size);
	spin_unlock(&agent_lock);
}

/**
 * relief_agent_withdraw_area() - the agent may map no more of this memory
 * @base: physical base of the memory going away
 * @size: its size
 *
 * If the area requests refer to lies in it, there is none from now on:
 * new mappings and windows are refused (-ENODEV). Mappings made before
 * stay until unmapped (relief_agent_mapped()).
 */
void relief_agent_withdraw_area(phys_addr_t base, u64 size)
{
	spin_lock(&agent_lock);
	if (agent_area >= base && agent_area - base < size) {
		agent_area = 0;
		agent_area_size = 0;
	}
	spin_unlock(&agent_lock);
}

/*
 * Take the oldest reply to request @seq (0: to any request) off the
 * queue of answered ones.
 */
static bool agent_pop_done(u32 seq, struct relief_agent_done *d)
{
	unsigned int i;
	bool got = false;

	spin_lock(&agent_lock);
	for (i = 0; i < agent_nr_done; i++) {
		if (seq && agent_done[i].seq != seq)
			continue;
		*d = agent_done[i];
		agent_nr_done--;
		memmove(&agent_done[i], &agent_done[i + 1],
			(agent_nr_done - i) * sizeof(agent_done[0]));
		got = true;
		break;
	}
	spin_unlock(&agent_lock);
	return got;
}

/**
 * relief_agent_collect() - take one reply, if the agent has sent one
 * @d: where it is stored
 *
 * Return: true if *@d holds a reply.
 */
bool relief_agent_collect(struct relief_agent_done *d)
{
	return agent_pop_done(0, d);
}

/**
 * relief_agent_await() - wait a bounded time for the reply to one request
 * @seq: the request's seq
 * @ms: the bound
 * @d: where the reply is stored
 *
 * For the end of a run on OLD, whose agent prints the swap's summary
 * before the old kernel parks for good.
 *
 * Return: true if the reply came in time.
 */
bool relief_agent_await(u32 seq, unsigned int ms, struct relief_agent_done *d)
{
	return wait_event_timeout(agent_wq, agent_pop_done(seq, d),
				  msecs_to_jiffies(ms)) > 0;
}

/* Under agent_lock: hand out the oldest posted request. */
static bool agent_take(struct relief_agent_req *r)
{
	if (!agent_nr_posted)
		return false;
	*r = agent_posted[0];
	agent_nr_posted--;
	memmove(&agent_posted[0], &agent_posted[1],
		agent_nr_posted * sizeof(agent_posted[0]));
	agent_taken[agent_nr_taken].seq = r->seq;
	agent_taken[agent_nr_taken].op = r->op;
	agent_nr_taken++;
	r->area_size = agent_area_size;
	return true;
}

static bool agent_ready(void)
{
	bool ready;

	spin_lock(&agent_lock);
	ready = agent_nr_posted || !agent_running;
	spin_unlock(&agent_lock);
	return ready;
}

static long agent_wait(struct relief_agent_req __user *ureq)
{
	struct relief_agent_req r;
	long left;
	bool got;

	if (copy_from_user(&r, ureq, sizeof(r)))
		return -EFAULT;
	spin_lock(&agent_lock);
	agent_waited |= agent_running;
	spin_unlock(&agent_lock);
	left = wait_event_interruptible_timeout(agent_wq, agent_ready(),
						msecs_to_jiffies(r.timeout_ms));
	if (left < 0)
		return left;
	spin_lock(&agent_lock);
	got = agent_take(&r);
	if (!got && !agent_running) {
		spin_unlock(&agent_lock);
		return -ESRCH;
	}
	spin_unlock(&agent_lock);
	if (!got)
		return -EAGAIN;
	if (copy_to_user(ureq, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long agent_reply(const struct relief_agent_reply __user *urep)
{
	struct relief_agent_reply rep;
	struct relief_agent_done *d;
	unsigned int i;

	if (copy_from_user(&rep, urep, sizeof(rep)))
		return -EFAULT;
	if (rep.pad || rep.status < 0)
		return -EINVAL;
	spin_lock(&agent_lock);
	for (i = 0; i < agent_nr_taken; i++)
		if (agent_taken[i].seq == rep.seq)
			break;
	if (i == agent_nr_taken || agent_nr_done >= RELIEF_AGENT_QUEUE) {
		spin_unlock(&agent_lock);
		return -ESRCH;
	}
	d = &agent_done[agent_nr_done++];
	d->op = agent_taken[i].op;
	d->seq = rep.seq;
	d->status = rep.status;
	d->nr_procs = rep.nr_procs;
	d->image_len = rep.image_len;
	strscpy(d->why, rep.why, sizeof(d->why));
	agent_nr_taken--;
	memmove(&agent_taken[i], &agent_taken[i + 1],
		(agent_nr_taken - i) * sizeof(agent_taken[0]));
	spin_unlock(&agent_lock);
	wake_up_all(&agent_wq);
	return 0;
}

/* The run's transfer area (0: none) and, in *size, its size. */
static phys_addr_t agent_area_get(u64 *size)
{
	phys_addr_t area;

	spin_lock(&agent_lock);
	area = agent_area;
	*size = agent_area_size;
	spin_unlock(&agent_lock);
	return area;
}

/**
 * relief_agent_ioctl() - RELIEF_IOC_AGENT_WAIT, _REPLY and _WINDOW
 * @cmd: the ioctl
 * @arg: its user argument
 *
 * Called without relief's run lock: a wait may block for its timeout.
 *
 * Return: 0, -EAGAIN (no request within the timeout), -ESRCH (no run, or
 * a reply to no request), -EPERM, -EFAULT, -EINVAL or -ENOTTY; for a
 * window, what relief_window_ioctl() returns.
 */
long relief_agent_ioctl(unsigned int cmd, void __user *arg)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	switch (cmd) {
	case RELIEF_IOC_AGENT_WAIT:
		return agent_wait(arg);
	case RELIEF_IOC_AGENT_REPLY:
		return agent_reply(arg);
	case RELIEF_IOC_AGENT_WINDOW: {
		u64 size;
		phys_addr_t area = agent_area_get(&size);

		return relief_window_ioctl(area, size, arg);
	}
	}
	return -ENOTTY;
}

/*
 * Live mappings of the transfer area: the new kernel frees its area only
 * when none is left (relief_new_reclaim_kick()).
 */
static atomic_t agent_maps = ATOMIC_INIT(0);

static void agent_vm_open(struct vm_area_struct *vma)
{
	atomic_inc(&agent_maps);
}

static void agent_vm_close(struct vm_area_struct *vma)
{
	if (atomic_dec_and_test(&agent_maps))
		relief_new_reclaim_kick();
}

static const struct vm_operations_struct agent_vm_ops = {
	.open = agent_vm_open,
	.close = agent_vm_close,
};

/**
 * relief_agent_mapped() - does a process still map the transfer area?
 *
 * Return: true while one does.
 */
bool relief_agent_mapped(void)
{
	return atomic_read(&agent_maps) > 0;
}

/**
 * relief_agent_mmap() - map the transfer area
 * @f: /dev/relief
 * @vma: from offset 0, at most the area's size
 *
 * Return: 0, -EPERM, -ENODEV (no area yet) or -EINVAL.
 */
int relief_agent_mmap(struct file *f, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	phys_addr_t area;
	u64 size;
	int err;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	area = agent_area_get(&size);
	if (!area)
		return -ENODEV;
	if (vma->vm_pgoff || len > PAGE_ALIGN(size))
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	err = remap_pfn_range(vma, vma->vm_start, PHYS_PFN(area), len,
			      vma->vm_page_prot);
	if (err)
		return err;
	vma->vm_ops = &agent_vm_ops;
	agent_vm_open(vma);
	return 0;
}
