// SPDX-License-Identifier: GPL-2.0
/* manifest.c - the list of trees that travels with the images (manifest.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

#define MANIFEST_BYTES_MAX	(1u << 20)
#define MANIFEST_VERSION	2

/* --- the fields ------------------------------------------------------- */

void manifest_mac_str(const unsigned char *mac, unsigned int len, char *buf)
{
	*buf = '\0';
	for (unsigned int i = 0; i < len; i++)
		buf += sprintf(buf, "%s%02x", i ? ":" : "", mac[i]);
}

void manifest_escape(const char *src, char *dst, size_t len)
{
	size_t n = 0;

	if (!*src) {
		snprintf(dst, len, "-");
		return;
	}
	for (; *src && n + 5 <= len; src++) {
		unsigned char c = (unsigned char)*src;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			n += (size_t)snprintf(dst + n, len - n, "\\%03o", c);
		else
			dst[n++] = (char)c;
	}
	dst[n] = '\0';
}

int manifest_unescape(char *s)
{
	char *w = s;

	if (!strcmp(s, "-")) {
		*s = '\0';
		return 0;
	}
	for (char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		if (r[1] < '0' || r[1] > '3' || r[2] < '0' || r[2] > '7' ||
		    r[3] < '0' || r[3] > '7')
			return -1;
		*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
			      (r[3] - '0'));
		r += 3;
	}
	*w = '\0';
	return 0;
}

static const char *ip_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* An optional address: the address, or "-". */
static const char *opt_ip(bool has, struct in_addr a, char *buf)
{
	return has ? ip_str(a, buf) : "-";
}

/* --- writing ---------------------------------------------------------- */

static void write_net(FILE *f, const struct manifest *m)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	char mac[3 * MANIFEST_MAC_MAX];

	for (unsigned int i = 0; i < m->nlinks; i++) {
		const struct manifest_link *l = &m->links[i];

		manifest_mac_str(l->mac, l->mac_len, mac);
		fprintf(f, "link %s mac %s mtu %u up %d pci %s\n", l->name, mac,
			l->mtu, l->up, l->pci);
	}
	for (unsigned int i = 0; i < m->naddrs; i++) {
		const struct manifest_addr *d = &m->addrs[i];

		fprintf(f, "addr %s %s/%u brd %s\n", d->dev,
			ip_str(d->addr, a), d->prefix,
			opt_ip(d->has_brd, d->brd, b));
	}
	for (unsigned int i = 0; i < m->nroutes; i++) {
		const struct manifest_route *r = &m->routes[i];

		if (r->prefix)
			fprintf(f, "route %s/%u", ip_str(r->dst, a), r->prefix);
		else
			fputs("route default", f);
		fprintf(f, " via %s src %s dev %s metric %u proto %u scope "
			"%u\n", opt_ip(r->has_gw, r->gw, b),
			opt_ip(r->has_src, r->src, c), r->dev, r->metric,
			r->proto, r->scope);
	}
}

static void write_outside(FILE *f, const struct manifest *m)
{
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct manifest_tree *t = &m->trees[i];

		if (!t->nr_outside)
			continue;
		fprintf(f, "outside %u", i);
		for (unsigned int k = 0; k < t->nr_outside; k++)
			fprintf(f, " %lu", t->outside[k]);
		fputc('\n', f);
	}
}

static void write_mounts(FILE *f, const struct manifest *m)
{
	char mp[4 * MANIFEST_PATH_MAX], root[4 * MANIFEST_PATH_MAX];
	char opts[4 * 256], super[4 * 512];

	for (unsigned int i = 0; i < m->nmounts; i++) {
		const struct manifest_mount *t = &m->mounts[i];

		manifest_escape(t->mountpoint, mp, sizeof(mp));
		manifest_escape(t->root, root, sizeof(root));
		manifest_escape(t->opts, opts, sizeof(opts));
		manifest_escape(t->super, super, sizeof(super));
		fprintf(f, "mount %s pci %s type %s on %s root %s opts %s "
			"super %s\n", t->dev, t->pci, t->fstype, mp, root, opts,
			super);
	}
}

int manifest_write(const char *path, const struct manifest *m)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "relief-trees %d\nnetwork-lock %s\n", MANIFEST_VERSION,
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
	write_outside(f, m);
	write_net(f, m);
	write_mounts(f, m);
	if (fclose(f))
		return -errno;
	return 0;
}

/* --- adding ----------------------------------------------------------- */

static int add(void **arr, unsigned int *n, unsigned int max, size_t size,
	       const void *item)
{
	char *p;

	if (*n >= max)
		return -E2BIG;
	p = realloc(*arr, (*n + 1) * size);
	if (!p)
		return -ENOMEM;
	memcpy(p + *n * size, item, size);
	*arr = p;
	(*n)++;
	return 0;
}

int manifest_add_link(struct manifest *m, const struct manifest_link *l)
{
	return add((void **)&m->links, &m->nlinks, MANIFEST_LINKS_MAX,
		   sizeof(*l), l);
}

int manifest_add_addr(struct manifest *m, const struct manifest_addr *a)
{
	return add((void **)&m->addrs, &m->naddrs, MANIFEST_ADDRS_MAX,
		   sizeof(*a), a);
}

int manifest_add_route(struct manifest *m, const struct manifest_route *r)
{
	return add((void **)&m->routes, &m->nroutes, MANIFEST_ROUTES_MAX,
		   sizeof(*r), r);
}

int manifest_add_mount(struct manifest *m, const struct manifest_mount *mt)
{
	return add((void **)&m->mounts, &m->nmounts, MANIFEST_MOUNTS_MAX,
		   sizeof(*mt), mt);
}

const struct manifest_link *manifest_link(const struct manifest *m,
					  const char *name)
{
	for (unsigned int i = 0; i < m->nlinks; i++)
		if (!strcmp(m->links[i].name, name))
			return &m->links[i];
	return NULL;
}

/* --- reading ---------------------------------------------------------- */

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
/*
 * A number at *s, from 1 to max, in decimal without leading zeros; *s is
 * moved past it. 0, or -1 (nothing is moved).
 */
static int parse_number(const char **s, unsigned long max, unsigned long *v)
{
	const char *p = *s;

	if (*p < '1' || *p > '9')
		return -1;
	for (*v = 0; *p >= '0' && *p <= '9'; p++) {
		unsigned long d = (unsigned long)(*p - '0');

		if (*v > (max - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	*s = p;
	return 0;
}

static int parse_pid(const char **s, pid_t *pid)
{
	unsigned long v;

	if (parse_number(s, INT_MAX, &v))
		return -1;
	*pid = (pid_t)v;
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

/* An interface name as Linux takes one: 1-15 bytes, no '/', ':'. */
static int bad_ifname(const char *s)
{
	return !*s || strlen(s) >= MANIFEST_IFNAME || strpbrk(s, "/:");
}

/* "ADDR/LEN" (or "default" when dflt): 0 or -1. */
static int parse_prefix(const char *s, struct in_addr *a, unsigned int *len,
			bool dflt)
{
	char ip[INET_ADDRSTRLEN];
	unsigned int n;
	int at = 0;

	if (dflt && !strcmp(s, "default")) {
		a->s_addr = 0;
		*len = 0;
		return 0;
	}
	if (sscanf(s, "%15[0-9.]/%2u%n", ip, &n, &at) != 2 || s[at] ||
	    n > 32 || inet_pton(AF_INET, ip, a) != 1)
		return -1;
	*len = n;
	return 0;
}

/* An address or "-". */
static int parse_opt_ip(const char *s, bool *has, struct in_addr *a)
{
	*has = strcmp(s, "-") != 0;
	return *has && inet_pton(AF_INET, s, a) != 1 ? -1 : 0;
}

static int parse_mac(const char *s, struct manifest_link *l)
{
	unsigned int b;
	int at;

	for (l->mac_len = 0; l->mac_len < MANIFEST_MAC_MAX;) {
		at = 0;
		if (sscanf(s, "%2x%n", &b, &at) != 1 || at != 2)
			return -1;
		l->mac[l->mac_len++] = (unsigned char)b;
		s += 2;
		if (!*s)
			return 0;
		if (*s++ != ':')
			return -1;
	}
	return -1;
}

static int parse_link(const char *line, struct manifest *m)
{
	struct manifest_link l = { 0 };
	char mac[128];
	unsigned int up;
	int at = 0;

	if (sscanf(line, "link %15s mac %127s mtu %u up %u pci %31s%n",
		   l.name, mac, &l.mtu, &up, l.pci, &at) != 5 || line[at] ||
	    bad_ifname(l.name) || parse_mac(mac, &l) || !l.mtu || up > 1 ||
	    manifest_link(m, l.name))
		return -1;
	l.up = up;
	return manifest_add_link(m, &l) ? -1 : 0;
}

static int parse_addr(const char *line, struct manifest *m)
{
	struct manifest_addr a = { 0 };
	char pfx[32], brd[32];
	int at = 0;

	if (sscanf(line, "addr %15s %31s brd %31s%n", a.dev, pfx, brd,
		   &at) != 3 || line[at] || !manifest_link(m, a.dev) ||
	    parse_prefix(pfx, &a.addr, &a.prefix, false) ||
	    parse_opt_ip(brd, &a.has_brd, &a.brd))
		return -1;
	return manifest_add_addr(m, &a) ? -1 : 0;
}

static int parse_route(const char *line, struct manifest *m)
{
	struct manifest_route r = { 0 };
	char dst[32], gw[32], src[32];
	int at = 0;

	if (sscanf(line, "route %31s via %31s src %31s dev %15s metric %u "
		   "proto %u scope %u%n", dst, gw, src, r.dev, &r.metric,
		   &r.proto, &r.scope, &at) != 7 || line[at] ||
	    !manifest_link(m, r.dev) ||
	    parse_prefix(dst, &r.dst, &r.prefix, true) ||
	    parse_opt_ip(gw, &r.has_gw, &r.gw) ||
	    parse_opt_ip(src, &r.has_src, &r.src) || r.proto > 255 ||
	    r.scope > 255)
		return -1;
	return manifest_add_route(m, &r) ? -1 : 0;
}

/* A block device's name: letters, digits, '.', '_', '-'. */
static int bad_devname(const char *s)
{
	return !*s || s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")];
}

/* An escaped field of the mount line into dst (len bytes): 0 or -1. */
static int mount_field(char *field, char *dst, size_t len)
{
	if (manifest_unescape(field) || strlen(field) >= len)
		return -1;
	memcpy(dst, field, strlen(field) + 1);
	return 0;
}

static int parse_mount(const char *line, struct manifest *m)
{
	/* Escaped, a field takes up to 4 bytes for each of its own. */
	struct {
		struct manifest_mount t;
		char mp[4 * MANIFEST_PATH_MAX], root[4 * MANIFEST_PATH_MAX];
		char opts[4 * 256], super[4 * 512];
	} *b = calloc(1, sizeof(*b));
	int at = 0, ret = -1;

	if (!b)
		return -1;
	if (sscanf(line, "mount %31s pci %31s type %31s on %4095s root %4095s "
		   "opts %1023s super %2047s%n", b->t.dev, b->t.pci,
		   b->t.fstype, b->mp, b->root, b->opts, b->super, &at) == 7 &&
	    !line[at] && !bad_devname(b->t.dev) &&
	    !mount_field(b->mp, b->t.mountpoint, sizeof(b->t.mountpoint)) &&
	    !mount_field(b->root, b->t.root, sizeof(b->t.root)) &&
	    !mount_field(b->opts, b->t.opts, sizeof(b->t.opts)) &&
	    !mount_field(b->super, b->t.super, sizeof(b->t.super)) &&
	    *b->t.mountpoint == '/' && *b->t.root == '/' && *b->t.opts &&
	    *b->t.super)
		ret = manifest_add_mount(m, &b->t) ? -1 : 0;
	free(b);
	return ret;
}

_Static_assert(MANIFEST_OUTSIDE_MAX == 32, "the refusal says 32");

/* "outside TREE INO...": a tree's, once, with one inode at least. */
static int parse_outside(const char *line, struct manifest *m)
{
	struct manifest_tree *t;
	unsigned int idx;
	int at = 0;

	if (sscanf(line, "outside %u%n", &idx, &at) != 1 || idx >= m->nr ||
	    m->trees[idx].nr_outside)
		return -1;
	t = &m->trees[idx];
	for (line += at; *line == ' '; ) {
		line++;
		if (t->nr_outside == MANIFEST_OUTSIDE_MAX ||
		    parse_number(&line, ULONG_MAX,
				 &t->outside[t->nr_outside++]))
			return -1;
	}
	return *line || !t->nr_outside ? -1 : 0;
}

/* What each kind of line after the trees looks like, for the refusal. */
static const struct {
	const char *word;
	int (*parse)(const char *line, struct manifest *m);
	const char *form;
	unsigned int max;
} kinds[] = {
	{ "outside", parse_outside, "outside TREE INO...\" (one per tree, "
	  "with at most 32 inodes", MANIFEST_TREES_MAX },
	{ "link", parse_link, "link NAME mac MAC mtu N up 0|1 pci DEV\" (a "
	  "new name", MANIFEST_LINKS_MAX },
	{ "addr", parse_addr, "addr LINK ADDR/LEN brd ADDR|-\" (a link's, "
	  "IPv4", MANIFEST_ADDRS_MAX },
	{ "route", parse_route, "route DST/LEN|default via GW|- src ADDR|- "
	  "dev LINK metric N proto N scope N\" (a link's, IPv4",
	  MANIFEST_ROUTES_MAX },
	{ "mount", parse_mount, "mount DEV pci PCI type FS on PATH root PATH "
	  "opts OPTS super OPTS\" (absolute paths", MANIFEST_MOUNTS_MAX },
};

/* A line after the trees: 0, or the refusal. */
static int parse_setup(const char *line, struct manifest *m,
		       unsigned int version, char *why, size_t whylen,
		       unsigned int n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		size_t len = strlen(kinds[i].word);

		if (strncmp(line, kinds[i].word, len) || line[len] != ' ')
			continue;
		if (version < 2)
			break;
		if (kinds[i].parse(line, m))
			return bad(why, whylen, n, "not \"%s, at most %u such "
				   "lines)", kinds[i].form, kinds[i].max);
		return 0;
	}
	return bad(why, whylen, n, "not \"tree %u root PID shell-job 0|1 comm "
		   "NAME\"", m->nr);
}

static int parse_tree(const char *line, struct manifest *m, char *why,
		      size_t whylen, unsigned int n)
{
	struct manifest_tree *t = &m->trees[m->nr];
	unsigned int idx, shell;
	int root, at = 0;

	if (m->nr >= MANIFEST_TREES_MAX)
		return bad(why, whylen, n, "more than %d trees",
			   MANIFEST_TREES_MAX);
	if (sscanf(line, "tree %u root %d shell-job %u comm %n", &idx, &root,
		   &shell, &at) != 3 || !at || idx != m->nr || root < 1 ||
	    shell > 1 || strlen(line + at) > 16 || m->nlinks || m->naddrs ||
	    m->nroutes || m->nmounts)
		return bad(why, whylen, n, "not \"tree %u root PID shell-job "
			   "0|1 comm NAME\"", m->nr);
	t->root = root;
	t->shell_job = shell;
	snprintf(t->comm, sizeof(t->comm), "%s", line + at);
	return 0;
}

static int parse(char *text, struct manifest *m, char *why, size_t whylen)
{
	char *line, *save = NULL, lock[16];
	unsigned int n = 0, total = 0, version = 0;
	bool want_pids = false;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int at = 0, ret;

		n++;
		if (n == 1) {
			if (sscanf(line, "relief-trees %u%n", &version,
				   &at) != 1 || line[at] || !version ||
			    version > MANIFEST_VERSION)
				return bad(why, whylen, n, "not \"relief-trees "
					   "1\" or \"relief-trees 2\"");
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
		} else if (want_pids) {
			unsigned int idx;
			struct manifest_tree *t = &m->trees[m->nr];

			if (sscanf(line, "pids %u%n", &idx, &at) != 1 ||
			    idx != m->nr || parse_pids(line + at, t, &total))
				return bad(why, whylen, n, "not \"pids %u "
					   "ROOT PID...\" (at most %d pids)",
					   m->nr, MANIFEST_PIDS_MAX);
			m->nr++;
			want_pids = false;
		} else if (!strncmp(line, "tree ", 5)) {
			ret = parse_tree(line, m, why, whylen, n);
			if (ret)
				return ret;
			want_pids = true;
		} else {
			ret = parse_setup(line, m, version, why, whylen, n);
			if (ret)
				return ret;
		}
	}
	if (n < 2 || want_pids)
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
	free(m->links);
	free(m->addrs);
	free(m->routes);
	free(m->mounts);
	m->links = NULL;
	m->addrs = NULL;
	m->routes = NULL;
	m->mounts = NULL;
	m->nlinks = m->naddrs = m->nroutes = m->nmounts = 0;
}

unsigned int manifest_procs(const struct manifest *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		n += m->trees[i].nr;
	return n;
}
