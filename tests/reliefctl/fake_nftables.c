// SPDX-License-Identifier: GPL-2.0
/*
 * fake_nftables.c - libnftables as far as netlock.c uses it, built as
 * libfake-nftables.so for the thaw and hold tests (RELIEF_LIBNFTABLES).
 * Each command is appended to $FAKE_NFT_LOG, followed by "# NAME up" (or
 * down, or missing) when $FAKE_NFT_IF names an interface: its state as
 * the command ran. $FAKE_NFT says how it goes: "ok" (the default),
 * "missing" (no such table) or "denied"; each command first takes the
 * first line of the file $FAKE_NFT_SCRIPT instead, while it has one.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct nft_ctx {
	char err[1200];
};

struct nft_ctx *nft_ctx_new(unsigned int flags);
void nft_ctx_free(struct nft_ctx *c);
int nft_ctx_buffer_error(struct nft_ctx *c);
const char *nft_ctx_get_error_buffer(struct nft_ctx *c);
int nft_run_cmd_from_buffer(struct nft_ctx *c, const char *buf);

struct nft_ctx *nft_ctx_new(unsigned int flags)
{
	(void)flags;
	return calloc(1, sizeof(struct nft_ctx));
}

void nft_ctx_free(struct nft_ctx *c)
{
	free(c);
}

int nft_ctx_buffer_error(struct nft_ctx *c)
{
	(void)c;
	return 0;
}

const char *nft_ctx_get_error_buffer(struct nft_ctx *c)
{
	return c->err;
}

/* How this command goes: the script's next line, or $FAKE_NFT. */
static void how_now(char *how, size_t len)
{
	const char *script = getenv("FAKE_NFT_SCRIPT");
	char text[512] = "";
	FILE *f = script ? fopen(script, "r") : NULL;
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	char *rest = strchr(text, '\n');

	snprintf(how, len, "%s", getenv("FAKE_NFT") ? getenv("FAKE_NFT") :
		 "ok");
	if (f)
		fclose(f);
	if (!n || !rest)
		return;
	*rest++ = '\0';
	snprintf(how, len, "%s", text);
	f = fopen(script, "w");
	if (f) {
		fputs(rest, f);
		fclose(f);
	}
}

static const char *link_state(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const char *state = "missing";

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr))
		state = ifr.ifr_flags & IFF_UP ? "up" : "down";
	if (fd >= 0)
		close(fd);
	return state;
}

int nft_run_cmd_from_buffer(struct nft_ctx *c, const char *buf)
{
	const char *log = getenv("FAKE_NFT_LOG"), *dev = getenv("FAKE_NFT_IF");
	FILE *f = log ? fopen(log, "a") : NULL;
	char how[32];
	int missing;

	how_now(how, sizeof(how));
	missing = !strcmp(how, "missing");
	if (f) {
		fprintf(f, "%s\n", buf);
		if (dev)
			fprintf(f, "# %s %s\n", dev, link_state(dev));
		fclose(f);
	}
	if (!missing && strcmp(how, "denied"))
		return 0;
	snprintf(c->err, sizeof(c->err), "Error: Could not process rule: %s\n"
		 "%s\n", missing ? "No such file or directory" :
		 "Operation not permitted", buf);
	return -1;
}
