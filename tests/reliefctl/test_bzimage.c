// SPDX-License-Identifier: GPL-2.0
/* test_bzimage.c - the x86 boot protocol checks of `reliefctl swap`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bzimage.h"

static uint8_t hdr[0x400];
static char why[128];

/* A good header: protocol 2.15, 64-bit, 31 setup sectors. */
static void good(void)
{
	memset(hdr, 0, sizeof(hdr));
	hdr[BZ_SETUP_SECTS] = 31;
	memcpy(hdr + BZ_HEADER, "HdrS", 4);
	hdr[BZ_VERSION] = 0x0f;
	hdr[BZ_VERSION + 1] = 0x02;
	hdr[BZ_XLOADFLAGS] = 0x23;
	why[0] = '\0';
}

static int check(size_t n, uint64_t size)
{
	return relief_bzimage_check(hdr, n, size, why, sizeof(why));
}

static void test_accepts_a_kernel(void **state)
{
	(void)state;
	good();
	assert_int_equal(check(sizeof(hdr), 3261440), 0);
	assert_int_equal(check(BZ_HDR_LEN, 32 * 512 + 1), 0);
	/* Exactly 2.12 is enough. */
	hdr[BZ_VERSION] = 0x0c;
	assert_int_equal(check(BZ_HDR_LEN, 1 << 20), 0);
}

static void test_too_short(void **state)
{
	(void)state;
	good();
	assert_int_equal(check(BZ_HDR_LEN - 1, 1 << 20), -1);
	assert_non_null(strstr(why, "too short"));
	assert_int_equal(check(0, 0), -1);
}

static void test_no_signature(void **state)
{
	(void)state;
	good();
	hdr[BZ_HEADER + 3] = 's';
	assert_int_equal(check(sizeof(hdr), 1 << 20), -1);
	assert_string_equal(why, "no \"HdrS\" signature at 0x202");
	/* A shell script is not a kernel. */
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, "#!/bin/sh\necho hi\n", 18);
	assert_int_equal(check(sizeof(hdr), 18), -1);
}

static void test_old_protocol(void **state)
{
	(void)state;
	good();
	hdr[BZ_VERSION] = 0x0b;
	assert_int_equal(check(sizeof(hdr), 1 << 20), -1);
	assert_string_equal(why, "boot protocol 2.11, relief needs 2.12 or "
			    "later");
	hdr[BZ_VERSION + 1] = 0x01;
	hdr[BZ_VERSION] = 0xff;
	assert_int_equal(check(sizeof(hdr), 1 << 20), -1);
}

static void test_not_64bit(void **state)
{
	(void)state;
	good();
	hdr[BZ_XLOADFLAGS] = 0x22;
	assert_int_equal(check(sizeof(hdr), 1 << 20), -1);
	assert_non_null(strstr(why, "XLF_KERNEL_64"));
	/* The bit is in the low byte: a high byte does not count. */
	hdr[BZ_XLOADFLAGS + 1] = 0x01;
	assert_int_equal(check(sizeof(hdr), 1 << 20), -1);
}

static void test_truncated(void **state)
{
	(void)state;
	good();
	/* 31 setup sectors + the boot sector: 16384 bytes, then the kernel. */
	assert_int_equal(check(sizeof(hdr), 16384), -1);
	assert_string_equal(why, "16384 bytes hold no kernel after its "
			    "16384-byte setup");
	assert_int_equal(check(sizeof(hdr), 16385), 0);
	/* setup_sects 0 means 4. */
	hdr[BZ_SETUP_SECTS] = 0;
	assert_int_equal(check(sizeof(hdr), 2560), -1);
	assert_int_equal(check(sizeof(hdr), 2561), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_a_kernel),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_no_signature),
		cmocka_unit_test(test_old_protocol),
		cmocka_unit_test(test_not_64bit),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
