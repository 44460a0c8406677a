// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_doc_names.c - Documentation/relief/protocol.rst names every message
 * type, reason, OLD and NEW state and action the code has, each as a whole
 * word (so "ABORT" does not count for being part of "ABORTED").
 *
 * The file is found from this source's path (__FILE__ is absolute in the
 * unit build), else relative to the working directory (the repo top under
 * make check-unit). A missing file fails, naming the path.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "relief_fsm.h"
#include "relief_names.h"

#define DOC_REL		"Documentation/relief/protocol.rst"
#define DOC_SELF	"tests/unit/test_doc_names.c"

static char *doc;		/* the whole file, NUL-terminated */
static char doc_path[4096];

static char *doc_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static int doc_setup(void **state)
{
	const char *self = __FILE__;
	size_t n = strlen(self), k = strlen(DOC_SELF);

	(void)state;
	if (n >= k && !strcmp(self + n - k, DOC_SELF))
		snprintf(doc_path, sizeof(doc_path), "%.*s%s", (int)(n - k),
			 self, DOC_REL);
	else
		snprintf(doc_path, sizeof(doc_path), "%s", DOC_REL);
	doc = doc_read(doc_path);
	if (!doc && strcmp(doc_path, DOC_REL)) {
		doc = doc_read(DOC_REL);
		if (doc)
			snprintf(doc_path, sizeof(doc_path), "%s", DOC_REL);
	}
	return 0;
}

static int doc_teardown(void **state)
{
	(void)state;
	free(doc);
	doc = NULL;
	return 0;
}

static bool doc_word_char(char c)
{
	return isupper((unsigned char)c) || isdigit((unsigned char)c) ||
	       c == '_';
}

/* @name in the document, not glued to other identifier characters. */
static bool doc_has_word(const char *name)
{
	size_t len = strlen(name);
	const char *p = doc;

	while ((p = strstr(p, name))) {
		if ((p == doc || !doc_word_char(p[-1])) &&
		    !doc_word_char(p[len]))
			return true;
		p++;
	}
	return false;
}

/* Every name from @first to @last - 1 must be there; lists the absent. */
static void doc_expect(const char *what, const char *(*name)(uint32_t),
		       uint32_t first, uint32_t last)
{
	char missing[2048] = "";
	size_t used = 0;
	uint32_t i;

	if (!doc)
		fail_msg("%s: cannot read %s (protocol documentation missing)",
			 what, doc_path);
	for (i = first; i < last; i++) {
		const char *n = name(i);

		assert_non_null(n);
		assert_true(n[0] && n[0] != '?' && strcmp(n, "UNKNOWN"));
		if (doc_has_word(n))
			continue;
		used += (size_t)snprintf(missing + used,
					 used < sizeof(missing) ?
					 sizeof(missing) - used : 0,
					 " %s", n);
	}
	if (missing[0])
		fail_msg("%s not in %s:%s", what, doc_path, missing);
}

static void test_doc_msg_types(void **state)
{
	(void)state;
	doc_expect("message types", relief_msg_type_name, 1,
		   RELIEF_MSG_TYPE_COUNT);
}

static void test_doc_reasons(void **state)
{
	(void)state;
	doc_expect("reasons", relief_reason_name, 1, RELIEF_REASON_COUNT);
}

static void test_doc_old_states(void **state)
{
	(void)state;
	doc_expect("OLD states", relief_old_state_name, 0,
		   RELIEF_OLD_STATE_COUNT);
}

static void test_doc_new_states(void **state)
{
	(void)state;
	doc_expect("NEW states", relief_new_state_name, 0,
		   RELIEF_NEW_STATE_COUNT);
}

static void test_doc_actions(void **state)
{
	(void)state;
	doc_expect("actions", relief_action_name, 1, RELIEF_ACT_COUNT);
}

/* The matcher itself: whole words only. */
static void test_doc_word_match(void **state)
{
	char *saved = doc;

	(void)state;
	doc = "x ABORTED, I_RELIEVE_YOU. `ROLLBACK` (START_NEW)";
	assert_true(doc_has_word("ABORTED"));
	assert_false(doc_has_word("ABORT"));
	assert_false(doc_has_word("RELIEVE"));
	assert_true(doc_has_word("ROLLBACK"));
	assert_true(doc_has_word("START_NEW"));
	assert_false(doc_has_word("START"));
	doc = saved;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_word_match),
		cmocka_unit_test(test_doc_msg_types),
		cmocka_unit_test(test_doc_reasons),
		cmocka_unit_test(test_doc_old_states),
		cmocka_unit_test(test_doc_new_states),
		cmocka_unit_test(test_doc_actions),
	};

	return cmocka_run_group_tests(tests, doc_setup, doc_teardown);
}
