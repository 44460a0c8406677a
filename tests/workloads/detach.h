/* SPDX-License-Identifier: GPL-2.0 */
/*
 * detach.h - how a workload that moves across a swap leaves its caller.
 *
 * CRIU dumps a process tree whole: a session leader, a controlling tty or
 * an open file outside the tree would each stop the dump. So a movable
 * workload forks, and the child starts a session of its own, works from /,
 * keeps no fd of the caller's beyond 0-2, and points 0-2 at /dev/null once
 * it is set up. The caller's process prints the child's pid on stdout and
 * exits 0 only when the child says it is ready (listening, ticking), so
 * `pid=$(workload ...)` both names the workload and waits for it, and an
 * error before that point still reaches the caller's stderr.
 */
#ifndef WORKLOAD_DETACH_H
#define WORKLOAD_DETACH_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * detach_start() - fork; return, in the detached child, the fd on which to
 * say "ready" (detach_ready()). The caller's process never returns: it
 * prints the child's pid and exits 0 once the child is ready, 1 if the
 * child exits or closes the fd first.
 */
static int detach_start(void)
{
	sigset_t none;
	char c;
	int p[2];
	pid_t pid;

	/* Fds 0-2 open, so that neither pipe end is one of them. */
	while ((p[0] = open("/dev/null", O_RDWR)) >= 0 && p[0] <= 2)
		;
	if (p[0] > 2)
		close(p[0]);
	if (pipe2(p, O_CLOEXEC)) {
		perror("pipe");
		exit(1);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1) {
			waitpid(pid, NULL, 0);
			exit(1);
		}
		printf("%d\n", (int)pid);
		exit(fflush(stdout) ? 1 : 0);
	}
	close(p[0]);
	/* Nothing of the caller's but 0-2 and our pipe end goes with us. */
	if (p[1] > 3)
		close_range(3, p[1] - 1, 0);
	close_range(p[1] + 1, ~0U, 0);
	if (setsid() < 0) {
		perror("setsid");
		exit(1);
	}
	if (chdir("/")) {
		perror("chdir /");
		exit(1);
	}
	/* A shell starts background jobs with SIGINT ignored: undo that. */
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return p[1];
}

/* detach_quiet() - fds 0-2 to /dev/null: no tty, nothing of the caller's. */
static void detach_quiet(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0) {
		perror("/dev/null");
		exit(1);
	}
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* detach_ready() - tell the caller's process we are set up; it exits 0. */
static void detach_ready(int fd)
{
	char c = 'r';

	if (write(fd, &c, 1) != 1)
		exit(1);
	close(fd);
}

#endif
