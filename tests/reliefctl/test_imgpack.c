// SPDX-License-Identifier: GPL-2.0
/*
 * test_imgpack.c - packing image trees into a buffer and back: round trips
 * (contents, modes, empty files and directories, reproducible bytes), the
 * capacity error, what the packer refuses, and every refusal of the
 * unpacker on packs built by hand from the documented format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "imgpack.h"

static char base[256], src[300], dst[300];
static char why[256];
static uint8_t *buf;
#define BUF_CAP	(4u << 20)

static const char *at(const char *dir, const char *rel)
{
	static char path[2][1400];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, rel);
	return path[k];
}

static void mk_dir(const char *dir, const char *rel, mode_t mode)
{
	assert_int_equal(mkdir(at(dir, rel), mode), 0);
	assert_int_equal(chmod(at(dir, rel), mode), 0);
}

static void mk_file(const char *dir, const char *rel, const void *data,
		    size_t len, mode_t mode)
{
	int fd = open(at(dir, rel), O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "%s/imgpack-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(base));
	snprintf(src, sizeof(src), "%s/src", base);
	snprintf(dst, sizeof(dst), "%s/dst", base);
	assert_int_equal(mkdir(src, 0755), 0);
	assert_int_equal(mkdir(dst, 0755), 0);
	buf = calloc(1, BUF_CAP);
	assert_non_null(buf);
	why[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
	free(buf);
	return 0;
}

/* A tree like a dump: two trees' directories, files of awkward sizes. */
static void make_tree(void)
{
	static uint8_t big[70000];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	mk_file(src, "relief-trees", "relief-trees 1\n", 15, 0644);
	mk_dir(src, "0", 0755);
	mk_file(src, "0/pages-1.img", big, sizeof(big), 0600);
	mk_file(src, "0/core-12.img", "1234567", 7, 0600);
	mk_file(src, "0/empty.img", "", 0, 0400);
	mk_dir(src, "0/sub", 0700);
	mk_file(src, "0/sub/eight.img", "12345678", 8, 0640);
	mk_dir(src, "1", 0750);
	mk_file(src, "1/nine.img", "123456789", 9, 0600);
	mk_dir(src, "2", 0755);		/* an empty directory */
}

static void assert_same_file(const char *rel)
{
	struct stat a, b;
	char *da, *db;
	FILE *fa, *fb;

	assert_int_equal(lstat(at(src, rel), &a), 0);
	assert_int_equal(lstat(at(dst, rel), &b), 0);
	assert_int_equal(a.st_mode, b.st_mode);
	if (S_ISDIR(a.st_mode))
		return;
	assert_int_equal(a.st_size, b.st_size);
	da = malloc((size_t)a.st_size + 1);
	db = malloc((size_t)a.st_size + 1);
	fa = fopen(at(src, rel), "r");
	fb = fopen(at(dst, rel), "r");
	assert_non_null(fa);
	assert_non_null(fb);
	assert_int_equal(fread(da, 1, (size_t)a.st_size + 1, fa), a.st_size);
	assert_int_equal(fread(db, 1, (size_t)a.st_size + 1, fb), a.st_size);
	assert_memory_equal(da, db, (size_t)a.st_size);
	fclose(fa);
	fclose(fb);
	free(da);
	free(db);
}

static void test_round_trip(void **state)
{
	static const char *const all[] = {
		"relief-trees", "0", "0/pages-1.img", "0/core-12.img",
		"0/empty.img", "0/sub", "0/sub/eight.img", "1", "1/nine.img",
		"2",
	};
	struct imgpack_stats st, st2;
	uint8_t *again;
	long n;
	char cmd[700];

	(void)state;
	make_tree();
	n = imgpack_pack(src, buf, BUF_CAP, &st, why, sizeof(why));
	assert_true(n > 70000);
	assert_int_equal(n % 8, 0);
	assert_memory_equal(buf, IMGPACK_MAGIC, 8);
	assert_int_equal(st.dirs, 4);
	assert_int_equal(st.files, 6);
	assert_int_equal(st.data_bytes, 70000 + 15 + 7 + 0 + 8 + 9);
	assert_int_equal(imgpack_unpack(buf, (size_t)n, dst, &st2, why,
					sizeof(why)), 0);
	assert_memory_equal(&st, &st2, sizeof(st));
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		assert_same_file(all[i]);
	/* Nothing else came out. */
	snprintf(cmd, sizeof(cmd), "test $(find '%s' | wc -l) -eq 11", dst);
	assert_int_equal(system(cmd), 0);

	/* The same tree packs to the same bytes. */
	again = calloc(1, BUF_CAP);
	assert_non_null(again);
	assert_int_equal(imgpack_pack(src, again, BUF_CAP, &st2, why,
				      sizeof(why)), n);
	assert_memory_equal(buf, again, (size_t)n);
	free(again);
}

static void test_empty_tree(void **state)
{
	struct imgpack_stats st;

	(void)state;
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), IMGPACK_HDR_LEN);
	assert_int_equal(st.files + st.dirs, 0);
	assert_int_equal(imgpack_unpack(buf, IMGPACK_HDR_LEN, dst, &st, why,
					sizeof(why)), 0);
}

static void test_too_big(void **state)
{
	struct imgpack_stats st;
	static uint8_t data[3u << 20];
	long n;

	(void)state;
	mk_file(src, "pages.img", data, sizeof(data), 0600);
	/* 32 + 16 + 16 (path) + 3 MiB: 3.0001 MiB, rounded up. */
	assert_int_equal(imgpack_pack(src, buf, 2u << 20, &st, why,
				      sizeof(why)), -ENOSPC);
	assert_string_equal(why, "images need 3.1 MiB but the transfer area "
			    "has 2 MiB");
	n = 32 + 16 + 16 + (3 << 20);
	assert_int_equal(imgpack_pack(src, buf, (size_t)n - 1, &st, why,
				      sizeof(why)), -ENOSPC);
	assert_int_equal(imgpack_pack(src, buf, (size_t)n, &st, why,
				      sizeof(why)), n);
	/* Even a header does not fit in nothing. */
	assert_int_equal(imgpack_pack(src, buf, 0, &st, why, sizeof(why)),
			 -ENOSPC);
	assert_string_equal(why, "images need 3.1 MiB but the transfer area "
			    "has 0 KiB");
}

static void test_format_size(void **state)
{
	char s[32];

	(void)state;
	imgpack_format_size(80u << 20, s, sizeof(s));
	assert_string_equal(s, "80 MiB");
	imgpack_format_size((80u << 20) + 1, s, sizeof(s));
	assert_string_equal(s, "80.1 MiB");
	imgpack_format_size((80u << 20) + (1u << 19), s, sizeof(s));
	assert_string_equal(s, "80.5 MiB");
	imgpack_format_size(1, s, sizeof(s));
	assert_string_equal(s, "1 KiB");
	imgpack_format_size(UINT64_MAX, s, sizeof(s));
	assert_string_equal(s, "17592186044415 MiB");
}

static void test_pack_refuses(void **state)
{
	struct imgpack_stats st;
	char name[256], path[1400] = "";

	(void)state;
	assert_int_equal(imgpack_pack(at(base, "nonexistent"), buf, BUF_CAP,
				      &st, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "nonexistent: No such file"));

	mk_dir(src, "0", 0755);
	assert_int_equal(symlink("/etc/passwd", at(src, "0/link")), 0);
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), -EINVAL);
	assert_string_equal(why, "0/link is a symlink: images are regular "
			    "files and directories only");
	assert_int_equal(unlink(at(src, "0/link")), 0);
	assert_int_equal(mkfifo(at(src, "0/fifo"), 0600), 0);
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), -EINVAL);
	assert_string_equal(why, "0/fifo is a fifo: images are regular files "
			    "and directories only");
	assert_int_equal(unlink(at(src, "0/fifo")), 0);

	/* Nine directories deep. */
	for (int i = 0; i < 9; i++) {
		strcat(path, i ? "/d" : "d");
		mk_dir(src, path, 0755);
	}
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), -EINVAL);
	assert_string_equal(why, "d/d/d/d/d/d/d/d/d: more than 8 directories "
			    "deep");
	snprintf(path, sizeof(path), "rm -rf '%s/d'", src);
	assert_int_equal(system(path), 0);

	/* A path beyond 1024 bytes: five names of 250. */
	memset(name, 'n', 250);
	name[250] = '\0';
	path[0] = '\0';
	for (int i = 0; i < 5; i++) {
		if (i)
			strcat(path, "/");
		strcat(path, name);
		mk_dir(src, path, 0755);
	}
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, ": name too long (at most 255 bytes a "
			       "name, 1024 a path)"));
}

/* A file that reads more than its size says: the kernel's own files. */
static void test_pack_file_changed(void **state)
{
	struct imgpack_stats st;

	(void)state;
	assert_int_equal(imgpack_pack("/proc/sys/kernel/random", buf, BUF_CAP,
				      &st, why, sizeof(why)), -EIO);
	assert_string_equal(why, "boot_id changed while it was packed");
}

/* --- packs built by hand ---------------------------------------------- */

static uint8_t pk[8192];
static size_t pk_len;
static uint32_t pk_n;

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void pk_start(void)
{
	memset(pk, 0, sizeof(pk));
	memcpy(pk, "RLFIMGS\n", 8);
	le(pk + 8, 1, 4);
	pk_len = 32;
	pk_n = 0;
}

/* An entry with a path of plen bytes (path may hold NULs) and data. */
static void pk_raw(int type, const char *path, size_t plen, uint32_t mode,
		   const char *data, uint64_t size)
{
	uint8_t *e = pk + pk_len;

	e[0] = (uint8_t)type;
	le(e + 2, plen, 2);
	le(e + 4, mode, 4);
	le(e + 8, size, 8);
	memcpy(e + 16, path, plen);
	pk_len += 16 + ((plen + 7) & ~7u);
	if (data)
		memcpy(pk + pk_len, data, size);
	pk_len += (size + 7) & ~7u;
	le(pk + 12, ++pk_n, 4);
	le(pk + 16, pk_len, 8);
}

static void pk_dir(const char *path)
{
	pk_raw(1, path, strlen(path), 0755, NULL, 0);
}

static void pk_file(const char *path, const char *data)
{
	pk_raw(2, path, strlen(path), 0600, data, strlen(data));
}

static int pk_unpack(void)
{
	struct imgpack_stats st;

	return imgpack_unpack(pk, pk_len, dst, &st, why, sizeof(why));
}

#define assert_bad(want) do {						\
	assert_int_equal(pk_unpack(), -EBADMSG);			\
	assert_string_equal(why, want);					\
} while (0)

static void test_hand_made_pack(void **state)
{
	struct stat sb;

	(void)state;
	pk_start();
	pk_dir("0");
	pk_file("0/a.img", "hello");
	assert_int_equal(pk_len, 32 + 16 + 8 + 16 + 8 + 8);
	assert_int_equal(pk_unpack(), 0);
	assert_int_equal(stat(at(dst, "0/a.img"), &sb), 0);
	assert_int_equal(sb.st_size, 5);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void test_unpack_header(void **state)
{
	struct imgpack_stats st;

	(void)state;
	pk_start();
	pk_file("a.img", "x");
	assert_int_equal(imgpack_unpack(pk, 31, dst, &st, why, sizeof(why)),
			 -EBADMSG);
	assert_string_equal(why, "truncated: 31 bytes, the header alone is "
			    "32");
	assert_int_equal(imgpack_unpack(pk, pk_len - 8, dst, &st, why,
					sizeof(why)), -EBADMSG);
	assert_string_equal(why, "truncated: the pack says 64 bytes, 56 came");
	assert_int_equal(imgpack_unpack(pk, pk_len + 8, dst, &st, why,
					sizeof(why)), -EBADMSG);
	assert_string_equal(why, "garbled: the pack says 64 bytes, 72 came");
	pk[0] = 'X';
	assert_bad("not a relief image pack (no magic)");
	pk[0] = 'R';
	le(pk + 8, 2, 4);
	assert_bad("pack version 2, this reliefctl reads 1");
	le(pk + 8, 1, 4);
	pk[30] = 1;
	assert_bad("garbled header (reserved bytes set)");
	pk[30] = 0;
	/* Entries miscounted, either way. */
	le(pk + 12, 2, 4);
	assert_bad("entry 1: truncated (its header needs 16 bytes, 0 left)");
	le(pk + 12, 0, 4);
	assert_bad("garbled: 32 bytes after the last of 0 entries");
	le(pk + 12, 1, 4);
	assert_int_equal(imgpack_unpack(pk, pk_len, at(base, "none"), &st,
					why, sizeof(why)), -ENOENT);
	/* The entry before the miscount was written, and stays. */
	assert_int_equal(unlink(at(dst, "a.img")), 0);
	assert_int_equal(pk_unpack(), 0);
}

static void test_unpack_entry_fields(void **state)
{
	(void)state;
	pk_start();
	pk_raw(5, "a", 1, 0600, NULL, 0);
	assert_bad("entry 0: garbled (type 5)");
	/* A file left in place without its list's place. */
	pk_start();
	pk_raw(4, "a", 1, 0600, NULL, 0);
	assert_bad("entry 0 (a): truncated (8 bytes of data, 0 left)");
	/* A placed file without its 8 bytes of place. */
	pk_start();
	pk_raw(3, "a", 1, 0600, NULL, 0);
	assert_bad("entry 0 (a): truncated (8 bytes of data, 0 left)");
	pk_start();
	pk_file("a", "x");
	pk[32 + 1] = 1;
	assert_bad("entry 0: garbled (type 2)");
	pk_start();
	pk_raw(2, "", 0, 0600, NULL, 0);
	assert_bad("entry 0: path length 0 (1 to 1024)");
	pk_start();
	pk_raw(2, "a", 1, 0600, NULL, 0);
	le(pk + 32 + 2, 1025, 2);
	assert_bad("entry 0: path length 1025 (1 to 1024)");
	le(pk + 32 + 2, 17, 2);
	assert_bad("entry 0: truncated in its path");
	pk_start();
	pk_raw(2, "abc\0\0\0\0x", 3, 0600, NULL, 0);
	pk[32 + 16 + 7] = 'x';
	assert_bad("entry 0 (abc): garbled padding");
	pk_start();
	pk_raw(2, "a", 1, 04755, NULL, 0);
	assert_bad("entry 0 (a): mode 04755 (only permission bits)");
	pk_start();
	pk_raw(1, "d", 1, 0755, "12345678", 8);
	assert_bad("entry 0 (d): a directory with 8 bytes of data");
	pk_start();
	pk_file("a", "hello");
	le(pk + 32 + 8, 9, 8);
	assert_bad("entry 0 (a): truncated (9 bytes of data, 8 left)");
	le(pk + 32 + 8, UINT64_MAX, 8);
	assert_bad("entry 0 (a): truncated (18446744073709551615 bytes of "
		   "data, 8 left)");
	le(pk + 32 + 8, 5, 8);
	pk[32 + 16 + 8 + 6] = 1;
	assert_bad("entry 0 (a): garbled padding");
}

static void test_unpack_unsafe_paths(void **state)
{
	static const struct {
		const char *path;
		size_t len;
		const char *why;
	} cases[] = {
		{ "/etc/passwd", 11, "entry 0 (/etc/passwd): an absolute path" },
		{ "..", 2, "entry 0 (..): a '..' component" },
		{ "0/../../x", 9, "entry 0 (0/../../x): a '..' component" },
		{ "./x", 3, "entry 0 (./x): a '.' component" },
		{ "0//x", 4, "entry 0 (0//x): an empty path component" },
		{ "0/", 2, "entry 0 (0/): an empty path component" },
		{ "a\0b", 3, "entry 0 (a?b): a NUL byte in the path" },
		{ "a/b/c/d/e/f/g/h/i/j", 19,
		  "entry 0 (a/b/c/d/e/f/g/h/i/j): too many directories deep" },
	};
	char longname[300], want[300];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pk_start();
		pk_raw(2, cases[i].path, cases[i].len, 0600, "x", 1);
		assert_bad(cases[i].why);
	}
	/* Nine components are fine for a file, not for a directory. */
	pk_start();
	pk_raw(1, "a/b/c/d/e/f/g/h/i", 17, 0755, NULL, 0);
	assert_bad("entry 0 (a/b/c/d/e/f/g/h/i): too many directories deep");
	memset(longname, 'n', 256);
	pk_start();
	pk_raw(2, longname, 256, 0600, "x", 1);
	snprintf(want, sizeof(want), "entry 0 (%.64s...): a component longer "
		 "than 255 bytes", longname);
	assert_bad(want);
	/* Nothing was written anywhere. */
	assert_int_equal(access(at(base, "x"), F_OK), -1);
	assert_int_equal(rmdir(dst), 0);
	assert_int_equal(mkdir(dst, 0755), 0);
}

static void test_unpack_order_and_names(void **state)
{
	char outside[400];

	(void)state;
	/* A file before its directory. */
	pk_start();
	pk_file("0/a.img", "x");
	pk_dir("0");
	assert_bad("0/a.img: its directory is not in the pack before it");
	/* A file used as a directory. */
	pk_start();
	pk_file("0", "x");
	pk_file("0/a.img", "x");
	assert_bad("0/a.img: its directory is not in the pack before it");
	/* The same name twice, as a file and as a directory. */
	pk_start();
	pk_file("a", "x");
	pk_file("a", "y");
	assert_int_equal(pk_unpack(), -EEXIST);
	assert_string_equal(why, "a: File exists");
	pk_start();
	pk_dir("b");
	pk_dir("b");
	assert_int_equal(pk_unpack(), -EEXIST);
	/* A symlink already in the target is never followed. */
	snprintf(outside, sizeof(outside), "%s/outside", base);
	assert_int_equal(mkdir(outside, 0755), 0);
	assert_int_equal(symlink(outside, at(dst, "s")), 0);
	pk_start();
	pk_file("s/x", "x");
	assert_true(pk_unpack() < 0);
	assert_int_equal(access(at(outside, "x"), F_OK), -1);
	assert_int_equal(symlink(outside, at(dst, "t")), 0);
	pk_start();
	pk_file("t", "x");
	assert_int_equal(pk_unpack(), -EEXIST);
	assert_int_equal(access(at(outside, "t"), F_OK), -1);
}

/* --- placed files: bytes already in the area ------------------------- */

static uint64_t placed_off = 100, placed_len = 50;
static int place_calls, open_calls, open_ret;
static uint64_t opened_off, opened_len;
static bool place_frames, opened_frames;

static int place(void *arg, const char *path, dev_t dev, uint64_t *off,
		 uint64_t *len, bool *frames)
{
	assert_ptr_equal(arg, &place_calls);
	assert_string_equal(path, "0/pages-1.img");
	assert_int_equal(major(dev), 1);
	assert_int_equal(minor(dev), 3);
	place_calls++;
	*off = placed_off;
	*len = placed_len;
	*frames = place_frames;
	return 0;
}

static int open_window(void *arg, uint64_t off, uint64_t size, bool frames,
		       dev_t *dev)
{
	(void)arg;
	open_calls++;
	opened_off = off;
	opened_len = size;
	opened_frames = frames;
	*dev = makedev(1, 5);
	return open_ret;
}

static void test_placed(void **state)
{
	struct imgpack_places pl = { .place = place, .arg = &place_calls };
	static uint8_t area[4096];
	struct imgpack_windows w = {
		.area = area, .area_len = sizeof(area), .open = open_window,
	};
	struct imgpack_stats st;
	struct stat sb;
	long n;
	FILE *f;

	(void)state;
	for (size_t i = 0; i < sizeof(area); i++)
		area[i] = (uint8_t)(i * 13 + 1);
	mk_dir(src, "0", 0755);
	mk_file(src, "0/core-1.img", "core", 4, 0600);
	/* a node where criu wrote the pages (/dev/null's number here) */
	assert_int_equal(mknod(at(src, "0/pages-1.img"), S_IFCHR | 0600,
			       makedev(1, 3)), 0);
	/* Without places, a device is refused as ever. */
	assert_int_equal(imgpack_pack(src, buf, BUF_CAP, &st, why,
				      sizeof(why)), -EINVAL);
	n = imgpack_pack_placed(src, buf, BUF_CAP, &pl, &st, why, sizeof(why));
	assert_true(n > 0);
	assert_int_equal(place_calls, 1);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.placed, 1);
	assert_int_equal(st.placed_bytes, 50);
	/* Its name and place are packed, not its bytes: 8 bytes of place. */
	assert_int_equal(n, 32 + (16 + 8) + (16 + 16 + 8) + (16 + 16 + 8));

	/* B: a window on exactly its bytes. */
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), 0);
	assert_int_equal(open_calls, 1);
	assert_int_equal(opened_off, 100);
	assert_int_equal(opened_len, 50);
	assert_int_equal(stat(at(dst, "0/pages-1.img"), &sb), 0);
	assert_true(S_ISCHR(sb.st_mode));
	assert_int_equal(sb.st_rdev, makedev(1, 5));
	assert_int_equal(sb.st_mode & 0777, 0400);

	/* No window: a copy of those bytes of the area. */
	open_ret = -ENOTTY;
	assert_int_equal(unlink(at(dst, "0/pages-1.img")), 0);
	assert_int_equal(unlink(at(dst, "0/core-1.img")), 0);
	assert_int_equal(rmdir(at(dst, "0")), 0);
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), 0);
	assert_int_equal(w.fallback_err, -ENOTTY);
	f = fopen(at(dst, "0/pages-1.img"), "r");
	assert_non_null(f);
	{
		uint8_t data[64];

		assert_int_equal(fread(data, 1, sizeof(data), f), 50);
		assert_memory_equal(data, area + 100, 50);
	}
	fclose(f);

	/* Refused: no area given, or a place outside it. */
	assert_int_equal(unlink(at(dst, "0/pages-1.img")), 0);
	assert_int_equal(unlink(at(dst, "0/core-1.img")), 0);
	assert_int_equal(rmdir(at(dst, "0")), 0);
	assert_int_equal(imgpack_unpack(buf, (size_t)n, dst, &st, why,
					sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "(0/pages-1.img): its bytes are in an "
			       "area this unpack was not given"));
	assert_int_equal(unlink(at(dst, "0/core-1.img")), 0);
	assert_int_equal(rmdir(at(dst, "0")), 0);
	w.area_len = 120;
	w.fallback_err = 0;
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "(0/pages-1.img): 50 bytes at 100 of a "
			       "120-byte area"));
}

/*
 * Pages left in place: the pack names the image and where its frame list
 * lies; only a window can read it, never a copy.
 */
static void test_frames(void **state)
{
	struct imgpack_places pl = { .place = place, .arg = &place_calls };
	static uint8_t area[4096];
	struct imgpack_windows w = {
		.area = area, .area_len = sizeof(area), .open = open_window,
	};
	struct imgpack_stats st;
	struct stat sb;
	long n;

	(void)state;
	place_calls = open_calls = open_ret = 0;
	place_frames = true;
	placed_off = 64;
	placed_len = 3 * 4096 + 1;	/* 4 frames: a 32-byte list */
	mk_dir(src, "0", 0755);
	assert_int_equal(mknod(at(src, "0/pages-1.img"), S_IFCHR | 0600,
			       makedev(1, 3)), 0);
	n = imgpack_pack_placed(src, buf, BUF_CAP, &pl, &st, why, sizeof(why));
	assert_true(n > 0);
	assert_int_equal(st.placed, 1);
	assert_int_equal(st.frames, 1);
	assert_int_equal(st.frames_bytes, placed_len);
	assert_int_equal(buf[32 + 16 + 8], IMGPACK_FILE_FRAMES);
	assert_int_equal(IMGPACK_FRAMES_LEN(placed_len), 32);

	/* B: a frames window on the list, with the image's length. */
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), 0);
	assert_int_equal(open_calls, 1);
	assert_true(opened_frames);
	assert_int_equal(opened_off, 64);
	assert_int_equal(opened_len, placed_len);
	assert_int_equal(st.frames, 1);
	assert_int_equal(stat(at(dst, "0/pages-1.img"), &sb), 0);
	assert_true(S_ISCHR(sb.st_mode));

	/* No window: refused, not copied (the pages are not in the area). */
	assert_int_equal(unlink(at(dst, "0/pages-1.img")), 0);
	assert_int_equal(rmdir(at(dst, "0")), 0);
	open_ret = -ENOTTY;
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), -ENOTTY);
	assert_non_null(strstr(why, "(0/pages-1.img): its pages were left in "
			       "the old kernel's memory, and no window reads "
			       "them"));
	assert_int_equal(access(at(dst, "0/pages-1.img"), F_OK), -1);

	/* The list, not the image, must fit the area. */
	assert_int_equal(rmdir(at(dst, "0")), 0);
	open_ret = 0;
	w.fallback_err = 0;
	w.area_len = 64 + 31;
	assert_int_equal(imgpack_unpack_windows(buf, (size_t)n, dst, &w, &st,
						why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "(0/pages-1.img): 32 bytes at 64 of a "
			       "95-byte area"));
	place_frames = false;
	placed_off = 100;
	placed_len = 50;
}

/* The area's header: where the pack lies after the page images. */
static void test_area_header(void **state)
{
	static uint8_t area[8192];
	uint64_t off = 1;

	(void)state;
	/* A pack alone: no header. */
	memcpy(area, IMGPACK_MAGIC, 8);
	assert_int_equal(imgpack_area_pack(area, sizeof(area), &off, why,
					   sizeof(why)), 0);
	assert_int_equal(off, 0);
	imgpack_area_header(area, 4096, 4096);
	assert_memory_equal(area, "RLFAREA1", 8);
	assert_int_equal(imgpack_area_pack(area, sizeof(area), &off, why,
					   sizeof(why)), 0);
	assert_int_equal(off, 4096);
	/* The kernel's length must be the header's offset plus its length. */
	assert_int_equal(imgpack_area_pack(area, 8000, &off, why,
					   sizeof(why)), -EBADMSG);
	assert_string_equal(why, "the area's header says a pack of 4096 bytes "
			    "at 4096, the kernel 8000 bytes in all");
	imgpack_area_header(area, 100, 8092);
	assert_int_equal(imgpack_area_pack(area, sizeof(area), &off, why,
					   sizeof(why)), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_placed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames, setup, teardown),
		cmocka_unit_test(test_area_header),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_tree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test_setup_teardown(test_pack_refuses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pack_file_changed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hand_made_pack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unpack_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unpack_entry_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unpack_unsafe_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unpack_order_and_names,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
