// SPDX-License-Identifier: GPL-2.0
/* rtnl.c - interfaces, addresses and routes over rtnetlink (rtnl.h). */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl.h"

#define RTNL_BUF	65536	/* one read of a dump */

/* A request: its header, family header and attributes. */
struct rtnl_req {
	union {
		struct nlmsghdr h;
		char buf[1024];
	};
};

static void req_init(struct rtnl_req *q, unsigned short type,
		     unsigned short flags, const void *fam, size_t len)
{
	memset(q, 0, sizeof(*q));
	q->h.nlmsg_len = NLMSG_LENGTH(len);
	q->h.nlmsg_type = type;
	q->h.nlmsg_flags = NLM_F_REQUEST | flags;
	memcpy(NLMSG_DATA(&q->h), fam, len);
}

static void req_attr(struct rtnl_req *q, unsigned short type,
		     const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)(q->buf +
					     NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

typedef int (*rtnl_each)(const struct nlmsghdr *h, struct rtnl_state *s);

/* One answer's messages: 1 at its end, 0 for more, or -errno. */
static int answer(const struct nlmsghdr *h, size_t n, unsigned int seq,
		  rtnl_each each, struct rtnl_state *s)
{
	for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		int ret;

		if (h->nlmsg_seq != seq)
			continue;
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			return e->error ? e->error : 1;
		}
		ret = each ? each(h, s) : 0;
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Send q and read the answer: for a dump each message goes to each until
 * NLMSG_DONE, otherwise the acknowledgement ends it. 0 or -errno.
 */
static int talk(struct rtnl_req *q, rtnl_each each, struct rtnl_state *s)
{
	static unsigned int seq;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	void *buf;
	int ret = 0;

	if (fd < 0)
		return -errno;
	buf = malloc(RTNL_BUF);
	q->h.nlmsg_seq = ++seq;
	if (!buf)
		ret = -ENOMEM;
	else if (sendto(fd, q, q->h.nlmsg_len, 0, (struct sockaddr *)&k,
			sizeof(k)) < 0)
		ret = -errno;
	while (!ret) {
		ssize_t n = recv(fd, buf, RTNL_BUF, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			ret = n ? -errno : -EPIPE;
		else
			ret = answer(buf, (size_t)n, q->h.nlmsg_seq, each, s);
	}
	free(buf);
	close(fd);
	return ret < 0 ? ret : 0;
}

/* The attributes of a message after its family header, by type. */
static void attrs(const struct nlmsghdr *h, size_t famlen,
		  const struct rtattr **tb, unsigned int max)
{
	const struct rtattr *a = (const void *)((const char *)NLMSG_DATA(h) +
						NLMSG_ALIGN(famlen));
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(famlen);

	memset(tb, 0, (max + 1) * sizeof(*tb));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type <= max)
			tb[a->rta_type] = a;
}

static int grow(void **arr, unsigned int n, size_t size)
{
	void *p = realloc(*arr, (n + 1) * size);

	if (!p)
		return -ENOMEM;
	*arr = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

/* An IPv4 address attribute, if it is one. */
static bool ip_attr(const struct rtattr *a, struct in_addr *ip)
{
	if (!a || RTA_PAYLOAD(a) != sizeof(*ip))
		return false;
	memcpy(ip, RTA_DATA(a), sizeof(*ip));
	return true;
}

static uint32_t u32_attr(const struct rtattr *a, uint32_t dflt)
{
	uint32_t v;

	if (!a || RTA_PAYLOAD(a) != sizeof(v))
		return dflt;
	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

static int each_link(const struct nlmsghdr *h, struct rtnl_state *s)
{
	const struct ifinfomsg *i = NLMSG_DATA(h);
	const struct rtattr *tb[IFLA_MAX + 1];
	struct rtnl_link *l;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (grow((void **)&s->links, s->nlinks, sizeof(*l)))
		return -ENOMEM;
	l = &s->links[s->nlinks++];
	attrs(h, sizeof(*i), tb, IFLA_MAX);
	l->index = i->ifi_index;
	l->flags = i->ifi_flags;
	l->mtu = u32_attr(tb[IFLA_MTU], 0);
	if (tb[IFLA_IFNAME])
		strncpy(l->name, RTA_DATA(tb[IFLA_IFNAME]),
			sizeof(l->name) - 1);
	if (tb[IFLA_ADDRESS] &&
	    RTA_PAYLOAD(tb[IFLA_ADDRESS]) <= sizeof(l->mac)) {
		l->mac_len = RTA_PAYLOAD(tb[IFLA_ADDRESS]);
		memcpy(l->mac, RTA_DATA(tb[IFLA_ADDRESS]), l->mac_len);
	}
	return 0;
}

static int each_addr(const struct nlmsghdr *h, struct rtnl_state *s)
{
	const struct ifaddrmsg *i = NLMSG_DATA(h);
	const struct rtattr *tb[IFA_MAX + 1];
	struct rtnl_addr *d;
	struct in_addr ip;

	if (h->nlmsg_type != RTM_NEWADDR || i->ifa_family != AF_INET)
		return 0;
	attrs(h, sizeof(*i), tb, IFA_MAX);
	if (!ip_attr(tb[IFA_LOCAL], &ip) && !ip_attr(tb[IFA_ADDRESS], &ip))
		return 0;
	if (grow((void **)&s->addrs, s->naddrs, sizeof(*d)))
		return -ENOMEM;
	d = &s->addrs[s->naddrs++];
	d->index = (int)i->ifa_index;
	d->a.addr = ip;
	d->a.prefix = i->ifa_prefixlen;
	d->a.has_brd = ip_attr(tb[IFA_BROADCAST], &d->a.brd);
	return 0;
}

static int each_route(const struct nlmsghdr *h, struct rtnl_state *s)
{
	const struct rtmsg *m = NLMSG_DATA(h);
	const struct rtattr *tb[RTA_MAX + 1];
	struct rtnl_route *r;

	if (h->nlmsg_type != RTM_NEWROUTE || m->rtm_family != AF_INET)
		return 0;
	if (grow((void **)&s->routes, s->nroutes, sizeof(*r)))
		return -ENOMEM;
	r = &s->routes[s->nroutes++];
	attrs(h, sizeof(*m), tb, RTA_MAX);
	r->table = u32_attr(tb[RTA_TABLE], m->rtm_table);
	r->type = m->rtm_type;
	r->oif = (int)u32_attr(tb[RTA_OIF], 0);
	r->multipath = tb[RTA_MULTIPATH] != NULL;
	r->r.prefix = m->rtm_dst_len;
	ip_attr(tb[RTA_DST], &r->r.dst);
	r->r.has_gw = ip_attr(tb[RTA_GATEWAY], &r->r.gw);
	r->r.has_src = ip_attr(tb[RTA_PREFSRC], &r->r.src);
	r->r.metric = u32_attr(tb[RTA_PRIORITY], 0);
	r->r.proto = m->rtm_protocol;
	r->r.scope = m->rtm_scope;
	return 0;
}

int rtnl_dump(struct rtnl_state *s)
{
	struct ifinfomsg i = { .ifi_family = AF_UNSPEC };
	struct ifaddrmsg a = { .ifa_family = AF_INET };
	struct rtmsg r = { .rtm_family = AF_INET };
	struct rtnl_req q;
	int ret;

	memset(s, 0, sizeof(*s));
	req_init(&q, RTM_GETLINK, NLM_F_DUMP, &i, sizeof(i));
	ret = talk(&q, each_link, s);
	if (!ret) {
		req_init(&q, RTM_GETADDR, NLM_F_DUMP, &a, sizeof(a));
		ret = talk(&q, each_addr, s);
	}
	if (!ret) {
		req_init(&q, RTM_GETROUTE, NLM_F_DUMP, &r, sizeof(r));
		ret = talk(&q, each_route, s);
	}
	if (ret)
		rtnl_free(s);
	return ret;
}

void rtnl_free(struct rtnl_state *s)
{
	free(s->links);
	free(s->addrs);
	free(s->routes);
	memset(s, 0, sizeof(*s));
}

const struct rtnl_link *rtnl_link_by_index(const struct rtnl_state *s,
					   int index)
{
	for (unsigned int i = 0; i < s->nlinks; i++)
		if (s->links[i].index == index)
			return &s->links[i];
	return NULL;
}

int rtnl_set_link(int index, const char *name, unsigned int mtu, int up)
{
	struct ifinfomsg i = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = index,
		.ifi_change = up >= 0 ? IFF_UP : 0,
		.ifi_flags = up > 0 ? IFF_UP : 0,
	};
	struct rtnl_req q;

	req_init(&q, RTM_NEWLINK, NLM_F_ACK, &i, sizeof(i));
	if (name)
		req_attr(&q, IFLA_IFNAME, name, strlen(name) + 1);
	if (mtu)
		req_attr(&q, IFLA_MTU, &mtu, sizeof(mtu));
	return talk(&q, NULL, NULL);
}

int rtnl_add_addr(int index, const struct manifest_addr *d)
{
	struct ifaddrmsg a = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = (unsigned char)d->prefix,
		.ifa_flags = IFA_F_PERMANENT,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = (unsigned int)index,
	};
	struct rtnl_req q;

	req_init(&q, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &a,
		 sizeof(a));
	req_attr(&q, IFA_LOCAL, &d->addr, sizeof(d->addr));
	req_attr(&q, IFA_ADDRESS, &d->addr, sizeof(d->addr));
	if (d->has_brd)
		req_attr(&q, IFA_BROADCAST, &d->brd, sizeof(d->brd));
	return talk(&q, NULL, NULL);
}

int rtnl_add_route(int oif, const struct manifest_route *r)
{
	struct rtmsg m = {
		.rtm_family = AF_INET,
		.rtm_dst_len = (unsigned char)r->prefix,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = (unsigned char)r->proto,
		.rtm_scope = (unsigned char)r->scope,
		.rtm_type = RTN_UNICAST,
	};
	uint32_t o = (uint32_t)oif;
	struct rtnl_req q;

	req_init(&q, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &m,
		 sizeof(m));
	if (r->prefix)
		req_attr(&q, RTA_DST, &r->dst, sizeof(r->dst));
	if (r->has_gw)
		req_attr(&q, RTA_GATEWAY, &r->gw, sizeof(r->gw));
	if (r->has_src)
		req_attr(&q, RTA_PREFSRC, &r->src, sizeof(r->src));
	req_attr(&q, RTA_OIF, &o, sizeof(o));
	req_attr(&q, RTA_PRIORITY, &r->metric, sizeof(r->metric));
	return talk(&q, NULL, NULL);
}
