// SPDX-License-Identifier: GPL-2.0
/* netlock.c - take criu's netfilter locks off thawed connections (netlock.h). */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlock.h"

/* criu's mark for its own packets: they pass its rules. */
#define NETLOCK_SOCCR_MARK	"0xC114"

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(file, sizeof(file), "%.*s/%s", (int)n, path, name);
		if (n && !access(file, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

bool netlock_have_iptables(void)
{
	return in_path("iptables") || in_path("iptables-legacy");
}

/* Run argv quietly; its exit status, 127 when it cannot run, or -1. */
static int run(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int status, ret;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	ret = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR,
					       0) ||
	      posix_spawn_file_actions_adddup2(&fa, 0, 1) ||
	      posix_spawn_file_actions_adddup2(&fa, 0, 2) ? -1 :
	      posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return ret == ENOENT ? 127 : -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* An address as criu wrote it: v4-mapped v6 as plain v4. */
static int addr_text(const struct sockaddr_storage *ss, char *buf, size_t len,
		     int *port, bool *v6)
{
	const struct sockaddr_in6 *s6 = (const void *)ss;
	const struct sockaddr_in *s4 = (const void *)ss;

	if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		*v6 = false;
		*port = ntohs(s6->sin6_port);
		return inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf,
				 (socklen_t)len) ? 0 : -1;
	}
	*v6 = ss->ss_family == AF_INET6;
	*port = ntohs(*v6 ? s6->sin6_port : s4->sin_port);
	return inet_ntop(ss->ss_family, *v6 ? (const void *)&s6->sin6_addr :
			 (const void *)&s4->sin_addr, buf, (socklen_t)len) ?
	       0 : -1;
}

int netlock_unlock_iptables(int sk, char *why, size_t whylen)
{
	struct sockaddr_storage l, p;
	socklen_t ll = sizeof(l), pl = sizeof(p);
	char la[64], pa[64], lp[8], pp[8], cmd[32];
	int lport, pport;
	bool v6, pv6;

	if (getsockname(sk, (struct sockaddr *)&l, &ll) ||
	    getpeername(sk, (struct sockaddr *)&p, &pl) ||
	    addr_text(&l, la, sizeof(la), &lport, &v6) ||
	    addr_text(&p, pa, sizeof(pa), &pport, &pv6)) {
		snprintf(why, whylen, "the connection's addresses: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(lp, sizeof(lp), "%d", lport);
	snprintf(pp, sizeof(pp), "%d", pport);
	/* The same iptables as criu: the legacy one when there is one. */
	snprintf(cmd, sizeof(cmd), "%s%s", v6 ? "ip6tables" : "iptables",
		 in_path(v6 ? "ip6tables-legacy" : "iptables-legacy") ?
		 "-legacy" : "");
	for (int input = 1; input >= 0; input--) {
		char *argv[] = {
			cmd, "-w", "5", "-t", "filter", "-D",
			input ? "INPUT" : "OUTPUT", "--protocol", "tcp",
			"-m", "mark", "!", "--mark", NETLOCK_SOCCR_MARK,
			"--source", input ? pa : la, "--sport", input ? pp : lp,
			"--destination", input ? la : pa,
			"--dport", input ? lp : pp, "-j", "DROP", NULL,
		};
		int ret = run(argv);

		if (ret) {
			snprintf(why, whylen, "%s -D %s for %s:%s-%s:%s: %s", cmd,
				 argv[6], la, lp, pa, pp, ret == 127 ?
				 "not installed" : "failed");
			return -1;
		}
	}
	return 0;
}

int netlock_unlock_nftables(pid_t root, char *why, size_t whylen)
{
	const char *lib = getenv("RELIEF_LIBNFTABLES");
	void *h = dlopen(lib && *lib ? lib : NETLOCK_LIBNFTABLES, RTLD_NOW);
	void *(*ctx_new)(unsigned int flags);
	void (*ctx_free)(void *ctx);
	int (*buffer_error)(void *ctx);
	const char *(*error_text)(void *ctx);
	int (*run_cmd)(void *ctx, const char *cmd);
	char cmd[64];
	void *nft;
	int ret = 0;

	if (!h)
		return 0;
	*(void **)&ctx_new = dlsym(h, "nft_ctx_new");
	*(void **)&ctx_free = dlsym(h, "nft_ctx_free");
	*(void **)&buffer_error = dlsym(h, "nft_ctx_buffer_error");
	*(void **)&error_text = dlsym(h, "nft_ctx_get_error_buffer");
	*(void **)&run_cmd = dlsym(h, "nft_run_cmd_from_buffer");
	nft = ctx_new && ctx_free && buffer_error && error_text && run_cmd ?
	      ctx_new(0) : NULL;
	if (!nft) {
		snprintf(why, whylen, "%s: not a usable libnftables",
			 lib && *lib ? lib : NETLOCK_LIBNFTABLES);
		dlclose(h);
		return -1;
	}
	buffer_error(nft);
	snprintf(cmd, sizeof(cmd), "delete table inet CRIU-%d", (int)root);
	if (!run_cmd(nft, cmd)) {
		ret = 1;
	} else if (!strstr(error_text(nft), "No such file")) {
		snprintf(why, whylen, "nft %s: %.*s", cmd,
			 (int)strcspn(error_text(nft), "\n"), error_text(nft));
		ret = -1;
	}
	ctx_free(nft);
	dlclose(h);
	return ret;
}
