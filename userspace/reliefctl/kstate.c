// SPDX-License-Identifier: GPL-2.0
/* kstate.c - reading and parsing what the kernel shows of relief. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kstate.h"
#include "reliefctl.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

const char *reliefctl_sysfs_dir(void)
{
	return env_or("RELIEF_SYSFS", RELIEF_SYSFS_DEFAULT);
}

const char *reliefctl_dev_path(void)
{
	return env_or("RELIEF_DEV", RELIEF_DEV_DEFAULT);
}

const char *reliefctl_cpu_dir(void)
{
	return env_or("RELIEF_CPU_SYSFS", RELIEF_CPU_SYSFS_DEFAULT);
}

const char *reliefctl_sys_dir(void)
{
	return env_or("RELIEF_SYS", RELIEF_SYS_DEFAULT);
}

const char *reliefctl_overcommit_path(void)
{
	return env_or("RELIEF_OVERCOMMIT", RELIEF_OVERCOMMIT_DEFAULT);
}

const char *reliefctl_iomem_path(void)
{
	return env_or("RELIEF_IOMEM", RELIEF_IOMEM_DEFAULT);
}

const char *reliefctl_kexec_disabled_path(void)
{
	return env_or("RELIEF_KEXEC_DISABLED", RELIEF_KEXEC_DISABLED_DEFAULT);
}

const char *reliefctl_sysroot_dir(void)
{
	return env_or("RELIEF_SYSROOT", RELIEF_SYSROOT_DEFAULT);
}

const char *reliefctl_bootstrap_path(void)
{
	return env_or("RELIEF_BOOTSTRAP", RELIEF_BOOTSTRAP_DEFAULT);
}

const char *reliefctl_iommu_dir(void)
{
	return env_or("RELIEF_IOMMU_CLASS", RELIEF_IOMMU_CLASS_DEFAULT);
}

const char *reliefctl_mountinfo_path(void)
{
	return env_or("RELIEF_MOUNTINFO", RELIEF_MOUNTINFO_DEFAULT);
}

const char *reliefctl_devnode_dir(void)
{
	return env_or("RELIEF_DEVDIR", RELIEF_DEVDIR_DEFAULT);
}

long kstate_read(const char *dir, const char *name, char *buf, size_t len)
{
	char path[1024];
	size_t n = 0;
	int fd;

	if (!len)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* sysfs may hand the text out in pieces: read to EOF or full. */
	while (n < len - 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			close(fd);
			return -err;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (long)n;
}

/* Copy the next whitespace-delimited word of *p into buf; 0 when none. */
static int next_word(const char **p, char *buf, size_t len)
{
	const char *s = *p;
	size_t n;

	s += strspn(s, " \t");
	n = strcspn(s, " \t\n");
	if (!n)
		return 0;
	snprintf(buf, len, "%.*s", (int)n, s);
	*p = s + n;
	return 1;
}

int kstate_parse_state(const char *text, struct kstate_state *st)
{
	char word[24];

	memset(st, 0, sizeof(*st));
	if (!next_word(&text, st->name, sizeof(st->name)))
		return -1;
	/* A relieving kernel shows "NEW <its state>" until it lends itself. */
	if (!strcmp(st->name, "NEW")) {
		if (!next_word(&text, word, sizeof(word)))
			return -1;
		snprintf(st->name, sizeof(st->name), "NEW %s", word);
	}
	next_word(&text, st->reason, sizeof(st->reason));
	return 0;
}

enum kstate_class kstate_classify(const char *name)
{
	if (!strcmp(name, "IDLE"))
		return KSTATE_IDLE;
	/* NEW RELIEVED: this kernel took the machine over and may swap it on. */
	if (!strcmp(name, "ABORTED") || !strcmp(name, "ROLLED_BACK") ||
	    !strcmp(name, "STOOD_RELIEVED") || !strcmp(name, "NEW RELIEVED"))
		return KSTATE_ENDED;
	return KSTATE_RUNNING;
}

int kstate_read_state(struct kstate_state *st)
{
	char buf[256];
	long n = kstate_read(reliefctl_sysfs_dir(), "state", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return kstate_parse_state(buf, st) ? -EINVAL : 0;
}

int kstate_parse_region(const char *text, struct kstate_region *r)
{
	uint64_t v[4];
	const char *p = text;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 4; i++) {
		char *end;

		p += strspn(p, " \t");
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(p, &end, 0);
		if (errno || end == p)
			return -1;
		p = end;
	}
	if (p[strspn(p, " \t\n")])
		return -1;
	r->base = v[0];
	r->size = v[1];
	r->low_base = v[2];
	r->low_size = v[3];
	return 0;
}

int kstate_read_region(struct kstate_region *r)
{
	char buf[256];
	long n = kstate_read(reliefctl_sysfs_dir(), "region", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return kstate_parse_region(buf, r) ? -EINVAL : 0;
}

int kstate_parse_timings(const char *text, struct kstate_timing *t, int max)
{
	int nr = 0;

	while (*text && nr < max) {
		size_t len = strcspn(text, "\n");
		char phase[32], line[128];
		const char *p = line;
		char *end;
		uint64_t ns;

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		text += len + (text[len] == '\n');
		if (!next_word(&p, phase, sizeof(phase)))
			continue;
		p += strspn(p, " \t");
		if (*p < '0' || *p > '9')
			continue;
		errno = 0;
		ns = strtoull(p, &end, 10);
		if (errno || *end)
			continue;
		snprintf(t[nr].phase, sizeof(t[nr].phase), "%s", phase);
		t[nr++].ns = ns;
	}
	return nr;
}

int kstate_parse_cpus(const char *text, struct relief_cpuset *s, char *err,
		      size_t errlen)
{
	if (!text[strspn(text, " \t\n")]) {
		relief_cpuset_zero(s);
		return 0;
	}
	return relief_cpulist_parse(text, s, err, errlen);
}

int kstate_read_cpus(const char *dir, const char *name,
		     struct relief_cpuset *s)
{
	char buf[4096], why[128];
	long n = kstate_read(dir, name, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return kstate_parse_cpus(buf, s, why, sizeof(why)) ? -EINVAL : 0;
}

int kstate_read_keep(struct relief_cpuset *keep)
{
	int ret = kstate_read_cpus(reliefctl_sysfs_dir(), "keep", keep);

	if (ret == -ENOENT) {
		relief_cpuset_zero(keep);
		return 0;
	}
	return ret;
}

int kstate_next_line(const char **text, char *key, size_t klen, char *val,
		     size_t vlen)
{
	while (**text) {
		const char *s = *text;
		size_t len = strcspn(s, "\n"), k, v;

		*text = s + len + (s[len] == '\n');
		s += strspn(s, " \t");
		k = strcspn(s, " \t\n");
		if (!k)
			continue;
		snprintf(key, klen, "%.*s", (int)k, s);
		s += k;
		s += strspn(s, " \t");
		v = strcspn(s, "\n");
		while (v && (s[v - 1] == ' ' || s[v - 1] == '\t'))
			v--;
		snprintf(val, vlen, "%.*s", (int)v, s);
		return 1;
	}
	return 0;
}
