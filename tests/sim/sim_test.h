/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sim_test.h - cmocka glue for the simulator tests: run, insist the
 * harness worked and the invariant held, describe the run on failure.
 */
#ifndef SIM_TEST_H
#define SIM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "relief_names.h"
#include "sim.h"

/* Fail with the condition and a one-line account of the run. */
#define SIM_EXPECT(res, cond)						\
	do {								\
		if (!(cond)) {						\
			char d_[768];					\
			sim_describe((res), d_, sizeof(d_));		\
			fail_msg("%s: %s", #cond, d_);			\
		}							\
	} while (0)

/* Run; the harness must work and the invariant hold at every check. */
static inline void sim_go(const struct sim_config *cfg,
			  struct sim_result *res)
{
	int rc = sim_run(cfg, res);

	if (getenv("SIM_VERBOSE")) {
		char d[768];

		sim_describe(res, d, sizeof(d));
		printf("# %s\n", d);
	}
	SIM_EXPECT(res, rc == 0);
	SIM_EXPECT(res, res->side[SIM_OLD].finished);
	SIM_EXPECT(res, res->checks > 0);
	SIM_EXPECT(res, res->violations == 0);
}

/* NEW either took the step (state, reason) or was stopped before. */
#define SIM_EXPECT_NEW_LEFT(res, st, why)				\
	SIM_EXPECT(res, (res)->side[SIM_NEW].stopped ||			\
		   ((res)->side[SIM_NEW].state == (st) &&		\
		    (res)->side[SIM_NEW].reason == (why)))

#endif /* SIM_TEST_H */
