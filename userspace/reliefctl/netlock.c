// SPDX-License-Identifier: GPL-2.0
/* netlock.c - criu's netfilter locks off thawed connections, B's hold. */
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

/* --- nftables, through libnftables ------------------------------------ */

/* libnftables, loaded when needed: criu links it, reliefctl does not. */
struct nft {
	void *h;
	void *ctx;
	void (*ctx_free)(void *ctx);
	const char *(*error_text)(void *ctx);
	int (*run_cmd)(void *ctx, const char *cmd);
};

static const char *nft_lib(void)
{
	const char *lib = getenv("RELIEF_LIBNFTABLES");

	return lib && *lib ? lib : NETLOCK_LIBNFTABLES;
}

/* A context: 1; 0 without libnftables, -1 when it is none; why says. */
static int nft_open(struct nft *n, char *why, size_t whylen)
{
	void *(*ctx_new)(unsigned int flags);
	int (*buffer_error)(void *ctx);

	memset(n, 0, sizeof(*n));
	n->h = dlopen(nft_lib(), RTLD_NOW);
	if (!n->h) {
		snprintf(why, whylen, "%s", dlerror());
		return 0;
	}
	*(void **)&ctx_new = dlsym(n->h, "nft_ctx_new");
	*(void **)&n->ctx_free = dlsym(n->h, "nft_ctx_free");
	*(void **)&buffer_error = dlsym(n->h, "nft_ctx_buffer_error");
	*(void **)&n->error_text = dlsym(n->h, "nft_ctx_get_error_buffer");
	*(void **)&n->run_cmd = dlsym(n->h, "nft_run_cmd_from_buffer");
	n->ctx = ctx_new && n->ctx_free && buffer_error && n->error_text &&
		 n->run_cmd ? ctx_new(0) : NULL;
	if (!n->ctx) {
		snprintf(why, whylen, "%s: not a usable libnftables",
			 nft_lib());
		dlclose(n->h);
		n->h = NULL;
		return -1;
	}
	buffer_error(n->ctx);
	return 1;
}

/* A context nft_open() made. */
static void nft_close(struct nft *n)
{
	n->ctx_free(n->ctx);
	dlclose(n->h);
	memset(n, 0, sizeof(*n));
}

/*
 * Run cmd (what: how to name it): 0; 1 when what it names is not there,
 * -1 otherwise, with why.
 */
static int nft_run(struct nft *n, const char *cmd, const char *what,
		   char *why, size_t whylen)
{
	const char *e;

	if (!n->run_cmd(n->ctx, cmd))
		return 0;
	e = n->error_text(n->ctx);
	snprintf(why, whylen, "nft %s: %.*s", what, (int)strcspn(e, "\n"), e);
	return strstr(e, "No such file") ? 1 : -1;
}

int netlock_unlock_nftables(pid_t root, char *why, size_t whylen)
{
	struct nft n;
	char cmd[64];
	int ret = nft_open(&n, why, whylen);

	if (ret <= 0)
		return ret;
	snprintf(cmd, sizeof(cmd), "delete table inet CRIU-%d", (int)root);
	ret = nft_run(&n, cmd, cmd, why, whylen);
	nft_close(&n);
	/* Deleted: 1; not there: 0. */
	return ret < 0 ? -1 : !ret;
}

/* --- the new kernel's hold -------------------------------------------- */

/* The hold's context: the table it made lives no longer (flags owner). */
static struct nft hold;

/* A name nftables matches as it is, within quotes: no '"', '\\', '*'. */
static bool hold_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= NETLOCK_IFNAMSIZ)
		return false;
	for (const unsigned char *c = (const void *)name; *c; c++)
		if (*c <= ' ' || *c >= 0x7f || strchr("\"\\*", *c))
			return false;
	return true;
}

/*
 * Make the table named with cmd in *ctx, whose context then owns it (it
 * is opened if need be): one there already goes first. 0, or -1 with
 * why, and then *ctx is closed.
 */
static int owned_make(struct nft *ctx, const char *table, const char *cmd,
		      char *why, size_t whylen)
{
	char del[64], what[64];

	if (!ctx->ctx && nft_open(ctx, why, whylen) <= 0)
		return -1;
	snprintf(del, sizeof(del), "delete table %s", table);
	snprintf(what, sizeof(what), "add table %s", table);
	if (nft_run(ctx, del, del, why, whylen) < 0 ||
	    nft_run(ctx, cmd, what, why, whylen)) {
		nft_close(ctx);
		return -1;
	}
	return 0;
}

/* Delete the table *ctx made, then close *ctx: 0, or -1 with why. */
static int owned_delete(struct nft *ctx, const char *table, char *why,
			size_t whylen)
{
	char del[64];

	if (!ctx->ctx)
		return 0;
	snprintf(del, sizeof(del), "delete table %s", table);
	if (nft_run(ctx, del, del, why, whylen) < 0)
		return -1;
	nft_close(ctx);
	return 0;
}

int netlock_hold(const char *const names[], unsigned int n, char *why,
		 size_t whylen)
{
	char cmd[512 + NETLOCK_HOLD_MAX * (NETLOCK_IFNAMSIZ + 4)];
	size_t len;

	if (!n || n > NETLOCK_HOLD_MAX) {
		snprintf(why, whylen, "%u interfaces: from 1 to %d", n,
			 NETLOCK_HOLD_MAX);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++)
		if (!hold_name_ok(names[i])) {
			snprintf(why, whylen, "interface '%s': not a name "
				 "nftables matches", names[i]);
			return -1;
		}
	/*
	 * One there already goes first: this process's after a release that
	 * failed, or one made without an owner (the kernel gives none to a
	 * table that exists). The new one drops all that comes in on the
	 * interfaces, before conntrack (-200) and criu's own lock see it.
	 */
	len = (size_t)snprintf(cmd, sizeof(cmd),
		"add table " NETLOCK_HOLD_TABLE " { flags owner; }\n"
		"add chain " NETLOCK_HOLD_TABLE " input { type filter hook "
		"input priority %d; policy accept; }\n"
		"add rule " NETLOCK_HOLD_TABLE " input iifname {",
		NETLOCK_HOLD_PRIORITY);
	for (unsigned int i = 0; i < n; i++)
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len,
					"%s \"%s\"", i ? "," : "", names[i]);
	snprintf(cmd + len, sizeof(cmd) - len, " } drop");
	return owned_make(&hold, NETLOCK_HOLD_TABLE, cmd, why, whylen);
}

int netlock_release(char *why, size_t whylen)
{
	return owned_delete(&hold, NETLOCK_HOLD_TABLE, why, whylen);
}

/* --- the old kernel's drain ------------------------------------------- */

static struct nft drain;

int netlock_drain(const uint16_t *ports, unsigned int n, char *why,
		  size_t whylen)
{
	char cmd[512 + NETLOCK_DRAIN_MAX * 8];
	size_t len;

	if (!n || n > NETLOCK_DRAIN_MAX) {
		snprintf(why, whylen, "%u ports: from 1 to %d", n,
			 NETLOCK_DRAIN_MAX);
		return -1;
	}
	/*
	 * A SYN alone (no ACK: not a SYN-ACK of a connection out) to one of
	 * the ports is dropped: its client sends it again, by when the port
	 * listens in kernel B. All else passes, the handshakes under way
	 * too, so that they complete and are accepted before the freeze.
	 */
	len = (size_t)snprintf(cmd, sizeof(cmd),
		"add table " NETLOCK_DRAIN_TABLE " { flags owner; }\n"
		"add chain " NETLOCK_DRAIN_TABLE " input { type filter hook "
		"input priority %d; policy accept; }\n"
		"add rule " NETLOCK_DRAIN_TABLE " input tcp dport {",
		NETLOCK_HOLD_PRIORITY);
	for (unsigned int i = 0; i < n; i++)
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, "%s %u",
					i ? "," : "", (unsigned int)ports[i]);
	snprintf(cmd + len, sizeof(cmd) - len,
		 " } tcp flags & (syn | ack) == syn drop");
	return owned_make(&drain, NETLOCK_DRAIN_TABLE, cmd, why, whylen);
}

int netlock_undrain(char *why, size_t whylen)
{
	return owned_delete(&drain, NETLOCK_DRAIN_TABLE, why, whylen);
}
