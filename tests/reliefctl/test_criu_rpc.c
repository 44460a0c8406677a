// SPDX-License-Identifier: GPL-2.0
/*
 * test_criu_rpc.c - criu's RPC messages in protobuf's wire format: the
 * RESTORE request byte for byte as rpc.proto lays it out (field numbers,
 * two-byte keys past field 15, a negative int32 in ten bytes), and the
 * responses criu sends, with fields reliefctl skips and broken ones.
 * (fake_criu_swrk.c reads the same requests on its own, end to end, in
 * test_criu_run.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "criu_rpc.h"

static void test_request(void **state)
{
	static const uint8_t want[] = {
		0x08, 0x02,		/* type = RESTORE */
		0x12, 24,		/* opts, 24 bytes: */
		0x08, 0x07,		/*   images_dir_fd = 7 */
		0x28, 0x01,		/*   tcp_established */
		0x40, 0x01,		/*   file_locks */
		0x48, 0x04,		/*   log_level = 4 */
		0x52, 0x0b, 'r', 'e', 's', 't', 'o', 'r', 'e', '.', 'l',
		'o', 'g',		/*   log_file */
		0x80, 0x03, 0x01,	/*   lazy_pages (field 48) */
	};
	struct criu_rpc_opts o = {
		.images_dir_fd = 7, .log_level = 4, .log_file = "restore.log",
		.tcp_established = true, .file_locks = true, .lazy_pages = true,
	};
	uint8_t buf[128];

	(void)state;
	assert_int_equal(criu_rpc_restore_req(buf, sizeof(buf), &o),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* One byte short: nothing to send. */
	assert_int_equal(criu_rpc_restore_req(buf, sizeof(want) - 1, &o), 0);

	/* shell_job; false ones are left out; no log file. */
	o.tcp_established = o.file_locks = o.lazy_pages = false;
	o.shell_job = true;
	o.log_file = NULL;
	o.images_dir_fd = 300;	/* two bytes */
	assert_int_equal(criu_rpc_restore_req(buf, sizeof(buf), &o), 11);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x08, 0x02, 0x12, 7,
			    0x08, 0xac, 0x02, 0x38, 0x01, 0x48, 0x04 }), 11);

	/* A negative int32 is sign-extended: ten bytes. */
	o.shell_job = false;
	o.images_dir_fd = -1;
	assert_int_equal(criu_rpc_restore_req(buf, sizeof(buf), &o), 17);
	assert_memory_equal(buf + 4, ((const uint8_t[]){ 0x08, 0xff, 0xff,
			    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }),
			    11);
}

static void test_response(void **state)
{
	/* type, success, restore { pid = 1002 }, and a field to skip */
	static const uint8_t ok[] = {
		0x08, 0x02, 0x10, 0x01, 0x22, 0x03, 0x08, 0xea, 0x07,
		0x58, 0x00,			/* status = 0 (11) */
		0x19, 1, 2, 3, 4, 5, 6, 7, 8,	/* a fixed64 (3) */
	};
	static const uint8_t failed[] = {
		0x08, 0x02, 0x10, 0x00, 0x38, 0x05,
		0x4a, 0x06, 'n', 'o', ' ', 'p', 'i', 'd',
		0x52, 0x02, 0x08, 0x03,		/* version (10), skipped */
	};
	struct criu_rpc_resp r;

	(void)state;
	assert_int_equal(criu_rpc_resp_parse(ok, sizeof(ok), &r), 0);
	assert_int_equal(r.type, CRIU_RPC_RESTORE);
	assert_true(r.success);
	assert_true(r.has_pid);
	assert_int_equal(r.pid, 1002);
	assert_int_equal(r.cr_errno, 0);
	assert_string_equal(r.errmsg, "");

	assert_int_equal(criu_rpc_resp_parse(failed, sizeof(failed), &r), 0);
	assert_false(r.success);
	assert_false(r.has_pid);
	assert_int_equal(r.cr_errno, 5);
	assert_string_equal(r.errmsg, "no pid");
}

static void test_broken(void **state)
{
	static const uint8_t no_success[] = { 0x08, 0x02 };
	static const uint8_t cut_varint[] = { 0x08, 0x02, 0x10, 0x81 };
	static const uint8_t long_bytes[] = { 0x08, 0x02, 0x10, 0x01,
					      0x4a, 0x09, 'x' };
	static const uint8_t bad_type[] = { 0x08, 0x02, 0x10, 0x01, 0x0b };
	static const uint8_t cut_fixed[] = { 0x08, 0x02, 0x10, 0x01, 0x1d,
					     1, 2 };
	uint8_t huge[600] = { 0x08, 0x02, 0x10, 0x01, 0x4a, 0xd2, 0x03 };
	struct criu_rpc_resp r;

	(void)state;
	assert_int_equal(criu_rpc_resp_parse(no_success, sizeof(no_success),
					     &r), -EBADMSG);
	assert_int_equal(criu_rpc_resp_parse(cut_varint, sizeof(cut_varint),
					     &r), -EBADMSG);
	assert_int_equal(criu_rpc_resp_parse(long_bytes, sizeof(long_bytes),
					     &r), -EBADMSG);
	assert_int_equal(criu_rpc_resp_parse(bad_type, sizeof(bad_type), &r),
			 -EBADMSG);
	assert_int_equal(criu_rpc_resp_parse(cut_fixed, sizeof(cut_fixed),
					     &r), -EBADMSG);
	assert_int_equal(criu_rpc_resp_parse(NULL, 0, &r), -EBADMSG);
	/* A message longer than errmsg holds is cut, not overrun. */
	memset(huge + 7, 'e', 466);
	assert_int_equal(criu_rpc_resp_parse(huge, 7 + 466, &r), 0);
	assert_int_equal(strlen(r.errmsg), CRIU_RPC_ERRMSG - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
