/* SPDX-License-Identifier: GPL-2.0 */
/* relief, OLD role: what the rest of kernel/relief sees of relief_old.c. */
#ifndef _KERNEL_RELIEF_OLD_H
#define _KERNEL_RELIEF_OLD_H

#include <linux/types.h>

#include "relief.h"

/* Moments of a run, shown in /sys/kernel/relief/timings. */
enum relief_phase {
	RELIEF_PHASE_PREPARE,		/* PREPARE accepted */
	RELIEF_PHASE_CPUS_PARKED,	/* lent CPUs offline and parked */
	RELIEF_PHASE_LOADED,		/* new kernel written to the region */
	RELIEF_PHASE_STARTED,		/* its first CPU left the park */
	RELIEF_PHASE_READY_TO_RELIEVE,	/* it qualified */
	RELIEF_PHASE_READY_TO_BE_RELIEVED,	/* and was answered */
	RELIEF_PHASE_COMMITTED,		/* I_RELIEVE_YOU: the freeze begins */
	RELIEF_PHASE_DUMPED,		/* the images are in the area */
	RELIEF_PHASE_ACKED,		/* NEW restored them: A stands relieved */
	RELIEF_PHASE_ENDED,		/* the run reached a terminal state */
	RELIEF_PHASE_COUNT
};

struct relief_check_image;
int relief_image_read(int kernel_fd, int initrd_fd, struct relief_boot *b,
		      bool no_marker, int *check);
void relief_image_free(struct relief_boot *b);
long relief_image_ioctl_check(struct relief_check_image __user *up);

int relief_describe(struct relief_hwdesc *h, const struct relief_region *r,
		    const struct cpumask *lent);
int relief_describe_devices(struct relief_hwdesc *h, u32 *idx, u32 *nr);
int relief_release_device(const struct relief_hwdesc_device *d);
int relief_retake_device(const struct relief_hwdesc_device *d);
ssize_t relief_old_show_devices(char *buf);
ssize_t relief_old_show_keep(char *buf);

bool relief_old_has_run(void);
ssize_t relief_old_show_state(char *buf);
ssize_t relief_old_show_cpus(char *buf);
ssize_t relief_old_show_region(char *buf);
ssize_t relief_old_show_timings(char *buf);
ssize_t relief_old_show_peer(char *buf);
ssize_t relief_old_read_console(char *buf, loff_t off, size_t count);

#endif /* _KERNEL_RELIEF_OLD_H */
