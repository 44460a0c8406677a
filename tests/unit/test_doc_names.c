// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * test_doc_names.c - Documentation/relief/protocol.rst names every message
 * type, reason, OLD and NEW state and action the code has, each as a whole
 * word (so "ABORT" does not count for being part of "ABORTED"). Its table
 * of who carries out each step ("Who carries out each step") names every
 * message but HEARTBEAT and every agent request of the uapi, and every
 * kernel function it names is defined in kernel/relief/ or arch/x86_64/.
 *
 * The file is found from this source's path (__FILE__ is absolute in the
 * unit build), else relative to the working directory (the repo top under
 * make check-unit). A missing file fails, naming the path.
 */
#include <ctype.h>
#include <dirent.h>
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

/* The step table's section of the document (malloc'd), or NULL. */
#define STEP_TABLE_START	"Who carries out each step\n"
#define STEP_TABLE_END		"\nRehearsals\n"

static char *doc_step_table(void)
{
	const char *a = doc ? strstr(doc, STEP_TABLE_START) : NULL;
	const char *b = a ? strstr(a, STEP_TABLE_END) : NULL;
	char *t;

	if (!b)
		return NULL;
	t = malloc((size_t)(b - a) + 1);
	if (t) {
		memcpy(t, a, (size_t)(b - a));
		t[b - a] = '\0';
	}
	return t;
}

/* The repository's top, from the document's path; "" for the cwd. */
static void repo_path(char *buf, size_t len, const char *rel)
{
	size_t n = strlen(doc_path), k = strlen(DOC_REL);

	snprintf(buf, len, "%.*s%s", (int)(n >= k ? n - k : 0), doc_path, rel);
}

static void test_doc_step_messages(void **state)
{
	char *saved = doc, *table;
	char missing[512] = "";
	uint32_t i;

	(void)state;
	table = doc_step_table();
	if (!table)
		fail_msg("no section \"%.*s\" in %s", (int)strlen(STEP_TABLE_START) - 1,
			 STEP_TABLE_START, doc_path);
	doc = table;
	for (i = 1; i < RELIEF_MSG_TYPE_COUNT; i++)
		if (i != RELIEF_MSG_HEARTBEAT &&
		    !doc_has_word(relief_msg_type_name(i)))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), " %s",
				 relief_msg_type_name(i));
	doc = saved;
	free(table);
	if (missing[0])
		fail_msg("messages not in the step table of %s:%s", doc_path,
			 missing);
}

/* Every RELIEF_AGENT_<OP> = N of the uapi header (not NONE) is named. */
static void test_doc_step_agent_ops(void **state)
{
	char path[4096], op[64], missing[512] = "", *uapi, *table, *saved;
	const char *p;
	int found = 0;

	(void)state;
	repo_path(path, sizeof(path), "kernel/relief/uapi/linux/relief.h");
	uapi = doc_read(path);
	if (!uapi)
		fail_msg("cannot read %s", path);
	table = doc_step_table();
	assert_non_null(table);
	saved = doc;
	doc = table;
	for (p = uapi; (p = strstr(p, "RELIEF_AGENT_")); p++) {
		int n = 0;

		if (sscanf(p, "RELIEF_AGENT_%63[A-Z_] =%n", op, &n) != 1 || !n ||
		    !strcmp(op, "NONE"))
			continue;
		found++;
		if (!doc_has_word(op))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), " %s", op);
	}
	doc = saved;
	free(table);
	free(uapi);
	assert_true(found >= 4);
	if (missing[0])
		fail_msg("agent requests not in the step table of %s:%s",
			 doc_path, missing);
}

/* @file defines @fn: a line at column 0 with "<space or *>fn(". */
static bool file_defines(const char *file, const char *fn)
{
	char *text = doc_read(file), *line, *next;
	char pat[128];
	bool found = false;

	if (!text)
		return false;
	snprintf(pat, sizeof(pat), "%s(", fn);
	for (line = text; line && !found; line = next) {
		const char *hit;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!isalpha((unsigned char)line[0]))
			continue;
		hit = strstr(line, pat);
		found = hit && hit > line && (hit[-1] == ' ' || hit[-1] == '*');
	}
	free(text);
	return found;
}

/* Some .c file of @dir (relative to the top) defines @fn. */
static bool dir_defines(const char *dir, const char *fn)
{
	char path[4096], file[8192];
	struct dirent *e;
	bool found = false;
	DIR *d;

	repo_path(path, sizeof(path), dir);
	d = opendir(path);
	if (!d)
		fail_msg("cannot open %s", path);
	while (!found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n < 3 || strcmp(e->d_name + n - 2, ".c"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		found = file_defines(file, fn);
	}
	closedir(d);
	return found;
}

static void test_doc_step_functions(void **state)
{
	char *table = doc_step_table(), missing[1024] = "", fn[64];
	const char *p;
	int named = 0;

	(void)state;
	assert_non_null(table);
	for (p = table; (p = strstr(p, "``relief_")); p += 2) {
		int n = 0;

		if (sscanf(p, "``%63[a-z0-9_]()``%n", fn, &n) != 1 || !n)
			continue;
		named++;
		if (!dir_defines("kernel/relief", fn) &&
		    !dir_defines("arch/x86_64", fn))
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), " %s()", fn);
	}
	free(table);
	assert_true(named >= 10);
	if (missing[0])
		fail_msg("the step table of %s names functions no kernel source defines:%s",
			 doc_path, missing);
}

/* The definition finder on this file's own functions. */
static void test_doc_file_defines(void **state)
{
	(void)state;
	assert_true(file_defines(__FILE__, "doc_step_table"));
	assert_false(file_defines(__FILE__, "doc_step_tabl"));
	assert_false(file_defines(__FILE__, "no_such_function"));
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
		cmocka_unit_test(test_doc_file_defines),
		cmocka_unit_test(test_doc_step_messages),
		cmocka_unit_test(test_doc_step_agent_ops),
		cmocka_unit_test(test_doc_step_functions),
	};

	return cmocka_run_group_tests(tests, doc_setup, doc_teardown);
}
