/* SPDX-License-Identifier: GPL-2.0 */
/*
 * helper_netns.h - a network of the test's own: a new network namespace
 * (only root may make one: the tests that need it skip otherwise), and
 * veth pairs in it with MACs the test chooses. Nothing reaches the
 * machine's own interfaces.
 */
#ifndef RELIEFCTL_HELPER_NETNS_H
#define RELIEFCTL_HELPER_NETNS_H

/* Enter a new network namespace: 0, or -errno (not root). */
int rt_netns_enter(void);
/*
 * rt_veth_add() - the veth pair a <-> b, down, with MACs 02:00:00:00:00:ma
 * and 02:00:00:00:00:mb. 0 or -errno.
 */
int rt_veth_add(const char *a, unsigned char ma, const char *b,
		unsigned char mb);
/* The interface's index, or 0. */
int rt_ifindex(const char *name);
/* Delete the interface (a veth takes its peer along): 0 or -errno. */
int rt_netlink_del(int index);

#endif /* RELIEFCTL_HELPER_NETNS_H */
