/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * relief uapi: the interface between reliefctl and the running kernel.
 *
 * Laid into the kernel tree as include/uapi/linux/relief.h. A swap is
 * prepared with one ioctl on /dev/relief (the image and initrd go in as
 * file descriptors, so the kernel reads and checks them itself, as
 * kexec_file_load does); its progress is read from /sys/kernel/relief/.
 */
#ifndef _UAPI_LINUX_RELIEF_H
#define _UAPI_LINUX_RELIEF_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RELIEF_DEVICE		"/dev/relief"
#define RELIEF_SYSFS		"/sys/kernel/relief"
#define RELIEF_MAX_CPUS		512

/* Stop once the new kernel has qualified: nothing is handed over. */
#define RELIEF_PREPARE_REHEARSAL	(1U << 0)
/* Test only: make the new kernel see a protocol it cannot accept. */
#define RELIEF_PREPARE_BAD_VERSION	(1U << 1)
/*
 * Test only (CONFIG_RELIEF_DEBUG_INJECT): start an image that carries no
 * relief marker, to test what stands behind the image checks (the command
 * line's safety net, the boot deadline). The signature policy still holds.
 */
#define RELIEF_PREPARE_NO_MARKER	(1U << 2)
#define RELIEF_PREPARE_FLAGS	(RELIEF_PREPARE_REHEARSAL | \
				 RELIEF_PREPARE_BAD_VERSION | \
				 RELIEF_PREPARE_NO_MARKER)

/*
 * transfer_mb: the new kernel keeps more than half its region as RAM, or
 * more than this many MiB of a large region; the area takes at most the
 * rest (PREPARE fails with ENOSPC otherwise).
 */
#define RELIEF_NEW_RAM_MIN_MB	384

struct relief_prepare {
	__s32 kernel_fd;	/* bzImage */
	__s32 initrd_fd;	/* -1: none */
	__u64 cmdline;		/* user pointer: extra args for the new kernel */
	__u32 cmdline_len;	/* bytes, including the NUL; 0: none */
	__u32 flags;		/* RELIEF_PREPARE_* */
	__u32 timeout_ms;	/* each protocol deadline; 0: default */
	__u32 transfer_mb;	/* transfer area in the region; 0: default */
	__u32 console;		/* RELIEF_CONSOLE_* */
	__u32 pad;		/* 0 */
	__u64 cpus[RELIEF_MAX_CPUS / 64];	/* logical CPUs to lend */
};

/*
 * console: kernel B's console while it runs beside this kernel, until it
 * takes this kernel's own: the UART the kernel picks (AUTO), none but the
 * mailbox ring (RING: no UART is lent), or ttyS<n> (UART + n), which must
 * not be this kernel's console (-EADDRINUSE) and must exist (-ENODEV).
 */
#define RELIEF_CONSOLE_AUTO	0
#define RELIEF_CONSOLE_RING	1
#define RELIEF_CONSOLE_UART	0x100
#define RELIEF_CONSOLE_UART_MAX	0xff	/* n, at most */

/*
 * Run the kernel's checks of an image without changing anything (reliefctl
 * swap --dry-run, and before PREPARE): the signature policy first
 * (-EKEYREJECTED), then relief's own (-ENOEXEC, check says which: the
 * numbers of enum relief_image_err in proto/relief_image.h); the initrd is
 * read whole. PREPARE runs the same checks again.
 */
struct relief_check_image {
	__s32 kernel_fd;	/* in: bzImage */
	__s32 initrd_fd;	/* in: -1: none */
	__u32 check;		/* out: the relief check that failed, or 0 */
	__u16 proto_min;	/* out: the protocol versions the image */
	__u16 proto_max;	/*      speaks, from its marker */
	__u64 image_len;	/* out: bytes the kernel read */
	__u64 initrd_len;
};

/* Load the image, take the CPUs, start the new kernel; returns at once. */
#define RELIEF_IOC_PREPARE	_IOW('R', 1, struct relief_prepare)
/* Abort the swap in progress (before commit). */
#define RELIEF_IOC_ABORT	_IO('R', 2)

/*
 * The agent: the userspace half of a swap. Process images are made and
 * restored by CRIU, which the kernel cannot run, so each kernel hands those
 * steps to an agent (reliefctl swap on the old kernel, reliefctl agent on
 * the new one) through /dev/relief:
 *
 *   AGENT_WAIT   block up to timeout_ms for the next request (-EAGAIN if
 *                none came, -ESRCH if no run is in progress and none will)
 *   AGENT_REPLY  say how the request with that seq went
 *   mmap()       the transfer area, the part of the region both kernels
 *                address: the old kernel's agent writes the images there,
 *                the new one's reads them (offset 0, up to area_size)
 *
 * UNPACK comes on the new kernel as soon as the images are in the area,
 * while the devices are still being handed over and bound, so that the
 * agent unpacks them before RESTORE (or END, if the run rolls back).
 * The image format in the area is the agents' business; the kernels carry
 * its length and a CRC32C over it in PROC_IMAGE and check them.
 */
enum relief_agent_op {
	RELIEF_AGENT_NONE = 0,
	RELIEF_AGENT_DUMP = 1,		/* old: freeze, dump into the area */
	RELIEF_AGENT_THAW = 2,		/* old: resume what was dumped */
	RELIEF_AGENT_RESTORE = 3,	/* new: restore from the area */
	RELIEF_AGENT_END = 4,		/* the run is over: result, reason */
	RELIEF_AGENT_UNPACK = 5,	/* new: unpack now; RESTORE follows */
};

/* END's result: who owns the machine now. */
#define RELIEF_AGENT_RESULT_DONE	1	/* the new kernel */
#define RELIEF_AGENT_RESULT_ABORTED	2	/* the old one; nothing moved */
#define RELIEF_AGENT_RESULT_ROLLED_BACK	3	/* the old one, all back */

struct relief_agent_req {
	__u32 timeout_ms;	/* in: how long to wait */
	__u32 op;		/* out: RELIEF_AGENT_* */
	__u32 seq;		/* out: echo it in the reply */
	__u32 nr_procs;		/* out, RESTORE: processes in the image */
	__u64 area_size;	/* out: bytes mmap() can map */
	__u64 image_len;	/* out, RESTORE: bytes of image in the area */
	__u32 result;		/* out, END: RELIEF_AGENT_RESULT_* */
	__u32 reason;		/* out, END: why (proto's reason numbers) */
	char reason_name[32];	/* out, END: its name */
};

struct relief_agent_reply {
	__u32 seq;
	__s32 status;		/* 0: done; else a positive errno */
	__u64 image_len;	/* DUMP: bytes written into the area */
	__u32 nr_procs;		/* DUMP: processes in the image */
	__u32 pad;		/* zero */
	char why[128];		/* failure: what, for the kernel's log */
};

/*
 * A window: part of the transfer area as a character device of its own
 * (major, minor out), for the page images criu reads or writes, so that
 * they need not be copied through a file system.
 *
 * - flags 0: [offset, offset + len), read-only (the new kernel's agent);
 * - RELIEF_WINDOW_APPEND: writable, its bytes placed where the last append
 *   window's ended (the first at offset) when it is first opened for
 *   writing, never past offset + len (the old kernel's agent);
 * - RELIEF_WINDOW_QUERY: in major, minor: out where an append window's
 *   bytes are (offset, all ones if it was never written) and how many.
 * - RELIEF_WINDOW_FRAMES: the pages stay where they are; the area holds
 *   their frame numbers, a little-endian __u64 for each 4 KiB of image.
 *   With APPEND (the old kernel, only when the run agreed
 *   RELIEF_FEAT_PROC_IN_PLACE, else EOPNOTSUPP): what criu splices in is
 *   taken by reference, the rest copied to pages of its own; QUERY says
 *   where the list begins and the image's length. Without APPEND (the new
 *   kernel): offset is the list's place, len the image's length; every
 *   frame must be the old kernel's RAM, whose blocks join this kernel's
 *   only once every window is closed.
 *
 * len 0 (no flags) closes every window.
 */
struct relief_agent_window {
	__u64 offset;
	__u64 len;
	__u32 major;
	__u32 minor;
	__u32 flags;		/* RELIEF_WINDOW_* */
	__u32 pad;		/* zero */
};

#define RELIEF_WINDOW_APPEND	(1U << 0)
#define RELIEF_WINDOW_QUERY	(1U << 1)
#define RELIEF_WINDOW_FRAMES	(1U << 2)

#define RELIEF_IOC_AGENT_WAIT	_IOWR('R', 3, struct relief_agent_req)
#define RELIEF_IOC_AGENT_REPLY	_IOW('R', 4, struct relief_agent_reply)
#define RELIEF_IOC_AGENT_WINDOW	_IOWR('R', 5, struct relief_agent_window)
#define RELIEF_IOC_CHECK_IMAGE	_IOWR('R', 6, struct relief_check_image)

#endif /* _UAPI_LINUX_RELIEF_H */
