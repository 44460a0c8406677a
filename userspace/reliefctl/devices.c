// SPDX-License-Identifier: GPL-2.0
/* devices.c - the devices a swap hands over, and what lies on them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "kstate.h"

int devices_read(struct devlist *dl, char *why, size_t whylen)
{
	char path[1024], line[256];
	FILE *f;

	dl->nr = 0;
	snprintf(path, sizeof(path), "%s/devices", reliefctl_sysfs_dir());
	f = fopen(path, "re");
	if (!f) {
		int ret = errno == ENOENT ? 0 : -errno;

		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[DEVICES_NAME + 1];

		if (sscanf(line, "%32s", name) != 1)
			continue;
		if (strlen(name) >= DEVICES_NAME || dl->nr >= DEVICES_MAX) {
			snprintf(why, whylen, "%s: more than %d devices, or a "
				 "name longer than %d bytes", path, DEVICES_MAX,
				 DEVICES_NAME - 1);
			fclose(f);
			return -E2BIG;
		}
		memcpy(dl->name[dl->nr++], name, strlen(name) + 1);
	}
	fclose(f);
	return 0;
}

int devices_owner(const struct devlist *dl, const char *rel, char *base,
		  size_t baselen)
{
	char path[1024], real[PATH_MAX], *comp, *save = NULL, *last = NULL;
	int found = -1;

	snprintf(path, sizeof(path), "%s/%s", reliefctl_sys_dir(), rel);
	if (!dl->nr || !realpath(path, real))
		return -1;
	for (comp = strtok_r(real, "/", &save); comp;
	     comp = strtok_r(NULL, "/", &save)) {
		last = comp;
		for (unsigned int i = 0; found < 0 && i < dl->nr; i++)
			if (!strcmp(comp, dl->name[i]))
				found = (int)i;
	}
	if (found >= 0 && base)
		snprintf(base, baselen, "%s", last);
	return found;
}
