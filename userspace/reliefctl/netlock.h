/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlock.h - undoing the netfilter lock criu 3.17 leaves on the TCP
 * connections of a tree it dumped with --leave-stopped.
 *
 * Outside a network namespace criu locks each established connection it
 * dumps, so that no packet of it is answered until the restore:
 *   iptables  two rules per connection, made with `iptables -I` (or
 *             iptables-legacy): INPUT and OUTPUT, "--protocol tcp -m mark !
 *             --mark 0xC114 --source A --sport P --destination B --dport Q
 *             -j DROP";
 *   nftables  the table "inet CRIU-<root pid>", through libnftables.
 * A successful move leaves them: the old kernel parks. A rollback must
 * take them away again, or the thawed connections stay dead.
 */
#ifndef RELIEFCTL_NETLOCK_H
#define RELIEFCTL_NETLOCK_H

#include <stddef.h>
#include <sys/types.h>

#define NETLOCK_LIBNFTABLES	"libnftables.so.1"	/* $RELIEF_LIBNFTABLES */

#include <stdbool.h>

/* Can criu lock with iptables here: is iptables (or -legacy) in $PATH. */
bool netlock_have_iptables(void);

/*
 * netlock_unlock_iptables() - delete the two rules of the connection of
 * socket sk (a TCP socket borrowed from its process). 0, or -1 with why.
 */
int netlock_unlock_iptables(int sk, char *why, size_t whylen);

/*
 * netlock_unlock_nftables() - delete the table of the tree root, which
 * holds every lock of that dump. 1 when deleted, 0 when there was none
 * to delete (or libnftables is missing: then criu could not have made
 * one either), -1 with why when libnftables refused.
 */
int netlock_unlock_nftables(pid_t root, char *why, size_t whylen);

#endif /* RELIEFCTL_NETLOCK_H */
