/* SPDX-License-Identifier: GPL-2.0 */
/*
 * manifest.h - what the old kernel's agent tells the new one's beside the
 * images: which trees, dumped how (both sides must pass criu the same
 * options), and every pid in them (to report, and to kill a partial
 * restore). It travels in the pack as the file "relief-trees":
 *
 *   relief-trees 1
 *   network-lock default|iptables|nftables
 *   tree 0 root 1234 shell-job 0 comm counter
 *   pids 0 1234 1235 1240
 *   ...one tree and one pids line per tree, in order; the images of tree
 *   N are in the directory N/.
 */
#ifndef RELIEFCTL_MANIFEST_H
#define RELIEFCTL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MANIFEST_NAME		"relief-trees"
#define MANIFEST_TREES_MAX	64
#define MANIFEST_PIDS_MAX	65536	/* in all trees together */

struct manifest_tree {
	pid_t root;
	bool shell_job;
	char comm[17];
	unsigned int nr;
	pid_t *pids;		/* pids[0] == root */
};

struct manifest {
	char network_lock[16];	/* "": criu's default */
	unsigned int nr;
	struct manifest_tree trees[MANIFEST_TREES_MAX];
};

/* Write m to path. 0 or -errno. */
int manifest_write(const char *path, const struct manifest *m);
/*
 * manifest_read() - parse path into m (free with manifest_free()). 0,
 * -EBADMSG with why when it is not a manifest this reliefctl wrote, or
 * -errno.
 */
int manifest_read(const char *path, struct manifest *m, char *why,
		  size_t whylen);
void manifest_free(struct manifest *m);
/* Processes in all trees. */
unsigned int manifest_procs(const struct manifest *m);

#endif /* RELIEFCTL_MANIFEST_H */
