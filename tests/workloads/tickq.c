// SPDX-License-Identifier: GPL-2.0
/*
 * tickq - the scenarios' socket client (busybox nc knows no abstract unix
 * sockets). It connects to ADDR, sends LINE and a newline if given, and
 * prints what comes back up to the first newline or the end of the
 * connection. Each step is bounded by a 5 s timeout.
 *
 *   tickq ADDR [LINE]
 *
 * ADDR is @NAME (abstract unix socket, as ticker's), /PATH (unix socket)
 * or IPV4:PORT (TCP, as echo-server's). Exit 0 if a whole line came back,
 * 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timeval tmo = { 5, 0 };
	struct sockaddr_storage ss = { 0 };
	socklen_t alen;
	char buf[512], *colon, *nl;
	size_t have = 0;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: tickq @NAME|/PATH|IPV4:PORT [LINE]\n");
		return 2;
	}
	colon = strrchr(argv[1], ':');
	if (argv[1][0] == '@' || argv[1][0] == '/') {
		struct sockaddr_un *u = (struct sockaddr_un *)&ss;
		size_t len = strlen(argv[1]);

		if (len >= sizeof(u->sun_path))
			return 2;
		u->sun_family = AF_UNIX;
		memcpy(u->sun_path, argv[1], len);
		if (argv[1][0] == '@')
			u->sun_path[0] = '\0';
		alen = offsetof(struct sockaddr_un, sun_path) + len;
	} else if (colon) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		*colon = '\0';
		in->sin_family = AF_INET;
		in->sin_port = htons(strtol(colon + 1, NULL, 10));
		if (inet_pton(AF_INET, argv[1], &in->sin_addr) != 1) {
			fprintf(stderr, "tickq: bad address %s\n", argv[1]);
			return 2;
		}
		alen = sizeof(*in);
	} else {
		fprintf(stderr, "tickq: bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo)) ||
	    connect(fd, (struct sockaddr *)&ss, alen)) {
		fprintf(stderr, "tickq: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (argc == 3) {
		size_t len = strlen(argv[2]);

		argv[2][len] = '\n';	/* its NUL: the line goes out in one */
		if (send(fd, argv[2], len + 1, MSG_NOSIGNAL) != (ssize_t)len + 1) {
			fprintf(stderr, "tickq: send: %s\n", strerror(errno));
			return 1;
		}
	}
	while (have < sizeof(buf) && !memchr(buf, '\n', have)) {
		ssize_t n = recv(fd, buf + have, sizeof(buf) - have, 0);

		if (n <= 0)
			break;
		have += n;
	}
	nl = memchr(buf, '\n', have);
	fwrite(buf, 1, nl ? (size_t)(nl - buf + 1) : have, stdout);
	return nl ? 0 : 1;
}
