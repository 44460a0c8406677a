// SPDX-License-Identifier: GPL-2.0
/* helper_netns.c - a network namespace and veth pairs for the tests. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper_netns.h"

int rt_netns_enter(void)
{
	return unshare(CLONE_NEWNET) ? -errno : 0;
}

int rt_ifindex(const char *name)
{
	return (int)if_nametoindex(name);
}

static struct rtattr *rt_nl_put(struct nlmsghdr *h, unsigned short type,
				const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h +
					     NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

/* Close a nest opened with rt_nl_put(h, type, NULL, 0). */
static void rt_nl_end(struct nlmsghdr *h, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)h + h->nlmsg_len -
					 (char *)nest);
}

/* Send the request, return the kernel's answer: 0 or -errno. */
static int rt_nl_ack(struct nlmsghdr *h)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr h;
		char buf[1024];
	} ack;
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, h, h->nlmsg_len, 0, (struct sockaddr *)&k,
		   sizeof(k)) < 0 || recv(fd, &ack, sizeof(ack), 0) <= 0)
		ret = -errno;
	else
		ret = ack.h.nlmsg_type == NLMSG_ERROR ?
		      ((struct nlmsgerr *)NLMSG_DATA(&ack.h))->error : -EPROTO;
	close(fd);
	return ret;
}

int rt_netlink_del(int index)
{
	union {
		struct nlmsghdr h;
		char buf[256];
	} q;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(ifi));
	q.h.nlmsg_type = RTM_DELLINK;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(NLMSG_DATA(&q.h), &ifi, sizeof(ifi));
	return rt_nl_ack(&q.h);
}

int rt_veth_add(const char *a, unsigned char ma, const char *b,
		unsigned char mb)
{
	union {
		struct nlmsghdr h;
		char buf[1024];
	} q;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned char maca[6] = { 2, 0, 0, 0, 0, ma }, macb[6] = {
		2, 0, 0, 0, 0, mb };
	struct rtattr *info, *data, *peer;

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(ifi));
	q.h.nlmsg_type = RTM_NEWLINK;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			  NLM_F_EXCL;
	q.h.nlmsg_seq = 1;
	rt_nl_put(&q.h, IFLA_IFNAME, a, strlen(a) + 1);
	rt_nl_put(&q.h, IFLA_ADDRESS, maca, sizeof(maca));
	info = rt_nl_put(&q.h, IFLA_LINKINFO, NULL, 0);
	rt_nl_put(&q.h, IFLA_INFO_KIND, "veth", 5);
	data = rt_nl_put(&q.h, IFLA_INFO_DATA, NULL, 0);
	peer = rt_nl_put(&q.h, VETH_INFO_PEER, &ifi, sizeof(ifi));
	rt_nl_put(&q.h, IFLA_IFNAME, b, strlen(b) + 1);
	rt_nl_put(&q.h, IFLA_ADDRESS, macb, sizeof(macb));
	rt_nl_end(&q.h, peer);
	rt_nl_end(&q.h, data);
	rt_nl_end(&q.h, info);
	return rt_nl_ack(&q.h);
}
