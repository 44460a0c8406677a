/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drain.h - before the dump, the old kernel's agent drains the listeners
 * of the trees it moves: new connections to their ports wait for kernel
 * B (netlock_drain() drops their SYNs), and the connections the kernel
 * has made already are accepted by the services, so that they move as
 * the services' own sockets instead of being left behind (criu
 * --skip-in-flight). A rollback ends it (drain_end()).
 */
#ifndef RELIEFCTL_DRAIN_H
#define RELIEFCTL_DRAIN_H

#include <stdio.h>
#include <sys/types.h>

#define DRAIN_WAIT_MS	1000	/* for the accept queues to empty */
#define DRAIN_POLL_MS	2

/*
 * drain_listeners() - drain the listeners of the trees of the n roots
 * (a gone root is skipped: its dump says so), waiting at most
 * DRAIN_WAIT_MS; what it did on out ("agent: new connections to ports
 * 80 6379 wait for kernel B ..."), what it could not on err (no
 * libnftables: the swap goes on, and a connection made during the
 * freeze is lost).
 */
void drain_listeners(const pid_t *roots, unsigned int n, FILE *out,
		     FILE *err);

/* drain_end() - new connections are taken again (a rollback). */
void drain_end(FILE *err);

#endif /* RELIEFCTL_DRAIN_H */
