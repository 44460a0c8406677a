/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relief_dev.h - /dev/relief, the kernel's relief interface
 * (kernel/relief/uapi/linux/relief.h), in reliefctl's terms. Only
 * relief_dev.c includes the uapi header: its RELIEF_MAX_CPUS (the ioctl's
 * bitmap) is not cpulist.h's (any CPU id Linux can have).
 */
#ifndef RELIEFCTL_RELIEF_DEV_H
#define RELIEFCTL_RELIEF_DEV_H

#include <stdint.h>
#include <sys/types.h>

#define RELIEF_DEV_MAX_CPUS	512	/* CPU ids the ioctl can name */
#define RELIEF_DEV_REHEARSAL	(1u << 0)	/* stop once B qualified */
#define RELIEF_DEV_BAD_VERSION	(1u << 1)	/* test: B sees a bad protocol */
#define RELIEF_DEV_NO_MARKER	(1u << 2)	/* test: B is no relief kernel */
/* Kernel B's console while it runs beside this kernel. */
#define RELIEF_DEV_CONSOLE_AUTO	0u		/* the kernel's choice */
#define RELIEF_DEV_CONSOLE_RING	1u		/* the mailbox ring only */
#define RELIEF_DEV_CONSOLE_UART	0x100u		/* + n: ttyS<n> */
#define RELIEF_DEV_CONSOLE_UART_MAX	0xffu

struct relief_dev_prepare {
	int kernel_fd;
	int initrd_fd;			/* -1: none */
	const char *cmdline;		/* NULL: none */
	uint32_t flags;			/* RELIEF_DEV_* */
	uint32_t timeout_ms;		/* 0: the kernel's default */
	uint32_t transfer_mb;		/* the transfer area; 0: default */
	uint32_t console;		/* RELIEF_DEV_CONSOLE_* */
	uint64_t cpus[RELIEF_DEV_MAX_CPUS / 64];
};

/*
 * The agent's side of /dev/relief (the uapi's relief_agent_req/reply).
 * Ops and results have the uapi's values.
 */
enum relief_dev_agent_op {
	RELIEF_DEV_AGENT_NONE = 0,
	RELIEF_DEV_AGENT_DUMP = 1,	/* old: freeze, dump into the area */
	RELIEF_DEV_AGENT_THAW = 2,	/* old: resume what was dumped */
	RELIEF_DEV_AGENT_RESTORE = 3,	/* new: restore from the area */
	RELIEF_DEV_AGENT_END = 4,	/* the run is over */
	RELIEF_DEV_AGENT_UNPACK = 5,	/* new: unpack now, RESTORE follows */
};

#define RELIEF_DEV_RESULT_DONE		1
#define RELIEF_DEV_RESULT_ABORTED	2
#define RELIEF_DEV_RESULT_ROLLED_BACK	3
#define RELIEF_DEV_WHY_MAX		128	/* reply's why, with its NUL */

struct relief_dev_agent_req {
	uint32_t op;		/* RELIEF_DEV_AGENT_* */
	uint32_t seq;
	uint32_t nr_procs;	/* RESTORE: processes in the image */
	uint64_t area_size;	/* bytes mmap() can map */
	uint64_t image_len;	/* RESTORE: bytes of image in the area */
	uint32_t result;	/* END: RELIEF_DEV_RESULT_* */
	uint32_t reason;	/* END: proto's reason number */
	char reason_name[32];	/* END: its name */
};

struct relief_dev_agent_reply {
	uint32_t seq;
	int32_t status;		/* 0, or a positive errno */
	uint64_t image_len;	/* DUMP */
	uint32_t nr_procs;	/* DUMP */
	char why[RELIEF_DEV_WHY_MAX];
};

/* The new kernel keeps this much of a large region (uapi's name). */
#define RELIEF_DEV_NEW_RAM_MIN_MB	384

/* Open /dev/relief for the agent: the fd (close-on-exec), or -errno. */
int relief_dev_open(void);
/*
 * relief_dev_agent_wait() - RELIEF_IOC_AGENT_WAIT: 0 with *r filled,
 * -EAGAIN when no request came within timeout_ms, -ESRCH when no run is
 * in progress, or another -errno.
 */
int relief_dev_agent_wait(int fd, unsigned int timeout_ms,
			  struct relief_dev_agent_req *r);
/* RELIEF_IOC_AGENT_REPLY: 0 or -errno (-ESRCH: no such request). */
int relief_dev_agent_reply(int fd, const struct relief_dev_agent_reply *r);
/*
 * relief_dev_agent_window() - RELIEF_IOC_AGENT_WINDOW: a read-only device
 * for [offset, offset + len) of the transfer area, its number in *dev;
 * len 0 closes every window. 0 or -errno (-ENOTTY: a kernel without
 * windows).
 */
int relief_dev_agent_window(int fd, uint64_t offset, uint64_t len,
			    dev_t *dev);

#define RELIEF_DEV_WINDOW_APPEND	(1U << 0)
#define RELIEF_DEV_WINDOW_QUERY		(1U << 1)
/* The pages stay where they are; the area holds their frames' list. */
#define RELIEF_DEV_WINDOW_FRAMES	(1U << 2)
#define RELIEF_DEV_WINDOW_UNPLACED	UINT64_MAX

/*
 * relief_dev_agent_window_ex() - the same with flags: APPEND, a writable
 * window placed where the last one ended, in the zone [*offset, *offset +
 * *len) (its number in *dev); QUERY, where the append window *dev's bytes
 * are (*offset, RELIEF_DEV_WINDOW_UNPLACED if never written) and how many
 * (*len). 0 or -errno.
 */
int relief_dev_agent_window_ex(int fd, uint32_t flags, uint64_t *offset,
			       uint64_t *len, dev_t *dev);

/* The kernel's verdict on an image (RELIEF_IOC_CHECK_IMAGE). */
struct relief_dev_check {
	int kernel_fd;
	int initrd_fd;			/* -1: none */
	uint32_t check;			/* out: proto's enum relief_image_err */
};

/*
 * relief_dev_check_image() - the kernel's checks of an image, changing
 * nothing: its signature policy first (-EKEYREJECTED), then relief's
 * (-ENOEXEC, c->check says which); -ENOTTY from a kernel without them.
 */
int relief_dev_check_image(struct relief_dev_check *c);

/* RELIEF_IOC_PREPARE on a fresh open of /dev/relief: 0 or -errno. */
int relief_dev_prepare(const struct relief_dev_prepare *p);
/* RELIEF_IOC_ABORT: 0 or -errno (-ESRCH: nothing to abort). */
int relief_dev_abort(void);

#endif /* RELIEFCTL_RELIEF_DEV_H */
