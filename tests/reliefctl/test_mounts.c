// SPDX-License-Identifier: GPL-2.0
/*
 * test_mounts.c - the devices a swap hands over and the file systems on
 * them, against a fake sysfs and mountinfo in a temporary directory:
 * which mounts are recorded, the freeze (each file system once, the last
 * mounted first) and its thaw, the options, and the mounts in kernel B
 * (waiting for a node, bind mounts, refusals). Freezing and mounting are
 * wrapped (helper_fake.c): nothing real is frozen or mounted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices.h"
#include "helper_fake.h"
#include "mounts.h"

#define PCI_BLK	"0000:00:02.0"
#define PCI_NET	"0000:00:03.0"
#define BLK	"devices/pci0000:00/" PCI_BLK "/virtio1/block"

static char why[1200], *out_text;
static size_t out_len;
static FILE *out;

static void mkdirs(const char *rel)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", rt_fake_path(rel));
	assert_int_equal(system(cmd), 0);
}

static void link_to(const char *rel, const char *target)
{
	char dir[600], *slash;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdirs(dir);
	assert_int_equal(symlink(target, rt_fake_path(rel)), 0);
}

/*
 * A machine with vda (partition vda1) on PCI_BLK, eth0 on PCI_NET and a
 * loop device on none; the kernel hands over both PCI devices.
 */
static int setup(void **state)
{
	(void)state;
	rt_fake_init();
	rt_fake_sys_reset();
	rt_fake_script(NULL, 0);
	mkdirs("root/" BLK "/vda/vda1");
	mkdirs("root/devices/virtual/block/loop0");
	link_to("root/dev/block/254:0", "../../" BLK "/vda");
	link_to("root/dev/block/254:1", "../../" BLK "/vda/vda1");
	link_to("root/dev/block/7:0", "../../devices/virtual/block/loop0");
	mkdirs("nodes");
	mkdirs("stage");
	rt_fake_write("sys/devices", PCI_BLK " virtio-pci movable\n\n"
		      PCI_NET " virtio-pci movable\n");
	setenv("RELIEF_SYS", rt_fake_path("root"), 1);
	setenv("RELIEF_MOUNTINFO", rt_fake_path("mountinfo"), 1);
	setenv("RELIEF_DEVDIR", rt_fake_path("nodes"), 1);
	out = open_memstream(&out_text, &out_len);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fclose(out);
	free(out_text);
	out_text = NULL;
	rt_fake_cleanup();
	unsetenv("RELIEF_SYS");
	unsetenv("RELIEF_MOUNTINFO");
	unsetenv("RELIEF_DEVDIR");
	return 0;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

/* --- the devices ------------------------------------------------------ */

static void test_devices(void **state)
{
	struct devlist dl;
	char base[16], text[4096];
	size_t n = 0;

	(void)state;
	assert_int_equal(devices_read(&dl, why, sizeof(why)), 0);
	assert_int_equal(dl.nr, 2);
	assert_string_equal(dl.name[0], PCI_BLK);
	assert_string_equal(dl.name[1], PCI_NET);
	assert_int_equal(devices_owner(&dl, "dev/block/254:1", base,
				       sizeof(base)), 0);
	assert_string_equal(base, "vda1");
	assert_int_equal(devices_owner(&dl, "dev/block/254:0", NULL, 0), 0);
	assert_int_equal(devices_owner(&dl, "dev/block/7:0", base,
				       sizeof(base)), -1);
	assert_int_equal(devices_owner(&dl, "dev/block/8:0", NULL, 0), -1);

	/* A kernel that shows no devices hands none over. */
	rt_fake_remove("sys/devices");
	assert_int_equal(devices_read(&dl, why, sizeof(why)), 0);
	assert_int_equal(dl.nr, 0);
	assert_int_equal(devices_owner(&dl, "dev/block/254:0", NULL, 0), -1);
	setenv("RELIEF_SYSFS", rt_fake_path("sys/version"), 1);
	assert_int_equal(devices_read(&dl, why, sizeof(why)), -ENOTDIR);
	assert_has(why, "sys/version/devices: Not a directory");
	setenv("RELIEF_SYSFS", rt_fake_path("sys"), 1);

	/* Too many, a name too long. */
	for (int i = 0; i <= DEVICES_MAX; i++)
		n += (size_t)sprintf(text + n, "0000:01:%02x.0 x movable\n", i);
	rt_fake_write("sys/devices", text);
	assert_int_equal(devices_read(&dl, why, sizeof(why)), -E2BIG);
	assert_has(why, "devices: more than 64 devices, or a name longer than "
		   "31 bytes");
	rt_fake_write("sys/devices", "0123456789012345678901234567890123 x\n");
	assert_int_equal(devices_read(&dl, why, sizeof(why)), -E2BIG);
}

/* --- recording, freezing ---------------------------------------------- */

#define MOUNTINFO \
	"22 1 0:20 / / rw shared:1 - rootfs rootfs rw\n" \
	"30 22 254:0 / /mnt/data rw,relatime shared:2 - ext4 /dev/vda rw\n" \
	"31 22 254:1 / /mnt/my\\040disk rw,nosuid,noatime - ext4 /dev/vda1 " \
	"rw,errors=remount-ro,data=ordered\n" \
	"garbage\n" \
	"32 22 254:0 /sub /srv/sub rw,relatime shared:2 master:3 - ext4 " \
	"/dev/vda rw\n" \
	"33 22 7:0 / /mnt/loop rw - ext4 /dev/loop0 rw\n" \
	"34 22 254:0 / /x rw -\n" \
	"35 22 254:0 / /x rw - ext4\n" \
	"36 22 254:0 / /x rw\n" \
	"37 22 254:0 / /x\\9 rw - ext4 /dev/vda rw\n"

static void record(struct manifest *m)
{
	struct devlist dl;

	memset(m, 0, sizeof(*m));
	assert_int_equal(devices_read(&dl, why, sizeof(why)), 0);
	rt_fake_write("mountinfo", MOUNTINFO);
	assert_int_equal(mounts_record(&dl, m, why, sizeof(why)), 0);
}

static void test_record(void **state)
{
	struct devlist dl = { 0 };
	struct manifest m;
	char *text;
	size_t n;

	(void)state;
	record(&m);
	assert_int_equal(m.nmounts, 3);
	assert_string_equal(m.mounts[0].dev, "vda");
	assert_string_equal(m.mounts[0].pci, PCI_BLK);
	assert_string_equal(m.mounts[0].mountpoint, "/mnt/data");
	assert_string_equal(m.mounts[0].root, "/");
	assert_string_equal(m.mounts[0].fstype, "ext4");
	assert_string_equal(m.mounts[0].opts, "rw,relatime");
	assert_string_equal(m.mounts[0].super, "rw");
	assert_string_equal(m.mounts[1].dev, "vda1");
	assert_string_equal(m.mounts[1].mountpoint, "/mnt/my disk");
	assert_string_equal(m.mounts[1].super, "rw,errors=remount-ro,"
			    "data=ordered");
	assert_string_equal(m.mounts[2].mountpoint, "/srv/sub");
	assert_string_equal(m.mounts[2].root, "/sub");
	manifest_free(&m);

	/* No device handed over: mountinfo is not even read. */
	rt_fake_remove("mountinfo");
	assert_int_equal(mounts_record(&dl, &m, why, sizeof(why)), 0);
	assert_int_equal(devices_read(&dl, why, sizeof(why)), 0);
	assert_int_equal(mounts_record(&dl, &m, why, sizeof(why)), -ENOENT);
	assert_has(why, "mountinfo: No such file or directory");

	/* More than a manifest holds; a path too long to keep is skipped. */
	text = malloc(64 << 10);
	assert_non_null(text);
	n = (size_t)sprintf(text, "1 1 254:0 / /");
	memset(text + n, 'x', MANIFEST_PATH_MAX);
	n += MANIFEST_PATH_MAX;
	n += (size_t)sprintf(text + n, " rw - ext4 /dev/vda rw\n");
	for (int i = 0; i <= MANIFEST_MOUNTS_MAX; i++)
		n += (size_t)sprintf(text + n, "%d 1 254:0 / /m%d rw - ext4 "
				     "/dev/vda rw\n", i + 2, i);
	rt_fake_write("mountinfo", text);
	free(text);
	memset(&m, 0, sizeof(m));
	assert_int_equal(mounts_record(&dl, &m, why, sizeof(why)), -E2BIG);
	assert_string_equal(why, "more than 64 mounts on the handed-over "
			    "devices");
	assert_string_equal(m.mounts[0].mountpoint, "/m0");
	manifest_free(&m);
}

static void test_freeze_thaw(void **state)
{
	struct mounts_frozen fz;
	struct manifest m;

	(void)state;
	record(&m);
	/* The last mounted first; /mnt/data is vda's, frozen already. */
	assert_int_equal(mounts_freeze(&m, &fz, why, sizeof(why)), 0);
	assert_int_equal(fz.nr, 2);
	assert_string_equal(rt_fake_sys_log, "freeze /srv/sub\n"
			    "freeze /mnt/my disk\n");
	rt_fake_sys_reset();
	assert_int_equal(mounts_thaw(&fz, why, sizeof(why)), 2);
	assert_string_equal(rt_fake_sys_log, "thaw /mnt/my disk\n"
			    "thaw /srv/sub\n");
	assert_int_equal(fz.nr, 0);
	assert_null(fz.paths);
	assert_int_equal(mounts_thaw(&fz, why, sizeof(why)), 0);

	/* A freeze fails: what was frozen is thawed. */
	rt_fake_sys_reset();
	rt_fake_sys_fail = "freeze /mnt/my disk";
	rt_fake_sys_errno = EOPNOTSUPP;
	assert_int_equal(mounts_freeze(&m, &fz, why, sizeof(why)),
			 -EOPNOTSUPP);
	assert_string_equal(why, "cannot freeze /mnt/my disk (ext4 on vda1) "
			    "before its device is handed over: Operation not "
			    "supported");
	assert_string_equal(rt_fake_sys_log, "freeze /srv/sub\n"
			    "freeze /mnt/my disk\nthaw /srv/sub\n");
	assert_int_equal(fz.nr, 0);

	/* A thaw fails: the others are still thawed, the first says why. */
	rt_fake_sys_reset();
	assert_int_equal(mounts_freeze(&m, &fz, why, sizeof(why)), 0);
	rt_fake_sys_fail = "thaw";
	rt_fake_sys_fail_all = true;
	rt_fake_sys_errno = EINVAL;
	assert_int_equal(mounts_thaw(&fz, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "/mnt/my disk stays frozen: Invalid argument");
	assert_has(rt_fake_sys_log, "thaw /srv/sub\n");
	manifest_free(&m);

	/* Nothing to freeze. */
	memset(&m, 0, sizeof(m));
	assert_int_equal(mounts_freeze(&m, &fz, why, sizeof(why)), 0);
	assert_int_equal(fz.nr, 0);
	assert_int_equal(mounts_thaw(&fz, why, sizeof(why)), 0);
}

static void entry_at(struct manifest *m, const char *mp);

/* Which recorded file system an open file is on. */
static void test_fd_on(void **state)
{
	struct manifest m = { 0 };
	FILE *f;

	(void)state;
	mkdirs("b");
	entry_at(&m, "/nonexistent");
	entry_at(&m, rt_fake_path("b"));
	f = fopen(rt_fake_path("out"), "w");
	assert_non_null(f);
	assert_int_equal(mounts_fd_on(&m, fileno(f)), 1);
	assert_int_equal(mounts_fd_on(&m, -1), -1);
	fclose(f);
	f = fopen("/proc/self/status", "r");
	assert_non_null(f);
	assert_int_equal(mounts_fd_on(&m, fileno(f)), -1);
	fclose(f);
	manifest_free(&m);
}

/* --- the options ------------------------------------------------------ */

static void test_flags(void **state)
{
	unsigned long flags;
	char data[64];

	(void)state;
	mounts_flags("rw,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow",
		     "ro,sync,dirsync,mand,lazytime,errors=remount-ro,"
		     "data=ordered", &flags, data, sizeof(data));
	assert_int_equal(flags, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
			 MS_NODIRATIME | MS_NOSYMFOLLOW | MS_RDONLY |
			 MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK |
			 MS_LAZYTIME);
	assert_string_equal(data, "errors=remount-ro,data=ordered");
	/* No atime option: strictatime; "relatime" is a mount's only. */
	mounts_flags("ro", "rw,relatime", &flags, data, sizeof(data));
	assert_int_equal(flags, MS_RDONLY | MS_STRICTATIME);
	assert_string_equal(data, "relatime");
	mounts_flags("rw,relatime", "rw", &flags, data, sizeof(data));
	assert_int_equal(flags, MS_RELATIME);
	assert_string_equal(data, "");
	/* Data that does not fit is left out, option by option. */
	mounts_flags("rw,relatime", "rw,aaaa,bbbbbbbb,cc", &flags, data, 10);
	assert_string_equal(data, "aaaa,cc");
}

/* --- mounting in kernel B --------------------------------------------- */

static void entry(struct manifest *m, const char *dev, const char *mp,
		  const char *root, const char *opts, const char *super)
{
	struct manifest_mount t = { .pci = PCI_BLK, .fstype = "ext4" };

	snprintf(t.dev, sizeof(t.dev), "%s", dev);
	snprintf(t.mountpoint, sizeof(t.mountpoint), "%s", mp);
	snprintf(t.root, sizeof(t.root), "%s", root);
	snprintf(t.opts, sizeof(t.opts), "%s", opts);
	snprintf(t.super, sizeof(t.super), "%s", super);
	assert_int_equal(manifest_add_mount(m, &t), 0);
}

static void entry_at(struct manifest *m, const char *mp)
{
	entry(m, "vda", mp, "/", "rw", "rw");
}

static void test_apply(void **state)
{
	struct manifest m = { 0 };
	char want[16384], mp[3][600], stage[600], nodes[600], root[600];
	struct stat st;

	(void)state;
	snprintf(root, sizeof(root), "%s", rt_fake_path("sysroot"));
	setenv("RELIEF_SYSROOT", root, 1);
	snprintf(stage, sizeof(stage), "%s", rt_fake_path("stage"));
	snprintf(nodes, sizeof(nodes), "%s", rt_fake_path("nodes"));
	snprintf(mp[0], sizeof(mp[0]), "%s", rt_fake_path("b/mnt/data"));
	snprintf(mp[1], sizeof(mp[1]), "%s", rt_fake_path("b/mnt/my disk"));
	snprintf(mp[2], sizeof(mp[2]), "%s", rt_fake_path("b/srv/sub"));
	rt_fake_write("nodes/vda", "");
	rt_fake_write("nodes/vda1", "");
	/* The root comes first, wherever A's mountinfo listed it. */
	entry(&m, "vda", mp[0], "/", "rw,relatime", "rw");
	entry(&m, "vda", "/", "/", "rw", "rw");
	entry(&m, "vda1", mp[1], "/", "rw,nosuid,noatime",
	      "rw,errors=remount-ro");
	entry(&m, "vda", mp[2], "/sub", "rw,relatime", "rw");
	assert_int_equal(mounts_apply(&m, stage, 1000, out, why, sizeof(why)),
			 0);
	snprintf(want, sizeof(want),
		 "mount %s/vda %s ext4 %#lx -\n"
		 "mount /dev %s/dev - %#lx -\n"
		 "mount /proc %s/proc - %#lx -\n"
		 "mount /sys %s/sys - %#lx -\n"
		 "mount /run %s/run - %#lx -\n"
		 "mount /tmp %s/tmp - %#lx -\n"
		 "chroot %s\n"
		 "mount %s/vda %s ext4 %#lx -\n"
		 "mount %s/vda1 %s ext4 %#lx errors=remount-ro\n"
		 "mount %s/vda %s/mnt-3 ext4 %#lx -\n"
		 "mount %s/mnt-3/sub %s - %#lx -\n"
		 "umount %s/mnt-3 %d\n",
		 nodes, root, (unsigned long)MS_STRICTATIME,
		 root, (unsigned long)(MS_BIND | MS_REC),
		 root, (unsigned long)(MS_BIND | MS_REC),
		 root, (unsigned long)(MS_BIND | MS_REC),
		 root, (unsigned long)(MS_BIND | MS_REC),
		 root, (unsigned long)(MS_BIND | MS_REC), root,
		 nodes, mp[0], (unsigned long)MS_RELATIME,
		 nodes, mp[1], (unsigned long)(MS_NOSUID | MS_NOATIME),
		 nodes, stage, (unsigned long)MS_RELATIME,
		 stage, mp[2], (unsigned long)MS_BIND, stage, MNT_DETACH);
	assert_string_equal(rt_fake_sys_log, want);
	for (int i = 0; i < 3; i++)
		assert_int_equal(stat(mp[i], &st), 0);
	assert_int_equal(stat(rt_fake_path("stage/mnt-3"), &st), -1);
	fflush(out);
	snprintf(want, sizeof(want), "agent: mounted A's root file system "
		 "%s/vda (ext4) on %s and entered it\n", nodes, root);
	assert_has(out_text, want);
	for (int i = 0; i < 5; i++) {
		static const char *const sub[] = { "dev", "proc", "sys", "run",
						   "tmp" };
		char p[700];

		snprintf(p, sizeof(p), "%s/%s", root, sub[i]);
		assert_int_equal(stat(p, &st), 0);
	}
	snprintf(want, sizeof(want), "agent: mounted %s/vda (ext4) on %s\n",
		 nodes, mp[2]);
	assert_has(out_text, want);

	/* The options refused: mounted without them, and said so. */
	rt_fake_sys_reset();
	snprintf(want, sizeof(want), "mount %s/vda1 %s ext4 %#lx errors",
		 nodes, mp[1], (unsigned long)(MS_NOSUID | MS_NOATIME));
	rt_fake_sys_fail = want;
	rt_fake_sys_errno = EINVAL;
	assert_int_equal(mounts_apply(&m, stage, 1000, out, why, sizeof(why)),
			 0);
	fflush(out);
	assert_has(out_text, "vda1 (ext4) refuses the options "
		   "errors=remount-ro here; mounting it without them\n");
	assert_has(rt_fake_sys_log, " -\nmount ");	/* the retry */
	manifest_free(&m);
}

static void test_apply_waits(void **state)
{
	static const struct rt_step steps[] = {
		{ .at = 3, .file = "nodes/vdb", .text = "" },
	};
	struct manifest m = { 0 };
	char mp[600];

	(void)state;
	snprintf(mp, sizeof(mp), "%s", rt_fake_path("b/data"));
	entry(&m, "vdb", mp, "/", "rw", "rw");
	/* The node comes at the third look. */
	rt_fake_script(steps, 1);
	assert_int_equal(mounts_apply(&m, "/nonexistent", 2000, out, why,
				      sizeof(why)), 0);
	assert_int_equal(rt_fake_sleeps, 3);
	/* It never comes. */
	rt_fake_remove("nodes/vdb");
	rt_fake_script(NULL, 0);
	assert_int_equal(mounts_apply(&m, "/nonexistent", 2000, out, why,
				      sizeof(why)), -ENODEV);
	assert_int_equal(rt_fake_sleeps, 20);
	assert_has(why, "nodes/vdb (A's ext4 on ");
	assert_has(why, "b/data, device " PCI_BLK ") did not appear within "
		   "2 s");
	manifest_free(&m);
}

static void test_apply_fails(void **state)
{
	struct manifest m = { 0 };
	char mp[600], want[1200];
	struct stat st;

	(void)state;
	rt_fake_write("nodes/vda", "");
	rt_fake_write("file", "");

	/* A's root file system: a bind, then the chroot, refused. */
	setenv("RELIEF_SYSROOT", rt_fake_path("sysroot"), 1);
	entry(&m, "vda", "/", "/", "rw", "rw");
	rt_fake_sys_fail = "mount /run";
	rt_fake_sys_errno = ENOMEM;
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), -ENOMEM);
	assert_string_equal(why, "cannot bind /run into A's root file system: "
			    "Cannot allocate memory");
	rt_fake_sys_fail = "chroot";
	rt_fake_sys_errno = EPERM;
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), -EPERM);
	snprintf(want, sizeof(want), "cannot enter A's root file system on "
		 "%s: Operation not permitted", rt_fake_path("sysroot"));
	assert_string_equal(why, want);
	unsetenv("RELIEF_SYSROOT");
	manifest_free(&m);

	/* No mount point can be made under a file. */
	snprintf(mp, sizeof(mp), "%s", rt_fake_path("file/data"));
	entry(&m, "vda", mp, "/", "rw", "rw");
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), -ENOTDIR);
	snprintf(want, sizeof(want), "cannot make the mount point %s: Not a "
		 "directory", mp);
	assert_string_equal(why, want);
	manifest_free(&m);

	/* The file system does not mount. */
	snprintf(mp, sizeof(mp), "%s", rt_fake_path("b/data"));
	entry(&m, "vda", mp, "/", "rw", "rw,x");
	rt_fake_sys_fail = "mount";
	rt_fake_sys_fail_all = true;
	rt_fake_sys_errno = EBUSY;
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), -EBUSY);
	snprintf(want, sizeof(want), "cannot mount %s/vda (ext4) on %s: "
		 "Device or resource busy", rt_fake_path("nodes"), mp);
	assert_string_equal(why, want);
	manifest_free(&m);

	/* A bind mount: no place to stage it; its file system; the bind. */
	entry(&m, "vda", mp, "/sub", "rw", "rw");
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), -ENOENT);
	assert_has(why, "(ext4, its /sub) on ");
	assert_int_equal(mounts_apply(&m, rt_fake_path("stage"), 1000, out,
				      why, sizeof(why)), -EBUSY);
	assert_int_equal(stat(rt_fake_path("stage/mnt-0"), &st), -1);
	rt_fake_sys_reset();
	snprintf(want, sizeof(want), "mount %s/mnt-0/sub",
		 rt_fake_path("stage"));
	rt_fake_sys_fail = want;
	rt_fake_sys_errno = EINVAL;
	assert_int_equal(mounts_apply(&m, rt_fake_path("stage"), 1000, out,
				      why, sizeof(why)), -EINVAL);
	assert_has(rt_fake_sys_log, "\numount ");
	assert_int_equal(stat(rt_fake_path("stage/mnt-0"), &st), -1);
	manifest_free(&m);
}

/* A node that is the mount point's own device: mounted already. */
static void test_apply_there(void **state)
{
	struct manifest m = { 0 };
	char mp[600];
	struct stat st;

	(void)state;
	snprintf(mp, sizeof(mp), "%s", rt_fake_path("b"));
	mkdirs("b");
	assert_int_equal(stat(mp, &st), 0);
	if (mknod(rt_fake_path("nodes/vda"), S_IFBLK | 0600, st.st_dev))
		skip();		/* not root */
	entry(&m, "vda", mp, "/", "rw", "rw");
	assert_int_equal(mounts_apply(&m, "/nonexistent", 1000, out, why,
				      sizeof(why)), 0);
	assert_string_equal(rt_fake_sys_log, "");
	fflush(out);
	assert_has(out_text, "/nodes/vda is on ");
	assert_has(out_text, " already\n");
	manifest_free(&m);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_devices),
		T(test_record),
		T(test_freeze_thaw),
		T(test_flags),
		T(test_fd_on),
		T(test_apply),
		T(test_apply_waits),
		T(test_apply_fails),
		T(test_apply_there),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
