/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief on x86_64: the marker a relief kernel carries in its image, an
 * assembler macro that arch/x86/boot/compressed/kernel_info.S expands among
 * its variable-length chunks (kernel/patches/0005). The loader reads it
 * from the file (proto/relief_image.c) before it offlines anything: a
 * kernel without it, or one whose protocol versions do not meet the
 * running kernel's, is refused there rather than found out by a deadline.
 */
#ifndef _RELIEF_MARKER_S
#define _RELIEF_MARKER_S

/* Built from arch/x86/boot/compressed too: a path from this file. */
#include "../../../kernel/relief/proto/relief_image.h"

#ifdef __ASSEMBLY__
	.macro RELIEF_MARKER
.Lrelief_marker:
	.ascii	RELIEF_IMAGE_MARKER_MAGIC
	.long	.Lrelief_marker_end - .Lrelief_marker
	.word	RELIEF_IMAGE_MARKER_VERSION
	.word	RELIEF_IMAGE_MARKER_ARCH_X86_64
	.word	RELIEF_PROTO_VERSION_MIN
	.word	RELIEF_PROTO_VERSION_MAX
	.long	RELIEF_IMAGE_MARKER_EARLY_REPORT
	.long	0
.Lrelief_marker_end:
	.endm
#endif

#endif /* _RELIEF_MARKER_S */
