// SPDX-License-Identifier: GPL-2.0
/*
 * echo-server - a TCP echo service whose open connections a full swap must
 * keep: the host holds one open through QEMU's port forward while the
 * process moves to the new kernel (tests/vm/host-echo.py).
 *
 * One process: it detaches (detach.h: own session, no tty, fds 0-2 on
 * /dev/null), prints its pid once it listens on PORT (all IPv4 addresses),
 * and sends back whatever each client sends, up to MAX_CLIENTS at once.
 *
 * The state a checkpoint/restore must keep: the listening socket and each
 * established connection with its sequence numbers and queued data (CRIU
 * needs --tcp-established for those), the poll set in memory, the pid.
 * It holds no data of its own: a byte read is written back before the next
 * read on that connection.
 *
 * With MB it also holds MB MiB of anonymous memory, every page written
 * (a pattern, not zeros) before it says it is ready, so that a checkpoint
 * carries that much (tests/bench/downtime: the pause against memory). A
 * client that sends exactly "?mem\n" gets the memory checked by a child
 * instead of an echo (the others' echoes go on meanwhile): "intact MB MiB", or "corrupt at OFFSET" for the first word that
 * differs (full-swap: the pages B read from A's frames are the right ones,
 * in the right places). The pattern is a different 64-bit word every 64
 * bytes, zeros between.
 *
 *   echo-server PORT [MB]
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "detach.h"

#define MAX_CLIENTS 16

/* Write all of buf; false if the connection is gone. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		buf += n;
		len -= n;
	}
	return 1;
}

static unsigned char *mem;
static size_t mem_len;

static uint64_t mark(size_t off)
{
	return (uint64_t)(off / 64 + 1) * 0x9e3779b97f4a7c15ULL;
}

/* Hold mb MiB, every page written; 0 on success. */
static int hold_memory(unsigned long mb)
{
	size_t len = (size_t)mb << 20, i;
	unsigned char *p;

	if (!mb)
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	for (i = 0; i < len; i += 64)
		memcpy(p + i, &(uint64_t){ mark(i) }, 8);
	mem = p;
	mem_len = len;
	return 0;
}

/* "?mem": the verdict on the held memory, as a line into out. */
static int check_memory(char *out, size_t size)
{
	for (size_t i = 0; i < mem_len; i += 8) {
		uint64_t w, want = i % 64 ? 0 : mark(i);

		memcpy(&w, mem + i, 8);
		if (w != want)
			return snprintf(out, size, "corrupt at %zu\n", i);
	}
	return snprintf(out, size, "intact %zu MiB\n", mem_len >> 20);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct pollfd pf[1 + MAX_CLIENTS];
	int ready, lfd, one = 1, i, n = 1;
	unsigned long mb = 0;
	char *end;
	long port;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: echo-server PORT [MB]\n");
		return 2;
	}
	port = strtol(argv[1], NULL, 10);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "echo-server: bad PORT %s\n", argv[1]);
		return 2;
	}
	if (argc == 3) {
		mb = strtoul(argv[2], &end, 10);
		if (*end || !*argv[2] || mb > 65536) {
			fprintf(stderr, "echo-server: bad MB %s\n", argv[2]);
			return 2;
		}
	}
	ready = detach_start();
	if (hold_memory(mb)) {
		fprintf(stderr, "echo-server: %lu MiB: %s\n", mb, strerror(errno));
		return 1;
	}
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 8)) {
		fprintf(stderr, "echo-server: port %ld: %s\n", port,
			strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* "?mem" checkers reap themselves */
	detach_quiet();
	detach_ready(ready);

	pf[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	for (;;) {
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (i = n - 1; i >= 1; i--) {
			char buf[4096];
			ssize_t got;

			if (!pf[i].revents)
				continue;
			got = recv(pf[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (got == 5 && !memcmp(buf, "?mem\n", 5)) {
				/* A child checks, so that echoes go on. */
				if (!fork()) {
					got = check_memory(buf, sizeof(buf));
					_exit(!send_all(pf[i].fd, buf, got));
				}
				continue;
			}
			if (got > 0 && send_all(pf[i].fd, buf, got))
				continue;
			/* EOF or error: drop it, the last entry takes its place. */
			close(pf[i].fd);
			pf[i] = pf[--n];
		}
		if (pf[0].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0 && n < 1 + MAX_CLIENTS)
				pf[n++] = (struct pollfd){ .fd = c,
							   .events = POLLIN };
			else if (c >= 0)
				close(c);
		}
	}
}
