// SPDX-License-Identifier: GPL-2.0
/* follow.c - a swap's states and the new kernel's console, as they come. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "sysio.h"

size_t follow_console_resume(const struct follow_console *c, const char *buf,
			     size_t len)
{
	size_t a = c->alen, end;

	if (c->off <= len &&
	    (!a || !memcmp(buf + c->off - a, c->anchor, a)))
		return c->off;		/* it only grew */
	/*
	 * Rotated: the anchor moved towards the start. The match ending
	 * nearest to the old length is the smallest shift.
	 */
	if (a) {
		end = c->off < len ? c->off : len;
		for (size_t e = end; e >= a; e--)
			if (!memcmp(buf + e - a, c->anchor, a))
				return e;
	}
	return 0;			/* a new log */
}

void follow_console_mark(struct follow_console *c, const char *buf,
			 size_t len)
{
	c->alen = len < FOLLOW_ANCHOR ? len : FOLLOW_ANCHOR;
	memcpy(c->anchor, buf + len - c->alen, c->alen);
	c->off = len;
}

void follow_console_print(struct follow_console *c, const char *s, size_t n,
			  FILE *out)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;

		if (!c->mid_line)
			fputs("new| ", out);
		fwrite(s, 1, k, out);
		c->mid_line = !nl;
		s += k;
		n -= k;
	}
	fflush(out);
}

/* Read the whole console; print what is new. */
static void console_poll(struct follow *f)
{
	char path[1024];
	size_t len = 0, at;
	int fd;

	snprintf(path, sizeof(path), "%s/console", reliefctl_sysfs_dir());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (len < FOLLOW_CONSOLE_MAX) {
		ssize_t r = read(fd, f->buf + len, FOLLOW_CONSOLE_MAX - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	at = follow_console_resume(&f->con, f->buf, len);
	if (at < len)
		follow_console_print(&f->con, f->buf + at, len - at, f->out);
	follow_console_mark(&f->con, f->buf, len);
}

void follow_phase_line(struct follow *f, const char *what)
{
	uint64_t ms = (reliefctl_now_ns() - f->t0) / 1000000u;

	if (f->con.mid_line)
		fputc('\n', f->out);
	f->con.mid_line = 0;
	fprintf(f->out, "[%4llu.%03llu s] %s\n", (unsigned long long)(ms / 1000),
		(unsigned long long)(ms % 1000), what);
	fflush(f->out);
}

static void state_line(struct follow *f)
{
	char line[sizeof(f->st.name) + sizeof(f->st.reason) + 4];

	snprintf(line, sizeof(line), "%s%s%s", f->st.name,
		 *f->st.reason ? " " : "", f->st.reason);
	follow_phase_line(f, line);
}

enum follow_result follow_run(struct follow *f)
{
	enum follow_result res;

	memset(&f->st, 0, sizeof(f->st));
	memset(&f->con, 0, sizeof(f->con));
	f->err = 0;
	f->buf = f->quiet ? NULL : malloc(FOLLOW_CONSOLE_MAX);
	for (;;) {
		struct kstate_state st;
		uint64_t now;
		int ret = kstate_read_state(&st);

		if (f->buf)
			console_poll(f);
		now = reliefctl_now_ns();
		if (ret) {
			f->err = ret;
			res = FOLLOW_LOST;
			break;
		}
		if (strcmp(st.name, f->st.name) ||
		    strcmp(st.reason, f->st.reason)) {
			f->st = st;
			f->since_ns = now;
			state_line(f);
		}
		if (kstate_classify(st.name) == KSTATE_ENDED) {
			res = FOLLOW_ENDED;
			break;
		}
		if (f->target && !strcmp(st.name, f->target)) {
			res = FOLLOW_TARGET;
			break;
		}
		if (now - f->since_ns > f->stuck_ns) {
			res = FOLLOW_STUCK;
			break;
		}
		if (f->idle)
			f->idle(f);
		else
			reliefctl_sleep_ms(FOLLOW_POLL_MS);
	}
	if (f->buf) {
		console_poll(f);	/* what came with the last state */
		if (f->con.mid_line)
			fputc('\n', f->out);
		f->con.mid_line = 0;
	}
	free(f->buf);
	f->buf = NULL;
	return res;
}
