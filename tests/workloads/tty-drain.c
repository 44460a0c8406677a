// SPDX-License-Identifier: GPL-2.0
/*
 * tty-drain - wait until a terminal has sent everything written to it.
 *
 *   tty-drain [TTY] [BOUND_S]
 *
 * Not a workload but a guest tool packed the same way: the guest's init
 * runs it before `reboot -f`, whose reset would otherwise cut off what the
 * console's UART still had to send (kernel B polls its UART, a few KiB a
 * second, so the verdict can wait seconds behind a long log). Default
 * /dev/console, 30 s; exit 1 with a message if it does not drain in time.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	static const char msg[] = "tty-drain: the terminal did not drain in time\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

int main(int argc, char **argv)
{
	const char *tty = argc > 1 ? argv[1] : "/dev/console";
	unsigned int bound = argc > 2 ? (unsigned int)atoi(argv[2]) : 30;
	int fd = open(tty, O_WRONLY | O_NOCTTY);

	if (fd < 0) {
		perror(tty);
		return 1;
	}
	signal(SIGALRM, on_alarm);
	alarm(bound ? bound : 30);
	if (tcdrain(fd)) {
		perror("tcdrain");
		return 1;
	}
	return 0;
}
