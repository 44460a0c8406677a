/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - the userspace half of a swap: each kernel hands the steps it
 * cannot do itself (CRIU dumps and restores) to an agent on /dev/relief.
 * On the old kernel `reliefctl swap` is the agent (DUMP, THAW, END); on
 * the new one `reliefctl agent` (RESTORE, END).
 *
 *   DUMP     criu dump --leave-stopped each tree into a temporary
 *            directory (tmpfs under /run; its page images straight into
 *            the transfer area, through nodes of append windows), record
 *            the network setup and
 *            the mounts on the devices the kernel hands over (netcfg.h,
 *            mounts.h), pack it all into the transfer area (mmap of
 *            /dev/relief), freeze those file systems, reply the length
 *            and the processes (no tree: the empty image, length and
 *            count 0; the file systems are frozen all the same)
 *   THAW     the swap rolls back: thaw the file systems, resume what the
 *            dump left stopped
 *   UNPACK   (before RESTORE, while the devices are handed over) unpack
 *            the area; hold input on the interfaces the images name; start
 *            a criu service worker per tree, and its lazy-pages daemon
 *            (cfg.lazy): RESTORE then finds criu started
 *   RESTORE  unpack the area, set up the interfaces and mount the file
 *            systems on the devices B was handed (waiting for them), criu
 *            restore each tree (detached, same pids); with TCP connections
 *            in the images, input on those interfaces is dropped from
 *            before they come up until the last restore (netlock.h).
 *            Lazy (cfg.lazy): the trees run again before their anonymous
 *            memory is in; a criu lazy-pages daemon per tree fills it in
 *            (userfaultfd), so the pause does not grow with that memory
 *   END      the run is over: stop what an UNPACK started that no
 *            RESTORE used, wait for the lazy daemons, report (before
 *            replying: an old kernel that stood relieved parks right after
 *            the reply, or a second later)
 *
 * One agent_poll() waits once (a bounded RELIEF_IOC_AGENT_WAIT) and
 * handles what came, so a caller can interleave its own polling.
 */
#ifndef RELIEFCTL_AGENT_H
#define RELIEFCTL_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "criu_run.h"
#include "manifest.h"
#include "mounts.h"
#include "relief_dev.h"

#define AGENT_WORKDIR_DEFAULT	"/run"
#define AGENT_SETUP_WAIT_MS	15000	/* NEW: each interface, disk */
#define AGENT_WINDOW_MIN	(64 * 1024)	/* NEW: smaller images copied */

enum agent_role {
	AGENT_OLD,		/* reliefctl swap: DUMP, THAW, END */
	AGENT_NEW,		/* reliefctl agent: RESTORE, END */
};

struct agent;
struct work;

/* A page image node on an append window, and where its bytes went. */
struct agent_node {
	char path[640];
	dev_t dev;
	uint64_t off;		/* RELIEF_DEV_WINDOW_UNPLACED: not written */
	uint64_t len;		/* bytes of image */
	bool frames;		/* pages left in place: off is their list's */
};

struct agent_cfg {
	enum agent_role role;
	const pid_t *roots;		/* OLD: the trees to move */
	unsigned int nroots;
	const char *network_lock;	/* OLD: criu's; NULL: its default */
	const char *workdir;		/* NULL: $RELIEF_WORKDIR or /run */
	unsigned int criu_timeout_ms;	/* 0: criu_run's default */
	unsigned int setup_wait_ms;	/* 0: AGENT_SETUP_WAIT_MS */
	bool lazy;			/* NEW: restore --lazy-pages */
	bool copy_pages;		/* OLD: never leave pages in place */
	FILE *out;			/* progress */
	FILE *err;			/* failures, criu's hints */
	/* END: the caller's report, made before the reply. */
	void (*on_end)(struct agent *a, void *arg);
	void *end_arg;
};

struct agent {
	struct agent_cfg cfg;
	int fd;				/* /dev/relief */
	unsigned int handled;		/* requests answered */
	/* DUMP (old) or RESTORE (new) */
	uint64_t t_dump_ns;		/* DUMP came: the processes freeze */
	bool stopped;			/* OLD: the dumped trees stopped */
	struct manifest moved;		/* the trees dumped or restored */
	uint64_t image_len;
	int status;			/* of the last DUMP or RESTORE */
	unsigned int resumed;		/* THAW: processes resumed */
	pid_t *keep;			/* stopped before the dump */
	unsigned int nkeep;
	struct mounts_frozen frozen;	/* OLD: frozen at DUMP */
	bool held;			/* NEW: input held (netlock_hold()) */
	/* NEW, lazy: criu lazy-pages of each tree, until END */
	pid_t lazy[MANIFEST_TREES_MAX];
	int lazy_status[MANIFEST_TREES_MAX];	/* spawned at UNPACK: not
						 * yet listening; else -1 */
	unsigned int nlazy;
	char lazy_dir[512];		/* the images they fill from */
	bool lazy_own_fs;		/* lazy_dir is a tmpfs of its own */
	/* NEW: criu swrk of each tree, spawned at UNPACK, until RESTORE */
	struct criu_swrk swrk[MANIFEST_TREES_MAX];
	bool windows;			/* page images read in place */
	struct work *unpacked;		/* NEW: UNPACK's, for RESTORE */
	uint64_t unpacked_len;
	/* OLD: page image nodes of append windows, criu writes the area */
	struct agent_node *nodes;
	unsigned int nnodes;
	bool no_append;			/* the kernel has no append windows */
	bool no_frames;			/* nor frames (or copy_pages) */
	char overcommit[8];		/* vm.overcommit_memory to put back */
	uint64_t t_restored_ns;
	/* END */
	bool ended;
	uint64_t t_end_ns;
	uint32_t result;		/* RELIEF_DEV_RESULT_* */
	char reason[32];
};

enum agent_poll_result {
	AGENT_IDLE,		/* no request within the timeout */
	AGENT_HANDLED,		/* one request handled and answered */
	AGENT_ENDED,		/* END handled: the run is over */
	AGENT_NO_RUN,		/* no run in progress (-ESRCH) */
};

/*
 * agent_lazy_finish() - NEW: wait (bounded) for the lazy-pages daemons
 * to fill in every page; a tree whose daemon failed is killed, since it
 * would read zeroes where its pages were. 0, or -EIO if one failed.
 * END calls it; so does agent_close().
 */
int agent_lazy_finish(struct agent *a);

/* Open /dev/relief (RELIEF_DEV). 0 or -errno. */
int agent_open(struct agent *a, const struct agent_cfg *cfg);
/*
 * agent_poll() - wait at most timeout_ms for one request and handle it:
 * an agent_poll_result, or -errno when the wait itself failed.
 */
int agent_poll(struct agent *a, unsigned int timeout_ms);
void agent_close(struct agent *a);

/* "done", "aborted", "rolled back" for an END's result. */
const char *agent_result_name(uint32_t result);

#endif /* RELIEFCTL_AGENT_H */
