// SPDX-License-Identifier: GPL-2.0
/* bzimage.c - the x86 boot protocol header checks behind `reliefctl swap`. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bzimage.h"

static unsigned int le16(const uint8_t *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

int relief_bzimage_check(const uint8_t *hdr, size_t n, uint64_t size,
			 char *why, size_t whylen)
{
	unsigned int sects, version;
	uint64_t setup;

	if (n < BZ_HDR_LEN) {
		snprintf(why, whylen, "%zu bytes, too short for a boot "
			 "protocol header", n);
		return -1;
	}
	if (memcmp(hdr + BZ_HEADER, "HdrS", 4)) {
		snprintf(why, whylen, "no \"HdrS\" signature at 0x%x",
			 BZ_HEADER);
		return -1;
	}
	version = le16(hdr + BZ_VERSION);
	if (version < BZ_VERSION_MIN) {
		snprintf(why, whylen, "boot protocol %u.%02u, relief needs "
			 "2.12 or later", version >> 8, version & 0xff);
		return -1;
	}
	if (!(le16(hdr + BZ_XLOADFLAGS) & BZ_XLF_KERNEL_64)) {
		snprintf(why, whylen, "no 64-bit entry point "
			 "(XLF_KERNEL_64 clear)");
		return -1;
	}
	sects = hdr[BZ_SETUP_SECTS] ? hdr[BZ_SETUP_SECTS] : 4;
	setup = (uint64_t)(sects + 1) * 512;
	if (size <= setup) {
		snprintf(why, whylen, "%" PRIu64 " bytes hold no kernel after "
			 "its %" PRIu64 "-byte setup", size, setup);
		return -1;
	}
	return 0;
}
