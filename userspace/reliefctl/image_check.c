// SPDX-License-Identifier: GPL-2.0
/*
 * image_check.c - reading kernel B's files whole and checking them, for
 * `reliefctl swap` (image_check.h). One function per step: open and read,
 * relief's checks, the initrd's, the kernel's verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_check.h"
#include "relief_dev.h"
#include "size.h"

#define PFX "reliefctl swap: "

/* Open @path and read it whole into *@buf (malloc'd; NULL: only check). */
static int read_whole(const char *what, const char *path, int *fd,
		      uint64_t *size, uint8_t **buf, FILE *err)
{
	struct stat sb;
	uint64_t got = 0;
	uint8_t chunk[65536];
	ssize_t r;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &sb))
		goto bad;
	if (!S_ISREG(sb.st_mode)) {
		errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		goto bad;
	}
	*size = (uint64_t)sb.st_size;
	if (buf && *size > IMAGE_MAX_BYTES) {
		fprintf(err, PFX "%s %s is %" PRIu64 " bytes, larger than any "
			"kernel image\n", what, path, *size);
		return -1;
	}
	if (buf) {
		*buf = malloc(*size ? *size : 1);
		if (!*buf)
			goto bad;
	}
	/* Every byte, so that a disk that cannot return one says so now. */
	while ((r = pread(*fd, buf ? *buf + got : chunk,
			  buf ? *size - got : sizeof(chunk), (off_t)got)) > 0) {
		got += (uint64_t)r;
		if (buf && got == *size)
			break;
	}
	if (r < 0)
		goto bad;
	if (got != *size) {
		fprintf(err, PFX "%s %s changed while it was read (%" PRIu64
			" of %" PRIu64 " bytes)\n", what, path, got, *size);
		return -1;
	}
	return 0;
bad:
	fprintf(err, PFX "%s %s is unreadable: %s\n", what, path,
		strerror(errno));
	return -1;
}

static const char *pe_machine_name(uint16_t m)
{
	switch (m) {
	case 0x5064:
		return "RISC-V 64";
	case 0x01c4:
		return "ARM";
	case 0x014c:
		return "i386";
	case 0x6264:
		return "LoongArch 64";
	default:
		return "unknown";
	}
}

void image_why(int check, const struct relief_image_info *i, char *buf,
	       size_t len)
{
	switch (check) {
	case RELIEF_IMAGE_ERR_SHORT:
		snprintf(buf, len, "%" PRIu64 " bytes, too short for a kernel's "
			 "boot header (truncated?)", i->file_len);
		break;
	case RELIEF_IMAGE_ERR_ARM64:
		snprintf(buf, len, "an arm64 kernel; this machine is x86_64");
		break;
	case RELIEF_IMAGE_ERR_FOREIGN:
		snprintf(buf, len, "an EFI image for machine %#x (%s), not "
			 "x86_64", i->pe_machine, pe_machine_name(i->pe_machine));
		break;
	case RELIEF_IMAGE_ERR_NOT_BZIMAGE:
		snprintf(buf, len, "not an x86 bzImage (no \"HdrS\" boot header "
			 "at 0x202, or a size it cannot have)");
		break;
	case RELIEF_IMAGE_ERR_BOOT_PROTOCOL:
		snprintf(buf, len, "boot protocol %u.%02u; relief needs 2.15 or "
			 "later (kernel_info)", i->boot_version >> 8,
			 i->boot_version & 0xff);
		break;
	case RELIEF_IMAGE_ERR_NOT_64BIT:
		snprintf(buf, len, "no 64-bit entry point (XLF_KERNEL_64 clear)");
		break;
	case RELIEF_IMAGE_ERR_NOT_RELOCATABLE:
		snprintf(buf, len, "not relocatable (relocatable_kernel is 0): "
			 "relief loads it into its region");
		break;
	case RELIEF_IMAGE_ERR_ALIGNMENT:
		snprintf(buf, len, "kernel_alignment %#x is not a power of two "
			 "of at most 1G", i->alignment);
		break;
	case RELIEF_IMAGE_ERR_TRUNCATED:
		snprintf(buf, len, "truncated: %" PRIu64 " bytes, its header "
			 "says %" PRIu64 " (setup %u, payload %u)", i->file_len,
			 i->image_len, i->setup_len, i->payload_len);
		break;
	case RELIEF_IMAGE_ERR_TRAILING:
		snprintf(buf, len, "%" PRIu64 " bytes after the %" PRIu64 " its "
			 "header says, and they are no signature (padded, or "
			 "two files in one)", i->file_len - i->image_len,
			 i->image_len);
		break;
	case RELIEF_IMAGE_ERR_CRC:
		snprintf(buf, len, "corrupt: its CRC32 is %#010x, it says "
			 "%#010x", i->crc_computed, i->crc_stored);
		break;
	case RELIEF_IMAGE_ERR_INIT_SIZE:
		snprintf(buf, len, "init_size %u is below its %u-byte payload",
			 i->init_size, i->payload_len);
		break;
	case RELIEF_IMAGE_ERR_KERNEL_INFO:
		snprintf(buf, len, "its kernel_info is missing or malformed");
		break;
	case RELIEF_IMAGE_ERR_NO_MARKER:
		snprintf(buf, len, "not a relief kernel%s%s%s: it carries no "
			 "relief marker; build it with CONFIG_RELIEF=y",
			 *i->release ? " (" : "", i->release,
			 *i->release ? ")" : "");
		break;
	case RELIEF_IMAGE_ERR_MARKER:
		snprintf(buf, len, "its relief marker is malformed (layout %u, "
			 "protocol %u-%u)", i->marker_version, i->proto_min,
			 i->proto_max);
		break;
	case RELIEF_IMAGE_ERR_ARCH:
		snprintf(buf, len, "a relief kernel for another architecture "
			 "(%u); this machine is x86_64", i->marker_arch);
		break;
	case RELIEF_IMAGE_ERR_PROTOCOL:
		snprintf(buf, len, "a relief kernel too %s for this one: it "
			 "speaks protocol %u-%u, this kernel %u-%u",
			 i->proto_min > RELIEF_PROTO_VERSION_MAX ? "new" : "old",
			 i->proto_min, i->proto_max, RELIEF_PROTO_VERSION_MIN,
			 RELIEF_PROTO_VERSION_MAX);
		break;
	case RELIEF_IMAGE_ERR_NO_ROOM:
		snprintf(buf, len, "it does not fit the relief region");
		break;
	default:
		snprintf(buf, len, "%s", relief_image_err_name(check));
		break;
	}
}

/*
 * An initramfs is a cpio archive, plain or compressed by one of the
 * methods the kernel unpacks: refuse anything else by its first bytes.
 */
static int initrd_format_ok(int fd)
{
	static const struct {
		const char *magic;
		size_t len;
	} known[] = {
		{ "070701", 6 }, { "070702", 6 },	/* cpio newc, crc */
		{ "\x1f\x8b", 2 }, { "\x1f\x9e", 2 },	/* gzip */
		{ "BZh", 3 }, { "\x5d\x00\x00", 3 },	/* bzip2, lzma */
		{ "\xfd" "7zXZ", 5 }, { "\x89LZO", 4 },	/* xz, lzo */
		{ "\x02\x21\x4c\x18", 4 },		/* lz4 */
		{ "\x28\xb5\x2f\xfd", 4 },		/* zstd */
	};
	uint8_t head[8] = { 0 };
	size_t i;

	if (pread(fd, head, sizeof(head), 0) < 6)
		return 0;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!memcmp(head, known[i].magic, known[i].len))
			return 1;
	return 0;
}

/* The kernel's verdict: signature policy first, then its relief checks. */
static int kernel_verdict(const char *image, struct image_files *f,
			  int no_marker, FILE *err)
{
	struct relief_dev_check c = {
		.kernel_fd = f->image_fd,
		.initrd_fd = f->initrd_fd,
	};
	char why[256];
	int ret = relief_dev_check_image(&c);

	switch (-ret) {
	case 0:
	case ENOTTY:		/* a kernel from before the check */
		return 0;
	case EKEYREJECTED:
		fprintf(err, PFX "%s is refused by this kernel's signature "
			"policy (lockdown, or enforced kexec signatures): the "
			"signature check failed; sign it with a key this kernel "
			"trusts\n", image);
		return -1;
	case ENOEXEC:
		if (no_marker && c.check == RELIEF_IMAGE_ERR_NO_MARKER)
			return 0;
		image_why((int)c.check, &f->info, why, sizeof(why));
		fprintf(err, PFX "the kernel refused %s: %s\n", image, why);
		return -1;
	default:
		fprintf(err, PFX "the kernel could not check %s: %s\n", image,
			strerror(-ret));
		return -1;
	}
}

static int open_checked(const char *image, const char *initrd,
			struct image_files *f, int no_marker, FILE *err)
{
	uint8_t *buf = NULL;
	char why[256];
	int check;

	memset(f, 0, sizeof(*f));
	f->image_fd = f->initrd_fd = -1;
	if (read_whole("image", image, &f->image_fd, &f->image_size, &buf,
		       err))
		goto fail;
	check = relief_image_check(buf, f->image_size, &f->info);
	free(buf);
	buf = NULL;
	if (check == RELIEF_IMAGE_ERR_NO_MARKER && no_marker) {
		fprintf(err, PFX "test: starting %s although it is not a relief "
			"kernel\n", image);
		check = 0;
	}
	if (check) {
		image_why(check, &f->info, why, sizeof(why));
		fprintf(err, PFX "%s is not a kernel relief can start: %s\n",
			image, why);
		goto fail;
	}
	if (initrd) {
		if (read_whole("initrd", initrd, &f->initrd_fd,
			       &f->initrd_size, NULL, err))
			goto fail;
		if (!initrd_format_ok(f->initrd_fd)) {
			fprintf(err, PFX "initrd %s is not an initramfs (no cpio "
				"or compressed archive at its start)\n", initrd);
			goto fail;
		}
	}
	return kernel_verdict(image, f, no_marker, err);
fail:
	free(buf);
	return -1;
}

int image_open(const char *image, const char *initrd, struct image_files *f,
	       FILE *err)
{
	return open_checked(image, initrd, f, 0, err);
}

int image_open_unmarked(const char *image, const char *initrd,
			struct image_files *f, FILE *err)
{
	return open_checked(image, initrd, f, 1, err);
}

void image_close(struct image_files *f)
{
	if (f->image_fd >= 0)
		close(f->image_fd);
	if (f->initrd_fd >= 0)
		close(f->initrd_fd);
	f->image_fd = f->initrd_fd = -1;
}

void image_describe(const struct image_files *f, FILE *out)
{
	char size[32];

	relief_size_format(f->image_size, size, sizeof(size));
	fprintf(out, "kernel B: %s, relief protocol %u-%u, %s, CRC32 %#010x "
		"ok%s\n", *f->info.release ? f->info.release : "(no release)",
		f->info.proto_min, f->info.proto_max, size, f->info.crc_stored,
		f->info.sig_len ? ", signed" : "");
}

int image_fits(const struct image_files *f, uint64_t base, uint64_t size,
	       uint64_t reserved, uint64_t transfer, char *why, size_t len)
{
	struct relief_image_room room = {
		.base = base,
		.size = size,
		.reserved = reserved,
		.transfer = transfer,
		.initrd_len = f->initrd_size,
	};
	struct relief_image_place at;
	char a[32], b[32];

	if (!relief_image_place(&f->info, &room, &at))
		return 0;
	relief_size_format(f->info.init_size, a, sizeof(a));
	relief_size_format(at.initrd > at.load ? at.initrd - at.load : 0, b,
			   sizeof(b));
	snprintf(why, len, "kernel B needs %s from where it is loaded (its "
		 "init_size), but the region leaves it %s below the initrd and "
		 "the transfer area", a, b);
	return -1;
}
