/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thaw.h - resuming a tree that `criu dump --leave-stopped` left stopped,
 * when the swap rolls back and the old kernel keeps its processes.
 *
 * SIGCONT alone is not enough: a dump puts each established TCP socket in
 * repair mode (TCP_REPAIR) and leaves it so, because a successful move
 * ends with the old copy's death. To live on, the old copy's sockets must
 * leave repair mode; reliefctl borrows each one with pidfd_getfd() and
 * turns it off, as criu itself does when a dump fails.
 */
#ifndef RELIEFCTL_THAW_H
#define RELIEFCTL_THAW_H

#include <stddef.h>
#include <sys/types.h>

struct thaw_stats {
	unsigned int resumed;		/* processes sent SIGCONT */
	unsigned int kept;		/* stopped before the dump: left so */
	unsigned int tcp_repaired;	/* sockets taken out of repair mode */
	unsigned int unlocked;		/* netfilter locks taken away */
};

/*
 * thaw_tree() - resume root and everything below it, except the pids in
 * keep[0..nkeep] (stopped before the dump, by someone else); their TCP
 * sockets leave repair mode and criu's netfilter lock of the dump (lock:
 * "iptables" or NULL, criu's default, or "nftables") is taken away
 * (netlock.h). Returns 0, or -errno with why (the tree is gone; a socket
 * or lock stays: everything else was still done).
 */
int thaw_tree(pid_t root, const char *lock, const pid_t *keep,
	      unsigned int nkeep, struct thaw_stats *st, char *why,
	      size_t whylen);

#endif /* RELIEFCTL_THAW_H */
