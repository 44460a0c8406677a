// SPDX-License-Identifier: GPL-2.0
/* thaw.c - resume a tree a dump left stopped (thaw.h). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netlock.h"
#include "proctree.h"
#include "thaw.h"

struct unrepair {
	bool iptables;		/* criu locked each connection with iptables */
	struct thaw_stats *st;
	int first;		/* the first failure, -errno */
	char *why;
	size_t whylen;
};

/* Remember the first failure only: the rest is still tried. */
static void fail_once(struct unrepair *u, int err, const char *what,
		      const char *detail)
{
	if (u->first)
		return;
	u->first = err;
	snprintf(u->why, u->whylen, "%s: %s", what, detail);
}

/*
 * One socket of the process behind pidfd, if it is TCP in repair mode:
 * off, keeping SO_REUSEADDR, which leaving repair mode clears, and its
 * iptables lock gone. 1 when it was repaired, 0 when it needed nothing,
 * -errno.
 */
static int unrepair(struct unrepair *u, int pidfd, int fd)
{
	int sk = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	int proto = 0, repair = 0, reuse = 0, off = 0, ret = 0;
	socklen_t len = sizeof(int);

	if (sk < 0)
		return errno == EBADF ? 0 : -errno;	/* closed meanwhile */
	if (getsockopt(sk, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
	    proto != IPPROTO_TCP ||
	    getsockopt(sk, IPPROTO_TCP, TCP_REPAIR, &repair, &len) || !repair)
		goto out;
	if (getsockopt(sk, SOL_SOCKET, SO_REUSEADDR, &reuse, &len) ||
	    setsockopt(sk, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)) ||
	    setsockopt(sk, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse))) {
		ret = -errno;
		goto out;
	}
	ret = 1;
	if (u->iptables) {
		char line[256];

		if (netlock_unlock_iptables(sk, line, sizeof(line)))
			fail_once(u, -EIO, "criu's lock stays", line);
		else
			u->st->unlocked++;
	}
out:
	close(sk);
	return ret;
}

/* Every socket of one process. */
static void unrepair_all(struct unrepair *u, const struct proc_info *pi)
{
	char path[64], link[64];
	struct dirent *d;
	int pidfd;
	DIR *dir;

	pidfd = (int)syscall(SYS_pidfd_open, pi->pid, 0);
	if (pidfd < 0) {
		if (errno != ESRCH)
			fail_once(u, -errno, pi->comm, strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pi->pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		ssize_t n = readlinkat(dirfd(dir), d->d_name, link,
				       sizeof(link) - 1);
		int r;

		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:", 7))
			continue;
		r = unrepair(u, pidfd, atoi(d->d_name));
		if (r > 0)
			u->st->tcp_repaired++;
		else if (r < 0)
			fail_once(u, r, "a TCP socket stays in repair mode",
				  strerror(-r));
	}
	if (dir)
		closedir(dir);
	close(pidfd);
}

static int kept(pid_t pid, const pid_t *keep, unsigned int nkeep)
{
	for (unsigned int i = 0; i < nkeep; i++)
		if (keep[i] == pid)
			return 1;
	return 0;
}

int thaw_tree(pid_t root, const char *lock, const pid_t *keep,
	      unsigned int nkeep, struct thaw_stats *st, char *why,
	      size_t whylen)
{
	struct unrepair u = {
		.iptables = !lock || !strcmp(lock, "iptables"),
		.st = st, .why = why, .whylen = whylen,
	};
	struct proc_tree t;
	int ret = proctree_read(root, &t);

	if (ret) {
		snprintf(why, whylen, "process %d: %s", (int)root,
			 strerror(-ret));
		return ret;
	}
	/* Sockets first: a process must not run on a socket in repair. */
	for (unsigned int i = 0; i < t.nr; i++)
		if (!kept(t.procs[i].pid, keep, nkeep))
			unrepair_all(&u, &t.procs[i]);
	if (!u.iptables) {
		char line[256];

		ret = netlock_unlock_nftables(root, line, sizeof(line));
		if (ret < 0)
			fail_once(&u, -EIO, "criu's lock stays", line);
		else
			st->unlocked += (unsigned int)ret;
	}
	for (unsigned int i = 0; i < t.nr; i++) {
		pid_t pid = t.procs[i].pid;

		if (kept(pid, keep, nkeep))
			st->kept++;
		else if (!kill(pid, SIGCONT))
			st->resumed++;
	}
	proctree_free(&t);
	return u.first;
}
