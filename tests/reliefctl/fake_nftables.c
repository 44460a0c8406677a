// SPDX-License-Identifier: GPL-2.0
/*
 * fake_nftables.c - libnftables as far as netlock.c uses it, built as
 * libfake-nftables.so for the thaw tests (RELIEF_LIBNFTABLES). Each
 * command is appended to $FAKE_NFT_LOG; $FAKE_NFT says how it goes: "ok"
 * (the default), "missing" (no such table) or "denied".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nft_ctx {
	char err[128];
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

int nft_run_cmd_from_buffer(struct nft_ctx *c, const char *buf)
{
	const char *how = getenv("FAKE_NFT"), *log = getenv("FAKE_NFT_LOG");
	FILE *f = log ? fopen(log, "a") : NULL;

	if (f) {
		fprintf(f, "%s\n", buf);
		fclose(f);
	}
	if (!how || !strcmp(how, "ok"))
		return 0;
	snprintf(c->err, sizeof(c->err), "Error: Could not process rule: %s\n"
		 "%s\n", strcmp(how, "missing") ? "Operation not permitted" :
		 "No such file or directory", buf);
	return -1;
}
