// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl abort - end the swap in progress (before it commits): kernel A
 * stops kernel B, takes its CPUs back and carries on as before. Returns
 * once the run has ended and every CPU is back online, or says what is
 * still missing after ABORT_WAIT_S.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "follow.h"
#include "kstate.h"
#include "relief_dev.h"
#include "reliefctl.h"
#include "sysio.h"

#define ABORT_WAIT_S	30

/* The CPUs present but not online ("" when none), or -1 if unreadable. */
static int cpus_missing(struct relief_cpuset *missing)
{
	struct relief_cpuset online, present;
	const char *dir = reliefctl_cpu_dir();

	if (kstate_read_cpus(dir, "online", &online) ||
	    kstate_read_cpus(dir, "present", &present))
		return -1;
	for (unsigned int i = 0; i < RELIEF_MAX_CPUS / 64; i++)
		missing->bits[i] = present.bits[i] & ~online.bits[i];
	return 0;
}

/* Ended, nothing lent, every present CPU online: 1; still waiting: 0. */
static int back_to_normal(struct kstate_state *st, struct relief_cpuset *lent,
			  struct relief_cpuset *missing)
{
	int ended = !kstate_read_state(st) &&
		    kstate_classify(st->name) == KSTATE_ENDED;
	int none_lent = !kstate_read_cpus(reliefctl_sysfs_dir(), "cpus", lent) &&
			!relief_cpuset_count(lent);
	int all_up = !cpus_missing(missing) && !relief_cpuset_count(missing);

	return ended && none_lent && all_up;
}

int cmd_abort_with(int argc, char **argv, FILE *out, FILE *err)
{
	struct relief_cpuset lent, missing;
	struct kstate_state st;
	struct follow show = { .out = out };
	char path[1024], list[1024], line[200];
	struct stat sb;
	uint64_t deadline;
	int ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fprintf(out, "usage: reliefctl abort\n");
		return RELIEFCTL_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(err, "reliefctl abort: unknown argument '%s'\n"
			"usage: reliefctl abort\n", argv[1]);
		return RELIEFCTL_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(err, "reliefctl abort: must be root (CAP_SYS_BOOT)\n");
		return RELIEFCTL_EXIT_REFUSED;
	}
	snprintf(path, sizeof(path), "%s/version", reliefctl_sysfs_dir());
	if (!stat(path, &sb))
		snprintf(path, sizeof(path), "%s", reliefctl_dev_path());
	if (stat(path, &sb)) {
		fprintf(err, "reliefctl abort: this kernel has no relief "
			"support (%s: %s); boot a kernel built with "
			"CONFIG_RELIEF=y\n", path, strerror(errno));
		return RELIEFCTL_EXIT_REFUSED;
	}
	ret = kstate_read_state(&st);
	if (ret) {
		fprintf(err, "reliefctl abort: cannot read %s/state: %s\n",
			reliefctl_sysfs_dir(), strerror(-ret));
		return RELIEFCTL_EXIT_REFUSED;
	}
	if (kstate_classify(st.name) != KSTATE_RUNNING) {
		fprintf(err, "reliefctl abort: no swap in progress (state "
			"%s%s%s)\n", st.name, *st.reason ? " " : "", st.reason);
		return RELIEFCTL_EXIT_REFUSED;
	}

	show.t0 = reliefctl_now_ns();
	ret = relief_dev_abort();
	if (ret == -ESRCH) {
		fprintf(err, "reliefctl abort: no swap in progress (it ended "
			"meanwhile); see reliefctl status\n");
		return RELIEFCTL_EXIT_REFUSED;
	}
	if (ret) {
		fprintf(err, "reliefctl abort: the kernel refused: %s\n",
			ret == -EPERM || ret == -EACCES ?
			"must be root (CAP_SYS_BOOT)" : strerror(-ret));
		return RELIEFCTL_EXIT_REFUSED;
	}
	follow_phase_line(&show, "abort accepted");
	deadline = show.t0 + (uint64_t)ABORT_WAIT_S * 1000000000u;
	while (!back_to_normal(&st, &lent, &missing)) {
		if (reliefctl_now_ns() >= deadline) {
			relief_cpulist_format(&lent, list, sizeof(list));
			fprintf(err, "reliefctl abort: after %d s: state %s, "
				"CPUs lent: %s", ABORT_WAIT_S, st.name,
				*list ? list : "none");
			relief_cpulist_format(&missing, list, sizeof(list));
			fprintf(err, ", present but offline: %s; see "
				"reliefctl status and dmesg\n",
				*list ? list : "none");
			return RELIEFCTL_EXIT_FAIL;
		}
		reliefctl_sleep_ms(FOLLOW_POLL_MS);
	}
	snprintf(line, sizeof(line), "%s%s%s: every CPU back online",
		 st.name, *st.reason ? " " : "", st.reason);
	follow_phase_line(&show, line);
	return RELIEFCTL_EXIT_OK;
}

int cmd_abort(int argc, char **argv)
{
	return cmd_abort_with(argc, argv, stdout, stderr);
}
