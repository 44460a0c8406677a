/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proctree.h - a process and everything below it, as /proc shows them:
 * what `swap --move` checks and lists, what the agent counts after a dump
 * and what it resumes on a thaw. Processes only: threads are counted, not
 * listed (one SIGCONT resumes them all, criu dumps them with their
 * process).
 */
#ifndef RELIEFCTL_PROCTREE_H
#define RELIEFCTL_PROCTREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCTREE_PF_KTHREAD	0x00200000u	/* PF_KTHREAD: kernel thread */

struct proc_info {
	pid_t pid;
	pid_t ppid;
	pid_t sid;		/* session */
	char comm[17];
	char state;		/* R, S, D, T, t, Z... */
	unsigned int flags;	/* the kernel's PF_* */
	int tty_nr;		/* controlling terminal, 0: none */
	unsigned int threads;
	unsigned int depth;	/* below the tree's root */
};

struct proc_tree {
	struct proc_info *procs;	/* procs[0] is the root, then pre-order */
	unsigned int nr;
};

/*
 * proctree_stat() - one process from /proc/PID/stat. 0, -ENOENT when
 * there is no such process, or another -errno.
 */
int proctree_stat(pid_t pid, struct proc_info *pi);

/*
 * proctree_read() - the process root and all its descendants (children
 * by their parent's pid, sorted by pid). 0 or -errno; free with
 * proctree_free().
 */
int proctree_read(pid_t root, struct proc_tree *t);
void proctree_free(struct proc_tree *t);

/*
 * proctree_anon_kb() - a process's private anonymous memory in RAM, in
 * kB (RssAnon in /proc/PID/status). 0, or -errno (-ENOENT: no process).
 */
int proctree_anon_kb(pid_t pid, unsigned long long *kb);

/* Is pid one of the tree's processes. */
bool proctree_has(const struct proc_tree *t, pid_t pid);

/*
 * proctree_tcp_established() - how many established TCP connections the
 * tree's processes hold open (sockets of /proc/PID/fd found in the
 * process's /proc/PID/net/tcp and tcp6), or -errno.
 */
int proctree_tcp_established(const struct proc_tree *t);

#define PROCTREE_LISTEN_MAX	64	/* ports */

/* What waits on a tree's listening TCP sockets. */
struct proc_listen {
	uint16_t ports[PROCTREE_LISTEN_MAX];	/* each once */
	unsigned int nr_ports;
	unsigned int queued;	/* connections made, not yet accepted */
	unsigned int half_open;	/* SYN_RECV to one of those ports */
};

/*
 * proctree_listen() - the ports the tree's processes listen on (TCP,
 * IPv4 and IPv6, from the root's net/tcp and tcp6; at most max, at most
 * PROCTREE_LISTEN_MAX), the connections waiting in their accept queues
 * and those half-way through the handshake to them. 0 or -errno.
 */
int proctree_listen(const struct proc_tree *t, struct proc_listen *q,
		    unsigned int max);

/*
 * proctree_own_ns() - the namespaces of pid that are not this process's
 * (each link in /proc/PID/ns against /proc/self/ns), names separated by
 * spaces in buf ("" when it shares them all). Returns how many, or
 * -errno when pid's cannot be read (-ENOENT: no such process).
 */
int proctree_own_ns(pid_t pid, char *buf, size_t len);

/* One open socket of a tree: its inode, and a process and fd holding it. */
struct proc_socket {
	unsigned long ino;
	pid_t pid;		/* the first process found holding it */
	int fd;			/* its lowest fd there */
};

struct proc_sockets {
	struct proc_socket *v;
	unsigned int nr, cap;
};

/*
 * proctree_sockets() - every socket the tree's processes hold open (from
 * /proc/PID/fd), each once. 0 or -errno; free with
 * proctree_sockets_free().
 */
int proctree_sockets(const struct proc_tree *t, struct proc_sockets *s);
bool proctree_sockets_has(const struct proc_sockets *s, unsigned long ino);
void proctree_sockets_free(struct proc_sockets *s);

#endif /* RELIEFCTL_PROCTREE_H */
