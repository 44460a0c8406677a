// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mailbox_rtt.c - round-trip latency of the relief mailbox between two
 * host processes.
 *
 *   mailbox_rtt [ITERATIONS]	(default 10000)
 *
 * The parent (OLD role) formats a mailbox in a memfd and forks a child
 * (NEW role) that maps the memfd on its own and attaches, as the two
 * kernels do. The parent then sends HEARTBEAT messages one at a time; the
 * child answers each with a HEARTBEAT carrying the same count. Both sides
 * busy-poll relief_mailbox_recv() (the real proto/ encode, CRC, ring and
 * sequence checks), each wait bounded. One round trip = send, the peer's
 * receive and send, our receive.
 *
 * This is host userspace: it measures the code and the cache-line traffic,
 * not what the kernels see. In the kernels each side polls its ring about
 * every millisecond (OLD: usleep_range(500, 1000), NEW: 1000-2000 us), so
 * an in-kernel round trip is dominated by those poll periods, not by the
 * figures printed here.
 *
 * Output (last line, for tests/bench/relief-boot):
 *   rtt_us n=N min=X median=X p99=X max=X
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create, sched_setaffinity */
#endif
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relief_mailbox.h"
#include "relief_msg.h"

#define RTT_WARMUP	1000		/* round trips not counted */
#define RTT_WAIT_NS	2000000000ull	/* one answer, at most */
#define RTT_MAX_ITERS	10000000

static uint64_t rtt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Pin the calling process to the @nth CPU it may run on, if there is one. */
static void rtt_pin(int nth)
{
	cpu_set_t set, one;
	int cpu, seen = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	if (CPU_COUNT(&set) < 2)
		return;		/* one CPU: the two sides take turns */
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (seen++ == nth) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

static int rtt_send(struct relief_mailbox *mb, enum relief_role role,
		    uint64_t count)
{
	struct relief_msg m;

	memset(&m, 0, sizeof(m));
	m.type = RELIEF_MSG_HEARTBEAT;
	m.u.heartbeat.count = count;
	m.u.heartbeat.now_ns = rtt_now();
	return relief_mailbox_send(mb, role, &m);
}

/*
 * Busy-poll for the next message, for at most RTT_WAIT_NS. Return: 0 with
 * the heartbeat's count in @count, or -1 with @why set.
 */
static int rtt_recv(struct relief_mailbox *mb, enum relief_role role,
		    struct relief_rx *rx, uint64_t *count, const char **why)
{
	uint64_t deadline = 0;
	struct relief_msg m;
	unsigned int spins = 0;
	int ret;

	for (;;) {
		ret = relief_mailbox_recv(mb, role, rx, &m);
		if (ret == 0)
			break;
		if (ret != -RELIEF_RING_EMPTY) {
			*why = ret > 0 ? relief_wire_err_name(ret) :
			       "ring corrupt";
			return -1;
		}
		/* Reading the clock costs more than a poll: every 256th. */
		if (++spins % 256)
			continue;
		if (!deadline)
			deadline = rtt_now() + RTT_WAIT_NS;
		else if (rtt_now() > deadline) {
			*why = "no message within 2 s";
			return -1;
		}
	}
	if (m.type != RELIEF_MSG_HEARTBEAT) {
		*why = "not a HEARTBEAT";
		return -1;
	}
	*count = m.u.heartbeat.count;
	return 0;
}

/* NEW: answer every ping with its own count. Exit status 0 when done. */
static int rtt_child(int fd, long total)
{
	struct relief_mailbox mb;
	struct relief_rx rx;
	const char *why;
	uint64_t count;
	void *mem;
	long i;

	rtt_pin(1);
	mem = mmap(NULL, RELIEF_MAILBOX_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED ||
	    relief_mailbox_attach(&mb, mem, RELIEF_MAILBOX_SIZE) !=
	    RELIEF_MB_OK) {
		fprintf(stderr, "mailbox_rtt: child: cannot attach\n");
		return 1;
	}
	relief_rx_init(&rx);
	for (i = 0; i < total; i++) {
		if (rtt_recv(&mb, RELIEF_ROLE_NEW, &rx, &count, &why)) {
			fprintf(stderr, "mailbox_rtt: child: ping %ld: %s\n",
				i, why);
			return 1;
		}
		if (rtt_send(&mb, RELIEF_ROLE_NEW, count)) {
			fprintf(stderr, "mailbox_rtt: child: cannot answer\n");
			return 1;
		}
	}
	return 0;
}

static int rtt_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Wait for the child, bounded; kill it if it outlives the bound. */
static int rtt_reap(pid_t pid)
{
	uint64_t deadline = rtt_now() + RTT_WAIT_NS;
	int st;

	while (waitpid(pid, &st, WNOHANG) != pid) {
		if (rtt_now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fprintf(stderr, "mailbox_rtt: child hung: killed\n");
			return 1;
		}
		usleep(1000);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static double rtt_us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i;
	struct relief_mailbox mb;
	struct relief_rx rx;
	const char *why;
	uint64_t *rtt, t0, count;
	void *mem;
	pid_t pid;
	int fd, bad = 0;

	if (n < 1 || n > RTT_MAX_ITERS) {
		fprintf(stderr, "usage: mailbox_rtt [ITERATIONS 1-%d]\n",
			RTT_MAX_ITERS);
		return 2;
	}
	rtt = calloc((size_t)n, sizeof(*rtt));
	fd = memfd_create("relief-mailbox-rtt", 0);
	if (!rtt || fd < 0 || ftruncate(fd, RELIEF_MAILBOX_SIZE)) {
		perror("mailbox_rtt: setup");
		return 1;
	}
	mem = mmap(NULL, RELIEF_MAILBOX_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED ||
	    relief_mailbox_init(mem, RELIEF_MAILBOX_SIZE) != RELIEF_MB_OK ||
	    relief_mailbox_attach(&mb, mem, RELIEF_MAILBOX_SIZE) !=
	    RELIEF_MB_OK) {
		fprintf(stderr, "mailbox_rtt: cannot format the mailbox\n");
		return 1;
	}
	relief_rx_init(&rx);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("mailbox_rtt: fork");
		return 1;
	}
	if (pid == 0)
		_exit(rtt_child(fd, n + RTT_WARMUP));
	rtt_pin(0);

	for (i = -RTT_WARMUP; i < n; i++) {
		t0 = rtt_now();
		if (rtt_send(&mb, RELIEF_ROLE_OLD, (uint64_t)(i + RTT_WARMUP))) {
			fprintf(stderr, "mailbox_rtt: cannot send ping\n");
			bad = 1;
			break;
		}
		if (rtt_recv(&mb, RELIEF_ROLE_OLD, &rx, &count, &why)) {
			fprintf(stderr, "mailbox_rtt: ping %ld: %s\n", i, why);
			bad = 1;
			break;
		}
		if (count != (uint64_t)(i + RTT_WARMUP)) {
			fprintf(stderr, "mailbox_rtt: ping %ld: answer %llu\n",
				i, (unsigned long long)count);
			bad = 1;
			break;
		}
		if (i >= 0)
			rtt[i] = rtt_now() - t0;
	}
	if (bad)
		kill(pid, SIGKILL);
	if (rtt_reap(pid) || bad)
		return 1;

	qsort(rtt, (size_t)n, sizeof(*rtt), rtt_cmp);
	printf("mailbox_rtt: host userspace, 2 processes, real proto/ mailbox in a memfd, busy-poll (not in-kernel: the kernels poll every 0.5-2 ms)\n");
	printf("rtt_us n=%ld min=%.2f median=%.2f p99=%.2f max=%.2f\n", n,
	       rtt_us(rtt[0]), rtt_us(rtt[n / 2]),
	       rtt_us(rtt[(n * 99) / 100]),
	       rtt_us(rtt[n - 1]));
	free(rtt);
	return 0;
}
