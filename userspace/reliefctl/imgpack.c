// SPDX-License-Identifier: GPL-2.0
/* imgpack.c - CRIU image trees into the transfer area and back (imgpack.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imgpack.h"

#define MIB	(UINT64_C(1) << 20)

static uint64_t pad8(uint64_t n)
{
	return (n + 7) & ~UINT64_C(7);
}

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int fail(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -err;
}

void imgpack_format_size(uint64_t bytes, char *buf, size_t len)
{
	uint64_t tenths;

	if (bytes < MIB) {
		snprintf(buf, len, "%" PRIu64 " KiB", (bytes + 1023) / 1024);
		return;
	}
	if (bytes % MIB == 0 || bytes > UINT64_MAX / 10) {
		snprintf(buf, len, "%" PRIu64 " MiB", bytes / MIB);
		return;
	}
	/* Rounded up: "needs 80.1 MiB" must never read as what fits. */
	tenths = (bytes * 10 + MIB - 1) / MIB;
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " MiB", tenths / 10,
		 tenths % 10);
}

/* --- packing ---------------------------------------------------------- */

struct pack {
	uint8_t *buf;
	size_t cap;
	uint64_t off;		/* what the pack needs so far */
	uint32_t entries;
	const struct imgpack_places *pl;
	struct imgpack_stats *st;
	char *why;
	size_t whylen;
	char path[IMGPACK_PATH_MAX + 1];	/* of the entry at hand */
};

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* Exactly size bytes of fd into dst; the file must not have grown. */
static int read_exact(struct pack *p, int fd, uint8_t *dst, uint64_t size)
{
	uint64_t got = 0;
	char extra;
	ssize_t r;

	while (got < size) {
		r = read(fd, dst + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(p->why, p->whylen, errno, "%s: %s", p->path,
				    strerror(errno));
		if (!r)
			break;
		got += (uint64_t)r;
	}
	if (got != size || read(fd, &extra, 1) != 0)
		return fail(p->why, p->whylen, EIO, "%s changed while it was "
			    "packed", p->path);
	return 0;
}

/*
 * One entry at p->off. Past the capacity nothing is written, but the
 * walk goes on so that the error can say how much the images need.
 */
static int put_entry(struct pack *p, int type, mode_t mode, uint64_t size,
		     int fd, uint64_t place)
{
	size_t plen = strlen(p->path);
	bool placed = type == IMGPACK_FILE_AT || type == IMGPACK_FILE_FRAMES;
	uint64_t at = p->off, inline_len = placed ? 8 : size;
	uint8_t *e;
	int ret;

	p->off += IMGPACK_ENTRY_LEN + pad8(plen) + pad8(inline_len);
	p->entries++;
	if (type == IMGPACK_DIR) {
		p->st->dirs++;
	} else {
		p->st->files++;
		p->st->data_bytes += size;
	}
	if (placed) {
		p->st->placed++;
		p->st->placed_bytes += size;
	}
	if (type == IMGPACK_FILE_FRAMES) {
		p->st->frames++;
		p->st->frames_bytes += size;
	}
	if (p->off > p->cap)
		return 0;
	e = p->buf + at;
	memset(e, 0, IMGPACK_ENTRY_LEN + pad8(plen));
	e[0] = (uint8_t)type;
	put_le(e + 2, plen, 2);
	put_le(e + 4, mode & 0777, 4);
	put_le(e + 8, size, 8);
	memcpy(e + IMGPACK_ENTRY_LEN, p->path, plen);
	e += IMGPACK_ENTRY_LEN + pad8(plen);
	if (placed) {
		put_le(e, place, 8);
		return 0;
	}
	if (type != IMGPACK_FILE)
		return 0;
	ret = read_exact(p, fd, e, size);
	memset(e + size, 0, pad8(size) - size);
	return ret;
}

static const char *kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symlink";
	return S_ISFIFO(m) ? "a fifo" : "a device or socket";
}

static int pack_dir(struct pack *p, int dfd, unsigned int depth);

static int pack_one(struct pack *p, int dfd, const char *name,
		    unsigned int depth)
{
	struct stat sb;
	int fd, ret;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW))
		return fail(p->why, p->whylen, errno, "%s: %s", p->path,
			    strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		if (depth >= IMGPACK_DEPTH_MAX)
			return fail(p->why, p->whylen, EINVAL, "%s: more than "
				    "%d directories deep", p->path,
				    IMGPACK_DEPTH_MAX);
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		if (fd < 0)
			return fail(p->why, p->whylen, errno, "%s: %s", p->path,
				    strerror(errno));
		put_entry(p, IMGPACK_DIR, sb.st_mode, 0, -1, 0);
		ret = pack_dir(p, fd, depth + 1);
		close(fd);
		return ret;
	}
	if (S_ISCHR(sb.st_mode) && p->pl && p->pl->place) {
		uint64_t off, len;
		bool frames = false;

		ret = p->pl->place(p->pl->arg, p->path, sb.st_rdev, &off, &len,
				   &frames);
		if (ret)
			return fail(p->why, p->whylen, ret < 0 ? -ret : ret,
				    "%s: where its bytes are in the area: %s",
				    p->path, strerror(ret < 0 ? -ret : ret));
		return put_entry(p, frames ? IMGPACK_FILE_FRAMES :
				 IMGPACK_FILE_AT, sb.st_mode, len, -1, off);
	}
	if (!S_ISREG(sb.st_mode))
		return fail(p->why, p->whylen, EINVAL, "%s is %s: images are "
			    "regular files and directories only", p->path,
			    kind(sb.st_mode));
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(p->why, p->whylen, errno, "%s: %s", p->path,
			    strerror(errno));
	ret = put_entry(p, IMGPACK_FILE, sb.st_mode, (uint64_t)sb.st_size, fd,
			0);
	close(fd);
	return ret;
}

/* The entries of one directory, sorted, so a pack is reproducible. */
static int pack_dir(struct pack *p, int dfd, unsigned int depth)
{
	size_t plen = strlen(p->path);
	struct dirent **names;
	int n = scandirat(dfd, ".", &names, not_dots, alphasort);
	int ret = 0;

	if (n < 0)
		return fail(p->why, p->whylen, errno, "%s: %s",
			    plen ? p->path : ".", strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t nlen = strlen(name);

		if (!ret && (nlen > IMGPACK_NAME_MAX ||
			     plen + !!plen + nlen > IMGPACK_PATH_MAX))
			ret = fail(p->why, p->whylen, EINVAL, "%.64s.../%.32s"
				   ": name too long (at most %d bytes a "
				   "name, %d a path)", p->path, name,
				   IMGPACK_NAME_MAX, IMGPACK_PATH_MAX);
		if (!ret) {
			snprintf(p->path + plen, sizeof(p->path) - plen,
				 "%s%s", plen ? "/" : "", name);
			ret = pack_one(p, dfd, name, depth);
			p->path[plen] = '\0';
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

long imgpack_pack(const char *dir, void *buf, size_t cap,
		  struct imgpack_stats *st, char *why, size_t whylen)
{
	return imgpack_pack_placed(dir, buf, cap, NULL, st, why, whylen);
}

long imgpack_pack_placed(const char *dir, void *buf, size_t cap,
			 const struct imgpack_places *pl,
			 struct imgpack_stats *st, char *why, size_t whylen)
{
	struct pack p = {
		.buf = buf, .cap = cap, .off = IMGPACK_HDR_LEN, .pl = pl,
		.st = st, .why = why, .whylen = whylen,
	};
	char need[32], have[32];
	int fd, ret;

	memset(st, 0, sizeof(*st));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(why, whylen, errno, "%s: %s", dir, strerror(errno));
	ret = pack_dir(&p, fd, 0);
	close(fd);
	if (ret)
		return ret;
	if (p.off > cap) {
		imgpack_format_size(p.off, need, sizeof(need));
		imgpack_format_size(cap, have, sizeof(have));
		return fail(why, whylen, ENOSPC, "images need %s but the "
			    "transfer area has %s", need, have);
	}
	memcpy(p.buf, IMGPACK_MAGIC, 8);
	put_le(p.buf + 8, IMGPACK_VERSION, 4);
	put_le(p.buf + 12, p.entries, 4);
	put_le(p.buf + 16, p.off, 8);
	put_le(p.buf + 24, 0, 8);
	return (long)p.off;
}

/* --- unpacking -------------------------------------------------------- */

/* A path from the buffer, printable and short, for messages. */
static void show_path(const uint8_t *s, size_t n, char *out, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 4 < len && i < 64; i++)
		out[k++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	if (i < n && k + 4 <= len) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

/* NULL when path[0..n] is safe below the target, else what is wrong. */
static const char *bad_path(const uint8_t *path, size_t n, int type)
{
	unsigned int parts = 0;
	size_t i = 0;

	if (memchr(path, '\0', n))
		return "a NUL byte in the path";
	if (path[0] == '/')
		return "an absolute path";
	while (i <= n) {
		size_t start = i;

		while (i < n && path[i] != '/')
			i++;
		if (i == start)
			return "an empty path component";
		if (i - start == 1 && path[start] == '.')
			return "a '.' component";
		if (i - start == 2 && path[start] == '.' &&
		    path[start + 1] == '.')
			return "a '..' component";
		if (i - start > IMGPACK_NAME_MAX)
			return "a component longer than 255 bytes";
		parts++;
		i++;
	}
	if (parts > IMGPACK_DEPTH_MAX + (type != IMGPACK_DIR))
		return "too many directories deep";
	return NULL;
}

static int write_all(int fd, const uint8_t *p, uint64_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (uint64_t)w;
	}
	return 0;
}

/*
 * Create one entry below root: each directory on the way is opened
 * without following symlinks, so nothing lands outside root.
 */
static int create_entry(int root, const char *path, int type, mode_t mode,
			const uint8_t *data, uint64_t size, const dev_t *dev,
			const char *shown, char *why, size_t whylen)
{
	char buf[IMGPACK_PATH_MAX + 1], *name = buf, *slash;
	int dfd = root, fd, err, ret = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	while ((slash = strchr(name, '/'))) {
		*slash = '\0';
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		err = errno;
		if (dfd != root)
			close(dfd);
		/* Missing, or a file: the pack is out of order or garbled. */
		if (fd < 0 && (err == ENOENT || err == ENOTDIR))
			return fail(why, whylen, EBADMSG, "%s: its directory "
				    "is not in the pack before it", shown);
		if (fd < 0)
			return fail(why, whylen, err, "%s: %s", shown,
				    strerror(err));
		dfd = fd;
		name = slash + 1;
	}
	if (type == IMGPACK_DIR) {
		if (mkdirat(dfd, name, 0700) || fchmodat(dfd, name, mode | 0700,
							 0))
			ret = fail(why, whylen, errno, "%s: %s", shown,
				   strerror(errno));
	} else if (dev) {
		/* Read-only whatever the mode: it is A's memory. */
		if (mknodat(dfd, name, S_IFCHR | (mode & 0444), *dev))
			ret = fail(why, whylen, errno, "%s: %s", shown,
				   strerror(errno));
	} else {
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			ret = -errno;
		else
			ret = write_all(fd, data, size);
		if (!ret && fchmod(fd, mode))
			ret = -errno;
		if (fd >= 0 && close(fd) && !ret)
			ret = -errno;
		if (ret)
			fail(why, whylen, -ret, "%s: %s", shown,
			     strerror(-ret));
	}
	if (dfd != root)
		close(dfd);
	return ret;
}

static int bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static int zeros(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Check entry i at *off and create it; *off moves past it. */
/* pages-*.img, in any directory */
static int holds_pages(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	return !strncmp(base, "pages-", 6) && n > 10 &&
	       !strcmp(base + n - 4, ".img");
}

/* A window for the file at b[data, data + size), or NULL: copy it. */
static const dev_t *window_for(struct imgpack_windows *w, const char *path,
			       uint64_t data, uint64_t size, bool frames,
			       dev_t *dev)
{
	int ret;

	if (!w || !w->open || (w->fallback_err && !frames) ||
	    (path && (size < w->min || !holds_pages(path))))
		return NULL;
	ret = w->open(w->arg, data, size, frames, dev);
	if (ret) {
		w->fallback_err = ret < 0 ? ret : -ret;
		return NULL;
	}
	w->opened++;
	w->bytes += size;
	return dev;
}

static int unpack_entry(const uint8_t *b, size_t len, size_t *off,
			uint32_t i, int root, struct imgpack_windows *w,
			struct imgpack_stats *st, char *why, size_t whylen)
{
	dev_t dev;
	const uint8_t *e = b + *off, *path, *data;
	char shown[80], cpath[IMGPACK_PATH_MAX + 1];
	uint64_t size, mode, left = len - *off, inline_len, place = 0;
	const dev_t *win = NULL;
	unsigned int type, plen;
	bool placed;
	const char *what;
	int ret;

	if (left < IMGPACK_ENTRY_LEN)
		return bad(why, whylen, "entry %u: truncated (its header "
			   "needs %d bytes, %" PRIu64 " left)", i,
			   IMGPACK_ENTRY_LEN, left);
	type = e[0];
	plen = (unsigned int)get_le(e + 2, 2);
	mode = get_le(e + 4, 4);
	size = get_le(e + 8, 8);
	left -= IMGPACK_ENTRY_LEN;
	if ((type != IMGPACK_DIR && type != IMGPACK_FILE &&
	     type != IMGPACK_FILE_AT && type != IMGPACK_FILE_FRAMES) || e[1])
		return bad(why, whylen, "entry %u: garbled (type %u)", i,
			   type);
	if (!plen || plen > IMGPACK_PATH_MAX)
		return bad(why, whylen, "entry %u: path length %u (1 to %d)",
			   i, plen, IMGPACK_PATH_MAX);
	if (pad8(plen) > left)
		return bad(why, whylen, "entry %u: truncated in its path", i);
	path = e + IMGPACK_ENTRY_LEN;
	show_path(path, plen, shown, sizeof(shown));
	left -= pad8(plen);
	if (!zeros(path + plen, pad8(plen) - plen))
		return bad(why, whylen, "entry %u (%s): garbled padding", i,
			   shown);
	what = bad_path(path, plen, (int)type);
	if (what)
		return bad(why, whylen, "entry %u (%s): %s", i, shown, what);
	if (mode & ~UINT64_C(0777))
		return bad(why, whylen, "entry %u (%s): mode %#" PRIo64 " (only "
			   "permission bits)", i, shown, mode);
	if (type == IMGPACK_DIR && size)
		return bad(why, whylen, "entry %u (%s): a directory with %"
			   PRIu64 " bytes of data", i, shown, size);
	placed = type == IMGPACK_FILE_AT || type == IMGPACK_FILE_FRAMES;
	inline_len = placed ? 8 : size;
	if (inline_len > left || pad8(inline_len) > left)
		return bad(why, whylen, "entry %u (%s): truncated (%" PRIu64
			   " bytes of data, %" PRIu64 " left)", i, shown,
			   inline_len, left);
	data = path + pad8(plen);
	if (!zeros(data + inline_len, pad8(inline_len) - inline_len))
		return bad(why, whylen, "entry %u (%s): garbled padding", i,
			   shown);
	memcpy(cpath, path, plen);
	cpath[plen] = '\0';
	if (placed) {
		/* Its bytes, or its frame list, lie in the area. */
		uint64_t in_area = type == IMGPACK_FILE_AT ? size :
				   IMGPACK_FRAMES_LEN(size);

		place = get_le(data, 8);
		if (!w || !w->area)
			return bad(why, whylen, "entry %u (%s): its bytes are "
				   "in an area this unpack was not given", i,
				   shown);
		if (place > w->area_len || in_area > w->area_len - place)
			return bad(why, whylen, "entry %u (%s): %" PRIu64
				   " bytes at %" PRIu64 " of a %" PRIu64
				   "-byte area", i, shown, in_area, place,
				   w->area_len);
		data = w->area + place;
		win = window_for(w, NULL, place, size,
				 type == IMGPACK_FILE_FRAMES, &dev);
		if (!win && type == IMGPACK_FILE_FRAMES)
			return fail(why, whylen, w->fallback_err ?
				    -w->fallback_err : EOPNOTSUPP,
				    "entry %u (%s): its pages were left in "
				    "the old kernel's memory, and no window "
				    "reads them: %s", i, shown,
				    strerror(w->fallback_err ?
					     -w->fallback_err : EOPNOTSUPP));
	} else if (type == IMGPACK_FILE) {
		win = window_for(w, cpath, (w ? w->pack_off : 0) +
				 (uint64_t)(data - b), size, false, &dev);
	}
	ret = create_entry(root, cpath, type == IMGPACK_DIR ? IMGPACK_DIR :
			   IMGPACK_FILE, (mode_t)mode, data, size, win, shown,
			   why, whylen);
	if (ret)
		return ret;
	if (type == IMGPACK_DIR) {
		st->dirs++;
	} else {
		st->files++;
		st->data_bytes += size;
	}
	if (placed) {
		st->placed++;
		st->placed_bytes += size;
	}
	if (type == IMGPACK_FILE_FRAMES) {
		st->frames++;
		st->frames_bytes += size;
	}
	*off += IMGPACK_ENTRY_LEN + pad8(plen) + pad8(inline_len);
	return 0;
}

int imgpack_unpack(const void *buf, size_t len, const char *dir,
		   struct imgpack_stats *st, char *why, size_t whylen)
{
	return imgpack_unpack_windows(buf, len, dir, NULL, st, why, whylen);
}

int imgpack_unpack_windows(const void *buf, size_t len, const char *dir,
			   struct imgpack_windows *w,
			   struct imgpack_stats *st, char *why, size_t whylen)
{
	const uint8_t *b = buf;
	uint64_t total;
	uint32_t n, version;
	size_t off = IMGPACK_HDR_LEN;
	int root, ret = 0;

	memset(st, 0, sizeof(*st));
	if (len < IMGPACK_HDR_LEN)
		return bad(why, whylen, "truncated: %zu bytes, the header "
			   "alone is %d", len, IMGPACK_HDR_LEN);
	if (memcmp(b, IMGPACK_MAGIC, 8))
		return bad(why, whylen, "not a relief image pack (no magic)");
	version = (uint32_t)get_le(b + 8, 4);
	n = (uint32_t)get_le(b + 12, 4);
	total = get_le(b + 16, 8);
	if (version != IMGPACK_VERSION)
		return bad(why, whylen, "pack version %u, this reliefctl "
			   "reads %d", version, IMGPACK_VERSION);
	if (total != len)
		return bad(why, whylen, "%s: the pack says %" PRIu64 " bytes, "
			   "%zu came", total > len ? "truncated" : "garbled",
			   total, len);
	if (get_le(b + 24, 8))
		return bad(why, whylen, "garbled header (reserved bytes set)");
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return fail(why, whylen, errno, "%s: %s", dir, strerror(errno));
	for (uint32_t i = 0; i < n && !ret; i++)
		ret = unpack_entry(b, len, &off, i, root, w, st, why, whylen);
	close(root);
	if (!ret && off != len)
		ret = bad(why, whylen, "garbled: %zu bytes after the last of "
			  "%u entries", len - off, n);
	return ret;
}

/* --- the area around a pack ------------------------------------------- */

void imgpack_area_header(void *area, uint64_t pack_off, uint64_t pack_len)
{
	uint8_t *h = area;

	memset(h, 0, 32);
	memcpy(h, IMGPACK_AREA_MAGIC, 8);
	put_le(h + 8, pack_off, 8);
	put_le(h + 16, pack_len, 8);
}

int imgpack_area_pack(const void *area, uint64_t len, uint64_t *pack_off,
		      char *why, size_t whylen)
{
	const uint8_t *h = area;
	uint64_t off, plen;

	*pack_off = 0;
	if (len < 32 || memcmp(h, IMGPACK_AREA_MAGIC, 8))
		return 0;
	/* The page images lie before the pack, where criu wrote them. */
	off = get_le(h + 8, 8);
	plen = get_le(h + 16, 8);
	if (off < IMGPACK_AREA_HDR_LEN || off > len || plen != len - off)
		return bad(why, whylen, "the area's header says a pack of %"
			   PRIu64 " bytes at %" PRIu64 ", the kernel %" PRIu64
			   " bytes in all", plen, off, len);
	*pack_off = off;
	return 0;
}
