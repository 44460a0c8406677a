/* SPDX-License-Identifier: GPL-2.0 */
/*
 * follow.h - following a swap from userspace: poll
 * /sys/kernel/relief/state, print each state it passes through with the
 * time since the swap began, and stream the new kernel's console
 * (/sys/kernel/relief/console) as it arrives.
 */
#ifndef RELIEFCTL_FOLLOW_H
#define RELIEFCTL_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kstate.h"

#define FOLLOW_POLL_MS		20
#define FOLLOW_CONSOLE_MAX	(128 * 1024)	/* the kernel keeps 64 KiB */
#define FOLLOW_ANCHOR		128

/*
 * The console is the last 64 KiB the new kernel wrote: it only grows until
 * full, then drops its oldest bytes, and a new run starts it empty. What
 * was printed is remembered as the log's length then and its last bytes
 * (the anchor), to find the new text after a rotation or restart.
 */
struct follow_console {
	size_t off;			/* the log's length when last printed */
	size_t alen;
	char anchor[FOLLOW_ANCHOR];	/* its last alen bytes */
	int mid_line;			/* the last text printed had no '\n' */
};

/*
 * follow_console_resume() - where the text not yet printed starts in the
 * log buf[0..len] as it is now: at the old length if the log only grew;
 * after the anchor if the log rotated; at 0 if it is a new log.
 */
size_t follow_console_resume(const struct follow_console *c, const char *buf,
			     size_t len);
/* Remember buf[0..len] as printed. */
void follow_console_mark(struct follow_console *c, const char *buf,
			 size_t len);
/* Print s[0..n] with "new| " before each line. */
void follow_console_print(struct follow_console *c, const char *s, size_t n,
			  FILE *out);

enum follow_result {
	FOLLOW_TARGET,		/* reached the state asked for */
	FOLLOW_ENDED,		/* reached a terminal state */
	FOLLOW_STUCK,		/* one state for longer than stuck_ns */
	FOLLOW_LOST,		/* the state file could not be read */
};

struct follow {
	/* in */
	const char *target;	/* state that ends the wait; NULL: terminal */
	uint64_t stuck_ns;	/* bound on any one state */
	int quiet;		/* no console */
	FILE *out;
	uint64_t t0;		/* reliefctl_now_ns() at the start */
	/*
	 * Between two polls, instead of sleeping FOLLOW_POLL_MS (NULL:
	 * sleep): swap serves the kernel's agent requests there, waiting
	 * for them as long as it would have slept.
	 */
	void (*idle)(struct follow *f);
	void *idle_arg;
	/* out */
	struct kstate_state st;	/* the last state seen */
	uint64_t since_ns;	/* when it was first seen */
	int err;		/* FOLLOW_LOST: -errno */
	/* private */
	struct follow_console con;
	char *buf;
};

/* Follow until target, an end, a stuck state, or a lost state file. */
enum follow_result follow_run(struct follow *f);
/* Print "[  1.234 s] WHAT" with the time since f->t0. */
void follow_phase_line(struct follow *f, const char *what);

#endif /* RELIEFCTL_FOLLOW_H */
