/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image_check.h - is a file a kernel relief can start beside this one?
 *
 * `reliefctl swap` reads the image and the initrd whole before anything
 * is asked of the kernel, runs relief's image checks on the image
 * (proto/relief_image.c: header, length, CRC32, the relief marker and its
 * protocol versions) and then asks the kernel for its own verdict, which
 * applies the signature policy first (RELIEF_IOC_CHECK_IMAGE). Every
 * refusal is one line naming what is wrong.
 */
#ifndef RELIEFCTL_IMAGE_CHECK_H
#define RELIEFCTL_IMAGE_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "relief_image.h"

/* No kernel image is near this big; a larger file is not read. */
#define IMAGE_MAX_BYTES		(UINT64_C(256) << 20)

/* The files of a swap, open, and what their checks read. */
struct image_files {
	int image_fd;
	int initrd_fd;		/* -1: none */
	uint64_t image_size;
	uint64_t initrd_size;
	struct relief_image_info info;
};

/*
 * image_open() - open @image and @initrd (NULL: none), read both whole and
 * check them, relief's checks first and then the kernel's. 0, or -1 with
 * one line on @err ("reliefctl swap: ..."). @f is set either way: close it
 * with image_close().
 */
int image_open(const char *image, const char *initrd, struct image_files *f,
	       FILE *err);
/*
 * The same, for tests (--inject no-marker): an image that is whole but no
 * relief kernel passes, with a line on @err saying so.
 */
int image_open_unmarked(const char *image, const char *initrd,
			struct image_files *f, FILE *err);
void image_close(struct image_files *f);

/* The operator's words for a failed check (enum relief_image_err). */
void image_why(int check, const struct relief_image_info *info, char *buf,
	       size_t len);

/* One line: what kernel B is ("kernel B: RELEASE, relief protocol ..."). */
void image_describe(const struct image_files *f, FILE *out);

/*
 * image_fits() - does the image's init_size fit the region from where the
 * kernel loads it, below the initrd and the transfer area? 0, or -1 with
 * why.
 */
int image_fits(const struct image_files *f, uint64_t base, uint64_t size,
	       uint64_t reserved, uint64_t transfer, char *why, size_t len);

#endif /* RELIEFCTL_IMAGE_CHECK_H */
