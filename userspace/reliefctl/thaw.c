// SPDX-License-Identifier: GPL-2.0
/* thaw.c - resume a tree a dump left stopped (thaw.h). */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proctree.h"
#include "thaw.h"

/*
 * One socket of the process behind pidfd, if it is TCP in repair mode:
 * off, keeping SO_REUSEADDR, which leaving repair mode clears. 1 when it
 * was repaired, 0 when it needed nothing, -errno.
 */
static int unrepair(int pidfd, int fd)
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
	    setsockopt(sk, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)))
		ret = -errno;
	else
		ret = 1;
out:
	close(sk);
	return ret;
}

/* Every socket of pid: the number repaired, or -errno (the first). */
static int unrepair_all(pid_t pid, unsigned int *repaired)
{
	char path[64], link[64];
	struct dirent *d;
	int pidfd, first = 0;
	DIR *dir;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
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
		r = unrepair(pidfd, atoi(d->d_name));
		if (r > 0)
			(*repaired)++;
		else if (r < 0 && !first)
			first = r;
	}
	if (dir)
		closedir(dir);
	close(pidfd);
	return first;
}

static int kept(pid_t pid, const pid_t *keep, unsigned int nkeep)
{
	for (unsigned int i = 0; i < nkeep; i++)
		if (keep[i] == pid)
			return 1;
	return 0;
}

int thaw_tree(pid_t root, const pid_t *keep, unsigned int nkeep,
	      struct thaw_stats *st, char *why, size_t whylen)
{
	struct proc_tree t;
	int ret = proctree_read(root, &t), first = 0;

	if (ret) {
		snprintf(why, whylen, "process %d: %s", (int)root,
			 strerror(-ret));
		return ret;
	}
	/* Sockets first: a process must not run on a socket in repair. */
	for (unsigned int i = 0; i < t.nr; i++) {
		pid_t pid = t.procs[i].pid;
		int r;

		if (kept(pid, keep, nkeep))
			continue;
		r = unrepair_all(pid, &st->tcp_repaired);
		if (r && !first) {
			first = r;
			snprintf(why, whylen, "the TCP sockets of %d (%s) "
				 "stay in repair mode: %s", (int)pid,
				 t.procs[i].comm, strerror(-r));
		}
	}
	for (unsigned int i = 0; i < t.nr; i++) {
		pid_t pid = t.procs[i].pid;

		if (kept(pid, keep, nkeep))
			st->kept++;
		else if (!kill(pid, SIGCONT))
			st->resumed++;
	}
	proctree_free(&t);
	return first;
}
