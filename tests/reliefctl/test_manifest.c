// SPDX-License-Identifier: GPL-2.0
/*
 * test_manifest.c - the list of trees beside the images: written and read
 * back, and every way a manifest from elsewhere is refused.
 */
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
	assert_string_equal(text, "relief-trees 1\nnetwork-lock nftables\n"
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
	manifest_free(&r);
	assert_int_equal(r.nr, 0);

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
		{ "relief-trees 2\n", "relief-trees line 1: not \"relief-trees "
		  "1\"" },
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_pids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
