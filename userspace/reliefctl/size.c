// SPDX-License-Identifier: GPL-2.0
/* size.c - parse and print memory sizes with K/M/G/T suffixes. */
#include <inttypes.h>
#include <stdio.h>

#include "size.h"

static const char units[] = "KMGT";

int relief_size_parse(const char *str, uint64_t *bytes)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	const char *p = str;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p) {
		for (unsigned int i = 0; units[i]; i++)
			if ((*p | 0x20) == (units[i] | 0x20))
				shift = 10 * (i + 1);
		if (!shift || p[1])
			return -1;
	}
	if (!v || v > UINT64_MAX >> shift)
		return -1;
	*bytes = v << shift;
	return 0;
}

void relief_size_format(uint64_t bytes, char *buf, size_t len)
{
	unsigned int i = 0;
	uint64_t unit;

	while (i < sizeof(units) - 1 && bytes >> (10 * (i + 1)))
		i++;
	if (!i) {
		snprintf(buf, len, "%" PRIu64, bytes);
		return;
	}
	unit = UINT64_C(1) << (10 * i);
	if (bytes % unit)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", bytes / unit,
			 bytes % unit * 10 / unit, units[i - 1]);
	else
		snprintf(buf, len, "%" PRIu64 "%c", bytes / unit, units[i - 1]);
}
