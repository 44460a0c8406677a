// SPDX-License-Identifier: GPL-2.0
/* moveset.c - the trees `swap --move` names: checks and listing (moveset.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moveset.h"
#include "netlock.h"

int moveset_parse(struct moveset *m, const char *list, char *why,
		  size_t whylen)
{
	const char *p = list;

	for (;;) {
		long v = 0;
		const char *start = p;

		while (*p >= '0' && *p <= '9' && v <= INT_MAX)
			v = v * 10 + (*p++ - '0');
		if (p == start || v < 1 || v > INT_MAX || (*p && *p != ',')) {
			snprintf(why, whylen, "'%s' is not a list of pids "
				 "(1234,5678)", list);
			return -1;
		}
		if (m->nr == MOVESET_MAX) {
			snprintf(why, whylen, "more than %d trees",
				 MOVESET_MAX);
			return -1;
		}
		m->roots[m->nr++] = (pid_t)v;
		if (!*p)
			return 0;
		p++;
	}
}

/* Is pid this process or one of its ancestors: what runs the swap. */
static bool runs_the_swap(pid_t pid)
{
	struct proc_info pi;
	pid_t p = getpid();

	for (int hops = 0; p > 0 && hops < 4096; hops++) {
		if (p == pid)
			return true;
		if (proctree_stat(p, &pi))
			break;
		p = pi.ppid;
	}
	return false;
}

static int check_root(struct moveset *m, unsigned int i, char *why,
		      size_t whylen)
{
	pid_t root = m->roots[i];
	struct proc_info pi;
	int ret;

	if (root == 1) {
		snprintf(why, whylen, "--move 1: pid 1 (init) cannot move: "
			 "kernel B runs its own");
		return -1;
	}
	ret = proctree_stat(root, &pi);
	if (ret) {
		snprintf(why, whylen, "--move %d: %s", (int)root,
			 ret == -ENOENT ? "no such process" : strerror(-ret));
		return -1;
	}
	if (pi.flags & PROCTREE_PF_KTHREAD) {
		snprintf(why, whylen, "--move %d: %d (%s) is a kernel thread: "
			 "only user processes move", (int)root, (int)root,
			 pi.comm);
		return -1;
	}
	if (runs_the_swap(root)) {
		snprintf(why, whylen, "--move %d: %d (%s) is reliefctl itself "
			 "or one of its ancestors: it cannot be frozen while it "
			 "runs the swap", (int)root, (int)root, pi.comm);
		return -1;
	}
	ret = proctree_read(root, &m->trees[i]);
	if (ret) {
		snprintf(why, whylen, "--move %d: %s", (int)root,
			 strerror(-ret));
		return -1;
	}
	/* criu would dump a process twice: once is all a process has. */
	for (unsigned int j = 0; j < i; j++) {
		unsigned int outer = j, inner = i;

		if (proctree_has(&m->trees[i], m->roots[j])) {
			outer = i;
			inner = j;
		} else if (!proctree_has(&m->trees[j], root)) {
			continue;
		}
		snprintf(why, whylen, "--move %d: it is in the tree of %d (%s) "
			 "already", (int)m->roots[inner], (int)m->roots[outer],
			 m->trees[outer].procs[0].comm);
		return -1;
	}
	m->tcp[i] = proctree_tcp_established(&m->trees[i]);
	return 0;
}

int moveset_check(struct moveset *m, char *why, size_t whylen)
{
	for (unsigned int i = 0; i < m->nr; i++)
		if (check_root(m, i, why, whylen))
			return -1;
	return 0;
}

struct problems {
	unsigned int nr;
	FILE *out;
	char *why;
	size_t whylen;
};

static void problem(struct problems *p, const char *line)
{
	if (!p->nr++)
		snprintf(p->why, p->whylen, "%s", line);
	fprintf(p->out, "  cannot move: %s\n", line);
}

static void process_problems(struct problems *p, const struct proc_info *pi,
			     bool root)
{
	char line[512];

	if (pi->tty_nr) {
		unsigned int major = ((unsigned int)pi->tty_nr >> 8) & 0xfff;
		unsigned int minor = ((unsigned int)pi->tty_nr & 0xff) |
				     (((unsigned int)pi->tty_nr >> 12) &
				      0xfff00);

		snprintf(line, sizeof(line), "%d (%s) has a controlling "
			 "terminal (tty %u:%u): kernel B has none to give it; "
			 "start it detached (setsid, no terminal)",
			 (int)pi->pid, pi->comm, major, minor);
		problem(p, line);
	}
	if (root && pi->state == 'Z') {
		snprintf(line, sizeof(line), "%d (%s) is a zombie: there is "
			 "nothing left of it to move", (int)pi->pid, pi->comm);
		problem(p, line);
	}
}

/*
 * A process in namespaces of its own: the root's, or a process whose
 * differ from its root's (one line for a tree, not one per worker).
 * criu would dump them and kernel B's agent restore them into its own
 * namespaces, which it does not set up (and a user namespace that does
 * not own the process's other namespaces, systemd's PrivateUsers=, criu
 * cannot dump at all).
 */
static void ns_problems(struct problems *p, const struct proc_tree *t)
{
	char root_ns[128] = "", ns[128], line[512];

	for (unsigned int k = 0; k < t->nr; k++) {
		const struct proc_info *pi = &t->procs[k];
		int n = proctree_own_ns(pi->pid, k ? ns : root_ns,
					sizeof(ns));

		if (n <= 0 || (k && !strcmp(ns, root_ns)))
			continue;
		snprintf(line, sizeof(line), "%d (%s) runs in namespaces of "
			 "its own (%s): relief moves processes in the "
			 "machine's namespaces only; a systemd unit's "
			 "sandboxing (PrivateUsers=, PrivateTmp=, "
			 "ProtectSystem=, ProtectHostname=...) gives them",
			 (int)pi->pid, pi->comm, k ? ns : root_ns);
		problem(p, line);
	}
}

static void tree_problems(struct problems *p, const struct moveset *m,
			  unsigned int i, const char *lock)
{
	const struct proc_info *root = &m->trees[i].procs[0];
	char line[512];

	for (unsigned int k = 0; k < m->trees[i].nr; k++)
		process_problems(p, &m->trees[i].procs[k], !k);
	ns_problems(p, &m->trees[i]);
	if (m->tcp[i] > 0 && (!lock || !strcmp(lock, "iptables")) &&
	    !netlock_have_iptables()) {
		snprintf(line, sizeof(line), "%d (%s) holds %d established TCP "
			 "connections: criu holds them with netfilter while "
			 "they move, and iptables is not installed "
			 "(--network-lock nftables needs nf_tables instead)",
			 (int)root->pid, root->comm, m->tcp[i]);
		problem(p, line);
	}
}

unsigned int moveset_print(const struct moveset *m, const char *lock,
			   FILE *out, char *why, size_t whylen)
{
	struct problems p = { .out = out, .why = why, .whylen = whylen };

	fprintf(out, "processes to move: %u trees, %u processes\n", m->nr,
		moveset_procs(m));
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct proc_tree *t = &m->trees[i];
		const struct proc_info *root = &t->procs[0];

		fprintf(out, "  tree %d (%s)", (int)root->pid, root->comm);
		if (root->sid != root->pid)
			fputs(", a shell job (it does not lead its session)",
			      out);
		if (m->tcp[i] > 0)
			fprintf(out, ", %d established TCP connections",
				m->tcp[i]);
		else if (m->tcp[i] < 0)
			fprintf(out, ", TCP connections unknown (%s)",
				strerror(-m->tcp[i]));
		fputs(":\n", out);
		for (unsigned int k = 0; k < t->nr; k++) {
			int indent = (int)(2 * t->procs[k].depth);

			fprintf(out, "    %*s%d %s", indent, "",
				(int)t->procs[k].pid, t->procs[k].comm);
			if (t->procs[k].threads > 1)
				fprintf(out, " (%u threads)",
					t->procs[k].threads);
			fputc('\n', out);
		}
	}
	for (unsigned int i = 0; i < m->nr; i++)
		tree_problems(&p, m, i, lock);
	return p.nr;
}

unsigned int moveset_procs(const struct moveset *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		n += m->trees[i].nr;
	return n;
}

void moveset_free(struct moveset *m)
{
	for (unsigned int i = 0; i < MOVESET_MAX; i++)
		proctree_free(&m->trees[i]);
}
