// SPDX-License-Identifier: GPL-2.0
/*
 * nft-run - run nftables commands in the guest, which has no nft command
 * but has libnftables (criu links it). Not a workload: a helper the
 * benchmarks run. tests/bench/downtime restores a TCP connection in a
 * freshly booted kernel; from the moment eth0 has its address until the
 * socket is back, a segment the host retransmits would be answered with a
 * reset. A drop rule holds the connection meanwhile, as criu's own lock
 * does within one kernel.
 *
 *   nft-run 'add table inet x; ...'
 *
 * Exit 0 when libnftables ran the commands, 1 otherwise (its own message
 * on stderr).
 */
#include <dlfcn.h>
#include <stdio.h>

struct nft_ctx;

int main(int argc, char **argv)
{
	struct nft_ctx *(*ctx_new)(unsigned int flags);
	int (*run)(struct nft_ctx *ctx, const char *buf);
	void (*ctx_free)(struct nft_ctx *ctx);
	struct nft_ctx *ctx;
	void *h;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: nft-run 'COMMANDS'\n");
		return 2;
	}
	h = dlopen("libnftables.so.1", RTLD_NOW);
	if (!h) {
		fprintf(stderr, "nft-run: %s\n", dlerror());
		return 1;
	}
	*(void **)&ctx_new = dlsym(h, "nft_ctx_new");
	*(void **)&run = dlsym(h, "nft_run_cmd_from_buffer");
	*(void **)&ctx_free = dlsym(h, "nft_ctx_free");
	if (!ctx_new || !run || !ctx_free) {
		fprintf(stderr, "nft-run: libnftables.so.1 lacks its API\n");
		return 1;
	}
	ctx = ctx_new(0);
	if (!ctx) {
		fprintf(stderr, "nft-run: nft_ctx_new failed\n");
		return 1;
	}
	rc = run(ctx, argv[1]);
	ctx_free(ctx);
	return rc ? 1 : 0;
}
