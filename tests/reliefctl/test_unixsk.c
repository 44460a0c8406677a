// SPDX-License-Identifier: GPL-2.0
/*
 * test_unixsk.c - unixsk_outside() on real sockets: a child process (the
 * tree) holds one end of each pair, this process the other, or the child
 * both. sock_diag is the machine's (a kernel without UNIX_DIAG skips).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "unixsk.h"

static unsigned long ino_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

/*
 * A child that closes the fds in drop, says so on ready, then holds what
 * it inherited until told to go (the pipe go closes).
 */
static pid_t hold(const int go[2], const int ready[2], const int *drop,
		  unsigned int ndrop)
{
	pid_t pid = fork();
	char c = 'r';

	assert_true(pid >= 0);
	if (pid)
		return pid;
	close(go[1]);
	close(ready[0]);
	for (unsigned int i = 0; i < ndrop; i++)
		close(drop[i]);
	(void)!write(ready[1], &c, 1);
	close(ready[1]);
	(void)!read(go[0], &c, 1);
	_exit(0);
}

struct child {
	pid_t pid;
	int go[2];
	struct proc_tree t;
};

/* The child runs and has closed drop, and its tree is read. */
static void child_start(struct child *c, const int *drop, unsigned int ndrop)
{
	int ready[2];
	char b;

	assert_int_equal(pipe(c->go), 0);
	assert_int_equal(pipe(ready), 0);
	c->pid = hold(c->go, ready, drop, ndrop);
	close(c->go[0]);
	close(ready[1]);
	/* It writes once it has closed them, or dies: never blocks. */
	assert_int_equal(read(ready[0], &b, 1), 1);
	close(ready[0]);
	assert_int_equal(proctree_read(c->pid, &c->t), 0);
}

static void child_stop(struct child *c)
{
	int status;

	close(c->go[1]);
	assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
	proctree_free(&c->t);
}

static int outside(const struct proc_tree *t, struct unixsk_outside *v,
		   unsigned int max)
{
	int n = unixsk_outside(t, v, max);

	if (n == -EPROTONOSUPPORT || n == -ENOENT)
		skip();	/* no UNIX_DIAG in this kernel */
	return n;
}

static void test_pair_across(void **state)
{
	struct unixsk_outside v[4];
	struct child c;
	int sv[2], dg[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg), 0);
	/* The child keeps sv[1] and dg[1]; this process sv[0] and dg[0]. */
	child_start(&c, (int[]){ sv[0], dg[0] }, 2);
	assert_int_equal(outside(&c.t, v, 4), 1);
	assert_true(v[0].ino == ino_of(sv[1]));
	assert_true(v[0].peer == ino_of(sv[0]));
	assert_int_equal(v[0].pid, c.pid);
	assert_int_equal(v[0].fd, sv[1]);
	assert_int_equal(v[0].type, SOCK_STREAM);
	assert_string_equal(v[0].peer_name, "");
	/* More than max: counted, not written. */
	assert_int_equal(outside(&c.t, v, 0), 1);
	child_stop(&c);
	close(sv[0]);
	close(dg[0]);
	close(sv[1]);
	close(dg[1]);
}

static void test_pair_inside(void **state)
{
	struct unixsk_outside v[4];
	struct child c;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	child_start(&c, NULL, 0);
	close(sv[0]);
	close(sv[1]);
	/* Both ends in the tree: nothing reaches outside. */
	assert_int_equal(outside(&c.t, v, 4), 0);
	child_stop(&c);
}

/* A connection to a named listener here: the peer says its name. */
static void test_named_peer(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct unixsk_outside v[4];
	struct child c;
	int l, cl, acc;

	(void)state;
	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/relief-unixsk-%d",
		 (int)getpid());
	unlink(a.sun_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(l >= 0 && cl >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(connect(cl, (struct sockaddr *)&a, sizeof(a)), 0);
	acc = accept(l, NULL, NULL);
	assert_true(acc >= 0);
	child_start(&c, (int[]){ l, acc }, 2);
	assert_int_equal(outside(&c.t, v, 4), 1);
	assert_true(v[0].ino == ino_of(cl));
	assert_true(v[0].peer == ino_of(acc));
	assert_string_equal(v[0].peer_name, a.sun_path);
	child_stop(&c);
	close(l);
	close(cl);
	close(acc);
	unlink(a.sun_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_across),
		cmocka_unit_test(test_pair_inside),
		cmocka_unit_test(test_named_peer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
