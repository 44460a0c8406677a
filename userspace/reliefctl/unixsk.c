// SPDX-License-Identifier: GPL-2.0
/* unixsk.c - unix sockets whose peer is outside a tree (unixsk.h). */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unixsk.h"

/* One unix socket of the machine, as sock_diag reports it. */
struct diag_sk {
	unsigned long ino, peer;
	int type;
	char name[UNIXSK_NAME_MAX + 1];
};

struct diag_table {
	struct diag_sk *v;
	unsigned int nr, cap;
};

static int table_add(struct diag_table *t, const struct diag_sk *d)
{
	if (t->nr == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 256;
		struct diag_sk *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->nr++] = *d;
	return 0;
}

static const struct diag_sk *table_find(const struct diag_table *t,
					unsigned long ino)
{
	for (unsigned int i = 0; i < t->nr; i++)
		if (t->v[i].ino == ino)
			return &t->v[i];
	return NULL;
}

/* An abstract name starts with a NUL: shown with '@', as ss does. */
static void attr_name(struct diag_sk *d, const struct rtattr *a)
{
	size_t n = RTA_PAYLOAD(a);
	const char *p = RTA_DATA(a);

	if (n > UNIXSK_NAME_MAX)
		n = UNIXSK_NAME_MAX;
	memcpy(d->name, p, n);
	d->name[n] = '\0';
	if (n && !p[0])
		d->name[0] = '@';
}

static int parse_msg(struct diag_table *t, const struct nlmsghdr *h)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));
	struct diag_sk d = { .ino = m->udiag_ino, .type = m->udiag_type };

	if (len < 0)
		return -EBADMSG;
	for (struct rtattr *a = (struct rtattr *)(m + 1); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER &&
		    RTA_PAYLOAD(a) >= sizeof(__u32))
			d.peer = *(__u32 *)RTA_DATA(a);
		else if (a->rta_type == UNIX_DIAG_NAME)
			attr_name(&d, a);
	}
	return table_add(t, &d);
}

/* The answers to the dump, until NLMSG_DONE: 0 or -errno. */
static int read_dump(int sk, struct diag_table *t)
{
	static char buf[32768] __attribute__((aligned(4)));

	for (;;) {
		ssize_t n = recv(sk, buf, sizeof(buf), 0);
		int len = (int)n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     NLMSG_OK(h, (unsigned int)len); h = NLMSG_NEXT(h, len)) {
			int ret;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error ? e->error : -EBADMSG;
			}
			ret = parse_msg(t, h);
			if (ret)
				return ret;
		}
		if (!n)
			return -EBADMSG;
	}
}

/* Every unix socket of this network namespace, with peer and name. */
static int diag_all(struct diag_table *t)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.r = {
			.sdiag_family = AF_UNIX,
			.udiag_states = ~0u,
			.udiag_show = UDIAG_SHOW_PEER | UDIAG_SHOW_NAME,
		},
	};
	int sk = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_SOCK_DIAG);
	int ret;

	if (sk < 0)
		return -errno;
	if (send(sk, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		ret = -errno;
	else
		ret = read_dump(sk, t);
	close(sk);
	return ret;
}

static void outside_set(struct unixsk_outside *o, const struct proc_socket *s,
			const struct diag_sk *d, const struct diag_table *t)
{
	const struct diag_sk *peer = table_find(t, d->peer);

	*o = (struct unixsk_outside){
		.ino = d->ino, .peer = d->peer, .pid = s->pid, .fd = s->fd,
		.type = d->type,
	};
	if (peer)
		snprintf(o->peer_name, sizeof(o->peer_name), "%s", peer->name);
}

int unixsk_outside(const struct proc_tree *t, struct unixsk_outside *v,
		   unsigned int max)
{
	struct diag_table all = { 0 };
	struct proc_sockets s;
	int ret = proctree_sockets(t, &s), n = 0;

	if (ret)
		return ret;
	if (s.nr)
		ret = diag_all(&all);
	for (unsigned int i = 0; !ret && i < s.nr; i++) {
		const struct diag_sk *d = table_find(&all, s.v[i].ino);

		if (!d || !d->peer || proctree_sockets_has(&s, d->peer) ||
		    (d->type != SOCK_STREAM && d->type != SOCK_SEQPACKET))
			continue;
		if ((unsigned int)n < max)
			outside_set(&v[n], &s.v[i], d, &all);
		n++;
	}
	free(all.v);
	proctree_sockets_free(&s);
	return ret ? ret : n;
}
