/* SPDX-License-Identifier: GPL-2.0 */
/* size.h - memory sizes as operators write them: 256M, 1G, 4096K. */
#ifndef RELIEFCTL_SIZE_H
#define RELIEFCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/*
 * relief_size_parse() - decimal digits and an optional K, M, G or T suffix
 * (binary units, either case); no suffix means bytes. Zero, junk and values
 * that do not fit 64 bits return -1.
 */
int relief_size_parse(const char *str, uint64_t *bytes);

/*
 * relief_size_format() - bytes in the largest unit that is not bigger than
 * the value: exact ("256M") when it divides evenly, else one decimal,
 * rounded down ("1.9G").
 */
void relief_size_format(uint64_t bytes, char *buf, size_t len);

#endif /* RELIEFCTL_SIZE_H */
