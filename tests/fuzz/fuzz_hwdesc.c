// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_hwdesc.c - relief_hwdesc_parse() on arbitrary bytes.
 *
 * The parser must be total (ASan/UBSan catch any stray read), zero its
 * output on error, and anything it accepts must survive a rebuild: build
 * again, parse again, same struct. Any violation abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relief_hwdesc.h"

static struct relief_hwdesc first, second;
static uint8_t rebuilt[RELIEF_HWDESC_BLOB_MAX] __attribute__((aligned(8)));

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy: ASan flags a read one byte past it. */
	uint8_t *copy = malloc(size ? size : 1);
	size_t len;
	int err;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&first, 0xa5, sizeof(first));
	err = relief_hwdesc_parse(copy, size, &first);
	free(copy);
	if (err) {
		if (err >= RELIEF_HWDESC_ERR_COUNT ||
		    !all_zero(&first, sizeof(first)))
			abort();
		return 0;
	}
	if (relief_hwdesc_check(&first) != RELIEF_HWDESC_OK)
		abort();
	if (relief_hwdesc_build(&first, rebuilt, sizeof(rebuilt), &len) !=
	    RELIEF_HWDESC_OK || len > sizeof(rebuilt))
		abort();
	if (relief_hwdesc_parse(rebuilt, len, &second) != RELIEF_HWDESC_OK)
		abort();
	if (memcmp(&first, &second, sizeof(first)))
		abort();
	return 0;
}
