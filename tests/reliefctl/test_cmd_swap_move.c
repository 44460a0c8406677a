// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_swap_move.c - `reliefctl swap` moving processes, against the
 * fake kernel (helper_fake.c, plus agent requests the fake ioctl hands out
 * at given polls) and fake-criu.sh, with this test's children as the
 * trees: every --move refusal, the cheap checks that refuse a tree, the
 * dry run, --transfer, and full runs with their summary (printed before
 * the END is answered) for a swap done, rolled back, or with a failed
 * dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "helper_fake.h"
#include "helper_topo.h"
#include "proctree.h"
#include "reliefctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct relief_topology topo;
static char *out_text, *err_text;
static FILE *out;
static char image[512], work[512], fake_criu[512];

/* --- the fake kernel's ioctls ----------------------------------------- */

struct fake_req {
	unsigned int at;	/* handed out from this sleep on */
	uint32_t op;		/* 0: the wait fails with -result */
	uint32_t result;	/* END */
	const char *reason;	/* END */
};

static int ioctl_calls;		/* PREPARE */
static struct relief_prepare got;
static char got_cmdline[4096];	/* a copy: got.cmdline is gone after run */
static const struct fake_req *reqs;
static unsigned int nreqs, ireq;
static struct relief_agent_reply replies[8];
static unsigned int nrep;
static int summary_before_reply;	/* at END's reply, out had it */

uid_t __wrap_geteuid(void);
int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

uid_t __wrap_geteuid(void)
{
	return 0;
}

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(fd >= 0);
	if (req == RELIEF_IOC_CHECK_IMAGE)
		return 0;
	if (req == RELIEF_IOC_PREPARE) {
		ioctl_calls++;
		memcpy(&got, arg, sizeof(got));
		snprintf(got_cmdline, sizeof(got_cmdline), "%s", got.cmdline_len ?
			 (const char *)(uintptr_t)got.cmdline : "");
		rt_fake_write("sys/state", "WAIT_READY\n");
		rt_fake_write("sys/cpus", "2-3\n");
		return 0;
	}
	if (req == RELIEF_IOC_AGENT_WAIT) {
		struct relief_agent_req *r = arg;

		__wrap_reliefctl_sleep_ms(r->timeout_ms);
		if (ireq == nreqs || reqs[ireq].at > rt_fake_sleeps)
			return -EAGAIN;
		if (!reqs[ireq].op)
			return -(int)reqs[ireq++].result;
		memset(r, 0, sizeof(*r));
		r->op = reqs[ireq].op;
		r->seq = 1 + ireq;
		r->area_size = 1 << 20;
		r->result = reqs[ireq].result;
		if (reqs[ireq].reason)
			snprintf(r->reason_name, sizeof(r->reason_name), "%s",
				 reqs[ireq].reason);
		ireq++;
		return 0;
	}
	/* A kernel without windows on the area: the images are copied. */
	if (req == RELIEF_IOC_AGENT_WINDOW)
		return -ENOTTY;
	assert_int_equal(req, RELIEF_IOC_AGENT_REPLY);
	assert_true(nrep < ARRAY_SIZE(replies));
	replies[nrep] = *(struct relief_agent_reply *)arg;
	if (replies[nrep].seq == nreqs && reqs[nreqs - 1].op ==
	    RELIEF_AGENT_END)
		summary_before_reply = out_text && strstr(out_text, "summary:");
	nrep++;
	return 0;
}

static void script(const struct rt_step *s, unsigned int ns,
		   const struct fake_req *r, unsigned int nr)
{
	rt_fake_script(s, ns);
	reqs = r;
	nreqs = nr;
	ireq = nrep = 0;
}

/* --- processes -------------------------------------------------------- */

static pid_t one, one_kid, two;

enum kind { PLAIN, WITH_KID, WITH_TTY, WITH_TCP, WITH_THREAD, WITH_MEM,
	     WITH_UTS_NS };

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void hold_tcp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET,
							    SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len) ||
	    connect(c, (struct sockaddr *)&sa, sizeof(sa)) ||
	    accept(l, NULL, NULL) < 0)
		_exit(2);
	close(l);
}

/* A session of its own whose terminal is a new pty. */
static void take_tty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || setsid() < 0 || grantpt(m) || unlockpt(m) ||
	    open(ptsname(m), O_RDWR) < 0)
		_exit(2);
}

/* mb MiB of private memory, every page in RAM. */
static void hold_memory(size_t mb)
{
	char *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	memset(p, 1, mb << 20);
}

static pid_t spawn(const char *name, enum kind kind)
{
	int p[2];
	pid_t pid, parent;
	char c;

	assert_int_equal(pipe(p), 0);
	parent = getpid();
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		rt_die_with_parent(parent);
		prctl(PR_SET_NAME, name);
		/* With a kid, the kid reports: both are named by then. */
		parent = getpid();
		if (kind == WITH_KID && fork())
			for (;;)
				pause();
		if (kind == WITH_KID) {
			rt_die_with_parent(parent);
			prctl(PR_SET_NAME, "rt-kid");
		}
		else if (kind == WITH_TTY)
			take_tty();
		else if (kind == WITH_TCP)
			hold_tcp();
		else if (kind == WITH_THREAD &&
			 pthread_create(&(pthread_t){ 0 }, NULL, sleeper, NULL))
			_exit(2);
		else if (kind == WITH_MEM)
			hold_memory(48);
		else if (kind == WITH_UTS_NS && unshare(CLONE_NEWUTS))
			_exit(3);	/* no CAP_SYS_ADMIN: reported */
		if (write(p[1], "x", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

static void reap(pid_t *pid)
{
	struct proc_tree t;

	if (*pid <= 0)
		return;
	if (!proctree_read(*pid, &t)) {
		for (unsigned int i = 0; i < t.nr; i++)
			kill(t.procs[i].pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		for (unsigned int i = 1; i < t.nr; i++)
			waitpid(t.procs[i].pid, NULL, 0);
		proctree_free(&t);
	}
	*pid = 0;
}

static char state_of(pid_t pid)
{
	struct proc_info pi;

	assert_int_equal(proctree_stat(pid, &pi), 0);
	return pi.state;
}

/* --- running swap ----------------------------------------------------- */

static int run(const char *arg, ...)
{
	char *argv[24] = { "swap" };
	int argc = 1, rc;
	size_t n1, n2;
	FILE *err;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < 23; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_swap_with(argc, argv, &topo, out, err);
	fclose(out);
	fclose(err);
	out = NULL;
	return rc;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

/* Refused with exit 3, one line on stderr, nothing asked of the kernel. */
#define assert_refused(msg, ...) do {					\
	assert_int_equal(run(__VA_ARGS__, NULL), RELIEFCTL_EXIT_REFUSED); \
	assert_has(err_text, msg);					\
	assert_null(strchr(strchr(err_text, '\n') + 1, '\n'));		\
	assert_int_equal(ioctl_calls, 0);				\
} while (0)

static const char *pids(pid_t a, pid_t b)
{
	static char s[64];

	if (b)
		snprintf(s, sizeof(s), "%d,%d", (int)a, (int)b);
	else
		snprintf(s, sizeof(s), "%d", (int)a);
	return s;
}

static int setup(void **state)
{
	char self[512];

	(void)state;
	rt_topo_build(&topo, 1, 4, 1, RT_GiB, RT_NODE_MAJOR);
	rt_fake_init();
	snprintf(image, sizeof(image), "%s",
		 rt_fake_bzimage("vmlinuz-b", 0, 0, 0));
	/* The transfer area the fake ioctl hands out, mapped from dev. */
	assert_int_equal(truncate(rt_fake_path("dev"), 1 << 20), 0);
	snprintf(work, sizeof(work), "%s", rt_fake_path("work"));
	assert_int_equal(mkdir(work, 0700), 0);
	snprintf(self, sizeof(self), "%s", __FILE__);
	snprintf(fake_criu, sizeof(fake_criu), "%s/fake-criu.sh",
		 dirname(self));
	setenv("RELIEF_CRIU", fake_criu, 1);
	setenv("RELIEF_WORKDIR", work, 1);
	setenv("FAKE_CRIU_STOP", "1", 1);
	/* A thaw must not reach this machine's nf_tables. */
	setenv("RELIEF_LIBNFTABLES", "/nonexistent/libnftables.so.1", 1);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ioctl_calls = 0;
	summary_before_reply = 0;
	memset(&got, 0, sizeof(got));
	script(NULL, 0, NULL, 0);
	one = spawn("rt-one", WITH_KID);
	two = spawn("rt-two", PLAIN);
	{
		struct proc_tree t;

		assert_int_equal(proctree_read(one, &t), 0);
		assert_int_equal(t.nr, 2);
		one_kid = t.procs[1].pid;
		proctree_free(&t);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	reap(&one);
	reap(&two);
	rt_topo_free(&topo);
	rt_fake_cleanup();
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	unsetenv("FAKE_CRIU_FAIL");
	unsetenv("RELIEF_CRIU");
	unsetenv("RELIEF_WORKDIR");
	unsetenv("RELIEF_LIBNFTABLES");
	return 0;
}

/* --- refusals --------------------------------------------------------- */

static void test_move_refusals(void **state)
{
	char want[200];
	pid_t gone;

	(void)state;
	assert_refused("reliefctl swap: --move 1: pid 1 (init) cannot move: "
		       "kernel B runs its own\n", image, "--move", "1");
	assert_refused("reliefctl swap: --move 2: 2 (kthreadd) is a kernel "
		       "thread: only user processes move\n", image, "--move",
		       "2");
	snprintf(want, sizeof(want), "--move %d: %d (", (int)getpid(),
		 (int)getpid());
	assert_refused(want, image, "--move", pids(getpid(), 0));
	assert_has(err_text, ") is reliefctl itself or one of its ancestors: "
		   "it cannot be frozen while it runs the swap\n");
	assert_refused("is reliefctl itself or one of its ancestors", image,
		       "--move", pids(getppid(), 0));
	gone = fork();
	if (!gone)
		_exit(0);
	assert_int_equal(waitpid(gone, NULL, 0), gone);
	snprintf(want, sizeof(want), "reliefctl swap: --move %d: no such "
		 "process\n", (int)gone);
	assert_refused(want, image, "--move", pids(gone, 0));
	/* A tree inside another, either way round, or twice. */
	snprintf(want, sizeof(want), "reliefctl swap: --move %d: it is in the "
		 "tree of %d (rt-one) already\n", (int)one_kid, (int)one);
	assert_refused(want, image, "--move", pids(one, one_kid));
	assert_refused(want, image, "--move", pids(one_kid, one));
	snprintf(want, sizeof(want), "--move %d: it is in the tree of %d",
		 (int)two, (int)two);
	assert_refused(want, image, "--move", pids(two, 0), "--move",
		       pids(two, 0));
	/* The usual refusals come first. */
	rt_fake_write("sys/region", "0 0 0 0\n");
	assert_refused("no relief region", image, "--move", "1");
}

static void test_move_usage(void **state)
{
	char many[600] = "1";

	(void)state;
	assert_int_equal(run(image, "--move", "12x", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "reliefctl swap: --move: '12x' is not a list of "
		   "pids (1234,5678)\n");
	assert_int_equal(run(image, "--move", "1,,2", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--move", "0", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--move", "99999999999", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--move", "", NULL), RELIEFCTL_EXIT_USAGE);
	for (int i = 2; i <= 65; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 ",%d", i);
	assert_int_equal(run(image, "--move", many, NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--move: more than 64 trees\n");
	assert_int_equal(run(image, "--transfer", "1536K", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--transfer '1536K': need whole megabytes");
	assert_int_equal(run(image, "--transfer", "8388608G", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--network-lock", "skip", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--network-lock 'skip': iptables or nftables\n");
	assert_int_equal(run("--help", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "[--move PID[,PID...]] [--transfer SIZE] "
		   "[--dry-run]");
	assert_int_equal(ioctl_calls, 0);
}

static void test_cannot_move(void **state)
{
	pid_t tty = spawn("rt-tty", WITH_TTY), tcp = spawn("rt-tcp", WITH_TCP);
	char want[300], path[600];

	(void)state;
	snprintf(want, sizeof(want), "reliefctl swap: cannot move: %d (rt-tty) "
		 "has a controlling terminal (tty 136:", (int)tty);
	assert_refused(want, image, "--move", pids(tty, 0), "--dry-run");
	assert_has(err_text, "): kernel B has none to give it; start it "
		   "detached (setsid, no terminal)\n");
	snprintf(want, sizeof(want), "  cannot move: %d (rt-tty) has a "
		 "controlling terminal", (int)tty);
	assert_has(out_text, want);

	/* TCP held with iptables, and no iptables to do it. */
	snprintf(path, sizeof(path), "%s", getenv("PATH"));
	setenv("PATH", work, 1);
	snprintf(want, sizeof(want), "cannot move: %d (rt-tcp) holds 2 "
		 "established TCP connections: criu holds them with netfilter "
		 "while they move, and iptables is not installed",
		 (int)tcp);
	assert_refused(want, image, "--move", pids(tcp, 0), "--network-lock",
		       "iptables");
	/* Both problems, the first named, the count of the rest. */
	assert_refused("(and 1 more, listed above)\n", image, "--move",
		       pids(tty, tcp), "--network-lock=iptables");
	setenv("PATH", path, 1);
	/* An iptables there: criu can hold them. */
	{
		FILE *f = fopen(rt_fake_path("work/iptables"), "w");

		assert_non_null(f);
		fputs("#!/bin/sh\n", f);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(chmod(rt_fake_path("work/iptables"), 0755),
				 0);
		setenv("PATH", work, 1);
		assert_int_equal(run(image, "--move", pids(tcp, 0),
				     "--network-lock", "iptables", "--dry-run",
				     NULL), RELIEFCTL_EXIT_OK);
		assert_null(strstr(out_text, "--feature"));
		setenv("PATH", path, 1);
	}
	/* With nf_tables (the default), criu is asked whether it can. */
	assert_int_equal(run(image, "--move", pids(tcp, 0), "--dry-run",
			     NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "check --feature network_lock_nftables passed\n");
	setenv("FAKE_CRIU_FAIL", "check:network_lock_nftables", 1);
	assert_refused("reliefctl swap: criu cannot hold TCP connections with "
		       "nftables here (", image, "--move", pids(tcp, 0),
		       "--network-lock", "nftables", "--dry-run");
	assert_has(err_text, "check --feature network_lock_nftables): fake: "
		   "refused\n");
	unsetenv("FAKE_CRIU_FAIL");
	snprintf(want, sizeof(want), "  tree %d (rt-tcp), a shell job (it does "
		 "not lead its session), 2 established TCP connections:\n",
		 (int)tcp);
	assert_has(out_text, want);
	reap(&tty);
	reap(&tcp);
}

/*
 * A process in a namespace of its own (as systemd's sandboxing makes
 * them) is refused by name; its child, in the same one, is not listed
 * again.
 */
static void test_own_namespaces(void **state)
{
	pid_t uts;
	char want[300];

	(void)state;
	if (getuid())
		skip();		/* unshare(CLONE_NEWUTS) needs root */
	uts = spawn("rt-uts", WITH_UTS_NS);
	snprintf(want, sizeof(want), "reliefctl swap: cannot move: %d (rt-uts) "
		 "runs in namespaces of its own (uts): relief moves processes "
		 "in the machine's namespaces only", (int)uts);
	assert_refused(want, image, "--move", pids(uts, 0), "--dry-run");
	assert_has(err_text, "(PrivateUsers=, PrivateTmp=, ProtectSystem=, "
		   "ProtectHostname=...) gives them\n");
	reap(&uts);
}

static void test_zombie_and_threads(void **state)
{
	pid_t zombie = fork(), threads;
	char want[200];

	(void)state;
	if (!zombie)
		_exit(0);
	threads = spawn("rt-threads", WITH_THREAD);
	while (state_of(zombie) != 'Z')
		;
	snprintf(want, sizeof(want), "reliefctl swap: cannot move: %d (",
		 (int)zombie);
	assert_refused(want, image, "--move", pids(zombie, 0));
	assert_has(err_text, ") is a zombie: there is nothing left of it to "
		   "move\n");
	assert_int_equal(waitpid(zombie, NULL, 0), zombie);
	assert_int_equal(run(image, "--move", pids(threads, 0), "--dry-run",
			     NULL), RELIEFCTL_EXIT_OK);
	snprintf(want, sizeof(want), "    %d rt-threads (2 threads)\n",
		 (int)threads);
	assert_has(out_text, want);
	reap(&threads);
}

static void test_criu_cannot(void **state)
{
	(void)state;
	setenv("FAKE_CRIU_FAIL", "check", 1);
	assert_refused("reliefctl swap: criu cannot work here (", image,
		       "--move", pids(two, 0));
	assert_has(err_text, "fake-criu.sh check): fake: refused\n");
	unsetenv("FAKE_CRIU_FAIL");
	assert_refused("criu cannot work here (/nonexistent/criu check): "
		       "cannot run /nonexistent/criu: No such file", image,
		       "--move", pids(two, 0), "--criu", "/nonexistent/criu");
	/* No --move: criu is not needed. */
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "processes to move: none (--move names them)\n");
}

static void test_transfer(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	assert_refused("reliefctl swap: the transfer area (--transfer 256M) "
		       "must leave kernel B more than 256M of the 512M region; "
		       "boot with a larger relief_region=\n", image,
		       "--transfer", "256M");
	assert_refused("the relief region is too small: --mem 500M, but the "
		       "512M region leaves kernel B 447M (1M is the CPUs' park "
		       "area, the rest --transfer)", image, "--transfer",
		       "64M", "--mem", "500M");
	rt_fake_write("sys/region", "0x100000000 0x4000000 0 0\n");
	assert_refused("need 32.0M, but the 64M region leaves kernel B 32M "
		       "beside --transfer", image, "--transfer", "31M");
	rt_fake_write("sys/region", "0x100000000 0x20000000 0x98000 0x1000\n");
	script(s, ARRAY_SIZE(s), NULL, 0);
	assert_int_equal(run(image, "--transfer", "64M", "--stop-after",
			     "ready", "--quiet", "--move", pids(two, 0), NULL),
			 RELIEFCTL_EXIT_OK);
	assert_int_equal(got.transfer_mb, 64);
	/* A rehearsal never serves as the agent. */
	assert_int_equal(nrep, 0);
	assert_has(out_text, "a rehearsal moves no process: --move was only "
		   "checked\n");
	assert_int_not_equal(state_of(two), 'T');
}

/* --- the dry run ------------------------------------------------------ */

static void test_dry_run(void **state)
{
	char want[700];

	(void)state;
	assert_int_equal(run(image, "--move", pids(one, two), "--dry-run",
			     NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 0);
	assert_string_equal(err_text, "");
	assert_has(out_text, "plan: node 0, CPUs 2-3 (2), 256M of memory");
	assert_has(out_text, "\nprocesses to move: 2 trees, 3 processes\n");
	snprintf(want, sizeof(want), "  tree %d (rt-one), a shell job (it does "
		 "not lead its session):\n    %d rt-one\n      %d rt-kid\n"
		 "  tree %d (rt-two), a shell job (it does not lead its "
		 "session):\n    %d rt-two\n", (int)one, (int)one, (int)one_kid,
		 (int)two, (int)two);
	assert_has(out_text, want);
	snprintf(want, sizeof(want), "criu: %s check passed\n", fake_criu);
	assert_has(out_text, want);
	assert_has(out_text, "region: 512M at 0x100000000\ntransfer area: 128M "
		   "(the kernel's default: a quarter of the region)\n"
		   "after the swap: kernel B has CPUs 0-3 and 1.5G of memory "
		   "(kernel A's 1G and the 512M region)\n"
		   "devices: this kernel does not list them\n"
		   "dry run: nothing was changed\n");
	/* Nothing was frozen. */
	assert_int_not_equal(state_of(one), 'T');

	rt_fake_write("sys/devices", "0000:00:01.0 virtio-pci freeze\n"
		      "0000:00:1f.0 lpc_ich unbind\n"
		      "0000:00:1f.2 ahci fixed\ngarbage\n"
		      "0000:00:02.0 virtio-pci movable\n");
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "devices: 0000:00:01.0 (virtio-pci): handed over "
		   "to kernel B (frozen here)\n"
		   "         0000:00:1f.0 (lpc_ich): handed over to kernel B "
		   "(unbound here: no freeze in its driver; a rollback probes "
		   "it again)\n"
		   "         0000:00:1f.2 (ahci): cannot be handed "
		   "over, the kernel will refuse\n"
		   "         0000:00:02.0 (virtio-pci): handed over to kernel B "
		   "(frozen here)\ndry run");
	rt_fake_write("sys/devices", "");
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "devices: none with a driver\n");

	assert_int_equal(run(image, "--transfer", "64M", "--dry-run", NULL),
			 RELIEFCTL_EXIT_OK);
	assert_has(out_text, "transfer area: 64M (--transfer)\n");
	rt_fake_write("sys/region", "0x100000000 0x2000000 0 0\n");
	assert_refused("the relief region is too small", image, "--dry-run");
}

/*
 * Pages left in place are copied into kernel B's RAM before B adds the
 * blocks of A's RAM that hold them: a tree with more private memory than
 * B's room in the region and the rest of A's RAM is refused, unless its
 * pages are copied.
 */
static void test_moved_memory(void **state)
{
	pid_t big = spawn("rt-big", WITH_MEM);
	char sys[512];

	(void)state;
	snprintf(sys, sizeof(sys), "%s", rt_fake_path("msys"));
	assert_int_equal(mkdir(sys, 0755), 0);
	assert_int_equal(mkdir(rt_fake_path("msys/devices"), 0755), 0);
	assert_int_equal(mkdir(rt_fake_path("msys/devices/system"), 0755), 0);
	assert_int_equal(mkdir(rt_fake_path("msys/devices/system/memory"),
			       0755), 0);
	rt_fake_write("msys/devices/system/memory/block_size_bytes",
		      "8000000\n");
	setenv("RELIEF_SYS", sys, 1);
	setenv("RELIEF_IOMEM", rt_fake_path("iomem"), 1);
	/* 96M: kernel B keeps 71M beside the park and a 24M area ... */
	rt_fake_write("sys/region", "0x100000000 0x6000000 0 0\n");
	/* ... and kernel A has no RAM beyond the region */
	rt_fake_write("iomem", "100000000-105ffffff : System RAM\n");
	assert_refused("kernel B cannot hold the moved memory: the trees hold ",
		       image, "--move", pids(big, 0), "--dry-run");
	assert_has(err_text, " of private memory, which kernel B copies from "
		   "kernel A's RAM before it adds the 0 of it that holds them; "
		   "with its image, initrd and 32M that needs ");
	assert_has(err_text, ", but kernel B has 71M (71M of the region, 0 "
		   "of kernel A's RAM at once); boot with a larger "
		   "relief_region= (or --copy-pages)\n");
	assert_int_equal(run(image, "--move", pids(big, 0), "--dry-run",
			     "--copy-pages", NULL), RELIEFCTL_EXIT_OK);
	/* A's RAM unreadable: the region alone must hold the trees. */
	setenv("RELIEF_IOMEM", rt_fake_path("none"), 1);
	assert_refused("kernel B cannot hold the moved memory: the trees hold ",
		       image, "--move", pids(big, 0), "--dry-run");
	assert_has(err_text, ", but kernel B has 71M (71M of the region, 0 "
		   "of kernel A's RAM at once)");
	setenv("RELIEF_IOMEM", rt_fake_path("iomem"), 1);
	/* the small trees fit */
	assert_int_equal(run(image, "--move", pids(one, two), "--dry-run",
			     NULL), RELIEFCTL_EXIT_OK);
	/* which blocks of A's RAM wait for the copy: test_fillroom */
	unsetenv("RELIEF_SYS");
	unsetenv("RELIEF_IOMEM");
	reap(&big);
}

/* --- runs ------------------------------------------------------------- */

static const struct rt_step run_steps[] = {
	{ 1, "sys/state", "READY_SENT\n", 0 },
	{ 2, "sys/state", "FREEZING\n", 0 },
	{ 6, "sys/timings", "prepare 0\ncommitted 40000000\n"
			    "dumped 70000000\n", 0 },
};

static void test_swap_done(void **state)
{
	static const struct rt_step s[] = {
		run_steps[0], run_steps[1], run_steps[2],
		{ 7, "sys/state", "STOOD_RELIEVED\n", 0 },
	};
	static const struct fake_req r[] = {
		{ 3, RELIEF_AGENT_DUMP, 0, NULL },
		{ 6, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_DONE, "NONE" },
	};
	char want[600];

	(void)state;
	script(s, ARRAY_SIZE(s), r, ARRAY_SIZE(r));
	assert_int_equal(run(image, "--move", pids(one, two), "--quiet",
			     NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(nrep, 2);
	/* B is ready only once its agent waits for the restore. */
	assert_string_equal(got_cmdline, "relief.agent");
	assert_int_equal(got.cmdline_len, sizeof("relief.agent"));
	assert_int_equal(replies[0].status, 0);
	assert_int_equal(replies[0].nr_procs, 3);
	assert_int_equal(replies[1].status, 0);
	assert_true(summary_before_reply);
	assert_int_equal(state_of(one), 'T');	/* the dump left it so */
	snprintf(want, sizeof(want), "agent: dumped 3 processes in 2 trees "
		 "(pids %d %d %d): ", (int)one, (int)one_kid, (int)two);
	assert_has(out_text, want);
	snprintf(want, sizeof(want), "summary: the swap is done (NONE)\n"
		 "timings (since prepare):\n"
		 "  prepare                       0.000 ms\n"
		 "  committed                    40.000 ms\n"
		 "  dumped                       70.000 ms\n"
		 "service pause: 60 ms (from the freeze to the end of the run)\n"
		 "processes moved: 3 (pids %d %d %d)\n"
		 "CPUs: kernel A had 0-3, lent 2-3 to kernel B; now kernel B "
		 "has 0-3\n"
		 "memory: kernel A had 1G, kernel B the 512M region; now kernel "
		 "B has 1.5G\n", (int)one, (int)one_kid, (int)two);
	assert_has(out_text, want);
	assert_has(out_text, "relieved: kernel B runs the machine\n");
	/* The timings were in the summary: not again. */
	assert_null(strstr(strstr(out_text, "relieved:"), "timings"));
	assert_string_equal(err_text, "");
}

static void test_swap_rolled_back(void **state)
{
	static const struct rt_step s[] = {
		run_steps[0], run_steps[1],
		{ 6, "sys/state", "ROLLED_BACK RESTORE_FAILED\n", 0 },
	};
	/* The END comes after the state shows the end. */
	static const struct fake_req r[] = {
		{ 3, RELIEF_AGENT_DUMP, 0, NULL },
		{ 5, RELIEF_AGENT_THAW, 0, NULL },
		{ 7, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_ROLLED_BACK, "RESTORE_FAILED" },
	};

	(void)state;
	script(s, ARRAY_SIZE(s), r, ARRAY_SIZE(r));
	assert_int_equal(run(image, "--move", pids(one, two), "--quiet",
			     NULL), RELIEFCTL_EXIT_FAIL);
	assert_int_equal(nrep, 3);
	assert_int_equal(replies[1].status, 0);
	assert_true(summary_before_reply);
	assert_int_not_equal(state_of(one), 'T');
	assert_int_not_equal(state_of(two), 'T');
	assert_has(out_text, "agent: resumed 3 processes in this kernel\n");
	assert_has(out_text, "summary: the swap rolled back (RESTORE_FAILED)\n"
		   "service pause: 80 ms (from the freeze to the end of the "
		   "run)\nprocesses moved: none; the 3 dumped run on in kernel "
		   "A (3 resumed)\nCPUs: kernel A had 0-3, lent 2-3 to kernel "
		   "B; now kernel A has 0-3 again\nmemory: kernel A had 1G, "
		   "kernel B the 512M region; now kernel A has 1G again\n");
	assert_string_equal(err_text, "rolled back: RESTORE_FAILED\n");
}

static void test_dump_fails(void **state)
{
	static const struct rt_step s[] = {
		run_steps[0], run_steps[1],
		{ 5, "sys/state", "ROLLED_BACK DUMP_FAILED\n", 0 },
	};
	static const struct fake_req r[] = {
		{ 3, RELIEF_AGENT_DUMP, 0, NULL },
		{ 4, RELIEF_AGENT_THAW, 0, NULL },
		{ 5, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_ROLLED_BACK, "DUMP_FAILED" },
	};
	char want[200];

	(void)state;
	setenv("FAKE_CRIU_FAIL", "dump", 1);
	script(s, ARRAY_SIZE(s), r, ARRAY_SIZE(r));
	assert_int_equal(run(image, "--move", pids(two, 0), "--quiet", NULL),
			 RELIEFCTL_EXIT_FAIL);
	assert_int_equal(replies[0].status, EIO);
	snprintf(want, sizeof(want), "agent: criu dump of %d (rt-two) failed: "
		 "fake: refused\n", (int)two);
	assert_has(err_text, want);
	assert_has(out_text, "processes moved: none (the dump failed; what it "
		   "froze runs on in kernel A)\n");
	assert_has(err_text, "rolled back: DUMP_FAILED\n");
}

/* A full swap without --move: an empty image, nothing frozen. */
static void test_swap_nothing_to_move(void **state)
{
	static const struct rt_step s[] = {
		run_steps[0], run_steps[1],
		{ 4, "sys/state", "ABORTED OPERATOR\n", 0 },
	};
	static const struct fake_req r[] = {
		{ 3, RELIEF_AGENT_DUMP, 0, NULL },
		{ 4, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_ABORTED, "OPERATOR" },
	};

	(void)state;
	script(s, ARRAY_SIZE(s), r, ARRAY_SIZE(r));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_FAIL);
	/* Nothing moves: B need not wait for an agent. */
	assert_int_equal(got.cmdline_len, 0);
	assert_int_equal(replies[0].status, 0);
	assert_int_equal(replies[0].nr_procs, 0);
	assert_has(out_text, "summary: the swap aborted (OPERATOR)\n");
	assert_has(out_text, "processes moved: none (no --move)\n");

	/* No request at all before the end. */
	rt_fake_write("sys/cpus", "\n");
	script(s, ARRAY_SIZE(s), NULL, 0);
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(out_text, "[   0.080 s] ABORTED OPERATOR\n");
	assert_null(strstr(out_text, "summary:"));
}

/* The agent's waits fail: said once, and the run goes on. */
static void test_agent_trouble(void **state)
{
	static const struct rt_step s[] = {
		{ 4, "sys/state", "ROLLED_BACK TIMEOUT\n", 0 },
	};
	static const struct fake_req r[] = {
		{ 1, 0, EPERM, NULL },
		{ 2, 0, EPERM, NULL },
		{ 3, 0, ESRCH, NULL },
	};

	(void)state;
	script(s, ARRAY_SIZE(s), r, ARRAY_SIZE(r));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_FAIL);
	assert_string_equal(err_text, "reliefctl swap: waiting for the "
			    "kernel's requests: Operation not permitted\n"
			    "rolled back: TIMEOUT\n");
	/* Each failed wait slept as follow would: 20 ms, 4 polls. */
	assert_has(out_text, "[   0.080 s] ROLLED_BACK TIMEOUT\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_move_refusals),
		T(test_move_usage),
		T(test_cannot_move),
		T(test_own_namespaces),
		T(test_zombie_and_threads),
		T(test_criu_cannot),
		T(test_transfer),
		T(test_dry_run),
		T(test_moved_memory),
		T(test_swap_done),
		T(test_swap_rolled_back),
		T(test_dump_fails),
		T(test_swap_nothing_to_move),
		T(test_agent_trouble),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
