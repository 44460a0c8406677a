/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fillroom.h - can kernel B hold the moved trees' memory before kernel A's
 * RAM is its own?
 *
 * Pages left in A's RAM (handover.rst, Pages left in place) are copied
 * into B's own memory by B's lazy restore. B adds at once the memory
 * blocks of A's RAM that hold none of them, and the rest only once the
 * copy is done. So what B has for the copy is its room in the region and
 * A's RAM in whole blocks that hold no page of the trees.
 */
#ifndef RELIEFCTL_FILLROOM_H
#define RELIEFCTL_FILLROOM_H

#include <stdbool.h>
#include <stdint.h>

#include "kstate.h"
#include "moveset.h"

struct fillroom {
	uint64_t anon;		/* the trees' private memory (RssAnon) */
	uint64_t block;		/* memory block size */
	uint64_t at_once;	/* A's RAM B adds at once, in whole blocks */
	uint64_t after;		/* A's RAM B adds after the copy */
	bool frames_known;	/* pagemap showed where the pages are */
};

/*
 * fillroom_measure() - the trees' memory, and how much of A's RAM (from
 * reliefctl_iomem_path(), less the region and its low chunk r)
 * B adds at once: the blocks (RELIEF_SYS/devices/system/memory) holding
 * none of their present anonymous pages (/proc/PID/pagemap). Without
 * frame numbers (not root) every block counts as holding some. 0, or
 * -errno when A's RAM or the block size cannot be read (fr->anon is
 * measured all the same).
 */
int fillroom_measure(const struct moveset *m, const struct kstate_region *r,
		     struct fillroom *fr);

#endif /* RELIEFCTL_FILLROOM_H */
