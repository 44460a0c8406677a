// SPDX-License-Identifier: GPL-2.0
/* proctree.c - process trees from /proc (proctree.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"

int proctree_stat(pid_t pid, struct proc_info *pi)
{
	char path[64], buf[1024], *lp, *rp;
	unsigned long threads;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;	/* it just exited */
	buf[n] = '\0';
	/* "PID (COMM) S PPID PGRP SID TTY TPGID FLAGS ...": COMM may hold
	 * anything, ')' included, so it ends at the last ')'.
	 */
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');
	if (!lp || !rp)
		return -EINVAL;
	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	snprintf(pi->comm, sizeof(pi->comm), "%.*s",
		 (int)(rp - lp - 1), lp + 1);
	if (sscanf(rp + 1, " %c %d %*d %d %d %*d %u %*u %*u %*u %*u %*u "
		   "%*u %*d %*d %*d %*d %lu", &pi->state, &pi->ppid, &pi->sid,
		   &pi->tty_nr, &pi->flags, &threads) != 6)
		return -EINVAL;
	pi->threads = (unsigned int)threads;
	return 0;
}

/* Every process there is, sorted by parent then pid. */
struct all {
	struct proc_info *p;
	unsigned int nr, cap;
};

static int by_parent(const void *a, const void *b)
{
	const struct proc_info *x = a, *y = b;

	if (x->ppid != y->ppid)
		return x->ppid < y->ppid ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int read_all(struct all *all)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		struct proc_info pi;

		if (!isdigit((unsigned char)d->d_name[0]) ||
		    proctree_stat(atoi(d->d_name), &pi))
			continue;	/* not a process, or gone */
		if (all->nr == all->cap) {
			unsigned int cap = all->cap ? 2 * all->cap : 256;
			struct proc_info *p = realloc(all->p, cap * sizeof(*p));

			if (!p) {
				closedir(dir);
				return -ENOMEM;
			}
			all->p = p;
			all->cap = cap;
		}
		all->p[all->nr++] = pi;
	}
	closedir(dir);
	qsort(all->p, all->nr, sizeof(*all->p), by_parent);
	return 0;
}

/* The first process whose parent is ppid, or all->nr. */
static unsigned int first_child(const struct all *all, pid_t ppid)
{
	unsigned int lo = 0, hi = all->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (all->p[mid].ppid < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static unsigned int push_children(struct all *all, unsigned int *stack,
				  unsigned int top, pid_t ppid,
				  unsigned int depth)
{
	unsigned int i = first_child(all, ppid), end = i;

	while (end < all->nr && all->p[end].ppid == ppid)
		end++;
	while (end-- > i) {
		all->p[end].depth = depth;
		stack[top++] = end;
	}
	return top;
}

int proctree_read(pid_t root, struct proc_tree *t)
{
	struct all all = { 0 };
	unsigned int *stack = NULL, top = 0;
	struct proc_info first;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = proctree_stat(root, &first);
	if (ret)
		return ret;
	ret = read_all(&all);
	if (ret)
		goto out;
	t->procs = malloc((all.nr + 1) * sizeof(*t->procs));
	stack = malloc((all.nr + 1) * sizeof(*stack));
	if (!t->procs || !stack) {
		ret = -ENOMEM;
		goto out;
	}
	t->procs[0] = first;
	t->nr = 1;
	/*
	 * Depth first, pre-order: a process is listed when it comes off the
	 * stack, its children pushed highest pid first so the lowest comes
	 * out next. Each process has one parent, so each is pushed once.
	 */
	top = push_children(&all, stack, top, root, 1);
	while (top && t->nr <= all.nr) {
		struct proc_info *p = &all.p[stack[--top]];

		t->procs[t->nr++] = *p;
		top = push_children(&all, stack, top, p->pid, p->depth + 1);
	}
out:
	free(all.p);
	free(stack);
	if (ret)
		proctree_free(t);
	return ret;
}

void proctree_free(struct proc_tree *t)
{
	free(t->procs);
	t->procs = NULL;
	t->nr = 0;
}

bool proctree_has(const struct proc_tree *t, pid_t pid)
{
	for (unsigned int i = 0; i < t->nr; i++)
		if (t->procs[i].pid == pid)
			return true;
	return false;
}

/* --- namespaces ------------------------------------------------------- */

int proctree_own_ns(pid_t pid, char *buf, size_t len)
{
	static const char *const kinds[] = {
		"user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time",
	};
	char path[64];
	size_t at = 0;
	int n = 0;

	if (len)
		*buf = '\0';
	snprintf(path, sizeof(path), "/proc/%d/ns", (int)pid);
	if (access(path, F_OK))
		return -errno;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		char self[64], theirs[64], ours[64];
		ssize_t a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid,
			 kinds[i]);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", kinds[i]);
		a = readlink(path, theirs, sizeof(theirs) - 1);
		b = readlink(self, ours, sizeof(ours) - 1);
		/* One this kernel has not (time before 5.6): shared. */
		if (a < 0 || b < 0 || (a == b && !memcmp(theirs, ours, a)))
			continue;
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
					       n ? " " : "", kinds[i]);
		n++;
	}
	return n;
}

/* --- sockets ---------------------------------------------------------- */

static int add_socket(struct proc_sockets *s, unsigned long ino, pid_t pid,
		      int fd)
{
	if (s->nr == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 64;
		struct proc_socket *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->nr++] = (struct proc_socket){ .ino = ino, .pid = pid,
					      .fd = fd };
	return 0;
}

static int sockets_find(const struct proc_sockets *s, unsigned long ino)
{
	for (unsigned int i = 0; i < s->nr; i++)
		if (s->v[i].ino == ino)
			return (int)i;
	return -1;
}

/* The sockets a process has open, each once (its lowest fd). */
static int proc_sockets(pid_t pid, struct proc_sockets *s)
{
	char path[64], link[64];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (d = readdir(dir))) {
		unsigned long ino;
		int fd, i;
		ssize_t n;

		if (d->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		fd = atoi(d->d_name);
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		i = sockets_find(s, ino);
		if (i < 0)
			ret = add_socket(s, ino, pid, fd);
		else if (s->v[i].pid == pid && fd < s->v[i].fd)
			s->v[i].fd = fd;
	}
	closedir(dir);
	return ret;
}

int proctree_sockets(const struct proc_tree *t, struct proc_sockets *s)
{
	int ret = 0;

	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < t->nr && !ret; i++)
		ret = proc_sockets(t->procs[i].pid, s);
	if (ret)
		proctree_sockets_free(s);
	return ret;
}

bool proctree_sockets_has(const struct proc_sockets *s, unsigned long ino)
{
	return sockets_find(s, ino) >= 0;
}

void proctree_sockets_free(struct proc_sockets *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- TCP -------------------------------------------------------------- */

/* A line of net/tcp or tcp6: its local port, state and queues, inode. */
struct tcp_line {
	unsigned int port, st, tx, rx;
	unsigned long ino;
};

static bool tcp_line_parse(const char *line, struct tcp_line *l)
{
	/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
	return sscanf(line, " %*s %*[0-9A-Fa-f]:%x %*s %x %x:%x %*s %*s %*s "
		      "%*s %lu", &l->port, &l->st, &l->tx, &l->rx,
		      &l->ino) == 5;
}

/* pid's net/tcp or tcp6; NULL without IPv6 (tcp6) in this kernel. */
static FILE *net_open(pid_t pid, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, file);
	return fopen(path, "re");
}

#define NETTCP_ESTABLISHED 0x01	/* the states, as net/tcp shows them */
#define NETTCP_SYN_RECV	0x03
#define NETTCP_LISTEN	0x0A

/* Established connections of net/tcp or tcp6 whose socket is in s. */
static int count_established(pid_t pid, const char *file,
			     const struct proc_sockets *s)
{
	char line[512];
	struct tcp_line l;
	int n = 0;
	FILE *f;

	f = net_open(pid, file);
	if (!f)
		return 0;	/* no IPv6 in this kernel */
	while (fgets(line, sizeof(line), f))
		if (tcp_line_parse(line, &l) && l.st == NETTCP_ESTABLISHED &&
		    proctree_sockets_has(s, l.ino))
			n++;
	fclose(f);
	return n;
}

static bool port_in(const uint16_t *ports, unsigned int n, unsigned int port)
{
	for (unsigned int i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* Listeners of s in net/tcp or tcp6: their ports and accept queues. */
static void add_listeners(pid_t pid, const char *file,
			  const struct proc_sockets *s, struct proc_listen *q,
			  unsigned int max)
{
	char line[512];
	struct tcp_line l;
	FILE *f;

	f = net_open(pid, file);
	if (!f)
		return;		/* no IPv6 in this kernel */
	while (fgets(line, sizeof(line), f)) {
		if (!tcp_line_parse(line, &l) || l.st != NETTCP_LISTEN ||
		    !proctree_sockets_has(s, l.ino))
			continue;
		/* A listener's receive queue is its accept queue. */
		q->queued += l.rx;
		if (!port_in(q->ports, q->nr_ports, l.port) &&
		    q->nr_ports < max)
			q->ports[q->nr_ports++] = (uint16_t)l.port;
	}
	fclose(f);
}

/* Handshakes under way to q's ports in net/tcp or tcp6. */
static void add_half_open(pid_t pid, const char *file, struct proc_listen *q)
{
	char line[512];
	struct tcp_line l;
	FILE *f;

	f = net_open(pid, file);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (tcp_line_parse(line, &l) && l.st == NETTCP_SYN_RECV &&
		    port_in(q->ports, q->nr_ports, l.port))
			q->half_open++;
	fclose(f);
}

int proctree_listen(const struct proc_tree *t, struct proc_listen *q,
		    unsigned int max)
{
	struct proc_sockets s;
	int ret = proctree_sockets(t, &s);

	memset(q, 0, sizeof(*q));
	if (ret)
		return ret;
	if (s.nr && t->nr) {
		/* The ports first: a handshake names only its port. */
		add_listeners(t->procs[0].pid, "tcp", &s, q, max);
		add_listeners(t->procs[0].pid, "tcp6", &s, q, max);
		add_half_open(t->procs[0].pid, "tcp", q);
		add_half_open(t->procs[0].pid, "tcp6", q);
	}
	proctree_sockets_free(&s);
	return 0;
}

int proctree_tcp_established(const struct proc_tree *t)
{
	struct proc_sockets s;
	int ret = proctree_sockets(t, &s);

	if (!ret && s.nr && t->nr)
		ret = count_established(t->procs[0].pid, "tcp", &s) +
		      count_established(t->procs[0].pid, "tcp6", &s);
	proctree_sockets_free(&s);
	return ret;
}

int proctree_anon_kb(pid_t pid, unsigned long long *kb)
{
	char path[64], line[256];
	FILE *f;
	int ret = -ENODATA;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %llu kB", kb) == 1) {
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}
