// SPDX-License-Identifier: GPL-2.0
/* manifest.c - the list of trees that travels with the images (manifest.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

#define MANIFEST_BYTES_MAX	(1u << 20)

int manifest_write(const char *path, const struct manifest *m)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "relief-trees 1\nnetwork-lock %s\n",
		*m->network_lock ? m->network_lock : "default");
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct manifest_tree *t = &m->trees[i];
		char comm[17];

		/* comm is the process's to choose: one printable line. */
		snprintf(comm, sizeof(comm), "%s", t->comm);
		for (char *c = comm; *c; c++)
			if (*c < 0x20 || *c == 0x7f)
				*c = '?';
		fprintf(f, "tree %u root %d shell-job %d comm %s\npids %u", i,
			(int)t->root, t->shell_job, comm, i);
		for (unsigned int k = 0; k < t->nr; k++)
			fprintf(f, " %d", (int)t->pids[k]);
		fputc('\n', f);
	}
	if (fclose(f))
		return -errno;
	return 0;
}

static int bad(char *why, size_t whylen, unsigned int line,
	       const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, whylen, "%s line %u: ", MANIFEST_NAME, line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < whylen)
		vsnprintf(why + n, whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* A pid: decimal, 1 to INT_MAX; *s moves past it. */
static int parse_pid(const char **s, pid_t *pid)
{
	long v = 0;
	const char *p = *s;

	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	*pid = (pid_t)v;
	*s = p;
	return 0;
}

static int parse_pids(const char *s, struct manifest_tree *t,
		      unsigned int *total)
{
	unsigned int cap = 16;

	t->pids = malloc(cap * sizeof(*t->pids));
	if (!t->pids)
		return -1;
	while (*s == ' ') {
		s++;
		if (++*total > MANIFEST_PIDS_MAX)
			return -1;
		if (t->nr == cap) {
			pid_t *p = realloc(t->pids, 2 * cap * sizeof(*p));

			if (!p)
				return -1;
			t->pids = p;
			cap *= 2;
		}
		if (parse_pid(&s, &t->pids[t->nr++]))
			return -1;
	}
	return *s || !t->nr || t->pids[0] != t->root ? -1 : 0;
}

static int parse(char *text, struct manifest *m, char *why, size_t whylen)
{
	char *line, *save = NULL, lock[16];
	unsigned int n = 0, total = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct manifest_tree *t = &m->trees[m->nr];
		unsigned int idx, shell;
		int root, at = 0;

		n++;
		if (n == 1) {
			if (strcmp(line, "relief-trees 1"))
				return bad(why, whylen, n, "not \"relief-trees "
					   "1\"");
		} else if (n == 2) {
			if (sscanf(line, "network-lock %15s%n", lock,
				   &at) != 1 || line[at] ||
			    (strcmp(lock, "default") &&
			     strcmp(lock, "iptables") &&
			     strcmp(lock, "nftables")))
				return bad(why, whylen, n, "no network-lock "
					   "(default, iptables or nftables)");
			if (strcmp(lock, "default"))
				snprintf(m->network_lock,
					 sizeof(m->network_lock), "%s", lock);
		} else if (n % 2) {
			if (m->nr >= MANIFEST_TREES_MAX)
				return bad(why, whylen, n, "more than %d trees",
					   MANIFEST_TREES_MAX);
			if (sscanf(line, "tree %u root %d shell-job %u comm %n",
				   &idx, &root, &shell, &at) != 3 || !at ||
			    idx != m->nr || root < 1 || shell > 1 ||
			    strlen(line + at) > 16)
				return bad(why, whylen, n, "not \"tree %u root "
					   "PID shell-job 0|1 comm NAME\"",
					   m->nr);
			t->root = root;
			t->shell_job = shell;
			snprintf(t->comm, sizeof(t->comm), "%s", line + at);
		} else {
			if (sscanf(line, "pids %u%n", &idx, &at) != 1 ||
			    idx != m->nr || parse_pids(line + at, t, &total))
				return bad(why, whylen, n, "not \"pids %u "
					   "ROOT PID...\" (at most %d pids)",
					   m->nr, MANIFEST_PIDS_MAX);
			m->nr++;
		}
	}
	if (n < 2 || n % 2)
		return bad(why, whylen, n + 1, "missing");
	return 0;
}

int manifest_read(const char *path, struct manifest *m, char *why,
		  size_t whylen)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t len;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!f) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return ret;
	}
	text = malloc(MANIFEST_BYTES_MAX + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	len = fread(text, 1, MANIFEST_BYTES_MAX + 1, f);
	fclose(f);
	if (len > MANIFEST_BYTES_MAX || memchr(text, '\0', len)) {
		ret = bad(why, whylen, 0, "not a text file of at most %u bytes",
			  MANIFEST_BYTES_MAX);
	} else {
		text[len] = '\0';
		ret = parse(text, m, why, whylen);
	}
	free(text);
	if (ret)
		manifest_free(m);
	return ret;
}

void manifest_free(struct manifest *m)
{
	for (unsigned int i = 0; i < MANIFEST_TREES_MAX; i++) {
		free(m->trees[i].pids);
		m->trees[i].pids = NULL;
		m->trees[i].nr = 0;
	}
	m->nr = 0;
}

unsigned int manifest_procs(const struct manifest *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		n += m->trees[i].nr;
	return n;
}
