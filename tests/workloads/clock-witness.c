// SPDX-License-Identifier: GPL-2.0
/*
 * clock-witness - a process that watches its clocks across a swap. It
 * detaches (detach.h), prints its pid, and then every 10 ms reads
 * CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME and keeps:
 *
 *  - how often each went backwards;
 *  - the largest step of CLOCK_MONOTONIC (the pause, as this process saw
 *    it) and when it ended;
 *  - the largest difference between the steps of REALTIME and MONOTONIC,
 *    and of BOOTTIME and MONOTONIC, in one iteration: all three advance by
 *    the real time that passed, so across a pause that a time namespace
 *    hid, or a wall clock that started again, these grow;
 *  - sleeps that returned early (nanosleep, poll and epoll timeouts in
 *    turn are the 10 ms waits).
 *
 * SIGUSR2 arms, DEADLINE_MS from then: a timerfd on CLOCK_MONOTONIC and
 * one on CLOCK_REALTIME (absolute), a POSIX timer on CLOCK_MONOTONIC and
 * ITIMER_REAL (periodic, see arm()); for each it keeps how late it first
 * fired (negative: early) and
 * whether it was armed before the largest step and fired after it (it
 * crossed the pause). SIGUSR1 writes one line to FILE (replacing it):
 *
 *   witness pid P iter N back M/B/R gap_ms G skew_real_ms S skew_boot_ms K
 *   early_sleeps E timerfd L/C timerfd_real L/C posix L/C itimer L/C
 *
 * L is the lateness in ms ("pending" before it fired), C 1 if it crossed.
 *
 *   clock-witness FILE [DEADLINE_MS]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "detach.h"

#define TICK_NS		10000000LL
#define MS		1000000LL

enum { T_TIMERFD, T_TIMERFD_REAL, T_POSIX, T_ITIMER, T_COUNT };
static const char *const t_name[T_COUNT] = {
	"timerfd", "timerfd_real", "posix", "itimer",
};

struct timer_state {
	int64_t due;		/* CLOCK_MONOTONIC when it should fire */
	int64_t armed;		/* when it was armed; 0: not armed */
	volatile int64_t fired;	/* when it fired; 0: not yet */
};

static struct timer_state timers[T_COUNT];
static volatile sig_atomic_t want_report, want_arm;
static int64_t gap, gap_end, skew_real, skew_boot;
static long back[3], early, iter;

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_usr1(int sig)
{
	(void)sig;
	want_report = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	want_arm = 1;
}

/* clock_gettime() is async-signal-safe. */
static void on_timer(int sig)
{
	int t = sig == SIGALRM ? T_ITIMER : T_POSIX;

	if (!timers[t].fired)
		timers[t].fired = now_ns(CLOCK_MONOTONIC);
}

static void arm(int tfd, int tfd_real, timer_t posix, int64_t deadline)
{
	int64_t mono = now_ns(CLOCK_MONOTONIC), real = now_ns(CLOCK_REALTIME);
	struct itimerspec at = { 0 };
	struct itimerval it = { 0 };
	int t;

	for (t = 0; t < T_COUNT; t++) {
		timers[t].armed = mono;
		timers[t].due = mono + deadline;
		timers[t].fired = 0;
	}
	at.it_value.tv_sec = (mono + deadline) / 1000000000LL;
	at.it_value.tv_nsec = (mono + deadline) % 1000000000LL;
	timerfd_settime(tfd, TFD_TIMER_ABSTIME, &at, NULL);
	timer_settime(posix, TIMER_ABSTIME, &at, NULL);
	at.it_value.tv_sec = (real + deadline) / 1000000000LL;
	at.it_value.tv_nsec = (real + deadline) % 1000000000LL;
	timerfd_settime(tfd_real, TFD_TIMER_ABSTIME, &at, NULL);
	/*
	 * Periodic: criu (3.17, and its decode_itimer() still) restores an
	 * ITIMER_REAL with no interval as disarmed, so a one-shot one would
	 * be lost across any checkpoint and restore. Only the first expiry
	 * counts here.
	 */
	it.it_value.tv_sec = deadline / 1000000000LL;
	it.it_value.tv_usec = deadline % 1000000000LL / 1000;
	it.it_interval = it.it_value;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void report(const char *file)
{
	char line[1024], part[64];
	int n, t, fd;

	n = snprintf(line, sizeof(line), "witness pid %d iter %ld back %ld/%ld/%ld "
		     "gap_ms %lld skew_real_ms %lld skew_boot_ms %lld "
		     "early_sleeps %ld", (int)getpid(), iter, back[0], back[1],
		     back[2], (long long)(gap / MS),
		     (long long)(skew_real / MS), (long long)(skew_boot / MS),
		     early);
	for (t = 0; t < T_COUNT; t++) {
		const struct timer_state *s = &timers[t];

		if (!s->armed || !s->fired)
			snprintf(part, sizeof(part), " %s pending", t_name[t]);
		else
			snprintf(part, sizeof(part), " %s %lld/%d", t_name[t],
				 (long long)((s->fired - s->due) / MS),
				 s->armed < gap_end - gap && s->fired >= gap_end);
		n += snprintf(line + n, sizeof(line) - n, "%s", part);
	}
	snprintf(line + n, sizeof(line) - n, "\n");
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		perror("write");
	fsync(fd);
	close(fd);
}

/* One 10 ms wait, by nanosleep, poll or epoll in turn; early ones count. */
static void wait_tick(int ep, int tfd)
{
	struct timespec ts = { 0, TICK_NS };
	struct epoll_event ev[2];
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	uint64_t n;
	int i, got = 0;

	switch (iter % 3) {
	case 0:
		if (nanosleep(&ts, NULL) && errno == EINTR)
			return;
		break;
	case 1:
		if (poll(NULL, 0, TICK_NS / MS) < 0)
			return;
		break;
	default:
		got = epoll_wait(ep, ev, 2, TICK_NS / MS);
		if (got < 0)
			return;
		for (i = 0; i < got; i++) {
			int fd = ev[i].data.fd;
			int t = fd == tfd ? T_TIMERFD : T_TIMERFD_REAL;

			if (read(fd, &n, sizeof(n)) == sizeof(n) &&
			    !timers[t].fired)
				timers[t].fired = now_ns(CLOCK_MONOTONIC);
		}
		if (got)
			return;
		break;
	}
	if (now_ns(CLOCK_MONOTONIC) - t0 < TICK_NS)
		early++;
}

static int64_t absdiff(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

static void watch(const char *file, int64_t deadline)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sigevent se = { .sigev_notify = SIGEV_SIGNAL };
	int64_t m0, b0, r0, m, b, r;
	timer_t posix;
	int ep, tfd, tfd_real;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	tfd_real = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	se.sigev_signo = SIGRTMIN;
	if (tfd < 0 || tfd_real < 0 || ep < 0 ||
	    timer_create(CLOCK_MONOTONIC, &se, &posix)) {
		perror("clock-witness: timers");
		exit(1);
	}
	ev.data.fd = tfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.fd = tfd_real;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd_real, &ev);
	m0 = now_ns(CLOCK_MONOTONIC);
	b0 = now_ns(CLOCK_BOOTTIME);
	r0 = now_ns(CLOCK_REALTIME);
	for (;; iter++) {
		wait_tick(ep, tfd);
		m = now_ns(CLOCK_MONOTONIC);
		b = now_ns(CLOCK_BOOTTIME);
		r = now_ns(CLOCK_REALTIME);
		back[0] += m < m0;
		back[1] += b < b0;
		back[2] += r < r0;
		if (m - m0 > gap) {
			gap = m - m0;
			gap_end = m;
		}
		if (absdiff(r - r0, m - m0) > skew_real)
			skew_real = absdiff(r - r0, m - m0);
		if (absdiff(b - b0, m - m0) > skew_boot)
			skew_boot = absdiff(b - b0, m - m0);
		m0 = m;
		b0 = b;
		r0 = r;
		if (want_arm) {
			want_arm = 0;
			arm(tfd, tfd_real, posix, deadline);
		}
		if (want_report) {
			want_report = 0;
			report(file);
		}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	int64_t deadline = 20000 * MS;
	int ready;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: clock-witness FILE [DEADLINE_MS]\n");
		return 2;
	}
	if (argc == 3)
		deadline = strtoll(argv[2], NULL, 10) * MS;
	ready = detach_start();
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_timer;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
	detach_quiet();
	detach_ready(ready);
	watch(argv[1], deadline);
	return 0;
}
