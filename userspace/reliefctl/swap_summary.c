// SPDX-License-Identifier: GPL-2.0
/* swap_summary.c - the end of a swap, in a few lines (swap_summary.h). */
#include <inttypes.h>
#include <stdio.h>

#include "kstate.h"
#include "reliefctl.h"
#include "size.h"
#include "swap_summary.h"

void swap_print_timings(FILE *out)
{
	struct kstate_timing t[KSTATE_TIMINGS_MAX];
	char buf[2048];

	if (kstate_read(reliefctl_sysfs_dir(), "timings", buf, sizeof(buf)) >= 0)
		reliefctl_show_timings(out, t, kstate_parse_timings(buf, t,
					KSTATE_TIMINGS_MAX));
}

static void print_moved(FILE *out, const struct agent *a, bool done)
{
	unsigned int n = manifest_procs(&a->moved);

	if (!a->t_dump_ns) {
		fputs("processes moved: none (nothing was frozen)\n", out);
	} else if (a->status) {
		fputs("processes moved: none (the dump failed; what it froze "
		      "runs on in kernel A)\n", out);
	} else if (!a->moved.nr) {
		fputs("processes moved: none (no --move)\n", out);
	} else if (!done) {
		fprintf(out, "processes moved: none; the %u dumped run on in "
			"kernel A (%u resumed)\n", n, a->resumed);
	} else {
		fprintf(out, "processes moved: %u (pids", n);
		for (unsigned int i = 0; i < a->moved.nr; i++) {
			const struct manifest_tree *t = &a->moved.trees[i];

			for (unsigned int k = 0; k < t->nr; k++)
				fprintf(out, " %d", (int)t->pids[k]);
		}
		fputs(")\n", out);
	}
}

void swap_summary_print(struct swap_summary *s, const struct agent *a)
{
	bool done = a->result == RELIEF_DEV_RESULT_DONE;
	struct relief_cpuset all = s->online;
	char before[1024], lent[1024], after[1024], ma[32], mr[32], mall[32];
	FILE *out = s->out;

	for (unsigned int i = 0; i < RELIEF_MAX_CPUS / 64; i++)
		all.bits[i] |= s->lent.bits[i];
	relief_cpulist_format(&s->online, before, sizeof(before));
	relief_cpulist_format(&s->lent, lent, sizeof(lent));
	relief_cpulist_format(&all, after, sizeof(after));
	relief_size_format(s->mem_a, ma, sizeof(ma));
	relief_size_format(s->region, mr, sizeof(mr));
	relief_size_format(s->mem_a + s->region, mall, sizeof(mall));

	fprintf(out, "summary: the swap %s%s%s%s\n", done ? "is done" :
		agent_result_name(a->result), *a->reason ? " (" : "",
		a->reason, *a->reason ? ")" : "");
	swap_print_timings(out);
	if (a->t_dump_ns)
		fprintf(out, "service pause: %" PRIu64 " ms (from the freeze "
			"to the end of the run)\n",
			(a->t_end_ns - a->t_dump_ns) / 1000000u);
	else
		fputs("service pause: none\n", out);
	print_moved(out, a, done);
	fprintf(out, "CPUs: kernel A had %s, lent %s to kernel B; now kernel "
		"%s has %s%s\n", before, lent, done ? "B" : "A",
		done ? after : before, done ? "" : " again");
	fprintf(out, "memory: kernel A had %s, kernel B the %s region; now "
		"kernel %s has %s%s\n", ma, mr, done ? "B" : "A",
		done ? mall : ma, done ? "" : " again");
	fflush(out);
	s->printed = true;
}
