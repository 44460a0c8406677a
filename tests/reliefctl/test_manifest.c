// SPDX-License-Identifier: GPL-2.0
/*
 * test_manifest.c - the list of trees beside the images, with the network
 * and the mounts kernel B sets up: written and read back, and every way a
 * manifest from elsewhere is refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "manifest.h"

static char path[256], why[256];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/manifest-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void put(const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int read_text(const char *text)
{
	struct manifest m;
	int ret;

	put(text, strlen(text));
	ret = manifest_read(path, &m, why, sizeof(why));
	manifest_free(&m);
	return ret;
}

static void test_round_trip(void **state)
{
	pid_t p0[] = { 1234, 1235, 1240 }, p1[] = { 77 };
	struct manifest m = { .nr = 2 }, r;
	char text[512];
	FILE *f;

	(void)state;
	strcpy(m.network_lock, "nftables");
	m.trees[0] = (struct manifest_tree){ .root = 1234, .comm = "counter",
		.nr = 3, .pids = p0 };
	m.trees[1] = (struct manifest_tree){ .root = 77, .shell_job = true,
		.comm = "my job\n(x)", .nr = 1, .pids = p1 };
	assert_int_equal(manifest_write(path, &m), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(text, "relief-trees 2\nnetwork-lock nftables\n"
			    "tree 0 root 1234 shell-job 0 comm counter\n"
			    "pids 0 1234 1235 1240\n"
			    "tree 1 root 77 shell-job 1 comm my job?(x)\n"
			    "pids 1 77\n");
	assert_int_equal(manifest_read(path, &r, why, sizeof(why)), 0);
	assert_string_equal(r.network_lock, "nftables");
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.trees[0].root, 1234);
	assert_false(r.trees[0].shell_job);
	assert_string_equal(r.trees[0].comm, "counter");
	assert_int_equal(r.trees[0].nr, 3);
	assert_memory_equal(r.trees[0].pids, p0, sizeof(p0));
	assert_true(r.trees[1].shell_job);
	assert_string_equal(r.trees[1].comm, "my job?(x)");
	assert_int_equal(manifest_procs(&r), 4);
	assert_int_equal(r.trees[0].nr_outside, 0);
	manifest_free(&r);
	assert_int_equal(r.nr, 0);

	/* Tree 1's streams whose peer stays with A. */
	m.trees[1].nr_outside = 2;
	m.trees[1].outside[0] = 3674;
	m.trees[1].outside[1] = 18446744073709551615ul;
	assert_int_equal(manifest_write(path, &m), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "pids 1 77\noutside 1 3674 "
			       "18446744073709551615\n"));
	assert_int_equal(manifest_read(path, &r, why, sizeof(why)), 0);
	assert_int_equal(r.trees[0].nr_outside, 0);
	assert_int_equal(r.trees[1].nr_outside, 2);
	assert_int_equal(r.trees[1].outside[0], 3674);
	assert_true(r.trees[1].outside[1] == 18446744073709551615ul);
	manifest_free(&r);
	m.trees[1].nr_outside = 0;

	/* No trees, criu's own lock. */
	m.nr = 0;
	m.network_lock[0] = '\0';
	assert_int_equal(manifest_write(path, &m), 0);
	assert_int_equal(manifest_read(path, &r, why, sizeof(why)), 0);
	assert_int_equal(r.nr, 0);
	assert_string_equal(r.network_lock, "");
	manifest_free(&r);
	assert_int_equal(manifest_write("/nonexistent/x", &m), -ENOENT);
}

static void test_many_pids(void **state)
{
	struct manifest m;
	char *text = malloc(1 << 20);
	size_t n;

	(void)state;
	assert_non_null(text);
	n = (size_t)sprintf(text, "relief-trees 1\nnetwork-lock default\n"
			    "tree 0 root 1 shell-job 0 comm big\npids 0");
	for (int i = 1; i <= 1000; i++)
		n += (size_t)sprintf(text + n, " %d", i);
	strcpy(text + n, "\n");
	assert_int_equal(read_text(text), 0);
	put(text, strlen(text));
	assert_int_equal(manifest_read(path, &m, why, sizeof(why)), 0);
	assert_int_equal(m.trees[0].nr, 1000);
	assert_int_equal(m.trees[0].pids[999], 1000);
	manifest_free(&m);
	free(text);
}

#define HEAD "relief-trees 1\nnetwork-lock default\n"

static void test_refusals(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "", "relief-trees line 1: missing" },
		{ "relief-trees 3\n", "relief-trees line 1: not \"relief-trees "
		  "1\" or \"relief-trees 2\"" },
		{ "relief-trees 0\n", "line 1: not" },
		{ "relief-trees 1 \n", "line 1: not" },
		{ "relief-trees 1\n", "relief-trees line 2: missing" },
		{ "relief-trees 1\nnetwork-lock skip\n", "relief-trees line 2: "
		  "no network-lock (default, iptables or nftables)" },
		{ "relief-trees 1\nnetwork-lock iptables x\n", "relief-trees "
		  "line 2: no network-lock (default, iptables or nftables)" },
		{ HEAD "tree 1 root 5 shell-job 0 comm x\npids 1 5\n",
		  "relief-trees line 3: not \"tree 0 root PID shell-job 0|1 "
		  "comm NAME\"" },
		{ HEAD "tree 0 root 0 shell-job 0 comm x\n", "relief-trees "
		  "line 3: not \"tree 0 root PID" },
		{ HEAD "tree 0 root 5 shell-job 2 comm x\n", "line 3: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm 12345678901234567\n",
		  "line 3: not" },
		{ HEAD "tree 0 root 5 shell-job 0\n", "line 3: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\n",
		  "relief-trees line 4: missing" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0 6 5\n",
		  "relief-trees line 4: not \"pids 0 ROOT PID...\" (at most "
		  "65536 pids)" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0\n",
		  "line 4: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0 5 x\n",
		  "line 4: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0 5 0\n",
		  "line 4: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0 5 "
		  "99999999999\n", "line 4: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 1 5\n",
		  "line 4: not" },
		{ HEAD "tree 0 root 5 shell-job 0 comm x\npids 0 5 \n",
		  "line 4: not" },
	};
	struct manifest m;
	char *text;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(read_text(cases[i].text), -EBADMSG);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' not in '%s'", i, cases[i].why,
				 why);
	}
	/* A NUL byte; more than 64 trees; more than 1 MiB. */
	put(HEAD "\0", sizeof(HEAD));
	assert_int_equal(manifest_read(path, &m, why, sizeof(why)), -EBADMSG);
	assert_string_equal(why, "relief-trees line 0: not a text file of at "
			    "most 1048576 bytes");
	text = malloc(2 << 20);
	assert_non_null(text);
	n = (size_t)sprintf(text, HEAD);
	for (int i = 0; i < 65; i++)
		n += (size_t)sprintf(text + n, "tree %d root %d shell-job 0 "
				     "comm x\npids %d %d\n", i, i + 1, i,
				     i + 1);
	assert_int_equal(read_text(text), -EBADMSG);
	assert_string_equal(why, "relief-trees line 131: more than 64 trees");
	memset(text, 'x', (1 << 20) + 1);
	put(text, (1 << 20) + 1);
	assert_int_equal(manifest_read(path, &m, why, sizeof(why)), -EBADMSG);
	free(text);
	unlink(path);
	assert_int_equal(manifest_read(path, &m, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "No such file or directory"));
}

/* --- what kernel B sets up -------------------------------------------- */

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* One tree, two interfaces, their addresses and routes, three mounts. */
static void setup_manifest(struct manifest *m)
{
	static pid_t p0[] = { 1006 };
	struct manifest_link l = { .name = "eth0", .mac = { 0x52, 0x54, 0, 0x12,
		0x34, 0x56 }, .mac_len = 6, .mtu = 1500, .up = true,
		.pci = "0000:00:03.0" };
	struct manifest_addr a = { .dev = "eth0", .addr = ip("10.0.2.15"),
		.prefix = 24, .has_brd = true, .brd = ip("10.0.2.255") };
	struct manifest_route r = { .dev = "eth0", .has_gw = true,
		.gw = ip("10.0.2.2"), .proto = 4 };
	struct manifest_mount mt = { .dev = "vda", .pci = "0000:00:02.0",
		.fstype = "ext4", .mountpoint = "/mnt/data", .root = "/",
		.opts = "rw,relatime", .super = "rw" };

	memset(m, 0, sizeof(*m));
	m->nr = 1;
	m->trees[0] = (struct manifest_tree){ .root = 1006, .comm = "echo",
		.nr = 1, .pids = p0 };
	assert_int_equal(manifest_add_link(m, &l), 0);
	strcpy(l.name, "eth1");
	l.mac_len = 1;
	l.up = false;
	l.mtu = 9000;
	assert_int_equal(manifest_add_link(m, &l), 0);
	assert_int_equal(manifest_add_addr(m, &a), 0);
	a.addr = ip("192.168.1.7");
	a.prefix = 32;
	a.has_brd = false;
	strcpy(a.dev, "eth1");
	assert_int_equal(manifest_add_addr(m, &a), 0);
	assert_int_equal(manifest_add_route(m, &r), 0);
	r = (struct manifest_route){ .dev = "eth1", .dst = ip("10.9.0.0"),
		.prefix = 16, .has_src = true, .src = ip("192.168.1.7"),
		.metric = 100, .proto = 3, .scope = 253 };
	assert_int_equal(manifest_add_route(m, &r), 0);
	assert_int_equal(manifest_add_mount(m, &mt), 0);
	strcpy(mt.dev, "vda1");
	strcpy(mt.mountpoint, "/mnt/my disk\\\t\n");
	strcpy(mt.opts, "ro,nosuid");
	strcpy(mt.super, "ro,errors=remount-ro");
	assert_int_equal(manifest_add_mount(m, &mt), 0);
	strcpy(mt.dev, "vda");
	strcpy(mt.mountpoint, "/srv/sub");
	strcpy(mt.root, "/sub");
	assert_int_equal(manifest_add_mount(m, &mt), 0);
}

static void test_setup_round_trip(void **state)
{
	struct manifest m, r;
	char text[2048];
	FILE *f;

	(void)state;
	setup_manifest(&m);
	assert_int_equal(manifest_write(path, &m), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(text, "relief-trees 2\nnetwork-lock default\n"
		"tree 0 root 1006 shell-job 0 comm echo\npids 0 1006\n"
		"link eth0 mac 52:54:00:12:34:56 mtu 1500 up 1 pci "
		"0000:00:03.0\n"
		"link eth1 mac 52 mtu 9000 up 0 pci 0000:00:03.0\n"
		"addr eth0 10.0.2.15/24 brd 10.0.2.255\n"
		"addr eth1 192.168.1.7/32 brd -\n"
		"route default via 10.0.2.2 src - dev eth0 metric 0 proto 4 "
		"scope 0\n"
		"route 10.9.0.0/16 via - src 192.168.1.7 dev eth1 metric 100 "
		"proto 3 scope 253\n"
		"mount vda pci 0000:00:02.0 type ext4 on /mnt/data root / opts "
		"rw,relatime super rw\n"
		"mount vda1 pci 0000:00:02.0 type ext4 on "
		"/mnt/my\\040disk\\134\\011\\012 root / opts ro,nosuid super "
		"ro,errors=remount-ro\n"
		"mount vda pci 0000:00:02.0 type ext4 on /srv/sub root /sub "
		"opts ro,nosuid super ro,errors=remount-ro\n");
	assert_int_equal(manifest_read(path, &r, why, sizeof(why)), 0);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.nlinks, 2);
	for (unsigned int i = 0; i < 2; i++) {
		const struct manifest_link *a = &r.links[i], *b = &m.links[i];

		assert_string_equal(a->name, b->name);
		assert_int_equal(a->mac_len, b->mac_len);
		assert_memory_equal(a->mac, b->mac, a->mac_len);
		assert_int_equal(a->mtu, b->mtu);
		assert_int_equal(a->up, b->up);
		assert_string_equal(a->pci, b->pci);
	}
	assert_int_equal(r.naddrs, 2);
	for (unsigned int i = 0; i < 2; i++) {
		const struct manifest_addr *a = &r.addrs[i], *b = &m.addrs[i];

		assert_string_equal(a->dev, b->dev);
		assert_int_equal(a->addr.s_addr, b->addr.s_addr);
		assert_int_equal(a->prefix, b->prefix);
		assert_int_equal(a->has_brd, b->has_brd);
		if (a->has_brd)
			assert_int_equal(a->brd.s_addr, b->brd.s_addr);
	}
	assert_int_equal(r.nroutes, 2);
	for (unsigned int i = 0; i < 2; i++) {
		const struct manifest_route *a = &r.routes[i];
		const struct manifest_route *b = &m.routes[i];

		assert_string_equal(a->dev, b->dev);
		assert_int_equal(a->dst.s_addr, b->dst.s_addr);
		assert_int_equal(a->prefix, b->prefix);
		assert_int_equal(a->has_gw, b->has_gw);
		if (a->has_gw)
			assert_int_equal(a->gw.s_addr, b->gw.s_addr);
		assert_int_equal(a->has_src, b->has_src);
		if (a->has_src)
			assert_int_equal(a->src.s_addr, b->src.s_addr);
		assert_int_equal(a->metric, b->metric);
		assert_int_equal(a->proto, b->proto);
		assert_int_equal(a->scope, b->scope);
	}
	assert_int_equal(r.nmounts, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_string_equal(r.mounts[i].dev, m.mounts[i].dev);
		assert_string_equal(r.mounts[i].pci, m.mounts[i].pci);
		assert_string_equal(r.mounts[i].fstype, m.mounts[i].fstype);
		assert_string_equal(r.mounts[i].mountpoint,
				    m.mounts[i].mountpoint);
		assert_string_equal(r.mounts[i].root, m.mounts[i].root);
		assert_string_equal(r.mounts[i].opts, m.mounts[i].opts);
		assert_string_equal(r.mounts[i].super, m.mounts[i].super);
	}
	assert_non_null(manifest_link(&r, "eth1"));
	assert_null(manifest_link(&r, "eth2"));
	manifest_free(&r);
	assert_null(r.links);
	assert_int_equal(r.nmounts, 0);
	m.trees[0].pids = NULL;	/* static */
	manifest_free(&m);
}

static void test_fields(void **state)
{
	char buf[64], big[4 * MANIFEST_PATH_MAX + 1], mac[100];
	unsigned char bytes[MANIFEST_MAC_MAX];
	struct manifest m = { 0 };
	struct manifest_link l = { .name = "x" };
	struct manifest_mount mt = { .dev = "d" };
	int i;

	(void)state;
	manifest_escape("", buf, sizeof(buf));
	assert_string_equal(buf, "-");
	manifest_escape("a b\x7f", buf, sizeof(buf));
	assert_string_equal(buf, "a\\040b\\177");
	manifest_escape("     ", buf, 12);	/* room for two only */
	assert_string_equal(buf, "\\040\\040");
	strcpy(buf, "-");
	assert_int_equal(manifest_unescape(buf), 0);
	assert_string_equal(buf, "");
	strcpy(buf, "x\\101\\040y");
	assert_int_equal(manifest_unescape(buf), 0);
	assert_string_equal(buf, "xA y");
	strcpy(buf, "\\4000");
	assert_int_equal(manifest_unescape(buf), -1);
	strcpy(buf, "\\08");
	assert_int_equal(manifest_unescape(buf), -1);
	strcpy(buf, "\\0");
	assert_int_equal(manifest_unescape(buf), -1);
	memset(big, ' ', sizeof(big) - 1);
	big[MANIFEST_PATH_MAX - 1] = '\0';
	manifest_escape(big, big + MANIFEST_PATH_MAX, 3 * MANIFEST_PATH_MAX);
	for (i = 0; i < MANIFEST_MAC_MAX; i++)
		bytes[i] = (unsigned char)(0xf0 + i);
	manifest_mac_str(bytes, 2, mac);
	assert_string_equal(mac, "f0:f1");
	manifest_mac_str(bytes, 0, mac);
	assert_string_equal(mac, "");
	manifest_mac_str(bytes, MANIFEST_MAC_MAX, mac);
	assert_int_equal(strlen(mac), 3 * MANIFEST_MAC_MAX - 1);

	/* Each kind has its maximum. */
	for (i = 0; i < MANIFEST_LINKS_MAX; i++)
		assert_int_equal(manifest_add_link(&m, &l), 0);
	assert_int_equal(manifest_add_link(&m, &l), -E2BIG);
	for (i = 0; i < MANIFEST_ADDRS_MAX; i++)
		assert_int_equal(manifest_add_addr(&m,
				 &(struct manifest_addr){ .prefix = 1 }), 0);
	assert_int_equal(manifest_add_addr(&m, &(struct manifest_addr){ 0 }),
			 -E2BIG);
	for (i = 0; i < MANIFEST_ROUTES_MAX; i++)
		assert_int_equal(manifest_add_route(&m,
				 &(struct manifest_route){ .metric = 1 }), 0);
	assert_int_equal(manifest_add_route(&m, &(struct manifest_route){ 0 }),
			 -E2BIG);
	for (i = 0; i < MANIFEST_MOUNTS_MAX; i++)
		assert_int_equal(manifest_add_mount(&m, &mt), 0);
	assert_int_equal(manifest_add_mount(&m, &mt), -E2BIG);
	assert_int_equal(m.nlinks + m.naddrs + m.nroutes + m.nmounts,
			 MANIFEST_LINKS_MAX + MANIFEST_ADDRS_MAX +
			 MANIFEST_ROUTES_MAX + MANIFEST_MOUNTS_MAX);
	manifest_free(&m);
}

#define TREE "relief-trees 2\nnetwork-lock default\ntree 0 root 5 " \
	"shell-job 0 comm x\npids 0 5\n"
#define LINK "link eth0 mac 52:54:00:12:34:56 mtu 1500 up 1 pci 0000:00:03.0\n"
#define NOT_LINK "not \"link NAME mac MAC mtu N up 0|1 pci DEV\" (a new " \
	"name, at most 32 such lines)"
#define NOT_ADDR "not \"addr LINK ADDR/LEN brd ADDR|-\" (a link's, IPv4, " \
	"at most 256 such lines)"
#define NOT_ROUTE "not \"route DST/LEN|default via GW|- src ADDR|- dev " \
	"LINK metric N proto N scope N\" (a link's, IPv4, at most 256 " \
	"such lines)"
#define NOT_MOUNT "not \"mount DEV pci PCI type FS on PATH root PATH opts " \
	"OPTS super OPTS\" (absolute paths, at most 64 such lines)"
#define NOT_OUTSIDE "not \"outside TREE INO...\" (one per tree, with at " \
	"most 32 inodes, at most 64 such lines)"
#define MOUNT(dev, on, root, opts, super) "mount " dev " pci 1 type ext4 " \
	"on " on " root " root " opts " opts " super " super "\n"
#define ROUTE(dst, via, src, dev, tail) "route " dst " via " via " src " src \
	" dev " dev " metric 0 proto " tail "\n"

static void test_setup_refusals(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ TREE "link eth0 mac 52:54:00:12:34:5 mtu 1 up 1 pci p\n",
		  "line 5: " NOT_LINK },
		{ TREE "link eth0 mac 5z mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth0 mac 52: mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth0 mac 52-54 mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth0 mac 00:01:02:03:04:05:06:07:08:09:10:11:12:"
		  "13:14:15:16:17:18:19:20:21:22:23:24:25:26:27:28:29:30:31:"
		  "32 mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth/0 mac 52 mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth:0 mac 52 mtu 1 up 1 pci p\n", NOT_LINK },
		{ TREE "link 0123456789abcdef mac 52 mtu 1 up 1 pci p\n",
		  NOT_LINK },
		{ TREE "link eth0 mac 52 mtu 0 up 1 pci p\n", NOT_LINK },
		{ TREE "link eth0 mac 52 mtu 1 up 2 pci p\n", NOT_LINK },
		{ TREE "link eth0 mac 52 mtu 1 up 1 pci p x\n", NOT_LINK },
		{ TREE LINK LINK, "line 6: " NOT_LINK },
		{ TREE "addr eth0 10.0.2.15/24 brd -\n", "line 5: " NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2.15/33 brd -\n", NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2/24 brd -\n", NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2.15 brd -\n", NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2.15/24x brd -\n", NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2.15/24 brd x\n", NOT_ADDR },
		{ TREE LINK "addr eth0 10.0.2.15/24 brd - x\n", NOT_ADDR },
		{ TREE ROUTE("default", "-", "-", "eth0", "0 scope 0"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("10.0.0.0", "-", "-", "eth0", "0 scope 0"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("default", "x", "-", "eth0", "0 scope 0"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("default", "-", "1.2.3", "eth0", "0 scope 0"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("default", "-", "-", "eth0", "256 scope 0"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("default", "-", "-", "eth0", "0 scope 256"),
		  NOT_ROUTE },
		{ TREE LINK ROUTE("default", "-", "-", "eth0", "0 scope 0 x"),
		  NOT_ROUTE },
		{ TREE MOUNT("v/da", "/m", "/", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("v\\040a", "/m", "/", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "m", "/", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "sub", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m\\9", "/", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "/\\9", "rw", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "/", "\\9", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "/", "rw", "\\9"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "/", "-", "rw"), NOT_MOUNT },
		{ TREE MOUNT("vda", "/m", "/", "rw", "-"), NOT_MOUNT },
		{ TREE MOUNT("vda", "-", "/", "rw", "rw"), NOT_MOUNT },
		{ TREE "mount vda pci 1 type ext4 on /m root / opts rw super "
		  "rw x\n", NOT_MOUNT },
		{ TREE "outside 1 5\n", "line 5: " NOT_OUTSIDE },
		{ TREE "outside 0\n", NOT_OUTSIDE },
		{ TREE "outside 0 \n", NOT_OUTSIDE },
		{ TREE "outside 0 0\n", NOT_OUTSIDE },
		{ TREE "outside 0 07\n", NOT_OUTSIDE },
		{ TREE "outside 0 5x\n", NOT_OUTSIDE },
		{ TREE "outside 0 5  6\n", NOT_OUTSIDE },
		{ TREE "outside 0 -5\n", NOT_OUTSIDE },
		{ TREE "outside 0 18446744073709551616\n", NOT_OUTSIDE },
		{ TREE "outside 0 5\noutside 0 6\n", "line 6: " NOT_OUTSIDE },
		{ TREE "outside 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
		  "19 20 21 22 23 24 25 26 27 28 29 30 31 32 33\n",
		  NOT_OUTSIDE },
		/* Setup lines come after the trees; version 1 has none. */
		{ TREE LINK "tree 1 root 6 shell-job 0 comm y\npids 1 6\n",
		  "line 6: not \"tree 1 root PID" },
		{ "relief-trees 1\nnetwork-lock default\n" LINK,
		  "line 3: not \"tree 0 root PID" },
		{ TREE "linkage\n", "line 5: not \"tree 1 root PID" },
		{ TREE "frob x\n", "line 5: not \"tree 1 root PID" },
	};
	struct manifest m;
	char *text;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(read_text(cases[i].text), -EBADMSG);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' not in '%s'", i, cases[i].why,
				 why);
	}
	/* A long path, escaped to four times its length, still reads. */
	text = malloc(16 << 10);
	assert_non_null(text);
	n = (size_t)sprintf(text, TREE "mount vda pci 1 type ext4 on /");
	for (int i = 0; i < MANIFEST_PATH_MAX - 2; i++)
		n += (size_t)sprintf(text + n, "\\040");
	strcpy(text + n, " root / opts rw super rw\n");
	put(text, strlen(text));
	assert_int_equal(manifest_read(path, &m, why, sizeof(why)), 0);
	assert_int_equal(strlen(m.mounts[0].mountpoint), MANIFEST_PATH_MAX - 1);
	manifest_free(&m);
	/* One byte more does not fit. */
	strcpy(text + n, "\\040 root / opts rw super rw\n");
	assert_int_equal(read_text(text), -EBADMSG);
	assert_non_null(strstr(why, NOT_MOUNT));
	/* More of a kind than a manifest holds. */
	n = (size_t)sprintf(text, TREE);
	for (int i = 0; i <= MANIFEST_LINKS_MAX; i++)
		n += (size_t)sprintf(text + n, "link e%d mac 52 mtu 1 up 1 pci "
				     "p\n", i);
	assert_int_equal(read_text(text), -EBADMSG);
	assert_non_null(strstr(why, "line 37: " NOT_LINK));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_pids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setup_round_trip, setup,
						teardown),
		cmocka_unit_test(test_fields),
		cmocka_unit_test_setup_teardown(test_setup_refusals, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
