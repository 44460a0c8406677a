/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_names.h - printable names for the numbers in relief_msg.h, for
 * logs, sysfs and reliefctl. Names are the enum names without their prefix.
 */
#ifndef RELIEF_NAMES_H
#define RELIEF_NAMES_H

#include "relief_compat.h"

const char *relief_msg_type_name(uint32_t type);
const char *relief_reason_name(uint32_t reason);
const char *relief_role_name(uint32_t role);

#endif /* RELIEF_NAMES_H */
