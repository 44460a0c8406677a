// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* test_crc32c.c - relief_crc32c against published vectors and a bitwise model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "relief_crc32c.h"

/* Bit-at-a-time reference, straight from the definition. */
static uint32_t ref_crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (RELIEF_CRC32C_POLY & -(crc & 1));
	}
	return ~crc;
}

static void test_check_value(void **state)
{
	(void)state;
	assert_int_equal(relief_crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(RELIEF_CRC32C_CHECK, 0xE3069283u);
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(relief_crc32c(0, "", 0), 0);
	/* An empty extension leaves any CRC unchanged. */
	assert_int_equal(relief_crc32c(0xdeadbeef, "", 0), 0xdeadbeefu);
}

/* RFC 3720 (iSCSI) appendix B.4 test vectors. */
static void test_rfc3720(void **state)
{
	uint8_t buf[32];
	int i;

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(relief_crc32c(0, buf, 32), 0x8A9136AAu);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(relief_crc32c(0, buf, 32), 0x62A8AB43u);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(relief_crc32c(0, buf, 32), 0x46DD794Eu);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(relief_crc32c(0, buf, 32), 0x113FDB5Cu);
}

static void test_chaining(void **state)
{
	const char *s = "123456789";
	size_t cut;

	(void)state;
	for (cut = 0; cut <= 9; cut++) {
		uint32_t c = relief_crc32c(0, s, cut);

		assert_int_equal(relief_crc32c(c, s + cut, 9 - cut),
				 0xE3069283u);
	}
}

/* Every table entry is used by some single-byte input. */
static void test_table_matches_bitwise(void **state)
{
	uint8_t buf[1000];
	uint32_t x = 12345;
	unsigned int b;
	size_t i;

	(void)state;
	for (b = 0; b < 256; b++) {
		uint8_t one = (uint8_t)b;

		assert_int_equal(relief_crc32c(0, &one, 1), ref_crc32c(&one, 1));
	}
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (i = 0; i <= sizeof(buf); i += 37)
		assert_int_equal(relief_crc32c(0, buf, i), ref_crc32c(buf, i));
}

static void test_detects_bit_flip(void **state)
{
	uint8_t buf[64];
	uint32_t good;
	size_t bit;

	(void)state;
	memset(buf, 0x5a, sizeof(buf));
	good = relief_crc32c(0, buf, sizeof(buf));
	for (bit = 0; bit < sizeof(buf) * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_not_equal(relief_crc32c(0, buf, sizeof(buf)), good);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_rfc3720),
		cmocka_unit_test(test_chaining),
		cmocka_unit_test(test_table_matches_bitwise),
		cmocka_unit_test(test_detects_bit_flip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
