/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnl.h - the few rtnetlink requests the agents make: read this network
 * namespace's interfaces, IPv4 addresses and IPv4 routes, and set them up
 * again in the new kernel (name, MTU, up; an address; a route). One
 * socket per request, answered before it returns.
 */
#ifndef RELIEFCTL_RTNL_H
#define RELIEFCTL_RTNL_H

#include <stdbool.h>

#include "manifest.h"

struct rtnl_link {
	int index;
	char name[MANIFEST_IFNAME];
	unsigned char mac[MANIFEST_MAC_MAX];
	unsigned int mac_len;
	unsigned int mtu;
	unsigned int flags;		/* IFF_* */
};

struct rtnl_addr {
	int index;
	struct manifest_addr a;		/* a.dev left empty */
};

struct rtnl_route {
	int oif;			/* 0: none */
	unsigned int table;		/* RT_TABLE_* */
	unsigned int type;		/* RTN_* */
	bool multipath;
	struct manifest_route r;	/* r.dev left empty */
};

struct rtnl_state {
	unsigned int nlinks, naddrs, nroutes;
	struct rtnl_link *links;
	struct rtnl_addr *addrs;
	struct rtnl_route *routes;
};

/* rtnl_dump() - every interface, IPv4 address and route: 0 or -errno. */
int rtnl_dump(struct rtnl_state *s);
void rtnl_free(struct rtnl_state *s);
/* The interface with that index, or NULL. */
const struct rtnl_link *rtnl_link_by_index(const struct rtnl_state *s,
					   int index);

/*
 * rtnl_set_link() - rename the interface (name non-NULL; it must be
 * down), set its MTU (mtu non-zero), bring it up or down (up 1 or 0; -1
 * leaves it). 0 or -errno.
 */
int rtnl_set_link(int index, const char *name, unsigned int mtu, int up);
/* Add an IPv4 address, a route: 0, -EEXIST when it is there, -errno. */
int rtnl_add_addr(int index, const struct manifest_addr *a);
int rtnl_add_route(int oif, const struct manifest_route *r);

#endif /* RELIEFCTL_RTNL_H */
