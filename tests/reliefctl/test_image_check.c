// SPDX-License-Identifier: GPL-2.0
/*
 * test_image_check.c - reliefctl's image checks (image_check.c): the whole
 * files read, every refusal's words, the initramfs formats, the fit in the
 * region, and the kernel's verdict asked last (its ioctl wrapped).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "helper_fake.h"
#include "helper_image.h"
#include "image_check.h"

static int check_calls, check_ret;
static char *err_text;
static size_t err_len;

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	struct relief_check_image *c = arg;

	assert_true(fd >= 0);
	assert_int_equal(req, RELIEF_IOC_CHECK_IMAGE);
	assert_true(c->kernel_fd >= 0);
	check_calls++;
	c->check = check_ret == -ENOEXEC ? RELIEF_IMAGE_ERR_NO_MARKER : 0;
	return check_ret;
}

static int setup(void **state)
{
	(void)state;
	rt_fake_init();
	check_calls = check_ret = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rt_fake_cleanup();
	free(err_text);
	err_text = NULL;
	return 0;
}

/* image_open() with stderr captured; its return. */
static int open_files(const char *image, const char *initrd,
		      struct image_files *f)
{
	FILE *err;
	int rc;

	free(err_text);
	err = open_memstream(&err_text, &err_len);
	assert_non_null(err);
	rc = image_open(image, initrd, f, err);
	fclose(err);
	return rc;
}

static void assert_err(const char *want)
{
	if (!strstr(err_text, want))
		fail_msg("'%s' not in: %s", want, err_text);
	/* One line. */
	assert_ptr_equal(strchr(err_text, '\n'), err_text + strlen(err_text) - 1);
}

static void test_good(void **state)
{
	struct image_files f;
	char *out = NULL, img[512];
	size_t n;
	FILE *o;

	(void)state;
	snprintf(img, sizeof(img), "%s", rt_fake_bzimage("b", 0, 0, 0));
	rt_fake_write("initrd", "070701000000");
	if (open_files(img, rt_fake_path("initrd"), &f))
		fail_msg("refused: %s", err_text);
	assert_int_equal(check_calls, 1);
	assert_int_equal(f.image_size, HIMG_LEN);
	assert_int_equal(f.initrd_size, 12);
	o = open_memstream(&out, &n);
	image_describe(&f, o);
	fclose(o);
	assert_non_null(strstr(out, "kernel B: " HIMG_RELEASE ", relief "
			       "protocol 1-1, 6K, CRC32 0x"));
	free(out);
	image_close(&f);
	assert_int_equal(f.image_fd, -1);
}

static void test_unreadable(void **state)
{
	struct image_files f;

	(void)state;
	assert_int_equal(open_files("/nonexistent", NULL, &f), -1);
	assert_err("image /nonexistent is unreadable: No such file");
	image_close(&f);
	assert_int_equal(open_files(rt_fake_path("sys"), NULL, &f), -1);
	assert_err("is unreadable: Is a directory");
	image_close(&f);
	assert_int_equal(open_files("/dev/null", NULL, &f), -1);
	assert_err("is unreadable: Invalid argument");
	image_close(&f);
	assert_int_equal(check_calls, 0);
}

/* Every refusal has words of its own, none the fallback name. */
static void test_every_why(void **state)
{
	struct relief_image_info info = {
		.file_len = 1000, .image_len = 2000, .boot_version = 0x20b,
		.proto_min = 7, .proto_max = 9, .pe_machine = 0x5064,
	};
	char why[256];
	int e;

	(void)state;
	for (e = 1; e < RELIEF_IMAGE_ERR_COUNT; e++) {
		image_why(e, &info, why, sizeof(why));
		assert_true(strlen(why) > 10);
		assert_string_not_equal(why, relief_image_err_name(e));
	}
	image_why(RELIEF_IMAGE_ERR_PROTOCOL, &info, why, sizeof(why));
	assert_string_equal(why, "a relief kernel too new for this one: it "
			    "speaks protocol 7-9, this kernel 1-1");
	image_why(RELIEF_IMAGE_ERR_FOREIGN, &info, why, sizeof(why));
	assert_string_equal(why, "an EFI image for machine 0x5064 (RISC-V 64), "
			    "not x86_64");
	image_why(RELIEF_IMAGE_ERR_BOOT_PROTOCOL, &info, why, sizeof(why));
	assert_string_equal(why, "boot protocol 2.11; relief needs 2.15 or "
			    "later (kernel_info)");
	strcpy(info.release, "6.12.117+deb12-cloud-amd64");
	image_why(RELIEF_IMAGE_ERR_NO_MARKER, &info, why, sizeof(why));
	assert_string_equal(why, "not a relief kernel (6.12.117+deb12-cloud-"
			    "amd64): it carries no relief marker; build it "
			    "with CONFIG_RELIEF=y");
	image_why(RELIEF_IMAGE_ERR_COUNT, &info, why, sizeof(why));
	assert_string_equal(why, "unknown");
}

static void test_refusals(void **state)
{
	struct image_files f;

	(void)state;
	assert_int_equal(open_files(rt_fake_bzimage("cut", HIMG_LEN - 1, 0, 0),
				    NULL, &f), -1);
	assert_err("cut is not a kernel relief can start: truncated: 6143 "
		   "bytes, its header says 6144 (setup 2048, payload 4096)");
	image_close(&f);
	/* A flipped bit: the CRC no longer matches. */
	rt_fake_bzimage("flip", 0, 0, 0);
	{
		FILE *x = fopen(rt_fake_path("flip"), "r+");

		assert_non_null(x);
		assert_int_equal(fseek(x, 3000, SEEK_SET), 0);
		assert_int_equal(fputc(0x55, x), 0x55);
		fclose(x);
	}
	assert_int_equal(open_files(rt_fake_path("flip"), NULL, &f), -1);
	assert_err("flip is not a kernel relief can start: corrupt: its CRC32 "
		   "is 0x");
	image_close(&f);
	assert_int_equal(check_calls, 0);
}

static void test_initrd_formats(void **state)
{
	/* Eight bytes each, NULs included. */
	static const char good[][8] = {
		"070701xx", "070702xx", "\x1f\x8b\x08\x00\x00\x00\x00",
		"BZh91AY&", "\xfd" "7zXZ\x00\x00", "\x28\xb5\x2f\xfd\x00\x00",
	};
	struct image_files f;
	char img[512];
	size_t i;
	FILE *w;

	(void)state;
	snprintf(img, sizeof(img), "%s", rt_fake_bzimage("b", 0, 0, 0));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		w = fopen(rt_fake_path("initrd"), "w");
		assert_non_null(w);
		assert_int_equal(fwrite(good[i], 1, 8, w), 8);
		assert_int_equal(fclose(w), 0);
		assert_int_equal(open_files(img, rt_fake_path("initrd"), &f), 0);
		image_close(&f);
	}
	rt_fake_write("initrd", "#!/bin/sh\n");
	assert_int_equal(open_files(img, rt_fake_path("initrd"), &f), -1);
	assert_err("is not an initramfs (no cpio or compressed archive");
	image_close(&f);
	rt_fake_write("initrd", "");
	assert_int_equal(open_files(img, rt_fake_path("initrd"), &f), -1);
	image_close(&f);
}

static void test_kernel_verdict(void **state)
{
	struct image_files f;
	const char *img = rt_fake_bzimage("b", 0, 0, 0);

	(void)state;
	check_ret = -EKEYREJECTED;
	assert_int_equal(open_files(img, NULL, &f), -1);
	assert_err("refused by this kernel's signature policy");
	image_close(&f);
	check_ret = -ENOEXEC;
	assert_int_equal(open_files(img, NULL, &f), -1);
	assert_err("the kernel refused");
	assert_err("not a relief kernel");
	image_close(&f);
	check_ret = -ENOTTY;
	assert_int_equal(open_files(img, NULL, &f), 0);
	image_close(&f);
	assert_int_equal(check_calls, 3);
}

static void test_fits(void **state)
{
	struct image_files f;
	char why[256];

	(void)state;
	assert_int_equal(open_files(rt_fake_bzimage("b", 0, 0, 0), NULL, &f),
			 0);
	assert_int_equal(image_fits(&f, 1ull << 32, 64 << 20, 1 << 20,
				    16 << 20, why, sizeof(why)), 0);
	/* 8M from 2M in must end below 10M - 1M of transfer area. */
	assert_int_equal(image_fits(&f, 1ull << 32, 10 << 20, 1 << 20,
				    1 << 20, why, sizeof(why)), -1);
	assert_string_equal(why, "kernel B needs 8M from where it is loaded "
			    "(its init_size), but the region leaves it 7M "
			    "below the initrd and the transfer area");
	image_close(&f);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_good),
		T(test_unreadable),
		T(test_every_why),
		T(test_refusals),
		T(test_initrd_formats),
		T(test_kernel_verdict),
		T(test_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
