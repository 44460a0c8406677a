// SPDX-License-Identifier: GPL-2.0
/* drain.c - the moved listeners drained before the dump (drain.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "netlock.h"
#include "proctree.h"
#include "sysio.h"

/* What waits on the n trees' listening sockets: 0 or -errno. */
static int listen_all(const struct proc_tree *trees, unsigned int n,
		      struct proc_listen *all)
{
	memset(all, 0, sizeof(*all));
	for (unsigned int i = 0; i < n; i++) {
		struct proc_listen q;
		int ret = proctree_listen(&trees[i], &q, PROCTREE_LISTEN_MAX);

		if (ret)
			return ret;
		all->queued += q.queued;
		all->half_open += q.half_open;
		for (unsigned int k = 0; k < q.nr_ports; k++) {
			unsigned int j = 0;

			while (j < all->nr_ports && all->ports[j] != q.ports[k])
				j++;
			if (j == all->nr_ports && j < PROCTREE_LISTEN_MAX)
				all->ports[all->nr_ports++] = q.ports[k];
		}
	}
	return 0;
}

static void drain_say(FILE *out, const struct proc_listen *q,
		      unsigned int took, uint64_t ms)
{
	fprintf(out, "agent: new connections to port%s",
		q->nr_ports > 1 ? "s" : "");
	for (unsigned int i = 0; i < q->nr_ports; i++)
		fprintf(out, " %u", (unsigned int)q->ports[i]);
	fprintf(out, " wait for kernel B (their SYNs dropped here); %u "
		"waiting to be accepted were, in %" PRIu64 " ms\n", took, ms);
	if (q->queued || q->half_open)
		fprintf(out, "agent: %u connections still wait after %d ms: "
			"they are left behind\n", q->queued + q->half_open,
			DRAIN_WAIT_MS);
	fflush(out);
}

/* Hold new connections off, then wait for those made to be accepted. */
static void drain_trees(const struct proc_tree *trees, unsigned int n,
			FILE *out, FILE *err)
{
	uint64_t t0 = reliefctl_now_ns();
	unsigned int first, polls = 0;
	struct proc_listen q;
	char why[256];

	if (listen_all(trees, n, &q) || !q.nr_ports)
		return;
	if (netlock_drain(q.ports, q.nr_ports, why, sizeof(why))) {
		fprintf(err, "agent: new connections cannot be held off (%s): "
			"one made during the freeze is lost\n", why);
		return;
	}
	first = q.queued + q.half_open;
	while ((q.queued || q.half_open) &&
	       polls++ < DRAIN_WAIT_MS / DRAIN_POLL_MS) {
		reliefctl_sleep_ms(DRAIN_POLL_MS);
		if (listen_all(trees, n, &q))
			break;
	}
	drain_say(out, &q, first - (q.queued + q.half_open),
		  (reliefctl_now_ns() - t0) / 1000000);
}

/*
 * The trees are read once (a walk over all of /proc); each poll reads
 * only their sockets and what waits on them.
 */
void drain_listeners(const pid_t *roots, unsigned int n, FILE *out,
		     FILE *err)
{
	struct proc_tree *trees = calloc(n ? n : 1, sizeof(*trees));
	unsigned int nr = 0;

	if (!trees) {
		fputs("agent: no memory to drain the listeners: a connection "
		      "made during the freeze is lost\n", err);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		if (!proctree_read(roots[i], &trees[nr]))
			nr++;	/* a gone one: its dump says so */
	drain_trees(trees, nr, out, err);
	while (nr)
		proctree_free(&trees[--nr]);
	free(trees);
}

void drain_end(FILE *err)
{
	char why[256];

	if (netlock_undrain(why, sizeof(why)))
		fprintf(err, "agent: %s: new connections wait until this "
			"agent ends\n", why);
}
