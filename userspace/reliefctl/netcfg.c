// SPDX-License-Identifier: GPL-2.0
/* netcfg.c - interfaces on handed-over devices, recorded and set up. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netcfg.h"
#include "rtnl.h"
#include "sysio.h"

/* --- recording -------------------------------------------------------- */

/* The recorded link behind an index, or NULL. */
static const char *recorded(const struct rtnl_state *s,
			    const struct manifest *m, int index)
{
	const struct rtnl_link *l = rtnl_link_by_index(s, index);

	return l && manifest_link(m, l->name) ? l->name : NULL;
}

static int record_links(const struct devlist *dl, const struct rtnl_state *s,
			struct manifest *m, FILE *out)
{
	for (unsigned int i = 0; i < s->nlinks; i++) {
		const struct rtnl_link *k = &s->links[i];
		struct manifest_link l = { .mtu = k->mtu };
		char rel[64];
		int d, ret;

		if (k->flags & IFF_LOOPBACK)
			continue;
		snprintf(rel, sizeof(rel), "class/net/%s/device", k->name);
		d = devices_owner(dl, rel, NULL, 0);
		if (d < 0) {
			fprintf(out, "agent: %s is on no handed-over device: "
				"kernel B will not set it up\n", k->name);
			continue;
		}
		memcpy(l.name, k->name, sizeof(l.name));
		memcpy(l.mac, k->mac, sizeof(l.mac));
		l.mac_len = k->mac_len;
		l.up = k->flags & IFF_UP;
		snprintf(l.pci, sizeof(l.pci), "%s", dl->name[d]);
		ret = manifest_add_link(m, &l);
		if (ret)
			return ret;
	}
	return 0;
}

/* A route kernel B must be given: main table, unicast, not an address's. */
static bool route_wanted(const struct rtnl_route *r, FILE *out,
			 const char *dev)
{
	if (r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST ||
	    r->r.proto == RTPROT_KERNEL)
		return false;
	if (r->multipath)
		fprintf(out, "agent: a multipath route through %s is not "
			"carried over\n", dev);
	return !r->multipath;
}

static void print_link(FILE *out, const struct manifest *m,
		       const struct manifest_link *l)
{
	char mac[3 * MANIFEST_MAC_MAX], ip[INET_ADDRSTRLEN];
	unsigned int n = 0;

	manifest_mac_str(l->mac, l->mac_len, mac);
	fprintf(out, "agent: %s (%s on %s, mtu %u, %s):", l->name, mac, l->pci,
		l->mtu, l->up ? "up" : "down");
	for (unsigned int i = 0; i < m->naddrs; i++)
		if (!strcmp(m->addrs[i].dev, l->name))
			fprintf(out, " %s/%u", inet_ntop(AF_INET,
				&m->addrs[i].addr, ip, sizeof(ip)),
				m->addrs[i].prefix);
	for (unsigned int i = 0; i < m->nroutes; i++)
		n += !strcmp(m->routes[i].dev, l->name);
	fprintf(out, ", %u routes\n", n);
}

int netcfg_record(const struct devlist *dl, struct manifest *m, FILE *out,
		  char *why, size_t whylen)
{
	struct rtnl_state s;
	int ret;

	if (!dl->nr)
		return 0;
	ret = rtnl_dump(&s);
	if (ret) {
		snprintf(why, whylen, "cannot read the network setup: %s",
			 strerror(-ret));
		return ret;
	}
	ret = record_links(dl, &s, m, out);
	for (unsigned int i = 0; !ret && i < s.naddrs; i++) {
		const char *dev = recorded(&s, m, s.addrs[i].index);
		struct manifest_addr a = s.addrs[i].a;

		if (!dev)
			continue;
		snprintf(a.dev, sizeof(a.dev), "%s", dev);
		ret = manifest_add_addr(m, &a);
	}
	for (unsigned int i = 0; !ret && i < s.nroutes; i++) {
		const char *dev = recorded(&s, m, s.routes[i].oif);
		struct manifest_route r = s.routes[i].r;

		if (!dev || !route_wanted(&s.routes[i], out, dev))
			continue;
		snprintf(r.dev, sizeof(r.dev), "%s", dev);
		ret = manifest_add_route(m, &r);
	}
	rtnl_free(&s);
	if (ret) {
		snprintf(why, whylen, "cannot record the network setup: %s",
			 ret == -E2BIG ? "too many interfaces, addresses or "
			 "routes" : strerror(-ret));
		return ret;
	}
	for (unsigned int i = 0; i < m->nlinks; i++)
		print_link(out, m, &m->links[i]);
	return 0;
}

/* --- setting up ------------------------------------------------------- */

static const struct rtnl_link *by_mac(const struct rtnl_state *s,
				      const struct manifest_link *l)
{
	for (unsigned int i = 0; i < s->nlinks; i++)
		if (s->links[i].mac_len == l->mac_len &&
		    !memcmp(s->links[i].mac, l->mac, l->mac_len))
			return &s->links[i];
	return NULL;
}

static const struct rtnl_link *by_name(const struct rtnl_state *s,
				       const char *name)
{
	for (unsigned int i = 0; i < s->nlinks; i++)
		if (!strcmp(s->links[i].name, name))
			return &s->links[i];
	return NULL;
}

/* Wait for the interface with l's MAC: s holds this kernel's, k it. */
static int find_link(const struct manifest_link *l, unsigned int wait_ms,
		     struct rtnl_state *s, const struct rtnl_link **k,
		     char *why, size_t whylen)
{
	uint64_t deadline = reliefctl_now_ns() + wait_ms * 1000000ull;
	char mac[3 * MANIFEST_MAC_MAX];

	for (;;) {
		int ret = rtnl_dump(s);

		if (ret) {
			snprintf(why, whylen, "cannot read this kernel's "
				 "interfaces: %s", strerror(-ret));
			return ret;
		}
		*k = by_mac(s, l);
		if (*k)
			return 0;
		rtnl_free(s);
		if (reliefctl_now_ns() >= deadline)
			break;
		reliefctl_sleep_ms(NETCFG_POLL_MS);
	}
	manifest_mac_str(l->mac, l->mac_len, mac);
	snprintf(why, whylen, "no interface with %s's MAC %s (device %s) "
		 "appeared within %u s", l->name, mac, l->pci, wait_ms / 1000);
	return -ENODEV;
}

/* Name, MTU, addresses, up. */
static int setup_link(const struct manifest *m, const struct manifest_link *l,
		      const struct rtnl_state *s, const struct rtnl_link *k,
		      FILE *out, char *why, size_t whylen)
{
	char ip[INET_ADDRSTRLEN];
	int ret = 0;

	if (strcmp(k->name, l->name)) {
		if (by_name(s, l->name)) {
			snprintf(why, whylen, "cannot name %s %s: another "
				 "interface has that name here", k->name,
				 l->name);
			return -EEXIST;
		}
		/* Linux renames only an interface that is down. */
		if (k->flags & IFF_UP)
			ret = rtnl_set_link(k->index, NULL, 0, 0);
		if (!ret)
			ret = rtnl_set_link(k->index, l->name, 0, -1);
		if (ret) {
			snprintf(why, whylen, "cannot rename %s to %s: %s",
				 k->name, l->name, strerror(-ret));
			return ret;
		}
		fprintf(out, "agent: %s is %s again\n", k->name, l->name);
	}
	if (l->mtu != k->mtu) {
		ret = rtnl_set_link(k->index, NULL, l->mtu, -1);
		if (ret) {
			snprintf(why, whylen, "cannot set %s's MTU to %u: %s",
				 l->name, l->mtu, strerror(-ret));
			return ret;
		}
	}
	for (unsigned int i = 0; i < m->naddrs; i++) {
		const struct manifest_addr *a = &m->addrs[i];

		if (strcmp(a->dev, l->name))
			continue;
		ret = rtnl_add_addr(k->index, a);
		if (ret && ret != -EEXIST) {
			snprintf(why, whylen, "cannot give %s the address "
				 "%s/%u: %s", l->name, inet_ntop(AF_INET,
				 &a->addr, ip, sizeof(ip)), a->prefix,
				 strerror(-ret));
			return ret;
		}
	}
	ret = l->up ? rtnl_set_link(k->index, NULL, 0, 1) : 0;
	if (ret) {
		snprintf(why, whylen, "cannot bring %s up: %s", l->name,
			 strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * The routes, in passes: a gateway may be reachable only through a route
 * that comes later. ifindex holds each link line's interface.
 */
static int add_routes(const struct manifest *m, const int *ifindex,
		      FILE *out, char *why, size_t whylen)
{
	char *done = calloc(m->nroutes + 1, 1);
	unsigned int added = 0, skipped = 0;
	int ret = 0;
	bool progress = true;

	if (!done) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	while (progress) {
		progress = false;
		ret = 0;
		for (unsigned int i = 0; i < m->nroutes; i++) {
			const struct manifest_route *r = &m->routes[i];
			const struct manifest_link *l;
			int err;

			if (done[i])
				continue;
			l = manifest_link(m, r->dev);
			err = l->up ? rtnl_add_route(ifindex[l - m->links], r) :
			      0;
			if (!err || err == -EEXIST) {
				done[i] = 1;
				progress = true;
				added += l->up;
				skipped += !l->up;
			} else if (!ret) {
				char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

				ret = err;
				snprintf(why, whylen, "cannot add the route "
					 "%s/%u via %s dev %s: %s",
					 inet_ntop(AF_INET, &r->dst, a,
						   sizeof(a)), r->prefix,
					 r->has_gw ? inet_ntop(AF_INET, &r->gw,
							       g, sizeof(g)) :
					 "-", r->dev, strerror(-err));
			}
		}
	}
	free(done);
	if (!ret && m->nroutes)
		fprintf(out, "agent: %u routes in place%s\n", added,
			skipped ? " (those of interfaces that were down "
			"are not)" : "");
	return ret;
}

int netcfg_apply(const struct manifest *m, unsigned int wait_ms, FILE *out,
		 char *why, size_t whylen)
{
	int *ifindex = calloc(m->nlinks + 1, sizeof(*ifindex));
	int ret = 0;

	if (!ifindex) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (unsigned int i = 0; !ret && i < m->nlinks; i++) {
		const struct manifest_link *l = &m->links[i];
		const struct rtnl_link *k;
		struct rtnl_state s;

		ret = find_link(l, wait_ms, &s, &k, why, whylen);
		if (ret)
			break;
		ifindex[i] = k->index;
		ret = setup_link(m, l, &s, k, out, why, whylen);
		rtnl_free(&s);
		if (!ret)
			print_link(out, m, l);
	}
	if (!ret)
		ret = add_routes(m, ifindex, out, why, whylen);
	free(ifindex);
	fflush(out);
	return ret;
}
