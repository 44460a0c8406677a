// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* helper_image.c - the synthetic relief kernel image (helper_image.h). */
#include <string.h>

#include "helper_image.h"
#include "relief_image.h"

void himg_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void himg_put32(uint8_t *p, uint32_t v)
{
	himg_put16(p, v);
	himg_put16(p + 2, v >> 16);
}

void himg_stamp_crc(uint8_t *img, size_t image_len)
{
	himg_put32(img + image_len - 4,
		   relief_image_crc32(0xffffffffu, img, image_len - 4));
}

void himg_build(uint8_t *img, size_t size)
{
	uint8_t *ki = img + HIMG_SETUP_LEN + HIMG_KINFO_OFF;
	uint8_t *m = img + HIMG_SETUP_LEN + HIMG_MARKER_OFF;
	static const char banner[] = HIMG_RELEASE " (relief@t) #1";

	memset(img, 0, size);
	img[RELIEF_BZ_SETUP_SECTS] = HIMG_SETUP_SECTS;
	himg_put32(img + RELIEF_BZ_SYSSIZE, HIMG_PAYLOAD_LEN / 16);
	memcpy(img + RELIEF_BZ_HEADER, "HdrS", 4);
	himg_put16(img + RELIEF_BZ_VERSION, 0x020f);
	himg_put16(img + RELIEF_BZ_KERNEL_VERSION, 0x400);
	memcpy(img + 0x600, banner, sizeof(banner));
	himg_put32(img + RELIEF_BZ_ALIGNMENT, 0x200000);
	img[RELIEF_BZ_RELOCATABLE] = 1;
	himg_put16(img + RELIEF_BZ_XLOADFLAGS, RELIEF_BZ_XLF_KERNEL_64);
	himg_put32(img + RELIEF_BZ_INIT_SIZE, HIMG_INIT_SIZE);
	himg_put32(img + RELIEF_BZ_KERNEL_INFO, HIMG_KINFO_OFF);

	memcpy(ki, "LToP", 4);
	himg_put32(ki + 4, 16);
	himg_put32(ki + 8, 16 + 8 + RELIEF_IMAGE_MARKER_LEN);
	memcpy(ki + 16, "ABCD", 4);	/* another loader's chunk first */
	himg_put32(ki + 20, 8);
	memcpy(m, RELIEF_IMAGE_MARKER_MAGIC, 4);
	himg_put32(m + 4, RELIEF_IMAGE_MARKER_LEN);
	himg_put16(m + RELIEF_IMAGE_MARKER_OFF_VERSION,
		   RELIEF_IMAGE_MARKER_VERSION);
	himg_put16(m + RELIEF_IMAGE_MARKER_OFF_ARCH,
		   RELIEF_IMAGE_MARKER_ARCH_X86_64);
	himg_put16(m + RELIEF_IMAGE_MARKER_OFF_MIN, RELIEF_PROTO_VERSION_MIN);
	himg_put16(m + RELIEF_IMAGE_MARKER_OFF_MAX, RELIEF_PROTO_VERSION_MAX);
	himg_put32(m + RELIEF_IMAGE_MARKER_OFF_FLAGS,
		   RELIEF_IMAGE_MARKER_EARLY_REPORT);
	himg_stamp_crc(img, HIMG_LEN);
}
