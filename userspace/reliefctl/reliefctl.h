/* SPDX-License-Identifier: GPL-2.0 */
/* reliefctl - shared declarations of the commands and their exit codes. */
#ifndef RELIEFCTL_H
#define RELIEFCTL_H

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

#endif /* RELIEFCTL_H */
