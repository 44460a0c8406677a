// SPDX-License-Identifier: GPL-2.0
/* criu_rpc.c - criu's RPC request and response, wire format (criu_rpc.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "criu_rpc.h"

enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_BYTES = 2, WT_FIXED32 = 5 };

/* An output buffer: a write past its end marks it full, nothing more. */
struct out {
	uint8_t *p;
	size_t len, at;
	bool full;
};

static void put_byte(struct out *o, uint8_t b)
{
	if (o->at >= o->len) {
		o->full = true;
		return;
	}
	o->p[o->at++] = b;
}

static void put_varint(struct out *o, uint64_t v)
{
	while (v >= 0x80) {
		put_byte(o, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	put_byte(o, (uint8_t)v);
}

static void put_key(struct out *o, unsigned int field, unsigned int wt)
{
	put_varint(o, (uint64_t)field << 3 | wt);
}

/* int32 as protobuf has it: a negative one sign-extended to 64 bits. */
static void put_int32(struct out *o, unsigned int field, int32_t v)
{
	put_key(o, field, WT_VARINT);
	put_varint(o, (uint64_t)(int64_t)v);
}

static void put_bool(struct out *o, unsigned int field, bool v)
{
	if (!v)
		return;		/* optional, false by default: left out */
	put_key(o, field, WT_VARINT);
	put_byte(o, 1);
}

static void put_bytes(struct out *o, unsigned int field, const void *p,
		      size_t n)
{
	put_key(o, field, WT_BYTES);
	put_varint(o, n);
	for (size_t i = 0; i < n; i++)
		put_byte(o, ((const uint8_t *)p)[i]);
}

/* inherit_fd { key = "socket:[INO]", fd }: the worker's fd for it. */
static void put_inherit(struct out *o, unsigned long ino, int fd)
{
	uint8_t inner[64];
	struct out i = { .p = inner, .len = sizeof(inner) };
	char key[40];
	int n = snprintf(key, sizeof(key), "socket:[%lu]", ino);

	put_bytes(&i, 1, key, (size_t)n);
	put_int32(&i, 2, fd);
	put_bytes(o, CRIU_OPT_INHERIT_FD, inner, i.at);
}

size_t criu_rpc_restore_req(uint8_t *buf, size_t len,
			    const struct criu_rpc_opts *opts)
{
	uint8_t inner[CRIU_RPC_MAX];
	struct out i = { .p = inner, .len = sizeof(inner) };
	struct out o = { .p = buf, .len = len };

	put_int32(&i, CRIU_OPT_IMAGES_DIR_FD, opts->images_dir_fd);
	put_bool(&i, CRIU_OPT_TCP_ESTABLISHED, opts->tcp_established);
	put_bool(&i, CRIU_OPT_SHELL_JOB, opts->shell_job);
	put_bool(&i, CRIU_OPT_FILE_LOCKS, opts->file_locks);
	put_int32(&i, CRIU_OPT_LOG_LEVEL, opts->log_level);
	if (opts->log_file)
		put_bytes(&i, CRIU_OPT_LOG_FILE, opts->log_file,
			  strlen(opts->log_file));
	put_bool(&i, CRIU_OPT_LAZY_PAGES, opts->lazy_pages);
	for (unsigned int k = 0; k < opts->nr_inherit; k++)
		put_inherit(&i, opts->inherit_inos[k], opts->inherit_fd);
	put_key(&o, 1, WT_VARINT);
	put_varint(&o, CRIU_RPC_RESTORE);
	put_bytes(&o, 2, inner, i.at);
	return i.full || o.full ? 0 : o.at;
}

/* --- the response ----------------------------------------------------- */

struct in {
	const uint8_t *p, *end;
};

static int get_varint(struct in *in, uint64_t *v)
{
	*v = 0;
	for (unsigned int shift = 0; shift < 64; shift += 7) {
		if (in->p >= in->end)
			return -EBADMSG;
		*v |= (uint64_t)(*in->p & 0x7f) << shift;
		if (!(*in->p++ & 0x80))
			return 0;
	}
	return -EBADMSG;
}

/*
 * The next field: its number, wire type, and its value (varint) or its
 * bytes (length-delimited); fixed-size ones are stepped over.
 */
static int get_field(struct in *in, unsigned int *field, unsigned int *wt,
		     uint64_t *v, struct in *bytes)
{
	uint64_t key;

	if (get_varint(in, &key))
		return -EBADMSG;
	*field = (unsigned int)(key >> 3);
	*wt = (unsigned int)(key & 7);
	switch (*wt) {
	case WT_VARINT:
		return get_varint(in, v);
	case WT_BYTES:
		if (get_varint(in, v) || *v > (uint64_t)(in->end - in->p))
			return -EBADMSG;
		bytes->p = in->p;
		bytes->end = in->p + *v;
		in->p += *v;
		return 0;
	case WT_FIXED64:
	case WT_FIXED32:
		*v = *wt == WT_FIXED64 ? 8 : 4;
		if (*v > (uint64_t)(in->end - in->p))
			return -EBADMSG;
		in->p += *v;
		return 0;
	}
	return -EBADMSG;
}

/* criu_restore_resp: { required int32 pid = 1 } */
static int parse_restore(struct in in, struct criu_rpc_resp *r)
{
	struct in bytes;
	unsigned int field, wt;
	uint64_t v;

	while (in.p < in.end) {
		if (get_field(&in, &field, &wt, &v, &bytes))
			return -EBADMSG;
		if (field == 1 && wt == WT_VARINT) {
			r->pid = (int32_t)v;
			r->has_pid = true;
		}
	}
	return 0;
}

int criu_rpc_resp_parse(const uint8_t *buf, size_t len,
			struct criu_rpc_resp *r)
{
	struct in in = { buf, buf + len }, bytes;
	bool has_type = false, has_success = false;
	unsigned int field, wt;
	uint64_t v;
	size_t n;

	memset(r, 0, sizeof(*r));
	while (in.p < in.end) {
		if (get_field(&in, &field, &wt, &v, &bytes))
			return -EBADMSG;
		if (wt == WT_VARINT && field == 1) {
			r->type = (uint32_t)v;
			has_type = true;
		} else if (wt == WT_VARINT && field == 2) {
			r->success = v != 0;
			has_success = true;
		} else if (wt == WT_VARINT && field == 7) {
			r->cr_errno = (int32_t)v;
		} else if (wt == WT_BYTES && field == 4) {
			if (parse_restore(bytes, r))
				return -EBADMSG;
		} else if (wt == WT_BYTES && field == 9) {
			n = (size_t)(bytes.end - bytes.p);
			if (n >= sizeof(r->errmsg))
				n = sizeof(r->errmsg) - 1;
			memcpy(r->errmsg, bytes.p, n);
			r->errmsg[n] = '\0';
		}
	}
	return has_type && has_success ? 0 : -EBADMSG;
}
