// SPDX-License-Identifier: GPL-2.0
/*
 * test_agent.c - the agent against a fake /dev/relief (a regular file that
 * mmap() maps as the transfer area, the ioctls wrapped: requests come from
 * a queue the test fills, replies are recorded) and fake-criu.sh, with
 * real processes of this test as the trees: dumps packed into the area
 * and read back, every failure thawing what was stopped, restores from
 * what a dump left, END reported before its reply. With devices handed
 * over (a fake sysfs and mountinfo, a network namespace of the test's
 * own where it may make one): their file systems frozen after the dump
 * and thawed first on a rollback, their mounts and interfaces in the
 * manifest, set up again before a restore. Freezing and mounting are
 * wrapped (helper_fake.c). With TCP connections in the images, the input
 * held on those interfaces over the restore, through a fake libnftables
 * (fake_nftables.c) that logs beside fake-criu.sh.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "agent.h"
#include "helper_fake.h"
#include "helper_netns.h"
#include "imgpack.h"
#include "manifest.h"
#include "proctree.h"
#include "rtnl.h"

#define AREA	(1u << 20)

static char tmp[256], dev[300], work[300], calls[300], overcommit[300];

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void assert_file(const char *path, const char *want)
{
	char got[64] = "";
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	got[fread(got, 1, sizeof(got) - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(got, want);
}
static char *out_text, *err_text;
static size_t out_len, err_len;
static FILE *out, *err;

/* --- the fake kernel -------------------------------------------------- */

static struct {
	int ret;			/* -errno instead of a request */
	struct relief_agent_req req;
} queue[8];
static unsigned int nq, iq;
static struct relief_agent_reply replies[8];
static unsigned int nrep;
static int reply_ret;

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

/* RELIEF_IOC_AGENT_WINDOW: what it returns, the windows asked for. */
static int window_ret = -ENOTTY;
static struct relief_agent_window wins[8];
static unsigned int nwin, windows_closed, appends, placed;
static bool fresh;	/* appends came since the last query */
static bool area_filled;	/* the first page image fills the area */
static bool frames_ok;		/* the run agreed to pages left in place */
static bool copy_pages;		/* OLD's agent_cfg.copy_pages */

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(fd >= 0);
	if (req == RELIEF_IOC_AGENT_WAIT) {
		struct relief_agent_req *r = arg;

		assert_int_equal(r->timeout_ms, 250);
		if (iq == nq)
			return -EAGAIN;
		if (queue[iq].ret)
			return queue[iq++].ret;
		*r = queue[iq++].req;
		rt_fake_now_ns += 1000000000u;	/* a second between */
		return 0;
	}
	if (req == RELIEF_IOC_AGENT_WINDOW) {
		struct relief_agent_window *w = arg;

		if (window_ret)
			return window_ret;
		if ((w->flags & RELIEF_WINDOW_FRAMES) &&
		    (w->flags & RELIEF_WINDOW_APPEND) && !frames_ok)
			return -EOPNOTSUPP;
		if (w->flags & RELIEF_WINDOW_APPEND) {
			/* criu writes through /dev/null's number here */
			appends++;
			fresh = true;
			w->major = 1;
			w->minor = 3;
			return 0;
		}
		if (w->flags & RELIEF_WINDOW_QUERY) {
			/* Of a tree's windows only pages-1.img is written. */
			const char *b = getenv("FAKE_CRIU_BYTES");

			w->offset = fresh ? 4096 + placed * 262144 : UINT64_MAX;
			w->len = fresh ? (b ? strtoull(b, NULL, 10) : 4096) : 0;
			if (fresh && area_filled)	/* up to the area's end */
				w->len = AREA - w->offset;
			placed += fresh;
			fresh = false;
			return 0;
		}
		if (!w->len) {
			windows_closed++;
			return 0;
		}
		assert_true(nwin < 8);
		wins[nwin++] = *w;
		w->major = 1;	/* /dev/null's: a node the test can make */
		w->minor = 3;
		return 0;
	}
	assert_int_equal(req, RELIEF_IOC_AGENT_REPLY);
	assert_true(nrep < 8);
	replies[nrep++] = *(struct relief_agent_reply *)arg;
	return reply_ret;
}

static void post(uint32_t op, uint64_t image_len, uint32_t nr_procs)
{
	struct relief_agent_req *r = &queue[nq].req;

	memset(&queue[nq], 0, sizeof(queue[nq]));
	r->op = op;
	r->seq = 100 + nq;
	r->area_size = AREA;
	r->image_len = image_len;
	r->nr_procs = nr_procs;
	nq++;
}

static void post_end(uint32_t result, const char *reason)
{
	post(RELIEF_AGENT_END, 0, 0);
	queue[nq - 1].req.result = result;
	snprintf(queue[nq - 1].req.reason_name,
		 sizeof(queue[nq - 1].req.reason_name), "%s", reason);
}

static void post_error(int ret)
{
	memset(&queue[nq], 0, sizeof(queue[nq]));
	queue[nq++].ret = ret;
}

/* --- processes to move ------------------------------------------------ */

static pid_t one, one_kid, two;

static pid_t spawn(const char *name, int kid)
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
		if (kid && fork())
			for (;;)
				pause();
		if (kid) {
			rt_die_with_parent(parent);
			prctl(PR_SET_NAME, "rt-kid");
		}
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

/*
 * Kill a tree and reap all of it, so that its pids are free at once: the
 * test is a subreaper, so the orphans come to it when their parent dies.
 */
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

static void until_state(pid_t pid, int stopped)
{
	for (long i = 0; i < 100000000; i++) {
		if ((state_of(pid) == 'T') == stopped)
			return;
		sched_yield();
	}
	fail_msg("%d never %s", (int)pid, stopped ? "stopped" : "resumed");
}

/* --- setup ------------------------------------------------------------ */

/* libnftables: the fake beside this test, logging where criu does. */
static void nft_fake(void)
{
	char lib[600];
	ssize_t n = readlink("/proc/self/exe", lib, sizeof(lib) - 1);

	assert_true(n > 0);
	lib[n] = '\0';
	snprintf(strrchr(lib, '/'), sizeof(lib) - (size_t)(strrchr(lib, '/') -
		 lib), "/libfake-nftables.so");
	setenv("RELIEF_LIBNFTABLES", lib, 1);
	setenv("FAKE_NFT_LOG", calls, 1);
}

static int setup(void **state)
{
	static char fake[512];
	char self[512], sys[300];
	int fd;

	(void)state;
	snprintf(self, sizeof(self), "%s", __FILE__);
	snprintf(fake, sizeof(fake), "%s/fake-criu.sh", dirname(self));
	snprintf(tmp, sizeof(tmp), "%s/agent-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	snprintf(dev, sizeof(dev), "%s/dev", tmp);
	snprintf(work, sizeof(work), "%s/work", tmp);
	snprintf(calls, sizeof(calls), "%s/calls", tmp);
	fd = open(dev, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, AREA), 0);
	close(fd);
	assert_int_equal(mkdir(work, 0700), 0);
	setenv("RELIEF_DEV", dev, 1);
	setenv("RELIEF_CRIU", fake, 1);
	setenv("RELIEF_WORKDIR", work, 1);
	/* the lazy restore's vm.overcommit_memory, never the host's */
	snprintf(overcommit, sizeof(overcommit), "%s/overcommit", tmp);
	write_text(overcommit, "0\n");
	setenv("RELIEF_OVERCOMMIT", overcommit, 1);
	/* No devices handed over unless a test says so. */
	snprintf(sys, sizeof(sys), "%s/relief", tmp);
	assert_int_equal(mkdir(sys, 0700), 0);
	setenv("RELIEF_SYSFS", sys, 1);
	rt_fake_sys_reset();
	setenv("FAKE_CRIU_CALLS", calls, 1);
	setenv("FAKE_CRIU_STOP", "1", 1);
	nft_fake();
	nq = iq = nrep = 0;
	reply_ret = 0;
	window_ret = -ENOTTY;
	nwin = windows_closed = appends = placed = 0;
	fresh = area_filled = frames_ok = copy_pages = false;
	rt_fake_script(NULL, 0);
	out = open_memstream(&out_text, &out_len);
	err = open_memstream(&err_text, &err_len);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	one = spawn("rt-one", 1);
	two = spawn("rt-two", 0);
	{
		struct proc_tree t;

		/* one's child is there once one could write. */
		assert_int_equal(proctree_read(one, &t), 0);
		assert_int_equal(t.nr, 2);
		one_kid = t.procs[1].pid;
		proctree_free(&t);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	reap(&one);
	reap(&two);
	fclose(out);
	fclose(err);
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	unsetenv("FAKE_CRIU_FAIL");
	unsetenv("FAKE_CRIU_ERROR");
	unsetenv("FAKE_CRIU_BYTES");
	unsetenv("FAKE_CRIU_LAZY_FAIL");
	unsetenv("RELIEF_OVERCOMMIT");
	unsetenv("RELIEF_SYSFS");
	unsetenv("RELIEF_SYS");
	unsetenv("RELIEF_MOUNTINFO");
	unsetenv("RELIEF_DEVDIR");
	unsetenv("RELIEF_LIBNFTABLES");
	unsetenv("FAKE_NFT");
	unsetenv("FAKE_NFT_IF");
	unsetenv("FAKE_NFT_SCRIPT");
	unsetenv("FAKE_NFT_LOG");
	return 0;
}

static void agent_start(struct agent *a, enum agent_role role,
			const pid_t *roots, unsigned int n)
{
	struct agent_cfg cfg = {
		.role = role, .roots = roots, .nroots = n,
		.out = out, .err = err, .copy_pages = copy_pages,
	};

	assert_int_equal(agent_open(a, &cfg), 0);
}

static void flush(void)
{
	fflush(out);
	fflush(err);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

/* The working directory is empty again (or holds only kept logs). */
static int leftovers(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", work);
	return system(cmd) != 0;
}

/* The area unpacked into tmp/got, with its manifest. */
static void unpack_area(uint64_t len, struct manifest *m)
{
	struct imgpack_stats st;
	char got[400], why[256];
	int fd = open(dev, O_RDONLY);
	void *area;

	assert_true(fd >= 0);
	area = mmap(NULL, AREA, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(area != MAP_FAILED);
	snprintf(got, sizeof(got), "%s/got", tmp);
	assert_int_equal(mkdir(got, 0700), 0);
	assert_int_equal(imgpack_unpack(area, len, got, &st, why, sizeof(why)),
			 0);
	munmap(area, AREA);
	close(fd);
	strcat(got, "/" MANIFEST_NAME);
	assert_int_equal(manifest_read(got, m, why, sizeof(why)), 0);
}

/* --- DUMP and THAW ---------------------------------------------------- */

static void test_dump_then_thaw(void **state)
{
	pid_t roots[] = { one, two };
	struct manifest m;
	struct agent a;
	char want[200], path[400];
	struct stat sb;

	(void)state;
	agent_start(&a, AGENT_OLD, roots, 2);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post(RELIEF_AGENT_THAW, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(nrep, 1);
	assert_int_equal(replies[0].seq, 100);
	assert_int_equal(replies[0].status, 0);
	assert_int_equal(replies[0].nr_procs, 3);
	assert_true(replies[0].image_len > 8192);
	assert_true(a.stopped);
	until_state(one, 1);
	until_state(two, 1);
	flush();
	snprintf(want, sizeof(want), "agent: dumped 3 processes in 2 trees "
		 "(pids %d %d %d): ", (int)one, (int)one_kid, (int)two);
	assert_has(out_text, want);
	assert_string_equal(err_text, "");
	assert_false(leftovers());

	unpack_area(replies[0].image_len, &m);
	assert_int_equal(m.nr, 2);
	assert_string_equal(m.network_lock, "");
	assert_int_equal(m.trees[0].root, one);
	assert_string_equal(m.trees[0].comm, "rt-one");
	assert_int_equal(m.trees[0].nr, 2);
	assert_int_equal(m.trees[0].pids[1], one_kid);
	/* The test's children share its session: a shell job. */
	assert_true(m.trees[0].shell_job);
	assert_int_equal(m.trees[1].root, two);
	manifest_free(&m);
	snprintf(path, sizeof(path), "%s/got/1/core-%d.img", tmp, (int)two);
	assert_int_equal(stat(path, &sb), 0);

	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].seq, 101);
	assert_int_equal(replies[1].status, 0);
	assert_int_equal(a.resumed, 3);
	assert_false(a.stopped);
	until_state(one, 0);
	until_state(two, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_IDLE);
	assert_int_equal(a.handled, 2);
	agent_close(&a);
}

static void test_dump_options(void **state)
{
	pid_t roots[] = { two };
	struct agent_cfg cfg = {
		.role = AGENT_OLD, .roots = roots, .nroots = 1,
		.network_lock = "nftables", .out = out, .err = err,
	};
	struct agent a;
	char text[1024];
	FILE *f;

	(void)state;
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, 0);
	assert_string_equal(a.moved.network_lock, "nftables");
	f = fopen(calls, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_has(text, "--shell-job --skip-in-flight --network-lock "
		   "nftables\n");
	agent_close(&a);
}

static void test_dump_fails(void **state)
{
	pid_t roots[] = { one, two };
	struct agent a;
	char want[200], env[32];

	(void)state;
	snprintf(env, sizeof(env), "dump:%d", (int)two);
	setenv("FAKE_CRIU_FAIL", env, 1);
	setenv("FAKE_CRIU_ERROR", "iptables-restore failed", 1);
	agent_start(&a, AGENT_OLD, roots, 2);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, EIO);
	snprintf(want, sizeof(want), "criu dump of %d (rt-two) failed: "
		 "iptables-restore failed", (int)two);
	assert_string_equal(replies[0].why, want);
	assert_int_equal(a.status, EIO);
	/* Tree one was dumped and stopped: it runs again. */
	until_state(one, 0);
	assert_false(a.stopped);
	flush();
	assert_has(err_text, want);
	assert_has(err_text, "agent: criu's logs are in ");
	assert_has(err_text, "\nagent: established TCP connections are held "
		   "with netfilter");
	assert_has(out_text, "agent: the dump failed; resuming the dumped "
		   "processes\nagent: resumed 2 processes in this kernel\n");
	assert_true(leftovers());	/* the logs */
	agent_close(&a);
}

static void test_dump_too_big(void **state)
{
	pid_t roots[] = { two };
	struct agent a;

	(void)state;
	setenv("FAKE_CRIU_BYTES", "2097152", 1);
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, ENOSPC);
	assert_string_equal(replies[0].why, "images need 2.1 MiB but the "
			    "transfer area has 1 MiB");
	until_state(two, 0);
	agent_close(&a);
}

static void test_dump_refusals(void **state)
{
	pid_t gone = fork(), roots[] = { 0 };
	struct agent a;
	char want[100];

	(void)state;
	if (!gone)
		_exit(0);
	assert_int_equal(waitpid(gone, NULL, 0), gone);
	roots[0] = gone;
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, ESRCH);
	snprintf(want, sizeof(want), "process %d is gone: No such file or "
		 "directory", (int)gone);
	assert_string_equal(replies[0].why, want);
	agent_close(&a);

	/* No transfer area. */
	roots[0] = two;
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	queue[nq - 1].req.area_size = 0;
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, ENODEV);
	assert_string_equal(replies[1].why, "the kernel has no transfer area "
			    "for the images");
	until_state(two, 0);
	agent_close(&a);

	/* No directory for the images; no area to map. */
	setenv("RELIEF_WORKDIR", "/nonexistent", 1);
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post(RELIEF_AGENT_RESTORE, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[2].status, ENOENT);
	assert_string_equal(replies[2].why, "cannot make a directory for the "
			    "images in /nonexistent: No such file or "
			    "directory");
	agent_close(&a);
	agent_start(&a, AGENT_NEW, NULL, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[3].status, ENOENT);
	agent_close(&a);
	setenv("RELIEF_WORKDIR", work, 1);
	setenv("RELIEF_DEV", "/dev/null", 1);
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[4].status, ENODEV);
	assert_string_equal(replies[4].why, "cannot map the transfer area "
			    "(1048576 bytes): No such device");
	until_state(two, 0);
	agent_close(&a);
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, 100, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[5].status, ENODEV);
	agent_close(&a);
	setenv("RELIEF_DEV", dev, 1);
	nrep = 2;

	/* Nothing to move: the empty image, length and count 0. */
	agent_start(&a, AGENT_OLD, NULL, 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[2].status, 0);
	assert_int_equal(replies[2].nr_procs, 0);
	assert_int_equal(replies[2].image_len, 0);
	flush();
	assert_has(out_text, "agent: no process to move (no --move)\n");
	agent_close(&a);
}

/* A process someone stopped before the dump stays stopped on a thaw. */
static void test_thaw_keeps_stopped(void **state)
{
	pid_t roots[] = { one };
	struct agent a;

	(void)state;
	assert_int_equal(kill(one_kid, SIGSTOP), 0);
	until_state(one_kid, 1);
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post(RELIEF_AGENT_THAW, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	until_state(one, 0);
	assert_int_equal(state_of(one_kid), 'T');
	flush();
	assert_has(out_text, "agent: resumed 1 processes in this kernel (1 "
		   "stopped before the dump stay so)\n");
	agent_close(&a);
}

/* --- RESTORE ---------------------------------------------------------- */

/* Dump one and two: the length of the images; they stay as dumped. */
static uint64_t dumped(void)
{
	pid_t roots[] = { one, two };
	struct agent a;

	agent_start(&a, AGENT_OLD, roots, 2);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	agent_close(&a);
	return replies[nrep - 1].image_len;
}

/* Dump one and two, then let them go: their pids are free to restore. */
static uint64_t dumped_gone(void)
{
	uint64_t len = dumped();

	reap(&one);
	reap(&two);
	return len;
}

/* What fake-criu.sh and the fake libnftables logged, in order; emptied. */
static const char *logged(void)
{
	static char text[4096];
	FILE *f = fopen(calls, "r");

	text[0] = '\0';
	if (f) {
		text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
		fclose(f);
		unlink(calls);
	}
	return text;
}

static void test_restore(void **state)
{
	uint64_t len = dumped_gone();
	struct agent a;
	char want[400], text[2048];
	FILE *f;

	(void)state;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	assert_int_equal(replies[1].nr_procs, 3);
	assert_int_equal(a.moved.nr, 2);
	flush();
	assert_has(out_text, "agent: restored 3 processes in 2 trees (pids ");
	assert_false(leftovers());
	f = fopen(calls, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	snprintf(want, sizeof(want), "restore -D %s/relief-agent.", work);
	assert_has(text, want);
	assert_has(text, "/images/1 -o restore.log -v4 ");
	assert_has(text, "-v4 --tcp-established --file-locks --shell-job\n");
	assert_has(text, "timens-0.img: a time namespace from the dump\n");
	agent_close(&a);
}

/*
 * B's clocks continue A's: the trees are restored in B's time, without
 * the namespace whose offsets would hide the pause.
 */
static void test_restore_clocks_continued(void **state)
{
	uint64_t len = dumped_gone();
	const char *text;
	char path[600];
	struct agent a;

	(void)state;
	snprintf(path, sizeof(path), "%s/clocks", getenv("RELIEF_SYSFS"));
	write_text(path, "continued\n");
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	flush();
	assert_has(out_text, "agent: kernel B's clocks continue kernel A's: 2 "
		   "trees keep the machine's time\n");
	text = logged();
	assert_has(text, "restore -D ");
	assert_null(strstr(text, "timens-0.img"));
	agent_close(&a);
}

/*
 * Lazy: each tree's lazy-pages daemon listens before its restore, the
 * images stay until END has waited for the daemons; a daemon that fails
 * after the restore takes its tree with it.
 */
static void test_restore_lazy(void **state)
{
	uint64_t len = dumped_gone();
	struct agent_cfg cfg = {
		.role = AGENT_NEW, .out = out, .err = err, .lazy = true,
		.criu_timeout_ms = 5000,
	};
	struct agent a;
	char text[8192];
	FILE *f;

	(void)state;
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	assert_int_equal(a.nlazy, 2);
	assert_true(a.lazy[0] > 0 && a.lazy[1] > 0);
	/* criu may map more than B has until the memory is in */
	assert_file(overcommit, "1\n");
	/* The daemons read the images until END. */
	assert_true(leftovers());
	f = fopen(calls, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_has(text, "/images/0 -o ");
	assert_has(text, "/logs/lazy-0.log -v4 --status-fd 3\nrestore -D ");
	assert_has(text, "--lazy-pages\n");
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_int_equal(a.status, 0);
	assert_int_equal(a.nlazy, 0);
	assert_file(overcommit, "0\n");
	assert_false(leftovers());
	flush();
	assert_has(out_text, "agent: the memory of 2 trees was all in ");
	agent_close(&a);

	/* Tree 1's daemon fails once it listened: the tree is killed. */
	one = spawn("rt-one", 0);	/* no kid: the agent kills the root */
	setenv("FAKE_CRIU_LAZY_FAIL", "1", 1);
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	unsetenv("FAKE_CRIU_LAZY_FAIL");
	/* the fake restores nothing: stand in rt-one for tree 0's root */
	a.moved.trees[0].pids[0] = one;
	a.moved.trees[0].nr = 1;
	a.moved.trees[1].nr = 0;	/* its pids are gone, maybe reused */
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_int_equal(a.status, EIO);
	flush();
	assert_has(err_text, "was not all filled in: uffd: pages of 1 not "
		   "found; killing the tree, which would read zeroes there\n");
	assert_has(err_text, "agent: criu's logs are in ");
	{
		int st;

		assert_int_equal(waitpid(one, &st, 0), one);
		assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		one = 0;
	}
	agent_close(&a);
}

/*
 * The pack's place, from the header of an area whose page images criu
 * wrote itself (its low three bytes): the header and the pack's own magic
 * must be where it says.
 */
static uint64_t area_pack_off(void)
{
	const uint8_t *area;
	uint64_t off;
	int fd = open(dev, O_RDONLY);

	assert_true(fd >= 0);
	area = mmap(NULL, AREA, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(area != MAP_FAILED);
	assert_memory_equal(area, "RLFAREA1", 8);
	off = area[8] | area[9] << 8 | area[10] << 16;
	assert_true(off < AREA);
	assert_memory_equal(area + off, "RLFIMGS\n", 8);
	munmap((void *)area, AREA);
	close(fd);
	return off;
}

/*
 * Page images of 64 KiB and more are read in place: each is a node of a
 * window on the area, where its bytes lie; the windows close once the
 * restore is over. A kernel without windows: copied, and said so.
 */
static void test_restore_windows(void **state)
{
	uint64_t len;
	struct agent a;
	char text[4096];
	FILE *f;

	(void)state;
	setenv("FAKE_CRIU_BYTES", "131072", 1);
	window_ret = 0;
	len = dumped();
	/* A: one node a process and 4 more a tree; the unused ones went. */
	assert_int_equal(appends, 2 + 4 + 1 + 4);
	assert_int_equal(placed, 2);
	assert_int_equal(windows_closed, 1);
	/*
	 * the area begins with its header, the pack after both page images,
	 * on a 4 KiB boundary
	 */
	assert_int_equal(area_pack_off(), 4096 + 262144 + 131072);
	reap(&one);
	reap(&two);
	assert_int_equal(unlink(calls), 0);
	nwin = windows_closed = 0;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	/* B: a read window on each, where A's criu wrote it. */
	assert_int_equal(nwin, 2);
	assert_int_equal(wins[0].offset, 4096);
	assert_int_equal(wins[1].offset, 4096 + 262144);
	assert_int_equal(wins[0].len, 131072);
	assert_int_equal(wins[1].len, 131072);
	assert_int_equal(windows_closed, 1);
	assert_false(a.windows);
	flush();
	assert_has(out_text, "agent: 2 page images (256 KiB) are read in "
		   "place, from the transfer area\n");
	/* criu found a node where each page image was. */
	f = fopen(calls, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_has(text, "pages-1.img: character device 1:3\nrestore ");
	assert_non_null(strstr(strstr(text, "1:3\nrestore "), "1:3\n"));
	agent_close(&a);

	/* Without windows in the kernel: copied, and said. */
	window_ret = -ENOTTY;
	nwin = 0;
	one = spawn("rt-one", 0);
	two = spawn("rt-two", 0);
	len = dumped_gone();
	flush();
	assert_has(out_text, "agent: the page images are copied: no append "
		   "window on the transfer area (Inappropriate ioctl for "
		   "device)\n");
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 2);	/* rt-one without its kid */
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	assert_int_equal(nwin, 0);
	flush();
	assert_has(err_text, "agent: the page images are copied: no window "
		   "on the transfer area (Inappropriate ioctl for device)\n");
	agent_close(&a);
}

/*
 * UNPACK before RESTORE (B posts it at PROC_IMAGE, before the devices are
 * bound): the images are unpacked and their windows made once, at UNPACK,
 * and RESTORE uses them. An UNPACK no RESTORE follows (the run rolled
 * back) leaves nothing behind at END.
 */
static void test_unpack_early(void **state)
{
	pid_t workers[2];
	uint64_t len;
	struct agent a;

	(void)state;
	setenv("FAKE_CRIU_BYTES", "131072", 1);
	window_ret = 0;
	len = dumped_gone();
	nwin = windows_closed = 0;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_UNPACK, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	assert_int_equal(nwin, 2);
	assert_non_null(a.unpacked);
	/* criu's service workers wait for RESTORE, one a tree */
	assert_true(a.swrk[0].pid > 0 && a.swrk[1].pid > 0);
	assert_int_equal(a.swrk[2].pid, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	assert_int_equal(replies[nrep - 1].nr_procs, 3);
	assert_int_equal(nwin, 2);	/* not unpacked again */
	assert_null(a.unpacked);
	assert_true(a.swrk[0].pid == 0 && a.swrk[1].pid == 0);
	assert_int_equal(windows_closed, 1);
	flush();
	assert_has(out_text, "agent: restored 3 processes in 2 trees");
	agent_close(&a);
	assert_false(leftovers());

	/* UNPACK, then the run rolls back: END drops the images. */
	one = spawn("rt-one", 0);
	two = spawn("rt-two", 0);
	len = dumped_gone();
	nwin = windows_closed = 0;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_UNPACK, len, 2);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(nwin, 2);
	assert_true(leftovers());
	workers[0] = a.swrk[0].pid;
	workers[1] = a.swrk[1].pid;
	assert_true(workers[0] > 0 && workers[1] > 0);
	post_end(RELIEF_AGENT_RESULT_ROLLED_BACK, "DEVICE_FAILED");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_null(a.unpacked);
	assert_int_equal(windows_closed, 1);
	assert_false(leftovers());
	/* and stops the workers: killed, reaped */
	assert_true(a.swrk[0].pid == 0 && a.swrk[1].pid == 0);
	assert_int_equal(kill(workers[0], 0), -1);
	assert_int_equal(kill(workers[1], 0), -1);
	agent_close(&a);
}

/* Lazy: UNPACK starts the daemons too; RESTORE finds them ready. */
static void test_unpack_early_lazy(void **state)
{
	struct agent_cfg cfg = {
		.role = AGENT_NEW, .out = out, .err = err, .lazy = true,
		.criu_timeout_ms = 5000,
	};
	pid_t daemon;
	uint64_t len;
	struct agent a;

	(void)state;
	len = dumped_gone();
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_UNPACK, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(a.nlazy, 2);
	assert_true(a.lazy[0] > 0 && a.lazy_status[0] >= 0);
	assert_true(a.lazy[1] > 0 && a.lazy_status[1] >= 0);
	daemon = a.lazy[0];
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	assert_int_equal(a.lazy[0], daemon);	/* the same daemon */
	assert_int_equal(a.lazy_status[0], -1);		/* it listened */
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_int_equal(a.status, 0);
	assert_false(leftovers());
	agent_close(&a);

	/* Lazy, rolled back after UNPACK: END kills the daemons at once. */
	one = spawn("rt-one", 0);
	two = spawn("rt-two", 0);
	len = dumped_gone();
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_UNPACK, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	daemon = a.lazy[0];
	assert_true(daemon > 0);
	post_end(RELIEF_AGENT_RESULT_ROLLED_BACK, "DEVICE_FAILED");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_int_equal(a.status, 0);
	assert_int_equal(a.nlazy, 0);
	assert_int_equal(kill(daemon, 0), -1);
	assert_false(leftovers());
	agent_close(&a);
}

/*
 * A run that agreed to leave the pages in place: the page images are
 * frame lists in the area (8 bytes a page), packed as such, and B reads
 * each through a frames window. --copy-pages copies them all the same.
 */
static void test_frames(void **state)
{
	uint64_t len;
	struct agent a;

	(void)state;
	setenv("FAKE_CRIU_BYTES", "131072", 1);
	window_ret = 0;
	frames_ok = true;
	len = dumped();
	assert_int_equal(appends, 2 + 4 + 1 + 4);
	flush();
	assert_has(out_text, "; 2 page images (256 KiB) left in place\n");
	/* the pack after the second list (256 bytes), on a 4 KiB boundary */
	assert_int_equal(area_pack_off(), 4096 + 262144 + 4096);
	reap(&one);
	reap(&two);
	nwin = windows_closed = 0;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[nrep - 1].status, 0);
	assert_int_equal(nwin, 2);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(wins[i].flags, RELIEF_WINDOW_FRAMES);
		assert_int_equal(wins[i].offset, 4096 + i * 262144);
		assert_int_equal(wins[i].len, 131072);
	}
	assert_int_equal(windows_closed, 1);
	flush();
	assert_has(out_text, "agent: 2 page images (256 KiB) are read in "
		   "place, from the transfer area; 2 of them (256 KiB) from "
		   "kernel A's memory, where its pages were left\n");
	agent_close(&a);

	/* --copy-pages: never a frames window, though the run agreed. */
	copy_pages = true;
	appends = placed = 0;
	one = spawn("rt-one", 0);
	two = spawn("rt-two", 0);
	len = dumped();
	assert_int_equal(area_pack_off(), 4096 + 262144 + 131072);
	reap(&one);
	reap(&two);
}

/* criu ran out of area writing the page images: said so, not splice's. */
static void test_dump_fills_area(void **state)
{
	pid_t roots[] = { one, two };
	struct agent a;

	(void)state;
	window_ret = 0;
	area_filled = true;
	setenv("FAKE_CRIU_FAIL", "dump", 1);
	setenv("FAKE_CRIU_ERROR", "Unable to spl: No space left on device", 1);
	agent_start(&a, AGENT_OLD, roots, 2);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, ENOSPC);
	assert_has(replies[0].why, "the page images fill the 1048576-byte "
		   "transfer area; a larger --transfer");
	agent_close(&a);
	unsetenv("FAKE_CRIU_ERROR");
}

static void test_restore_refusals(void **state)
{
	uint64_t len = dumped();
	struct agent a;
	char want[200];

	(void)state;
	agent_start(&a, AGENT_NEW, NULL, 0);
	/* Its pids are still in use here. */
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, EEXIST);
	snprintf(want, sizeof(want), "pid %d is taken here by rt-one: the "
		 "moved processes need their pids", (int)one);
	assert_string_equal(replies[1].why, want);
	reap(&one);
	reap(&two);
	post(RELIEF_AGENT_RESTORE, len, 4);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_string_equal(replies[2].why, "the kernel says 4 processes, the "
			    "images hold 3");
	post(RELIEF_AGENT_RESTORE, 0, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[3].status, EINVAL);
	assert_string_equal(replies[3].why, "the kernel says 0 bytes of images "
			    "in a transfer area of 1048576");
	post(RELIEF_AGENT_RESTORE, AREA + 1, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[4].status, EINVAL);
	post(RELIEF_AGENT_RESTORE, len - 8, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[5].status, EBADMSG);
	assert_has(replies[5].why, "the images do not unpack: truncated: the "
		   "pack says ");
	agent_close(&a);
}

static void test_restore_fails(void **state)
{
	uint64_t len = dumped_gone();
	struct agent a;

	(void)state;
	setenv("FAKE_CRIU_FAIL", "restore:1", 1);
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, EIO);
	assert_non_null(strstr(replies[1].why, "(rt-two) failed: fake: "
			       "refused"));
	assert_int_equal(a.moved.nr, 0);
	flush();
	assert_has(err_text, "agent: criu's logs are in ");
	agent_close(&a);
}

/* Images without the list of trees. */
static void test_restore_no_manifest(void **state)
{
	struct imgpack_stats st;
	char src[400], why[256];
	struct agent a;
	void *area;
	long n;
	int fd;

	(void)state;
	snprintf(src, sizeof(src), "%s/src", tmp);
	assert_int_equal(mkdir(src, 0700), 0);
	fd = open(dev, O_RDWR);
	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(area != MAP_FAILED);
	n = imgpack_pack(src, area, AREA, &st, why, sizeof(why));
	assert_true(n > 0);
	munmap(area, AREA);
	close(fd);
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_RESTORE, (uint64_t)n, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, ENOENT);
	assert_has(replies[0].why, "the images hold no list of trees: ");
	agent_close(&a);
}

/* --- devices handed over --------------------------------------------- */

#define PCI_BLK	"0000:00:02.0"
#define PCI_NET	"0000:00:03.0"

static int netns = -1;		/* 0: in a network namespace of our own */
static char mnt[400];

/* A network namespace of the test's own, with the veth v0 - v1, if root. */
static void netns_on(void)
{
	if (netns < 0) {
		netns = rt_netns_enter();
		if (!netns)
			assert_int_equal(rt_veth_add("v0", 1, "v1", 2), 0);
	}
}

/*
 * The kernel hands over vda (PCI_BLK), mounted on tmp/mnt/data, and v0
 * (PCI_NET): a veth where the test may make a network namespace.
 */
static void devices_on(void)
{
	char cmd[3000], path[400];

	snprintf(mnt, sizeof(mnt), "%s/mnt/data", tmp);
	snprintf(cmd, sizeof(cmd), "cd '%s' && "
		 "printf '" PCI_BLK " x movable\\n" PCI_NET " x movable\\n' > "
		 "relief/devices && "
		 "mkdir -p sys/devices/pci0000:00/" PCI_BLK "/virtio1/block/vda "
		 "sys/dev/block nodes sys/class/net "
		 "sys/devices/pci0000:00/" PCI_NET "/virtio2/net/v0 && "
		 "ln -s ../../devices/pci0000:00/" PCI_BLK "/virtio1/block/vda "
		 "sys/dev/block/254:0 && "
		 "ln -s ../../../virtio2 sys/devices/pci0000:00/" PCI_NET
		 "/virtio2/net/v0/device && "
		 "ln -s ../../devices/pci0000:00/" PCI_NET "/virtio2/net/v0 "
		 "sys/class/net/v0 && "
		 "echo '30 1 254:0 / %s rw,relatime - ext4 /dev/vda rw' > "
		 "mountinfo", tmp, mnt);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/sys", tmp);
	setenv("RELIEF_SYS", path, 1);
	snprintf(path, sizeof(path), "%s/mountinfo", tmp);
	setenv("RELIEF_MOUNTINFO", path, 1);
	snprintf(path, sizeof(path), "%s/nodes", tmp);
	setenv("RELIEF_DEVDIR", path, 1);
	netns_on();
}

static void test_dump_devices(void **state)
{
	pid_t roots[] = { one, two };
	struct manifest m;
	struct agent a;
	char want[600];

	(void)state;
	devices_on();
	agent_start(&a, AGENT_OLD, roots, 2);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post(RELIEF_AGENT_THAW, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, 0);
	snprintf(want, sizeof(want), "freeze %s\n", mnt);
	assert_string_equal(rt_fake_sys_log, want);
	flush();
	snprintf(want, sizeof(want), "agent: froze 1 file systems on the "
		 "handed-over devices: %s\n", mnt);
	assert_has(out_text, want);
	unpack_area(replies[0].image_len, &m);
	assert_int_equal(m.nr, 2);
	assert_int_equal(m.nmounts, 1);
	assert_string_equal(m.mounts[0].dev, "vda");
	assert_string_equal(m.mounts[0].pci, PCI_BLK);
	assert_string_equal(m.mounts[0].mountpoint, mnt);
	if (!netns) {
		assert_int_equal(m.nlinks, 1);
		assert_string_equal(m.links[0].name, "v0");
		assert_string_equal(m.links[0].pci, PCI_NET);
	}
	manifest_free(&m);

	/* The rollback: the file systems first, then the processes. */
	rt_fake_sys_reset();
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	snprintf(want, sizeof(want), "thaw %s\n", mnt);
	assert_string_equal(rt_fake_sys_log, want);
	flush();
	assert_has(out_text, "agent: thawed 1 file systems\nagent: resumed 3 "
		   "processes in this kernel\n");
	until_state(one, 0);
	until_state(two, 0);
	agent_close(&a);
}

static void test_dump_devices_fail(void **state)
{
	pid_t roots[] = { two };
	struct agent a;
	char path[400];

	(void)state;
	devices_on();
	agent_start(&a, AGENT_OLD, roots, 1);
	/* A file system that cannot be frozen fails the dump. */
	rt_fake_sys_fail = "freeze";
	rt_fake_sys_errno = EOPNOTSUPP;
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, EOPNOTSUPP);
	assert_has(replies[0].why, "cannot freeze ");
	flush();
	assert_has(err_text, "/mnt/data (ext4 on vda) before its device is "
		   "handed over: Operation not supported\n");
	assert_has(out_text, "agent: resumed 1 processes in this kernel\n");
	until_state(two, 0);

	/* The devices cannot be read; mountinfo cannot. */
	snprintf(path, sizeof(path), "%s/relief/devices", tmp);
	setenv("RELIEF_SYSFS", path, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, ENOTDIR);
	assert_has(replies[1].why, "which devices are handed over? ");
	until_state(two, 0);
	snprintf(path, sizeof(path), "%s/relief", tmp);
	setenv("RELIEF_SYSFS", path, 1);
	snprintf(path, sizeof(path), "%s/mountinfo", tmp);
	assert_int_equal(unlink(path), 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[2].status, ENOENT);
	assert_has(replies[2].why, "mountinfo: No such file or directory");
	until_state(two, 0);
	agent_close(&a);
}

/* Output to a disk the agent must freeze would block it: refused. */
static void test_dump_output_on_disk(void **state)
{
	pid_t roots[] = { two };
	struct agent_cfg cfg = {
		.role = AGENT_OLD, .roots = roots, .nroots = 1, .err = err,
	};
	struct agent a;
	char path[400];
	FILE *f;

	(void)state;
	devices_on();
	snprintf(path, sizeof(path), "%s/mnt", tmp);
	mkdir(path, 0700);
	assert_int_equal(mkdir(mnt, 0700), 0);
	snprintf(path, sizeof(path), "%s/out.txt", tmp);
	f = fopen(path, "w+");
	assert_non_null(f);
	cfg.out = f;
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, EBUSY);
	assert_has(replies[0].why, "the agent's output goes to ");
	assert_string_equal(rt_fake_sys_log, "");
	until_state(two, 0);
	agent_close(&a);
	fclose(f);
}

/* A file system that stays frozen: the processes resume all the same. */
static void test_thaw_devices_fails(void **state)
{
	pid_t roots[] = { one };
	struct agent a;

	(void)state;
	devices_on();
	agent_start(&a, AGENT_OLD, roots, 1);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post(RELIEF_AGENT_THAW, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, 0);
	rt_fake_sys_fail = "thaw";
	rt_fake_sys_errno = EINVAL;
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, EINVAL);
	flush();
	assert_has(err_text, "/mnt/data stays frozen: Invalid argument\n");
	until_state(one, 0);
	assert_int_equal(a.frozen.nr, 0);
	agent_close(&a);
}

/* Nothing moves, but the disks are handed over: frozen all the same. */
static void test_no_move_devices(void **state)
{
	struct agent a;
	char want[3000];

	(void)state;
	devices_on();
	agent_start(&a, AGENT_OLD, NULL, 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	/* A second run's dump finds the first's still frozen: thawed. */
	post(RELIEF_AGENT_DUMP, 0, 0);
	post_end(RELIEF_DEV_RESULT_ROLLED_BACK, "TIMEOUT");
	post(RELIEF_AGENT_DUMP, 0, 0);
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, 0);
	assert_int_equal(replies[0].image_len, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	/* A run that did not end done thaws what no THAW did. */
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	snprintf(want, sizeof(want), "freeze %s\nthaw %s\nfreeze %s\n"
		 "thaw %s\n", mnt, mnt, mnt, mnt);
	assert_string_equal(rt_fake_sys_log, want);
	/* Done: the kernel parks with them frozen. */
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 "freeze %s\n", mnt);
	assert_string_equal(rt_fake_sys_log, want);
	assert_int_equal(a.frozen.nr, 1);
	agent_close(&a);
	assert_int_equal(a.frozen.nr, 0);
	/* A thaw that fails at the END says so. */
	agent_start(&a, AGENT_OLD, NULL, 0);
	post(RELIEF_AGENT_DUMP, 0, 0);
	post_end(RELIEF_DEV_RESULT_ABORTED, "");
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	rt_fake_sys_fail = "thaw";
	rt_fake_sys_errno = EIO;
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	flush();
	assert_has(err_text, "/mnt/data stays frozen: Input/output error\n");
	agent_close(&a);
}

static void test_restore_devices(void **state)
{
	struct agent_cfg cfg = {
		.role = AGENT_NEW, .out = out, .err = err,
		.setup_wait_ms = 1000,
	};
	uint64_t len;
	struct agent a;
	char want[1200], node[400];

	(void)state;
	devices_on();
	len = dumped_gone();
	rt_fake_sys_reset();
	snprintf(node, sizeof(node), "%s/nodes/vda", tmp);
	close(open(node, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(agent_open(&a, &cfg), 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[1].status, 0);
	snprintf(want, sizeof(want), "mount %s %s ext4 0x200000 -\n", node,
		 mnt);
	assert_string_equal(rt_fake_sys_log, want);
	flush();
	snprintf(want, sizeof(want), "agent: mounted %s (ext4) on %s\n", node,
		 mnt);
	assert_has(out_text, want);
	if (!netns)
		assert_has(out_text, "agent: v0 (02:00:00:00:00:01 on " PCI_NET);

	/* The disk never comes: no criu runs. */
	assert_int_equal(unlink(node), 0);
	assert_int_equal(unlink(calls), 0);
	post(RELIEF_AGENT_RESTORE, len, 3);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[2].status, ENODEV);
	flush();
	snprintf(want, sizeof(want), "agent: %s (A's ext4 on %s, device "
		 PCI_BLK ") did not appear within 1 s\n", node, mnt);
	assert_has(err_text, want);
	assert_int_equal(access(calls, F_OK), -1);
	agent_close(&a);
}


/* --- the input held over a restore ------------------------------------ */

/* One there before goes (as a release would), then the hold is made. */
#define RELEASE	"delete table inet relief-hold\n"
#define HOLD(names)	RELEASE HOLD_ADD(names)
#define HOLD_ADD(names)							\
	"add table inet relief-hold { flags owner; }\n"			\
	"add chain inet relief-hold input { type filter hook input "	\
	"priority -350; policy accept; }\n"				\
	"add rule inet relief-hold input iifname { " names " } drop\n"
#define V9	"link v9 mac 02:00:00:00:00:09 mtu 1500 up 1 pci " \
		PCI_NET "\n"

/*
 * What an old kernel's agent leaves in the area: one tree, root
 * 0x7ffffff0 (free: no machine has that many pids), its images a
 * stand-in, with a TCP connection's (tcp) or not; then the lines links.
 */
static uint64_t packed(const char *links, int tcp)
{
	struct imgpack_stats st;
	char src[400], path[500], why[256];
	void *area;
	FILE *f;
	long n;
	int fd;

	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(path, sizeof(path), "rm -rf '%s'", src);
	assert_int_equal(system(path), 0);
	assert_int_equal(mkdir(src, 0700), 0);
	snprintf(path, sizeof(path), "%s/" MANIFEST_NAME, src);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "relief-trees 2\nnetwork-lock nftables\ntree 0 root "
		"2147483632 shell-job 0 comm daemon\npids 0 2147483632\n%s",
		links);
	assert_int_equal(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/0", src);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/0/inventory.img", src);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	snprintf(path, sizeof(path), "%s/0/tcp-stream-1f2e.img", src);
	if (tcp)
		close(open(path, O_WRONLY | O_CREAT, 0600));
	fd = open(dev, O_RDWR);
	assert_true(fd >= 0);
	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(area != MAP_FAILED);
	n = imgpack_pack(src, area, AREA, &st, why, sizeof(why));
	assert_true(n > 0);
	munmap(area, AREA);
	close(fd);
	return (uint64_t)n;
}

/* How the fake libnftables answers its next commands, a line each. */
static void script(const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nft-script", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	setenv("FAKE_NFT_SCRIPT", path, 1);
}

/* The queue and the replies from the start, when all was taken. */
static void requeue(void)
{
	if (iq == nq)
		nq = iq = nrep = 0;
}

/* A restore of len bytes of images, one process: its status. */
static int restore(struct agent *a, uint64_t len)
{
	requeue();
	post(RELIEF_AGENT_RESTORE, len, 1);
	assert_int_equal(agent_poll(a, 250), AGENT_HANDLED);
	flush();
	return replies[nrep - 1].status;
}

static void agent_new(struct agent *a)
{
	struct agent_cfg cfg = {
		.role = AGENT_NEW, .out = out, .err = err,
		.setup_wait_ms = 1000,
	};

	assert_int_equal(agent_open(a, &cfg), 0);
}

/*
 * From before v0 comes up until after criu restored the tree: its input
 * held. Each nft command is logged with v0's state as it ran.
 */
static void test_restore_hold(void **state)
{
	const char *want = RELEASE "# v0 down\n" HOLD_ADD("\"v0\"")
			   "# v0 down\nrestore -D ";
	const char *text, *at;
	struct agent a;

	(void)state;
	netns_on();
	if (netns)
		skip();		/* not root: no interface to set up */
	assert_int_equal(rtnl_set_link(rt_ifindex("v0"), NULL, 0, 0), 0);
	setenv("FAKE_NFT_IF", "v0", 1);
	agent_new(&a);
	assert_int_equal(restore(&a, packed("link v0 mac 02:00:00:00:00:01 "
					    "mtu 1500 up 1 pci " PCI_NET
					    "\n", 1)), 0);
	assert_false(a.held);
	text = logged();
	/* Held while v0 was down; criu restored, once; released after. */
	if (strncmp(text, want, strlen(want)))
		fail_msg("not held before v0 came up:\n%s", text);
	at = text + strlen(want) - strlen("restore -D ");
	assert_null(strstr(at + 1, "restore -D "));
	assert_string_equal(strchr(at, '\n'), "\n" RELEASE "# v0 up\n");
	assert_has(out_text, "agent: holding input on v0 until the restore\n"
		   "agent: v0 (02:00:00:00:00:01 on " PCI_NET ", mtu 1500, "
		   "up)");
	assert_has(out_text, "agent: input released\nagent: restored 1 "
		   "processes in 1 trees (pids 2147483632) in ");
	assert_string_equal(err_text, "");
	/* Nothing more to release at the end. */
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	agent_close(&a);
	assert_string_equal(logged(), "");

	/* No TCP connection in the images: nothing held. */
	assert_int_equal(rtnl_set_link(rt_ifindex("v0"), NULL, 0, 0), 0);
	agent_new(&a);
	assert_int_equal(restore(&a, packed("link v0 mac 02:00:00:00:00:01 "
					    "mtu 1500 up 1 pci " PCI_NET
					    "\n", 0)), 0);
	assert_null(strstr(logged(), "relief-hold"));
	agent_close(&a);
}

/*
 * Held, then released when the restore fails (here: v8 and v9 never
 * appear); or not held, said once, and the restore goes on.
 */
static void test_restore_hold_fails(void **state)
{
	const char *links = "link v8 mac 02:00:00:00:00:08 mtu 1500 up 0 pci "
			    PCI_NET "\n" V9;
	uint64_t len;
	struct agent a;

	(void)state;
	netns_on();
	len = packed(links, 1);
	agent_new(&a);
	assert_int_equal(restore(&a, len), ENODEV);
	assert_string_equal(logged(), HOLD("\"v8\", \"v9\"") RELEASE);
	assert_false(a.held);
	assert_has(out_text, "agent: holding input on v8, v9 until the "
		   "restore\nagent: input released\n");
	assert_has(err_text, "agent: no interface with v8's MAC ");

	/* No libnftables; none that is one; one that refuses. */
	setenv("RELIEF_LIBNFTABLES", "/nonexistent/libnftables.so", 1);
	assert_int_equal(restore(&a, len), ENODEV);
	assert_has(err_text, "\nagent: cannot hold input on v8, v9 until the "
		   "restore (/nonexistent/libnftables.so: cannot open shared "
		   "object file: No such file or directory): moved TCP "
		   "connections may be reset\nagent: no interface with v8's ");
	setenv("RELIEF_LIBNFTABLES", "libc.so.6", 1);
	assert_int_equal(restore(&a, len), ENODEV);
	assert_has(err_text, "restore (libc.so.6: not a usable libnftables): "
		   "moved TCP connections may be reset\n");
	nft_fake();
	setenv("FAKE_NFT", "denied", 1);
	assert_int_equal(restore(&a, len), ENODEV);
	assert_has(err_text, "restore (nft delete table inet relief-hold: "
		   "Error: Could not process rule: Operation not permitted): "
		   "moved TCP connections may be reset\n");
	unsetenv("FAKE_NFT");
	script("ok\ndenied\n");
	assert_int_equal(restore(&a, len), ENODEV);
	assert_has(err_text, "restore (nft add table inet relief-hold: Error: "
		   "Could not process rule: Operation not permitted): moved "
		   "TCP connections may be reset\n");
	/* Tried, nothing left to release. */
	assert_string_equal(logged(), "delete table inet relief-hold\n"
			    HOLD("\"v8\", \"v9\""));
	assert_false(a.held);
	assert_null(strstr(out_text, "input released\nagent: input"));

	/* None there before; the release refused: again at the END. */
	script("missing\nok\ndenied\nmissing\n");
	assert_int_equal(restore(&a, len), ENODEV);
	assert_true(a.held);
	assert_has(err_text, "agent: cannot release the input held: nft delete "
		   "table inet relief-hold: Error: Could not process rule: "
		   "Operation not permitted (it goes when the agent exits)\n");
	requeue();
	post_end(RELIEF_DEV_RESULT_ROLLED_BACK, "PEER_DEAD");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	flush();
	assert_false(a.held);
	assert_has(out_text, "agent: input released\nagent: the run ended: "
		   "rolled back (PEER_DEAD)\n");
	assert_string_equal(logged(), HOLD("\"v8\", \"v9\"") RELEASE RELEASE);

	/* Refused until the agent closes. */
	script("ok\nok\ndenied\ndenied\n");
	assert_int_equal(restore(&a, len), ENODEV);
	requeue();
	post_end(RELIEF_DEV_RESULT_ABORTED, "");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	assert_true(a.held);
	agent_close(&a);
	assert_false(a.held);
	assert_string_equal(logged(), HOLD("\"v8\", \"v9\"") RELEASE RELEASE
			    RELEASE);

	/* A name nftables would not take as it is. */
	agent_new(&a);
	assert_int_equal(restore(&a, packed("link v\"9 mac 02:00:00:00:00:09 "
					    "mtu 1500 up 1 pci " PCI_NET "\n",
					    1)), ENODEV);
	assert_has(err_text, "agent: cannot hold input on v\"9 until the "
		   "restore (interface 'v\"9': not a name nftables matches)");
	/* No interface to set up, or no TCP connection: nothing held. */
	assert_int_equal(restore(&a, packed("", 1)), 0);
	assert_int_equal(restore(&a, packed(V9, 0)), ENODEV);
	assert_null(strstr(logged(), "relief-hold"));
	agent_close(&a);
}

/* --- END, the wrong requests, the wait -------------------------------- */

static unsigned int replies_at_end;

static void on_end(struct agent *a, void *arg)
{
	assert_ptr_equal(arg, &replies_at_end);
	replies_at_end = nrep;
	fprintf(a->cfg.out, "summary: %s %s\n", agent_result_name(a->result),
		a->reason);
}

static void test_end(void **state)
{
	struct agent_cfg cfg = {
		.role = AGENT_OLD, .out = out, .err = err,
		.on_end = on_end, .end_arg = &replies_at_end,
	};
	struct agent a;

	(void)state;
	assert_int_equal(agent_open(&a, &cfg), 0);
	post_end(RELIEF_DEV_RESULT_DONE, "NONE");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	/* The report came before the reply. */
	assert_int_equal(replies_at_end, 0);
	assert_int_equal(nrep, 1);
	assert_int_equal(replies[0].status, 0);
	assert_true(a.ended);
	assert_true(a.t_end_ns > 0);
	flush();
	assert_string_equal(out_text, "summary: done NONE\n");
	agent_close(&a);

	agent_start(&a, AGENT_NEW, NULL, 0);
	post_end(RELIEF_DEV_RESULT_ROLLED_BACK, "PEER_DEAD");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	post_end(RELIEF_DEV_RESULT_ABORTED, "");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	post_end(9, "");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	flush();
	assert_has(out_text, "agent: the run ended: rolled back (PEER_DEAD)\n"
		   "agent: the run ended: aborted\n"
		   "agent: the run ended: ended\n");
	agent_close(&a);
}

static void test_wrong_requests(void **state)
{
	struct agent a;

	(void)state;
	agent_start(&a, AGENT_OLD, NULL, 0);
	post(RELIEF_AGENT_RESTORE, 100, 1);
	post(7, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_int_equal(replies[0].status, EOPNOTSUPP);
	assert_string_equal(replies[0].why, "request RESTORE (3) is not for "
			    "the old kernel's agent");
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_string_equal(replies[1].why, "request unknown (7) is not for "
			    "the old kernel's agent");
	agent_close(&a);
	agent_start(&a, AGENT_NEW, NULL, 0);
	post(RELIEF_AGENT_THAW, 0, 0);
	assert_int_equal(agent_poll(&a, 250), AGENT_HANDLED);
	assert_string_equal(replies[2].why, "request THAW (2) is not for the "
			    "new kernel's agent");
	agent_close(&a);
}

static void test_wait(void **state)
{
	struct agent a;

	(void)state;
	agent_start(&a, AGENT_NEW, NULL, 0);
	post_error(-EINTR);
	post_error(-ESRCH);
	post_error(-EPERM);
	assert_int_equal(agent_poll(&a, 250), AGENT_IDLE);
	assert_int_equal(agent_poll(&a, 250), AGENT_NO_RUN);
	assert_int_equal(agent_poll(&a, 250), -EPERM);
	assert_int_equal(agent_poll(&a, 250), AGENT_IDLE);
	/* A reply the kernel does not take. */
	reply_ret = -ESRCH;
	post_end(0, "");
	assert_int_equal(agent_poll(&a, 250), AGENT_ENDED);
	flush();
	assert_has(err_text, "agent: the kernel took no reply to END: No such "
		   "process\n");
	agent_close(&a);
	agent_close(&a);	/* twice is harmless */

	setenv("RELIEF_DEV", "/nonexistent/relief", 1);
	assert_int_equal(agent_open(&a, &(struct agent_cfg){ .out = out }),
			 -ENOENT);
	agent_close(&a);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_dump_then_thaw),
		T(test_dump_options),
		T(test_dump_fails),
		T(test_dump_too_big),
		T(test_dump_refusals),
		T(test_thaw_keeps_stopped),
		T(test_restore),
		T(test_restore_clocks_continued),
		T(test_restore_lazy),
		T(test_restore_windows),
		T(test_frames),
		T(test_unpack_early),
		T(test_unpack_early_lazy),
		T(test_dump_fills_area),
		T(test_restore_refusals),
		T(test_restore_fails),
		T(test_restore_no_manifest),
		T(test_dump_devices),
		T(test_dump_devices_fail),
		T(test_dump_output_on_disk),
		T(test_thaw_devices_fails),
		T(test_no_move_devices),
		T(test_restore_devices),
		T(test_restore_hold),
		T(test_restore_hold_fails),
		T(test_end),
		T(test_wrong_requests),
		T(test_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
