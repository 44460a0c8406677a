// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmd_swap.c - `reliefctl swap` end to end against a fake kernel
 * (helper_fake.c) on a synthetic machine (1 node, CPUs 0-3): every
 * refusal, with nothing asked of the kernel; the PREPARE it sends; the
 * kernel's refusals; following a run to each of its ends.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/relief.h>

#include "helper_fake.h"
#include "helper_image.h"
#include "relief_image.h"
#include "helper_topo.h"
#include "reliefctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct relief_topology topo;
static char *out_text, *err_text;
static char image[512];

/* The fake kernel's side of the ioctl. */
static uid_t euid;
static int ioctl_calls;
static int ioctl_ret;			/* -errno to refuse */
static int check_ret;			/* CHECK_IMAGE's */
static unsigned int check_says;		/* its check */
static struct relief_prepare got;
static char got_cmdline[4096];
static const char *after_prepare;	/* state PREPARE leaves */

uid_t __wrap_geteuid(void);
int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg);

uid_t __wrap_geteuid(void)
{
	return euid;
}

int __wrap_reliefctl_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(fd >= 0);
	if (req == RELIEF_IOC_AGENT_WAIT) {
		/* A full swap serves as the agent: no request comes. */
		__wrap_reliefctl_sleep_ms(((struct relief_agent_req *)arg)->
					  timeout_ms);
		return -EAGAIN;
	}
	if (req == RELIEF_IOC_CHECK_IMAGE) {
		((struct relief_check_image *)arg)->check = check_says;
		return check_ret;
	}
	assert_int_equal(req, RELIEF_IOC_PREPARE);
	ioctl_calls++;
	memcpy(&got, arg, sizeof(got));
	got_cmdline[0] = '\0';
	if (got.cmdline_len)
		snprintf(got_cmdline, sizeof(got_cmdline), "%s",
			 (const char *)(uintptr_t)got.cmdline);
	if (ioctl_ret)
		return ioctl_ret;
	rt_fake_write("sys/state", after_prepare);
	rt_fake_write("sys/cpus", "2-3\n");
	rt_fake_write("sys/timings", "prepare 0\ncpus-parked 1500000\n"
		      "loaded 25000000\nstarted 25100000\n");
	return 0;
}

/* Run `reliefctl swap ARGS...` (NULL-terminated). */
static int run(const char *arg, ...)
{
	char *argv[24] = { "swap" };
	int argc = 1, rc;
	size_t n1, n2;
	FILE *out, *err;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < 23; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	free(out_text);
	free(err_text);
	out = open_memstream(&out_text, &n1);
	err = open_memstream(&err_text, &n2);
	assert_non_null(out);
	assert_non_null(err);
	rc = cmd_swap_with(argc, argv, &topo, out, err);
	fclose(out);
	fclose(err);
	return rc;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

/* Refused with exit 3, msg on stderr, nothing asked of the kernel. */
#define assert_refused(msg, ...) do {					\
	assert_int_equal(run(__VA_ARGS__, NULL), RELIEFCTL_EXIT_REFUSED); \
	assert_has(err_text, msg);					\
	assert_null(strchr(strchr(err_text, '\n') + 1, '\n'));		\
	assert_int_equal(ioctl_calls, 0);				\
} while (0)

static int setup(void **state)
{
	(void)state;
	rt_topo_build(&topo, 1, 4, 1, RT_GiB, RT_NODE_MAJOR);
	rt_fake_init();
	snprintf(image, sizeof(image), "%s",
		 rt_fake_bzimage("vmlinuz-b", 0, 0, 0));
	rt_fake_write("initrd", "070701...");
	euid = 0;
	ioctl_calls = 0;
	ioctl_ret = 0;
	check_ret = 0;
	check_says = 0;
	after_prepare = "WAIT_READY\n";
	memset(&got, 0, sizeof(got));
	rt_fake_script(NULL, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rt_topo_free(&topo);
	rt_fake_cleanup();
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	return 0;
}

/* --- refusals --------------------------------------------------------- */

static void test_not_root(void **state)
{
	(void)state;
	euid = 1000;
	assert_refused("reliefctl swap: must be root (CAP_SYS_BOOT)\n", image);
	assert_string_equal(out_text, "");
}

static void test_no_relief(void **state)
{
	(void)state;
	rt_fake_remove("sys/version");
	assert_refused("this kernel has no relief support", image);
	assert_has(err_text, "sys/version: No such file or directory");
	rt_fake_write("sys/version", "0.1.0 protocol 1-1\n");
	rt_fake_remove("dev");
	assert_refused("this kernel has no relief support", image);
	assert_has(err_text, "/dev: No such file or directory");
}

static void test_kexec_disabled(void **state)
{
	(void)state;
	rt_fake_write("kexec_load_disabled", "1\n");
	assert_refused("reliefctl swap: kernel.kexec_load_disabled is set: this "
		       "kernel loads no other kernel, relief's included, until "
		       "it reboots\n", image);
	assert_refused("kexec_load_disabled is set", image, "--dry-run");
	/* A kernel without kexec has no such file: nothing is forbidden. */
	rt_fake_remove("kexec_load_disabled");
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
}

/* An IOMMU kernel B cannot take over: refused before anything changes. */
static void test_iommu_other(void **state)
{
	(void)state;
	assert_int_equal(mkdir(rt_fake_path("iommu/ivhd0"), 0755), 0);
	assert_refused("reliefctl swap: an IOMMU kernel B cannot take over is "
		       "on in this kernel (ivhd0): only Intel's (dmar) is "
		       "handed over; boot this kernel with it off "
		       "(amd_iommu=off) to swap it\n", image, "--dry-run");
	assert_int_equal(ioctl_calls, 0);
	assert_int_equal(rmdir(rt_fake_path("iommu/ivhd0")), 0);
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
}

/* An Intel IOMMU goes with the devices: the dry run says how. */
static void test_iommu_intel(void **state)
{
	(void)state;
	assert_int_equal(mkdir(rt_fake_path("iommu/dmar0"), 0755), 0);
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "iommu: dmar0: lent to kernel B once the devices "
		   "are quiesced (remapping off), kernel B's once kernel A "
		   "stood relieved");
	assert_int_equal(rmdir(rt_fake_path("iommu/dmar0")), 0);
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_null(strstr(out_text, "iommu:"));
}

static void test_in_progress(void **state)
{
	(void)state;
	rt_fake_write("sys/state", "WAIT_READY\n");
	assert_refused("reliefctl swap: a swap is already in progress (state "
		       "WAIT_READY); see reliefctl status\n", image);
	rt_fake_write("sys/state", "READY_SENT\n");
	assert_refused("(state READY_SENT)", image);
	/* Ended, but its CPUs did not come back. */
	rt_fake_write("sys/state", "ABORTED OPERATOR\n");
	rt_fake_write("sys/cpus", "2-3\n");
	assert_refused("CPUs 2-3 are still lent from the last run (state "
		       "ABORTED)", image);
	rt_fake_remove("sys/state");
	assert_refused("cannot read", image);
}

static void test_after_an_ended_run(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	/* A run that ended and gave everything back: a new one may start. */
	rt_fake_write("sys/state", "ROLLED_BACK PEER_DEAD\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--stop-after", "ready", "--quiet", NULL),
			 RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 1);
}

static void test_image(void **state)
{
	char dir[600];

	(void)state;
	assert_refused("reliefctl swap: image /nonexistent/vmlinuz is "
		       "unreadable: No such file or directory\n",
		       "/nonexistent/vmlinuz");
	snprintf(dir, sizeof(dir), "%s", rt_fake_path("sys"));
	assert_refused("is unreadable: Is a directory", dir);
	rt_fake_write("init", "#!/bin/sh\nexec /bin/sh\n");
	snprintf(dir, sizeof(dir), "%s", rt_fake_path("init"));
	assert_refused("init is not a kernel relief can start: 23 bytes, too "
		       "short for a kernel's boot header", dir);
	rt_fake_bzimage("old", 0, 0x206, 0x020b);
	snprintf(dir, sizeof(dir), "%s", rt_fake_path("old"));
	assert_refused("old is not a kernel relief can start: boot protocol "
		       "2.11; relief needs 2.15", dir);
	rt_fake_bzimage("i386", 0, 0x236, 0);
	snprintf(dir, sizeof(dir), "%s", rt_fake_path("i386"));
	assert_refused("i386 is not a kernel relief can start: no 64-bit entry",
		       dir);
	rt_fake_bzimage("cut", 4000, 0, 0);
	snprintf(dir, sizeof(dir), "%s", rt_fake_path("cut"));
	assert_refused("cut is not a kernel relief can start: truncated: 4000 "
		       "bytes, its header says 6144", dir);
}

/* The kernel's own verdict comes after reliefctl's, signature first. */
static void test_kernel_verdict(void **state)
{
	(void)state;
	check_ret = -EKEYREJECTED;
	assert_refused("is refused by this kernel's signature policy (lockdown,"
		       " or enforced kexec signatures): the signature check "
		       "failed", image);
	check_ret = -ENOEXEC;
	check_says = RELIEF_IMAGE_ERR_PROTOCOL;
	assert_refused("the kernel refused", image);
	assert_has(err_text, "a relief kernel too");
	check_ret = -EIO;
	assert_refused("the kernel could not check", image);
	/* A kernel from before the check: reliefctl's own is enough. */
	check_ret = -ENOTTY;
	assert_int_equal(run(image, "--dry-run", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "kernel B: " HIMG_RELEASE ", relief protocol");
}

static void test_initrd(void **state)
{
	char path[600];

	(void)state;
	assert_refused("reliefctl swap: initrd /nonexistent/initrd is "
		       "unreadable: No such file or directory\n", image,
		       "--initrd", "/nonexistent/initrd");
	rt_fake_write("notcpio", "hello, this is no archive\n");
	snprintf(path, sizeof(path), "%s", rt_fake_path("notcpio"));
	assert_refused("is not an initramfs (no cpio or compressed archive",
		       image, "--initrd", path);
}

static void test_cpus(void **state)
{
	(void)state;
	assert_refused("reliefctl swap: refused (boot CPU): CPU 0 is the boot "
		       "CPU", image, "--cpus", "0-1");
	assert_refused("refused (CPU doesn't exist): CPU 9 does not exist",
		       image, "--cpus", "9");
	topo.cpus[3].online = false;
	assert_refused("refused (offline CPU): CPU 3 is offline", image,
		       "--cpus", "3");
	assert_refused("refused (not enough memory)", image, "--mem", "2G");
}

/* Kernel B's view: the machine's boot CPU is CPU 2, which it never lends. */
static void test_keep(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "STOOD_RELIEVED\n", 0 },
	};

	(void)state;
	rt_fake_write("sys/keep", "0,2\n");
	assert_refused("reliefctl swap: refused (boot CPU): CPU 2 is the "
		       "machine's boot CPU: a lent CPU comes back with INIT, "
		       "so it is never lent\n", image, "--cpus", "2-3");
	rt_fake_write("sys/keep", "0,2,x\n");
	assert_int_equal(run(image, NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "/keep: Invalid argument\n");
	assert_int_equal(ioctl_calls, 0);
	rt_fake_write("sys/keep", "0,2\n");
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 1);
	assert_true(got.cpus[0] == 0xa);	/* CPUs 1 and 3 */
	assert_has(out_text, "plan: node 0, CPUs 1,3 (2), 256M of memory: "
		   "one-node machine: kernel B takes the highest-numbered "
		   "whole cores, half the CPUs; A keeps the boot CPU 0 and the "
		   "machine's boot CPU 2\n");
}

static void test_region(void **state)
{
	(void)state;
	rt_fake_write("sys/region", "0 0 0 0\n");
	assert_refused("reliefctl swap: no relief region: boot with "
		       "relief_region=SIZE\n", image);
	/* The 512M region holds 511M for B: the rest is the park area. */
	rt_fake_write("sys/region", "0x100000000 0x20000000 0x98000 0x1000\n");
	assert_refused("the relief region is too small: --mem 512M, but the "
		       "512M region leaves kernel B 511M", image, "--mem",
		       "512M");
	/* 6K image + 32M slack do not fit 31M. */
	rt_fake_write("sys/region", "0x100000000 0x2000000 0 0\n");
	assert_refused("the relief region is too small: the image and initrd "
		       "(6K) and 32M to unpack them need 32.0M, but the 32M "
		       "region leaves kernel B 31M", image);
	/*
	 * An init_size of 64M does not fit a 64M region from the load
	 * address (2M in), below the default 16M transfer area.
	 */
	rt_fake_write("sys/region", "0x100000000 0x4000000 0 0\n");
	rt_fake_bzimage("vmlinuz-b", 0, 0x262, 0x0400);
	assert_refused("the relief region is too small: kernel B needs 64M "
		       "from where it is loaded (its init_size), but the region "
		       "leaves it 46M below the initrd and the transfer area",
		       image);
	rt_fake_remove("sys/region");
	assert_refused("cannot read", image);
}

/* --- the command line ------------------------------------------------- */

static void test_usage(void **state)
{
	static char longarg[5000];

	(void)state;
	memset(longarg, 'a', sizeof(longarg) - 1);
	assert_int_equal(run(NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "give IMAGE");
	assert_int_equal(run(image, "x", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "one IMAGE only");
	assert_int_equal(run(image, "--bogus", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "unknown option '--bogus'");
	assert_int_equal(run(image, "--timeout", "0", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--timeout", "1s", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--timeout", "3601", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--stop-after", "freeze", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--inject", "crash", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--cpus", "3-1", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "backwards");
	assert_int_equal(run(image, "--mem", "1.5G", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--append", longarg, NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--initrd", NULL), RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--initrd needs a value");
	assert_int_equal(run(image, "--console", "ttyS256", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--console 'ttyS256': ttyS0 to ttyS255, or ring");
	assert_int_equal(run(image, "--console", "ttyS", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--console", "ttyS-1", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run(image, "--console", "tty0", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_int_equal(run("--help", NULL), RELIEFCTL_EXIT_OK);
	assert_has(out_text, "usage: reliefctl swap IMAGE");
	assert_int_equal(ioctl_calls, 0);
}

/* --- what PREPARE carries --------------------------------------------- */

static void test_prepare_defaults(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "STOOD_RELIEVED\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 1);
	assert_true(got.kernel_fd >= 0);
	assert_int_equal(got.initrd_fd, -1);
	assert_true(got.cmdline == 0);
	assert_int_equal(got.cmdline_len, 0);
	assert_int_equal(got.flags, 0);
	assert_int_equal(got.timeout_ms, 60000);
	assert_int_equal(got.transfer_mb, 0);
	assert_int_equal(got.console, RELIEF_CONSOLE_AUTO);
	assert_int_equal(got.pad, 0);
	/* The plan's choice: the upper half of a one-node machine. */
	assert_true(got.cpus[0] == 0xc);
	for (size_t i = 1; i < ARRAY_SIZE(got.cpus); i++)
		assert_true(got.cpus[i] == 0);
	assert_has(out_text, "plan: node 0, CPUs 2-3 (2), 256M of memory: "
		   "one-node machine");
}

/* No --initrd: relief's bootstrap where there is one, else none. */
static void test_bootstrap_default(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "STOOD_RELIEVED\n", 0 },
	};

	(void)state;
	setenv("RELIEF_BOOTSTRAP", rt_fake_path("no-bootstrap.img"), 1);
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_OK);
	assert_int_equal(got.initrd_fd, -1);
	assert_null(strstr(out_text, "relief's bootstrap"));
	unsetenv("RELIEF_BOOTSTRAP");
}

static void test_bootstrap_taken(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "STOOD_RELIEVED\n", 0 },
	};
	char want[700];

	(void)state;
	setenv("RELIEF_BOOTSTRAP", rt_fake_path("initrd"), 1);
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--quiet", NULL), RELIEFCTL_EXIT_OK);
	assert_true(got.initrd_fd >= 0);
	snprintf(want, sizeof(want), "initrd: %s (relief's bootstrap; --initrd "
		 "names another)\n", rt_fake_path("initrd"));
	assert_has(out_text, want);
	unsetenv("RELIEF_BOOTSTRAP");
}

static void test_prepare_options(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--initrd", rt_fake_path("initrd"),
			     "--append=console=ttyS1 loglevel=8", "--cpus", "1",
			     "--mem", "128M", "--timeout", "5",
			     "--stop-after", "ready", "--inject",
			     "bad-version", "--console", "ttyS3", "--quiet",
			     NULL),
			 RELIEFCTL_EXIT_OK);
	assert_int_equal(got.console, RELIEF_CONSOLE_UART + 3);
	assert_true(got.initrd_fd >= 0);
	assert_int_not_equal(got.initrd_fd, got.kernel_fd);
	assert_string_equal(got_cmdline, "console=ttyS1 loglevel=8");
	assert_int_equal(got.cmdline_len, strlen(got_cmdline) + 1);
	assert_int_equal(got.flags, RELIEF_PREPARE_REHEARSAL |
			 RELIEF_PREPARE_BAD_VERSION);
	assert_int_equal(got.timeout_ms, 5000);
	assert_true(got.cpus[0] == 0x2);
	assert_has(out_text, "plan: node 0, CPUs 1 (1), 128M of memory: the "
		   "operator's");
}

static void test_console_ring(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "STOOD_RELIEVED\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--console", "ring", "--quiet", NULL),
			 RELIEFCTL_EXIT_OK);
	assert_int_equal(ioctl_calls, 1);
	assert_int_equal(got.console, RELIEF_CONSOLE_RING);
}

/* --- the kernel's refusals -------------------------------------------- */

static void test_kernel_refuses(void **state)
{
	static const struct {
		int err;
		const char *msg;
	} cases[] = {
		{ EPERM, "the kernel refused: it loads no other kernel "
			 "(kernel.kexec_load_disabled, or "
			 "kernel.kexec_load_limit_reboot used up)\n" },
		{ EACCES, "the kernel refused: must be root (CAP_SYS_BOOT)\n" },
		{ EBUSY, "the kernel refused: a swap is already in progress; "
			 "see reliefctl status\n" },
		{ ENOEXEC, "vmlinuz-b is not a kernel this machine can boot\n" },
		{ EKEYREJECTED, "vmlinuz-b does not pass this kernel's "
				"signature policy" },
		{ EINVAL, "the kernel refused: CPUs 2-3 cannot be lent" },
		{ ENXIO, "the kernel refused: no relief region: boot with "
			 "relief_region=SIZE\n" },
		{ ENOSPC, "the kernel refused: the relief region is too small" },
		{ EADDRINUSE, "the kernel refused: kernel B's UART is this "
			      "kernel's console; choose another with "
			      "--console" },
		{ ENODEV, "the kernel refused: kernel B's --console is no "
			  "legacy UART of this machine" },
		{ ENOMEM, "the kernel refused: not enough memory: no region "
			  "could be made from movable memory" },
		{ EIO, "the kernel refused: Input/output error\n" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ioctl_calls = 0;
		ioctl_ret = -cases[i].err;
		assert_int_equal(run(image, NULL), RELIEFCTL_EXIT_REFUSED);
		assert_int_equal(ioctl_calls, 1);
		assert_has(err_text, cases[i].msg);
		assert_has(err_text, "reliefctl swap: ");
	}
}

/* --inject FAULT@restore rides on kernel B's command line. */
static void test_inject_fault(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	/* A kernel without CONFIG_RELIEF_DEBUG_INJECT refuses with EPERM. */
	ioctl_calls = 0;
	ioctl_ret = -EPERM;
	assert_int_equal(run(image, "--inject", "fail@restore", NULL),
			 RELIEFCTL_EXIT_REFUSED);
	assert_has(err_text, "fault injection needs a kernel built with "
		   "CONFIG_RELIEF_DEBUG_INJECT\n");
	ioctl_ret = 0;

	assert_int_equal(run(image, "--inject", "crash@restore", NULL),
			 RELIEFCTL_EXIT_USAGE);
	assert_has(err_text, "--inject 'crash@restore'");

	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--append", "loglevel=8", "--stop-after",
			     "ready", "--inject", "panic@restore", "--quiet",
			     NULL), RELIEFCTL_EXIT_OK);
	assert_string_equal(got_cmdline,
			    "loglevel=8 relief.inject=panic@restore");
	assert_int_equal(got.flags, RELIEF_PREPARE_REHEARSAL);
}

/* --- following the run ------------------------------------------------ */

static void test_rehearsal(void **state)
{
	static const struct rt_step s[] = {
		{ 2, "sys/console", "Linux version 6.12.117-relief-b\n", 0 },
		{ 5, "sys/console", "relief: qualified\n", 1 },
		{ 10, "sys/peer", "release 6.12.117-relief-b\nprotocol 1-1\n"
				  "features 0x3\ncpus_seen 2\ncpus_up 2\n"
				  "mem_bytes 534773760\n", 0 },
		{ 10, "sys/timings", "prepare 0\ncpus-parked 1500000\n"
				     "loaded 25000000\nstarted 25100000\n"
				     "ready-to-relieve 3456789012\n"
				     "ready-to-be-relieved 3456800000\n", 0 },
		{ 10, "sys/state", "READY_SENT\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--stop-after", "ready", NULL),
			 RELIEFCTL_EXIT_OK);
	assert_string_equal(err_text, "");
	assert_has(out_text, "[   0.000 s] prepared: CPUs 2-3 lent, kernel B "
		   "loaded (rehearsal)\n[   0.000 s] WAIT_READY\n");
	assert_has(out_text, "new| Linux version 6.12.117-relief-b\n"
		   "new| relief: qualified\n[   0.200 s] READY_SENT\n");
	assert_has(out_text, "kernel B: release 6.12.117-relief-b, protocol "
		   "1-1, features 0x3, cpus_seen 2, cpus_up 2, mem_bytes "
		   "534773760\n");
	assert_has(out_text, "rehearsal: kernel B qualified and holds CPUs 2-3 "
		   "until `reliefctl abort` or its 60 s deadline\n");
	assert_has(out_text, "timings (since prepare):\n");
	assert_has(out_text, "  cpus-parked                   1.500 ms\n");
	assert_has(out_text, "  ready-to-be-relieved       3456.800 ms\n");
	assert_has(out_text, "lent CPUs: 2-3 (with kernel B)\n");
}

static void test_aborted(void **state)
{
	static const struct rt_step s[] = {
		{ 3, "sys/state", "ABORTED BAD_VERSION\n", 0 },
		{ 3, "sys/cpus", "\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--stop-after", "ready", "--inject",
			     "bad-version", NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(out_text, "[   0.060 s] ABORTED BAD_VERSION\n");
	assert_string_equal(err_text, "swap aborted: BAD_VERSION\n");
	assert_has(out_text, "lent CPUs: 2-3 (back with kernel A)\n");
}

/* B died where only the park saw it: where is said after the reason. */
static void test_died_early(void **state)
{
	static const struct rt_step s[] = {
		{ 2, "sys/peer", "died at its entry, before it had an IDT: #UD "
		  "invalid opcode (vector 6) at 0x68200200, error 0x0, address "
		  "0x0, on CPU 2\n", 0 },
		{ 2, "sys/state", "ABORTED PANIC\n", 0 },
		{ 2, "sys/cpus", "\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--stop-after", "ready", "--inject",
			     "fault@entry", NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(got_cmdline, "relief.inject=fault@entry");
	assert_string_equal(err_text, "swap aborted: PANIC\n"
			    "kernel B died at its entry, before it had an IDT: "
			    "#UD invalid opcode (vector 6) at 0x68200200, error "
			    "0x0, address 0x0, on CPU 2\n");
	/* Any other end says nothing of it. */
	rt_fake_write("sys/peer", "release 6.12.118-relief-b\n");
	rt_fake_script(s + 1, ARRAY_SIZE(s) - 1);
	assert_int_equal(run(image, "--stop-after", "ready", NULL),
			 RELIEFCTL_EXIT_FAIL);
	assert_string_equal(err_text, "swap aborted: PANIC\n");
}

static void test_rolled_back(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "READY_SENT\n", 0 },
		{ 2, "sys/state", "FREEZING\n", 0 },
		{ 3, "sys/state", "ROLLED_BACK INTERNAL\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(out_text, "READY_SENT\n[   0.040 s] FREEZING\n"
		   "[   0.060 s] ROLLED_BACK INTERNAL\n");
	assert_string_equal(err_text, "rolled back: INTERNAL\n");
	/* The fake kernel did not give the CPUs back. */
	assert_has(out_text, "lent CPUs: 2-3 (still lent: 2-3; see reliefctl "
		   "status)\n");
}

static void test_relieved(void **state)
{
	static const struct rt_step s[] = {
		{ 1, "sys/state", "WAIT_ACK\n", 0 },
		{ 2, "sys/state", "STOOD_RELIEVED\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, "--stop-after", "relieved", NULL),
			 RELIEFCTL_EXIT_OK);
	assert_has(out_text, "relieved: kernel B runs the machine\n");
}

static void test_stuck(void **state)
{
	(void)state;
	assert_int_equal(run(image, "--timeout", "1", NULL),
			 RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "reliefctl swap: no progress: stuck in WAIT_READY "
		   "for 11 s (the kernel's deadline is 1 s); see reliefctl "
		   "status, end it with reliefctl abort\n");
	/* 11 s of 20 ms polls, and not one more than needed. */
	assert_int_equal(rt_fake_sleeps, 551);
}

static void test_state_lost(void **state)
{
	static const struct rt_step s[] = {
		{ 4, "sys/state", "", 0 },
		{ 4, "sys/cpus", "?\n", 0 },
	};

	(void)state;
	rt_fake_script(s, ARRAY_SIZE(s));
	assert_int_equal(run(image, NULL), RELIEFCTL_EXIT_FAIL);
	assert_has(err_text, "/state: Invalid argument; the swap goes on");
	/* Nor can the CPUs be read: the list sent is all it says. */
	assert_has(out_text, "lent CPUs: 2-3\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_not_root),
		T(test_no_relief),
		T(test_in_progress),
		T(test_after_an_ended_run),
		T(test_kexec_disabled),
		T(test_iommu_other),
		T(test_iommu_intel),
		T(test_image),
		T(test_kernel_verdict),
		T(test_initrd),
		T(test_bootstrap_default),
		T(test_bootstrap_taken),
		T(test_cpus),
		T(test_keep),
		T(test_region),
		T(test_usage),
		T(test_prepare_defaults),
		T(test_prepare_options),
		T(test_kernel_refuses),
		T(test_console_ring),
		T(test_inject_fault),
		T(test_rehearsal),
		T(test_aborted),
		T(test_died_early),
		T(test_rolled_back),
		T(test_relieved),
		T(test_stuck),
		T(test_state_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
