// SPDX-License-Identifier: GPL-2.0
/*
 * fake_criu_swrk.c - `criu swrk FD` for the reliefctl tests: fake-criu.sh
 * execs it (FAKE_CRIU_SWRK). It reads one request from socket FD, decodes
 * it on its own (a second reading of rpc.proto's wire format, not
 * reliefctl's), appends what it was asked as a criu command line to
 * $FAKE_CRIU_CALLS:
 *   restore -D DIR -o LOG -vN [--tcp-established] [--file-locks]
 *           [--shell-job] [--lazy-pages] [--inherit-fd fd[N]:KEY]...
 * (an inherited fd must be open in the fake, as in criu)
 * (DIR: where the caller's images_dir_fd leads), does what fake-criu.sh's
 * restore does, logging into DIR/LOG, and answers.
 *   FAKE_CRIU_FAIL=restore|restore:INDEX  fail (INDEX: DIR's last part)
 *   FAKE_CRIU_QUIET=1  fail without logging   FAKE_CRIU_KILL=1  SIGKILL
 *   FAKE_CRIU_HANG=restore  never answer
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <unistd.h>

struct req {
	long type, dir_fd, level;
	bool tcp, locks, shell, lazy;
	char log[256];
	char inherit[1024];	/* " --inherit-fd fd[N]:KEY" for each */
};

/* Read a base-128 number at *p (below end); NULL when it runs off. */
static const uint8_t *num(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	int bits = 0;

	for (*v = 0; p < end && bits < 64; bits += 7) {
		uint8_t b = *p++;

		*v += (uint64_t)(b & 127) << bits;
		if (b < 128)
			return p;
	}
	return NULL;
}

/*
 * One inherit_fd { key = 1, fd = 2 }, as criu's command line says it; the
 * fd must be open here, as criu's own.
 */
static int inherit(const uint8_t *p, const uint8_t *end, struct req *r)
{
	char key[128] = "";
	uint64_t k, v;
	long fd = -1;
	size_t at = strlen(r->inherit);

	while (p && p < end) {
		p = num(p, end, &k);
		if (p && k == (1 << 3 | 2)) {
			p = num(p, end, &v);
			if (!p || v >= sizeof(key) || v > (uint64_t)(end - p))
				return -1;
			memcpy(key, p, v);
			key[v] = '\0';
			p += v;
		} else if (p && k == (2 << 3)) {
			p = num(p, end, &v);
			fd = (long)v;
		} else {
			return -1;
		}
	}
	if (!p || !*key || fd < 0 || fcntl((int)fd, F_GETFD) < 0)
		return -1;
	snprintf(r->inherit + at, sizeof(r->inherit) - at,
		 " --inherit-fd fd[%ld]:%s", fd, key);
	return 0;
}

/* Walk one message: opts (2) is walked in turn; 0 or -1. */
static int walk(const uint8_t *p, const uint8_t *end, struct req *r, int depth)
{
	uint64_t key, v;

	while (p && p < end) {
		p = num(p, end, &key);
		if (!p)
			return -1;
		if ((key & 7) == 0) {
			p = num(p, end, &v);
			if (!depth && key >> 3 == 1)
				r->type = (long)v;
			if (depth && key >> 3 == 1)
				r->dir_fd = (long)v;
			if (depth && key >> 3 == 9)
				r->level = (long)v;
			if (depth && key >> 3 == 5)
				r->tcp = v;
			if (depth && key >> 3 == 7)
				r->shell = v;
			if (depth && key >> 3 == 8)
				r->locks = v;
			if (depth && key >> 3 == 48)
				r->lazy = v;
			continue;
		}
		if ((key & 7) != 2)
			return -1;	/* the request has no other kind */
		p = num(p, end, &v);
		if (!p || v > (uint64_t)(end - p))
			return -1;
		if (!depth && key >> 3 == 2 && walk(p, p + v, r, 1))
			return -1;
		if (depth && key >> 3 == 10 && v < sizeof(r->log))
			memcpy(r->log, p, v);
		if (depth && key >> 3 == 27 && inherit(p, p + v, r))
			return -1;
		p += v;
	}
	return p ? 0 : -1;
}

/* A response: type RESTORE, success, and the root's pid or an errno. */
static void answer(int sk, bool ok)
{
	uint8_t m[16] = { 0x08, 2, 0x10, ok };
	size_t n = 4;

	if (ok) {
		m[n++] = 0x22;	/* restore { pid = 1 } */
		m[n++] = 2;
		m[n++] = 0x08;
		m[n++] = 1;
	} else {
		m[n++] = 0x38;	/* cr_errno */
		m[n++] = 5;
	}
	if (send(sk, m, n, 0) < 0)
		exit(4);
}

static void note(const char *path, const char *line)
{
	FILE *f = path && *path ? fopen(path, "a") : NULL;

	if (f) {
		fputs(line, f);
		fclose(f);
	}
}

static void fail(int sk, const char *log, const char *why)
{
	char line[PATH_MAX + 300];

	if (getenv("FAKE_CRIU_QUIET")) {
		answer(sk, false);
		exit(3);
	}
	snprintf(line, sizeof(line), "(00.000100) Info: fake criu restore\n"
		 "(00.000200) Error (fake.c:1): %s\n"
		 "(00.000300) Error (fake.c:2): Restoring FAILED.\n", why);
	note(log, line);
	answer(sk, false);
	exit(1);
}

/* A page image the agent made a window on the area (a node). */
static void note_nodes(const char *dir, const char *calls)
{
	char path[PATH_MAX + 300], line[PATH_MAX + 400];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "pages-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISCHR(st.st_mode))
			continue;
		snprintf(line, sizeof(line), "%s: character device %x:%x\n",
			 e->d_name, major(st.st_rdev), minor(st.st_rdev));
		note(calls, line);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	const char *calls = getenv("FAKE_CRIU_CALLS"),
		   *failing = getenv("FAKE_CRIU_FAIL"),
		   *hang = getenv("FAKE_CRIU_HANG");
	char link[64], dir[PATH_MAX] = "", log[PATH_MAX + 260],
	     line[2 * PATH_MAX], *last;
	struct req r = { .type = -1, .dir_fd = -1, .level = 2 };
	uint8_t buf[4096];
	struct ucred peer;
	socklen_t plen = sizeof(peer);
	ssize_t n;
	int sk;

	if (argc != 3 || strcmp(argv[1], "swrk"))
		return 2;
	sk = atoi(argv[2]);
	if (getenv("FAKE_CRIU_KILL"))
		raise(SIGKILL);
	n = recv(sk, buf, sizeof(buf), 0);
	if (n <= 0 || walk(buf, buf + n, &r, 0) || r.type != 2 ||
	    getsockopt(sk, SOL_SOCKET, SO_PEERCRED, &peer, &plen))
		return 2;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", (int)peer.pid,
		 r.dir_fd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n <= 0)
		return 2;
	dir[n] = '\0';
	snprintf(line, sizeof(line), "restore -D %s -o %s -v%ld%s%s%s%s%s\n",
		 dir, r.log, r.level, r.tcp ? " --tcp-established" : "",
		 r.locks ? " --file-locks" : "", r.shell ? " --shell-job" : "",
		 r.lazy ? " --lazy-pages" : "", r.inherit);
	note(calls, line);
	snprintf(log, sizeof(log), "%s/%s", dir, r.log);
	if (hang && !strcmp(hang, "restore"))
		pause();
	last = strrchr(dir, '/');
	snprintf(line, sizeof(line), "restore:%s", last ? last + 1 : dir);
	if (failing && (!strcmp(failing, "restore") || !strcmp(failing, line)))
		fail(sk, log, getenv("FAKE_CRIU_ERROR") ?
			      getenv("FAKE_CRIU_ERROR") : "fake: refused");
	snprintf(line, sizeof(line), "%s/inventory.img", dir);
	if (access(line, F_OK)) {
		snprintf(line, sizeof(line), "Unable to open %s/inventory.img",
			 dir);
		fail(sk, log, line);
	}
	/* criu restores a tree with dumped clocks into a time namespace */
	snprintf(line, sizeof(line), "%s/timens-0.img", dir);
	if (!access(line, F_OK))
		note(calls, "timens-0.img: a time namespace from the dump\n");
	note_nodes(dir, calls);
	snprintf(line, sizeof(line), "%s/lazy-pages.socket", dir);
	if (r.lazy && access(line, F_OK))
		fail(sk, log, "Can't connect to lazy-pages daemon");
	snprintf(line, sizeof(line), "(00.000100) Info: restored from %s\n",
		 dir);
	note(log, line);
	answer(sk, true);
	return 0;
}
