// SPDX-License-Identifier: GPL-2.0
/*
 * test_proctree.c - process trees read from the real /proc (a tree of
 * this test's own children: A with children B and C, B with child D, each
 * named with prctl), their established TCP connections, and thawing a
 * stopped tree: SIGCONT for all but the processes stopped before, TCP
 * sockets taken out of repair mode. And the new kernel's hold on input
 * (netlock.h) at its limits, through the fake libnftables.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "netlock.h"
#include "proctree.h"
#include "thaw.h"

#include "helper_fake.h"

static pid_t a, b, c, d;
static int repair_fd = -1;	/* in C: the client end, put in repair */

/* C: a loopback connection, both ends open; maybe in repair mode. */
static void hold_connection(int report)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), cl, sv, one = 1;
	char ok;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		_exit(2);
	cl = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(cl, (struct sockaddr *)&sa, sizeof(sa)))
		_exit(2);
	sv = accept(l, NULL, NULL);
	close(l);
	/* As criu's dump leaves it; needs CAP_NET_ADMIN. */
	ok = setsockopt(cl, IPPROTO_TCP, TCP_REPAIR, &one, sizeof(one)) ?
	     'n' : 'r';
	if (sv < 0 || write(report, &ok, 1) != 1)
		_exit(2);
	if (ok == 'r' && write(report, &cl, sizeof(cl)) != sizeof(cl))
		_exit(2);
}

/* Each process writes its pid, once named, into its own pipe. */
static int pa[2], pb[2], pc[2], pd[2];

static pid_t spawn(const char *name, int report, void (*body)(int))
{
	pid_t parent = getpid(), pid = fork();

	assert_true(pid >= 0);
	if (pid)
		return pid;
	rt_die_with_parent(parent);
	prctl(PR_SET_NAME, name);
	pid = getpid();
	if (write(report, &pid, sizeof(pid)) != sizeof(pid))
		_exit(2);
	if (body)
		body(report);
	for (;;)
		pause();
}

static void b_body(int report)
{
	(void)report;
	spawn("rt-d", pd[1], NULL);
}

static void a_body(int report)
{
	(void)report;
	spawn("rt-b", pb[1], b_body);
	spawn("rt-c", pc[1], hold_connection);
}

static void read_exact(int fd, void *p, size_t n)
{
	assert_int_equal(read(fd, p, n), (ssize_t)n);
}

static int setup(void **state)
{
	char ch;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	assert_int_equal(pipe(pc), 0);
	assert_int_equal(pipe(pd), 0);
	spawn("rt-a", pa[1], a_body);
	read_exact(pa[0], &a, sizeof(a));
	read_exact(pb[0], &b, sizeof(b));
	read_exact(pd[0], &d, sizeof(d));
	read_exact(pc[0], &c, sizeof(c));
	read_exact(pc[0], &ch, 1);
	repair_fd = -1;
	if (ch == 'r')
		read_exact(pc[0], &repair_fd, sizeof(repair_fd));
	for (int i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
		close(pc[i]);
		close(pd[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill(d, SIGKILL);
	kill(b, SIGKILL);
	kill(c, SIGKILL);
	kill(a, SIGKILL);
	/* A subreaper: the orphans come back to be reaped. */
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	waitpid(c, NULL, 0);
	waitpid(d, NULL, 0);
	return 0;
}

static void test_stat(void **state)
{
	struct proc_info pi;
	pid_t gone;

	(void)state;
	assert_int_equal(proctree_stat(getpid(), &pi), 0);
	assert_int_equal(pi.pid, getpid());
	assert_int_equal(pi.ppid, getppid());
	assert_int_equal(pi.state, 'R');
	assert_int_equal(pi.threads, 1);
	assert_int_equal(pi.flags & PROCTREE_PF_KTHREAD, 0);
	assert_int_equal(proctree_stat(a, &pi), 0);
	assert_string_equal(pi.comm, "rt-a");
	assert_int_equal(pi.ppid, getpid());
	/* kthreadd */
	assert_int_equal(proctree_stat(2, &pi), 0);
	assert_true(pi.flags & PROCTREE_PF_KTHREAD);
	gone = fork();
	if (!gone)
		_exit(0);
	assert_int_equal(waitpid(gone, NULL, 0), gone);
	assert_int_equal(proctree_stat(gone, &pi), -ENOENT);
}

static void test_tree(void **state)
{
	struct proc_tree t;

	(void)state;
	assert_int_equal(proctree_read(a, &t), 0);
	assert_int_equal(t.nr, 4);
	assert_int_equal(t.procs[0].pid, a);
	assert_int_equal(t.procs[0].depth, 0);
	/* Pre-order, lower pid first: B's subtree, then C. */
	assert_true(b < c);
	assert_int_equal(t.procs[1].pid, b);
	assert_string_equal(t.procs[1].comm, "rt-b");
	assert_int_equal(t.procs[1].depth, 1);
	assert_int_equal(t.procs[2].pid, d);
	assert_string_equal(t.procs[2].comm, "rt-d");
	assert_int_equal(t.procs[2].depth, 2);
	assert_int_equal(t.procs[2].ppid, b);
	assert_int_equal(t.procs[3].pid, c);
	assert_int_equal(t.procs[3].depth, 1);
	assert_true(proctree_has(&t, d));
	assert_false(proctree_has(&t, getpid()));
	proctree_free(&t);
	assert_null(t.procs);

	assert_int_equal(proctree_read(d, &t), 0);
	assert_int_equal(t.nr, 1);
	proctree_free(&t);
	assert_int_equal(proctree_read(0x7ffffff0, &t), -ENOENT);
}

static void test_tcp(void **state)
{
	struct proc_tree t;

	(void)state;
	assert_int_equal(proctree_read(a, &t), 0);
	/* Both ends of C's connection; the listener was closed. */
	assert_int_equal(proctree_tcp_established(&t), 2);
	proctree_free(&t);
	assert_int_equal(proctree_read(b, &t), 0);
	assert_int_equal(proctree_tcp_established(&t), 0);
	proctree_free(&t);
}

/*
 * The tree's listening port and what waits on it: a connection made and
 * not accepted is queued; accepted, it is not.
 */
static void test_listen(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct proc_listen q;
	struct proc_tree t;
	int l = socket(AF_INET, SOCK_STREAM, 0), cl, sv;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &len), 0);
	assert_int_equal(proctree_read(getpid(), &t), 0);
	assert_int_equal(proctree_listen(&t, &q, PROCTREE_LISTEN_MAX), 0);
	assert_int_equal(q.nr_ports, 1);
	assert_int_equal(q.ports[0], ntohs(sa.sin_port));
	assert_int_equal(q.queued, 0);
	cl = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(cl, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(proctree_listen(&t, &q, PROCTREE_LISTEN_MAX), 0);
	assert_int_equal(q.queued, 1);
	assert_int_equal(q.half_open, 0);
	/* At most max ports: none asked, none written, the queue counted. */
	assert_int_equal(proctree_listen(&t, &q, 0), 0);
	assert_int_equal(q.nr_ports, 0);
	sv = accept(l, NULL, NULL);
	assert_true(sv >= 0);
	assert_int_equal(proctree_listen(&t, &q, PROCTREE_LISTEN_MAX), 0);
	assert_int_equal(q.queued, 0);
	proctree_free(&t);
	/* Another tree (B's) listens on nothing. */
	assert_int_equal(proctree_read(b, &t), 0);
	assert_int_equal(proctree_listen(&t, &q, PROCTREE_LISTEN_MAX), 0);
	assert_int_equal(q.nr_ports, 0);
	proctree_free(&t);
	close(sv);
	close(cl);
	close(l);
}

static char state_of(pid_t pid)
{
	struct proc_info pi;

	assert_int_equal(proctree_stat(pid, &pi), 0);
	return pi.state;
}

/* Wait (without sleeping) until pid's state is or is not 'T'. */
static void until_stopped(pid_t pid, int stopped)
{
	for (long i = 0; i < 100000000; i++) {
		if ((state_of(pid) == 'T') == stopped)
			return;
		sched_yield();
	}
	fail_msg("%d never %s", (int)pid, stopped ? "stopped" : "resumed");
}

/* A fake iptables in PATH: it logs its arguments, fails on demand. */
static char bin[256], iptables_log[300], old_path[4096];

static void fake_iptables(int fail)
{
	char path[300];
	FILE *f;

	snprintf(bin, sizeof(bin), "%s/thaw-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(bin));
	snprintf(path, sizeof(path), "%s/iptables", bin);
	snprintf(iptables_log, sizeof(iptables_log), "%s/log", bin);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"$*\" >> %s\nexit %d\n", iptables_log,
		fail);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(old_path, sizeof(old_path), "%s", getenv("PATH"));
	snprintf(path, sizeof(path), "%s:/bin:/usr/bin", bin);
	setenv("PATH", path, 1);
}

static void fake_iptables_done(void)
{
	char cmd[300];

	setenv("PATH", old_path, 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bin);
	assert_int_equal(system(cmd), 0);
}

/* C's client end in repair mode again, as a new dump would leave it. */
static void repair_again(int on)
{
	int pidfd = (int)syscall(SYS_pidfd_open, c, 0), sk;

	assert_true(pidfd >= 0);
	sk = (int)syscall(SYS_pidfd_getfd, pidfd, repair_fd, 0);
	assert_true(sk >= 0);
	assert_int_equal(setsockopt(sk, IPPROTO_TCP, TCP_REPAIR, &on,
				    sizeof(on)), 0);
	close(sk);
	close(pidfd);
}

static int in_repair(void)
{
	int pidfd = (int)syscall(SYS_pidfd_open, c, 0), sk, v = -1;
	socklen_t len = sizeof(v);

	assert_true(pidfd >= 0);
	sk = (int)syscall(SYS_pidfd_getfd, pidfd, repair_fd, 0);
	assert_true(sk >= 0);
	assert_int_equal(getsockopt(sk, IPPROTO_TCP, TCP_REPAIR, &v, &len), 0);
	close(sk);
	close(pidfd);
	return v;
}

static void test_thaw(void **state)
{
	struct thaw_stats st = { 0 };
	pid_t all[] = { a, b, c, d };
	char why[256] = "", log[1024];
	FILE *f;

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(kill(all[i], SIGSTOP), 0);
		until_stopped(all[i], 1);
	}
	fake_iptables(0);
	/* D was stopped by someone else before the dump: it stays so. */
	assert_int_equal(thaw_tree(a, NULL, &d, 1, &st, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(st.resumed, 3);
	assert_int_equal(st.kept, 1);
	for (int i = 0; i < 3; i++)
		until_stopped(all[i], 0);
	assert_int_equal(state_of(d), 'T');
	if (repair_fd < 0) {
		assert_int_equal(st.tcp_repaired, 0);
		fake_iptables_done();
		skip();		/* not allowed to put a socket in repair */
	}
	assert_int_equal(st.tcp_repaired, 1);
	assert_int_equal(in_repair(), 0);
	/* criu's two rules for the connection, deleted. */
	assert_int_equal(st.unlocked, 1);
	f = fopen(iptables_log, "r");
	assert_non_null(f);
	log[fread(log, 1, sizeof(log) - 1, f)] = '\0';
	fclose(f);
	assert_non_null(strstr(log, "-w 5 -t filter -D INPUT --protocol tcp -m "
			       "mark ! --mark 0xC114 --source 127.0.0.1 "
			       "--sport "));
	assert_non_null(strstr(log, " --destination 127.0.0.1 --dport "));
	assert_non_null(strstr(strchr(log, '\n'), "-w 5 -t filter -D OUTPUT "));
	/* Two lines: INPUT and OUTPUT. */
	assert_string_equal(strchr(strchr(log, '\n') + 1, '\n'), "\n");

	/* Again: nothing left in repair. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(thaw_tree(a, NULL, NULL, 0, &st, why, sizeof(why)), 0);
	assert_int_equal(st.resumed, 4);
	assert_int_equal(st.tcp_repaired, 0);
	fake_iptables_done();

	/* The rules cannot be deleted: said, and the rest done. */
	fake_iptables(1);
	repair_again(1);
	memset(&st, 0, sizeof(st));
	assert_int_equal(thaw_tree(a, "iptables", NULL, 0, &st, why,
				   sizeof(why)), -EIO);
	assert_non_null(strstr(why, "criu's lock stays: iptables -D INPUT for "
			       "127.0.0.1:"));
	assert_non_null(strstr(why, ": failed"));
	assert_int_equal(st.tcp_repaired, 1);
	assert_int_equal(st.unlocked, 0);
	assert_int_equal(in_repair(), 0);
	fake_iptables_done();

	/* nftables: the dump's table; without libnftables there is none. */
	repair_again(1);
	setenv("RELIEF_LIBNFTABLES", "/nonexistent/libnftables.so", 1);
	memset(&st, 0, sizeof(st));
	assert_int_equal(thaw_tree(a, "nftables", NULL, 0, &st, why,
				   sizeof(why)), 0);
	assert_int_equal(st.tcp_repaired, 1);
	assert_int_equal(st.unlocked, 0);
	unsetenv("RELIEF_LIBNFTABLES");
}

/*
 * The fake libnftables beside this test's binary, logging each command
 * into log (the binary's name + "." + suffix), which starts empty.
 */
static void use_fake_nft(char *log, size_t len, const char *suffix)
{
	char lib[600];
	ssize_t n = readlink("/proc/self/exe", lib, sizeof(lib) - 1);

	assert_true(n > 0);
	lib[n] = '\0';
	snprintf(log, len, "%s.%s", lib, suffix);
	snprintf(strrchr(lib, '/'), sizeof(lib) - (size_t)(strrchr(lib, '/') -
		 lib), "/libfake-nftables.so");
	setenv("RELIEF_LIBNFTABLES", lib, 1);
	setenv("FAKE_NFT_LOG", log, 1);
	unlink(log);
}

/* nftables: the dump's table goes, through (a fake) libnftables. */
static void test_thaw_nftables(void **state)
{
	struct thaw_stats st = { 0 };
	char log[700], text[256], want[64], why[256] = "";
	FILE *f;

	(void)state;
	use_fake_nft(log, sizeof(log), "nft-log");
	assert_int_equal(thaw_tree(a, "nftables", NULL, 0, &st, why,
				   sizeof(why)), 0);
	assert_int_equal(st.unlocked, 1);
	assert_int_equal(st.resumed, 4);
	f = fopen(log, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	snprintf(want, sizeof(want), "delete table inet CRIU-%d\n", (int)a);
	assert_string_equal(text, want);
	/* No table: nothing to say. */
	setenv("FAKE_NFT", "missing", 1);
	memset(&st, 0, sizeof(st));
	assert_int_equal(thaw_tree(a, "nftables", NULL, 0, &st, why,
				   sizeof(why)), 0);
	assert_int_equal(st.unlocked, 0);
	setenv("FAKE_NFT", "denied", 1);
	assert_int_equal(thaw_tree(a, "nftables", NULL, 0, &st, why,
				   sizeof(why)), -EIO);
	snprintf(want, sizeof(want), "CRIU-%d: Error: Could not process rule: "
		 "Operation not permitted", (int)a);
	assert_non_null(strstr(why, "criu's lock stays: nft delete table inet "));
	assert_non_null(strstr(why, want));
	/* A library that is no libnftables. */
	setenv("RELIEF_LIBNFTABLES", "libc.so.6", 1);
	assert_int_equal(thaw_tree(a, "nftables", NULL, 0, &st, why,
				   sizeof(why)), -EIO);
	assert_string_equal(why, "criu's lock stays: libc.so.6: not a usable "
			    "libnftables");
	unsetenv("RELIEF_LIBNFTABLES");
	unsetenv("FAKE_NFT");
	unsetenv("FAKE_NFT_LOG");
	unlink(log);
}

/* The hold: its bounds, the names it takes, the most it holds. */
static void test_hold_limits(void **state)
{
	const char *bad[] = {
		"", "sixteen-bytes-xx", "eth*", "e\"0", "e\\0", "e 0", "e\t0",
		"eth\xc3\xa9",
	};
	const char *names[NETLOCK_HOLD_MAX + 1];
	char log[700], why[256], name[NETLOCK_HOLD_MAX][16];
	static char text[4096];
	FILE *f;

	(void)state;
	assert_int_equal(netlock_release(why, sizeof(why)), 0);
	assert_int_equal(netlock_hold(names, 0, why, sizeof(why)), -1);
	assert_string_equal(why, "0 interfaces: from 1 to 64");
	for (unsigned int i = 0; i <= NETLOCK_HOLD_MAX; i++)
		names[i] = "eth0";
	assert_int_equal(netlock_hold(names, NETLOCK_HOLD_MAX + 1, why,
				      sizeof(why)), -1);
	assert_string_equal(why, "65 interfaces: from 1 to 64");
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char want[64];

		names[1] = bad[i];
		assert_int_equal(netlock_hold(names, 2, why, sizeof(why)), -1);
		snprintf(want, sizeof(want), "interface '%s': not a name "
			 "nftables matches", bad[i]);
		assert_string_equal(why, want);
	}

	/* The most: 64 names of 15 bytes, in one rule. */
	use_fake_nft(log, sizeof(log), "hold-log");
	for (unsigned int i = 0; i < NETLOCK_HOLD_MAX; i++) {
		snprintf(name[i], sizeof(name[i]), "interface-%05u", i);
		names[i] = name[i];
	}
	assert_int_equal(netlock_hold(names, NETLOCK_HOLD_MAX, why,
				      sizeof(why)), 0);
	assert_int_equal(netlock_release(why, sizeof(why)), 0);
	assert_int_equal(netlock_release(why, sizeof(why)), 0);
	f = fopen(log, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(text, "input iifname { \"interface-00000\", "
			       "\"interface-00001\", "));
	assert_non_null(strstr(text, ", \"interface-00063\" } drop\n"
			       "delete table inet relief-hold\n"));
	/* One release: the second had nothing to delete. */
	assert_null(strstr(strstr(text, " } drop\ndelete table") + 9,
			   "delete table"));
	unlink(log);
	unsetenv("RELIEF_LIBNFTABLES");
	unsetenv("FAKE_NFT_LOG");
}

/* The drain: new connections' SYNs to the ports, in one owned table. */
static void test_drain(void **state)
{
	uint16_t ports[NETLOCK_DRAIN_MAX + 1] = { 80, 6379 };
	char log[700], why[256];
	static char text[4096];
	FILE *f;

	(void)state;
	assert_int_equal(netlock_undrain(why, sizeof(why)), 0);
	assert_int_equal(netlock_drain(ports, 0, why, sizeof(why)), -1);
	assert_string_equal(why, "0 ports: from 1 to 64");
	assert_int_equal(netlock_drain(ports, NETLOCK_DRAIN_MAX + 1, why,
				       sizeof(why)), -1);
	assert_string_equal(why, "65 ports: from 1 to 64");
	use_fake_nft(log, sizeof(log), "drain-log");
	assert_int_equal(netlock_drain(ports, 2, why, sizeof(why)), 0);
	assert_int_equal(netlock_undrain(why, sizeof(why)), 0);
	assert_int_equal(netlock_undrain(why, sizeof(why)), 0);
	f = fopen(log, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(text, "add table inet relief-drain { flags "
			       "owner; }\n"));
	assert_non_null(strstr(text, "add rule inet relief-drain input tcp "
			       "dport { 80, 6379 } tcp flags & (syn | ack) == "
			       "syn drop\ndelete table inet relief-drain\n"));
	/* Refused by the kernel: said, and nothing is held. */
	setenv("FAKE_NFT", "denied", 1);
	assert_int_equal(netlock_drain(ports, 1, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "nft "));
	assert_int_equal(netlock_undrain(why, sizeof(why)), 0);
	unsetenv("FAKE_NFT");
	unlink(log);
	unsetenv("RELIEF_LIBNFTABLES");
	unsetenv("FAKE_NFT_LOG");
}

static void test_thaw_gone(void **state)
{
	struct thaw_stats st = { 0 };
	char why[128];

	(void)state;
	assert_int_equal(thaw_tree(0x7ffffff0, NULL, NULL, 0, &st, why,
				   sizeof(why)), -ENOENT);
	assert_string_equal(why, "process 2147483632: No such file or "
			    "directory");
}

/* This process shares its own namespaces; a gone one has none. */
static void test_own_ns(void **state)
{
	char ns[64] = "x";

	(void)state;
	assert_int_equal(proctree_own_ns(getpid(), ns, sizeof(ns)), 0);
	assert_string_equal(ns, "");
	assert_int_equal(proctree_own_ns(a, ns, sizeof(ns)), 0);
	assert_int_equal(proctree_own_ns(0x7ffffff0, ns, sizeof(ns)),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thaw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thaw_nftables, setup,
						teardown),
		cmocka_unit_test(test_thaw_gone),
		cmocka_unit_test_setup_teardown(test_own_ns, setup, teardown),
		cmocka_unit_test(test_hold_limits),
		cmocka_unit_test(test_drain),
		cmocka_unit_test_setup_teardown(test_listen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
