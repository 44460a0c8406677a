// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * relief_image.c - the checks a kernel image passes before relief starts
 * it (relief_image.h), one function per check, run in the order that names
 * the first thing wrong: what the file is, what its header promises, that
 * it is whole (length, CRC32), then that it is a relief kernel that speaks
 * a protocol version this one does.
 *
 * Nothing here trusts an offset before checking it against the length: the
 * same code runs in the kernel on a file anyone with CAP_SYS_BOOT passes.
 */
#include "relief_image.h"
#include "relief_hwdesc.h"

RELIEF_STATIC_ASSERT(RELIEF_IMAGE_MARKER_ARCH_X86_64 ==
		     RELIEF_HWDESC_ARCH_X86_64,
		     "the marker names arches as the hwdesc does");
RELIEF_STATIC_ASSERT(RELIEF_BZ_RELEASE_LEN == RELIEF_RELEASE_LEN,
		     "a release is as long as utsname's");

static const char *const relief_image_err_names[RELIEF_IMAGE_ERR_COUNT] = {
	[RELIEF_IMAGE_OK] = "ok",
	[RELIEF_IMAGE_ERR_SHORT] = "too short for a boot header",
	[RELIEF_IMAGE_ERR_FOREIGN] = "an image for another machine",
	[RELIEF_IMAGE_ERR_ARM64] = "an arm64 kernel",
	[RELIEF_IMAGE_ERR_NOT_BZIMAGE] = "not a bzImage",
	[RELIEF_IMAGE_ERR_BOOT_PROTOCOL] = "boot protocol too old",
	[RELIEF_IMAGE_ERR_NOT_64BIT] = "no 64-bit entry",
	[RELIEF_IMAGE_ERR_NOT_RELOCATABLE] = "not relocatable",
	[RELIEF_IMAGE_ERR_ALIGNMENT] = "unusable alignment",
	[RELIEF_IMAGE_ERR_TRUNCATED] = "truncated",
	[RELIEF_IMAGE_ERR_TRAILING] = "trailing bytes",
	[RELIEF_IMAGE_ERR_CRC] = "CRC mismatch",
	[RELIEF_IMAGE_ERR_INIT_SIZE] = "init_size below the payload",
	[RELIEF_IMAGE_ERR_KERNEL_INFO] = "bad kernel_info",
	[RELIEF_IMAGE_ERR_NO_MARKER] = "not a relief kernel",
	[RELIEF_IMAGE_ERR_MARKER] = "bad relief marker",
	[RELIEF_IMAGE_ERR_ARCH] = "relief kernel for another arch",
	[RELIEF_IMAGE_ERR_PROTOCOL] = "no common protocol version",
	[RELIEF_IMAGE_ERR_NO_ROOM] = "does not fit the region",
};

/**
 * relief_image_err_name() - a short name for an enum relief_image_err
 * @err: the error code
 *
 * Return: a static string; "unknown" for values outside the enum.
 */
const char *relief_image_err_name(int err)
{
	if (err < 0 || err >= RELIEF_IMAGE_ERR_COUNT)
		return "unknown";
	return relief_image_err_names[err];
}

/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), four bits at a
 * time: entry i is nibble i shifted through the polynomial four times
 * (tests/unit/test_image.c recomputes every entry bit by bit). Sixteen
 * entries keep it small for the kernel; two lookups a byte are fast enough
 * for an image read once.
 */
static const uint32_t relief_crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

/**
 * relief_image_crc32() - extend the bzImage's CRC-32 register over a buffer
 * @crc: the register so far; 0xffffffff to start
 * @buf: data
 * @len: its length in bytes
 *
 * As arch/x86/boot/tools/build.c computes it: initial value 0xffffffff and
 * no final xor, so the register over the image without its last four bytes
 * equals those bytes read as a little-endian u32.
 *
 * Return: the register after @buf.
 */
uint32_t relief_image_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ relief_crc32_nibble[crc & 0xf];
		crc = (crc >> 4) ^ relief_crc32_nibble[crc & 0xf];
	}
	return crc;
}

static uint16_t img_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t img_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool img_eq(const uint8_t *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (uint8_t)s[i])
			return false;
	return true;
}

/* PE/COFF: "MZ", the PE header's offset at 0x3c, "PE\0\0", the machine. */
#define IMG_PE_OFFSET		0x3c
#define IMG_PE_OPT		24	/* the optional header, from "PE" */
#define IMG_PE_CHECKSUM		64	/* CheckSum, in the optional header */
#define IMG_PE32PLUS		0x20b
#define IMG_PE_NR_DIRS		108	/* NumberOfRvaAndSizes, PE32+ */
#define IMG_PE_DIRS		112	/* the data directories, PE32+ */
#define IMG_PE_DIR_SECURITY	4	/* the certificate table */
#define IMG_PE_MACHINE_X86_64	0x8664
#define IMG_ARM64_MAGIC_OFF	0x38	/* "ARM\x64" in an arm64 Image */

/* Offset of the "PE\0\0" header in @img, or 0 if there is none. */
static uint32_t img_pe_header(const uint8_t *img, uint64_t len)
{
	uint32_t pe;

	if (len < IMG_PE_OFFSET + 4 || !img_eq(img, "MZ", 2))
		return 0;
	pe = img_le32(img + IMG_PE_OFFSET);
	if (pe < IMG_PE_OFFSET + 4 || (uint64_t)pe + IMG_PE_OPT > len ||
	    !img_eq(img + pe, "PE\0\0", 4))
		return 0;
	return pe;
}

/*
 * Not a bzImage: say what it is, if it says so itself. An arm64 Image has
 * its magic at 0x38; an EFI application (an arm64 or RISC-V zboot image
 * among them) names its machine in the PE header.
 */
static int img_what_else(const uint8_t *img, uint64_t len,
			 struct relief_image_info *info)
{
	uint32_t pe;

	if (len >= IMG_ARM64_MAGIC_OFF + 4 &&
	    img_eq(img + IMG_ARM64_MAGIC_OFF, "ARM\x64", 4))
		return RELIEF_IMAGE_ERR_ARM64;
	pe = img_pe_header(img, len);
	if (pe) {
		info->pe_machine = img_le16(img + pe + 4);
		if (info->pe_machine == 0xaa64)
			return RELIEF_IMAGE_ERR_ARM64;
		if (info->pe_machine != IMG_PE_MACHINE_X86_64)
			return RELIEF_IMAGE_ERR_FOREIGN;
	}
	return RELIEF_IMAGE_ERR_NOT_BZIMAGE;
}

/* The release, from the kernel_version string in the setup, if any. */
static void img_release(const uint8_t *img, uint64_t len,
			struct relief_image_info *info)
{
	uint64_t at = (uint64_t)img_le16(img + RELIEF_BZ_KERNEL_VERSION) +
		      0x200;
	size_t n = 0;

	if (!img_le16(img + RELIEF_BZ_KERNEL_VERSION))
		return;
	while (at + n < len && at + n < info->setup_len &&
	       n < sizeof(info->release) - 1 && img[at + n] > ' ' &&
	       img[at + n] < 0x7f) {
		info->release[n] = (char)img[at + n];
		n++;
	}
	info->release[n] = '\0';
}

/* What the header promises: a 64-bit relocatable kernel with kernel_info. */
static int img_header(const uint8_t *img, uint64_t len,
		      struct relief_image_info *info)
{
	uint8_t sects = img[RELIEF_BZ_SETUP_SECTS];
	uint32_t a;

	info->setup_len = ((sects ? sects : 4) + 1u) * 512;
	info->payload_len = img_le32(img + RELIEF_BZ_SYSSIZE);
	info->boot_version = img_le16(img + RELIEF_BZ_VERSION);
	info->init_size = img_le32(img + RELIEF_BZ_INIT_SIZE);
	info->alignment = img_le32(img + RELIEF_BZ_ALIGNMENT);
	if (info->payload_len > UINT32_MAX / 16)
		return RELIEF_IMAGE_ERR_NOT_BZIMAGE;
	info->payload_len *= 16;
	info->image_len = (uint64_t)info->setup_len + info->payload_len;
	img_release(img, len, info);
	if (info->boot_version < RELIEF_BZ_VERSION_MIN)
		return RELIEF_IMAGE_ERR_BOOT_PROTOCOL;
	if (!(img_le16(img + RELIEF_BZ_XLOADFLAGS) & RELIEF_BZ_XLF_KERNEL_64))
		return RELIEF_IMAGE_ERR_NOT_64BIT;
	if (!img[RELIEF_BZ_RELOCATABLE])
		return RELIEF_IMAGE_ERR_NOT_RELOCATABLE;
	a = info->alignment;
	if (!a || (a & (a - 1)) || a > RELIEF_IMAGE_ALIGN_MAX)
		return RELIEF_IMAGE_ERR_ALIGNMENT;
	if (info->payload_len < 16)
		return RELIEF_IMAGE_ERR_TRUNCATED;
	return RELIEF_IMAGE_OK;
}

/*
 * Bytes past the image may only be an Authenticode signature (sbsign
 * appends the PE certificate table there): the table must start where the
 * image ends and end where the file does. *@pe_at: the PE header's offset.
 */
static uint64_t img_signature(const uint8_t *img, uint64_t len,
			      const struct relief_image_info *info,
			      uint32_t *pe_at)
{
	uint32_t pe = img_pe_header(img, len);
	uint64_t dir, off, size;

	if (!pe || (uint64_t)pe + IMG_PE_DIRS + 8 * (IMG_PE_DIR_SECURITY + 1) >
		   info->setup_len ||
	    img_le16(img + pe + IMG_PE_OPT) != IMG_PE32PLUS ||
	    img_le32(img + pe + IMG_PE_OPT + IMG_PE_NR_DIRS) <=
	    IMG_PE_DIR_SECURITY)
		return 0;
	dir = pe + IMG_PE_OPT + IMG_PE_DIRS + 8 * IMG_PE_DIR_SECURITY;
	off = img_le32(img + dir);
	size = img_le32(img + dir + 4);
	if (!size || off != info->image_len || off + size != len)
		return 0;
	*pe_at = pe;
	return size;
}

/*
 * The signer writes two fields of the PE header after the build stamped
 * the CRC: the image's CheckSum and the certificate table's directory
 * entry. The build leaves both zero, so a signed image's CRC is taken
 * with them zero again.
 */
static uint32_t img_crc_signed(const uint8_t *img, uint64_t end, uint32_t pe)
{
	static const uint8_t zero[8];
	uint64_t sum = (uint64_t)pe + IMG_PE_OPT + IMG_PE_CHECKSUM;
	uint64_t dir = (uint64_t)pe + IMG_PE_OPT + IMG_PE_DIRS +
		       8 * IMG_PE_DIR_SECURITY;
	uint32_t crc = 0xffffffffu;

	crc = relief_image_crc32(crc, img, sum);
	crc = relief_image_crc32(crc, zero, 4);
	crc = relief_image_crc32(crc, img + sum + 4, dir - sum - 4);
	crc = relief_image_crc32(crc, zero, 8);
	return relief_image_crc32(crc, img + dir + 8, end - dir - 8);
}

/* Whole: as long as the header says (a signature aside), CRC intact. */
static int img_whole(const uint8_t *img, uint64_t len,
		     struct relief_image_info *info)
{
	uint64_t end = info->image_len - 4;
	uint32_t pe = 0;

	if (len < info->image_len)
		return RELIEF_IMAGE_ERR_TRUNCATED;
	if (len > info->image_len) {
		info->sig_len = img_signature(img, len, info, &pe);
		if (!info->sig_len)
			return RELIEF_IMAGE_ERR_TRAILING;
	}
	info->crc_stored = img_le32(img + end);
	info->crc_computed = info->sig_len ? img_crc_signed(img, end, pe) :
			     relief_image_crc32(0xffffffffu, img, end);
	if (info->crc_stored != info->crc_computed)
		return RELIEF_IMAGE_ERR_CRC;
	if (info->init_size < info->payload_len)
		return RELIEF_IMAGE_ERR_INIT_SIZE;
	return RELIEF_IMAGE_OK;
}

/*
 * The marker chunk's fields. A later layout may add fields after these;
 * it must keep them where they are.
 */
static int img_marker(const uint8_t *m, uint32_t size,
		      struct relief_image_info *info)
{
	if (size < RELIEF_IMAGE_MARKER_LEN)
		return RELIEF_IMAGE_ERR_MARKER;
	info->marker_version = img_le16(m + RELIEF_IMAGE_MARKER_OFF_VERSION);
	info->marker_arch = img_le16(m + RELIEF_IMAGE_MARKER_OFF_ARCH);
	info->proto_min = img_le16(m + RELIEF_IMAGE_MARKER_OFF_MIN);
	info->proto_max = img_le16(m + RELIEF_IMAGE_MARKER_OFF_MAX);
	info->marker_flags = img_le32(m + RELIEF_IMAGE_MARKER_OFF_FLAGS);
	if (!info->marker_version || info->proto_min > info->proto_max)
		return RELIEF_IMAGE_ERR_MARKER;
	if (info->marker_arch != RELIEF_IMAGE_MARKER_ARCH_X86_64)
		return RELIEF_IMAGE_ERR_ARCH;
	if (info->proto_max < RELIEF_PROTO_VERSION_MIN ||
	    info->proto_min > RELIEF_PROTO_VERSION_MAX)
		return RELIEF_IMAGE_ERR_PROTOCOL;
	return RELIEF_IMAGE_OK;
}

/*
 * kernel_info (boot protocol 2.15): "LToP", its fixed size, its total size,
 * then chunks of a four-character magic and a size each. Only an image
 * whose whole length was checked comes here.
 */
static int img_kernel_info(const uint8_t *img, struct relief_image_info *info)
{
	uint64_t ki = (uint64_t)info->setup_len +
		      img_le32(img + RELIEF_BZ_KERNEL_INFO);
	uint64_t end = info->image_len - 4, at, total;
	uint32_t fixed, size;

	if (!img_le32(img + RELIEF_BZ_KERNEL_INFO) || ki + 12 > end ||
	    !img_eq(img + ki, "LToP", 4))
		return RELIEF_IMAGE_ERR_KERNEL_INFO;
	fixed = img_le32(img + ki + 4);
	total = img_le32(img + ki + 8);
	if (fixed < 12 || total < fixed || ki + total > end)
		return RELIEF_IMAGE_ERR_KERNEL_INFO;
	for (at = ki + fixed; at + 8 <= ki + total; at += size) {
		size = img_le32(img + at + 4);
		if (size < 8 || at + size > ki + total)
			return RELIEF_IMAGE_ERR_KERNEL_INFO;
		if (img_eq(img + at, RELIEF_IMAGE_MARKER_MAGIC, 4))
			return img_marker(img + at, size, info);
	}
	return RELIEF_IMAGE_ERR_NO_MARKER;
}

/**
 * relief_image_check() - may relief start this file as a relieving kernel?
 * @img: the whole file
 * @len: its length
 * @info: what was read, filled as far as the checks got (zeroed first)
 *
 * An x86 bzImage (boot protocol 2.15 or later, 64-bit entry, relocatable,
 * a power-of-two alignment), exactly as long as its header says or longer
 * by an appended signature only, whose CRC32 matches and whose init_size
 * covers its payload; and a relief kernel for x86_64 whose protocol range
 * meets this one's. Where the region is known, relief_image_place() says
 * whether it fits.
 *
 * Return: RELIEF_IMAGE_OK, or the enum relief_image_err of the first
 * check that failed.
 */
int relief_image_check(const void *img, uint64_t len,
		       struct relief_image_info *info)
{
	const uint8_t *p = img;
	size_t i;
	int err;

	for (i = 0; i < sizeof(*info); i++)
		((uint8_t *)info)[i] = 0;
	info->file_len = len;
	if (!p || len < RELIEF_BZ_HDR_LEN) {
		/* Short: foreign if it says so, else cut short. */
		err = p ? img_what_else(p, len, info) : RELIEF_IMAGE_ERR_SHORT;
		return err == RELIEF_IMAGE_ERR_NOT_BZIMAGE ?
		       RELIEF_IMAGE_ERR_SHORT : err;
	}
	if (!img_eq(p + RELIEF_BZ_HEADER, "HdrS", 4))
		return img_what_else(p, len, info);
	err = img_header(p, len, info);
	if (!err)
		err = img_whole(p, len, info);
	if (!err)
		err = img_kernel_info(p, info);
	return err;
}

static uint64_t img_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/**
 * relief_image_place() - where the loader puts a checked image
 * @info: relief_image_check()'s, for an image that passed
 * @room: the region, what it keeps at its start and top, the initrd
 * @out: the payload's load address, the initrd's, the end of init_size
 *
 * The payload goes at the first address past @room->reserved aligned to the
 * kernel's alignment (at least 2 MiB); the transfer area takes the top of
 * the region and the initrd the pages below it. The kernel's init_size
 * must end below the initrd. arch/x86_64/relief_load.c loads by this.
 *
 * Return: RELIEF_IMAGE_OK or RELIEF_IMAGE_ERR_NO_ROOM.
 */
int relief_image_place(const struct relief_image_info *info,
		       const struct relief_image_room *room,
		       struct relief_image_place *out)
{
	uint64_t align = info->alignment > RELIEF_IMAGE_ALIGN_MIN ?
			 info->alignment : RELIEF_IMAGE_ALIGN_MIN;
	uint64_t top = room->base + room->size;

	out->load = 0;
	out->initrd = 0;
	out->end = 0;
	if (room->reserved + room->transfer >= room->size ||
	    room->initrd_len > room->size || room->base > UINT64_MAX / 2 ||
	    room->size > UINT64_MAX / 4 || align > RELIEF_IMAGE_ALIGN_MAX)
		return RELIEF_IMAGE_ERR_NO_ROOM;
	top -= room->transfer;
	out->initrd = top;
	if (room->initrd_len) {
		if (room->initrd_len > top - room->base)
			return RELIEF_IMAGE_ERR_NO_ROOM;
		out->initrd = (top - room->initrd_len) &
			      ~(uint64_t)(RELIEF_IMAGE_PAGE - 1);
	}
	out->load = img_align_up(room->base + room->reserved, align);
	out->end = out->load + img_align_up(info->init_size, RELIEF_IMAGE_PAGE);
	if (out->end > out->initrd ||
	    out->load + info->payload_len > out->initrd)
		return RELIEF_IMAGE_ERR_NO_ROOM;
	return RELIEF_IMAGE_OK;
}
