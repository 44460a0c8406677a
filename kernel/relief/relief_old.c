// SPDX-License-Identifier: GPL-2.0
/*
 * relief, OLD role: lend CPUs and the region to a new kernel, boot it there
 * and run the officer-of-the-deck protocol with it.
 *
 * /dev/relief's PREPARE ioctl does everything that can fail on bad input
 * before anything changes (image, CPUs, region, command line), then takes
 * the CPUs, loads and starts the new kernel and returns. From there a
 * kthread drives proto/'s OLD state machine: it polls the mailbox, feeds
 * messages and clock ticks to relief_old_step() and performs the actions
 * it returns. All decisions (qualification, deadlines, abort) are the
 * state machine's; this file only carries them out.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kexec.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/io.h>
#include <linux/reboot.h>
#include <linux/nodemask.h>
#include <linux/sched/smt.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/syscore_ops.h>
#include <linux/umh.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "relief.h"
#include "relief_old.h"
#include "relief_agent.h"
#include "relief_window.h"
#include "proto/relief_fsm.h"
#include "proto/relief_names.h"
#include "uapi/linux/relief.h"

#define RELIEF_TIMEOUT_DEFAULT_MS	60000
#define RELIEF_POLL_MIN_US		500
#define RELIEF_POLL_MAX_US		1000
#define RELIEF_EVENTS_MAX		16
/* The transfer area unless the operator says: a quarter of the region. */
#define RELIEF_TRANSFER_MIN		SZ_4M
/* How long the agent may take to print the summary before OLD parks. */
#define RELIEF_END_WAIT_MS		2000
/* One line saying where NEW died (relief_fault_text()). */
#define RELIEF_FAULT_TEXT_MAX		192

static DEFINE_MUTEX(relief_lock);	/* everything below */

static struct relief_old_fsm relief_fsm, relief_fsm_next;
static struct relief_old_plan relief_plan;
static struct relief_hwdesc relief_hw;
static u8 relief_hw_blob[RELIEF_HWDESC_BLOB_MAX] __aligned(8);
static struct relief_mailbox relief_mb;
static struct relief_rx relief_rx;
static struct relief_region relief_reg;
static struct relief_boot relief_boot_info;
static struct cpumask relief_lent;
static struct cpumask relief_parked;	/* released during the transfer */
static struct relief_msg_proc_image relief_image;	/* what DUMP made */
static u32 relief_dev_idx[RELIEF_FSM_DEV_MAX];	/* devices that move */
static u32 relief_nr_dev;
static struct task_struct *relief_thread;
static bool relief_active;		/* a run has CPUs or is in flight */
static struct relief_quals relief_peer;	/* what NEW said it is */
static bool relief_peer_known;
static struct relief_peer_fault relief_fault;	/* where NEW died */
static bool relief_fault_seen;
static bool relief_old_ran;		/* a run was started here */

static u64 relief_t[RELIEF_PHASE_COUNT];
static const char * const relief_phase_names[RELIEF_PHASE_COUNT] = {
	[RELIEF_PHASE_PREPARE] = "prepare",
	[RELIEF_PHASE_CPUS_PARKED] = "cpus-parked",
	[RELIEF_PHASE_LOADED] = "loaded",
	[RELIEF_PHASE_STARTED] = "started",
	[RELIEF_PHASE_READY_TO_RELIEVE] = "ready-to-relieve",
	[RELIEF_PHASE_READY_TO_BE_RELIEVED] = "ready-to-be-relieved",
	[RELIEF_PHASE_COMMITTED] = "committed",
	[RELIEF_PHASE_DUMPED] = "dumped",
	[RELIEF_PHASE_ACKED] = "acked",
	[RELIEF_PHASE_ENDED] = "ended",
};

/* NEW's console, as drained from the mailbox: the last RELIEF_LOG_SIZE bytes. */
#define RELIEF_LOG_SIZE		SZ_64K
static char relief_log[RELIEF_LOG_SIZE];
static size_t relief_log_len;		/* bytes in relief_log */
static u64 relief_log_total;		/* bytes ever received */

/* Pending events produced by actions, fed back before the next poll. */
static struct relief_event relief_evq[RELIEF_EVENTS_MAX];
static unsigned int relief_evq_nr;

static void relief_phase(enum relief_phase p)
{
	relief_t[p] = ktime_get_ns();
}

static void relief_log_append(const char *buf, size_t len)
{
	relief_log_total += len;
	if (len >= RELIEF_LOG_SIZE) {
		memcpy(relief_log, buf + len - RELIEF_LOG_SIZE, RELIEF_LOG_SIZE);
		relief_log_len = RELIEF_LOG_SIZE;
		return;
	}
	if (relief_log_len + len > RELIEF_LOG_SIZE) {
		size_t drop = relief_log_len + len - RELIEF_LOG_SIZE;

		memmove(relief_log, relief_log + drop, relief_log_len - drop);
		relief_log_len -= drop;
	}
	memcpy(relief_log + relief_log_len, buf, len);
	relief_log_len += len;
}

static void relief_drain_console(void)
{
	char buf[256];
	size_t n;

	while ((n = relief_console_read(relief_mailbox_console(&relief_mb),
					buf, sizeof(buf))) > 0)
		relief_log_append(buf, n);
}

static void relief_queue(u32 type, u32 act, u32 reason)
{
	struct relief_event *ev;

	if (WARN_ON(relief_evq_nr >= RELIEF_EVENTS_MAX))
		return;
	ev = &relief_evq[relief_evq_nr++];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->act = act;
	ev->reason = reason;
}

/* Give @mask's CPUs back to this kernel: INIT-SIPI-SIPI resets each. */
static int relief_return_cpus(const struct cpumask *mask)
{
	int cpu, ret, err = 0;

	for_each_cpu(cpu, mask) {
		set_cpu_present(cpu, true);
		ret = add_cpu(cpu);
		if (ret) {
			pr_err("CPU %d did not come back online: %d\n",
			       cpu, ret);
			err = ret;
		}
	}
	/* After: a kernel that relieved another starts some from the park. */
	relief_arch_park_release();
	arch_smt_update();
	return err;
}

static int relief_reclaim_cpus(void)
{
	struct cpumask all;
	int err;

	cpumask_or(&all, &relief_lent, &relief_parked);
	err = relief_return_cpus(&all);
	if (!err) {
		cpumask_clear(&relief_lent);
		cpumask_clear(&relief_parked);
	}
	return err;
}

/* PARK_CPUS: the batch goes offline into the park, as the lent CPUs did. */
static int relief_park_batch(const struct relief_msg_cpu_release *b)
{
	struct cpumask mask;
	u32 i;
	int cpu, ret;

	cpumask_clear(&mask);
	for (i = 0; i < b->nr && i < RELIEF_CPU_RELEASE_MAX; i++) {
		for_each_present_cpu(cpu)
			if (relief_arch_cpu_hw_id(cpu) == b->hw_ids[i])
				break;
		if (cpu >= nr_cpu_ids || cpu == 0) {
			pr_err("no CPU of mine has hardware id %#x\n",
			       b->hw_ids[i]);
			return -EINVAL;
		}
		cpumask_set_cpu(cpu, &mask);
	}
	ret = relief_arch_park_add(&mask);
	if (ret)
		return ret;
	for_each_cpu(cpu, &mask) {
		if (cpu_online(cpu)) {
			ret = remove_cpu(cpu);
			if (ret) {
				pr_err("CPU %d would not go offline: %d\n",
				       cpu, ret);
				return ret;
			}
		}
		cpumask_set_cpu(cpu, &relief_parked);
		set_cpu_present(cpu, false);
	}
	arch_smt_update();
	return 0;
}

/* FREEZE: the agent freezes and dumps; its reply completes FREEZE. */
static void relief_freeze(void)
{
	int seq = relief_agent_post(RELIEF_AGENT_DUMP, NULL);

	if (seq < 0)
		relief_queue(RELIEF_EV_FAILED, RELIEF_ACT_FREEZE,
			     RELIEF_REASON_INTERNAL);
}

static void relief_agent_replied(const struct relief_agent_done *d)
{
	struct relief_region *r = &relief_reg;
	void *img;

	if (d->op != RELIEF_AGENT_DUMP) {
		if (d->status)
			pr_warn("agent: %s\n", d->why);
		return;
	}
	if (d->status) {
		pr_err("the processes cannot move: %s\n", d->why);
		relief_queue(RELIEF_EV_FAILED, RELIEF_ACT_FREEZE,
			     RELIEF_REASON_DUMP_FAILED);
		return;
	}
	if (d->image_len > relief_boot_info.transfer_size) {
		pr_err("agent says %llu bytes of images, the area has %llu\n",
		       d->image_len, (u64)relief_boot_info.transfer_size);
		relief_queue(RELIEF_EV_FAILED, RELIEF_ACT_FREEZE,
			     RELIEF_REASON_DUMP_FAILED);
		return;
	}
	img = phys_to_virt(relief_boot_info.transfer_base);
	relief_image.phys = relief_boot_info.transfer_base;
	relief_image.len = d->image_len;
	relief_image.nr_procs = d->nr_procs;
	relief_image.crc = relief_image_crc32c(img, d->image_len);
	pr_info("%u processes dumped, %llu bytes of images at %pa in region %pa\n",
		d->nr_procs, d->image_len, &relief_boot_info.transfer_base,
		&r->base);
	relief_phase(RELIEF_PHASE_DUMPED);
	relief_queue(RELIEF_EV_DONE, RELIEF_ACT_FREEZE, RELIEF_REASON_NONE);
}

static void relief_collect_agent(void)
{
	struct relief_agent_done d;

	while (relief_agent_collect(&d))
		relief_agent_replied(&d);
}

static int relief_end_seq;

static void relief_report(const struct relief_report *rep)
{
	struct relief_agent_req end = {
		.result = rep->result,
		.reason = rep->reason,
	};

	pr_info("run %s (%s)\n",
		rep->result == RELIEF_RESULT_DONE ? "done" :
		rep->result == RELIEF_RESULT_ABORTED ? "aborted" :
		"rolled back", relief_reason_name(rep->reason));
	strscpy(end.reason_name, relief_reason_name(rep->reason),
		sizeof(end.reason_name));
	relief_end_seq = relief_agent_post(RELIEF_AGENT_END, &end);
}

/*
 * PARK_SELF: NEW owns everything. Let the agent print its summary, then
 * leave the machine as kexec would, but for the devices: no
 * device_shutdown() and no kexec_in_progress. Every PCI device with a
 * driver was handed over and NEW drives it now: a shutdown callback (the
 * virtio bus resets its devices) or the PCI core clearing bus mastering
 * would pull it from under NEW. The rest of A's devices do no DMA. Then
 * the IOAPIC, local APIC and HPET are switched off (machine_shutdown) and
 * the boot CPU parks where NEW starts it. Does not return.
 */
static void relief_stand_relieved(void)
{
	struct relief_agent_done d;

	relief_phase(RELIEF_PHASE_ENDED);
	/*
	 * The run is over (STOOD_RELIEVED is terminal) and this thread never
	 * returns: let the agent read /sys/kernel/relief for its summary.
	 */
	mutex_unlock(&relief_lock);
	if (relief_end_seq > 0 &&
	    !relief_agent_await(relief_end_seq, RELIEF_END_WAIT_MS, &d))
		pr_warn("the agent did not answer the end of the run\n");
	pr_emerg("I stand relieved; this kernel parks its last CPU now\n");
	usermodehelper_disable();
	system_state = SYSTEM_RESTART;
	migrate_to_reboot_cpu();
	syscore_shutdown();
	machine_shutdown();
	relief_arch_leave_iommu();
	relief_arch_park_self();
}

/*
 * Let go of one device; after the last one, of the IOMMU's remapping too:
 * NEW binds the devices next, with DMA and MSIs of its own.
 */
static int relief_release_one(u32 hw_index)
{
	int ret;

	if (hw_index >= relief_hw.nr_devices)
		return -EINVAL;
	ret = relief_release_device(&relief_hw.devices[hw_index]);
	if (!ret && relief_nr_dev &&
	    hw_index == relief_dev_idx[relief_nr_dev - 1])
		relief_arch_lend_iommu();
	return ret;
}

static void relief_do_action(const struct relief_action *a)
{
	int ret;

	switch (a->type) {
	case RELIEF_ACT_SEND:
		ret = relief_mailbox_send(&relief_mb, RELIEF_ROLE_OLD, &a->u.msg);
		/* A silent NEW fills the ring: its deadline will tell. */
		if (ret && a->u.msg.type != RELIEF_MSG_HEARTBEAT)
			pr_warn_ratelimited("sending %s failed: %d\n",
					    relief_msg_type_name(a->u.msg.type),
					    ret);
		if (a->u.msg.type == RELIEF_MSG_READY_TO_BE_RELIEVED)
			relief_phase(RELIEF_PHASE_READY_TO_BE_RELIEVED);
		break;
	case RELIEF_ACT_START_NEW:
		ret = relief_arch_start(cpumask_first(&relief_lent),
					relief_boot_info.entry,
					relief_boot_info.boot_params);
		relief_phase(RELIEF_PHASE_STARTED);
		relief_queue(ret ? RELIEF_EV_FAILED : RELIEF_EV_DONE, a->type,
			     ret ? RELIEF_REASON_INTERNAL : RELIEF_REASON_NONE);
		break;
	case RELIEF_ACT_STOP_NEW:
	case RELIEF_ACT_ONLINE:
		ret = relief_reclaim_cpus();
		relief_queue(ret ? RELIEF_EV_FAILED : RELIEF_EV_DONE, a->type,
			     ret ? RELIEF_REASON_INTERNAL : RELIEF_REASON_NONE);
		break;
	case RELIEF_ACT_FREEZE:
		relief_phase(RELIEF_PHASE_COMMITTED);
		relief_freeze();
		break;
	case RELIEF_ACT_DUMP: {
		struct relief_event ev = {
			.type = RELIEF_EV_DONE,
			.act = RELIEF_ACT_DUMP,
		};

		/* The agent froze and dumped in one go. */
		ev.u.image = relief_image;
		if (WARN_ON(relief_evq_nr >= RELIEF_EVENTS_MAX))
			break;
		relief_evq[relief_evq_nr++] = ev;
		break;
	}
	case RELIEF_ACT_THAW:
		if (relief_agent_post(RELIEF_AGENT_THAW, NULL) < 0)
			pr_err("cannot ask the agent to thaw the processes\n");
		break;
	case RELIEF_ACT_RELEASE_DEVICE:
		ret = relief_release_one(a->u.device.hw_index);
		relief_queue(ret ? RELIEF_EV_FAILED : RELIEF_EV_DONE, a->type,
			     ret ? RELIEF_REASON_DEVICE_FAILED :
			     RELIEF_REASON_NONE);
		break;
	case RELIEF_ACT_RETAKE_DEVICES: {
		u32 i;

		/* Rollback: no completion is awaited; each failure is logged. */
		relief_arch_reclaim_iommu();
		for (i = 0; i < a->u.count && i < relief_nr_dev; i++)
			relief_retake_device(&relief_hw.devices[relief_dev_idx[i]]);
		break;
	}
	case RELIEF_ACT_PARK_CPUS:
		ret = relief_park_batch(&a->u.cpus);
		relief_queue(ret ? RELIEF_EV_FAILED : RELIEF_EV_DONE, a->type,
			     ret ? RELIEF_REASON_INTERNAL : RELIEF_REASON_NONE);
		break;
	case RELIEF_ACT_OFFLINE_MEM:
		/* OLD's RAM is KEEP: it runs on it until it parks. */
		relief_queue(RELIEF_EV_DONE, a->type, RELIEF_REASON_NONE);
		break;
	case RELIEF_ACT_PARK_SELF:
		relief_stand_relieved();
		break;
	case RELIEF_ACT_REPORT:
		relief_report(&a->u.report);
		break;
	default:
		/* Devices are not handed over yet. */
		pr_err("action %s is not supported by this kernel\n",
		       relief_action_name(a->type));
		relief_queue(RELIEF_EV_FAILED, a->type, RELIEF_REASON_INTERNAL);
		break;
	}
}

/* One event through the state machine, and its actions carried out. */
static void relief_step(const struct relief_event *ev)
{
	static struct relief_actions acts;
	u32 before = relief_fsm.c.state;
	u32 i;

	if (relief_old_step(&relief_fsm, ev, ktime_get_ns(), &relief_fsm_next,
			    &acts) == RELIEF_STEP_EINVAL) {
		pr_err("state machine refused event %s\n",
		       relief_event_name(ev->type));
		return;
	}
	relief_fsm = relief_fsm_next;
	if (relief_fsm.c.state != before) {
		pr_info("OLD %s -> %s\n", relief_old_state_name(before),
			relief_old_state_name(relief_fsm.c.state));
		if (relief_fsm.c.state == RELIEF_OLD_READY_SENT) {
			relief_phase(RELIEF_PHASE_READY_TO_RELIEVE);
			relief_window_in_place(relief_fsm.c.agreed.features &
					       RELIEF_FEAT_PROC_IN_PLACE);
		}
		if (relief_fsm.c.state == RELIEF_OLD_STOOD_RELIEVED)
			relief_phase(RELIEF_PHASE_ACKED);
	}
	for (i = 0; i < acts.nr; i++)
		relief_do_action(&acts.a[i]);
}

static void relief_run_queue(void)
{
	while (relief_evq_nr) {
		struct relief_event ev = relief_evq[0];

		relief_evq_nr--;
		memmove(&relief_evq[0], &relief_evq[1],
			relief_evq_nr * sizeof(relief_evq[0]));
		relief_step(&ev);
	}
}

/*
 * NEW died where it could send no message (at its entry, in early boot):
 * the park recorded the fault. End the run now, naming it, rather than at
 * a deadline that could only say NEW never answered.
 */
/*
 * Where NEW died, as one line for the log and for sysfs's peer file; the
 * addresses (its text, its data) only if @addr: kptr_restrict's audience.
 */
static int relief_fault_text(char *buf, size_t len,
			     const struct relief_peer_fault *f, bool addr)
{
	if (!f->exception)
		return scnprintf(buf, len, "died: it %s (CPU %u)\n", f->where,
				 f->hw_id);
	if (!addr)
		return scnprintf(buf, len, "died %s: %s (vector %u) on CPU %u\n",
				 f->where, f->name, f->vector, f->hw_id);
	return scnprintf(buf, len,
			 "died %s: %s (vector %u) at %#llx, error %#llx, address %#llx, on CPU %u\n",
			 f->where, f->name, f->vector, f->ip, f->error, f->addr,
			 f->hw_id);
}

static void relief_check_peer_fault(void)
{
	char text[RELIEF_FAULT_TEXT_MAX];

	if (relief_fault_seen || relief_old_terminal(&relief_fsm) ||
	    !relief_arch_peer_fault(&relief_fault))
		return;
	relief_fault_seen = true;
	relief_fault_text(text, sizeof(text), &relief_fault, true);
	pr_emerg("the new kernel %s", text);
	relief_queue(RELIEF_EV_ABORT, 0, RELIEF_REASON_PANIC);
}

/* NEW's ABORT or ROLLBACK says why, in words: the operator's to read. */
static void relief_note_peer_end(const struct relief_msg *m)
{
	if (m->type != RELIEF_MSG_ABORT && m->type != RELIEF_MSG_ROLLBACK)
		return;
	pr_err("the new kernel sends %s (%s): %.*s\n",
	       relief_msg_type_name(m->type),
	       relief_reason_name(m->u.reason.reason),
	       (int)sizeof(m->u.reason.text), m->u.reason.text);
}

static void relief_poll(void)
{
	struct relief_event ev = { .type = RELIEF_EV_MSG };
	int ret;

	relief_drain_console();
	relief_collect_agent();
	relief_check_peer_fault();
	relief_run_queue();
	while ((ret = relief_mailbox_recv(&relief_mb, RELIEF_ROLE_OLD,
					  &relief_rx, &ev.u.msg)) >= 0) {
		if (ret > 0) {
			pr_warn("rejected a message from NEW: %s\n",
				relief_wire_err_name(ret));
			relief_queue(RELIEF_EV_ABORT, 0, RELIEF_REASON_BAD_MESSAGE);
			break;
		}
		if (ev.u.msg.type == RELIEF_MSG_READY_TO_RELIEVE) {
			relief_peer = ev.u.msg.u.quals;
			relief_peer_known = true;
		}
		relief_note_peer_end(&ev.u.msg);
		relief_step(&ev);
		relief_run_queue();
	}
	relief_run_queue();
	ev.type = RELIEF_EV_TICK;
	relief_step(&ev);
	relief_run_queue();
}

/*
 * PREPARE, the region: a kernel that relieved another makes it now from
 * movable memory (relief_carve.c); one reserved at boot is there already.
 */
static int relief_region_get(void)
{
	return relief_reg.at_prepare ? relief_carve_region(&relief_reg) : 0;
}

/* A region made at PREPARE goes back when the run did not hand over. */
static void relief_region_put(void)
{
	if (relief_reg.at_prepare && relief_reg.base)
		relief_carve_return(&relief_reg);
}

/*
 * PREPARE, the lent resources that are not CPUs: the region (made now, or
 * reserved at boot) and the new kernel's UART. Undone by relief_lent_put().
 */
static int relief_lent_get(void)
{
	int ret = relief_region_get();

	if (ret)
		return ret;
	ret = relief_arch_lend_console();
	if (ret)
		relief_region_put();
	return ret;
}

static void relief_lent_put(void)
{
	relief_arch_return_console();
	relief_region_put();
}

static int relief_thread_fn(void *unused)
{
	bool done = false;

	while (!done) {
		usleep_range(RELIEF_POLL_MIN_US, RELIEF_POLL_MAX_US);
		mutex_lock(&relief_lock);
		relief_poll();
		if (relief_old_terminal(&relief_fsm)) {
			relief_drain_console();
			relief_phase(RELIEF_PHASE_ENDED);
			relief_agent_close();
			/* This kernel keeps the pages frame lists named. */
			relief_window_frames_drop();
			relief_active = !cpumask_empty(&relief_lent) ||
					!cpumask_empty(&relief_parked);
			/* Not while a CPU that ran NEW is still out. */
			if (!relief_active)
				relief_lent_put();
			relief_thread = NULL;
			done = true;
		}
		mutex_unlock(&relief_lock);
	}
	return 0;
}

/* Which CPUs: given, online, present, never the boot CPU, not all. */
static int relief_check_cpus(const struct relief_prepare *p,
			     struct cpumask *mask)
{
	unsigned int cpu;

	cpumask_clear(mask);
	for (cpu = 0; cpu < RELIEF_MAX_CPUS; cpu++) {
		if (!(p->cpus[cpu / 64] & (1ULL << (cpu % 64))))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
			pr_err("CPU %u is not online\n", cpu);
			return -EINVAL;
		}
		cpumask_set_cpu(cpu, mask);
	}
	if (cpumask_empty(mask)) {
		pr_err("no CPUs to lend\n");
		return -EINVAL;
	}
	if (cpumask_test_cpu(0, mask)) {
		pr_err("CPU 0 is the boot CPU and is never lent\n");
		return -EINVAL;
	}
	/* Asked of every CPU while all are online: the BSP is remembered. */
	for_each_online_cpu(cpu) {
		if (relief_arch_cpu_never_init(cpu) &&
		    cpumask_test_cpu(cpu, mask)) {
			pr_err("CPU %u is the machine's boot CPU: it would be taken back with INIT, so it is never lent\n",
			       cpu);
			return -EINVAL;
		}
	}
	if (cpumask_subset(cpu_online_mask, mask)) {
		pr_err("lending every CPU leaves this kernel none\n");
		return -EINVAL;
	}
	return 0;
}

static int relief_owner_plan(void)
{
	struct relief_owner_table *t = &relief_plan.owners;
	u32 i;
	int ret = 0;	/* relief_owner_add_*() return an index, or -1 */

	relief_owner_init(t);
	for (i = 0; i < relief_hw.nr_cpus && ret >= 0; i++) {
		const struct relief_hwdesc_cpu *c = &relief_hw.cpus[i];

		ret = relief_owner_add_cpu(t, c->hw_id, RELIEF_OWN_OLD,
					   c->owner == RELIEF_ROLE_NEW ?
					   RELIEF_RES_LENT :
					   c->boot ? RELIEF_RES_KEEP : 0);
	}
	for (i = 0; i < relief_hw.nr_mem && ret >= 0; i++) {
		const struct relief_hwdesc_mem *m = &relief_hw.mem[i];

		if (m->kind != RELIEF_HWDESC_MEM_RAM &&
		    m->kind != RELIEF_HWDESC_MEM_RELIEF)
			continue;
		/* OLD's own RAM is KEEP: it runs on it to the end. */
		ret = relief_owner_add_mem(t, m->base, m->size, RELIEF_OWN_OLD,
					   m->owner == RELIEF_ROLE_NEW ?
					   RELIEF_RES_LENT : RELIEF_RES_KEEP);
	}
	return ret < 0 ? -E2BIG : 0;
}

static void relief_plan_init(const struct relief_prepare *p, size_t blob_len)
{
	u64 ms = p->timeout_ms ? p->timeout_ms : RELIEF_TIMEOUT_DEFAULT_MS;
	struct relief_expect *e = &relief_plan.expect;

	relief_plan.t.boot_ns = ms * NSEC_PER_MSEC;
	relief_plan.t.answer_ns = ms * NSEC_PER_MSEC;
	relief_plan.t.step_ns = ms * NSEC_PER_MSEC;
	relief_plan.t.transfer_ns = ms * NSEC_PER_MSEC;
	relief_plan.t.hb_period_ns = 100 * NSEC_PER_MSEC;
	relief_plan.t.hb_timeout_ns = 0;	/* deadlines cover stage 1 */
	relief_plan.nr_devices = relief_nr_dev;
	memcpy(relief_plan.devices, relief_dev_idx, sizeof(relief_dev_idx));
	relief_plan.flags = p->flags & RELIEF_PREPARE_REHEARSAL ?
			    RELIEF_PLAN_REHEARSAL : 0;
	e->proto_min = RELIEF_PROTO_VERSION_MIN;
	e->proto_max = RELIEF_PROTO_VERSION_MAX;
	e->hwdesc_crc = relief_hwdesc_crc(relief_hw_blob, blob_len);
	e->features = RELIEF_FEAT_CONSOLE_RING | RELIEF_FEAT_HEARTBEAT |
		      RELIEF_FEAT_PROC_COPY | RELIEF_FEAT_PROC_IN_PLACE;
	e->features |= RELIEF_FEAT_DEVICE_HANDOVER;
	e->required = relief_nr_dev ? RELIEF_FEAT_DEVICE_HANDOVER : 0;
	e->nr_cpus_described = relief_hw.nr_cpus;
}

/*
 * This kernel's lockdown level as NEW's lockdown= (NULL: none), so that
 * NEW checks the kernel after it as this one checks NEW. The LSM hook is
 * the only way to ask; a locked-down kernel logs the question ("integrity
 * is restricted"), once per PREPARE.
 */
static const char *relief_lockdown_arg(void)
{
	if (security_locked_down(LOCKDOWN_CONFIDENTIALITY_MAX - 1))
		return "lockdown=confidentiality";
	if (security_locked_down(LOCKDOWN_INTEGRITY_MAX))
		return "lockdown=integrity";
	return NULL;
}

/* The operator's part of NEW's command line, after this kernel's lockdown. */
static char *relief_cmdline_extra(const struct relief_prepare *p)
{
	const char *lock = relief_lockdown_arg();
	char *extra = NULL, *both;

	if (p->cmdline_len) {
		if (p->cmdline_len > PAGE_SIZE)
			return ERR_PTR(-E2BIG);
		extra = strndup_user(u64_to_user_ptr(p->cmdline),
				     p->cmdline_len);
		if (IS_ERR(extra))
			return extra;
		/* Faults after commit are for test kernels only. */
		if (!IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT) &&
		    strstr(extra, "relief.inject=")) {
			pr_err("fault injection needs CONFIG_RELIEF_DEBUG_INJECT\n");
			kfree(extra);
			return ERR_PTR(-EPERM);
		}
	}
	if (!lock)
		return extra;
	both = kasprintf(GFP_KERNEL, "%s%s%s", lock, extra ? " " : "",
			 extra ? extra : "");
	kfree(extra);
	return both ? both : ERR_PTR(-ENOMEM);
}

/* Build NEW's command line: relief's own part, then the operator's. */
static char *relief_cmdline(const struct relief_prepare *p)
{
	char *extra, *line;
	int ret;

	extra = relief_cmdline_extra(p);
	if (IS_ERR(extra))
		return extra;
	line = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!line) {
		kfree(extra);
		return ERR_PTR(-ENOMEM);
	}
	ret = relief_arch_new_cmdline(line, PAGE_SIZE, extra,
				      p->flags & RELIEF_PREPARE_BAD_VERSION,
				      p->timeout_ms);
	kfree(extra);
	if (ret < 0) {
		kfree(line);
		return ERR_PTR(ret);
	}
	return line;
}

/* Take the CPUs: offline (they park), then not present (no IPI to them). */
static int relief_take_cpus(const struct cpumask *mask)
{
	struct cpumask done;
	int cpu, ret;

	ret = relief_arch_park_prepare(&relief_reg, mask);
	if (ret)
		return ret;
	cpumask_clear(&done);
	for_each_cpu(cpu, mask) {
		ret = remove_cpu(cpu);
		if (ret) {
			pr_err("CPU %d would not go offline: %d\n",
			       cpu, ret);
			relief_return_cpus(&done);
			return ret;
		}
		cpumask_set_cpu(cpu, &done);
		set_cpu_present(cpu, false);
	}
	arch_smt_update();	/* present != booted: no IPI broadcasts */
	return 0;
}

/* PREPARE, the checks of the request and this kernel's state: no change. */
static int relief_prepare_check(const struct relief_prepare *p,
				struct cpumask *mask)
{
	int ret;

	/* First: a run still out may hold a region made for it. */
	if (relief_active)
		return -EBUSY;
	relief_arch_region(&relief_reg);
	if (!relief_reg.base && !relief_reg.at_prepare) {
		pr_err("no region reserved: boot with relief_region=SIZE\n");
		return -ENXIO;
	}
	/* kexec_load_disabled and kexec_load_limit_reboot hold for relief. */
	if (!kexec_load_permitted(KEXEC_TYPE_DEFAULT)) {
		pr_err("this kernel may load no other kernel (kernel.kexec_load_disabled or kexec_load_limit_reboot)\n");
		return -EPERM;
	}
	if (relief_is_new && !relief_new_owns_machine()) {
		pr_err("this kernel is still relieving the old one\n");
		return -EBUSY;
	}
	if ((p->flags & RELIEF_PREPARE_NO_MARKER) &&
	    !IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT))
		return -EPERM;
	ret = relief_arch_choose_console(p->console);
	if (ret)
		return ret;
	return relief_check_cpus(p, mask);
}

/* PREPARE, the description of the machine and the plan built from it. */
static int relief_prepare_describe(const struct relief_prepare *p,
				   const struct cpumask *mask)
{
	size_t blob_len = 0;
	int ret;

	ret = relief_describe(&relief_hw, &relief_reg, mask);
	if (!ret)
		ret = relief_describe_devices(&relief_hw, relief_dev_idx,
					      &relief_nr_dev);
	if (ret == -EOPNOTSUPP)
		return ret;
	if (!ret)
		ret = relief_hwdesc_build(&relief_hw, relief_hw_blob,
					  sizeof(relief_hw_blob), &blob_len) ?
		      -EINVAL : 0;
	if (!ret)
		ret = relief_owner_plan();
	if (ret) {
		pr_err("cannot describe this machine: %d\n", ret);
		return ret;
	}
	relief_boot_info.hwdesc = relief_hw_blob;
	relief_boot_info.hwdesc_len = blob_len;
	relief_plan_init(p, blob_len);
	return 0;
}

/* PREPARE, the run's mailbox in the region, fresh. */
static void relief_prepare_mailbox(void)
{
	void *mb = phys_to_virt(relief_reg.base + RELIEF_AREA_MAILBOX);

	relief_mailbox_init(mb, RELIEF_MAILBOX_SIZE);
	relief_mailbox_attach(&relief_mb, mb, RELIEF_MAILBOX_SIZE);
	relief_rx_init(&relief_rx);
	relief_log_len = 0;
	relief_log_total = 0;
	relief_peer_known = false;
	relief_fault_seen = false;
}

/* PREPARE, the new kernel into the region, with its transfer area. */
static int relief_prepare_load(const struct relief_prepare *p, char *cmdline)
{
	struct relief_boot *b = &relief_boot_info;
	int ret;

	b->cmdline = cmdline;
	b->fault_at_entry = IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT) &&
			    strstr(cmdline, "relief.inject=fault@entry");
	b->transfer_size = p->transfer_mb ?
			   (phys_addr_t)p->transfer_mb * SZ_1M :
			   max_t(phys_addr_t, RELIEF_TRANSFER_MIN,
				 ALIGN_DOWN(relief_reg.size / 4, SZ_1M));
	ret = relief_arch_load(&relief_reg, b);
	if (ret) {
		pr_err("cannot load the new kernel into the region: %d\n", ret);
		return ret;
	}
	relief_phase(RELIEF_PHASE_LOADED);
	pr_info("new kernel loaded, entry %pa, transfer area %pa+%pa, command line: %s\n",
		&b->entry, &b->transfer_base, &b->transfer_size, cmdline);
	return 0;
}

/*
 * PREPARE, last: the state machine starts, and the kthread that drives it.
 * Return: 0, or why the kthread did not start (the run is aborted then).
 */
static int relief_prepare_start(void)
{
	struct relief_event ev = { .type = RELIEF_EV_START };

	memset(&relief_image, 0, sizeof(relief_image));
	relief_end_seq = 0;
	relief_agent_open(relief_boot_info.transfer_base,
			  relief_boot_info.transfer_size);
	relief_old_init(&relief_fsm);
	relief_evq_nr = 0;
	WRITE_ONCE(relief_old_ran, true);
	ev.u.old_plan = &relief_plan;
	relief_step(&ev);
	relief_run_queue();
	relief_thread = kthread_run(relief_thread_fn, NULL, "relief");
	if (IS_ERR(relief_thread)) {
		int ret = PTR_ERR(relief_thread);

		relief_thread = NULL;
		relief_queue(RELIEF_EV_ABORT, 0, RELIEF_REASON_INTERNAL);
		relief_run_queue();
		return ret;
	}
	return 0;
}

/*
 * RELIEF_IOC_PREPARE: everything that can be refused is checked before the
 * first change (the region made, the CPUs taken); each change is undone
 * if a later step fails.
 */
static long relief_prepare(const struct relief_prepare __user *up)
{
	struct relief_boot *b = &relief_boot_info;
	struct relief_prepare p;
	struct cpumask mask;
	char *cmdline;
	int ret, check;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (copy_from_user(&p, up, sizeof(p)))
		return -EFAULT;
	if (p.flags & ~RELIEF_PREPARE_FLAGS || p.pad)
		return -EINVAL;
	ret = relief_prepare_check(&p, &mask);
	if (ret)
		return ret;
	ret = relief_image_read(p.kernel_fd, p.initrd_fd, b,
				p.flags & RELIEF_PREPARE_NO_MARKER, &check);
	if (ret)
		return ret;
	cmdline = relief_cmdline(&p);
	if (IS_ERR(cmdline)) {
		ret = PTR_ERR(cmdline);
		goto out_free;
	}

	/* Nothing has changed so far; from here on, undo on failure. */
	ret = relief_lent_get();
	if (ret)
		goto out_cmdline;
	ret = relief_prepare_describe(&p, &mask);
	if (ret)
		goto out_lent;
	memset(relief_t, 0, sizeof(relief_t));
	relief_phase(RELIEF_PHASE_PREPARE);
	ret = relief_take_cpus(&mask);
	if (ret)
		goto out_lent;
	cpumask_copy(&relief_lent, &mask);
	relief_active = true;
	relief_phase(RELIEF_PHASE_CPUS_PARKED);
	relief_prepare_mailbox();
	ret = relief_prepare_load(&p, cmdline);
	if (ret)
		goto out_cpus;
	ret = relief_prepare_start();
	goto out_cmdline;

out_cpus:
	relief_reclaim_cpus();
	relief_active = false;
out_lent:
	relief_lent_put();
out_cmdline:
	kfree(cmdline);
out_free:
	relief_image_free(b);
	return ret;
}

static long relief_abort(void)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (!relief_active || relief_old_terminal(&relief_fsm))
		return -ESRCH;
	relief_queue(RELIEF_EV_ABORT, 0, RELIEF_REASON_OPERATOR);
	relief_run_queue();
	return 0;
}

static long relief_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	long ret;

	/* Not under the run lock: a wait blocks, and the kthread needs it. */
	if (cmd == RELIEF_IOC_AGENT_WAIT || cmd == RELIEF_IOC_AGENT_REPLY ||
	    cmd == RELIEF_IOC_AGENT_WINDOW)
		return relief_agent_ioctl(cmd, (void __user *)arg);
	mutex_lock(&relief_lock);
	switch (cmd) {
	case RELIEF_IOC_PREPARE:
		ret = relief_prepare((const void __user *)arg);
		break;
	case RELIEF_IOC_ABORT:
		ret = relief_abort();
		break;
	case RELIEF_IOC_CHECK_IMAGE:
		ret = relief_image_ioctl_check((void __user *)arg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&relief_lock);
	return ret;
}

static const struct file_operations relief_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = relief_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = relief_agent_mmap,
};

static struct miscdevice relief_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "relief",
	.fops = &relief_fops,
	.mode = 0600,
};

/* --- what /sys/kernel/relief shows of the OLD role ------------------- */

/**
 * relief_old_show_keep() - the CPUs a swap never lends
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: a cpulist of this kernel's boot CPU and, in a
 * kernel that relieved another, the machine's BSP (an INIT would take it
 * back, see relief_arch_cpu_never_init()).
 */
ssize_t relief_old_show_keep(char *buf)
{
	struct cpumask keep;
	unsigned int cpu;

	cpumask_clear(&keep);
	cpus_read_lock();
	for_each_online_cpu(cpu)
		if (relief_arch_cpu_never_init(cpu))
			cpumask_set_cpu(cpu, &keep);
	cpus_read_unlock();
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&keep));
}

/**
 * relief_old_has_run() - has this kernel ever started a run as OLD?
 *
 * Return: true once a PREPARE got as far as starting the state machine.
 */
bool relief_old_has_run(void)
{
	return READ_ONCE(relief_old_ran);
}

/**
 * relief_old_show_state() - the run's state for sysfs
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: "IDLE", or the state name, with the reason once a
 * run has ended.
 */
ssize_t relief_old_show_state(char *buf)
{
	ssize_t n;

	mutex_lock(&relief_lock);
	if (relief_fsm.c.reason)
		n = sysfs_emit(buf, "%s %s\n",
			       relief_old_state_name(relief_fsm.c.state),
			       relief_reason_name(relief_fsm.c.reason));
	else
		n = sysfs_emit(buf, "%s\n",
			       relief_old_state_name(relief_fsm.c.state));
	mutex_unlock(&relief_lock);
	return n;
}

/**
 * relief_old_show_cpus() - the CPUs lent to the new kernel, as a cpulist
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written.
 */
ssize_t relief_old_show_cpus(char *buf)
{
	ssize_t n;

	mutex_lock(&relief_lock);
	n = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&relief_lent));
	mutex_unlock(&relief_lock);
	return n;
}

/**
 * relief_old_show_region() - the reserved region and low chunk
 * @buf: PAGE_SIZE buffer
 *
 * Physical addresses only to CAP_SYS_ADMIN, as /proc/iomem shows them:
 * others see the sizes, and 0 for the bases.
 *
 * Return: bytes written: "BASE SIZE LOW_BASE LOW_SIZE" in hex, all 0 when
 * no region was reserved; BASE 0 with a SIZE for a region made at PREPARE
 * (relief_carve.c) while no run holds one.
 */
ssize_t relief_old_show_region(char *buf)
{
	struct relief_region r;
	bool addr = capable(CAP_SYS_ADMIN);

	relief_arch_region(&r);
	mutex_lock(&relief_lock);
	if (r.at_prepare && relief_reg.at_prepare && relief_reg.base)
		r = relief_reg;
	mutex_unlock(&relief_lock);
	return sysfs_emit(buf, "%#llx %#llx %#llx %#llx\n",
			  addr ? (u64)r.base : 0, (u64)r.size,
			  addr ? (u64)r.low_base : 0, (u64)r.low_size);
}

/**
 * relief_old_show_timings() - when each phase of the last run happened
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: one "phase ns-since-prepare" line per phase
 * reached.
 */
ssize_t relief_old_show_timings(char *buf)
{
	ssize_t n = 0;
	int i;

	mutex_lock(&relief_lock);
	for (i = 0; i < RELIEF_PHASE_COUNT; i++)
		if (relief_t[i])
			n += sysfs_emit_at(buf, n, "%s %llu\n",
					   relief_phase_names[i],
					   relief_t[i] - relief_t[0]);
	mutex_unlock(&relief_lock);
	return n;
}

/**
 * relief_old_show_peer() - what the new kernel said it is
 * @buf: PAGE_SIZE buffer
 *
 * Return: bytes written: where it died, if the park saw it die; its
 * release, protocol range, features and what it saw, once READY_TO_RELIEVE
 * arrived; empty before.
 */
ssize_t relief_old_show_peer(char *buf)
{
	ssize_t n = 0;

	mutex_lock(&relief_lock);
	if (relief_fault_seen)
		n = relief_fault_text(buf, PAGE_SIZE, &relief_fault,
				      capable(CAP_SYSLOG));
	if (relief_peer_known)
		n += sysfs_emit_at(buf, n,
			       "release %s\nprotocol %u-%u\nfeatures %#llx\ncpus_seen %u\ncpus_up %u\nmem_bytes %llu\n",
			       relief_peer.release, relief_peer.proto_min,
			       relief_peer.proto_max, relief_peer.features,
			       relief_peer.nr_cpus_seen, relief_peer.nr_cpus_up,
			       relief_peer.mem_bytes);
	mutex_unlock(&relief_lock);
	return n;
}

/**
 * relief_old_read_console() - the new kernel's console log, as received
 * @buf: destination
 * @off: offset into the log as it is now
 * @count: bytes wanted
 *
 * Return: bytes copied.
 */
ssize_t relief_old_read_console(char *buf, loff_t off, size_t count)
{
	ssize_t n = 0;

	mutex_lock(&relief_lock);
	if (relief_active && !relief_old_terminal(&relief_fsm))
		relief_drain_console();
	if (off < relief_log_len) {
		n = min_t(size_t, count, relief_log_len - off);
		memcpy(buf, relief_log + off, n);
	}
	mutex_unlock(&relief_lock);
	return n;
}

static int __init relief_old_init_dev(void)
{
	relief_old_init(&relief_fsm);
	return misc_register(&relief_misc);
}
late_initcall(relief_old_init_dev);
