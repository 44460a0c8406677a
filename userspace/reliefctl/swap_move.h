/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swap_move.h - the processes' part of `reliefctl swap`: before PREPARE,
 * the trees of --move checked and listed and criu asked whether it can
 * work here; after it, swap is the old kernel's agent (agent.h), served
 * between two looks at the run's state, and prints the summary at END.
 */
#ifndef RELIEFCTL_SWAP_MOVE_H
#define RELIEFCTL_SWAP_MOVE_H

#include <stdbool.h>
#include <stdio.h>

#include "agent.h"
#include "follow.h"
#include "moveset.h"
#include "swap_summary.h"

/*
 * swap_move_check() - refuse trees that can never move (one line on err),
 * list them on out with what criu would trip over (refused too), and, if
 * there are any, run `criu check`. 0, or -1: refused.
 */
int swap_move_check(struct moveset *m, const char *lock, FILE *out,
		    FILE *err);

struct swap_agent {
	struct agent agent;
	bool on;		/* the agent is open */
	bool warned;		/* a failed wait was reported */
	bool copy_pages;	/* in: --copy-pages */
	struct swap_summary sum;
	FILE *err;
};

/*
 * swap_agent_start() - open /dev/relief as the old kernel's agent for the
 * trees of m; s->sum and s->copy_pages must be filled first. On failure says so on err and
 * leaves s->on false: the run goes on, and the kernel's deadline ends it.
 */
void swap_agent_start(struct swap_agent *s, const struct moveset *m,
		      const char *lock, unsigned int timeout_s, FILE *out,
		      FILE *err);
/* follow's idle hook (f->idle_arg is the swap_agent). */
void swap_agent_idle(struct follow *f);
/* After following the run: take an END still to come if it ended, close. */
void swap_agent_finish(struct swap_agent *s, bool ended);

#endif /* RELIEFCTL_SWAP_MOVE_H */
