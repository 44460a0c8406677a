// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl agent - the new kernel's agent: restores the processes the old
 * kernel's agent dumped into the transfer area (RESTORE) and says how the
 * run ended (END). The new kernel's init starts it in the background at
 * boot, before any run can have reached it; so "no run" (-ESRCH) is not
 * an end until a request came, and only --timeout bounds the wait for one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "criu_run.h"
#include "paths.h"
#include "reliefctl.h"
#include "sysio.h"

#define AGENT_WAIT_MS		250	/* one AGENT_WAIT */
#define AGENT_NO_RUN_MS		100	/* between looks while no run */
#define AGENT_TIMEOUT_DEFAULT_S	60
#define AGENT_TIMEOUT_MAX_S	3600

static void agent_usage(FILE *f)
{
	fprintf(f,
		"usage: reliefctl agent [--timeout S] [--criu PATH] "
		"[--workdir DIR] [--eager]\n\n"
		"  Restore what the old kernel's agent dumped, on the new "
		"kernel.\n"
		"  --timeout S    give up when no run comes (or a run goes "
		"quiet) for S s\n"
		"                 (default %d)\n"
		"  --criu PATH    the criu binary (default %s)\n"
		"  --workdir DIR  where the images are unpacked (default %s)\n"
		"  --eager        restore each process with all its memory "
		"before it runs\n"
		"                 (default: lazily, when criu can here: the "
		"memory follows)\n",
		AGENT_TIMEOUT_DEFAULT_S, CRIU_DEFAULT, AGENT_WORKDIR_DEFAULT);
}

struct agent_opts {
	unsigned int timeout_s;
	const char *workdir;
	bool eager;
};

static int parse_args(int argc, char **argv, struct agent_opts *o, FILE *err)
{
	o->timeout_s = AGENT_TIMEOUT_DEFAULT_S;
	o->workdir = NULL;
	o->eager = false;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *v = NULL;
		char *end;

		if (i + 1 < argc && (!strcmp(opt, "--timeout") ||
				     !strcmp(opt, "--criu") ||
				     !strcmp(opt, "--workdir")))
			v = argv[++i];
		if (!strcmp(opt, "--eager")) {
			o->eager = true;
		} else if (v && !strcmp(opt, "--timeout")) {
			unsigned long n;

			errno = 0;
			n = strtoul(v, &end, 10);
			if (*v < '0' || *v > '9' || errno || *end || !n ||
			    n > AGENT_TIMEOUT_MAX_S) {
				fprintf(err, "reliefctl agent: --timeout '%s': "
					"need seconds from 1 to %d\n", v,
					AGENT_TIMEOUT_MAX_S);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->timeout_s = (unsigned int)n;
		} else if (v && !strcmp(opt, "--criu")) {
			setenv("RELIEF_CRIU", v, 1);	/* criu_path() */
		} else if (v) {
			o->workdir = v;
		} else {
			fprintf(err, "reliefctl agent: %s '%s'\n",
				strncmp(opt, "--", 2) ? "unexpected argument" :
				"unknown option or missing value", opt);
			agent_usage(err);
			return RELIEFCTL_EXIT_USAGE;
		}
	}
	return RELIEFCTL_EXIT_OK;
}

/* Serve one run: until its END, its end without one, or a timeout. */
/*
 * A lazy restore needs userfaultfd with its non-cooperative events (the
 * restored processes fork, mremap, munmap while the daemon fills).
 */
static bool lazy_ok(const struct agent_opts *o, FILE *out)
{
	char why[256];

	if (o->eager)
		return false;
	if (criu_check("uffd-noncoop", NULL, why, sizeof(why))) {
		fprintf(out, "reliefctl agent: restores are eager: criu "
			"cannot restore lazily here (%s)\n", why);
		return false;
	}
	return true;
}

static int serve(struct agent *a, const struct agent_opts *o, FILE *err)
{
	uint64_t limit = (uint64_t)o->timeout_s * 1000000000u;
	uint64_t last = reliefctl_now_ns();
	bool seen = false;

	for (;;) {
		int ret = agent_poll(a, AGENT_WAIT_MS);

		switch (ret) {
		case AGENT_ENDED:
			return a->result == RELIEF_DEV_RESULT_DONE &&
			       !a->status ? RELIEFCTL_EXIT_OK :
			       RELIEFCTL_EXIT_FAIL;
		case AGENT_HANDLED:
			seen = true;
			last = reliefctl_now_ns();
			continue;
		case AGENT_NO_RUN:
			if (seen) {
				fprintf(err, "reliefctl agent: the run is over "
					"(it sent no END)\n");
				return a->status ? RELIEFCTL_EXIT_FAIL :
				       RELIEFCTL_EXIT_OK;
			}
			reliefctl_sleep_ms(AGENT_NO_RUN_MS);
			break;
		case AGENT_IDLE:
			break;
		default:
			fprintf(err, "reliefctl agent: waiting for the kernel: "
				"%s\n", strerror(-ret));
			return RELIEFCTL_EXIT_FAIL;
		}
		if (reliefctl_now_ns() - last > limit) {
			fprintf(err, "reliefctl agent: %s %u s; exiting\n",
				seen ? "the run went quiet for" :
				"no run came within", o->timeout_s);
			return RELIEFCTL_EXIT_FAIL;
		}
	}
}

int cmd_agent_with(int argc, char **argv, FILE *out, FILE *err)
{
	struct agent_opts o;
	struct agent_cfg cfg = { .role = AGENT_NEW, .out = out, .err = err };
	struct agent a;
	int rc, ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		agent_usage(out);
		return RELIEFCTL_EXIT_OK;
	}
	rc = parse_args(argc, argv, &o, err);
	if (rc)
		return rc;
	if (geteuid() != 0) {
		fprintf(err, "reliefctl agent: must be root (CAP_SYS_BOOT)\n");
		return RELIEFCTL_EXIT_REFUSED;
	}
	cfg.workdir = o.workdir;
	cfg.criu_timeout_ms = o.timeout_s * 1000u;
	ret = agent_open(&a, &cfg);
	if (ret) {
		fprintf(err, "reliefctl agent: %s: %s%s\n", reliefctl_dev_path(),
			strerror(-ret), ret == -ENOENT ? "; this kernel has "
			"no relief support" : "");
		agent_close(&a);
		return ret == -ENOENT ? RELIEFCTL_EXIT_REFUSED :
		       RELIEFCTL_EXIT_FAIL;
	}
	a.cfg.lazy = lazy_ok(&o, out);
	fprintf(out, "reliefctl agent: waiting for a run on %s (at most %u s)"
		"\n", reliefctl_dev_path(), o.timeout_s);
	fflush(out);
	rc = serve(&a, &o, err);
	agent_close(&a);
	fflush(out);
	fflush(err);
	return rc;
}

int cmd_agent(int argc, char **argv)
{
	return cmd_agent_with(argc, argv, stdout, stderr);
}
