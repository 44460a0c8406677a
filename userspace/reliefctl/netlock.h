/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlock.h - netfilter locks on moved TCP connections: undoing the one
 * criu 3.17 leaves on a tree it dumped with --leave-stopped, and the new
 * kernel's hold over their restore.
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
 *
 * The new kernel holds a lock of its own over the whole restore: until
 * criu has restored a connection, a packet of it (the peer retransmits)
 * would find no socket and be answered with a RST, which kills the
 * connection at the peer. So from before the interfaces come up until
 * every tree is restored, the table "inet relief-hold" drops all that
 * comes in on them. It is made through libnftables with "flags owner":
 * the kernel deletes it when the process that made it ends, however.
 */
#ifndef RELIEFCTL_NETLOCK_H
#define RELIEFCTL_NETLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NETLOCK_LIBNFTABLES	"libnftables.so.1"	/* $RELIEF_LIBNFTABLES */
#define NETLOCK_HOLD_TABLE	"inet relief-hold"
#define NETLOCK_HOLD_PRIORITY	(-350)	/* before conntrack (-200) */
#define NETLOCK_HOLD_MAX	64	/* interfaces */
#define NETLOCK_IFNAMSIZ	16

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

/*
 * netlock_hold() - drop every packet that comes in on the n interfaces
 * named (1 to NETLOCK_HOLD_MAX; they need not exist yet), in the table
 * NETLOCK_HOLD_TABLE, made anew: one an earlier run left goes first. 0,
 * or -1 with why (no libnftables, a name nftables cannot match, the
 * kernel's refusal): nothing is held.
 */
int netlock_hold(const char *const names[], unsigned int n, char *why,
		 size_t whylen);

/*
 * netlock_release() - delete the hold: 0 (also when there is none, or
 * its table is gone already), or -1 with why: it stays until a release
 * that works, or until the process ends.
 */
int netlock_release(char *why, size_t whylen);

/*
 * The old kernel's drain. A connection the kernel completed on a moved
 * tree's listening socket that the service has not accepted when the
 * tree is frozen is no socket of the tree's yet: criu leaves it behind
 * (--skip-in-flight) and its client loses its request. So before the
 * dump, the table "inet relief-drain" (flags owner, as the hold) drops
 * new connections' SYNs to the ports the trees listen on, and the agent
 * waits for their accept queues to empty (proctree_listen()). The
 * clients send their SYNs again and are answered by kernel B; a
 * rollback deletes the table (netlock_undrain()), and so does the end
 * of the process that made it.
 */
#define NETLOCK_DRAIN_TABLE	"inet relief-drain"
#define NETLOCK_DRAIN_MAX	64	/* ports */

/*
 * netlock_drain() - drop SYNs to the n ports (1 to NETLOCK_DRAIN_MAX),
 * in the table NETLOCK_DRAIN_TABLE, made anew. 0, or -1 with why (no
 * libnftables, the kernel's refusal): nothing is dropped.
 */
int netlock_drain(const uint16_t *ports, unsigned int n, char *why,
		  size_t whylen);

/*
 * netlock_undrain() - delete the drain: 0 (also when there is none), or
 * -1 with why.
 */
int netlock_undrain(char *why, size_t whylen);

#endif /* RELIEFCTL_NETLOCK_H */
