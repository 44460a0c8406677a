// SPDX-License-Identifier: GPL-2.0
/*
 * test_criu_run.c - the line that says why criu failed, taken from real
 * log shapes; and criu runs against fake-criu.sh: the exact arguments of
 * dump, restore and check, failures, a criu that hangs, dies or is
 * missing.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "criu_run.h"

static char dir[256], calls[300], imgs[300], log_path[300];
static char why[256];

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void assert_has_line(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("'%s' not in:\n%s", line, text);
}

static int setup(void **state)
{
	static char fake[512];
	char self[512];

	(void)state;
	snprintf(self, sizeof(self), "%s", __FILE__);
	snprintf(fake, sizeof(fake), "%s/fake-criu.sh", dirname(self));
	setenv("RELIEF_CRIU", fake, 1);
	snprintf(dir, sizeof(dir), "%s/criu-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(calls, sizeof(calls), "%s/calls", dir);
	snprintf(imgs, sizeof(imgs), "%s/0", dir);
	snprintf(log_path, sizeof(log_path), "%s/dump-0.log", dir);
	assert_int_equal(mkdir(imgs, 0700), 0);
	setenv("FAKE_CRIU_CALLS", calls, 1);
	why[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("FAKE_CRIU_FAIL");
	unsetenv("FAKE_CRIU_QUIET");
	unsetenv("FAKE_CRIU_KILL");
	unsetenv("FAKE_CRIU_HANG");
	unsetenv("FAKE_CRIU_ERROR");
	unsetenv("FAKE_CRIU_LAZY_FAIL");
	unsetenv("RELIEF_CRIU");
	return 0;
}

/* --- the log ---------------------------------------------------------- */

static void test_error_line(void **state)
{
	/* `criu check` on a kernel criu does not understand, verbatim. */
	static const char check[] =
		"Error (criu/util.c:642): exited, status=1\n"
		"Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
		"Error (criu/vdso.c:613): vdso: Failed to fill self vdso "
		"symtable\n"
		"Error (criu/kerndat.c:1615): kerndat_vdso_fill_symtable "
		"failed when initializing kerndat.\n"
		"Error (criu/crtools.c:260): Could not initialize kernel "
		"features detection.\n";
	/* A -v4 restore log: timestamps, a task's pid, CRLF. */
	static const char restore[] =
		"(00.000100) Version: 3.17.1 (gitid 0)\n"
		"(00.100200) Warn  (criu/kerndat.c:1100): no timens\n"
		"(00.123456)   1234: Error (criu/files-reg.c:2140): Can't open "
		"file tmp/x on restore: No such file or directory\r\n"
		"(00.200000) Error (criu/cr-restore.c:2447): Restoring FAILED.\n";
	char buf[128] = "untouched";

	(void)state;
	assert_int_equal(criu_log_error(check, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "vdso: Unexpected rt vDSO area bounds");
	assert_int_equal(criu_log_error(restore, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "Can't open file tmp/x on restore: No such "
			    "file or directory");
	/* Only consequences: the first of them. */
	assert_int_equal(criu_log_error("(0.1) Error (a.c:1): Dumping FAILED."
					"\nError (b.c:2): exited, status=2\n",
					buf, sizeof(buf)), 2);
	assert_string_equal(buf, "Dumping FAILED.");
	/* No location: what follows "Error". */
	assert_int_equal(criu_log_error("Error (odd\n", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "(odd");
	/* Cut to the buffer. */
	assert_int_equal(criu_log_error(restore, buf, 9), 2);
	assert_string_equal(buf, "Can't op");
	/* Nothing: nothing written. */
	strcpy(buf, "untouched");
	assert_int_equal(criu_log_error("(0.1) Info: all fine\nWarn (x): "
					"hm\n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "untouched");
	assert_int_equal(criu_log_error("", buf, sizeof(buf)), 0);
}

static void test_hint(void **state)
{
	(void)state;
	assert_non_null(strstr(criu_log_hint("Error (criu/util.c:631): "
					     "execvp(\"iptables-restore\", "
					     "...) failed: No such file"),
			       "this kernel needs iptables (--network-lock "
			       "iptables)"));
	assert_non_null(strstr(criu_log_hint("Error (x): nftables: table"),
			       "CONFIG_NF_TABLES"));
	assert_non_null(strstr(criu_log_hint("unix: External socket is used"),
			       "move that process too"));
	assert_null(criu_log_hint("Error (x.c:1): something else"));
}

/* --- runs ------------------------------------------------------------- */

static void test_dump(void **state)
{
	struct criu_tree_opts o = { 0 };
	char text[1024], want[1024];
	struct stat sb;

	(void)state;
	assert_int_equal(criu_dump(1234, imgs, log_path, &o, why, sizeof(why)),
			 0);
	assert_int_equal(stat(imgs, &sb), 0);
	snprintf(want, sizeof(want), "%s/core-1234.img", imgs);
	assert_int_equal(stat(want, &sb), 0);
	read_file(calls, text, sizeof(text));
	snprintf(want, sizeof(want), "dump -t 1234 -D %s --leave-stopped -o "
		 "%s -v4 --tcp-established --file-locks --skip-in-flight\n",
		 imgs, log_path);
	assert_string_equal(text, want);
	read_file(log_path, text, sizeof(text));
	assert_string_equal(text, "(00.000100) Info: dumping 1234\n");

	o.shell_job = true;
	o.network_lock = "nftables";
	assert_int_equal(unlink(calls), 0);
	assert_int_equal(criu_dump(99, imgs, log_path, &o, why, sizeof(why)),
			 0);
	read_file(calls, text, sizeof(text));
	snprintf(want, sizeof(want), "dump -t 99 -D %s --leave-stopped -o %s "
		 "-v4 --tcp-established --file-locks --shell-job "
		 "--skip-in-flight --network-lock nftables\n", imgs,
		 log_path);
	assert_string_equal(text, want);
}

/* Pid 1 dumped, then restored with o: the restore's calls in text. */
static void dump_then_restore(const struct criu_tree_opts *o, char *text,
			      size_t len)
{
	assert_int_equal(criu_dump(1, imgs, log_path, o, why, sizeof(why)), 0);
	assert_int_equal(unlink(calls), 0);
	assert_int_equal(criu_restore(imgs, log_path, o, why, sizeof(why)), 0);
	read_file(calls, text, len);
}

/* Streams whose peer stays behind: named to criu, by inode. */
static void test_dump_outside(void **state)
{
	static const unsigned long ino[] = { 3674, 18446744073709551615ul };
	struct criu_tree_opts o = { .nr_outside = 2, .outside = ino };
	char text[1024], want[1024];

	(void)state;
	assert_int_equal(criu_dump(7, imgs, log_path, &o, why, sizeof(why)),
			 0);
	read_file(calls, text, sizeof(text));
	snprintf(want, sizeof(want), "dump -t 7 -D %s --leave-stopped -o %s "
		 "-v4 --tcp-established --file-locks --skip-in-flight "
		 "--ext-unix-sk=3674,18446744073709551615\n", imgs, log_path);
	assert_string_equal(text, want);
}

/*
 * ...and on restore, each is handed the worker's kernel log: criu is
 * asked to inherit its CRIU_OUTSIDE_FD for every one, and that fd is
 * open there.
 */
static void test_restore_outside(void **state)
{
	static const unsigned long ino[] = { 3674, 3690 };
	struct criu_tree_opts o = { .nr_outside = 2, .outside = ino };
	char text[1024], want[1024], kmsg[320];

	(void)state;
	snprintf(kmsg, sizeof(kmsg), "%s/kmsg", dir);
	fclose(fopen(kmsg, "w"));
	setenv("RELIEF_KMSG", kmsg, 1);
	dump_then_restore(&o, text, sizeof(text));
	snprintf(want, sizeof(want), "restore -D %s -o restore.log -v4 "
		 "--tcp-established --file-locks --inherit-fd "
		 "fd[4]:socket:[3674] --inherit-fd fd[4]:socket:[3690]\n",
		 imgs);
	assert_has_line(text, want);
	/* No such file: the worker does not start, and says so. */
	snprintf(kmsg, sizeof(kmsg), "%s/no/kmsg", dir);
	setenv("RELIEF_KMSG", kmsg, 1);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "cannot run"));
	unsetenv("RELIEF_KMSG");
}

static void test_restore_and_check(void **state)
{
	struct criu_tree_opts o = { .shell_job = true };
	char text[1024], want[1024];

	(void)state;
	/* Nothing dumped: the fake's restore fails on the inventory. */
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	snprintf(want, sizeof(want), "Unable to open %s/inventory.img", imgs);
	assert_string_equal(why, want);
	dump_then_restore(&o, text, sizeof(text));
	/* Through `criu swrk`: the request, as a command line. */
	snprintf(want, sizeof(want), "restore -D %s -o restore.log -v4 "
		 "--tcp-established --file-locks --shell-job\n"
		 "timens-0.img: a time namespace from the dump\n", imgs);
	assert_string_equal(text, want);
	/* criu logged in the images; the log is moved where it was asked. */
	read_file(log_path, text, sizeof(text));
	snprintf(want, sizeof(want), "(00.000100) Info: restored from %s\n",
		 imgs);
	assert_string_equal(text, want);
	snprintf(want, sizeof(want), "%s/restore.log", imgs);
	assert_int_equal(access(want, F_OK), -1);

	snprintf(want, sizeof(want), "%s/check.log", dir);
	assert_int_equal(criu_check(NULL, want, why, sizeof(why)), 0);
	read_file(want, text, sizeof(text));
	assert_string_equal(text, "Looks good.\n");
	assert_int_equal(criu_check("network_lock_nftables", want, why,
				    sizeof(why)), 0);
	read_file(calls, text, sizeof(text));
	assert_has_line(text, "check --feature network_lock_nftables\n");
	setenv("FAKE_CRIU_FAIL", "check", 1);
	setenv("FAKE_CRIU_ERROR", "vdso: Unexpected rt vDSO area bounds", 1);
	assert_int_equal(criu_check(NULL, want, why, sizeof(why)), -1);
	assert_string_equal(why, "vdso: Unexpected rt vDSO area bounds");
}

static void test_failures(void **state)
{
	struct criu_tree_opts o = { .timeout_ms = 100 };

	(void)state;
	setenv("FAKE_CRIU_FAIL", "dump:77", 1);
	assert_int_equal(criu_dump(78, imgs, log_path, &o, why, sizeof(why)),
			 0);
	assert_int_equal(criu_dump(77, imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "fake: refused");

	setenv("FAKE_CRIU_QUIET", "1", 1);
	assert_int_equal(criu_dump(77, imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu exited with status 3 and logged no "
			    "error");
	unsetenv("FAKE_CRIU_QUIET");
	unsetenv("FAKE_CRIU_FAIL");

	setenv("FAKE_CRIU_KILL", "1", 1);
	assert_int_equal(criu_dump(77, imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu was killed by signal 9");
	unsetenv("FAKE_CRIU_KILL");

	setenv("FAKE_CRIU_HANG", "dump", 1);
	assert_int_equal(criu_dump(77, imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu did not finish within 100 ms and was "
			    "killed");
	unsetenv("FAKE_CRIU_HANG");

	/* A restore, through `criu swrk`, the same ways. */
	setenv("FAKE_CRIU_FAIL", "restore", 1);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "fake: refused");
	setenv("FAKE_CRIU_QUIET", "1", 1);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu restore failed and logged no error "
			    "(errno 5)");
	unsetenv("FAKE_CRIU_QUIET");
	unsetenv("FAKE_CRIU_FAIL");
	setenv("FAKE_CRIU_KILL", "1", 1);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu was killed by signal 9");
	unsetenv("FAKE_CRIU_KILL");
	setenv("FAKE_CRIU_HANG", "restore", 1);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "criu did not finish within 100 ms and was "
			    "killed");
	unsetenv("FAKE_CRIU_HANG");
	assert_int_equal(criu_restore("/nonexistent", log_path, &o, why,
				      sizeof(why)), -1);
	assert_string_equal(why, "cannot open /nonexistent: No such file or "
			    "directory");

	setenv("RELIEF_CRIU", "/nonexistent/criu", 1);
	assert_string_equal(criu_path(), "/nonexistent/criu");
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "cannot run /nonexistent/criu: No such file "
			    "or directory");
	assert_int_equal(criu_dump(77, imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "cannot run /nonexistent/criu: No such file "
			    "or directory");
	unsetenv("RELIEF_CRIU");
	assert_string_equal(criu_path(), "/usr/sbin/criu");
}

/* A lazy restore: the daemon listens first, restore connects to it. */
static void test_lazy(void **state)
{
	struct criu_tree_opts o = { .lazy = true, .timeout_ms = 2000 };
	char text[2048], want[2048], lazy_log[320];
	pid_t pid = 0;

	(void)state;
	snprintf(lazy_log, sizeof(lazy_log), "%s/lazy-0.log", dir);
	assert_int_equal(criu_dump(1, imgs, log_path, &o, why, sizeof(why)), 0);
	/* Without its daemon a lazy restore cannot connect. */
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "Can't connect to lazy-pages daemon");

	assert_int_equal(unlink(calls), 0);
	assert_int_equal(criu_lazy_start(imgs, lazy_log, 2000, &pid, why,
					 sizeof(why)), 0);
	assert_true(pid > 0);
	assert_int_equal(criu_restore(imgs, log_path, &o, why, sizeof(why)),
			 0);
	assert_int_equal(criu_lazy_wait(pid, lazy_log, 2000, why,
					sizeof(why)), 0);
	read_file(calls, text, sizeof(text));
	snprintf(want, sizeof(want), "lazy-pages -D %s -o %s -v4 --status-fd "
		 "%d\nrestore -D %s -o restore.log -v4 "
		 "--tcp-established --file-locks --lazy-pages\n"
		 "timens-0.img: a time namespace from the dump\n", imgs,
		 lazy_log, CRIU_STATUS_FD, imgs);
	assert_string_equal(text, want);

	/* It fails after it listened: the pages are not all in. */
	setenv("FAKE_CRIU_LAZY_FAIL", "1", 1);
	assert_int_equal(criu_lazy_start(imgs, lazy_log, 2000, &pid, why,
					 sizeof(why)), 0);
	assert_int_equal(criu_lazy_wait(pid, lazy_log, 2000, why,
					sizeof(why)), -1);
	assert_string_equal(why, "uffd: pages of 1 not found");
	unsetenv("FAKE_CRIU_LAZY_FAIL");

	/* It fails before it listens: said, and nothing left running. */
	setenv("FAKE_CRIU_FAIL", "lazy-pages", 1);
	assert_int_equal(criu_lazy_start(imgs, lazy_log, 2000, &pid, why,
					 sizeof(why)), -1);
	assert_string_equal(why, "fake: refused");
	assert_int_equal(pid, 0);
	unsetenv("FAKE_CRIU_FAIL");

	/* It never listens: killed after the timeout. */
	setenv("FAKE_CRIU_HANG", "lazy-pages", 1);
	assert_int_equal(criu_lazy_start(imgs, lazy_log, 100, &pid, why,
					 sizeof(why)), -1);
	assert_string_equal(why, "criu lazy-pages did not listen within 100 "
			    "ms and was killed");
	assert_int_equal(pid, 0);
	unsetenv("FAKE_CRIU_HANG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_line),
		cmocka_unit_test(test_hint),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_outside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restore_outside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restore_and_check, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lazy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
