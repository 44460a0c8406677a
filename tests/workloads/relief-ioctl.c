// SPDX-License-Identifier: GPL-2.0
/*
 * relief-ioctl - ask the kernel about an image with no reliefctl in
 * between, so a scenario can see the kernel's own checks refuse what
 * reliefctl would have refused first (the second line of defence):
 *
 *   relief-ioctl check IMAGE [INITRD]     RELIEF_IOC_CHECK_IMAGE
 *   relief-ioctl prepare IMAGE [INITRD]   RELIEF_IOC_PREPARE, a rehearsal
 *                                         lending CPU 3 (abort it after)
 *
 * Prints "errno N (NAME) check C" and exits 0 if the kernel accepted the
 * request, 1 if it refused it, 2 on a usage or open error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/relief.h>

static int open_ro(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "relief-ioctl: %s: %s\n", path, strerror(errno));
	return fd;
}

int main(int argc, char **argv)
{
	struct relief_check_image c = { .initrd_fd = -1 };
	struct relief_prepare p = { .initrd_fd = -1 };
	int dev, ret, e;

	if (argc < 3 || argc > 4 ||
	    (strcmp(argv[1], "check") && strcmp(argv[1], "prepare"))) {
		fprintf(stderr, "usage: relief-ioctl check|prepare IMAGE "
			"[INITRD]\n");
		return 2;
	}
	dev = open(RELIEF_DEVICE, O_RDWR | O_CLOEXEC);
	c.kernel_fd = p.kernel_fd = open_ro(argv[2]);
	if (argc == 4)
		c.initrd_fd = p.initrd_fd = open_ro(argv[3]);
	if (dev < 0 || c.kernel_fd < 0 || (argc == 4 && c.initrd_fd < 0)) {
		if (dev < 0)
			perror("relief-ioctl: " RELIEF_DEVICE);
		return 2;
	}
	if (!strcmp(argv[1], "check")) {
		ret = ioctl(dev, RELIEF_IOC_CHECK_IMAGE, &c);
	} else {
		p.flags = RELIEF_PREPARE_REHEARSAL;
		p.cpus[0] = 1u << 3;
		ret = ioctl(dev, RELIEF_IOC_PREPARE, &p);
	}
	e = ret ? errno : 0;
	printf("errno %d (%s) check %u\n", e, e ? strerror(e) : "none",
	       c.check);
	return ret ? 1 : 0;
}
