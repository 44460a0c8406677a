/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swap_summary.h - what `reliefctl swap` says when the run ends: the
 * phases, how long the moved processes were frozen, which moved, and who
 * owns the CPUs and memory before and after. It is printed when the END
 * request comes, before the agent replies: once a swap is done the old
 * kernel parks a moment after that reply, and nothing it prints later
 * would ever be seen.
 */
#ifndef RELIEFCTL_SWAP_SUMMARY_H
#define RELIEFCTL_SWAP_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agent.h"
#include "cpulist.h"

struct swap_summary {
	FILE *out;
	struct relief_cpuset online;	/* kernel A's CPUs before the swap */
	struct relief_cpuset lent;	/* the CPUs kernel B started on */
	uint64_t mem_a;			/* kernel A's memory (its nodes) */
	uint64_t region;		/* the region, kernel B's at first */
	bool printed;
};

/* The kernel's phase timings (/sys/kernel/relief/timings), if any. */
void swap_print_timings(FILE *out);

/* Print the summary of the run a's END closed, and flush it. */
void swap_summary_print(struct swap_summary *s, const struct agent *a);

#endif /* RELIEFCTL_SWAP_SUMMARY_H */
