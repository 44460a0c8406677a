// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl plan - which CPUs and memory kernel B would get, and why.
 * Reads the topology, asks plan.c, prints; changes nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "kstate.h"
#include "plan.h"
#include "reliefctl.h"
#include "size.h"
#include "topology.h"

struct plan_opts {
	struct relief_plan_req req;
	const char *cpus_arg;
	int json;
	int show_topology;
};

static void plan_usage(FILE *f)
{
	fprintf(f, "usage: reliefctl plan [--cpus LIST | --ncpus N] "
		   "[--mem SIZE] [--json]\n"
		   "       reliefctl plan --topology\n\n"
		   "  --cpus LIST  check the operator's CPUs (cpulist: 2-3,6)\n"
		   "  --ncpus N    how many CPUs, as whole cores (default: the "
		   "whole node,\n"
		   "               or half the boot CPU's node)\n"
		   "  --mem SIZE   memory for kernel B, K/M/G suffix "
		   "(default 256M)\n"
		   "  --json       {\"node\":N,\"cpus\":[...],\"mem_bytes\":N,"
		   "\"boot_cpu\":N}\n"
		   "  --topology   show the machine as reliefctl reads it\n");
}

/* "--opt VALUE" or "--opt=VALUE"; NULL when argv[*i] is not --opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt,
			     int *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct plan_opts *o, FILE *err)
{
	char why[128];

	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		int missing = 0;
		const char *v;

		if (!strcmp(argv[i], "--json")) {
			o->json = 1;
		} else if (!strcmp(argv[i], "--topology")) {
			o->show_topology = 1;
		} else if ((v = opt_value(argc, argv, &i, "--cpus", &missing))) {
			if (relief_cpulist_parse(v, &o->req.cpus, why,
						 sizeof(why))) {
				fprintf(err, "reliefctl plan: --cpus '%s': "
					"%s\n", v, why);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->req.have_cpus = true;
			o->cpus_arg = v;
		} else if ((v = opt_value(argc, argv, &i, "--ncpus", &missing))) {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(v, &end, 10);
			if (*v < '0' || *v > '9' || *end || errno || !n ||
			    n > RELIEF_MAX_CPUS) {
				fprintf(err, "reliefctl plan: --ncpus '%s': "
					"need a number from 1 to %d\n", v,
					RELIEF_MAX_CPUS);
				return RELIEFCTL_EXIT_USAGE;
			}
			o->req.ncpus = (unsigned int)n;
		} else if ((v = opt_value(argc, argv, &i, "--mem", &missing))) {
			if (relief_size_parse(v, &o->req.mem_bytes)) {
				fprintf(err, "reliefctl plan: --mem '%s': need "
					"a size such as 256M, 1G, 4096K\n", v);
				return RELIEFCTL_EXIT_USAGE;
			}
		} else if (missing) {
			fprintf(err, "reliefctl plan: %s needs a value\n",
				argv[i]);
			return RELIEFCTL_EXIT_USAGE;
		} else {
			fprintf(err, "reliefctl plan: unknown option '%s'\n",
				argv[i]);
			plan_usage(err);
			return RELIEFCTL_EXIT_USAGE;
		}
		if (missing) {
			fprintf(err, "reliefctl plan: %s needs a value\n",
				argv[i]);
			return RELIEFCTL_EXIT_USAGE;
		}
	}
	if (o->req.have_cpus && o->req.ncpus) {
		fprintf(err, "reliefctl plan: --cpus and --ncpus exclude each "
			"other (the list says how many)\n");
		return RELIEFCTL_EXIT_USAGE;
	}
	return RELIEFCTL_EXIT_OK;
}

/* The set as a JSON array of numbers. */
static void json_cpus(const struct relief_cpuset *s, FILE *out)
{
	const char *sep = "";

	fputc('[', out);
	for (int c = relief_cpuset_first(s); c >= 0;
	     c = relief_cpuset_next(s, c), sep = ",")
		fprintf(out, "%s%d", sep, c);
	fputc(']', out);
}

static void show_topology(const struct relief_topology *t,
			  const struct relief_cpuset *keep, FILE *out)
{
	char list[1024];

	fprintf(out, "numa %s\nboot_cpu %d\n", t->numa ? "yes" :
		"no (libnuma unavailable: one node assumed)", t->boot_cpu);
	if (relief_cpuset_count(keep)) {
		relief_cpulist_format(keep, list, sizeof(list));
		fprintf(out, "keep %s\n", list);
	}
	for (unsigned int i = 0; i < t->ncpus; i++) {
		const struct relief_topo_cpu *c = &t->cpus[i];

		fprintf(out, "cpu %d node %d package %d core %d online %d\n",
			c->id, c->node, c->pkg, c->core, c->online);
	}
	for (unsigned int i = 0; i < t->nnodes; i++) {
		const struct relief_topo_node *n = &t->nodes[i];

		fprintf(out, "node %d mem_bytes %" PRIu64 " distance", n->id,
			n->mem_bytes);
		for (unsigned int j = 0; j < t->nnodes; j++)
			fprintf(out, " %d", n->distance ? n->distance[j] : 0);
		fputc('\n', out);
	}
}

/* The reason as a JSON string: our messages, but escape to be safe. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void print_json(const struct relief_plan *p, FILE *out)
{
	fprintf(out, "{\"node\":%d,\"cpus\":", p->node);
	json_cpus(&p->cpus, out);
	fprintf(out, ",\"mem_bytes\":%" PRIu64 ",\"boot_cpu\":%d",
		p->mem_bytes, p->boot_cpu);
	if (relief_cpuset_count(&p->keep)) {	/* the kernel said */
		fprintf(out, ",\"keep\":");
		json_cpus(&p->keep, out);
	}
	fprintf(out, "}\n");
}

static void print_human(const struct relief_topology *t,
			const struct relief_plan *p, FILE *out)
{
	const struct relief_topo_node *node = relief_topology_node(t, p->node);
	const struct relief_topo_cpu *boot = relief_topology_cpu(t, p->boot_cpu);
	const struct relief_topo_node *bnode = relief_topology_node(t, boot->node);
	char list[1024], mem[32], nmem[32];

	relief_cpulist_format(&p->cpus, list, sizeof(list));
	relief_size_format(p->mem_bytes, mem, sizeof(mem));
	relief_size_format(node->mem_bytes, nmem, sizeof(nmem));
	fprintf(out, "kernel B: node %d, CPUs %s (%u), %s of memory\n",
		p->node, list, p->ncpus, mem);
	fprintf(out, "  node %d: %s of memory", p->node, nmem);
	if (bnode && bnode != node && node->distance)
		fprintf(out, ", distance %d from node %d (the boot CPU's)",
			node->distance[bnode - t->nodes], bnode->id);
	fprintf(out, "%s\n", t->numa ? "" : " (no NUMA support: the "
		"whole machine counts as node 0)");
	for (int c = relief_cpuset_first(&p->cpus); c >= 0;
	     c = relief_cpuset_next(&p->cpus, c)) {
		const struct relief_topo_cpu *cpu = relief_topology_cpu(t, c);

		fprintf(out, "  cpu %d: package %d, core %d\n", c, cpu->pkg,
			cpu->core);
	}
	fprintf(out, "  memory: %s from node %d\n", mem, p->node);
	fprintf(out, "  boot CPU: %d (node %d), stays with kernel A\n",
		boot->id, boot->node);
	for (int c = relief_cpuset_first(&p->keep); c >= 0;
	     c = relief_cpuset_next(&p->keep, c)) {
		const struct relief_topo_cpu *cpu = relief_topology_cpu(t, c);

		if (c != boot->id)
			fprintf(out, "  machine's boot CPU: %d (node %d), "
				"never lent: stays with kernel A\n", c,
				cpu ? cpu->node : -1);
	}
	fprintf(out, "  why: %s\n", p->reason);
}

int cmd_plan_with(int argc, char **argv, const struct relief_topology *topo,
		  FILE *out, FILE *err)
{
	struct relief_topology own;
	struct relief_plan plan;
	struct plan_opts o;
	char why[256];
	int rc;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		plan_usage(out);
		return RELIEFCTL_EXIT_OK;
	}
	rc = parse_args(argc, argv, &o, err);
	if (rc)
		return rc;
	rc = kstate_read_keep(&o.req.keep);
	if (rc) {
		fprintf(err, "reliefctl plan: cannot read %s/keep: %s\n",
			reliefctl_sysfs_dir(), strerror(-rc));
		return RELIEFCTL_EXIT_FAIL;
	}
	if (!topo) {
		if (relief_topology_read(&own, "/proc/meminfo", why,
					 sizeof(why))) {
			fprintf(err, "reliefctl plan: %s\n", why);
			return RELIEFCTL_EXIT_FAIL;
		}
		topo = &own;
	}
	if (o.show_topology) {
		show_topology(topo, &o.req.keep, out);
		rc = RELIEFCTL_EXIT_OK;
	} else if (relief_plan_make(topo, &o.req, &plan) != RELIEF_PLAN_OK) {
		fprintf(err, "reliefctl plan: refused (%s): %s\n",
			relief_plan_rule(plan.verdict), plan.reason);
		if (o.json) {
			fprintf(out, "{\"refused\":");
			json_string(out, relief_plan_rule(plan.verdict));
			fprintf(out, ",\"reason\":");
			json_string(out, plan.reason);
			fprintf(out, "}\n");
		}
		rc = RELIEFCTL_EXIT_REFUSED;
	} else {
		if (o.json)
			print_json(&plan, out);
		else
			print_human(topo, &plan, out);
		rc = RELIEFCTL_EXIT_OK;
	}
	if (topo == &own)
		relief_topology_free(&own);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	return cmd_plan_with(argc, argv, NULL, stdout, stderr);
}
