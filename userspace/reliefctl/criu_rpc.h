/* SPDX-License-Identifier: GPL-2.0 */
/*
 * criu_rpc.h - the few messages of criu's RPC (images/rpc.proto, proto2)
 * that a restore through `criu swrk` needs, in protobuf's wire format:
 * the request out, the response in. Written here rather than linking
 * libcriu and protobuf-c: the guest carries the criu binary only, and a
 * restore needs one request and one answer.
 *
 * A criu_req is { type = 1 (enum), opts = 2 (criu_opts) }; of criu_opts
 * only the fields below are sent. A criu_resp is { type = 1, success = 2,
 * restore = 4 { pid = 1 }, cr_errno = 7, cr_errmsg = 9 }; the rest is
 * skipped.
 */
#ifndef RELIEFCTL_CRIU_RPC_H
#define RELIEFCTL_CRIU_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRIU_RPC_RESTORE	2	/* criu_req_type RESTORE */
#define CRIU_RPC_MAX		4096	/* a request or a response */
#define CRIU_RPC_ERRMSG		256

/* criu_opts field numbers (rpc.proto). */
enum {
	CRIU_OPT_IMAGES_DIR_FD = 1,
	CRIU_OPT_TCP_ESTABLISHED = 5,
	CRIU_OPT_SHELL_JOB = 7,
	CRIU_OPT_FILE_LOCKS = 8,
	CRIU_OPT_LOG_LEVEL = 9,
	CRIU_OPT_LOG_FILE = 10,
	CRIU_OPT_INHERIT_FD = 27,	/* { key = 1, fd = 2 } */
	CRIU_OPT_LAZY_PAGES = 48,
};

struct criu_rpc_opts {
	int images_dir_fd;	/* the caller's: criu opens /proc/PID/fd/N */
	int log_level;
	const char *log_file;	/* a name in the images directory */
	bool tcp_established;
	bool shell_job;
	bool file_locks;
	bool lazy_pages;
	/* Each socket "socket:[INO]" of the images becomes inherit_fd. */
	unsigned int nr_inherit;
	const unsigned long *inherit_inos;
	int inherit_fd;
};

struct criu_rpc_resp {
	uint32_t type;
	bool success;
	bool has_pid;
	int32_t pid;		/* restore: the root's */
	int32_t cr_errno;	/* 0: none given */
	char errmsg[CRIU_RPC_ERRMSG];	/* "": none given */
};

/*
 * criu_rpc_restore_req() - encode a RESTORE criu_req with opts o into
 * buf. Returns its length, or 0 when it does not fit in len.
 */
size_t criu_rpc_restore_req(uint8_t *buf, size_t len,
			    const struct criu_rpc_opts *o);

/*
 * criu_rpc_resp_parse() - decode a criu_resp. 0, or -EBADMSG when buf is
 * not one (truncated, a wire type protobuf has not, no type or success).
 */
int criu_rpc_resp_parse(const uint8_t *buf, size_t len,
			struct criu_rpc_resp *r);

#endif /* RELIEFCTL_CRIU_RPC_H */
