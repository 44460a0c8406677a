/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sim.h - two-process simulator of a relief run.
 *
 * sim_run() forks an "old" and a "new" process that run the real proto/
 * state machines over a real shared mailbox (memfd + MAP_SHARED, formatted
 * by old with relief_mailbox_init, attached by new with
 * relief_mailbox_attach on its own mapping), exchanging encoded messages
 * through the rings, with the clock from CLOCK_MONOTONIC. Local actions
 * (START_NEW, FREEZE, DUMP, ...) complete at once, or fail where the
 * config injects a fault.
 *
 * The ownership invariant is checked after every step: each side checks
 * its own table (relief_owner_check) and publishes its view -- state,
 * table, messages not yet in the ring -- into a second shared page; then,
 * under a lock shared by both processes so that the views and the ring
 * contents form one consistent cut, relief_owner_check_global() runs over
 * both views and every message in flight. The parent checks once more
 * after both processes are gone.
 *
 * Everything is bounded: each process gives up at cfg.limit_ms, and the
 * parent kills what is left a little later, saying so in res.error.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "relief_fsm.h"

#define SIM_OLD		0	/* index of a side in the arrays below */
#define SIM_NEW		1
#define SIM_NO_STATE	0xffffffffu
#define SIM_OUTBOX_MAX	64	/* messages waiting for room in the ring */

/* What goes wrong on one side. */
struct sim_fault {
	uint32_t abort_in;	/* operator abort on first reaching this
				 * state (SIM_NO_STATE: never) */
	uint32_t abort_reason;	/* enum relief_reason; 0: OPERATOR */
	uint32_t fail_act;	/* RELIEF_ACT_* whose completion FAILS (0) */
	uint32_t stop_in;	/* crash on reaching this state: no more steps,
				 * messages or heartbeats (SIM_NO_STATE) */
	bool silent;		/* never run the state machine at all */
};

struct sim_config {
	struct relief_old_plan old_plan;
	struct relief_new_plan new_plan;
	struct sim_fault fault[2];	/* SIM_OLD, SIM_NEW */
	uint64_t limit_ms;		/* wall-clock bound of the run */
	uint64_t stop_delay_ms;		/* STOP_NEW lands this much later:
					 * NEW may read OLD's last word */
	uint64_t poll_ns;		/* idle sleep between ring polls */
};

struct sim_side_result {
	uint32_t state;		/* enum relief_old_state / relief_new_state */
	uint32_t reason;	/* fsm c.reason */
	uint32_t result;	/* REPORT: enum relief_result, 0 if none */
	uint32_t report_reason;
	uint32_t steps;		/* events given to the state machine */
	uint32_t acts;		/* bit per RELIEF_ACT_* performed */
	uint32_t sent;		/* bit per RELIEF_MSG_* pushed to the ring */
	uint32_t rejected;	/* slots relief_mailbox_recv refused */
	bool started;		/* ran relief_*_step at all */
	bool stopped;		/* NEW: STOP_NEW landed */
	bool crashed;		/* fault.stop_in reached */
	bool quit;		/* limit_ms reached before the run ended */
	bool finished;		/* the process wrote this result */
};

struct sim_result {
	struct sim_side_result side[2];
	uint32_t checks;	/* global invariant checks done */
	uint32_t violations;	/* ... that failed */
	char violation[256];	/* the first one */
	char error[256];	/* harness failure, empty if none */
	bool old_all_old;	/* at the end, OLD's table: all OLD's */
	bool old_all_new;	/* ... all NEW's */
	bool new_all_new;	/* NEW's table (non-empty): all NEW's */
	uint64_t elapsed_ms;
};

void sim_default_config(struct sim_config *cfg);
int sim_run(const struct sim_config *cfg, struct sim_result *res);
const char *sim_state_name(int side, uint32_t state);
void sim_describe(const struct sim_result *res, char *buf, size_t len);

#endif /* SIM_H */
