// SPDX-License-Identifier: GPL-2.0
/* criu_run.c - criu dump/restore/check as child processes (criu_run.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criu_rpc.h"
#include "criu_run.h"

const char *criu_path(void)
{
	const char *v = getenv("RELIEF_CRIU");

	return v && *v ? v : CRIU_DEFAULT;
}

static const char *kmsg_path(void)
{
	const char *v = getenv("RELIEF_KMSG");

	return v && *v ? v : CRIU_KMSG_DEFAULT;
}

/* --- reading the log -------------------------------------------------- */

/* Errors that only say that an earlier one happened. */
static const char *const consequences[] = {
	"FAILED", "exited, status=", "killed by signal",
};

struct scan {
	int nr;			/* error lines seen */
	int useful;		/* buf holds a line, not a consequence */
	char *buf;
	size_t len;
};

static void scan_line(struct scan *s, const char *line, size_t n)
{
	const char *e = memmem(line, n, "Error (", 7), *msg, *end = line + n;
	int useful = 1;

	if (!e)
		return;
	s->nr++;
	msg = memmem(e, (size_t)(end - e), "): ", 3);
	msg = msg ? msg + 3 : e + 6;
	while (end > msg && (end[-1] == '\n' || end[-1] == '\r' ||
			     end[-1] == ' '))
		end--;
	for (size_t i = 0; i < sizeof(consequences) / sizeof(*consequences);
	     i++)
		if (memmem(msg, (size_t)(end - msg), consequences[i],
			   strlen(consequences[i])))
			useful = 0;
	if (s->useful || (s->nr > 1 && !useful))
		return;
	snprintf(s->buf, s->len, "%.*s", (int)(end - msg), msg);
	s->useful = useful;
}

int criu_log_error(const char *text, char *buf, size_t len)
{
	struct scan s = { .buf = buf, .len = len };

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		scan_line(&s, text, n);
		text += n + !!nl;
	}
	return s.nr;
}

/* criu_log_error() over a file, line by line: -v4 logs are large. */
static int file_error(const char *path, char *buf, size_t len)
{
	struct scan s = { .buf = buf, .len = len };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f = path ? fopen(path, "re") : NULL;

	if (!f)
		return 0;
	while ((n = getline(&line, &cap, f)) > 0)
		scan_line(&s, line, (size_t)n);
	free(line);
	fclose(f);
	return s.nr;
}

static const struct {
	const char *pattern;
	const char *hint;
} hints[] = {
	{ "ptables", "established TCP connections are held with netfilter "
	  "while they move: this kernel needs iptables (--network-lock "
	  "iptables) or nf_tables (--network-lock nftables)" },
	{ "nftables", "established TCP connections are held with netfilter "
	  "while they move: --network-lock nftables needs nf_tables in this "
	  "kernel (CONFIG_NF_TABLES, CONFIG_NF_TABLES_INET)" },
	{ "xternal socket", "a unix socket connects the tree to a process "
	  "outside it: move that process too (--move), or close the socket" },
	{ "Can't open file", "a file the tree had open is missing here: keep "
	  "moved processes' files where both kernels see them" },
	{ "session leader", "the tree shares a session it does not lead: "
	  "start it with setsid" },
	{ "vDSO", "criu cannot work on this kernel (see `criu check`)" },
};

const char *criu_log_hint(const char *text)
{
	for (size_t i = 0; i < sizeof(hints) / sizeof(*hints); i++)
		if (strstr(text, hints[i].pattern))
			return hints[i].hint;
	return NULL;
}

/* --- running it ------------------------------------------------------- */

/*
 * Start criu, stdin from /dev/null, stdout and stderr into out; status_fd
 * (when >= 0) as its CRIU_STATUS_FD, and, for a restore's worker (kmsg),
 * kernel B's log as its CRIU_OUTSIDE_FD. glibc's posix_spawn() reports a
 * failed exec itself: 0 or an errno.
 */
static int spawn_fd(pid_t *pid, char *const argv[], const char *out,
		    int status_fd, bool kmsg)
{
	posix_spawn_file_actions_t fa;
	int ret;

	if (posix_spawn_file_actions_init(&fa))
		return ENOMEM;
	ret = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
					       0) ||
	      posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
					       O_WRONLY | O_CREAT | O_TRUNC,
					       0600) ||
	      posix_spawn_file_actions_adddup2(&fa, 1, 2) ||
	      (status_fd >= 0 &&
	       posix_spawn_file_actions_adddup2(&fa, status_fd,
						CRIU_STATUS_FD)) ||
	      (kmsg &&
	       posix_spawn_file_actions_addopen(&fa, CRIU_OUTSIDE_FD,
						kmsg_path(), O_WRONLY, 0)) ?
	      ENOMEM :
	      posix_spawn(pid, criu_path(), &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return ret;
}

static int spawn(pid_t *pid, char *const argv[], const char *out)
{
	return spawn_fd(pid, argv, out, -1, false);
}

/* Wait for pid, at most ms: 0 when it ended, -1 when it did not. */
static int wait_bounded(pid_t pid, unsigned int ms)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	int r;

	if (pfd < 0)
		return 0;	/* no pidfd (before 5.3): waitpid blocks */
	do
		r = poll(&p, 1, (int)ms);
	while (r < 0 && errno == EINTR);
	close(pfd);
	return r == 0 ? -1 : 0;
}

/* Reap pid (at most timeout_ms, then killed): 0 if it exited 0, else -1. */
static int reap(pid_t pid, const char *log, const char *out,
		unsigned int timeout_ms, char *why, size_t whylen)
{
	int status;

	if (wait_bounded(pid, timeout_ms)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(why, whylen, "criu did not finish within %u ms and "
			 "was killed", timeout_ms);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (file_error(log, why, whylen) || file_error(out, why, whylen))
		return -1;
	if (WIFSIGNALED(status))
		snprintf(why, whylen, "criu was killed by signal %d",
			 WTERMSIG(status));
	else
		snprintf(why, whylen, "criu exited with status %d and logged "
			 "no error", WEXITSTATUS(status));
	return -1;
}

int criu_run(char *const argv[], const char *log, const char *out,
	     unsigned int timeout_ms, char *why, size_t whylen)
{
	pid_t pid;
	int e;

	if (!timeout_ms)
		timeout_ms = CRIU_TIMEOUT_DEFAULT_MS;
	if (log)
		unlink(log);	/* an old log would explain the wrong run */
	e = spawn(&pid, argv, out);
	if (e) {
		snprintf(why, whylen, "cannot run %s: %s", criu_path(),
			 strerror(e));
		return -1;
	}
	return reap(pid, log, out, timeout_ms, why, whylen);
}

/* argv for one tree: the common options after the command's own. */
static int tree_argv(char **argv, int n, const char *log,
		     const struct criu_tree_opts *o)
{
	argv[n++] = "-o";
	argv[n++] = (char *)log;
	argv[n++] = "-v4";
	/* Established connections move with their state (TCP_REPAIR). */
	argv[n++] = "--tcp-established";
	argv[n++] = "--file-locks";
	if (o->shell_job)
		argv[n++] = "--shell-job";
	argv[n] = NULL;
	return n;
}

static int run_tree(char **argv, const char *log,
		    const struct criu_tree_opts *o, char *why, size_t whylen)
{
	char out[4200];

	snprintf(out, sizeof(out), "%s.out", log);
	return criu_run(argv, log, out, o->timeout_ms, why, whylen);
}

/*
 * "--ext-unix-sk=INO,INO": criu leaves exactly those streams behind, and
 * still refuses any other socket whose peer is not in the tree.
 */
static void outside_arg(const struct criu_tree_opts *o, char *buf,
			size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "--ext-unix-sk=");

	for (unsigned int i = 0; i < o->nr_outside && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%lu",
				       i ? "," : "", o->outside[i]);
}

int criu_dump(pid_t pid, const char *dir, const char *log,
	      const struct criu_tree_opts *o, char *why, size_t whylen)
{
	int n;
	char spid[24], ext[CRIU_OUTSIDE_MAX * 21 + 16], *argv[20] = {
		"criu", "dump", "-t", spid, "-D", (char *)dir,
		"--leave-stopped",
	};

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	n = tree_argv(argv, 7, log, o);
	/*
	 * A connection the kernel completed but the service has not yet
	 * accepted has no state criu can take (it is not a socket of the
	 * tree's yet): it is left behind, and its client sees a reset. A busy
	 * listener always has one now and then; without this the whole swap
	 * would roll back for it.
	 */
	argv[n++] = "--skip-in-flight";
	argv[n] = NULL;
	if (o->nr_outside) {
		outside_arg(o, ext, sizeof(ext));
		argv[n++] = ext;
		argv[n] = NULL;
	}
	/* Restore takes the method from the dump's images (and warns). */
	if (o->network_lock) {
		argv[n++] = "--network-lock";
		argv[n++] = (char *)o->network_lock;
		argv[n] = NULL;
	}
	return run_tree(argv, log, o, why, whylen);
}

int criu_restore(const char *dir, const char *log,
		 const struct criu_tree_opts *o, char *why, size_t whylen)
{
	struct criu_swrk s = CRIU_SWRK_INIT;
	char out[4200];

	snprintf(out, sizeof(out), "%s.out", log);
	if (criu_swrk_spawn(&s, out, why, whylen))
		return -1;
	return criu_swrk_restore(&s, dir, log, o, why, whylen);
}

/* --- the service worker ----------------------------------------------- */

int criu_swrk_spawn(struct criu_swrk *s, const char *out, char *why,
		    size_t whylen)
{
	char fdnum[12], *argv[] = { "criu", "swrk", fdnum, NULL };
	int sv[2], e;

	s->pid = 0;
	s->sk = -1;
	snprintf(fdnum, sizeof(fdnum), "%d", CRIU_STATUS_FD);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(why, whylen, "cannot make a socket pair: %s",
			 strerror(errno));
		return -1;
	}
	e = spawn_fd(&s->pid, argv, out, sv[1], true);
	close(sv[1]);
	if (e) {
		close(sv[0]);
		s->pid = 0;
		snprintf(why, whylen, "cannot run %s: %s", criu_path(),
			 strerror(e));
		return -1;
	}
	s->sk = sv[0];
	return 0;
}

void criu_swrk_stop(struct criu_swrk *s)
{
	if (s->sk >= 0)
		close(s->sk);
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
	s->sk = -1;
}

/*
 * Send the request, wait for the answer: 0; -ETIME when none came within
 * timeout_ms, -EPIPE when the worker ended without one, -EBADMSG; why
 * says.
 */
static int swrk_ask(struct criu_swrk *s, const uint8_t *req, size_t n,
		    unsigned int timeout_ms, struct criu_rpc_resp *r,
		    char *why, size_t whylen)
{
	struct pollfd p = { .fd = s->sk, .events = POLLIN };
	uint8_t buf[CRIU_RPC_MAX];
	ssize_t got;
	int ret;

	if (send(s->sk, req, n, MSG_NOSIGNAL) != (ssize_t)n) {
		snprintf(why, whylen, "criu swrk took no request: %s",
			 strerror(errno));
		return -EPIPE;
	}
	do
		ret = poll(&p, 1, (int)timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret == 0) {
		snprintf(why, whylen, "criu did not finish within %u ms and "
			 "was killed", timeout_ms);
		return -ETIME;
	}
	got = recv(s->sk, buf, sizeof(buf), 0);
	if (got <= 0) {
		snprintf(why, whylen, "criu swrk ended without an answer");
		return -EPIPE;
	}
	if (criu_rpc_resp_parse(buf, (size_t)got, r)) {
		snprintf(why, whylen, "criu swrk answered %zd bytes that are "
			 "no response", got);
		return -EBADMSG;
	}
	return 0;
}

/* The request for dir, sent; the answer in *r. As swrk_ask(). */
static int swrk_request(struct criu_swrk *s, const char *dir,
			const struct criu_tree_opts *o,
			unsigned int timeout_ms, struct criu_rpc_resp *r,
			char *why, size_t whylen)
{
	struct criu_rpc_opts ro = {
		.log_level = 4, .log_file = CRIU_SWRK_LOG,
		/* Established connections move with their state. */
		.tcp_established = true, .file_locks = true,
		.shell_job = o->shell_job, .lazy_pages = o->lazy,
		.nr_inherit = o->nr_outside, .inherit_inos = o->outside,
		.inherit_fd = CRIU_OUTSIDE_FD,
	};
	uint8_t req[CRIU_RPC_MAX];
	size_t n;
	int ret;

	/* criu opens it as /proc/OURS/fd/N, while we keep it open. */
	ro.images_dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ro.images_dir_fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", dir,
			 strerror(errno));
		return -ENOENT;
	}
	n = criu_rpc_restore_req(req, sizeof(req), &ro);
	if (n) {
		ret = swrk_ask(s, req, n, timeout_ms, r, why, whylen);
	} else {
		snprintf(why, whylen, "the request for %s is too long", dir);
		ret = -E2BIG;
	}
	close(ro.images_dir_fd);
	return ret;
}

int criu_swrk_restore(struct criu_swrk *s, const char *dir, const char *log,
		      const struct criu_tree_opts *o, char *why, size_t whylen)
{
	unsigned int timeout_ms = o->timeout_ms ? o->timeout_ms :
				  CRIU_TIMEOUT_DEFAULT_MS;
	char dlog[4200], out[4200], asked_why[512] = "";
	struct criu_rpc_resp r = { 0 };
	int asked, ended;

	snprintf(dlog, sizeof(dlog), "%s/%s", dir, CRIU_SWRK_LOG);
	snprintf(out, sizeof(out), "%s.out", log);
	unlink(dlog);	/* an old log would explain the wrong run */
	unlink(log);
	asked = swrk_request(s, dir, o, timeout_ms, &r, asked_why,
			     sizeof(asked_why));
	close(s->sk);
	s->sk = -1;
	/* Having answered, or lost its socket, it ends by itself. */
	if (asked && asked != -EPIPE)
		kill(s->pid, SIGKILL);
	rename(dlog, log);
	ended = reap(s->pid, log, out, timeout_ms, why, whylen);
	s->pid = 0;
	if (!asked && r.success && r.type == CRIU_RPC_RESTORE && !ended)
		return 0;
	if (file_error(log, why, whylen) || file_error(out, why, whylen))
		return -1;
	if (asked == -EPIPE && ended)
		return -1;	/* how it ended, from reap() */
	if (asked)
		snprintf(why, whylen, "%s", asked_why);
	else if (*r.errmsg)
		snprintf(why, whylen, "%s", r.errmsg);
	else if (!r.success || r.type != CRIU_RPC_RESTORE)
		snprintf(why, whylen, "criu restore failed and logged no "
			 "error (errno %d)", (int)r.cr_errno);
	return -1;
}

int criu_lazy_spawn(const char *dir, const char *log, pid_t *pid,
		    int *status, char *why, size_t whylen)
{
	char out[4200], fdnum[12], *argv[] = {
		"criu", "lazy-pages", "-D", (char *)dir, "-o", (char *)log,
		"-v4", "--status-fd", fdnum, NULL,
	};
	int fds[2], e;

	snprintf(fdnum, sizeof(fdnum), "%d", CRIU_STATUS_FD);
	snprintf(out, sizeof(out), "%s.out", log);
	unlink(log);
	*pid = 0;
	*status = -1;
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(why, whylen, "cannot make a pipe: %s",
			 strerror(errno));
		return -1;
	}
	e = spawn_fd(pid, argv, out, fds[1], false);
	close(fds[1]);
	if (e) {
		close(fds[0]);
		*pid = 0;
		snprintf(why, whylen, "cannot run %s: %s", criu_path(),
			 strerror(e));
		return -1;
	}
	*status = fds[0];
	return 0;
}

int criu_lazy_listening(pid_t *pid, int status, const char *log,
			unsigned int timeout_ms, char *why, size_t whylen)
{
	struct pollfd p = { .fd = status, .events = POLLIN };
	char out[4200], c;
	int r;

	if (!timeout_ms)
		timeout_ms = CRIU_TIMEOUT_DEFAULT_MS;
	snprintf(out, sizeof(out), "%s.out", log);
	/* It writes a byte once it listens; EOF without one: it failed. */
	do
		r = poll(&p, 1, (int)timeout_ms);
	while (r < 0 && errno == EINTR);
	r = r > 0 ? (int)read(status, &c, 1) : -2;
	close(status);
	if (r == 1)
		return 0;
	if (r == -2)
		kill(*pid, SIGKILL);
	if (whylen)
		why[0] = '\0';
	reap(*pid, log, out, timeout_ms, why, whylen);
	if (r == -2)
		snprintf(why, whylen, "criu lazy-pages did not listen within "
			 "%u ms and was killed", timeout_ms);
	else if (!*why)
		snprintf(why, whylen, "criu lazy-pages ended before it "
			 "listened");
	*pid = 0;
	return -1;
}

int criu_lazy_start(const char *dir, const char *log, unsigned int timeout_ms,
		    pid_t *pid, char *why, size_t whylen)
{
	int status;

	if (criu_lazy_spawn(dir, log, pid, &status, why, whylen))
		return -1;
	return criu_lazy_listening(pid, status, log, timeout_ms, why, whylen);
}

int criu_lazy_wait(pid_t pid, const char *log, unsigned int timeout_ms,
		   char *why, size_t whylen)
{
	char out[4200];

	snprintf(out, sizeof(out), "%s.out", log);
	if (!timeout_ms)
		timeout_ms = CRIU_TIMEOUT_DEFAULT_MS;
	return reap(pid, log, out, timeout_ms, why, whylen);
}

int criu_check(const char *feature, const char *log, char *why,
	       size_t whylen)
{
	char *argv[] = {
		"criu", "check", feature ? "--feature" : NULL,
		(char *)feature, NULL,
	};

	return criu_run(argv, NULL, log, 10000, why, whylen);
}
