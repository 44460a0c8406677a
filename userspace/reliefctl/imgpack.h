/* SPDX-License-Identifier: GPL-2.0 */
/*
 * imgpack.h - a directory tree of CRIU images packed into one buffer (the
 * transfer area both kernels map) and unpacked again on the other side.
 *
 * The format is the agents' own (the kernels only carry its length and a
 * CRC32C over it). All integers are little-endian:
 *
 *   header  8 bytes  magic "RLFIMGS\n"
 *           u32      version (IMGPACK_VERSION)
 *           u32      number of entries
 *           u64      total length: the header and every entry
 *           u64      reserved, zero
 *   entry   u8       type: 1 directory, 2 regular file, 3 regular file
 *                    whose bytes lie elsewhere in the transfer area, 4
 *                    regular file whose pages were left where they are
 *           u8       reserved, zero
 *           u16      path length (bytes, no NUL)
 *           u32      permission bits (at most 0777)
 *           u64      size of the data (0 for a directory)
 *           path     relative, '/'-separated, then zeros to 8 bytes
 *           data     the file's bytes, then zeros to 8 bytes; type 3:
 *                    u64, where its bytes begin in the area (they are
 *                    not in the pack: criu wrote them there itself);
 *                    type 4: u64, where the list of its pages' frames
 *                    begins in the area (IMGPACK_FRAMES_LEN(size) bytes:
 *                    the kernels' RELIEF_WINDOW_FRAMES)
 *
 * Entries come in walk order: a directory before anything in it. The
 * unpacker trusts nothing: every length is checked against the buffer,
 * padding and reserved bytes must be zero, paths must be relative without
 * "", "." or ".." components, and files are created only below the target
 * directory, never through a symlink, never over an existing name.
 */
#ifndef RELIEFCTL_IMGPACK_H
#define RELIEFCTL_IMGPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IMGPACK_MAGIC		"RLFIMGS\n"
#define IMGPACK_VERSION		1
#define IMGPACK_HDR_LEN		32
#define IMGPACK_ENTRY_LEN	16
#define IMGPACK_PATH_MAX	1024	/* a whole relative path */
#define IMGPACK_NAME_MAX	255	/* one component */
#define IMGPACK_DEPTH_MAX	8	/* CRIU uses two levels below ours */

#define IMGPACK_DIR		1
#define IMGPACK_FILE		2
#define IMGPACK_FILE_AT		3
#define IMGPACK_FILE_FRAMES	4

/* The bytes of a frame list for an image of size bytes: 8 a 4 KiB page. */
#define IMGPACK_FRAMES_LEN(size)	(((size) + 4095) / 4096 * 8)

/* What a pack held, for the caller's report. */
struct imgpack_stats {
	unsigned int dirs;
	unsigned int files;
	uint64_t data_bytes;	/* file contents alone */
	unsigned int placed;	/* files whose bytes lie in the area */
	uint64_t placed_bytes;
	unsigned int frames;	/* of those, files left in place (type 4) */
	uint64_t frames_bytes;
};

/*
 * Files already in the area: a character device below the directory is
 * such a file, and place() says where its bytes are in the area
 * (0, or -errno), or with *frames set, where the list of the frames that
 * hold them is. The pack holds its name and place, not its bytes.
 */
struct imgpack_places {
	int (*place)(void *arg, const char *path, dev_t dev, uint64_t *off,
		     uint64_t *len, bool *frames);
	void *arg;
};

/*
 * imgpack_pack_placed() - imgpack_pack(), with the files of pl (pl may be
 * NULL: then a device is refused like any non-file).
 */
long imgpack_pack_placed(const char *dir, void *buf, size_t cap,
			 const struct imgpack_places *pl,
			 struct imgpack_stats *st, char *why, size_t whylen);

/*
 * imgpack_pack() - pack the tree below dir (not dir itself) into
 * buf[0..cap]. Only regular files and directories may be in it.
 * Returns the bytes used, or -errno with the reason in why: -ENOSPC when
 * it does not fit (why says how much it needs), -EINVAL for anything that
 * is not a file or directory, a name too long or a tree too deep, -EIO
 * when a file changed while it was read, or the error of a failed call.
 */
long imgpack_pack(const char *dir, void *buf, size_t cap,
		  struct imgpack_stats *st, char *why, size_t whylen);

/*
 * imgpack_unpack() - recreate what buf[0..len] holds below dir, which
 * must exist (and should be empty). Returns 0, or -errno with the reason
 * in why: -EBADMSG for a buffer that is not a valid pack (truncated,
 * garbled, an unsafe path), -EEXIST for a name already there, or the error
 * of a failed call. On failure, what was written so far stays.
 */
int imgpack_unpack(const void *buf, size_t len, const char *dir,
		   struct imgpack_stats *st, char *why, size_t whylen);

/*
 * Windows instead of copies: a file whose name says it holds pages
 * (pages-*.img) and has at least min bytes is not written out. open() is
 * asked for a device reading [off, off + size) of the buffer (off counted
 * from the buffer's start), and the file becomes that device's node
 * (mknod, read-only): criu reads the pages where they lie. When open()
 * fails, that file and the rest are copied as usual (fallback_err says
 * why, as -errno). A placed file (type 3) always gets a window, or a copy
 * from the area; without the area it is refused. A file left in place
 * (type 4) can only be read through a window (open() with frames true,
 * off the list's place, size the file's): without one it is refused.
 */
struct imgpack_windows {
	/* where the pack lies: the area (for placed files) and its offset */
	const uint8_t *area;
	uint64_t area_len;
	uint64_t pack_off;
	uint64_t min;
	int (*open)(void *arg, uint64_t off, uint64_t size, bool frames,
		    dev_t *dev);
	void *arg;
	unsigned int opened;	/* out: files made windows */
	uint64_t bytes;		/* out: their bytes, not copied */
	int fallback_err;	/* out: 0, or why open() failed */
};

/*
 * imgpack_unpack_windows() - imgpack_unpack(), with the page images as
 * windows (w may be NULL: imgpack_unpack()).
 */
int imgpack_unpack_windows(const void *buf, size_t len, const char *dir,
			   struct imgpack_windows *w,
			   struct imgpack_stats *st, char *why, size_t whylen);

/*
 * A transfer area whose page images criu wrote into it itself (append
 * windows) begins with a header, and the pack comes after the pages:
 *
 *   [0, 32)          "RLFAREA1", u64 the pack's offset (a multiple of
 *                    IMGPACK_AREA_HDR_LEN), u64 its length, u64 zero
 *   [4096, ...)      the page images, one after the other
 *   [offset, +len)   the pack; its placed files (type 3) name the images
 *
 * An area that starts with IMGPACK_MAGIC is a pack alone.
 */
#define IMGPACK_AREA_MAGIC	"RLFAREA1"
#define IMGPACK_AREA_HDR_LEN	4096

/* imgpack_area_header() - write the header of such an area. */
void imgpack_area_header(void *area, uint64_t pack_off, uint64_t pack_len);

/*
 * imgpack_area_pack() - where the pack lies in an area holding len bytes
 * of image: *pack_off 0 for a pack alone, else the header's offset. 0, or
 * -EBADMSG with why when the header does not agree with len.
 */
int imgpack_area_pack(const void *area, uint64_t len, uint64_t *pack_off,
		      char *why, size_t whylen);

/* bytes as "80 MiB", "80.5 MiB" or "12 KiB", for messages. */
void imgpack_format_size(uint64_t bytes, char *buf, size_t len);

#endif /* RELIEFCTL_IMGPACK_H */
