// SPDX-License-Identifier: GPL-2.0
/* relief_dev.c - the /dev/relief ioctls, from reliefctl's structures. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/relief.h>

#include "paths.h"
#include "relief_dev.h"
#include "sysio.h"

/* reliefctl's result numbers are the kernel's. */
static_assert(RELIEF_DEV_RESULT_DONE == RELIEF_AGENT_RESULT_DONE, "result");
static_assert(RELIEF_DEV_RESULT_ABORTED == RELIEF_AGENT_RESULT_ABORTED,
	      "result");
static_assert(RELIEF_DEV_RESULT_ROLLED_BACK ==
	      RELIEF_AGENT_RESULT_ROLLED_BACK, "result");

static_assert(RELIEF_DEV_MAX_CPUS == RELIEF_MAX_CPUS, "uapi bitmap size");
static_assert(RELIEF_DEV_REHEARSAL == RELIEF_PREPARE_REHEARSAL, "flag");
static_assert(RELIEF_DEV_BAD_VERSION == RELIEF_PREPARE_BAD_VERSION, "flag");
static_assert(RELIEF_DEV_NO_MARKER == RELIEF_PREPARE_NO_MARKER, "flag");
static_assert(RELIEF_DEV_CONSOLE_AUTO == RELIEF_CONSOLE_AUTO, "console");
static_assert(RELIEF_DEV_CONSOLE_RING == RELIEF_CONSOLE_RING, "console");
static_assert(RELIEF_DEV_CONSOLE_UART == RELIEF_CONSOLE_UART, "console");
static_assert(RELIEF_DEV_CONSOLE_UART_MAX == RELIEF_CONSOLE_UART_MAX,
	      "console");
static_assert((int)RELIEF_DEV_AGENT_DUMP == (int)RELIEF_AGENT_DUMP, "op");
static_assert((int)RELIEF_DEV_AGENT_THAW == (int)RELIEF_AGENT_THAW, "op");
static_assert((int)RELIEF_DEV_AGENT_RESTORE == (int)RELIEF_AGENT_RESTORE, "op");
static_assert((int)RELIEF_DEV_AGENT_END == (int)RELIEF_AGENT_END, "op");
static_assert((int)RELIEF_DEV_AGENT_UNPACK == (int)RELIEF_AGENT_UNPACK, "op");
static_assert(RELIEF_DEV_WHY_MAX ==
	      sizeof(((struct relief_agent_reply *)0)->why), "why");
static_assert(sizeof(((struct relief_dev_agent_req *)0)->reason_name) ==
	      sizeof(((struct relief_agent_req *)0)->reason_name), "name");

static_assert(RELIEF_DEV_WINDOW_APPEND == RELIEF_WINDOW_APPEND, "append");
static_assert(RELIEF_DEV_WINDOW_QUERY == RELIEF_WINDOW_QUERY, "query");
static_assert(RELIEF_DEV_WINDOW_FRAMES == RELIEF_WINDOW_FRAMES, "frames");
static_assert(RELIEF_DEV_NEW_RAM_MIN_MB == RELIEF_NEW_RAM_MIN_MB,
	      "RELIEF_NEW_RAM_MIN_MB");

static int dev_ioctl(unsigned long req, void *arg)
{
	int fd = open(reliefctl_dev_path(), O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = reliefctl_ioctl(fd, req, arg);
	close(fd);
	return ret < 0 ? ret : 0;
}

int relief_dev_prepare(const struct relief_dev_prepare *p)
{
	struct relief_prepare k;

	memset(&k, 0, sizeof(k));
	k.kernel_fd = p->kernel_fd;
	k.initrd_fd = p->initrd_fd;
	if (p->cmdline) {
		k.cmdline = (__u64)(uintptr_t)p->cmdline;
		k.cmdline_len = (__u32)strlen(p->cmdline) + 1;
	}
	k.flags = p->flags;
	k.timeout_ms = p->timeout_ms;
	k.transfer_mb = p->transfer_mb;
	k.console = p->console;
	memcpy(k.cpus, p->cpus, sizeof(k.cpus));
	return dev_ioctl(RELIEF_IOC_PREPARE, &k);
}

int relief_dev_check_image(struct relief_dev_check *c)
{
	struct relief_check_image k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.kernel_fd = c->kernel_fd;
	k.initrd_fd = c->initrd_fd;
	ret = dev_ioctl(RELIEF_IOC_CHECK_IMAGE, &k);
	c->check = k.check;
	return ret;
}

int relief_dev_abort(void)
{
	return dev_ioctl(RELIEF_IOC_ABORT, NULL);
}

int relief_dev_open(void)
{
	int fd = open(reliefctl_dev_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int relief_dev_agent_wait(int fd, unsigned int timeout_ms,
			  struct relief_dev_agent_req *r)
{
	struct relief_agent_req k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.timeout_ms = timeout_ms;
	ret = reliefctl_ioctl(fd, RELIEF_IOC_AGENT_WAIT, &k);
	if (ret < 0)
		return ret;
	memset(r, 0, sizeof(*r));
	r->op = k.op;
	r->seq = k.seq;
	r->nr_procs = k.nr_procs;
	r->area_size = k.area_size;
	r->image_len = k.image_len;
	r->result = k.result;
	r->reason = k.reason;
	/* The kernel's string, NUL-terminated here whatever it sent. */
	memcpy(r->reason_name, k.reason_name, sizeof(r->reason_name) - 1);
	return 0;
}

int relief_dev_agent_window(int fd, uint64_t offset, uint64_t len,
			    dev_t *dev)
{
	return relief_dev_agent_window_ex(fd, 0, &offset, &len, dev);
}

int relief_dev_agent_window_ex(int fd, uint32_t flags, uint64_t *offset,
			       uint64_t *len, dev_t *dev)
{
	struct relief_agent_window k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.offset = *offset;
	k.len = *len;
	k.flags = flags;
	if (flags & RELIEF_DEV_WINDOW_QUERY) {
		k.major = major(*dev);
		k.minor = minor(*dev);
	}
	ret = reliefctl_ioctl(fd, RELIEF_IOC_AGENT_WINDOW, &k);
	if (ret < 0)
		return ret;
	*offset = k.offset;
	*len = k.len;
	if (dev && !(flags & RELIEF_DEV_WINDOW_QUERY))
		*dev = makedev(k.major, k.minor);
	return 0;
}

int relief_dev_agent_reply(int fd, const struct relief_dev_agent_reply *r)
{
	struct relief_agent_reply k;
	int ret;

	memset(&k, 0, sizeof(k));
	k.seq = r->seq;
	k.status = r->status;
	k.image_len = r->image_len;
	k.nr_procs = r->nr_procs;
	snprintf(k.why, sizeof(k.why), "%s", r->why);
	ret = reliefctl_ioctl(fd, RELIEF_IOC_AGENT_REPLY, &k);
	return ret < 0 ? ret : 0;
}
