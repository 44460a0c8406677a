/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * relief_image.h - is a file a kernel that relief can start beside this
 * one, whole and as its build wrote it?
 *
 * A relieving kernel starts on CPUs the running kernel lent it, while that
 * kernel serves: a cut-short, corrupt or foreign image must be refused
 * before anything is offlined, never found out by a CPU that jumps into
 * it. relief_image_check() reads the x86 boot protocol header
 * (Documentation/arch/x86/boot.rst), the length it gives, the CRC32 the
 * kernel build appends, the kernel_info and, in it, the marker every relief
 * kernel carries: which relief protocol versions it speaks. reliefctl runs
 * it for the operator's message, the kernel again (after the signature
 * policy) before it loads anything; both read the same rules here.
 *
 * The marker is a kernel_info variable-length chunk; the relief kernel
 * writes it in assembly (arch/x86/boot/compressed/kernel_info.S, hooked by
 * kernel/patches/), hence the #defines outside __ASSEMBLY__.
 */
#ifndef RELIEF_IMAGE_H
#define RELIEF_IMAGE_H

#include "relief_version.h"

/* The marker chunk: "RLIF", its size, then these little-endian fields. */
#define RELIEF_IMAGE_MARKER_MAGIC	"RLIF"
#define RELIEF_IMAGE_MARKER_VERSION	1	/* layout of the fields below */
#define RELIEF_IMAGE_MARKER_ARCH_X86_64	1	/* = RELIEF_HWDESC_ARCH_X86_64 */
/* Flags: what the image can do beyond starting as a relieving kernel. */
#define RELIEF_IMAGE_MARKER_EARLY_REPORT 0x1	/* reports early faults */
#define RELIEF_IMAGE_MARKER_OFF_VERSION	8	/* u16 */
#define RELIEF_IMAGE_MARKER_OFF_ARCH	10	/* u16 */
#define RELIEF_IMAGE_MARKER_OFF_MIN	12	/* u16 protocol min */
#define RELIEF_IMAGE_MARKER_OFF_MAX	14	/* u16 protocol max */
#define RELIEF_IMAGE_MARKER_OFF_FLAGS	16	/* u32 */
#define RELIEF_IMAGE_MARKER_LEN		24	/* with 4 bytes reserved, 0 */

#ifndef __ASSEMBLY__
#include "relief_compat.h"

/* The boot protocol fields read (offsets in the file). */
#define RELIEF_BZ_SETUP_SECTS		0x1f1	/* u8; 0 means 4 */
#define RELIEF_BZ_SYSSIZE		0x1f4	/* u32, 16-byte units */
#define RELIEF_BZ_HEADER		0x202	/* "HdrS" */
#define RELIEF_BZ_VERSION		0x206	/* u16 */
#define RELIEF_BZ_KERNEL_VERSION	0x20e	/* u16, + 0x200 */
#define RELIEF_BZ_ALIGNMENT		0x230	/* u32 kernel_alignment */
#define RELIEF_BZ_RELOCATABLE		0x234	/* u8 */
#define RELIEF_BZ_XLOADFLAGS		0x236	/* u16 */
#define RELIEF_BZ_INIT_SIZE		0x260	/* u32 */
#define RELIEF_BZ_KERNEL_INFO		0x268	/* u32, from the payload */
#define RELIEF_BZ_HDR_LEN		0x26c	/* bytes the header checks read */
#define RELIEF_BZ_VERSION_MIN		0x020f	/* 2.15: kernel_info */
#define RELIEF_BZ_XLF_KERNEL_64		0x1	/* 64-bit entry at +0x200 */
#define RELIEF_BZ_RELEASE_LEN		65	/* its release, NUL included */

/* The loader's own rules (arch/x86_64/relief_load.c). */
#define RELIEF_IMAGE_ALIGN_MIN		0x200000	/* 2 MiB pages */
#define RELIEF_IMAGE_ALIGN_MAX		0x40000000	/* 1 GiB */
#define RELIEF_IMAGE_PAGE		4096

/* Stable numbers: the kernel returns them to reliefctl. */
enum relief_image_err {
	RELIEF_IMAGE_OK = 0,
	RELIEF_IMAGE_ERR_SHORT,		/* shorter than a boot header */
	RELIEF_IMAGE_ERR_FOREIGN,	/* a PE/COFF image for another machine */
	RELIEF_IMAGE_ERR_ARM64,		/* an arm64 Image */
	RELIEF_IMAGE_ERR_NOT_BZIMAGE,	/* no "HdrS" */
	RELIEF_IMAGE_ERR_BOOT_PROTOCOL,	/* older than 2.15 */
	RELIEF_IMAGE_ERR_NOT_64BIT,	/* no 64-bit entry */
	RELIEF_IMAGE_ERR_NOT_RELOCATABLE,
	RELIEF_IMAGE_ERR_ALIGNMENT,	/* kernel_alignment unusable */
	RELIEF_IMAGE_ERR_TRUNCATED,	/* shorter than its header says */
	RELIEF_IMAGE_ERR_TRAILING,	/* longer, and not by a signature */
	RELIEF_IMAGE_ERR_CRC,		/* the appended CRC32 does not match */
	RELIEF_IMAGE_ERR_INIT_SIZE,	/* init_size below the payload */
	RELIEF_IMAGE_ERR_KERNEL_INFO,	/* kernel_info missing or malformed */
	RELIEF_IMAGE_ERR_NO_MARKER,	/* not a relief kernel */
	RELIEF_IMAGE_ERR_MARKER,	/* a malformed marker */
	RELIEF_IMAGE_ERR_ARCH,		/* a relief kernel for another arch */
	RELIEF_IMAGE_ERR_PROTOCOL,	/* no protocol version in common */
	RELIEF_IMAGE_ERR_NO_ROOM,	/* does not fit the region */
	RELIEF_IMAGE_ERR_COUNT
};

/* What relief_image_check() read, as far as it got. */
struct relief_image_info {
	uint64_t file_len;
	uint64_t image_len;	/* setup + payload: where the CRC ends */
	uint64_t sig_len;	/* an appended signature's bytes, or 0 */
	uint32_t setup_len;	/* (setup_sects + 1) * 512 */
	uint32_t payload_len;	/* syssize * 16 */
	uint32_t init_size;
	uint32_t alignment;	/* kernel_alignment */
	uint32_t crc_stored;
	uint32_t crc_computed;
	uint16_t boot_version;
	uint16_t pe_machine;	/* a foreign PE/COFF image's machine */
	uint16_t marker_version;
	uint16_t marker_arch;
	uint16_t proto_min;
	uint16_t proto_max;
	uint32_t marker_flags;
	char release[RELIEF_BZ_RELEASE_LEN];	/* "" if the header has none */
};

/* The region the image would go to, for relief_image_place(). */
struct relief_image_room {
	uint64_t base;		/* the region */
	uint64_t size;
	uint64_t reserved;	/* at its start: park, mailbox, boot data */
	uint64_t transfer;	/* at its top: the transfer area */
	uint64_t initrd_len;	/* below the transfer area */
};

struct relief_image_place {
	uint64_t load;		/* the payload's address (entry: +0x200) */
	uint64_t initrd;	/* the initrd's, or the top if none */
	uint64_t end;		/* load + init_size, page aligned */
};

int relief_image_check(const void *img, uint64_t len,
		       struct relief_image_info *info);
int relief_image_place(const struct relief_image_info *info,
		       const struct relief_image_room *room,
		       struct relief_image_place *out);
uint32_t relief_image_crc32(uint32_t crc, const void *buf, size_t len);
const char *relief_image_err_name(int err);

#endif /* __ASSEMBLY__ */
#endif /* RELIEF_IMAGE_H */
