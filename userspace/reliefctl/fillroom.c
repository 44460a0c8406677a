// SPDX-License-Identifier: GPL-2.0
/* fillroom.c - room in kernel B for the moved memory (fillroom.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fillroom.h"
#include "paths.h"
#include "proctree.h"

#define PAGE		4096u
#define PM_PRESENT	(UINT64_C(1) << 63)
#define PM_FILE		(UINT64_C(1) << 61)	/* or shared anonymous */
#define PM_PFN		((UINT64_C(1) << 55) - 1)
#define RAM_MAX		64			/* System RAM ranges */
/* A mapping this large, and that many times its anonymous memory, is sparse. */
#define VMA_WALK_MIN	(UINT64_C(1) << 30)
#define VMA_SPARSE	64

struct ram {
	uint64_t start[RAM_MAX], end[RAM_MAX];	/* [start, end) */
	unsigned int nr;
};

/* The top-level "System RAM" ranges of iomem. */
static int read_ram(struct ram *ram)
{
	char line[256];
	FILE *f = fopen(reliefctl_iomem_path(), "re");

	if (!f)
		return -errno;
	ram->nr = 0;
	while (fgets(line, sizeof(line), f) && ram->nr < RAM_MAX) {
		uint64_t s, e;

		if (line[0] == ' ' || !strstr(line, ": System RAM") ||
		    sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2 || e < s)
			continue;
		ram->start[ram->nr] = s;
		ram->end[ram->nr++] = e + 1;
	}
	fclose(f);
	return ram->nr ? 0 : -ENODATA;
}

static int read_block_size(uint64_t *bs)
{
	char dir[512], v[64];
	long n;

	snprintf(dir, sizeof(dir), "%s/devices/system/memory",
		 reliefctl_sys_dir());
	n = kstate_read(dir, "block_size_bytes", v, sizeof(v));
	if (n < 0)
		return (int)n;
	*bs = strtoull(v, NULL, 16);
	return *bs && !(*bs & (*bs - 1)) ? 0 : -EINVAL;
}

/* A sorted set of block numbers. */
struct blocks {
	uint64_t *b;
	size_t nr, cap;
};

static int blocks_add(struct blocks *s, uint64_t b)
{
	if (s->nr && s->b[s->nr - 1] == b)
		return 0;
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		uint64_t *n = realloc(s->b, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->b = n;
		s->cap = cap;
	}
	s->b[s->nr++] = b;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool blocks_has(const struct blocks *s, uint64_t b)
{
	return bsearch(&b, s->b, s->nr, sizeof(b), cmp_u64) != NULL;
}

/* Under s, the blocks holding the present anonymous pages of [start, end). */
static void walk(int fd, uint64_t start, uint64_t end, uint64_t bs,
		 struct blocks *s, bool *known)
{
	uint64_t pm[512], at;

	for (at = start; at < end;) {
		size_t n = (end - at) / PAGE, k;
		ssize_t got;

		if (n > 512)
			n = 512;
		got = pread(fd, pm, n * 8, (off_t)(at / PAGE * 8));
		if (got <= 0) {
			*known = false;
			return;
		}
		for (k = 0; k < (size_t)got / 8; k++) {
			if (!(pm[k] & PM_PRESENT) || (pm[k] & PM_FILE))
				continue;
			if (!(pm[k] & PM_PFN) ||
			    blocks_add(s, (pm[k] & PM_PFN) * PAGE / bs))
				*known = false;
		}
		at += (uint64_t)got / 8 * PAGE;
	}
}

/*
 * The blocks holding pid's present anonymous pages, into s; *known false
 * if some could not be placed: pagemap shows frame 0 to all but root, and
 * it has an entry for every page, present or not, so a mapping much
 * larger than its anonymous memory (a sanitizer's shadow) is not walked.
 * Mappings without anonymous memory (smaps) are skipped.
 */
static void pid_blocks(pid_t pid, uint64_t bs, struct blocks *s, bool *known)
{
	uint64_t start = 0, end = 0, kb;
	char path[64], line[512];
	FILE *smaps;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	smaps = fopen(path, "re");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!smaps || fd < 0)
		*known = false;
	while (smaps && fd >= 0 && fgets(line, sizeof(line), smaps)) {
		uint64_t a, b;

		/* "START-END perms ..." heads a mapping; fields follow */
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &a, &b) == 2) {
			start = a;
			end = b;
		} else if (sscanf(line, "Anonymous: %" SCNu64 " kB", &kb) == 1 &&
			   kb && end > start) {
			if (end - start > VMA_WALK_MIN &&
			    end - start > VMA_SPARSE * (kb << 10))
				*known = false;
			else
				walk(fd, start, end, bs, s, known);
		}
	}
	if (smaps)
		fclose(smaps);
	if (fd >= 0)
		close(fd);
}

/* [s, e) less [cs, ce): up to two pieces, into p (pairs); their count. */
static unsigned int cut(uint64_t s, uint64_t e, uint64_t cs, uint64_t ce,
			uint64_t p[4])
{
	unsigned int n = 0;

	if (ce <= s || cs >= e || cs == ce) {
		p[0] = s;
		p[1] = e;
		return 1;
	}
	if (cs > s) {
		p[n++] = s;
		p[n++] = cs;
	}
	if (ce < e) {
		p[n++] = ce;
		p[n++] = e;
	}
	return n / 2;
}

/* A's RAM in whole blocks of [s, e), less the region and its low chunk. */
static void count_piece(uint64_t s, uint64_t e, const struct kstate_region *r,
			unsigned int depth, const struct blocks *held,
			bool known, struct fillroom *fr)
{
	const uint64_t cuts[2][2] = {
		{ r->base, r->base + r->size },
		{ r->low_base, r->low_base + r->low_size },
	};
	uint64_t p[4], b;
	unsigned int n;

	if (depth < 2) {
		n = cut(s, e, cuts[depth][0], cuts[depth][1], p);
		for (unsigned int i = 0; i < n; i++)
			count_piece(p[2 * i], p[2 * i + 1], r, depth + 1, held,
				    known, fr);
		return;
	}
	for (b = (s + fr->block - 1) / fr->block; (b + 1) * fr->block <= e;
	     b++) {
		if (known && !blocks_has(held, b))
			fr->at_once += fr->block;
		else
			fr->after += fr->block;
	}
}

int fillroom_measure(const struct moveset *m, const struct kstate_region *r,
		     struct fillroom *fr)
{
	struct blocks held = { 0 };
	unsigned long long kb;
	struct ram ram = { .nr = 0 };
	int ret;

	memset(fr, 0, sizeof(*fr));
	ret = read_block_size(&fr->block);
	ret = ret ? ret : read_ram(&ram);
	fr->frames_known = !ret;
	/* The memory is measured whether A's RAM can be read or not. */
	for (unsigned int i = 0; i < m->nr; i++)
		for (unsigned int k = 0; k < m->trees[i].nr; k++) {
			pid_t pid = m->trees[i].procs[k].pid;

			if (!proctree_anon_kb(pid, &kb))
				fr->anon += (uint64_t)kb << 10;
			if (!ret)
				pid_blocks(pid, fr->block, &held,
					   &fr->frames_known);
		}
	if (ret)
		return ret;
	qsort(held.b, held.nr, sizeof(*held.b), cmp_u64);
	for (unsigned int i = 0; i < ram.nr; i++)
		count_piece(ram.start[i], ram.end[i], r, 0, &held,
			    fr->frames_known, fr);
	free(held.b);
	return 0;
}
