/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_crc32c.h - CRC32C (Castagnoli), the one checksum relief uses:
 * on every wire slot, on the mailbox header, on hwdesc blobs and on
 * transferred process images.
 */
#ifndef RELIEF_CRC32C_H
#define RELIEF_CRC32C_H

#include "relief_compat.h"

/*
 * Reflected polynomial 0x82F63B78 (0x1EDC6F41 bit-reversed), initial value
 * 0xFFFFFFFF, final xor 0xFFFFFFFF: the iSCSI / ext4 / SSE4.2 CRC32C.
 * Check value: relief_crc32c(0, "123456789", 9) == RELIEF_CRC32C_CHECK.
 */
#define RELIEF_CRC32C_POLY	0x82F63B78u
#define RELIEF_CRC32C_CHECK	0xE3069283u

uint32_t relief_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* RELIEF_CRC32C_H */
