// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl status - does this kernel speak relief, which version, and how
 * the current or last run stands: its state, the CPUs lent, the region,
 * what kernel B said it is, and when each phase happened.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kstate.h"
#include "reliefctl.h"
#include "size.h"

/* Everything status shows; a part the kernel does not show is unknown. */
struct status {
	char version[128];
	int have_state, have_cpus, have_region;
	struct kstate_state st;
	struct relief_cpuset cpus;
	struct kstate_region region;
	char peer[2048];		/* "" when none */
	struct kstate_timing t[KSTATE_TIMINGS_MAX];
	int nr_t;
};

static void status_read(struct status *s)
{
	const char *dir = reliefctl_sysfs_dir();
	char buf[2048];

	s->have_state = !kstate_read_state(&s->st);
	s->have_cpus = !kstate_read_cpus(dir, "cpus", &s->cpus);
	s->have_region = !kstate_read_region(&s->region);
	if (kstate_read(dir, "peer", s->peer, sizeof(s->peer)) < 0)
		s->peer[0] = '\0';
	if (kstate_read(dir, "timings", buf, sizeof(buf)) >= 0)
		s->nr_t = kstate_parse_timings(buf, s->t, KSTATE_TIMINGS_MAX);
}

void reliefctl_show_peer(FILE *out, const char *peer)
{
	char key[64], val[256];
	const char *sep = "";

	fprintf(out, "kernel B:");
	while (kstate_next_line(&peer, key, sizeof(key), val, sizeof(val))) {
		fprintf(out, "%s %s %s", sep, key, val);
		sep = ",";
	}
	fprintf(out, "%s\n", *sep ? "" : " (said nothing)");
}

void reliefctl_show_timings(FILE *out, const struct kstate_timing *t, int nr)
{
	if (nr)
		fprintf(out, "timings (since prepare):\n");
	for (int i = 0; i < nr; i++)
		fprintf(out, "  %-22s %8" PRIu64 ".%03" PRIu64 " ms\n",
			t[i].phase, t[i].ns / 1000000u, t[i].ns / 1000u % 1000u);
}

static void print_human(const struct status *s, FILE *out)
{
	char a[32], b[32], list[1024];

	fprintf(out, "kernel relief: %s\n", s->version);
	if (s->have_state)
		fprintf(out, "state: %s%s%s%s\n", s->st.name,
			*s->st.reason ? " (" : "", s->st.reason,
			*s->st.reason ? ")" : "");
	if (s->have_cpus) {
		relief_cpulist_format(&s->cpus, list, sizeof(list));
		fprintf(out, "lent CPUs: %s\n", *list ? list : "none");
	}
	if (s->have_region && !s->region.size) {
		fprintf(out, "region: none (boot with relief_region=SIZE)\n");
	} else if (s->have_region) {
		relief_size_format(s->region.size, a, sizeof(a));
		relief_size_format(s->region.low_size, b, sizeof(b));
		fprintf(out, "region: %s at %#" PRIx64, a, s->region.base);
		if (s->region.low_size)
			fprintf(out, ", low chunk %s at %#" PRIx64, b,
				s->region.low_base);
		fputc('\n', out);
	}
	if (*s->peer)
		reliefctl_show_peer(out, s->peer);
	reliefctl_show_timings(out, s->t, s->nr_t);
}

/* A value of "key value" text: a JSON number if all digits, else a string. */
static void json_value(FILE *out, const char *v)
{
	if (*v && strlen(v) < 20 && !v[strspn(v, "0123456789")] &&
	    (v[0] != '0' || !v[1]))
		fputs(v, out);
	else
		reliefctl_json_string(out, v);
}

static void print_json(const struct status *s, FILE *out)
{
	char key[64], val[256];
	const char *p = s->peer, *sep = "";

	fprintf(out, "{\"kernel\":");
	reliefctl_json_string(out, s->version);
	fprintf(out, ",\"state\":");
	if (s->have_state)
		reliefctl_json_string(out, s->st.name);
	else
		fputs("null", out);
	fprintf(out, ",\"reason\":");
	if (s->have_state && *s->st.reason)
		reliefctl_json_string(out, s->st.reason);
	else
		fputs("null", out);
	fprintf(out, ",\"cpus\":");
	if (s->have_cpus) {
		fputc('[', out);
		for (int c = relief_cpuset_first(&s->cpus); c >= 0;
		     c = relief_cpuset_next(&s->cpus, c), sep = ",")
			fprintf(out, "%s%d", sep, c);
		fputc(']', out);
	} else {
		fputs("null", out);
	}
	fprintf(out, ",\"region\":");
	if (s->have_region)
		fprintf(out, "{\"base\":%" PRIu64 ",\"size\":%" PRIu64
			",\"low_base\":%" PRIu64 ",\"low_size\":%" PRIu64 "}",
			s->region.base, s->region.size, s->region.low_base,
			s->region.low_size);
	else
		fputs("null", out);
	fprintf(out, ",\"peer\":");
	if (*s->peer) {
		sep = "";
		fputc('{', out);
		while (kstate_next_line(&p, key, sizeof(key), val,
					sizeof(val))) {
			fputs(sep, out);
			reliefctl_json_string(out, key);
			fputc(':', out);
			json_value(out, val);
			sep = ",";
		}
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fprintf(out, ",\"timings\":{");
	for (int i = 0; i < s->nr_t; i++) {
		fputs(i ? "," : "", out);
		reliefctl_json_string(out, s->t[i].phase);
		fprintf(out, ":%" PRIu64, s->t[i].ns);
	}
	fprintf(out, "}}\n");
}

int cmd_status_with(int argc, char **argv, FILE *out, FILE *err)
{
	int json = argc > 1 && !strcmp(argv[1], "--json");
	char path[1024];
	struct status s;
	long n;

	if (argc > 2 || (argc > 1 && !json)) {
		fprintf(err, "reliefctl status: unknown option '%s'\n",
			argv[argc > 2 ? 2 : 1]);
		fprintf(err, "usage: reliefctl status [--json]\n");
		return RELIEFCTL_EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	n = kstate_read(reliefctl_sysfs_dir(), "version", s.version,
			sizeof(s.version));
	if (n < 0) {
		snprintf(path, sizeof(path), "%s/version",
			 reliefctl_sysfs_dir());
		fprintf(err, "reliefctl: this kernel has no relief support "
			"(%s: %s); boot a kernel built with CONFIG_RELIEF=y\n",
			path, strerror((int)-n));
		return RELIEFCTL_EXIT_REFUSED;
	}
	s.version[strcspn(s.version, "\n")] = '\0';
	status_read(&s);
	if (json)
		print_json(&s, out);
	else
		print_human(&s, out);
	return RELIEFCTL_EXIT_OK;
}

int cmd_status(int argc, char **argv)
{
	return cmd_status_with(argc, argv, stdout, stderr);
}
