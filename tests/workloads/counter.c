// SPDX-License-Identifier: GPL-2.0
/*
 * counter - a workload whose state must survive a swap: it counts, keeps
 * the count in memory, and on each tick appends it to a file, so a test can
 * check that the sequence continues without a gap or a restart.
 *
 *   counter FILE [TICK_MS]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	unsigned long long n = 0;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: counter FILE [TICK_MS]\n");
		return 2;
	}
	if (argc > 2) {
		long ms = strtol(argv[2], NULL, 10);

		tick.tv_sec = ms / 1000;
		tick.tv_nsec = (ms % 1000) * 1000 * 1000;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0) {
		fprintf(stderr, "counter: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (;;) {
		char line[32];
		int len = snprintf(line, sizeof(line), "%llu\n", ++n);

		if (write(fd, line, len) != len)
			return 1;
		nanosleep(&tick, NULL);
	}
}
