// SPDX-License-Identifier: GPL-2.0
/*
 * reliefctl - the operator's tool: command dispatch and the common options.
 * Each command lives in a cmd_<name>.c of its own.
 */
#include <stdio.h>
#include <string.h>

#include "reliefctl.h"
#include "relief_msg.h"
#include "relief_version.h"

static const struct reliefctl_cmd commands[] = {
	{ "status", "show whether this kernel speaks relief, and its state",
	  cmd_status },
	{ "plan", "show which CPUs and memory a new kernel would get, and why",
	  cmd_plan },
	{ "swap", "start a new kernel beside this one and follow the swap",
	  cmd_swap },
	{ "abort", "end the swap in progress; this kernel takes all back",
	  cmd_abort },
	{ "agent", "the new kernel's side: restore the processes that move",
	  cmd_agent },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: reliefctl [--version] [--help] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return RELIEFCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("reliefctl %s (protocol %d-%d)\n", RELIEF_VERSION,
		       RELIEF_PROTO_VERSION_MIN, RELIEF_PROTO_VERSION_MAX);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "reliefctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return RELIEFCTL_EXIT_USAGE;
}
