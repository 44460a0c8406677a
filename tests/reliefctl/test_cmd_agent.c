// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_agent.c - `reliefctl agent` against the fake kernel
 * (helper_fake.c: /dev/relief a file mapped as the transfer area; the
 * ioctls wrapped, requests handed out at given polls) and fake-criu.sh:
 * refusals, a run restored and ended, runs that end badly, no run at all,
 * and a run that goes quiet.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "helper_fake.h"
#include "imgpack.h"
#include "reliefctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define AREA	(1u << 20)

static char *out_text, *err_text;
static char calls[512];
static uint64_t image_len;
static uid_t euid;

/* --- the fake kernel -------------------------------------------------- */

struct fake_req {
	unsigned int at;	/* handed out from this sleep on */
	uint32_t op;		/* 0: the wait fails with -result */
	uint32_t result;
	const char *reason;
	uint32_t nr_procs;	/* RESTORE */
};

static const struct fake_req *reqs;
static unsigned int nreqs, ireq, waits;
static struct relief_agent_reply replies[8];
static unsigned int nrep;

uid_t __wrap_geteuid(void);
int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

uid_t __wrap_geteuid(void)
{
	return euid;
}

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(fd >= 0);
	if (req == RELIEF_IOC_AGENT_WAIT) {
		struct relief_agent_req *r = arg;

		assert_int_equal(r->timeout_ms, 250);
		waits++;
		__wrap_reliefctl_sleep_ms(r->timeout_ms);
		if (ireq == nreqs || reqs[ireq].at > rt_fake_sleeps)
			return -EAGAIN;
		if (!reqs[ireq].op)
			return -(int)reqs[ireq++].result;
		memset(r, 0, sizeof(*r));
		r->op = reqs[ireq].op;
		r->seq = 1 + ireq;
		r->area_size = AREA;
		r->image_len = image_len;
		r->nr_procs = reqs[ireq].nr_procs;
		r->result = reqs[ireq].result;
		if (reqs[ireq].reason)
			snprintf(r->reason_name, sizeof(r->reason_name), "%s",
				 reqs[ireq].reason);
		ireq++;
		return 0;
	}
	assert_int_equal(req, RELIEF_IOC_AGENT_REPLY);
	assert_true(nrep < ARRAY_SIZE(replies));
	replies[nrep++] = *(struct relief_agent_reply *)arg;
	return 0;
}

static void script(const struct fake_req *r, unsigned int n)
{
	rt_fake_script(NULL, 0);
	reqs = r;
	nreqs = n;
	ireq = nrep = waits = 0;
}

/*
 * What an old kernel's agent would leave in the area: one tree, root pid
 * 0x7ffffff0 (free: no machine has that many), its images a stand-in.
 */
static void fill_area(void)
{
	struct imgpack_stats st;
	char src[600], why[256];
	void *area;
	FILE *f;
	long n;
	int fd;

	snprintf(src, sizeof(src), "%s", rt_fake_path("src"));
	assert_int_equal(mkdir(src, 0700), 0);
	f = fopen(rt_fake_path("src/relief-trees"), "w");
	assert_non_null(f);
	fputs("relief-trees 1\nnetwork-lock nftables\ntree 0 root 2147483632 "
	      "shell-job 0 comm daemon\npids 0 2147483632\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(mkdir(rt_fake_path("src/0"), 0700), 0);
	f = fopen(rt_fake_path("src/0/inventory.img"), "w");
	assert_non_null(f);
	assert_int_equal(fclose(f), 0);
	fd = open(rt_fake_path("dev"), O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, AREA), 0);
	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(area != MAP_FAILED);
	n = imgpack_pack(src, area, AREA, &st, why, sizeof(why));
	assert_true(n > 0);
	image_len = (uint64_t)n;
	munmap(area, AREA);
	close(fd);
}

static int run(const char *arg, ...)
{
	char *argv[16] = { "agent" };
	int argc = 1, rc;
	size_t n1, n2;
	FILE *out, *err;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	free(out_text);
	free(err_text);
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_agent_with(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return rc;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

static int setup(void **state)
{
	char self[512];
	static char fake[512];

	(void)state;
	rt_fake_init();
	snprintf(self, sizeof(self), "%s", __FILE__);
	snprintf(fake, sizeof(fake), "%s/fake-criu.sh", dirname(self));
	assert_int_equal(mkdir(rt_fake_path("work"), 0700), 0);
	snprintf(calls, sizeof(calls), "%s", rt_fake_path("calls"));
	setenv("RELIEF_CRIU", fake, 1);
	setenv("RELIEF_WORKDIR", rt_fake_path("work"), 1);
	/* the lazy restore's vm.overcommit_memory, never the host's */
	rt_fake_write("overcommit", "2\n");
	setenv("RELIEF_OVERCOMMIT", rt_fake_path("overcommit"), 1);
	setenv("FAKE_CRIU_CALLS", calls, 1);
	euid = 0;
	fill_area();
	script(NULL, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rt_fake_cleanup();
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	unsetenv("RELIEF_CRIU");
	unsetenv("RELIEF_WORKDIR");
	unsetenv("RELIEF_OVERCOMMIT");
	unsetenv("FAKE_CRIU_FAIL");
	return 0;
}

static void test_refusals(void **state)
{
	(void)state;
	euid = 1000;
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_string_equal(err_text, "reliefctl agent: must be root "
			    "(CAP_SYS_BOOT)\n");
	euid = 0;
	rt_fake_remove("dev");
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "/dev: No such file or directory; this kernel has "
		   "no relief support\n");
	assert_int_equal(mkdir(rt_fake_path("dev"), 0700), 0);
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "/dev: Is a directory\n");
	assert_int_equal(waits, 0);
}

static void test_usage(void **state)
{
	(void)state;
	assert_int_equal(run("--timeout", "0", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--timeout '0': need seconds from 1 to 3600\n");
	assert_int_equal(run("--timeout", "3601", NULL), RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run("--timeout", "1s", NULL), RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run("--timeout", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "unknown option or missing value '--timeout'");
	assert_int_equal(run("now", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "unexpected argument 'now'");
	assert_int_equal(run("--help", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "usage: reliefctl agent [--timeout S]");
	assert_int_equal(waits, 0);
}

static void test_restored(void **state)
{
	static const struct fake_req r[] = {
		{ 3, RELIEF_AGENT_RESTORE, 0, NULL, 1 },
		{ 5, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_DONE, "NONE", 0 },
	};
	char text[4096];
	FILE *f;

	(void)state;
	script(r, ARRAY_SIZE(r));
	unsetenv("RELIEF_WORKDIR");
	assert_int_equal(run("--workdir", rt_fake_path("work"), "--timeout",
			     "5", NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(nrep, 2);
	assert_int_equal(replies[0].status, 0);
	assert_int_equal(replies[0].nr_procs, 1);
	assert_string_equal(err_text, "");
	assert_has(out_text, "reliefctl agent: waiting for a run on ");
	assert_has(out_text, "/dev (at most 5 s)\nagent: restored 1 processes "
		   "in 1 trees (pids 2147483632) in ");
	assert_has(out_text, "agent: the run ended: done (NONE)\n");
	f = fopen(calls, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_has(text, "restore -D ");
	assert_has(text, "/work/relief-agent.");
	/* criu takes the lock method from the dump's images. */
	assert_null(strstr(text, "--network-lock"));
	/* Lazily where criu can: its daemon first, memory in by END. */
	assert_has(text, "check --feature uffd-noncoop\nlazy-pages -D ");
	assert_has(text, "-v4 --tcp-established --file-locks --lazy-pages\n");
	assert_has(out_text, "agent: the memory of 1 trees was all in ");
	{
		char v[8] = "";
		FILE *o = fopen(rt_fake_path("overcommit"), "r");

		assert_non_null(o);
		assert_non_null(fgets(v, sizeof(v), o));
		fclose(o);
		assert_string_equal(v, "2\n");	/* put back */
	}

	/* --eager, or a criu that cannot: the memory comes first. */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(unlink(calls), 0);
		script(r, ARRAY_SIZE(r));
		if (i)
			setenv("FAKE_CRIU_FAIL", "check:uffd-noncoop", 1);
		assert_int_equal(run("--workdir", rt_fake_path("work"),
				     i ? NULL : "--eager", NULL),
				 RELIEFCTL_EXIT_OK);
		unsetenv("FAKE_CRIU_FAIL");
		f = fopen(calls, "r");
		assert_non_null(f);
		text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
		fclose(f);
		assert_null(strstr(text, "lazy"));
		assert_has(text, "-v4 --tcp-established --file-locks\n");
		if (i)
			assert_has(out_text, "reliefctl agent: restores are "
				   "eager: criu cannot restore lazily here "
				   "(criu exited with status 1");
		else
			assert_null(strstr(text, "check"));
	}
}

static void test_ends_badly(void **state)
{
	static const struct fake_req rolled[] = {
		{ 1, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_ROLLED_BACK, "PEER_DEAD", 0 },
	};
	static const struct fake_req failed[] = {
		{ 1, RELIEF_AGENT_RESTORE, 0, NULL, 1 },
		{ 2, RELIEF_AGENT_END, RELIEF_AGENT_RESULT_DONE, "NONE", 0 },
	};
	static const struct fake_req no_end[] = {
		{ 1, RELIEF_AGENT_RESTORE, 0, NULL, 1 },
		{ 2, 0, ESRCH, NULL, 0 },
	};

	(void)state;
	script(rolled, ARRAY_SIZE(rolled));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(out_text, "agent: the run ended: rolled back (PEER_DEAD)\n");
	/* The restore failed, whatever the END says. */
	setenv("FAKE_CRIU_FAIL", "restore", 1);
	script(failed, ARRAY_SIZE(failed));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_int_equal(replies[0].status, EIO);
	assert_has(err_text, "agent: criu restore of 2147483632 (daemon) "
		   "failed: fake: refused\n");
	script(no_end, ARRAY_SIZE(no_end));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "reliefctl agent: the run is over (it sent no "
		   "END)\n");
	unsetenv("FAKE_CRIU_FAIL");
	script(no_end, ARRAY_SIZE(no_end));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_OK);
}

static void test_no_run(void **state)
{
	static const struct fake_req none[] = {
		{ 1, 0, ESRCH, NULL, 0 }, { 1, 0, ESRCH, NULL, 0 },
		{ 1, 0, ESRCH, NULL, 0 }, { 1, 0, ESRCH, NULL, 0 },
	};
	static const struct fake_req eperm[] = {
		{ 1, 0, EPERM, NULL, 0 },
	};

	(void)state;
	/* No run yet: "no run" is no end, until the timeout. */
	script(none, ARRAY_SIZE(none));
	assert_int_equal(run("--timeout", "1", NULL), RELIEFCTL_EXIT_FAIL);
	assert_string_equal(err_text, "reliefctl agent: no run came within 1 "
			    "s; exiting\n");
	/* Each look 250 + 100 ms: the third is past 1 s. */
	assert_int_equal(waits, 3);
	script(eperm, ARRAY_SIZE(eperm));
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_FAIL);
	assert_string_equal(err_text, "reliefctl agent: waiting for the "
			    "kernel: Operation not permitted\n");
}

static void test_goes_quiet(void **state)
{
	static const struct fake_req r[] = {
		{ 2, RELIEF_AGENT_RESTORE, 0, NULL, 1 },
	};

	(void)state;
	script(r, ARRAY_SIZE(r));
	assert_int_equal(run("--timeout", "2", NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "reliefctl agent: the run went quiet for 2 s; "
		   "exiting\n");
	assert_int_equal(waits, 2 + 9);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_refusals),
		T(test_usage),
		T(test_restored),
		T(test_ends_badly),
		T(test_no_run),
		T(test_goes_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
