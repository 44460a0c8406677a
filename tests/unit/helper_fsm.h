/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * helper_fsm.h - fixtures for the state-machine tests: a small machine, the
 * plans both kernels start from, and event builders.
 *
 * The machine: CPUs 0..7 (0 KEEP, 1..3 released during the transfer,
 * 4..7 LENT), memory [0,1G) KEEP, [1G,2G) and [2G,3G) released during the
 * transfer, [4G,6G) LENT; devices 3 and 7 handed over.
 */
#ifndef HELPER_FSM_H
#define HELPER_FSM_H

#include "relief_fsm.h"

#define FSMT_T0		1000000000ULL	/* clock at start */
#define FSMT_MS		1000000ULL
#define FSMT_CRC	0xC0FFEE11u
#define FSMT_FEATS	(RELIEF_FEAT_HEARTBEAT | RELIEF_FEAT_PROC_COPY | \
			 RELIEF_FEAT_DEVICE_HANDOVER)
#define FSMT_NR_CPUS	8
#define FSMT_NR_PROCS	5

void fsmt_timeouts(struct relief_timeouts *t);
void fsmt_old_plan(struct relief_old_plan *p);
void fsmt_new_plan(struct relief_new_plan *p, const struct relief_old_plan *op);
struct relief_event fsmt_ev(uint32_t type);
struct relief_event fsmt_done(uint32_t act);
struct relief_event fsmt_failed(uint32_t act, uint32_t reason);
struct relief_event fsmt_msg(uint32_t sender, uint32_t type);
struct relief_msg_proc_image fsmt_image(void);
const struct relief_action *fsmt_find(const struct relief_actions *a,
				      uint32_t type, uint32_t msg_type);
int fsmt_count(const struct relief_actions *a, uint32_t type);
struct relief_event fsmt_old_happy(const struct relief_old_fsm *f,
				   const struct relief_new_plan *np);
struct relief_event fsmt_new_happy(const struct relief_new_fsm *f,
				   const struct relief_old_plan *op);

#endif /* HELPER_FSM_H */
