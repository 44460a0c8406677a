/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bzimage.h - is a file an x86 kernel this machine's relief can boot? The
 * kernel checks the image itself; reliefctl checks the boot protocol
 * header first (Documentation/arch/x86/boot.rst) so that an operator's
 * wrong path is refused with a clear message before anything is asked of
 * the kernel.
 */
#ifndef RELIEFCTL_BZIMAGE_H
#define RELIEFCTL_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Offsets in the real-mode header, and what relief needs there. */
#define BZ_SETUP_SECTS		0x1f1	/* u8; 0 means 4 */
#define BZ_HEADER		0x202	/* "HdrS" */
#define BZ_VERSION		0x206	/* u16 boot protocol version */
#define BZ_XLOADFLAGS		0x236	/* u16 */
#define BZ_HDR_LEN		0x238	/* bytes the checks read */
#define BZ_VERSION_MIN		0x020c	/* 2.12: xloadflags */
#define BZ_XLF_KERNEL_64	(1u << 0)	/* 64-bit entry at +0x200 */

/*
 * relief_bzimage_check() - hdr: the file's first n bytes (n >= BZ_HDR_LEN
 * for a kernel); size: the whole file's. 0 when it is a 64-bit bzImage;
 * else -1 and why (the check that failed, e.g. "no HdrS signature").
 */
int relief_bzimage_check(const uint8_t *hdr, size_t n, uint64_t size,
			 char *why, size_t whylen);

#endif /* RELIEFCTL_BZIMAGE_H */
