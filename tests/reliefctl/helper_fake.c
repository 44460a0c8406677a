// SPDX-License-Identifier: GPL-2.0
/* helper_fake.c - a fake relief kernel in a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "helper_fake.h"
#include "helper_image.h"

static char rt_fake_dir[256];

const char *rt_fake_path(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", rt_fake_dir, rel);
	return path;
}

static void rt_fake_put(const char *rel, const char *text, const char *mode)
{
	FILE *f = fopen(rt_fake_path(rel), mode);

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

void rt_fake_write(const char *rel, const char *text)
{
	rt_fake_put(rel, text, "w");
}

void rt_fake_append(const char *rel, const char *text)
{
	rt_fake_put(rel, text, "a");
}

void rt_fake_remove(const char *rel)
{
	assert_int_equal(unlink(rt_fake_path(rel)), 0);
}

void rt_fake_init(void)
{
	char sub[300];

	snprintf(rt_fake_dir, sizeof(rt_fake_dir), "%s/reliefctl-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(rt_fake_dir));
	snprintf(sub, sizeof(sub), "%s/sys", rt_fake_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/cpu", rt_fake_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	rt_fake_write("sys/version", "0.1.0 protocol 1-1\n");
	rt_fake_write("sys/state", "IDLE\n");
	rt_fake_write("sys/cpus", "\n");
	rt_fake_write("sys/region", "0x100000000 0x20000000 0x98000 0x1000\n");
	rt_fake_write("sys/timings", "");
	rt_fake_write("sys/peer", "");
	rt_fake_write("sys/console", "");
	rt_fake_write("dev", "");
	rt_fake_write("cpu/online", "0-3\n");
	rt_fake_write("cpu/present", "0-3\n");
	rt_fake_write("kexec_load_disabled", "0\n");
	setenv("RELIEF_KEXEC_DISABLED", rt_fake_path("kexec_load_disabled"), 1);
	setenv("RELIEF_SYSFS", rt_fake_path("sys"), 1);
	setenv("RELIEF_DEV", rt_fake_path("dev"), 1);
	setenv("RELIEF_CPU_SYSFS", rt_fake_path("cpu"), 1);
	/* The host's own IOMMUs, if it has any, are not the fake's. */
	snprintf(sub, sizeof(sub), "%s/iommu", rt_fake_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	setenv("RELIEF_IOMMU_CLASS", sub, 1);
}

void rt_fake_cleanup(void)
{
	char cmd[300];

	if (!rt_fake_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rt_fake_dir);
	assert_int_equal(system(cmd), 0);
	rt_fake_dir[0] = '\0';
	unsetenv("RELIEF_SYSFS");
	unsetenv("RELIEF_DEV");
	unsetenv("RELIEF_CPU_SYSFS");
	unsetenv("RELIEF_KEXEC_DISABLED");
	unsetenv("RELIEF_IOMMU_CLASS");
}

const char *rt_fake_bzimage(const char *rel, size_t len, unsigned int off16,
			    unsigned int v16)
{
	static uint8_t img[HIMG_LEN];
	FILE *f = fopen(rt_fake_path(rel), "w");

	assert_non_null(f);
	himg_build(img, sizeof(img));
	if (off16) {
		himg_put16(img + off16, v16);
		himg_stamp_crc(img, HIMG_LEN);
	}
	if (!len || len > HIMG_LEN)
		len = HIMG_LEN;
	assert_int_equal(fwrite(img, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return rt_fake_path(rel);
}

static const struct rt_step *rt_steps;
static unsigned int rt_nsteps;
uint64_t rt_fake_now_ns;
unsigned int rt_fake_sleeps;

void rt_fake_script(const struct rt_step *steps, unsigned int n)
{
	rt_steps = steps;
	rt_nsteps = n;
	rt_fake_now_ns = 1000000000u;
	rt_fake_sleeps = 0;
}

uint64_t __wrap_reliefctl_now_ns(void)
{
	return rt_fake_now_ns;
}

void __wrap_reliefctl_sleep_ms(unsigned int ms)
{
	rt_fake_now_ns += (uint64_t)ms * 1000000u;
	rt_fake_sleeps++;
	for (unsigned int i = 0; i < rt_nsteps; i++) {
		const struct rt_step *s = &rt_steps[i];

		if (s->at != rt_fake_sleeps)
			continue;
		if (s->append)
			rt_fake_append(s->file, s->text);
		else
			rt_fake_write(s->file, s->text);
	}
}

char rt_fake_sys_log[8192];
const char *rt_fake_sys_fail;
int rt_fake_sys_errno;
bool rt_fake_sys_fail_all;

void rt_fake_sys_reset(void)
{
	rt_fake_sys_log[0] = '\0';
	rt_fake_sys_fail = NULL;
	rt_fake_sys_errno = 0;
	rt_fake_sys_fail_all = false;
}

/* Log one call; its result. */
static int rt_fake_sys_call(const char *fmt, ...)
{
	size_t n = strlen(rt_fake_sys_log);
	char *line = rt_fake_sys_log + n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(rt_fake_sys_log) - n, fmt, ap);
	va_end(ap);
	if (!rt_fake_sys_fail ||
	    strncmp(line, rt_fake_sys_fail, strlen(rt_fake_sys_fail)))
		return 0;
	if (!rt_fake_sys_fail_all)
		rt_fake_sys_fail = NULL;
	return -rt_fake_sys_errno;
}

int __wrap_reliefctl_fsfreeze(const char *path, bool freeze)
{
	return rt_fake_sys_call("%s %s\n", freeze ? "freeze" : "thaw", path);
}

int __wrap_reliefctl_mount(const char *src, const char *target,
			   const char *fstype, unsigned long flags,
			   const char *data)
{
	return rt_fake_sys_call("mount %s %s %s %#lx %s\n", src, target,
				fstype ? fstype : "-", flags,
				data ? data : "-");
}

int __wrap_reliefctl_umount(const char *target, int flags)
{
	return rt_fake_sys_call("umount %s %d\n", target, flags);
}

int __wrap_reliefctl_chroot(const char *dir)
{
	return rt_fake_sys_call("chroot %s\n", dir);
}

void rt_die_with_parent(int parent)
{
	/* A parent gone before the prctl() would never send it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(2);
}
