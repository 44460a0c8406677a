/* SPDX-License-Identifier: GPL-2.0 */
/* reliefctl - shared declarations of the commands and their exit codes. */
#ifndef RELIEFCTL_H
#define RELIEFCTL_H

#include <stdio.h>

/* Exit codes: scripts tell a refusal from a failed swap by these. */
enum {
	RELIEFCTL_EXIT_OK = 0,
	RELIEFCTL_EXIT_FAIL = 1,	/* the operation ran and failed */
	RELIEFCTL_EXIT_USAGE = 2,	/* bad command line */
	RELIEFCTL_EXIT_REFUSED = 3,	/* refused before changing anything */
};

/* Where the kernel shows relief; tests point it elsewhere. */
#define RELIEF_SYSFS_DEFAULT "/sys/kernel/relief"
const char *reliefctl_sysfs_dir(void);

struct reliefctl_cmd {
	const char *name;
	const char *help;
	int (*run)(int argc, char **argv);
};

int cmd_status(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_swap(int argc, char **argv);
int cmd_abort(int argc, char **argv);
int cmd_agent(int argc, char **argv);

/* cmd_plan() on a given topology (NULL: this machine's), for tests. */
struct relief_topology;
int cmd_plan_with(int argc, char **argv, const struct relief_topology *topo,
		  FILE *out, FILE *err);

/* The commands with their output streams (and swap's topology) given. */
int cmd_status_with(int argc, char **argv, FILE *out, FILE *err);
int cmd_swap_with(int argc, char **argv, const struct relief_topology *topo,
		  FILE *out, FILE *err);
int cmd_abort_with(int argc, char **argv, FILE *out, FILE *err);
int cmd_agent_with(int argc, char **argv, FILE *out, FILE *err);

/* Shared by status and swap: kernel B's "key value" lines, one line. */
void reliefctl_show_peer(FILE *out, const char *peer);
struct kstate_timing;
/* The phases of the last run, one per line, ms since prepare. */
void reliefctl_show_timings(FILE *out, const struct kstate_timing *t, int nr);

#endif /* RELIEFCTL_H */
