// SPDX-License-Identifier: GPL-2.0
/* swap_move.c - processes in `reliefctl swap` (swap_move.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "criu_run.h"
#include "paths.h"
#include "sysio.h"
#include "swap_move.h"

#define SWAP_DRAIN_POLLS	20	/* waits for an END still to come */

/*
 * `criu check` (and a feature of it), its output in a file of the agents'
 * working directory.
 */
static int check_criu(const char *feature, const char *what, FILE *out,
		      FILE *err)
{
	const char *base = getenv("RELIEF_WORKDIR");
	char log[600], why[256];
	int ret;

	snprintf(log, sizeof(log), "%s/relief-criu-check.%d",
		 base && *base ? base : AGENT_WORKDIR_DEFAULT, (int)getpid());
	ret = criu_check(feature, log, why, sizeof(why));
	unlink(log);
	if (ret) {
		fprintf(err, "reliefctl swap: %s (%s check%s%s): %s\n", what,
			criu_path(), feature ? " --feature " : "",
			feature ? feature : "", why);
		return -1;
	}
	fprintf(out, "criu: %s check%s%s passed\n", criu_path(),
		feature ? " --feature " : "", feature ? feature : "");
	return 0;
}

static bool any_tcp(const struct moveset *m)
{
	for (unsigned int i = 0; i < m->nr; i++)
		if (m->tcp[i] > 0)
			return true;
	return false;
}

int swap_move_check(struct moveset *m, const char *lock, FILE *out,
		    FILE *err)
{
	char why[512];
	unsigned int n;

	if (moveset_check(m, why, sizeof(why))) {
		fprintf(err, "reliefctl swap: %s\n", why);
		return -1;
	}
	if (!m->nr) {
		fputs("processes to move: none (--move names them)\n", out);
		return 0;
	}
	n = moveset_print(m, lock, out, why, sizeof(why));
	if (n) {
		fprintf(err, "reliefctl swap: cannot move: %s", why);
		if (n > 1)
			fprintf(err, " (and %u more, listed above)", n - 1);
		fputc('\n', err);
		return -1;
	}
	if (check_criu(NULL, "criu cannot work here", out, err))
		return -1;
	/* What --network-lock nftables needs is only found by asking. */
	if (lock && !strcmp(lock, "nftables") && any_tcp(m))
		return check_criu("network_lock_nftables", "criu cannot hold "
				  "TCP connections with nftables here", out,
				  err);
	return 0;
}

static void on_end(struct agent *a, void *arg)
{
	swap_summary_print(arg, a);
}

void swap_agent_start(struct swap_agent *s, const struct moveset *m,
		      const char *lock, unsigned int timeout_s, FILE *out,
		      FILE *err)
{
	struct agent_cfg cfg = {
		.role = AGENT_OLD,
		.roots = m->roots,
		.nroots = m->nr,
		.network_lock = lock,
		.criu_timeout_ms = timeout_s * 1000u,
		.copy_pages = s->copy_pages,
		.out = out,
		.err = err,
		.on_end = on_end,
		.end_arg = &s->sum,
	};
	int ret = agent_open(&s->agent, &cfg);

	s->err = err;
	s->on = !ret;
	if (ret)
		fprintf(err, "reliefctl swap: cannot serve the kernel as its "
			"agent (%s: %s): nothing will be dumped and the "
			"kernel's deadline ends the run\n", reliefctl_dev_path(),
			strerror(-ret));
}

void swap_agent_idle(struct follow *f)
{
	struct swap_agent *s = f->idle_arg;
	int ret = s->on ? agent_poll(&s->agent, FOLLOW_POLL_MS) : AGENT_NO_RUN;

	if (ret < 0 && !s->warned) {
		fprintf(s->err, "reliefctl swap: waiting for the kernel's "
			"requests: %s\n", strerror(-ret));
		s->warned = true;
	}
	/* The wait did not block: sleep as follow would have. */
	if (ret < 0 || ret == AGENT_NO_RUN)
		reliefctl_sleep_ms(FOLLOW_POLL_MS);
}

void swap_agent_finish(struct swap_agent *s, bool ended)
{
	/* The END may come just after the state shows the end. */
	for (int i = 0; ended && s->on && !s->agent.ended &&
	     i < SWAP_DRAIN_POLLS; i++) {
		int ret = agent_poll(&s->agent, FOLLOW_POLL_MS);

		if (ret < 0 || ret == AGENT_NO_RUN)
			break;
	}
	if (s->on)
		agent_close(&s->agent);
	s->on = false;
}
