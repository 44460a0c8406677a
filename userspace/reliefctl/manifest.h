/* SPDX-License-Identifier: GPL-2.0 */
/*
 * manifest.h - what the old kernel's agent tells the new one's beside the
 * images: which trees, dumped how (both sides must pass criu the same
 * options), and every pid in them (to report, and to kill a partial
 * restore); and what the new kernel must set up before criu restores them
 * on the devices it was handed: the network interfaces (a TCP connection
 * is restored only when its peer is reachable) and the mounted file
 * systems (files are reopened by path). It travels in the pack as the
 * file "relief-trees":
 *
 *   relief-trees 2
 *   network-lock default|iptables|nftables
 *   tree 0 root 1234 shell-job 0 comm counter
 *   pids 0 1234 1235 1240
 *   ...one tree and one pids line per tree, in order; the images of tree
 *   N are in the directory N/. Then, in any order after the trees:
 *   outside 0 3674 3690    (tree 0's unix streams whose peer stays: by
 *                           inode, as criu dumped them; at most one line
 *                           per tree)
 *   link eth0 mac 52:54:00:12:34:56 mtu 1500 up 1 pci 0000:00:03.0
 *   addr eth0 10.0.2.15/24 brd 10.0.2.255
 *   route default via 10.0.2.2 src - dev eth0 metric 0 proto 4 scope 0
 *   mount vda pci 0000:00:02.0 type ext4 on /mnt/data root / opts
 *         rw,relatime super rw        (one line)
 *
 * A link is an interface on a handed-over PCI device, found in the new
 * kernel by its MAC; addr and route lines name a link line's interface
 * (IPv4; "-" where there is none: no broadcast, no gateway, no preferred
 * source; proto and scope are the kernel's numbers). A mount is a file
 * system on a handed-over block device (NAME in /dev, a partition too):
 * its mount point, the directory of the file system it shows (root: not
 * "/" for a bind mount) and its options as /proc/self/mountinfo shows
 * them (opts the mount's, super the file system's), paths escaped as
 * there (\040 for a space). Version 1 (no such lines) is still read.
 */
#ifndef RELIEFCTL_MANIFEST_H
#define RELIEFCTL_MANIFEST_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MANIFEST_NAME		"relief-trees"
#define MANIFEST_TREES_MAX	64
#define MANIFEST_PIDS_MAX	65536	/* in all trees together */
#define MANIFEST_LINKS_MAX	32
#define MANIFEST_ADDRS_MAX	256
#define MANIFEST_ROUTES_MAX	256
#define MANIFEST_MOUNTS_MAX	64
#define MANIFEST_IFNAME		16	/* IFNAMSIZ, with the NUL */
#define MANIFEST_MAC_MAX	32	/* MAX_ADDR_LEN */
#define MANIFEST_PATH_MAX	1024

#define MANIFEST_OUTSIDE_MAX	32	/* streams left behind, per tree */

struct manifest_tree {
	pid_t root;
	bool shell_job;
	char comm[17];
	unsigned int nr;
	pid_t *pids;		/* pids[0] == root */
	/* Its unix streams whose peer stayed with A (unixsk.h), by inode. */
	unsigned int nr_outside;
	unsigned long outside[MANIFEST_OUTSIDE_MAX];
};

/* A network interface on a handed-over device. */
struct manifest_link {
	char name[MANIFEST_IFNAME];
	unsigned char mac[MANIFEST_MAC_MAX];
	unsigned int mac_len;
	unsigned int mtu;
	bool up;
	char pci[32];		/* the device: "0000:00:03.0" */
};

struct manifest_addr {
	char dev[MANIFEST_IFNAME];
	struct in_addr addr;
	unsigned int prefix;
	bool has_brd;
	struct in_addr brd;
};

struct manifest_route {
	char dev[MANIFEST_IFNAME];
	struct in_addr dst;	/* prefix 0: the default route */
	unsigned int prefix;
	bool has_gw;
	struct in_addr gw;
	bool has_src;
	struct in_addr src;
	uint32_t metric;
	unsigned int proto;	/* RTPROT_* */
	unsigned int scope;	/* RT_SCOPE_* */
};

/* A mounted file system on a handed-over block device. */
struct manifest_mount {
	char dev[32];		/* "vda1": /dev/vda1 */
	char pci[32];
	char fstype[32];
	char mountpoint[MANIFEST_PATH_MAX];
	char root[MANIFEST_PATH_MAX];
	char opts[256];		/* the mount's: rw,nosuid,relatime */
	char super[512];	/* the file system's: rw,errors=remount-ro */
};

struct manifest {
	char network_lock[16];	/* "": criu's default */
	unsigned int nr;
	struct manifest_tree trees[MANIFEST_TREES_MAX];
	/* What the new kernel sets up before the restore (malloc'ed). */
	unsigned int nlinks, naddrs, nroutes, nmounts;
	struct manifest_link *links;
	struct manifest_addr *addrs;
	struct manifest_route *routes;
	struct manifest_mount *mounts;
};

/* Write m to path. 0 or -errno. */
int manifest_write(const char *path, const struct manifest *m);
/*
 * manifest_read() - parse path into m (free with manifest_free()). 0,
 * -EBADMSG with why when it is not a manifest this reliefctl wrote, or
 * -errno.
 */
int manifest_read(const char *path, struct manifest *m, char *why,
		  size_t whylen);
void manifest_free(struct manifest *m);
/* Processes in all trees. */
unsigned int manifest_procs(const struct manifest *m);

/* Append a copy of one entry: 0, -E2BIG beyond the maximum, -ENOMEM. */
int manifest_add_link(struct manifest *m, const struct manifest_link *l);
int manifest_add_addr(struct manifest *m, const struct manifest_addr *a);
int manifest_add_route(struct manifest *m, const struct manifest_route *r);
int manifest_add_mount(struct manifest *m, const struct manifest_mount *mt);
/* The link line named name, or NULL. */
const struct manifest_link *manifest_link(const struct manifest *m,
					  const char *name);

/* "52:54:00:12:34:56" into buf (at least 3 * MANIFEST_MAC_MAX). */
void manifest_mac_str(const unsigned char *mac, unsigned int len, char *buf);

/*
 * manifest_escape() - src as one field: space, tab, newline, backslash and
 * other control bytes as \ooo, as /proc/self/mountinfo shows them; "-"
 * when src is empty. manifest_unescape() undoes it in place (a field
 * "-" is empty): 0, or -1 for a backslash that starts no \ooo.
 */
void manifest_escape(const char *src, char *dst, size_t len);
int manifest_unescape(char *s);

#endif /* RELIEFCTL_MANIFEST_H */
