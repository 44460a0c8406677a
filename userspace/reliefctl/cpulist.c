// SPDX-License-Identifier: GPL-2.0
/* cpulist.c - CPU sets and the kernel's cpulist syntax. */
#include <stdio.h>
#include <string.h>

#include "cpulist.h"

void relief_cpuset_zero(struct relief_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

unsigned int relief_cpuset_count(const struct relief_cpuset *s)
{
	unsigned int n = 0;

	for (size_t i = 0; i < RELIEF_MAX_CPUS / 64; i++)
		n += (unsigned int)__builtin_popcountll(s->bits[i]);
	return n;
}

int relief_cpuset_next(const struct relief_cpuset *s, int cpu)
{
	for (unsigned int c = (unsigned int)(cpu + 1); c < RELIEF_MAX_CPUS; c++) {
		uint64_t w = s->bits[c / 64] >> (c % 64);

		if (!w) {
			c |= 63;	/* skip the rest of an empty word */
			continue;
		}
		return (int)(c + (unsigned int)__builtin_ctzll(w));
	}
	return -1;
}

int relief_cpuset_first(const struct relief_cpuset *s)
{
	return relief_cpuset_next(s, -1);
}

int relief_cpuset_last(const struct relief_cpuset *s)
{
	for (int i = RELIEF_MAX_CPUS / 64 - 1; i >= 0; i--)
		if (s->bits[i])
			return i * 64 + 63 - __builtin_clzll(s->bits[i]);
	return -1;
}

/* One decimal CPU id at *p; advances p. Refuses ids beyond the set. */
static int parse_id(const char **p, unsigned int *id, char *err, size_t errlen)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9') {
		snprintf(err, errlen, "expected a CPU number at '%s'", s);
		return -1;
	}
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v >= RELIEF_MAX_CPUS) {
			snprintf(err, errlen, "CPU number at '%s' is too "
				 "large (at most %d)", *p, RELIEF_MAX_CPUS - 1);
			return -1;
		}
	}
	*id = (unsigned int)v;
	*p = s;
	return 0;
}

int relief_cpulist_parse(const char *str, struct relief_cpuset *set,
			 char *err, size_t errlen)
{
	const char *p = str;

	relief_cpuset_zero(set);
	if (!*p || *p == '\n') {
		snprintf(err, errlen, "empty CPU list");
		return -1;
	}
	for (;;) {
		unsigned int lo, hi;

		if (parse_id(&p, &lo, err, errlen))
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_id(&p, &hi, err, errlen))
				return -1;
			if (hi < lo) {
				snprintf(err, errlen, "range %u-%u runs "
					 "backwards", lo, hi);
				return -1;
			}
		}
		for (unsigned int c = lo; c <= hi; c++)
			relief_cpuset_set(set, c);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n' && !p[1])
			return 0;
		if (!*p)
			return 0;
		snprintf(err, errlen, "unexpected '%c' in CPU list '%s'",
			 *p, str);
		return -1;
	}
}

size_t relief_cpulist_format(const struct relief_cpuset *set, char *buf,
			     size_t len)
{
	size_t n = 0;
	int lo = relief_cpuset_first(set);

	if (len)
		buf[0] = '\0';
	while (lo >= 0) {
		int hi = lo, next;
		int w;

		while ((next = relief_cpuset_next(set, hi)) == hi + 1)
			hi = next;
		if (hi == lo)
			w = snprintf(buf + (n < len ? n : len),
				     n < len ? len - n : 0, "%s%d",
				     n ? "," : "", lo);
		else
			w = snprintf(buf + (n < len ? n : len),
				     n < len ? len - n : 0, "%s%d-%d",
				     n ? "," : "", lo, hi);
		n += (size_t)w;
		lo = next;
	}
	return n;
}
