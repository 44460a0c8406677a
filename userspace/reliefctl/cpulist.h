/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpulist.h - sets of CPU ids and the kernel's cpulist syntax for them
 * ("2-3,6", as in /sys/devices/system/cpu/online and isolcpus=).
 */
#ifndef RELIEFCTL_CPULIST_H
#define RELIEFCTL_CPULIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest NR_CPUS Linux builds (x86 MAXSMP); ids at or above it are refused. */
#define RELIEF_MAX_CPUS 8192

struct relief_cpuset {
	uint64_t bits[RELIEF_MAX_CPUS / 64];
};

static inline void relief_cpuset_set(struct relief_cpuset *s, unsigned int cpu)
{
	s->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

static inline bool relief_cpuset_test(const struct relief_cpuset *s,
				      unsigned int cpu)
{
	return cpu < RELIEF_MAX_CPUS &&
	       (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

void relief_cpuset_zero(struct relief_cpuset *s);
unsigned int relief_cpuset_count(const struct relief_cpuset *s);
/* Lowest (first) / highest (last) member, -1 when empty. */
int relief_cpuset_first(const struct relief_cpuset *s);
int relief_cpuset_last(const struct relief_cpuset *s);
/* The next member above cpu, -1 when none: for (c = first; c >= 0; c = next) */
int relief_cpuset_next(const struct relief_cpuset *s, int cpu);

/*
 * relief_cpulist_parse() - "2-3,6" into a set. Items are N or N-M (N <= M),
 * comma separated, one trailing newline allowed. On error returns -1 and
 * writes what is wrong into err; set is then unspecified.
 */
int relief_cpulist_parse(const char *str, struct relief_cpuset *set,
			 char *err, size_t errlen);

/*
 * relief_cpulist_format() - the set as a cpulist, ranges merged ("" when
 * empty). Returns the length the full text needs, like snprintf: the text
 * was cut if that is >= len.
 */
size_t relief_cpulist_format(const struct relief_cpuset *set, char *buf,
			     size_t len);

#endif /* RELIEFCTL_CPULIST_H */
