/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_fsm.h - the officer-of-the-deck state machines of both roles.
 *
 * Each role is one pure step function: (state, event, now) -> (state,
 * actions). No I/O, no clock, no globals: the caller reads the clock,
 * delivers decoded messages, performs the actions in list order and
 * reports local completions back as events. Every waiting state carries
 * an absolute deadline; any event at or after it fires the deadline first.
 *
 * Documentation/relief/protocol.rst has the state tables; keep them in
 * step with relief_fsm_old.c and relief_fsm_new.c.
 */
#ifndef RELIEF_FSM_H
#define RELIEF_FSM_H

#include "relief_compat.h"
#include "relief_msg.h"
#include "relief_owner.h"
#include "relief_qualify.h"

#define RELIEF_FSM_DEV_MAX	32	/* devices handed over in one run */
#define RELIEF_ACTIONS_MAX	8	/* actions one step can ask for */

/* Step results. Whatever the result, *next and *acts are valid. */
#define RELIEF_STEP_OK		0	/* event consumed */
#define RELIEF_STEP_IGNORED	1	/* no effect (terminal state, idle tick) */
#define RELIEF_STEP_EINVAL	(-1)	/* caller error: nothing changed */

/* Timeouts in ns, relative; each waiting state turns one into a deadline. */
struct relief_timeouts {
	uint64_t boot_ns;	/* OLD: START_NEW -> READY_TO_RELIEVE */
	/*
	 * READY_TO_RELIEVE -> I_RELIEVE_YOU, both;
	 * NEW: how long it holds a rehearsal
	 */
	uint64_t answer_ns;
	uint64_t step_ns;	/* any one local step (freeze, dump, ...) */
	/*
	 * OLD: TRANSFER_DONE -> TRANSFER_ACK;
	 * NEW: gap between two transfer messages
	 */
	uint64_t transfer_ns;
	uint64_t hb_period_ns;	/* send a HEARTBEAT this often; 0: never */
	uint64_t hb_timeout_ns;	/* peer silent this long: PEER_DEAD; 0: off */
};

enum relief_old_state {
	RELIEF_OLD_IDLE = 0,		/* no run yet */
	RELIEF_OLD_STARTING,		/* START_NEW issued */
	RELIEF_OLD_WAIT_READY,		/* NEW booting, awaiting READY_TO_RELIEVE */
	RELIEF_OLD_READY_SENT,		/* awaiting I_RELIEVE_YOU */
	RELIEF_OLD_FREEZING,		/* committed: FREEZE issued */
	RELIEF_OLD_DUMPING,		/* DUMP issued */
	RELIEF_OLD_RELEASING_DEVICE,	/* RELEASE_DEVICE issued */
	RELIEF_OLD_PARKING_CPUS,	/* PARK_CPUS issued */
	RELIEF_OLD_OFFLINING_MEM,	/* OFFLINE_MEM issued */
	RELIEF_OLD_WAIT_ACK,		/* TRANSFER_DONE sent */
	RELIEF_OLD_ABORTED,		/* terminal: OLD owns all, as if idle */
	RELIEF_OLD_ROLLED_BACK,		/* terminal: OLD owns all, resumed */
	RELIEF_OLD_STOOD_RELIEVED,	/* terminal: NEW owns all */
	RELIEF_OLD_STATE_COUNT
};

enum relief_new_state {
	RELIEF_NEW_BOOTING = 0,		/* kernel up, machine not started */
	RELIEF_NEW_WAIT_ANSWER,		/* READY_TO_RELIEVE sent */
	RELIEF_NEW_HOLDING,		/* rehearsal: answered, never commits */
	RELIEF_NEW_COMMITTED,		/* I_RELIEVE_YOU sent, awaiting PROC_IMAGE */
	RELIEF_NEW_RECEIVING,		/* collecting the transfer */
	RELIEF_NEW_BINDING,		/* BIND_DEVICE issued */
	RELIEF_NEW_RESTORING,		/* RESTORE issued */
	RELIEF_NEW_ACKED,		/* TRANSFER_ACK sent: OLD decides now */
	RELIEF_NEW_ABORTED,		/* terminal */
	RELIEF_NEW_ROLLED_BACK,		/* terminal */
	RELIEF_NEW_RELIEVED,		/* terminal: NEW owns all */
	RELIEF_NEW_STATE_COUNT
};

enum relief_event_type {
	RELIEF_EV_NONE = 0,
	RELIEF_EV_START,	/* operator start (OLD) / kernel booted (NEW) */
	RELIEF_EV_MSG,		/* a decoded message from the peer */
	RELIEF_EV_TICK,		/* time passed */
	RELIEF_EV_DONE,		/* the pending local action completed */
	RELIEF_EV_FAILED,	/* the pending local action failed */
	RELIEF_EV_ABORT,	/* operator abort, or local panic (reason) */
	RELIEF_EV_COUNT
};

enum relief_action_type {
	RELIEF_ACT_NONE = 0,
	RELIEF_ACT_SEND,		/* publish u.msg */
	RELIEF_ACT_START_NEW,		/* OLD: boot NEW on the lent partition */
	RELIEF_ACT_STOP_NEW,		/* OLD: stop NEW's CPUs, reclaim all it held */
	RELIEF_ACT_FREEZE,		/* OLD: freeze the processes to move */
	RELIEF_ACT_DUMP,		/* OLD: dump them (DONE carries u.image) */
	RELIEF_ACT_THAW,		/* OLD: let them run again */
	RELIEF_ACT_RELEASE_DEVICE,	/* OLD: quiesce, let go of u.device */
	RELIEF_ACT_RETAKE_DEVICES,	/* OLD: take back the first u.count devices */
	RELIEF_ACT_PARK_CPUS,		/* OLD: park u.cpus */
	RELIEF_ACT_OFFLINE_MEM,		/* OLD: stop using u.mem */
	/*
	 * OLD: re-online what it parked/offlined;
	 * NEW: online what OLD gave up
	 */
	RELIEF_ACT_ONLINE,
	RELIEF_ACT_PARK_SELF,		/* OLD: park the rest and leave, last act */
	RELIEF_ACT_BIND_DEVICE,		/* NEW: bind u.device */
	RELIEF_ACT_RESTORE,		/* NEW: restore u.image */
	RELIEF_ACT_HALT,		/* NEW: drop what it restored, idle */
	RELIEF_ACT_REPORT,		/* outcome: u.report */
	RELIEF_ACT_COUNT
};

enum relief_result {
	RELIEF_RESULT_DONE = 1,		/* NEW owns everything */
	RELIEF_RESULT_ABORTED = 2,	/* before commit: OLD owns everything */
	RELIEF_RESULT_ROLLED_BACK = 3,	/* after commit: OLD owns everything */
};

struct relief_report {
	uint32_t result;	/* enum relief_result */
	uint32_t reason;	/* enum relief_reason, NONE when done */
};

struct relief_action {
	uint32_t type;		/* enum relief_action_type */
	uint32_t pad;
	union {
		struct relief_msg msg;
		struct relief_msg_device device;
		struct relief_msg_cpu_release cpus;
		struct relief_msg_mem_release mem;
		struct relief_msg_proc_image image;
		uint32_t count;
		struct relief_report report;
	} u;
};

struct relief_actions {
	uint32_t nr;
	uint32_t pad;
	struct relief_action a[RELIEF_ACTIONS_MAX];
};

/*
 * A rehearsal: run steps 1 and 2 only. OLD still judges NEW as for a real
 * run, then agrees on no transfer feature, so NEW holds instead of
 * committing; the run ends in an abort (operator, either side's deadline).
 */
#define RELIEF_PLAN_REHEARSAL	(1u << 0)
#define RELIEF_PLAN_FLAGS	RELIEF_PLAN_REHEARSAL	/* all known flags */

/*
 * OLD's plan: every resource of the machine (all owned by OLD, flagged
 * LENT for NEW's partition and KEEP for what OLD runs on to the end), the
 * devices to hand over, what NEW must qualify with, and the timeouts.
 * expect.nr_cpus_lent and expect.mem_bytes_lent are recomputed from the
 * table.
 */
struct relief_old_plan {
	struct relief_owner_table owners;
	struct relief_expect expect;
	uint32_t nr_devices;
	uint32_t devices[RELIEF_FSM_DEV_MAX];	/* hwdesc device indices */
	uint32_t flags;				/* RELIEF_PLAN_* */
	struct relief_timeouts t;
};

/*
 * NEW's plan, from its boot: the machine as NEW sees it (LENT entries owned
 * by NEW, all others by OLD), its qualifications, what it requires.
 */
struct relief_new_plan {
	struct relief_owner_table owners;
	struct relief_quals quals;
	uint64_t required;
	struct relief_timeouts t;
};

struct relief_event {
	uint32_t type;		/* enum relief_event_type */
	uint32_t act;		/* DONE/FAILED: the action it completes */
	uint32_t reason;	/* FAILED/ABORT: enum relief_reason (or NONE) */
	uint32_t pad;
	union {
		const struct relief_old_plan *old_plan;	/* START, OLD */
		const struct relief_new_plan *new_plan;	/* START, NEW */
		struct relief_msg msg;			/* MSG */
		struct relief_msg_proc_image image;	/* DONE of DUMP */
		const char *text;	/* ABORT: why, for the peer; NULL: */
					/* the state it is given in */
	} u;
};

/* Things both roles keep. */
struct relief_fsm_common {
	uint32_t state;		/* enum relief_old_state / relief_new_state */
	uint32_t reason;	/* why it ended, for the terminal states */
	uint64_t deadline_ns;	/* absolute; 0: none in this state */
	uint64_t last_rx_ns;	/* when the peer was last heard */
	uint64_t next_hb_ns;	/* when to send the next HEARTBEAT */
	uint64_t hb_count;
	uint64_t tx_seq;	/* seq of the last message sent */
	struct relief_timeouts t;
	struct relief_msg_agreed agreed;
	struct relief_msg_proc_image image;
	uint32_t nr_devices;
	uint32_t dev_done;	/* devices handed over (OLD) / bound (NEW) */
	uint32_t devices[RELIEF_FSM_DEV_MAX];
};

struct relief_old_fsm {
	struct relief_fsm_common c;
	struct relief_expect expect;
	struct relief_msg_cpu_release parking;	/* batch in PARK_CPUS */
	int32_t offlining;			/* entry in OFFLINE_MEM, or -1 */
	uint8_t frozen;				/* THAW on rollback */
	uint8_t parked;				/* ONLINE on rollback */
	uint8_t rehearsal;			/* RELIEF_PLAN_REHEARSAL */
	uint8_t pad;
	struct relief_owner_table owners;
};

struct relief_new_fsm {
	struct relief_fsm_common c;
	struct relief_quals quals;
	uint64_t required;
	struct relief_owner_table owners;
};

void relief_old_init(struct relief_old_fsm *fsm);
int relief_old_step(const struct relief_old_fsm *cur,
		    const struct relief_event *ev, uint64_t now_ns,
		    struct relief_old_fsm *next, struct relief_actions *acts);
bool relief_old_committed(const struct relief_old_fsm *fsm);
bool relief_old_terminal(const struct relief_old_fsm *fsm);
uint32_t relief_old_view_status(const struct relief_old_fsm *fsm);
const char *relief_old_state_name(uint32_t state);

void relief_new_init(struct relief_new_fsm *fsm);
int relief_new_step(const struct relief_new_fsm *cur,
		    const struct relief_event *ev, uint64_t now_ns,
		    struct relief_new_fsm *next, struct relief_actions *acts);
bool relief_new_committed(const struct relief_new_fsm *fsm);
bool relief_new_terminal(const struct relief_new_fsm *fsm);
uint32_t relief_new_view_status(const struct relief_new_fsm *fsm);
const char *relief_new_state_name(uint32_t state);

const char *relief_action_name(uint32_t type);
const char *relief_event_name(uint32_t type);

/* Shared by both roles (relief_fsm_common.c). */
struct relief_action *relief_fsm_push(struct relief_actions *acts,
				      uint32_t type);
struct relief_msg *relief_fsm_send(struct relief_fsm_common *c,
				   struct relief_actions *acts, uint32_t role,
				   uint32_t type);
void relief_fsm_send_reason(struct relief_fsm_common *c,
			    struct relief_actions *acts, uint32_t role,
			    uint32_t type, uint32_t reason, const char *text);
void relief_fsm_report(struct relief_actions *acts, uint32_t result,
		       uint32_t reason);
void relief_fsm_heartbeat(struct relief_fsm_common *c,
			  struct relief_actions *acts, uint32_t role,
			  uint64_t now_ns);
uint64_t relief_fsm_deadline(uint64_t now_ns, uint64_t timeout_ns);

#endif /* RELIEF_FSM_H */
