// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_image.c - relief_image_check() and relief_image_place().
 *
 * Most tests start from a synthetic image (helper_image.h) and break it
 * one way at a time. With
 * RELIEF_TEST_IMAGES=DIR (make check-images, after the kernel build) the
 * same checks run on the real images instead: vmlinuz-relief-a and -b
 * pass, -n (no relief) and the foreign kernels there are refused, and
 * mutated copies of -b are refused too. A missing image there fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_image.h"
#include "relief_image.h"

#define SETUP_LEN	HIMG_SETUP_LEN
#define PAYLOAD_LEN	HIMG_PAYLOAD_LEN
#define IMG_LEN		HIMG_LEN
#define KINFO_OFF	HIMG_KINFO_OFF
#define SIG_LEN		64
#define PE_OFF		0x80

static uint8_t img[IMG_LEN + SIG_LEN];

#define put16 himg_put16
#define put32 himg_put32

/* Bit-at-a-time CRC-32 register, from the definition. */
static uint32_t ref_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

static void stamp_crc(uint8_t *p, size_t image_len)
{
	himg_stamp_crc(p, image_len);
}

static void build(void)
{
	himg_build(img, sizeof(img));
}

static uint8_t *marker(void)
{
	return img + SETUP_LEN + HIMG_MARKER_OFF;
}

static int check(uint64_t len, struct relief_image_info *info)
{
	return relief_image_check(img, len, info);
}

/* Change a field, restamp the CRC, expect @err. */
static void expect_restamped(int err)
{
	struct relief_image_info info;

	stamp_crc(img, IMG_LEN);
	assert_int_equal(check(IMG_LEN, &info), err);
}

static int setup(void **state)
{
	(void)state;
	build();
	return 0;
}

static void test_crc32_check_value(void **state)
{
	(void)state;
	/* The IEEE check value, with the usual final xor applied. */
	assert_int_equal(relief_image_crc32(0xffffffffu, "123456789", 9) ^
			 0xffffffffu, 0xcbf43926u);
}

static void test_crc32_matches_bitwise(void **state)
{
	uint8_t buf[257];
	uint32_t x = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (i = 0; i < 256; i++) {
		uint8_t one = (uint8_t)i;

		assert_int_equal(relief_image_crc32(0, &one, 1),
				 ref_crc32(0, &one, 1));
	}
	for (i = 0; i <= sizeof(buf); i += 17)
		assert_int_equal(relief_image_crc32(0xffffffffu, buf, i),
				 ref_crc32(0xffffffffu, buf, i));
}

static void test_good(void **state)
{
	struct relief_image_info info;

	(void)state;
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
	assert_int_equal(info.setup_len, SETUP_LEN);
	assert_int_equal(info.payload_len, PAYLOAD_LEN);
	assert_int_equal(info.image_len, IMG_LEN);
	assert_int_equal(info.sig_len, 0);
	assert_int_equal(info.crc_stored, info.crc_computed);
	assert_int_equal(info.proto_min, RELIEF_PROTO_VERSION_MIN);
	assert_int_equal(info.proto_max, RELIEF_PROTO_VERSION_MAX);
	assert_int_equal(info.marker_flags, RELIEF_IMAGE_MARKER_EARLY_REPORT);
	assert_string_equal(info.release, HIMG_RELEASE);
}

static void test_names(void **state)
{
	int e;

	(void)state;
	for (e = 0; e < RELIEF_IMAGE_ERR_COUNT; e++)
		assert_string_not_equal(relief_image_err_name(e), "unknown");
	assert_string_equal(relief_image_err_name(-1), "unknown");
	assert_string_equal(relief_image_err_name(RELIEF_IMAGE_ERR_COUNT),
			    "unknown");
}

/* Cut short anywhere: inside the setup, the payload, the last byte. */
static void test_truncated(void **state)
{
	static const uint64_t at[] = { 0, 1, 0x100, RELIEF_BZ_HDR_LEN - 1,
				       RELIEF_BZ_HDR_LEN, SETUP_LEN - 1,
				       SETUP_LEN, SETUP_LEN + 1000,
				       IMG_LEN - 4, IMG_LEN - 1 };
	struct relief_image_info info;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		int err = check(at[i], &info);

		if (at[i] < RELIEF_BZ_HDR_LEN)
			assert_int_equal(err, RELIEF_IMAGE_ERR_SHORT);
		else
			assert_int_equal(err, RELIEF_IMAGE_ERR_TRUNCATED);
		assert_int_equal(info.file_len, at[i]);
	}
	assert_int_equal(relief_image_check(NULL, IMG_LEN, &info),
			 RELIEF_IMAGE_ERR_SHORT);
}

static void test_padded(void **state)
{
	struct relief_image_info info;

	(void)state;
	assert_int_equal(check(IMG_LEN + 1, &info), RELIEF_IMAGE_ERR_TRAILING);
	assert_int_equal(check(IMG_LEN + SIG_LEN, &info),
			 RELIEF_IMAGE_ERR_TRAILING);
}

/*
 * A PE32+ header whose certificate table ends the file: a signature. The
 * build stamps the CRC with the CheckSum and the table's entry zero; the
 * signer writes both afterwards.
 */
static void add_signature(uint32_t off, uint32_t size)
{
	uint8_t *pe = img + PE_OFF, *dir = pe + 24 + 112 + 8 * 4;

	memcpy(img, "MZ", 2);
	put32(img + 0x3c, PE_OFF);
	memcpy(pe, "PE\0\0", 4);
	put16(pe + 4, 0x8664);
	put16(pe + 24, 0x20b);
	put32(pe + 24 + 108, 6);
	put32(pe + 24 + 64, 0);
	put32(dir, 0);
	put32(dir + 4, 0);
	stamp_crc(img, IMG_LEN);
	put32(pe + 24 + 64, 0x12345678);
	put32(dir, off);
	put32(dir + 4, size);
}

static void test_signed(void **state)
{
	struct relief_image_info info;

	(void)state;
	add_signature(IMG_LEN, SIG_LEN);
	assert_int_equal(check(IMG_LEN + SIG_LEN, &info), RELIEF_IMAGE_OK);
	assert_int_equal(info.sig_len, SIG_LEN);
	/* The signed fields are out of the CRC; any other bit is not. */
	img[PE_OFF + 24 + 20] ^= 1;
	assert_int_equal(check(IMG_LEN + SIG_LEN, &info),
			 RELIEF_IMAGE_ERR_CRC);
	img[PE_OFF + 24 + 20] ^= 1;
	/* Unsigned (cut at its end), its CRC is taken over every byte. */
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_CRC);
	/* A table that does not end the file is padding. */
	assert_int_equal(check(IMG_LEN + SIG_LEN - 1, &info),
			 RELIEF_IMAGE_ERR_TRAILING);
	/* Nor one that does not start where the image ends. */
	add_signature(IMG_LEN + 8, SIG_LEN - 8);
	assert_int_equal(check(IMG_LEN + SIG_LEN, &info),
			 RELIEF_IMAGE_ERR_TRAILING);
	/* Nor one in a PE32 (not PE32+) header. */
	add_signature(IMG_LEN, SIG_LEN);
	put16(img + PE_OFF + 24, 0x10b);
	assert_int_equal(check(IMG_LEN + SIG_LEN, &info),
			 RELIEF_IMAGE_ERR_TRAILING);
}

/* Every single bit flipped in the image is caught, by the CRC or before. */
static void test_every_bit_flip(void **state)
{
	struct relief_image_info info;
	size_t bit;

	(void)state;
	for (bit = 0; bit < (size_t)IMG_LEN * 8; bit++) {
		img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_not_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
		img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
}

static void test_crc_mismatch(void **state)
{
	struct relief_image_info info;

	(void)state;
	img[SETUP_LEN + 2000] ^= 0x10;
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_CRC);
	assert_int_not_equal(info.crc_stored, info.crc_computed);
}

static void test_header_fields(void **state)
{
	(void)state;
	put16(img + RELIEF_BZ_VERSION, 0x020e);
	expect_restamped(RELIEF_IMAGE_ERR_BOOT_PROTOCOL);
	build();
	put16(img + RELIEF_BZ_XLOADFLAGS, 0);
	expect_restamped(RELIEF_IMAGE_ERR_NOT_64BIT);
	build();
	img[RELIEF_BZ_RELOCATABLE] = 0;
	expect_restamped(RELIEF_IMAGE_ERR_NOT_RELOCATABLE);
	build();
	put32(img + RELIEF_BZ_ALIGNMENT, 0x300000);
	expect_restamped(RELIEF_IMAGE_ERR_ALIGNMENT);
	put32(img + RELIEF_BZ_ALIGNMENT, 0);
	expect_restamped(RELIEF_IMAGE_ERR_ALIGNMENT);
	put32(img + RELIEF_BZ_ALIGNMENT, 0x80000000u);
	expect_restamped(RELIEF_IMAGE_ERR_ALIGNMENT);
	build();
	put32(img + RELIEF_BZ_INIT_SIZE, PAYLOAD_LEN - 16);
	expect_restamped(RELIEF_IMAGE_ERR_INIT_SIZE);
	build();
	put32(img + RELIEF_BZ_SYSSIZE, 0);
	expect_restamped(RELIEF_IMAGE_ERR_TRUNCATED);
	put32(img + RELIEF_BZ_SYSSIZE, 0xffffffffu);
	expect_restamped(RELIEF_IMAGE_ERR_NOT_BZIMAGE);
	build();
	/* setup_sects 0 means 4: the setup is longer than the file says. */
	img[RELIEF_BZ_SETUP_SECTS] = 0;
	expect_restamped(RELIEF_IMAGE_ERR_TRUNCATED);
}

static void test_no_release(void **state)
{
	struct relief_image_info info;

	(void)state;
	put16(img + RELIEF_BZ_KERNEL_VERSION, 0);
	stamp_crc(img, IMG_LEN);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
	assert_string_equal(info.release, "");
}

static void test_kernel_info(void **state)
{
	uint8_t *ki = img + SETUP_LEN + KINFO_OFF;

	(void)state;
	put32(img + RELIEF_BZ_KERNEL_INFO, 0);
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	put32(img + RELIEF_BZ_KERNEL_INFO, PAYLOAD_LEN - 8);
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	build();
	ki[0] = 'X';
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	build();
	put32(ki + 4, 8);		/* fixed part too small */
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	build();
	put32(ki + 8, 12);		/* total below the fixed part */
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	put32(ki + 8, PAYLOAD_LEN);	/* past the image */
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	build();
	put32(ki + 20, 4);		/* a chunk shorter than its header */
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
	put32(ki + 20, 4096);		/* a chunk past the end */
	expect_restamped(RELIEF_IMAGE_ERR_KERNEL_INFO);
}

/* A stock kernel: kernel_info without the marker. */
static void test_no_marker(void **state)
{
	uint8_t *ki = img + SETUP_LEN + KINFO_OFF;

	(void)state;
	put32(ki + 8, 16);
	expect_restamped(RELIEF_IMAGE_ERR_NO_MARKER);
	build();
	memcpy(marker(), "RLIG", 4);
	expect_restamped(RELIEF_IMAGE_ERR_NO_MARKER);
}

static void test_marker(void **state)
{
	struct relief_image_info info;
	uint8_t *m = marker();

	(void)state;
	put32(m + 4, RELIEF_IMAGE_MARKER_LEN - 1);
	expect_restamped(RELIEF_IMAGE_ERR_MARKER);
	build();
	put16(m + RELIEF_IMAGE_MARKER_OFF_VERSION, 0);
	expect_restamped(RELIEF_IMAGE_ERR_MARKER);
	build();
	put16(m + RELIEF_IMAGE_MARKER_OFF_MIN, 3);
	put16(m + RELIEF_IMAGE_MARKER_OFF_MAX, 2);
	expect_restamped(RELIEF_IMAGE_ERR_MARKER);
	build();
	put16(m + RELIEF_IMAGE_MARKER_OFF_ARCH, 2);
	expect_restamped(RELIEF_IMAGE_ERR_ARCH);
	build();
	/* Too new: it speaks only versions after ours. */
	put16(m + RELIEF_IMAGE_MARKER_OFF_MIN, RELIEF_PROTO_VERSION_MAX + 1);
	put16(m + RELIEF_IMAGE_MARKER_OFF_MAX, RELIEF_PROTO_VERSION_MAX + 4);
	expect_restamped(RELIEF_IMAGE_ERR_PROTOCOL);
	/* Too old. */
	put16(m + RELIEF_IMAGE_MARKER_OFF_MIN, 0);
	put16(m + RELIEF_IMAGE_MARKER_OFF_MAX, RELIEF_PROTO_VERSION_MIN - 1);
	expect_restamped(RELIEF_IMAGE_ERR_PROTOCOL);
	/* Overlapping on one side is enough; a later layout version too. */
	put16(m + RELIEF_IMAGE_MARKER_OFF_MAX, RELIEF_PROTO_VERSION_MAX + 9);
	put16(m + RELIEF_IMAGE_MARKER_OFF_VERSION, 7);
	expect_restamped(RELIEF_IMAGE_OK);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
	assert_int_equal(info.marker_version, 7);
}

static void test_foreign(void **state)
{
	struct relief_image_info info;

	(void)state;
	memset(img, 0, sizeof(img));
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_NOT_BZIMAGE);
	/* An arm64 Image, by its magic; short ones too. */
	memcpy(img + 0x38, "ARM\x64", 4);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_ARM64);
	assert_int_equal(check(0x40, &info), RELIEF_IMAGE_ERR_ARM64);
	assert_int_equal(check(0x3b, &info), RELIEF_IMAGE_ERR_SHORT);
	/* An EFI application: arm64 (zboot), RISC-V, x86-64 without HdrS. */
	memset(img, 0, sizeof(img));
	memcpy(img, "MZ", 2);
	put32(img + 0x3c, PE_OFF);
	memcpy(img + PE_OFF, "PE\0\0", 4);
	put16(img + PE_OFF + 4, 0xaa64);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_ARM64);
	put16(img + PE_OFF + 4, 0x5064);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_FOREIGN);
	assert_int_equal(info.pe_machine, 0x5064);
	put16(img + PE_OFF + 4, 0x8664);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_NOT_BZIMAGE);
	/* A PE offset pointing nowhere is no PE header. */
	put32(img + 0x3c, IMG_LEN * 2);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_NOT_BZIMAGE);
	put32(img + 0x3c, 4);
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_ERR_NOT_BZIMAGE);
}

static const struct relief_image_room room0 = {
	.base = 0x40000000,
	.size = 256 << 20,
	.reserved = 1 << 20,
	.transfer = 64 << 20,
};

static void test_place(void **state)
{
	struct relief_image_room room = room0;
	struct relief_image_place at;
	struct relief_image_info info;

	(void)state;
	assert_int_equal(check(IMG_LEN, &info), RELIEF_IMAGE_OK);
	assert_int_equal(relief_image_place(&info, &room, &at), 0);
	assert_int_equal(at.load, room.base + 0x200000);
	assert_int_equal(at.end, at.load + 0x800000);
	assert_int_equal(at.initrd, room.base + room.size - room.transfer);
	room.initrd_len = 10000;
	assert_int_equal(relief_image_place(&info, &room, &at), 0);
	assert_int_equal(at.initrd % RELIEF_IMAGE_PAGE, 0);
	assert_true(at.initrd + room.initrd_len <=
		    room.base + room.size - room.transfer);
	/* A larger alignment moves the load address up. */
	info.alignment = 0x1000000;
	assert_int_equal(relief_image_place(&info, &room, &at), 0);
	assert_int_equal(at.load, room.base + 0x1000000);
	/* init_size must end below the initrd. */
	room.initrd_len = room.size - room.transfer - 0x1000000 - 0x7ff000;
	assert_int_equal(relief_image_place(&info, &room, &at),
			 RELIEF_IMAGE_ERR_NO_ROOM);
	room.initrd_len = room.size;
	assert_int_equal(relief_image_place(&info, &room, &at),
			 RELIEF_IMAGE_ERR_NO_ROOM);
	room = room0;
	room.transfer = room.size;
	assert_int_equal(relief_image_place(&info, &room, &at),
			 RELIEF_IMAGE_ERR_NO_ROOM);
	room = room0;
	room.initrd_len = room.size - room.transfer + 1;
	assert_int_equal(relief_image_place(&info, &room, &at),
			 RELIEF_IMAGE_ERR_NO_ROOM);
	room = room0;
	info.alignment = 0x80000000u;
	assert_int_equal(relief_image_place(&info, &room, &at),
			 RELIEF_IMAGE_ERR_NO_ROOM);
}

/* --- the real images (RELIEF_TEST_IMAGES=DIR) ------------------------ */

static uint8_t *real;
static size_t real_len;

static int load_real(const char *name)
{
	const char *dir = getenv("RELIEF_TEST_IMAGES");
	char path[4096];
	FILE *f;
	long n;

	free(real);
	real = NULL;
	if (!dir || !*dir)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open it", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	real = malloc((size_t)n);
	assert_non_null(real);
	assert_int_equal(fread(real, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	real_len = (size_t)n;
	return 0;
}

static void test_real_relief_images(void **state)
{
	static const char *const names[] = { "vmlinuz-relief-a",
					      "vmlinuz-relief-b" };
	struct relief_image_info info;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(load_real(names[i]), 0);
		assert_int_equal(relief_image_check(real, real_len, &info),
				 RELIEF_IMAGE_OK);
		assert_int_equal(info.image_len, real_len);
		assert_int_equal(info.proto_min, RELIEF_PROTO_VERSION_MIN);
		assert_int_equal(info.proto_max, RELIEF_PROTO_VERSION_MAX);
		assert_non_null(strstr(info.release, "-relief-"));
	}
}

static void test_real_refused(void **state)
{
	static const struct {
		const char *name;
		int err;
	} cases[] = {
		{ "vmlinuz-relief-n", RELIEF_IMAGE_ERR_NO_MARKER },
		{ "vmlinuz-debian-amd64", RELIEF_IMAGE_ERR_NO_MARKER },
		{ "vmlinuz-debian-arm64", RELIEF_IMAGE_ERR_ARM64 },
	};
	struct relief_image_info info;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load_real(cases[i].name), 0);
		assert_int_equal(relief_image_check(real, real_len, &info),
				 cases[i].err);
	}
	/* Debian signs its kernels: the signature is told from padding. */
	assert_int_equal(load_real("vmlinuz-debian-amd64"), 0);
	relief_image_check(real, real_len, &info);
	assert_true(info.sig_len > 0);
	assert_int_equal(info.image_len + info.sig_len, real_len);
}

/* Mutated copies of B: cut, padded, one bit flipped, a few at random. */
static void test_real_mutated(void **state)
{
	struct relief_image_info info, good;
	uint32_t x = 12345;
	size_t i, at;

	(void)state;
	assert_int_equal(load_real("vmlinuz-relief-b"), 0);
	assert_int_equal(relief_image_check(real, real_len, &good), 0);
	assert_int_equal(relief_image_check(real, good.setup_len - 100, &info),
			 RELIEF_IMAGE_ERR_TRUNCATED);
	assert_int_equal(relief_image_check(real, real_len / 2, &info),
			 RELIEF_IMAGE_ERR_TRUNCATED);
	assert_int_equal(relief_image_check(real, real_len - 1, &info),
			 RELIEF_IMAGE_ERR_TRUNCATED);
	real = realloc(real, real_len + 4096);
	assert_non_null(real);
	memset(real + real_len, 0, 4096);
	assert_int_equal(relief_image_check(real, real_len + 4096, &info),
			 RELIEF_IMAGE_ERR_TRAILING);
	for (i = 0; i < 16; i++) {
		x = x * 1103515245u + 12345u;
		at = (x >> 4) % real_len;
		real[at] ^= (uint8_t)(1u << (x & 7));
		assert_int_not_equal(relief_image_check(real, real_len, &info),
				     RELIEF_IMAGE_OK);
		real[at] ^= (uint8_t)(1u << (x & 7));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_value),
		cmocka_unit_test(test_crc32_matches_bitwise),
		cmocka_unit_test_setup(test_good, setup),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup(test_truncated, setup),
		cmocka_unit_test_setup(test_padded, setup),
		cmocka_unit_test_setup(test_signed, setup),
		cmocka_unit_test_setup(test_every_bit_flip, setup),
		cmocka_unit_test_setup(test_crc_mismatch, setup),
		cmocka_unit_test_setup(test_header_fields, setup),
		cmocka_unit_test_setup(test_no_release, setup),
		cmocka_unit_test_setup(test_kernel_info, setup),
		cmocka_unit_test_setup(test_no_marker, setup),
		cmocka_unit_test_setup(test_marker, setup),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test_setup(test_place, setup),
	};
	/* Only where the images are (make check-images): never "skipped". */
	const struct CMUnitTest real_tests[] = {
		cmocka_unit_test(test_real_relief_images),
		cmocka_unit_test(test_real_refused),
		cmocka_unit_test(test_real_mutated),
	};
	const char *dir = getenv("RELIEF_TEST_IMAGES");
	int rc;

	if (dir && *dir)
		rc = cmocka_run_group_tests(real_tests, NULL, NULL);
	else
		rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(real);
	return rc;
}
