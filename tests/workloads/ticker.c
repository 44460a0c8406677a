// SPDX-License-Identifier: GPL-2.0
/*
 * ticker - a small process tree whose state a full swap must carry over
 * intact. It detaches (detach.h: own session, no tty, fds 0-2 on
 * /dev/null), prints its pid, and runs as two processes:
 *
 *  - the parent: an interval timer (ITIMER_REAL, TICK_MS) whose SIGALRM
 *    handler counts ticks; for each tick the main loop writes the next
 *    sequence number (1, 2, 3, ...) into a pipe, and appends it as a line
 *    to FILE when one is given. It listens on a unix socket (SOCKET:
 *    "@name" is abstract, anything else a path); each client that connects
 *    gets one line and is closed:
 *      pid P child C seq N gaps G handler H read R usr1 U
 *    N is the last number written, R the last one the child read, G how
 *    many numbers the child read that were not the previous plus one, H 1
 *    if both processes still have their SIGUSR1 handler installed (asked
 *    with sigaction), U how many SIGUSR1 both have handled. C is 0 once
 *    the child has exited.
 *  - the child: reads the pipe and checks the sequence.
 *
 * The state a checkpoint/restore must keep: the timer (its interval and
 * what is left of the current one), the signal handlers and mask, the
 * pipe with whatever is still in it, the listening socket, a MAP_SHARED
 * anonymous page through which the child reports (struct ticker_shared),
 * the parent/child relation, the pids, and the heap and stack counters.
 *
 *   ticker SOCKET [TICK_MS [FILE]]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "detach.h"

/* What the child reports, in a page shared with the parent. */
struct ticker_shared {
	uint64_t read;		/* last number read */
	uint64_t gaps;		/* numbers that were not read + 1 */
	uint64_t usr1;		/* SIGUSR1s the child handled */
	uint32_t handler_ok;	/* the child's SIGUSR1 handler is ours */
};

static volatile sig_atomic_t ticks;
static volatile sig_atomic_t usr1_seen;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

static void install(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL)) {
		perror("sigaction");
		exit(1);
	}
}

/* Is on_usr1 still what SIGUSR1 runs, with the flags we gave it? */
static int usr1_handler_ok(void)
{
	struct sigaction sa;

	if (sigaction(SIGUSR1, NULL, &sa))
		return 0;
	return sa.sa_handler == on_usr1 && !(sa.sa_flags & SA_SIGINFO);
}

static void child(int fd, struct ticker_shared *sh)
{
	unsigned char buf[512];
	uint64_t last = 0, gaps = 0;
	size_t have = 0, off;
	ssize_t n;

	for (;;) {
		__atomic_store_n(&sh->handler_ok, usr1_handler_ok(),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&sh->usr1, (uint64_t)usr1_seen,
				 __ATOMIC_RELAXED);
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n == 0)
			exit(0);	/* the parent is gone */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			exit(1);
		}
		have += n;
		for (off = 0; off + sizeof(uint64_t) <= have;
		     off += sizeof(uint64_t)) {
			uint64_t v;

			memcpy(&v, buf + off, sizeof(v));
			if (v != last + 1)
				gaps++;
			last = v;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
		__atomic_store_n(&sh->gaps, gaps, __ATOMIC_RELAXED);
		__atomic_store_n(&sh->read, last, __ATOMIC_RELEASE);
	}
}

static int listen_on(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t len = strlen(name);
	socklen_t alen;
	int fd;

	if (len >= sizeof(a.sun_path)) {
		fprintf(stderr, "ticker: socket name %s too long\n", name);
		exit(2);
	}
	memcpy(a.sun_path, name, len);
	if (name[0] == '@')
		a.sun_path[0] = '\0';	/* abstract: no file to carry over */
	else
		unlink(name);
	alen = offsetof(struct sockaddr_un, sun_path) + len;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, alen) || listen(fd, 8)) {
		fprintf(stderr, "ticker: %s: %s\n", name, strerror(errno));
		exit(1);
	}
	return fd;
}

static void answer(int lfd, pid_t *kid, uint64_t seq,
		   const struct ticker_shared *sh)
{
	char line[160];
	int c, len, status;

	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	if (*kid > 0 && waitpid(*kid, &status, WNOHANG) == *kid)
		*kid = 0;
	len = snprintf(line, sizeof(line),
		       "pid %d child %d seq %llu gaps %llu handler %d read %llu usr1 %llu\n",
		       (int)getpid(), (int)*kid, (unsigned long long)seq,
		       (unsigned long long)__atomic_load_n(&sh->gaps,
							   __ATOMIC_RELAXED),
		       usr1_handler_ok() &&
		       __atomic_load_n(&sh->handler_ok, __ATOMIC_RELAXED),
		       (unsigned long long)__atomic_load_n(&sh->read,
							   __ATOMIC_ACQUIRE),
		       (unsigned long long)usr1_seen +
		       __atomic_load_n(&sh->usr1, __ATOMIC_RELAXED));
	/* A client that left early is not told. */
	send(c, line, len, MSG_NOSIGNAL);
	close(c);
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 100 * 1000 }, { 0, 100 * 1000 } };
	struct ticker_shared *sh;
	sigset_t block, during;
	uint64_t seq = 0;
	int ready, lfd, p[2], out = -1;
	pid_t kid;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: ticker SOCKET [TICK_MS [FILE]]\n");
		return 2;
	}
	if (argc > 2) {
		long ms = strtol(argv[2], NULL, 10);

		if (ms <= 0) {
			fprintf(stderr, "ticker: bad TICK_MS %s\n", argv[2]);
			return 2;
		}
		it.it_interval.tv_sec = ms / 1000;
		it.it_interval.tv_usec = (ms % 1000) * 1000;
		it.it_value = it.it_interval;
	}
	ready = detach_start();
	if (argc > 3) {
		out = open(argv[3], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			   0644);
		if (out < 0) {
			fprintf(stderr, "ticker: %s: %s\n", argv[3],
				strerror(errno));
			return 1;
		}
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pipe2(p, O_CLOEXEC)) {
		perror("ticker: mmap/pipe");
		return 1;
	}
	sh->handler_ok = 1;
	lfd = listen_on(argv[1]);
	install(SIGUSR1, on_usr1);
	signal(SIGPIPE, SIG_IGN);	/* a dead child shows as EPIPE */
	detach_quiet();
	kid = fork();
	if (kid < 0)
		return 1;
	if (kid == 0) {
		close(ready);
		close(lfd);
		close(p[1]);
		if (out >= 0)
			close(out);
		child(p[0], sh);
	}
	close(p[0]);
	/* Never block on a child that stopped reading: retry on POLLOUT. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);

	/* SIGALRM only inside ppoll(): no tick slips between test and wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &during);
	sigdelset(&during, SIGALRM);
	install(SIGALRM, on_alarm);
	if (setitimer(ITIMER_REAL, &it, NULL))
		return 1;
	detach_ready(ready);

	for (;;) {
		struct pollfd pf[2] = {
			{ .fd = lfd, .events = POLLIN },
			{ .fd = p[1], .events = 0 },
		};

		while (seq < (uint64_t)ticks) {
			uint64_t next = seq + 1;
			char line[32];
			int len;

			if (p[1] >= 0 &&
			    write(p[1], &next, sizeof(next)) != sizeof(next)) {
				if (errno != EPIPE)
					break;	/* full: 8 bytes go whole or not */
				close(p[1]);	/* the child is gone */
				p[1] = -1;
			}
			seq = next;
			len = snprintf(line, sizeof(line), "%llu\n",
				       (unsigned long long)seq);
			if (out >= 0 && write(out, line, len) != len)
				return 1;
		}
		pf[1].fd = p[1];
		if (seq < (uint64_t)ticks)
			pf[1].events = POLLOUT;
		if (ppoll(pf, 2, NULL, &during) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pf[0].revents & POLLIN)
			answer(lfd, &kid, seq, sh);
	}
}
