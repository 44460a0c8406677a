/* SPDX-License-Identifier: GPL-2.0 */
/*
 * moveset.h - the process trees `reliefctl swap --move` moves: parsed,
 * refused when they can never move (pid 1, reliefctl itself or an
 * ancestor, a kernel thread, no such process, a tree inside another), and
 * listed with what the cheap checks find that criu would trip over
 * (a controlling terminal, a zombie root, namespaces of its own,
 * established TCP connections with no netfilter to hold them).
 */
#ifndef RELIEFCTL_MOVESET_H
#define RELIEFCTL_MOVESET_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "manifest.h"
#include "proctree.h"

#define MOVESET_MAX	MANIFEST_TREES_MAX

struct moveset {
	unsigned int nr;
	pid_t roots[MOVESET_MAX];
	struct proc_tree trees[MOVESET_MAX];	/* after moveset_check() */
	int tcp[MOVESET_MAX];	/* established TCP connections, or -errno */
};

/*
 * moveset_parse() - "1234,5678" added to m->roots (--move may be given
 * more than once). 0, or -1 with why: not a pid, more than MOVESET_MAX.
 */
int moveset_parse(struct moveset *m, const char *list, char *why,
		  size_t whylen);

/*
 * moveset_check() - read every tree and refuse what can never move: 0, or
 * -1 with one line in why.
 */
int moveset_check(struct moveset *m, char *why, size_t whylen);

/*
 * moveset_print() - every process of every tree (pid, comm, threads),
 * how it will be dumped, and the problems the cheap checks find, for
 * --network-lock lock (NULL: criu's default, iptables). Returns the
 * number of problems; the first one is in why.
 */
unsigned int moveset_print(const struct moveset *m, const char *lock,
			   FILE *out, char *why, size_t whylen);

/* Processes in all trees. */
unsigned int moveset_procs(const struct moveset *m);
void moveset_free(struct moveset *m);

#endif /* RELIEFCTL_MOVESET_H */
