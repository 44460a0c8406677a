/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * helper_image.h - a synthetic relief kernel image for the image checks'
 * tests (tests/unit/test_image.c, and reliefctl's through helper_fake.c):
 * a bzImage-shaped file with every header field the checks read, a
 * kernel_info holding another loader's chunk and then the relief marker,
 * and the CRC32 the kernel build appends.
 */
#ifndef HELPER_IMAGE_H
#define HELPER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define HIMG_SETUP_SECTS	3
#define HIMG_SETUP_LEN		((HIMG_SETUP_SECTS + 1) * 512)
#define HIMG_PAYLOAD_LEN	4096
#define HIMG_LEN		(HIMG_SETUP_LEN + HIMG_PAYLOAD_LEN)
#define HIMG_KINFO_OFF		0x100	/* kernel_info, in the payload */
#define HIMG_MARKER_OFF		(HIMG_KINFO_OFF + 24)	/* the marker */
#define HIMG_INIT_SIZE		0x800000
#define HIMG_RELEASE		"6.12.118-relief-t"

void himg_put16(uint8_t *p, uint32_t v);
void himg_put32(uint8_t *p, uint32_t v);
/* Build the image into @img (at least HIMG_LEN bytes, zeroed first). */
void himg_build(uint8_t *img, size_t size);
/* Recompute the CRC over the first @image_len bytes, as the build does. */
void himg_stamp_crc(uint8_t *img, size_t image_len);

#endif /* HELPER_IMAGE_H */
