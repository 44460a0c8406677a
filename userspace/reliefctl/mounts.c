// SPDX-License-Identifier: GPL-2.0
/* mounts.c - file systems on handed-over devices (mounts.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kstate.h"
#include "mounts.h"
#include "sysio.h"

/* --- recording -------------------------------------------------------- */

/*
 * One mountinfo line: "36 35 254:0 / /mnt/data rw,relatime shared:1 -
 * ext4 /dev/vda rw". 0 with t filled but for dev and pci, and majmin;
 * -1 when it is not such a line (or a field is too long to keep).
 */
static int parse_mountinfo(char *line, struct manifest_mount *t,
			   char *majmin, size_t mmlen)
{
	char *f[6], *save = NULL, *w, *fstype, *src, *super = NULL;
	int n = 0;

	for (w = strtok_r(line, " \n", &save); w && n < 6;
	     w = strtok_r(NULL, " \n", &save))
		f[n++] = w;
	/* Optional fields up to "-", then type, source, options. */
	while (w && strcmp(w, "-"))
		w = strtok_r(NULL, " \n", &save);
	fstype = strtok_r(NULL, " \n", &save);
	src = strtok_r(NULL, " \n", &save);
	if (src)
		super = strtok_r(NULL, " \n", &save);
	if (n < 6 || !w || !super || manifest_unescape(f[3]) ||
	    manifest_unescape(f[4]) || manifest_unescape(super) ||
	    strlen(f[2]) >= mmlen || strlen(f[3]) >= sizeof(t->root) ||
	    strlen(f[4]) >= sizeof(t->mountpoint) ||
	    strlen(f[5]) >= sizeof(t->opts) ||
	    strlen(super) >= sizeof(t->super) ||
	    strlen(fstype) >= sizeof(t->fstype))
		return -1;
	strcpy(majmin, f[2]);
	strcpy(t->root, f[3]);
	strcpy(t->mountpoint, f[4]);
	strcpy(t->opts, f[5]);
	strcpy(t->fstype, fstype);
	strcpy(t->super, super);
	return 0;
}

int mounts_record(const struct devlist *dl, struct manifest *m, char *why,
		  size_t whylen)
{
	const char *path = reliefctl_mountinfo_path();
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;
	FILE *f;

	if (!dl->nr)
		return 0;
	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while (!ret && getline(&line, &cap, f) > 0) {
		struct manifest_mount t = { 0 };
		char mm[32], rel[64];
		int i;

		if (parse_mountinfo(line, &t, mm, sizeof(mm)))
			continue;
		snprintf(rel, sizeof(rel), "dev/block/%s", mm);
		i = devices_owner(dl, rel, t.dev, sizeof(t.dev));
		if (i < 0)
			continue;
		snprintf(t.pci, sizeof(t.pci), "%s", dl->name[i]);
		ret = manifest_add_mount(m, &t);
		if (ret)
			snprintf(why, whylen, "more than %d mounts on the "
				 "handed-over devices", MANIFEST_MOUNTS_MAX);
	}
	free(line);
	fclose(f);
	return ret;
}

/* --- freezing --------------------------------------------------------- */

static bool frozen_dev(const struct mounts_frozen *fz, const char *dev)
{
	for (unsigned int i = 0; i < fz->nr; i++)
		if (!strcmp(fz->devs[i], dev))
			return true;
	return false;
}

int mounts_freeze(const struct manifest *m, struct mounts_frozen *fz,
		  char *why, size_t whylen)
{
	fz->nr = 0;
	fz->paths = calloc(m->nmounts + 1, sizeof(*fz->paths));
	fz->devs = calloc(m->nmounts + 1, sizeof(*fz->devs));
	if (!fz->paths || !fz->devs) {
		mounts_thaw(fz, why, whylen);
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (unsigned int i = m->nmounts; i-- > 0;) {
		const struct manifest_mount *t = &m->mounts[i];
		char ignore[8];
		int ret;

		if (frozen_dev(fz, t->dev))
			continue;
		ret = reliefctl_fsfreeze(t->mountpoint, true);
		if (ret) {
			mounts_thaw(fz, ignore, sizeof(ignore));
			snprintf(why, whylen, "cannot freeze %s (%s on %s) "
				 "before its device is handed over: %s",
				 t->mountpoint, t->fstype, t->dev,
				 strerror(-ret));
			return ret;
		}
		fz->paths[fz->nr] = t->mountpoint;
		fz->devs[fz->nr++] = t->dev;
	}
	return 0;
}

int mounts_thaw(struct mounts_frozen *fz, char *why, size_t whylen)
{
	int first = 0, n = 0;

	while (fz->nr) {
		const char *p = fz->paths[--fz->nr];
		int ret = reliefctl_fsfreeze(p, false);

		if (!ret) {
			n++;
		} else if (!first) {
			first = ret;
			snprintf(why, whylen, "%s stays frozen: %s", p,
				 strerror(-ret));
		}
	}
	free(fz->paths);
	free(fz->devs);
	fz->paths = fz->devs = NULL;
	return first ? first : n;
}

int mounts_fd_on(const struct manifest *m, int fd)
{
	struct stat f, p;

	if (fd < 0 || fstat(fd, &f))
		return -1;
	for (unsigned int i = 0; i < m->nmounts; i++)
		if (!stat(m->mounts[i].mountpoint, &p) && p.st_dev == f.st_dev)
			return (int)i;
	return -1;
}

/* --- mounting in the new kernel --------------------------------------- */

void mounts_flags(const char *opts, const char *super, unsigned long *flags,
		  char *data, size_t len)
{
	static const struct {
		const char *name;
		unsigned long flag;
		bool super;	/* a file system's option, not a mount's */
	} known[] = {
		{ "ro", MS_RDONLY, false }, { "rw", 0, false },
		{ "nosuid", MS_NOSUID, false }, { "nodev", MS_NODEV, false },
		{ "noexec", MS_NOEXEC, false },
		{ "noatime", MS_NOATIME, false },
		{ "nodiratime", MS_NODIRATIME, false },
		{ "relatime", MS_RELATIME, false },
		{ "nosymfollow", MS_NOSYMFOLLOW, false },
		{ "ro", MS_RDONLY, true }, { "rw", 0, true },
		{ "sync", MS_SYNCHRONOUS, true },
		{ "dirsync", MS_DIRSYNC, true },
		{ "mand", MS_MANDLOCK, true },
		{ "lazytime", MS_LAZYTIME, true },
	};
	const char *lists[2] = { opts, super };
	size_t n = 0;

	*flags = 0;
	*data = '\0';
	for (int l = 0; l < 2; l++) {
		char buf[1024], *w, *save = NULL;

		snprintf(buf, sizeof(buf), "%s", lists[l]);
		for (w = strtok_r(buf, ",", &save); w;
		     w = strtok_r(NULL, ",", &save)) {
			size_t k;

			for (k = 0; k < sizeof(known) / sizeof(*known); k++)
				if (known[k].super == l &&
				    !strcmp(known[k].name, w))
					break;
			if (k < sizeof(known) / sizeof(*known))
				*flags |= known[k].flag;
			else if (l && n + strlen(w) + 2 <= len)
				n += (size_t)snprintf(data + n, len - n, "%s%s",
						      n ? "," : "", w);
		}
	}
	/* mountinfo shows no atime option for strictatime. */
	if (!(*flags & (MS_NOATIME | MS_RELATIME)))
		*flags |= MS_STRICTATIME;
}

/* mkdir -p path (0755). 0 or -errno. */
static int make_dirs(const char *path)
{
	char p[MANIFEST_PATH_MAX];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
		if (s)
			*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return -errno;
		if (!s)
			return 0;
		*s = '/';
	}
}

/* Wait at most wait_ms for the device node: 0 or -ENODEV. */
static int wait_node(const char *node, unsigned int wait_ms)
{
	uint64_t deadline = reliefctl_now_ns() + wait_ms * 1000000ull;
	struct stat st;

	while (stat(node, &st)) {
		if (reliefctl_now_ns() >= deadline)
			return -ENODEV;
		reliefctl_sleep_ms(MOUNTS_POLL_MS);
	}
	return 0;
}

/* The device is mounted on mp already: mp shows its file system. */
static bool mounted_here(const char *node, const char *mp)
{
	struct stat d, p;

	return !stat(node, &d) && S_ISBLK(d.st_mode) && !stat(mp, &p) &&
	       p.st_dev == d.st_rdev;
}

/* mount(2), and once more without data if the file system refuses it. */
static int mount_fs(const char *node, const char *target,
		    const struct manifest_mount *t, FILE *out)
{
	unsigned long flags;
	char data[512];
	int ret;

	mounts_flags(t->opts, t->super, &flags, data, sizeof(data));
	ret = reliefctl_mount(node, target, t->fstype, flags,
			      *data ? data : NULL);
	if (ret == -EINVAL && *data) {
		fprintf(out, "agent: %s (%s) refuses the options %s here; "
			"mounting it without them\n", node, t->fstype, data);
		ret = reliefctl_mount(node, target, t->fstype, flags, NULL);
	}
	return ret;
}

/* A bind mount (root is not "/"): the file system in stage, then bind. */
static int mount_bind(const char *node, const char *stage, unsigned int i,
		      const struct manifest_mount *t, FILE *out)
{
	char dir[MANIFEST_PATH_MAX + 600];
	char from[sizeof(dir) + MANIFEST_PATH_MAX];
	int ret;

	snprintf(dir, sizeof(dir), "%s/mnt-%u", stage, i);
	if (mkdir(dir, 0700))
		return -errno;
	ret = mount_fs(node, dir, t, out);
	if (ret) {
		rmdir(dir);
		return ret;
	}
	snprintf(from, sizeof(from), "%s%s", dir, t->root);
	ret = reliefctl_mount(from, t->mountpoint, NULL, MS_BIND, NULL);
	reliefctl_umount(dir, MNT_DETACH);
	rmdir(dir);
	return ret;
}

/*
 * This kernel's own file systems, which the agent, criu and the restored
 * processes need in the root they enter: the kernel's interfaces, the
 * device nodes (with /dev/pts and /dev/shm), and the tmpfs the images
 * were unpacked in.
 */
static const char *const kernel_mounts[] = {
	"/dev", "/proc", "/sys", "/run", "/tmp",
};

/*
 * A's root file system, mounted where the bootstrap keeps a place for it
 * (RELIEF_SYSROOT), becomes the agent's root: this kernel's own file
 * systems are bound into it, then chroot. From there on criu is the root
 * file system's, every other mount is made inside it, and the processes
 * criu restores run from the binaries and files they ran from in A.
 */
static int enter_root(const char *node, const struct manifest_mount *t,
		      FILE *out, char *why, size_t whylen)
{
	const char *sysroot = reliefctl_sysroot_dir();
	char dir[MANIFEST_PATH_MAX + 64];
	int ret = make_dirs(sysroot);

	if (!ret)
		ret = mount_fs(node, sysroot, t, out);
	if (ret) {
		snprintf(why, whylen, "cannot mount A's root file system (%s "
			 "on %s) on %s: %s", t->fstype, node, sysroot,
			 strerror(-ret));
		return ret;
	}
	for (size_t k = 0; k < sizeof(kernel_mounts) / sizeof(*kernel_mounts);
	     k++) {
		snprintf(dir, sizeof(dir), "%s%s", sysroot, kernel_mounts[k]);
		ret = make_dirs(dir);
		if (!ret)
			ret = reliefctl_mount(kernel_mounts[k], dir, NULL,
					      MS_BIND | MS_REC, NULL);
		if (ret) {
			snprintf(why, whylen, "cannot bind %s into A's root "
				 "file system: %s", kernel_mounts[k],
				 strerror(-ret));
			return ret;
		}
	}
	ret = reliefctl_chroot(sysroot);
	if (ret) {
		snprintf(why, whylen, "cannot enter A's root file system on "
			 "%s: %s", sysroot, strerror(-ret));
		return ret;
	}
	fprintf(out, "agent: mounted A's root file system %s (%s) on %s and "
		"entered it\n", node, t->fstype, sysroot);
	return 0;
}

static bool is_root(const struct manifest_mount *t)
{
	return !strcmp(t->mountpoint, "/");
}

bool mounts_has_root(const struct manifest *m)
{
	for (unsigned int i = 0; i < m->nmounts; i++)
		if (is_root(&m->mounts[i]))
			return true;
	return false;
}

static int apply_one(const struct manifest_mount *t, unsigned int i,
		     const char *stage, unsigned int wait_ms, FILE *out,
		     char *why, size_t whylen)
{
	char node[600];
	int ret;

	snprintf(node, sizeof(node), "%s/%s", reliefctl_devnode_dir(), t->dev);
	if (wait_node(node, wait_ms)) {
		snprintf(why, whylen, "%s (A's %s on %s, device %s) did not "
			 "appear within %u s", node, t->fstype, t->mountpoint,
			 t->pci, wait_ms / 1000);
		return -ENODEV;
	}
	if (is_root(t))
		return enter_root(node, t, out, why, whylen);
	ret = make_dirs(t->mountpoint);
	if (ret) {
		snprintf(why, whylen, "cannot make the mount point %s: %s",
			 t->mountpoint, strerror(-ret));
		return ret;
	}
	if (mounted_here(node, t->mountpoint)) {
		fprintf(out, "agent: %s is on %s already\n", node,
			t->mountpoint);
		return 0;
	}
	ret = strcmp(t->root, "/") ? mount_bind(node, stage, i, t, out) :
	      mount_fs(node, t->mountpoint, t, out);
	if (ret) {
		snprintf(why, whylen, "cannot mount %s (%s%s%s) on %s: %s",
			 node, t->fstype, strcmp(t->root, "/") ? ", its " : "",
			 strcmp(t->root, "/") ? t->root : "", t->mountpoint,
			 strerror(-ret));
		return ret;
	}
	fprintf(out, "agent: mounted %s (%s) on %s\n", node, t->fstype,
		t->mountpoint);
	return 0;
}

/* The root first: every other mount point lies in it. */
int mounts_apply(const struct manifest *m, const char *stage,
		 unsigned int wait_ms, FILE *out, char *why, size_t whylen)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < m->nmounts; i++) {
			int ret;

			if (is_root(&m->mounts[i]) != !pass)
				continue;
			ret = apply_one(&m->mounts[i], i, stage, wait_ms, out,
					why, whylen);
			if (ret)
				return ret;
		}
	}
	fflush(out);
	return 0;
}
