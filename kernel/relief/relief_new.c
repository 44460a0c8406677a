// SPDX-License-Identifier: GPL-2.0
/*
 * relief - the NEW role, arch-independent part: a kernel booted with
 * relief=new talks to the kernel it relieves (OLD) over the shared mailbox.
 *
 * Its printk output goes into the mailbox console ring from the moment the
 * mailbox is mapped (the whole log so far is replayed), so OLD can show
 * NEW's boot even when NEW's own UART is not watched. Once booted, a
 * kthread runs the NEW state machine (proto/relief_fsm_new.c): it polls the
 * ring from OLD, feeds messages and ticks to the machine, and performs the
 * actions it returns. The arch side (arch/<arch>/relief) has parsed the
 * hardware description and set up the platform before any of this runs.
 */
#define pr_fmt(fmt) "relief: " fmt

#include <linux/console.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/timex.h>
#include <linux/utsname.h>
#include <linux/workqueue.h>

#include "relief.h"
#include "relief_agent.h"
#include "proto/relief_fsm.h"
#include "proto/relief_names.h"

/* Each protocol deadline of NEW unless relief.timeout_ms= says otherwise. */
#define RELIEF_NEW_TIMEOUT_MS	30000
/* How often NEW sends a HEARTBEAT message while OLD waits on it. */
#define RELIEF_NEW_HB_PERIOD_MS	250
/* How long a full ring is retried before the send counts as failed. */
#define RELIEF_NEW_SEND_TRIES	1000

bool relief_is_new;

static bool relief_inject_bad_version;
static u32 relief_timeout_ms = RELIEF_NEW_TIMEOUT_MS;
static bool relief_new_want_agent;

static struct relief_mailbox relief_mb;
static void *relief_mb_mem;	/* its mapping */
static bool relief_mb_ready;

/* Large (the owner table): static, and only the kthread touches them. */
static struct relief_new_fsm relief_fsm;
static struct relief_new_plan relief_plan;
static struct relief_actions relief_acts;
static struct relief_event relief_ev;
static struct relief_rx relief_rx;

/* For readers outside the kthread (sysfs). */
static u32 relief_state_now = RELIEF_NEW_BOOTING;

/* Early parameters only so that no "unknown parameter" reaches init. */
/*
 * Faults for rollback and containment tests (CONFIG_RELIEF_DEBUG_INJECT
 * only): relief.inject=FAULT@restore makes the RESTORE step fail, panic
 * this kernel, or fall silent (no message, no heartbeat: OLD's deadline
 * must notice); fail@bind makes the first device not come up;
 * fault@early is an invalid opcode while this kernel parses its command
 * line, before it has an IDT of its own, and panic@early a panic there,
 * before the mailbox is up; fault@entry is OLD's to inject (an image that
 * faults at its first instruction), nothing here.
 */
enum relief_fault {
	RELIEF_FAULT_NONE,
	RELIEF_FAULT_FAIL,
	RELIEF_FAULT_PANIC,
	RELIEF_FAULT_SILENT,
	RELIEF_FAULT_BIND,
	RELIEF_FAULT_EARLY,
	RELIEF_FAULT_ENTRY,
	RELIEF_FAULT_PANIC_EARLY,
};

static enum relief_fault relief_inject_fault;

static int __init relief_inject_param(char *s)
{
	static const char *const faults[] = {
		[RELIEF_FAULT_FAIL] = "fail@restore",
		[RELIEF_FAULT_PANIC] = "panic@restore",
		[RELIEF_FAULT_SILENT] = "silent@restore",
		[RELIEF_FAULT_BIND] = "fail@bind",
		[RELIEF_FAULT_EARLY] = "fault@early",
		[RELIEF_FAULT_ENTRY] = "fault@entry",
		[RELIEF_FAULT_PANIC_EARLY] = "panic@early",
	};
	int i;

	if (s && !strcmp(s, "bad-version")) {
		relief_inject_bad_version = true;
		return 0;
	}
	for (i = RELIEF_FAULT_FAIL; s && i < ARRAY_SIZE(faults); i++) {
		if (strcmp(s, faults[i]))
			continue;
		if (!IS_ENABLED(CONFIG_RELIEF_DEBUG_INJECT)) {
			pr_warn("relief.inject=%s needs CONFIG_RELIEF_DEBUG_INJECT\n",
				s);
			return 0;
		}
		relief_inject_fault = i;
		if (i == RELIEF_FAULT_EARLY && relief_is_new) {
			pr_warn("NEW: injected fault: an invalid opcode in early boot\n");
			/* The early handlers halt this CPU for good. */
			asm volatile("ud2");
			unreachable();
		}
		if (i == RELIEF_FAULT_PANIC_EARLY && relief_is_new)
			panic("relief: injected fault: NEW panics in early boot");
		return 0;
	}
	pr_warn("unknown relief.inject=%s\n", s ? s : "");
	return 0;
}
early_param("relief.inject", relief_inject_param);

static int __init relief_timeout_param(char *s)
{
	u32 ms;

	if (!s || kstrtou32(s, 0, &ms) || !ms)
		pr_warn("bad relief.timeout_ms=%s, keeping %u\n", s ? s : "",
			relief_timeout_ms);
	else
		relief_timeout_ms = ms;
	return 0;
}
early_param("relief.timeout_ms", relief_timeout_param);

/*
 * relief.agent: processes will move, so this kernel is ready to relieve
 * only once its agent (reliefctl agent) waits for the restore. Until then
 * OLD keeps running them: the freeze must not wait on this kernel's
 * userspace coming up.
 */
static int __init relief_agent_param(char *s)
{
	relief_new_want_agent = true;
	return 0;
}
early_param("relief.agent", relief_agent_param);

/**
 * relief_new_state_name_now() - NEW's protocol state, for sysfs
 *
 * Return: the state's name, or "none" if this kernel is not NEW.
 */
const char *relief_new_state_name_now(void)
{
	if (!relief_is_new)
		return "none";
	return relief_new_state_name(READ_ONCE(relief_state_now));
}

/**
 * relief_new_owns_machine() - has this kernel relieved the old one?
 *
 * Return: true once NEW is RELIEVED: it owns every CPU, page and device,
 * and may lend them to the next kernel.
 */
bool relief_new_owns_machine(void)
{
	return relief_is_new &&
	       READ_ONCE(relief_state_now) == RELIEF_NEW_RELIEVED;
}

/* --- the console ring --------------------------------------------- */

/*
 * Legacy console writes are serialised by the console lock, so the ring
 * has its single writer. Bytes that do not fit are dropped and counted
 * by the ring itself: printk must never wait for OLD.
 */
static void relief_con_write(struct console *con, const char *s,
			     unsigned int n)
{
	relief_console_write(relief_mailbox_console(&relief_mb), s, n);
}

/* Enabled without a console= match; replays the whole log. */
static struct console relief_con = {
	.name = "relief",
	.write = relief_con_write,
	.flags = CON_ENABLED | CON_PRINTBUFFER,
	.index = -1,
};

/*
 * Without the mailbox NEW can neither qualify nor answer; going on would
 * only keep OLD's CPUs busy. OLD's boot deadline takes them back. Does not
 * return.
 */
static void relief_new_give_up(const char *why)
{
	pr_emerg("NEW cannot take part: %s; halting\n", why);
	relief_arch_new_halt();
}

/*
 * As early as ioremap works: console_initcall runs from console_init(),
 * after the memory allocators and before the initcalls.
 */
static int __init relief_new_console_init(void)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	enum relief_mb_err err;
	void *mem;

	if (!relief_is_new)
		return 0;
	if (h->mailbox_size < RELIEF_MAILBOX_SIZE ||
	    h->mailbox_size > RELIEF_AREA_SIZE) {
		relief_new_give_up("mailbox size out of range");
		return -EINVAL;
	}
	mem = memremap(h->mailbox_base, h->mailbox_size, MEMREMAP_WB);
	if (!mem) {
		relief_new_give_up("cannot map the mailbox");
		return -ENOMEM;
	}
	err = relief_mailbox_attach(&relief_mb, mem, h->mailbox_size);
	if (err != RELIEF_MB_OK) {
		pr_emerg("mailbox at %#llx: %s\n", h->mailbox_base,
			 relief_mb_err_name(err));
		relief_new_give_up("mailbox refused");
		return -EINVAL;
	}
	relief_mb_mem = mem;
	relief_mb_ready = true;
	register_console(&relief_con);
	pr_info("NEW: mailbox at %#llx attached, console ring registered\n",
		h->mailbox_base);
	return 0;
}
console_initcall(relief_new_console_init);

/* --- the plan ----------------------------------------------------- */

static void __init relief_new_owner_of(u8 role, u16 *flags, u8 *owner)
{
	bool lent = role == RELIEF_ROLE_NEW;

	*flags = lent ? RELIEF_RES_LENT : 0;
	*owner = lent ? RELIEF_OWN_NEW : RELIEF_OWN_OLD;
}

/*
 * The machine as the hardware description shows it: what OLD lent is
 * NEW's, everything else OLD's. Then what NEW qualifies with.
 */
static int __init relief_new_build_plan(struct relief_new_plan *p)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	struct relief_quals *q = &p->quals;
	const void *blob;
	u64 tmo = (u64)relief_timeout_ms * NSEC_PER_MSEC;
	size_t len;
	u16 flags;
	u8 owner;
	u32 i;
	int err;

	memset(p, 0, sizeof(*p));
	relief_owner_init(&p->owners);
	for (i = 0; i < h->nr_cpus; i++) {
		relief_new_owner_of(h->cpus[i].owner, &flags, &owner);
		/* An index, or -1 when full. */
		if (relief_owner_add_cpu(&p->owners, (u32)h->cpus[i].hw_id,
					 owner, flags) < 0)
			return RELIEF_OWNER_ETOOMANY;
	}
	for (i = 0; i < h->nr_mem; i++) {
		relief_new_owner_of(h->mem[i].owner, &flags, &owner);
		if (relief_owner_add_mem(&p->owners, h->mem[i].base,
					 h->mem[i].size, owner, flags) < 0)
			return RELIEF_OWNER_ETOOMANY;
	}
	err = relief_owner_check(&p->owners, NULL);
	if (err != RELIEF_OWNER_OK)
		return err;

	strscpy(q->release, init_utsname()->release, sizeof(q->release));
	if (relief_inject_bad_version) {
		/* No kernel speaks these: OLD must abort with PROTO_VERSION. */
		q->proto_min = 0xfff0;
		q->proto_max = 0xffff;
		pr_warn("NEW: injecting an impossible protocol range %u-%u\n",
			q->proto_min, q->proto_max);
	} else {
		q->proto_min = RELIEF_PROTO_VERSION_MIN;
		q->proto_max = RELIEF_PROTO_VERSION_MAX;
	}
	q->features = RELIEF_FEAT_CONSOLE_RING | RELIEF_FEAT_HEARTBEAT |
		      RELIEF_FEAT_PROC_COPY | RELIEF_FEAT_PROC_IN_PLACE |
		      RELIEF_FEAT_DEVICE_HANDOVER;
	blob = relief_new_hwdesc_blob(&len);
	q->hwdesc_crc = blob ? relief_hwdesc_crc(blob, len) : 0;
	q->nr_cpus_seen = h->nr_cpus;
	q->nr_cpus_up = num_online_cpus();
	q->mem_bytes = relief_owner_mem_bytes(&p->owners, RELIEF_RES_LENT);
	p->required = 0;

	p->t.answer_ns = tmo;
	p->t.step_ns = tmo;
	p->t.transfer_ns = 3 * tmo;
	p->t.hb_period_ns = (u64)RELIEF_NEW_HB_PERIOD_MS * NSEC_PER_MSEC;
	p->t.hb_timeout_ns = tmo;
	return 0;
}

/* --- the transfer ------------------------------------------------- */

/* The images that passed relief_new_check_image(), not checked twice. */
static struct relief_msg_proc_image relief_new_checked;

/*
 * The images must lie in the transfer area, which this kernel holds out of
 * its allocator (relief_held.c), whole and as OLD sent them.
 *
 * Return: 0, or the reason to roll back.
 */
static u32 relief_new_check_image(const struct relief_msg_proc_image *img)
{
	u64 base = 0, size;
	void *p;
	u32 crc;

	if (!memcmp(img, &relief_new_checked, sizeof(*img)))
		return RELIEF_REASON_NONE;
	if (!relief_held_find(RELIEF_HELD_TRANSFER, &base, &size))
		size = 0;
	if (!img->len || img->phys < base || img->phys - base >= size ||
	    img->len > size - (img->phys - base)) {
		pr_err("NEW: images at %#llx+%#llx are not in the transfer area\n",
		       img->phys, img->len);
		return RELIEF_REASON_BAD_MESSAGE;
	}
	p = memremap(img->phys, img->len, MEMREMAP_WB);
	if (!p)
		return RELIEF_REASON_INTERNAL;
	crc = relief_image_crc32c(p, img->len);
	memunmap(p);
	if (crc != img->crc) {
		pr_err("NEW: images CRC %#x, OLD sent %#x\n", crc, img->crc);
		return RELIEF_REASON_RESTORE_FAILED;
	}
	relief_new_checked = *img;
	return RELIEF_REASON_NONE;
}

/*
 * PROC_IMAGE came: the agent may unpack the images while OLD lets go of
 * the devices and this kernel binds them (RESTORE comes after both). Only
 * images RESTORE would accept are offered, and not when the restore is to
 * fail by injection.
 */
static void relief_new_unpack_early(const struct relief_msg_proc_image *img)
{
	struct relief_agent_req req = {
		.nr_procs = img->nr_procs,
		.image_len = img->len,
	};

	if ((relief_inject_fault >= RELIEF_FAULT_FAIL &&
	     relief_inject_fault <= RELIEF_FAULT_SILENT) || !img->len ||
	    relief_new_check_image(img))
		return;
	relief_agent_post_area(img->phys, img->len);
	relief_agent_post(RELIEF_AGENT_UNPACK, &req);
}

/*
 * RESTORE: the images checked (relief_new_check_image()); then the agent
 * restores.
 *
 * Return: 0 once the request is posted (*@now: nothing to restore, done
 * already), or the reason to roll back.
 */
static u32 relief_new_restore(const struct relief_msg_proc_image *img,
			      bool *now)
{
	struct relief_agent_req req = {
		.nr_procs = img->nr_procs,
		.image_len = img->len,
	};
	u32 why;

	switch (relief_inject_fault) {
	case RELIEF_FAULT_FAIL:
		pr_warn("NEW: injected fault: the restore fails\n");
		return RELIEF_REASON_RESTORE_FAILED;
	case RELIEF_FAULT_PANIC:
		panic("relief: injected fault: NEW panics instead of restoring");
	case RELIEF_FAULT_SILENT:
		pr_warn("NEW: injected fault: falling silent\n");
		for (;;)
			msleep(1000);
	default:
		break;
	}
	*now = !img->len && !img->nr_procs;
	if (*now) {
		pr_info("NEW: no processes to restore\n");
		return RELIEF_REASON_NONE;
	}
	why = relief_new_check_image(img);
	if (why)
		return why;
	pr_info("NEW: restoring %u processes from %llu bytes of images\n",
		img->nr_procs, img->len);
	relief_agent_post_area(img->phys, img->len);
	if (relief_agent_post(RELIEF_AGENT_RESTORE, &req) < 0)
		return RELIEF_REASON_INTERNAL;
	return RELIEF_REASON_NONE;
}

/*
 * The run ended with OLD relieved: the console ring and the park are not
 * used again, and the park area joins this kernel's RAM. Not if one of
 * OLD's CPUs never reached the park: it may be running there still.
 */
static void relief_new_let_go_area(void)
{
	if (!relief_new_machine_taken())
		return;
	unregister_console(&relief_con);
	relief_mb_ready = false;
	memunmap(relief_mb_mem);
	relief_mb_mem = NULL;
	relief_arch_new_drop_park();
	relief_held_free(RELIEF_HELD_AREA, 0, U64_MAX);
	relief_new_reclaim_kick();
}

/* --- driving the state machine ------------------------------------ */

/* Send, retrying a full ring for about a second. */
static int relief_new_send(const struct relief_msg *m)
{
	int tries = RELIEF_NEW_SEND_TRIES;
	int ret;

	for (;;) {
		ret = relief_mailbox_send(&relief_mb, RELIEF_ROLE_NEW, m);
		if (ret != -RELIEF_RING_FULL || !--tries)
			break;
		usleep_range(1000, 2000);
	}
	if (ret)
		pr_err("NEW: cannot send %s: %d\n",
		       relief_msg_type_name(m->type), ret);
	return ret;
}

static void relief_new_report(const struct relief_report *r)
{
	static const char *const results[] = {
		[RELIEF_RESULT_DONE] = "done: NEW owns the machine",
		[RELIEF_RESULT_ABORTED] = "aborted",
		[RELIEF_RESULT_ROLLED_BACK] = "rolled back",
	};
	const char *res = r->result < ARRAY_SIZE(results) &&
			  results[r->result] ? results[r->result] : "?";

	struct relief_agent_req end = {
		.result = r->result,
		.reason = r->reason,
	};

	pr_info("NEW run %s (reason %s)\n", res, relief_reason_name(r->reason));
	strscpy(end.reason_name, relief_reason_name(r->reason),
		sizeof(end.reason_name));
	relief_agent_post(RELIEF_AGENT_END, &end);
	relief_agent_close();
}

/*
 * An action's outcome, as the event to feed next: only the first one a
 * step asks for counts (@next->type is RELIEF_EV_NONE until then).
 */
static void relief_new_follow_up(struct relief_event *next, u32 type,
				 u32 act, u32 reason)
{
	if (next->type != RELIEF_EV_NONE)
		return;
	next->type = type;
	next->act = act;
	next->reason = reason;
}

/* SEND: a message that cannot be sent aborts the run. */
static void relief_new_act_send(const struct relief_action *a,
				struct relief_event *next)
{
	if (a->u.msg.type != RELIEF_MSG_HEARTBEAT)
		pr_info("NEW sends %s\n", relief_msg_type_name(a->u.msg.type));
	if (relief_new_send(&a->u.msg))
		relief_new_follow_up(next, RELIEF_EV_ABORT, RELIEF_ACT_NONE,
				     RELIEF_REASON_INTERNAL);
}

/* RESTORE: done at once, failed, or done later by the agent. */
static void relief_new_act_restore(const struct relief_action *a,
				   struct relief_event *next)
{
	bool now;
	u32 why = relief_new_restore(&a->u.image, &now);

	if (why || now)
		relief_new_follow_up(next, why ? RELIEF_EV_FAILED :
				     RELIEF_EV_DONE, a->type, why);
}

/* BIND_DEVICE: the device OLD let go of, bound here. */
static void relief_new_act_bind(const struct relief_action *a,
				struct relief_event *next)
{
	const struct relief_hwdesc *h = relief_new_hwdesc();
	u32 d = a->u.device.hw_index;
	int err = d < h->nr_devices ?
		  relief_arch_new_bind_device(&h->devices[d]) : -EINVAL;

	if (relief_inject_fault == RELIEF_FAULT_BIND) {
		pr_warn("NEW: injected fault: device %u does not come up\n", d);
		err = -EIO;
	}
	relief_new_follow_up(next, err ? RELIEF_EV_FAILED : RELIEF_EV_DONE,
			     a->type, err ? RELIEF_REASON_DEVICE_FAILED :
			     RELIEF_REASON_NONE);
}

/* Perform one action; HALT is only noted, for the end of the step. */
static void relief_new_act(const struct relief_action *a,
			   struct relief_event *next, bool *halt)
{
	switch (a->type) {
	case RELIEF_ACT_SEND:
		relief_new_act_send(a, next);
		break;
	case RELIEF_ACT_REPORT:
		relief_new_report(&a->u.report);
		break;
	case RELIEF_ACT_HALT:
		*halt = true;
		break;
	case RELIEF_ACT_RESTORE:
		relief_new_act_restore(a, next);
		break;
	case RELIEF_ACT_ONLINE:
		relief_new_take_machine();
		break;
	case RELIEF_ACT_BIND_DEVICE:
		relief_new_act_bind(a, next);
		break;
	default:
		pr_warn("NEW: action %s not supported yet\n",
			relief_action_name(a->type));
		relief_new_follow_up(next, RELIEF_EV_FAILED, a->type,
				     RELIEF_REASON_INTERNAL);
		break;
	}
}

/*
 * One step: feed *@ev, perform the actions in order. HALT is done last, so
 * the REPORT after it is still logged and every SEND before it is out. A
 * local action's outcome (BIND_DEVICE, RESTORE) or a failed send becomes
 * the next event, written to *@ev.
 *
 * Return: true if *@ev holds a follow-up event to feed.
 */
static bool relief_new_step_once(struct relief_event *ev)
{
	u32 before = relief_fsm.c.state;
	struct relief_event next = { 0 };
	bool halt = false;
	u32 i;
	int rc;

	rc = relief_new_step(&relief_fsm, ev, ktime_get_ns(), &relief_fsm,
			     &relief_acts);
	if (rc == RELIEF_STEP_EINVAL)
		pr_warn("NEW: event %s (action %s) refused in state %s\n",
			relief_event_name(ev->type),
			relief_action_name(ev->act),
			relief_new_state_name(relief_fsm.c.state));
	if (relief_fsm.c.state != before)
		pr_info("NEW state %s -> %s\n", relief_new_state_name(before),
			relief_new_state_name(relief_fsm.c.state));

	for (i = 0; i < relief_acts.nr && i < RELIEF_ACTIONS_MAX; i++)
		relief_new_act(&relief_acts.a[i], &next, &halt);
	/*
	 * Shown once its actions are done: RELIEVED means the CPUs and memory
	 * are online, not that onlining them has begun.
	 */
	WRITE_ONCE(relief_state_now, relief_fsm.c.state);
	if (halt) {
		pr_emerg("NEW halting its CPUs; OLD takes them back\n");
		relief_arch_new_halt();
	}
	if (next.type == RELIEF_EV_NONE)
		return false;
	*ev = next;
	return true;
}

static void relief_new_feed(struct relief_event *ev)
{
	while (relief_new_step_once(ev))
		;
}

/* Deliver everything OLD has queued; a bad message ends the run. */
static void relief_new_poll(void)
{
	int n, rc;

	for (n = 0; n < RELIEF_RING_SLOTS; n++) {
		if (relief_new_terminal(&relief_fsm))
			return;
		memset(&relief_ev, 0, sizeof(relief_ev));
		rc = relief_mailbox_recv(&relief_mb, RELIEF_ROLE_NEW,
					 &relief_rx, &relief_ev.u.msg);
		if (rc == -RELIEF_RING_EMPTY)
			return;
		if (rc) {
			pr_err("NEW: bad message from OLD: %s\n",
			       rc < 0 ? relief_ring_err_name(-rc) :
			       relief_wire_err_name(rc));
			memset(&relief_ev, 0, sizeof(relief_ev));
			relief_ev.type = RELIEF_EV_ABORT;
			relief_ev.reason = RELIEF_REASON_BAD_MESSAGE;
			relief_new_feed(&relief_ev);
			return;
		}
		if (relief_ev.u.msg.type != RELIEF_MSG_HEARTBEAT)
			pr_info("NEW received %s\n",
				relief_msg_type_name(relief_ev.u.msg.type));
		if (relief_ev.u.msg.type == RELIEF_MSG_PROC_IMAGE &&
		    relief_fsm.c.state == RELIEF_NEW_COMMITTED)
			relief_new_unpack_early(&relief_ev.u.msg.u.proc_image);
		relief_ev.type = RELIEF_EV_MSG;
		relief_new_feed(&relief_ev);
	}
}

/* The agent's answer to RESTORE completes that action. */
static void relief_new_collect_agent(void)
{
	struct relief_agent_done d;

	while (relief_agent_collect(&d)) {
		if (d.op != RELIEF_AGENT_RESTORE)
			continue;
		memset(&relief_ev, 0, sizeof(relief_ev));
		relief_ev.act = RELIEF_ACT_RESTORE;
		if (d.status) {
			pr_err("NEW: restore failed: %s\n", d.why);
			relief_ev.type = RELIEF_EV_FAILED;
			relief_ev.reason = RELIEF_REASON_RESTORE_FAILED;
		} else {
			pr_info("NEW: %u processes restored\n", d.nr_procs);
			relief_ev.type = RELIEF_EV_DONE;
		}
		relief_new_feed(&relief_ev);
	}
}

/*
 * With relief.agent, wait (heartbeating, at most one deadline) for the
 * agent before saying READY_TO_RELIEVE.
 *
 * Return: true if the agent waits (or none is wanted).
 */
static bool relief_new_await_agent(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(relief_timeout_ms);

	if (!relief_new_want_agent)
		return true;
	while (!relief_agent_waited()) {
		if (time_after(jiffies, end)) {
			pr_err("NEW: no agent asked for work within %u ms; not ready\n",
			       relief_timeout_ms);
			return false;
		}
		relief_mailbox_heartbeat_bump(&relief_mb, RELIEF_ROLE_NEW);
		usleep_range(5000, 10000);
	}
	pr_info("NEW: its agent waits\n");
	return true;
}

/*
 * A device kernel A hands over whose driver this kernel lacks: it could
 * not bind it after the commit, so it says why and is not ready.
 *
 * Return: the reason to abort with, or NULL.
 */
static const char *relief_new_lacks_driver(void)
{
	static char why[RELIEF_TEXT_LEN];
	const struct relief_hwdesc_device *d =
		relief_new_missing_driver(relief_new_hwdesc());

	if (!d)
		return NULL;
	snprintf(why, sizeof(why), "no driver %s for %s", d->compatible,
		 d->name);
	pr_err("NEW: %s in this kernel (kernel A hands it over); not ready\n",
	       why);
	return why;
}

static int relief_new_thread(void *unused)
{
	bool agent = relief_new_await_agent();
	const char *lacks = relief_new_lacks_driver();

	relief_rx_init(&relief_rx);
	relief_new_init(&relief_fsm);
	memset(&relief_ev, 0, sizeof(relief_ev));
	relief_ev.type = RELIEF_EV_START;
	relief_ev.u.new_plan = &relief_plan;
	relief_new_feed(&relief_ev);
	if (relief_fsm.c.state == RELIEF_NEW_BOOTING) {
		relief_new_give_up("the state machine refused NEW's plan");
		return -EINVAL;
	}
	/* Not ready after all: abort before OLD can commit (same thread). */
	if (!agent || lacks) {
		memset(&relief_ev, 0, sizeof(relief_ev));
		relief_ev.type = RELIEF_EV_ABORT;
		relief_ev.reason = lacks ? RELIEF_REASON_DEVICE_FAILED :
					   RELIEF_REASON_INTERNAL;
		relief_ev.u.text = lacks;
		relief_new_feed(&relief_ev);
	}

	while (!relief_new_terminal(&relief_fsm)) {
		relief_mailbox_heartbeat_bump(&relief_mb, RELIEF_ROLE_NEW);
		relief_new_collect_agent();
		relief_new_poll();
		if (relief_new_terminal(&relief_fsm))
			break;
		memset(&relief_ev, 0, sizeof(relief_ev));
		relief_ev.type = RELIEF_EV_TICK;
		relief_new_feed(&relief_ev);
		usleep_range(1000, 2000);
	}
	pr_info("NEW run over in state %s\n",
		relief_new_state_name(relief_fsm.c.state));
	if (relief_fsm.c.state == RELIEF_NEW_RELIEVED)
		relief_new_let_go_area();
	return 0;
}

/**
 * relief_new_died() - this kernel dies before it relieved OLD: say so
 * @reset: a reset or power-off rather than a panic
 *
 * OLD is told at once rather than left waiting for a deadline: the
 * machine's step for a local abort (reason PANIC), of which only the
 * messages are sent. The other CPUs are stopped before panic notifiers and
 * reset paths run, so the kthread is not stepping concurrently (if it
 * panicked itself, the state it stepped from is still a whole one). Before
 * the mailbox is up the arch records it where OLD looks.
 */
void relief_new_died(bool reset)
{
	static struct relief_new_fsm fsm;
	static struct relief_actions acts;
	static struct relief_event pev = {
		.type = RELIEF_EV_ABORT,
		.reason = RELIEF_REASON_PANIC,
	};
	u32 i;

	if (!relief_is_new || relief_new_owns_machine())
		return;
	if (!relief_mb_ready || relief_fsm.c.state == RELIEF_NEW_BOOTING) {
		relief_arch_new_died(reset);
		return;
	}
	if (relief_new_terminal(&relief_fsm) ||
	    relief_new_step(&relief_fsm, &pev, ktime_get_mono_fast_ns(), &fsm,
			    &acts) == RELIEF_STEP_EINVAL)
		return;
	for (i = 0; i < acts.nr && i < RELIEF_ACTIONS_MAX; i++)
		if (acts.a[i].type == RELIEF_ACT_SEND)
			relief_mailbox_send(&relief_mb, RELIEF_ROLE_NEW,
					    &acts.a[i].u.msg);
}

static int relief_new_panic(struct notifier_block *nb, unsigned long ev,
			    void *buf)
{
	relief_new_died(false);
	return NOTIFY_DONE;
}

static struct notifier_block relief_new_panic_nb = {
	.notifier_call = relief_new_panic,
};

/**
 * relief_new_early() - relief=new is parsed: OLD hears of a panic from now on
 *
 * From the arch's relief=new parameter, early in setup_arch(): a panic
 * before the mailbox is up is recorded where OLD looks (relief_new_died()).
 */
void __init relief_new_early(void)
{
	atomic_notifier_chain_register(&panic_notifier_list,
				       &relief_new_panic_nb);
}

/*
 * The arch started this kernel's clocks where OLD's are (x86:
 * read_persistent_wall_and_boot_offset()); what timekeeping_init() cannot
 * take is set here: OLD's TAI offset. OLD's time spent suspended
 * (CLOCK_BOOTTIME ahead of CLOCK_MONOTONIC) is not carried: say so.
 */
static void __init relief_new_take_clocks(void)
{
	const struct relief_hwdesc_clock *k = &relief_new_hwdesc()->clock;
	struct __kernel_timex tx = {
		.modes = ADJ_TAI,
		.constant = k->tai_offset,
	};

	if (!k->stamp)
		return;
	if (k->tai_offset && do_adjtimex(&tx) < 0)
		pr_warn("NEW: cannot take OLD's TAI offset %d\n", k->tai_offset);
	if (k->boottime_ns != k->monotonic_ns)
		pr_warn("NEW: OLD's boot time was %llu ns ahead of its monotonic clock (suspended); here they start equal\n",
			k->boottime_ns - k->monotonic_ns);
}

/*
 * Once this kernel is up: all its CPUs online (SMP is brought up before
 * the initcalls), its drivers probed.
 */
static int __init relief_new_start(void)
{
	struct task_struct *t;
	int err;

	if (!relief_is_new || !relief_mb_ready)
		return 0;
	relief_new_take_clocks();
	err = relief_new_build_plan(&relief_plan);
	if (err) {
		pr_emerg("NEW: hardware description gives no owner table: %s\n",
			 relief_owner_err_name(err));
		relief_new_give_up("no plan");
		return -EINVAL;
	}
	pr_info("NEW: %s, protocol %u-%u, %u of %u CPUs up, %llu MiB, hwdesc crc %#x\n",
		relief_plan.quals.release, relief_plan.quals.proto_min,
		relief_plan.quals.proto_max, relief_plan.quals.nr_cpus_up,
		relief_plan.quals.nr_cpus_seen,
		relief_plan.quals.mem_bytes >> 20, relief_plan.quals.hwdesc_crc);
	relief_agent_open(0, 0);
	t = kthread_run(relief_new_thread, NULL, "relief-new");
	if (IS_ERR(t)) {
		relief_new_give_up("cannot start the protocol thread");
		return PTR_ERR(t);
	}
	return 0;
}
late_initcall(relief_new_start);
