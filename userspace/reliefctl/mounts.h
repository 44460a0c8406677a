/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mounts.h - the file systems on handed-over block devices. The old
 * kernel's agent records them (from /proc/self/mountinfo) and freezes
 * them once the processes are dumped: a frozen file system has everything
 * on its disk and writes nothing more, so the disk is consistent when the
 * kernel resets the device and the new kernel mounts it. A rollback thaws
 * them. The new kernel's agent mounts them where they were before criu
 * restores the processes, which reopen their files by path.
 */
#ifndef RELIEFCTL_MOUNTS_H
#define RELIEFCTL_MOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "devices.h"
#include "manifest.h"

#define MOUNTS_POLL_MS	100	/* between looks for a device node */

/*
 * mounts_record() - add to m every mount (mountinfo: RELIEF_MOUNTINFO)
 * whose block device lies on a device of dl, in mount order. 0, or
 * -errno with why.
 */
int mounts_record(const struct devlist *dl, struct manifest *m, char *why,
		  size_t whylen);

/* The file systems frozen, in the order they were: a thaw goes back. */
struct mounts_frozen {
	unsigned int nr;
	const char **paths;	/* their mount points (the manifest's) */
	const char **devs;
};

/*
 * mounts_freeze() - freeze each recorded file system once (a bind mount
 * shares its device's), the last mounted first. On a failure it thaws
 * what it froze and returns -errno with why.
 */
int mounts_freeze(const struct manifest *m, struct mounts_frozen *fz,
		  char *why, size_t whylen);
/*
 * mounts_thaw() - thaw everything fz holds, the last frozen first, and
 * empty it; the number thawed (or -errno with why: the first that stays
 * frozen, the rest still tried).
 */
int mounts_thaw(struct mounts_frozen *fz, char *why, size_t whylen);

/*
 * mounts_fd_on() - the recorded mount whose file system fd is open on:
 * its index, or -1. Whoever writes there once it is frozen blocks until
 * a thaw.
 */
int mounts_fd_on(const struct manifest *m, int fd);

/*
 * mounts_apply() - mount each recorded file system where it was: wait
 * at most wait_ms for its device node (RELIEF_DEVDIR/NAME), make the
 * mount point, mount it with the recorded options (a bind mount through
 * a mount in stage, a directory of the caller's). One already there is left. A's root ("/") is not mounted: B
 * has its own. 0, or -errno with why.
 */
/*
 * mounts_has_root() - whether A's root file system is among m's mounts:
 * mounts_apply() then makes it the caller's root.
 */
bool mounts_has_root(const struct manifest *m);

int mounts_apply(const struct manifest *m, const char *stage,
		 unsigned int wait_ms, FILE *out, char *why, size_t whylen);

/*
 * mounts_flags() - mount(2)'s flags and data from mountinfo's options:
 * opts the mount's (ro, nosuid, noatime...), super the file system's
 * (generic ones become flags, the rest, comma separated, data).
 */
void mounts_flags(const char *opts, const char *super, unsigned long *flags,
		  char *data, size_t len);

#endif /* RELIEFCTL_MOUNTS_H */
