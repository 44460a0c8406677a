/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_version.h - the relief release, shown by the kernel in
 * /sys/kernel/relief/version and by `reliefctl --version`, so an operator
 * can see at a glance that tool and kernel come from the same tree.
 */
#ifndef RELIEF_VERSION_H
#define RELIEF_VERSION_H

#define RELIEF_VERSION "0.1.0"

#endif /* RELIEF_VERSION_H */
