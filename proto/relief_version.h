/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_version.h - the relief release, shown by the kernel in
 * /sys/kernel/relief/version and by `reliefctl --version`, so an operator
 * can see at a glance that tool and kernel come from the same tree; and
 * the protocol versions this copy of proto/ speaks, which a relief kernel
 * also carries in its image (relief_image.h). Only #defines: the image's
 * marker is written in assembly.
 */
#ifndef RELIEF_VERSION_H
#define RELIEF_VERSION_H

#define RELIEF_VERSION "0.1.0"

/* Protocol versions this copy of proto/ speaks (inclusive range). */
#define RELIEF_PROTO_VERSION_MIN 1
#define RELIEF_PROTO_VERSION_MAX 1

#endif /* RELIEF_VERSION_H */
