// SPDX-License-Identifier: GPL-2.0
/*
 * test_fillroom - what kernel B adds of kernel A's RAM at once, and what
 * only after it copied the moved pages (fillroom.c): whole memory blocks of
 * A's RAM (a fake iomem) less the region and its low chunk, those holding
 * the tree's pages (its real pagemap) after.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fillroom.h"
#include "helper_fake.h"

#define MIB	(UINT64_C(1) << 20)

static pid_t child;
static struct moveset m;

/* A plain program (no sanitizer's shadow to skip), touched and waiting. */
static int setup(void **state)
{
	char comm[32] = "";
	FILE *f;

	(void)state;
	rt_fake_init();
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		execl("/bin/sleep", "sleep", "600", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && strcmp(comm, "sleep\n"); i++) {
		char path[64];

		usleep(10000);
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)child);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = '\0';
			fclose(f);
		}
	}
	assert_string_equal(comm, "sleep\n");
	memset(&m, 0, sizeof(m));
	m.nr = 1;
	m.roots[0] = child;
	assert_int_equal(proctree_read(child, &m.trees[0]), 0);
	assert_int_equal(mkdir(rt_fake_path("devices"), 0755), 0);
	assert_int_equal(mkdir(rt_fake_path("devices/system"), 0755), 0);
	assert_int_equal(mkdir(rt_fake_path("devices/system/memory"), 0755),
			 0);
	rt_fake_write("devices/system/memory/block_size_bytes", "8000000\n");
	setenv("RELIEF_SYS", rt_fake_path(""), 1);
	setenv("RELIEF_IOMEM", rt_fake_path("iomem"), 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	proctree_free(&m.trees[0]);
	unsetenv("RELIEF_SYS");
	unsetenv("RELIEF_IOMEM");
	rt_fake_cleanup();
	return 0;
}

/* Whole blocks only, less the region and the low chunk. */
static void test_blocks(void **state)
{
	/* 1G of RAM; region 256M-384M; low chunk in the first block */
	const struct kstate_region r = {
		0x10000000, 0x8000000, 0x98000, 0x1000,
	};
	struct fillroom fr;

	(void)state;
	rt_fake_write("iomem", "00000000-00000fff : Reserved\n"
		      "00001000-3fffffff : System RAM\n"
		      "  01000000-01ffffff : Kernel code\n"
		      "fee00000-fee00fff : Local APIC\n");
	assert_int_equal(fillroom_measure(&m, &r, &fr), 0);
	assert_int_equal(fr.block, 128 * MIB);
	/* blocks 1, 3-7: the first is cut by the low chunk, 2 is the region */
	assert_int_equal(fr.at_once + fr.after, 768 * MIB);
	assert_true(fr.anon > 0);
	/* sleep's pages lie in the host's RAM, above 1G or not: no check */
}

/* A's RAM far from any page of the tree joins B at once. */
static void test_far_ram(void **state)
{
	const struct kstate_region r = { 0x100000000, 0x6000000, 0, 0 };
	struct fillroom fr;

	(void)state;
	rt_fake_write("iomem", "10000000000-100ffffffff : System RAM\n");
	assert_int_equal(fillroom_measure(&m, &r, &fr), 0);
	if (getuid() == 0) {
		assert_true(fr.frames_known);
		assert_int_equal(fr.at_once, UINT64_C(4) << 30);
		assert_int_equal(fr.after, 0);
	} else {
		/* pagemap hides the frames: every block may hold some */
		assert_false(fr.frames_known);
		assert_int_equal(fr.at_once, 0);
		assert_int_equal(fr.after, UINT64_C(4) << 30);
	}
}

/* The host's RAM holds the tree's pages: some block of it waits. */
static void test_held(void **state)
{
	const struct kstate_region r = { 0, 0, 0, 0 };
	struct fillroom fr;

	(void)state;
	if (getuid() != 0)
		skip();
	rt_fake_write("iomem", "0-ffffffffff : System RAM\n");
	assert_int_equal(fillroom_measure(&m, &r, &fr), 0);
	assert_true(fr.frames_known);
	assert_true(fr.after >= fr.block);
	assert_int_equal(fr.after % fr.block, 0);
	assert_int_equal(fr.at_once + fr.after, UINT64_C(1) << 40);
}

/*
 * No block size or no RAM to read: an error, none of A's RAM counted, the
 * trees' memory measured all the same (swap then counts on the region).
 */
static void test_unreadable(void **state)
{
	const struct kstate_region r = { 0, 0, 0, 0 };
	struct fillroom fr;

	(void)state;
	setenv("RELIEF_IOMEM", rt_fake_path("none"), 1);
	assert_int_equal(fillroom_measure(&m, &r, &fr), -ENOENT);
	assert_true(fr.anon > 0);
	assert_int_equal(fr.at_once + fr.after, 0);
	rt_fake_write("iomem", "00000000-0009ffff : Reserved\n");
	setenv("RELIEF_IOMEM", rt_fake_path("iomem"), 1);
	assert_int_equal(fillroom_measure(&m, &r, &fr), -ENODATA);
	rt_fake_write("devices/system/memory/block_size_bytes", "3000\n");
	assert_int_equal(fillroom_measure(&m, &r, &fr), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_far_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
