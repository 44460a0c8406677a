// SPDX-License-Identifier: GPL-2.0
/* reliefctl status - does this kernel speak relief, and which version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reliefctl.h"

const char *reliefctl_sysfs_dir(void)
{
	const char *dir = getenv("RELIEF_SYSFS");

	return dir && *dir ? dir : RELIEF_SYSFS_DEFAULT;
}

int cmd_status(int argc, char **argv)
{
	int json = argc > 1 && !strcmp(argv[1], "--json");
	char path[512], version[128] = "";
	FILE *f;

	if (argc > 1 && !json) {
		fprintf(stderr, "reliefctl status: unknown option '%s'\n", argv[1]);
		return RELIEFCTL_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/version", reliefctl_sysfs_dir());
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "reliefctl: this kernel has no relief support "
			"(%s: %s); boot a kernel built with CONFIG_RELIEF=y\n",
			path, strerror(errno));
		return RELIEFCTL_EXIT_REFUSED;
	}
	if (!fgets(version, sizeof(version), f))
		version[0] = '\0';
	fclose(f);
	version[strcspn(version, "\n")] = '\0';
	if (json)
		printf("{\"kernel\": \"%s\"}\n", version);
	else
		printf("kernel relief: %s\n", version);
	return RELIEFCTL_EXIT_OK;
}
