/* SPDX-License-Identifier: GPL-2.0 */
/*
 * helper_fake.h - a fake kernel for the reliefctl tests: /sys/kernel/relief,
 * /dev/relief and /sys/devices/system/cpu as files in a temporary
 * directory, which RELIEF_SYSFS, RELIEF_DEV and RELIEF_CPU_SYSFS point at.
 */
#ifndef RELIEFCTL_HELPER_FAKE_H
#define RELIEFCTL_HELPER_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * rt_fake_init() - a relief kernel, idle, 4 CPUs online, a 512M region at
 * 4G: sys/{version,state,cpus,region,timings,peer,console}, dev,
 * cpu/{online,present}, kexec_load_disabled (0). Undo with
 * rt_fake_cleanup().
 */
void rt_fake_init(void);
void rt_fake_cleanup(void);
/* The full path of a file of the fake tree ("sys/state"); static buffer. */
const char *rt_fake_path(const char *rel);
/* Write / append text to a file of the tree; remove one. */
void rt_fake_write(const char *rel, const char *text);
void rt_fake_append(const char *rel, const char *text);
void rt_fake_remove(const char *rel);
/*
 * rt_fake_bzimage() - write rel as a relief kernel image that passes
 * relief's checks (tests/unit/helper_image.h); if off16 is not 0, with the
 * u16 there set to v16 and the CRC stamped again; if len is not 0, cut to
 * len bytes. Returns its path (a static buffer).
 */
const char *rt_fake_bzimage(const char *rel, size_t len, unsigned int off16,
			    unsigned int v16);

/*
 * A script for the kernel's side of a run: step i writes (or appends) text
 * to a file when reliefctl sleeps for the at-th time. The clock
 * (reliefctl_now_ns, wrapped) starts at 1 s and moves only when reliefctl
 * sleeps (reliefctl_sleep_ms, wrapped): tests never really wait.
 */
struct rt_step {
	unsigned int at;	/* the sleep that applies it, from 1 */
	const char *file;	/* "sys/state" */
	const char *text;
	int append;
};

/* Start a script (steps must outlive the run), clock and count reset. */
void rt_fake_script(const struct rt_step *steps, unsigned int n);
extern uint64_t rt_fake_now_ns;
extern unsigned int rt_fake_sleeps;

uint64_t __wrap_reliefctl_now_ns(void);
void __wrap_reliefctl_sleep_ms(unsigned int ms);

/*
 * Freezing and mounting file systems, never for real: every test that
 * links mounts.c wraps reliefctl_fsfreeze, reliefctl_mount and
 * reliefctl_umount (a test must not freeze the disk it runs on). Each
 * call is a line in rt_fake_sys_log:
 *   freeze PATH | thaw PATH | umount PATH FLAGS |
 *   mount SRC TARGET FSTYPE|- FLAGS(hex) DATA|-
 * and the first call whose line starts with rt_fake_sys_fail (if set)
 * fails with -rt_fake_sys_errno, as do all later ones when
 * rt_fake_sys_fail_all is set. rt_fake_sys_reset() empties all that.
 */
extern char rt_fake_sys_log[8192];
extern const char *rt_fake_sys_fail;
extern int rt_fake_sys_errno;
extern bool rt_fake_sys_fail_all;
void rt_fake_sys_reset(void);
int __wrap_reliefctl_fsfreeze(const char *path, bool freeze);
int __wrap_reliefctl_mount(const char *src, const char *target,
			   const char *fstype, unsigned long flags,
			   const char *data);
int __wrap_reliefctl_umount(const char *target, int flags);
int __wrap_reliefctl_chroot(const char *dir);

/*
 * rt_die_with_parent() - in a child just forked from parent: it gets
 * SIGKILL when parent ends. A test whose assertion fails jumps past its
 * reaping; a child left pausing would keep the test's output pipe open
 * and hang `make check`.
 */
void rt_die_with_parent(int parent);

#endif /* RELIEFCTL_HELPER_FAKE_H */
