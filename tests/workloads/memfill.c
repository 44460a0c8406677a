// SPDX-License-Identifier: GPL-2.0
/*
 * memfill - a witness for "the new kernel touches only what it was lent":
 * it fills MB mebibytes of its memory with a pattern derived from each
 * word's offset, and on SIGUSR1 checks every word and appends the verdict
 * to FILE ("intact N MiB" or "corrupt at offset X"). A stray write by
 * another kernel anywhere in those pages shows up as corruption.
 *
 *   memfill MB FILE
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t check_requested;

static void on_usr1(int sig)
{
	(void)sig;
	check_requested = 1;
}

static uint64_t pattern(size_t i)
{
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29) ^ 0x5a5a5a5a5a5a5a5aULL;
}

static int report(const char *path, const char *line)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -1;
	fprintf(f, "%s\n", line);
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	size_t mb, words, i;
	uint64_t *mem;
	char line[96];
	sigset_t none;

	if (argc != 3) {
		fprintf(stderr, "usage: memfill MB FILE\n");
		return 2;
	}
	mb = strtoul(argv[1], NULL, 10);
	words = mb * 1024 * 1024 / sizeof(uint64_t);
	mem = mmap(NULL, words * sizeof(uint64_t), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "memfill: %zu MiB: %s\n", mb, strerror(errno));
		return 1;
	}
	for (i = 0; i < words; i++)
		mem[i] = pattern(i);
	/* Blocked except inside sigsuspend(): no request slips past. */
	sigemptyset(&none);
	sigaddset(&none, SIGUSR1);
	sigprocmask(SIG_BLOCK, &none, NULL);
	sigemptyset(&none);
	sigaction(SIGUSR1, &sa, NULL);
	snprintf(line, sizeof(line), "filled %zu MiB", mb);
	if (report(argv[2], line))
		return 1;
	for (;;) {
		while (!check_requested)
			sigsuspend(&none);
		check_requested = 0;
		for (i = 0; i < words && mem[i] == pattern(i); i++)
			;
		if (i == words)
			snprintf(line, sizeof(line), "intact %zu MiB", mb);
		else
			snprintf(line, sizeof(line), "corrupt at offset %zu",
				 i * sizeof(uint64_t));
		if (report(argv[2], line))
			return 1;
	}
}
