/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unixsk.h - a tree's connected unix sockets whose peer is outside it.
 *
 * A systemd service's stdout and stderr are a unix stream to journald
 * (/run/systemd/journal/stdout). journald does not move with the service,
 * so the stream has no other end in kernel B: criu refuses to dump such a
 * socket unless told which ones it may leave behind (--ext-unix-sk=INO),
 * and restores one only onto a file it is handed (inherit-fd). The agent
 * in A names them to criu and in the manifest; B's agent hands criu its
 * kernel log (/dev/kmsg) for each, so what the service writes there goes
 * on being logged, by B's kernel, until its journald takes over the
 * stream. Peers found by NETLINK_SOCK_DIAG (UDIAG_SHOW_PEER).
 */
#ifndef RELIEFCTL_UNIXSK_H
#define RELIEFCTL_UNIXSK_H

#include <sys/types.h>

#include "proctree.h"

#define UNIXSK_NAME_MAX	108	/* sun_path */

/* A stream (or seqpacket) socket of the tree whose peer is not. */
struct unixsk_outside {
	unsigned long ino;
	unsigned long peer;	/* the peer's inode */
	pid_t pid;		/* a process of the tree holding it */
	int fd;			/* its lowest fd there */
	int type;		/* SOCK_STREAM, SOCK_SEQPACKET */
	char peer_name[UNIXSK_NAME_MAX + 1];	/* "": none; '@': abstract */
};

/*
 * unixsk_outside() - the tree's connected stream and seqpacket unix
 * sockets whose peer no process of the tree holds, at most max into v.
 * Returns how many there are (more than max: only max were written), or
 * -errno (sock_diag unavailable: -EPROTONOSUPPORT...).
 */
int unixsk_outside(const struct proc_tree *t, struct unixsk_outside *v,
		   unsigned int max);

#endif /* RELIEFCTL_UNIXSK_H */
