/* SPDX-License-Identifier: GPL-2.0 */
/*
 * criu_run.h - running the criu binary (fork/exec, not libcriu: the guest
 * carries the binary, and a crashing criu cannot take the agent down) and
 * saying in one line why a run failed, from criu's own log.
 *
 * The binary is /usr/sbin/criu unless RELIEF_CRIU names another (tests
 * point it at a fake); kernel B's log, /dev/kmsg unless RELIEF_KMSG names
 * another file.
 */
#ifndef RELIEFCTL_CRIU_RUN_H
#define RELIEFCTL_CRIU_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CRIU_DEFAULT		"/usr/sbin/criu"
#define CRIU_KMSG_DEFAULT	"/dev/kmsg"
#define CRIU_TIMEOUT_DEFAULT_MS	60000
#define CRIU_STATUS_FD		3	/* criu lazy-pages --status-fd */
/*
 * A restore's workers hold kernel B's log here: the file criu puts in
 * place of each stream whose peer stayed with A (criu_tree_opts.outside).
 */
#define CRIU_OUTSIDE_FD		4
#define CRIU_OUTSIDE_MAX	32	/* such streams in one tree */

/* The criu binary to run: $RELIEF_CRIU, else CRIU_DEFAULT. */
const char *criu_path(void);

/* How a tree is dumped and restored; both sides must agree. */
struct criu_tree_opts {
	bool shell_job;		/* the root is not its session's leader */
	const char *network_lock;	/* dump: iptables, nftables; NULL: criu's */
	unsigned int timeout_ms;	/* 0: CRIU_TIMEOUT_DEFAULT_MS */
	bool lazy;		/* restore: --lazy-pages (criu_lazy_start) */
	/*
	 * Unix streams whose peer is not in the tree (unixsk.h), by inode:
	 * a dump leaves them behind (--ext-unix-sk), a restore puts the
	 * worker's CRIU_OUTSIDE_FD in their place (inherit-fd).
	 */
	unsigned int nr_outside;
	const unsigned long *outside;
};

/*
 * criu_run() - run criu with argv (argv[0] is ignored: criu_path() is
 * run), stdin from /dev/null, stdout and stderr into out (log and out
 * start empty: an old log would explain the wrong run). Waits at
 * most timeout_ms, then kills it. Returns 0 when it exited 0; else -1
 * with one line in why: the first useful "Error (...)" line of the log
 * files given (log, then out; either may be NULL), or how criu ended.
 */
int criu_run(char *const argv[], const char *log, const char *out,
	     unsigned int timeout_ms, char *why, size_t whylen);

/*
 * criu_dump() - `criu dump -t PID -D DIR --leave-stopped ...` with its log
 * in log (and criu's own output in log + ".out"). On success the tree is
 * left stopped; on failure criu let it run on. 0 or -1 with why.
 */
int criu_dump(pid_t pid, const char *dir, const char *log,
	      const struct criu_tree_opts *o, char *why, size_t whylen);

/*
 * criu_restore() - restore the tree dumped in DIR, detached, with its
 * old pids, through a criu service worker started for it (the same as
 * criu_swrk_spawn() then criu_swrk_restore()). 0 or -1 with why.
 */
int criu_restore(const char *dir, const char *log,
		 const struct criu_tree_opts *o, char *why, size_t whylen);

/*
 * A criu service worker, `criu swrk FD`: criu started ahead of its work,
 * waiting for one request (criu_rpc.h) on a socket. Starting criu (its
 * exec, the dynamic linking of its libraries) costs about 70 ms under
 * TCG; a worker started before the pause takes that off it.
 */
struct criu_swrk {
	pid_t pid;		/* 0: none */
	int sk;			/* our end of its socket; -1: none */
};

#define CRIU_SWRK_INIT		{ .pid = 0, .sk = -1 }
#define CRIU_SWRK_LOG		"restore.log"	/* in DIR, then moved */

/*
 * criu_swrk_spawn() - start a worker, its stdout and stderr into out, and
 * kernel B's log (RELIEF_KMSG) open for writing as its
 * CRIU_OUTSIDE_FD. 0, or -1 with why (then s is none).
 */
int criu_swrk_spawn(struct criu_swrk *s, const char *out, char *why,
		    size_t whylen);

/*
 * criu_swrk_restore() - the worker s restores the tree dumped in dir, as
 * `criu restore -D DIR --restore-detached -v4 --tcp-established
 * --file-locks` would, with o's --shell-job and --lazy-pages. criu logs
 * into DIR (a lazy restore finds its daemon's socket there, so DIR is its
 * work directory), and the log is then moved to log. Waits for the answer
 * at most o->timeout_ms, and for the worker to end; s is none afterwards.
 * 0 once criu says the tree runs and exits 0; else -1 with why: the log's
 * first useful error, criu's own message, or how the worker ended.
 */
int criu_swrk_restore(struct criu_swrk *s, const char *dir, const char *log,
		      const struct criu_tree_opts *o, char *why,
		      size_t whylen);

/* criu_swrk_stop() - a worker that will get no request: killed, reaped. */
void criu_swrk_stop(struct criu_swrk *s);

/*
 * criu_lazy_start() - `criu lazy-pages -D DIR`, the daemon a lazy restore
 * (criu_tree_opts.lazy) of DIR connects to: it fills the pages the
 * restore left out from DIR's images, each as the restored processes
 * touch it (userfaultfd), the rest in the background, and exits once all
 * are in. Returns 0 once it listens (a byte on its --status-fd), with
 * its pid in *pid, to be reaped by criu_lazy_wait(); -1 with why when it
 * did not start or did not listen within timeout_ms (0: the default).
 */
int criu_lazy_start(const char *dir, const char *log, unsigned int timeout_ms,
		    pid_t *pid, char *why, size_t whylen);

/*
 * criu_lazy_spawn() - the first half of criu_lazy_start(): start the
 * daemon and return at once, with its pid in *pid and the read end of
 * its --status-fd in *status, for criu_lazy_listening(). Its start-up
 * (the exec, criu's own set-up) then overlaps whatever the caller does
 * meanwhile. 0, or -1 with why (nothing started, *pid 0, *status -1).
 */
int criu_lazy_spawn(const char *dir, const char *log, pid_t *pid,
		    int *status, char *why, size_t whylen);

/*
 * criu_lazy_listening() - the second half: wait at most timeout_ms (0:
 * the default) for the daemon *pid to listen; status is closed. 0 once
 * it does; else it is killed if need be and reaped, *pid is 0, and -1
 * with why.
 */
int criu_lazy_listening(pid_t *pid, int status, const char *log,
			unsigned int timeout_ms, char *why, size_t whylen);

/*
 * criu_lazy_wait() - wait at most timeout_ms for the daemon pid to end
 * (killed after that): 0 if it filled everything and exited 0, else -1
 * with why. The restored processes cannot go on without the pages it
 * did not fill.
 */
int criu_lazy_wait(pid_t pid, const char *log, unsigned int timeout_ms,
		   char *why, size_t whylen);

/*
 * criu_check() - `criu check`: can criu work on this kernel at all; with
 * feature, `criu check --feature FEATURE`: can it do that here.
 */
int criu_check(const char *feature, const char *log, char *why,
	       size_t whylen);

/*
 * criu_log_error() - the line that says why, from criu's log text: the
 * first "Error (file:line): MESSAGE" whose MESSAGE is not a mere
 * consequence ("Dumping FAILED.", "exited, status=1"...), else the first
 * of any, as MESSAGE alone. Returns the number of error lines found;
 * nothing is written to buf when there are none.
 */
int criu_log_error(const char *text, char *buf, size_t len);

/*
 * criu_log_hint() - what an operator can do about a failure whose log is
 * text, or NULL: established TCP connections with no netfilter to lock
 * them, unix sockets or files reaching outside the tree...
 */
const char *criu_log_hint(const char *text);

#endif /* RELIEFCTL_CRIU_RUN_H */
