/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kstate.h - what the running kernel shows of relief, read and parsed:
 * /sys/kernel/relief/{version,state,cpus,region,timings,peer,console,keep},
 * /dev/relief and /sys/devices/system/cpu/{online,present}. The parsers
 * take text, so the tests feed them the kernel's formats directly; the
 * paths come from the environment, so the tests point them at a tree of
 * their own (paths.h).
 */
#ifndef RELIEFCTL_KSTATE_H
#define RELIEFCTL_KSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "cpulist.h"
#include "paths.h"

/*
 * kstate_read() - the file DIR/NAME, whole, NUL-terminated in buf (at most
 * len - 1 bytes). Returns its length, or -errno.
 */
long kstate_read(const char *dir, const char *name, char *buf, size_t len);

/* /sys/kernel/relief/state: "NAME" or "NAME REASON" once a run ended. */
struct kstate_state {
	char name[32];
	char reason[64];	/* "" when none */
};

enum kstate_class {
	KSTATE_IDLE,		/* IDLE: no run since boot */
	KSTATE_RUNNING,		/* a run in progress */
	KSTATE_ENDED,		/* ABORTED, ROLLED_BACK, STOOD_RELIEVED */
};

/* 0, or -1 when text holds no state name. */
int kstate_parse_state(const char *text, struct kstate_state *st);
enum kstate_class kstate_classify(const char *name);
/* 0, -errno when unreadable, -EINVAL when empty. */
int kstate_read_state(struct kstate_state *st);

/* /sys/kernel/relief/region: "BASE SIZE LOW_BASE LOW_SIZE", all 0: none. */
struct kstate_region {
	uint64_t base, size, low_base, low_size;
};

int kstate_parse_region(const char *text, struct kstate_region *r);
int kstate_read_region(struct kstate_region *r);

/* /sys/kernel/relief/timings: "phase ns" lines, ns since prepare. */
#define KSTATE_TIMINGS_MAX	16
struct kstate_timing {
	char phase[32];
	uint64_t ns;
};

/* The number of lines parsed (at most max); malformed lines are skipped. */
int kstate_parse_timings(const char *text, struct kstate_timing *t, int max);

/*
 * kstate_parse_cpus() - a cpulist as sysfs shows it, where "" and "\n" are
 * the empty set. 0, or -1 with the reason in err.
 */
int kstate_parse_cpus(const char *text, struct relief_cpuset *s, char *err,
		      size_t errlen);
/* DIR/NAME as a cpulist: 0, -errno, or -EINVAL when malformed. */
int kstate_read_cpus(const char *dir, const char *name,
		     struct relief_cpuset *s);

/*
 * kstate_read_keep() - /sys/kernel/relief/keep: the CPUs a swap never
 * lends (the boot CPU, and the machine's boot CPU in a kernel that
 * relieved another). 0 with the set, empty when the kernel has no such
 * file (older kernels); -errno, or -EINVAL when malformed.
 */
int kstate_read_keep(struct relief_cpuset *keep);

/*
 * kstate_next_line() - split "key value" lines (peer): the next line of
 * *text into key and value (each cut to its buffer), advancing *text.
 * Returns 0 when there is no further line.
 */
int kstate_next_line(const char **text, char *key, size_t klen, char *val,
		     size_t vlen);

#endif /* RELIEFCTL_KSTATE_H */
