/* SPDX-License-Identifier: GPL-2.0 */
/* json.h - the little JSON reliefctl writes by hand. */
#ifndef RELIEFCTL_JSON_H
#define RELIEFCTL_JSON_H

#include <stdio.h>

/*
 * reliefctl_json_string() - s as a JSON string, quotes included: '"' and '\\'
 * escaped, control characters and DEL as \uXXXX (\n, \t... by name), bytes
 * from 0x80 passed through (the kernel's text is ASCII or UTF-8).
 */
void reliefctl_json_string(FILE *out, const char *s);

#endif /* RELIEFCTL_JSON_H */
