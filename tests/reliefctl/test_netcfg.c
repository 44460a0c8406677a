// SPDX-License-Identifier: GPL-2.0
/*
 * test_netcfg.c - the network setup recorded in the old kernel and set up
 * again in the new one, against the real kernel in a network namespace of
 * the test's own (helper_netns.c; skipped where the test may not make
 * one): veth pairs stand in for the NICs, a fake sysfs says which sits on
 * a handed-over device. Recording keeps only those, their addresses and
 * routes (not the kernel's own); setting up finds an interface by its MAC
 * and renames it, gives it its MTU and addresses, brings it up and adds
 * the routes (a gateway reached through a later route too), twice without
 * harm; and each refusal says why. The clock is the fake one: waiting for
 * an interface that never comes takes no time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "helper_fake.h"
#include "helper_netns.h"
#include "netcfg.h"
#include "rtnl.h"

#define PCI_NET	"0000:00:03.0"
#define NET	"devices/pci0000:00/" PCI_NET "/virtio2/net"

static char why[1200], *out_text;
static size_t out_len;
static FILE *out;
static int netns = -1;		/* 0: in a namespace of our own */

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void sh(const char *fmt, ...)
{
	char cmd[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* name's sysfs entry, on the handed-over device or on none. */
static void sysfs_if(const char *name, int handed)
{
	const char *root = rt_fake_path("root");

	if (handed) {
		sh("mkdir -p '%s/" NET "/%s' && ln -s ../../../virtio2 "
		   "'%s/" NET "/%s/device'", root, name, root, name);
		sh("mkdir -p '%s/class/net' && ln -s ../../" NET "/%s "
		   "'%s/class/net/%s'", root, name, root, name);
	} else {
		sh("mkdir -p '%s/devices/virtual/net/%s' '%s/class/net' && "
		   "ln -s ../../devices/virtual/net/%s '%s/class/net/%s'",
		   root, name, root, name, root, name);
	}
}

/*
 * v0 <-> v1 (MACs 02:..:01, 02:..:02) and w0 <-> w1 (..:03, ..:04), all
 * down; v0 alone is on the handed-over device.
 */
static int setup(void **state)
{
	(void)state;
	if (netns < 0)
		netns = rt_netns_enter();
	rt_fake_init();
	rt_fake_script(NULL, 0);
	rt_fake_write("sys/devices", PCI_NET " virtio-pci movable\n");
	setenv("RELIEF_SYS", rt_fake_path("root"), 1);
	sysfs_if("v0", 1);
	sysfs_if("v1", 0);
	if (!netns) {
		assert_int_equal(rt_veth_add("v0", 1, "v1", 2), 0);
		assert_int_equal(rt_veth_add("w0", 3, "w1", 4), 0);
	}
	out = open_memstream(&out_text, &out_len);
	return 0;
}

/* Every interface but the loopback goes. */
static void del_links(void)
{
	struct rtnl_state s;

	assert_int_equal(rtnl_dump(&s), 0);
	for (unsigned int i = 0; i < s.nlinks; i++) {
		char cmd[64];

		if (s.links[i].flags & IFF_LOOPBACK)
			continue;
		/* Deleting one end of a pair deletes both. */
		snprintf(cmd, sizeof(cmd), "%s", s.links[i].name);
		if (!if_nametoindex(cmd))
			continue;
		assert_int_equal(rt_netlink_del(s.links[i].index), 0);
	}
	rtnl_free(&s);
}

static int teardown(void **state)
{
	(void)state;
	if (!netns)
		del_links();
	fclose(out);
	free(out_text);
	out_text = NULL;
	rt_fake_cleanup();
	unsetenv("RELIEF_SYS");
	return 0;
}

static void need_netns(void)
{
	if (netns)
		skip();
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

static void up(const char *name)
{
	assert_int_equal(rtnl_set_link(rt_ifindex(name), NULL, 0, 1), 0);
}

static void addr(const char *name, const char *a, unsigned int prefix,
		 const char *brd)
{
	struct manifest_addr d = { .addr = ip(a), .prefix = prefix };

	if (brd) {
		d.has_brd = true;
		d.brd = ip(brd);
	}
	assert_int_equal(rtnl_add_addr(rt_ifindex(name), &d), 0);
}

static struct manifest_route route(const char *dev, const char *dst,
				   unsigned int prefix, const char *gw)
{
	struct manifest_route r = { .prefix = prefix, .proto = RTPROT_BOOT };

	snprintf(r.dev, sizeof(r.dev), "%s", dev);
	if (dst)
		r.dst = ip(dst);
	if (gw) {
		r.has_gw = true;
		r.gw = ip(gw);
	} else {
		r.scope = RT_SCOPE_LINK;
	}
	return r;
}

/* --- recording -------------------------------------------------------- */

static void test_record(void **state)
{
	struct manifest_route r = route("", "10.20.0.0", 16, "10.9.0.254");
	struct devlist dl = { .nr = 1, .name = { PCI_NET } };
	struct manifest m = { 0 };

	(void)state;
	need_netns();
	up("lo");
	up("v0");
	up("w0");
	addr("v0", "10.9.0.1", 24, "10.9.0.255");
	addr("v0", "10.9.0.7", 32, NULL);
	addr("w0", "10.8.0.1", 24, NULL);
	r.metric = 100;
	r.has_src = true;
	r.src = ip("10.9.0.7");
	assert_int_equal(rtnl_add_route(rt_ifindex("v0"), &r), 0);
	r = route("", NULL, 0, "10.9.0.254");
	assert_int_equal(rtnl_add_route(rt_ifindex("v0"), &r), 0);
	r = route("", NULL, 0, "10.8.0.254");
	r.metric = 5;
	assert_int_equal(rtnl_add_route(rt_ifindex("w0"), &r), 0);

	assert_int_equal(netcfg_record(&dl, &m, out, why, sizeof(why)), 0);
	assert_int_equal(m.nlinks, 1);
	assert_string_equal(m.links[0].name, "v0");
	assert_int_equal(m.links[0].mac_len, 6);
	assert_int_equal(m.links[0].mac[5], 1);
	assert_int_equal(m.links[0].mtu, 1500);
	assert_true(m.links[0].up);
	assert_string_equal(m.links[0].pci, PCI_NET);
	assert_int_equal(m.naddrs, 2);
	assert_string_equal(m.addrs[0].dev, "v0");
	assert_int_equal(m.addrs[0].addr.s_addr, ip("10.9.0.1").s_addr);
	assert_int_equal(m.addrs[0].prefix, 24);
	assert_true(m.addrs[0].has_brd);
	assert_int_equal(m.addrs[0].brd.s_addr, ip("10.9.0.255").s_addr);
	assert_int_equal(m.addrs[1].prefix, 32);
	assert_false(m.addrs[1].has_brd);
	/* The default route and 10.20/16: not the kernel's 10.9.0/24. */
	assert_int_equal(m.nroutes, 2);
	for (unsigned int i = 0; i < 2; i++) {
		const struct manifest_route *g = &m.routes[i];

		assert_string_equal(g->dev, "v0");
		assert_true(g->has_gw);
		assert_int_equal(g->gw.s_addr, ip("10.9.0.254").s_addr);
		assert_int_equal(g->proto, RTPROT_BOOT);
		if (g->prefix) {
			assert_int_equal(g->prefix, 16);
			assert_int_equal(g->dst.s_addr, ip("10.20.0.0").s_addr);
			assert_int_equal(g->metric, 100);
			assert_true(g->has_src);
		} else {
			assert_int_equal(g->metric, 0);
			assert_false(g->has_src);
		}
	}
	fflush(out);
	assert_has(out_text, "agent: v1 is on no handed-over device: kernel B "
		   "will not set it up\n");
	assert_has(out_text, "agent: w0 is on no handed-over device");
	assert_has(out_text, "agent: v0 (02:00:00:00:00:01 on " PCI_NET ", mtu "
		   "1500, up): 10.9.0.1/24 10.9.0.7/32, 2 routes\n");
	manifest_free(&m);

	/* Nothing handed over: nothing read. */
	dl.nr = 0;
	assert_int_equal(netcfg_record(&dl, &m, out, why, sizeof(why)), 0);
	assert_int_equal(m.nlinks, 0);

	/* Every handed-over interface's routes, as many as a manifest holds. */
	dl.nr = 1;
	for (unsigned int i = 0; i < MANIFEST_ROUTES_MAX; i++) {
		char dst[32];

		snprintf(dst, sizeof(dst), "10.%u.%u.0", 100 + i / 200,
			 i % 200);
		r = route("", dst, 24, "10.9.0.254");
		assert_int_equal(rtnl_add_route(rt_ifindex("v0"), &r), 0);
	}
	assert_int_equal(netcfg_record(&dl, &m, out, why, sizeof(why)), -E2BIG);
	assert_string_equal(why, "cannot record the network setup: too many "
			    "interfaces, addresses or routes");
	manifest_free(&m);
}

/* --- setting up ------------------------------------------------------- */

/*
 * What B must make of v1: eth7, its MTU, addresses, routes; and of w1,
 * down: eth8.
 */
static void b_manifest(struct manifest *m)
{
	struct manifest_link l = { .name = "eth7", .mac = { 2, 0, 0, 0, 0, 2 },
		.mac_len = 6, .mtu = 1400, .up = true, .pci = PCI_NET };
	struct manifest_addr a = { .dev = "eth7", .addr = ip("10.9.0.2"),
		.prefix = 24, .has_brd = true, .brd = ip("10.9.0.255") };
	struct manifest_route r;

	memset(m, 0, sizeof(*m));
	assert_int_equal(manifest_add_link(m, &l), 0);
	assert_int_equal(manifest_add_addr(m, &a), 0);
	r = route("eth7", NULL, 0, "10.9.0.1");
	assert_int_equal(manifest_add_route(m, &r), 0);
	/* Its gateway is reached through the route after it. */
	r = route("eth7", "10.30.0.0", 16, "10.40.0.1");
	r.metric = 7;
	assert_int_equal(manifest_add_route(m, &r), 0);
	r = route("eth7", "10.40.0.0", 16, NULL);
	assert_int_equal(manifest_add_route(m, &r), 0);
	strcpy(l.name, "eth8");
	l.mac[5] = 4;
	l.mtu = 1500;
	l.up = false;
	assert_int_equal(manifest_add_link(m, &l), 0);
	strcpy(a.dev, "eth8");
	a.addr = ip("10.50.0.1");
	assert_int_equal(manifest_add_addr(m, &a), 0);
}

static const struct rtnl_route *find_route(const struct rtnl_state *s,
					   const char *dst, unsigned int len)
{
	for (unsigned int i = 0; i < s->nroutes; i++)
		if (s->routes[i].table == RT_TABLE_MAIN &&
		    s->routes[i].r.prefix == len &&
		    s->routes[i].r.dst.s_addr == ip(dst).s_addr)
			return &s->routes[i];
	return NULL;
}

static void test_apply(void **state)
{
	const struct rtnl_link *k;
	const struct rtnl_route *r;
	struct rtnl_state s;
	struct manifest m;
	int index = rt_ifindex("v1");

	(void)state;
	need_netns();
	b_manifest(&m);
	up("v1");
	assert_int_equal(netcfg_apply(&m, 1000, out, why, sizeof(why)), 0);
	assert_int_equal(rtnl_dump(&s), 0);
	k = rtnl_link_by_index(&s, index);
	assert_non_null(k);
	assert_string_equal(k->name, "eth7");
	assert_int_equal(k->mtu, 1400);
	assert_true(k->flags & IFF_UP);
	assert_int_equal(s.naddrs, 2 + 1);	/* and lo's 127.0.0.1 */
	k = rtnl_link_by_index(&s, rt_ifindex("eth8"));
	assert_non_null(k);
	assert_false(k->flags & IFF_UP);
	r = find_route(&s, "0.0.0.0", 0);
	assert_non_null(r);
	assert_int_equal(r->oif, index);
	assert_int_equal(r->r.gw.s_addr, ip("10.9.0.1").s_addr);
	r = find_route(&s, "10.30.0.0", 16);
	assert_non_null(r);
	assert_int_equal(r->r.metric, 7);
	assert_non_null(find_route(&s, "10.40.0.0", 16));
	rtnl_free(&s);
	fflush(out);
	assert_has(out_text, "agent: v1 is eth7 again\nagent: eth7 "
		   "(02:00:00:00:00:02 on " PCI_NET ", mtu 1400, up): "
		   "10.9.0.2/24, 3 routes\nagent: w1 is eth8 again\nagent: eth8 "
		   "(02:00:00:00:00:04 on " PCI_NET ", mtu 1500, down): "
		   "10.50.0.1/24, 0 routes\nagent: 3 routes in place\n");

	/* Again: all there, nothing to do, no harm. */
	fseek(out, 0, SEEK_SET);
	assert_int_equal(netcfg_apply(&m, 1000, out, why, sizeof(why)), 0);
	fflush(out);
	assert_true(strncmp(out_text, "agent: eth7 (", 13) == 0);

	/* A link that was down: no routes for it. */
	m.links[0].up = false;
	m.links[1].up = true;
	fseek(out, 0, SEEK_SET);
	assert_int_equal(netcfg_apply(&m, 1000, out, why, sizeof(why)), 0);
	fflush(out);
	assert_has(out_text, "agent: 0 routes in place (those of interfaces "
		   "that were down are not)\n");
	manifest_free(&m);
}

static void test_apply_fails(void **state)
{
	struct manifest m;

	(void)state;
	need_netns();
	/* No interface with that MAC comes. */
	b_manifest(&m);
	m.links[0].mac[5] = 9;
	assert_int_equal(netcfg_apply(&m, 2000, out, why, sizeof(why)),
			 -ENODEV);
	assert_string_equal(why, "no interface with eth7's MAC "
			    "02:00:00:00:00:09 (device " PCI_NET ") appeared "
			    "within 2 s");
	assert_int_equal(rt_fake_sleeps, 20);

	/* Its name is another's here. */
	m.links[0].mac[5] = 2;
	strcpy(m.links[0].name, "w0");
	assert_int_equal(netcfg_apply(&m, 2000, out, why, sizeof(why)),
			 -EEXIST);
	assert_string_equal(why, "cannot name v1 w0: another interface has "
			    "that name here");
	/* A name Linux refuses, an MTU, an address, a route. */
	strcpy(m.links[0].name, "a b");
	up("v1");
	assert_true(netcfg_apply(&m, 2000, out, why, sizeof(why)) < 0);
	assert_has(why, "cannot rename v1 to a b: ");
	strcpy(m.links[0].name, "v1");
	m.links[0].mtu = 1 << 20;
	assert_true(netcfg_apply(&m, 2000, out, why, sizeof(why)) < 0);
	assert_string_equal(why, "cannot set v1's MTU to 1048576: Invalid "
			    "argument");
	manifest_free(&m);
	b_manifest(&m);
	strcpy(m.links[0].name, "v1");
	strcpy(m.addrs[0].dev, "v1");
	m.addrs[0].prefix = 33;
	assert_true(netcfg_apply(&m, 2000, out, why, sizeof(why)) < 0);
	assert_has(why, "cannot give v1 the address 10.9.0.2/33: ");
	m.addrs[0].prefix = 24;
	for (unsigned int i = 0; i < m.nroutes; i++)
		strcpy(m.routes[i].dev, "v1");
	m.routes[2].has_gw = true;
	m.routes[2].gw = ip("192.168.77.1");
	m.routes[2].scope = 0;
	assert_true(netcfg_apply(&m, 2000, out, why, sizeof(why)) < 0);
	assert_has(why, "cannot add the route 10.30.0.0/16 via 10.40.0.1 dev "
		   "v1: ");
	manifest_free(&m);
}

/* The requests themselves, where netcfg has no use for them. */
static void test_rtnl(void **state)
{
	struct manifest_addr a = { .addr = ip("10.1.0.1"), .prefix = 24 };
	struct manifest_route r = route("", "10.2.0.0", 16, NULL);

	(void)state;
	need_netns();
	assert_int_equal(rtnl_set_link(9999, NULL, 0, 1), -ENODEV);
	assert_int_equal(rtnl_add_addr(rt_ifindex("v0"), &a), 0);
	assert_int_equal(rtnl_add_addr(rt_ifindex("v0"), &a), -EEXIST);
	up("v0");
	assert_int_equal(rtnl_add_route(rt_ifindex("v0"), &r), 0);
	assert_int_equal(rtnl_add_route(rt_ifindex("v0"), &r), -EEXIST);
	assert_int_equal(rtnl_set_link(rt_ifindex("v0"), NULL, 9000, -1), 0);
	assert_int_equal(rtnl_set_link(rt_ifindex("v0"), "v9", 0, 0), 0);
	assert_int_equal(rt_ifindex("v0"), 0);
	assert_true(rt_ifindex("v9") > 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_record),
		T(test_apply),
		T(test_apply_fails),
		T(test_rtnl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
